"""Setting text with ReportLab: hyphenation, line ends, paragraphs, and ReportLab left as
it was (typography is tested in test_wording.py)."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from reportlab.platypus import Paragraph

from conftest import ROOT, page_texts, run
from deckprint.fonts import font_search_folders, load_family
from deckprint.text import LINE_END_HYPHEN, TextStyle, hyphenation_patterns, hyphenator, paragraph, to_markup


def test_markup_is_escaped_and_only_two_marks_are_rendered() -> None:
    assert to_markup("<b>x</b> & *i* **b**") == "&lt;b&gt;x&lt;/b&gt; &amp; <i>i</i> <b>b</b>"
    assert to_markup('<a href="javascript:x">') == '&lt;a href="javascript:x"&gt;'
    assert to_markup("5 * 3 = 15") == "5 * 3 = 15"


def test_words_with_an_apostrophe_are_hyphenated_after_it() -> None:
    pairs = hyphenator("fr")("l’intelligence")
    assert pairs and all(head.startswith("l’") and len(head) > 2 for head, _ in pairs)
    # and ReportLab uses it: in a narrow column the word is split with a hyphen
    style = TextStyle(font="Helvetica", size=10, language="fr")
    para = paragraph("l’intelligence artificielle", style)
    para.wrap(40, 1000)
    lines = [" ".join(w for w in line[1]) for line in para.blPara.lines]
    assert lines[0].startswith("l’") and lines[0].endswith("-")


def test_no_hyphenation_when_off() -> None:
    style = TextStyle(font="Helvetica", size=10, language="fr", hyphenate=False)
    para = paragraph("l’intelligence artificielle", style)
    para.wrap(40, 1000)
    assert not any(" ".join(line[1]).endswith("-") for line in para.blPara.lines)


# -- line ends ----------------------------------------------------------------------------

def test_the_licence_name_is_never_broken_on_a_back(built) -> None:
    for deck in ("ai-workers", "travailleurs-ia"):
        back = page_texts(built / deck / f"{deck}-print.pdf")[1]
        lines = [" ".join(line.replace("\u00a0", " ").split()) for line in back.splitlines()]
        assert any(line.endswith("CC BY-SA 4.0") for line in lines), lines


def _lines_of_chars(pdf_path: Path, page: int) -> list[str]:
    """A page's characters grouped by the baseline pdfium gives each (not by the line
    breaks its text extraction guesses, which joins a word broken at a hyphen)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        textpage = pdf[page].get_textpage()
        lines: dict[int, list[tuple[float, str]]] = {}
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char.strip() and char not in "\r\n":
                left, bottom, _, _ = textpage.get_charbox(i, loose=True)
                lines.setdefault(round(bottom), []).append((left, char))
        return ["".join(c for _, c in sorted(chars)) for _, chars in sorted(lines.items(), reverse=True)]
    finally:
        pdf.close()


def test_a_typed_hyphen_at_a_line_end_stays_in_the_text(tmp_path: Path) -> None:
    cards = [{"name": f"Card {k}", "role": "Tester", "country": "FR",
              "testimony": f"{'really ' * (k // 3)}{('so', 'very', 'truly')[k % 3]} we fine-tune the model."}
             for k in range(24)]
    deck = {"deckprint": 1, "deck": {"id": "hyphen", "title": "Hyphen", "language": "en",
                                     "source": {"url": "https://example.org/"}}, "cards": cards}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False), encoding="utf-8")
    result = run("build", str(tmp_path / "deck.yaml"), "--out", str(tmp_path / "out"), "--target", "print")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "hyphen" / "hyphen-print.pdf"
    texts = page_texts(pdf)
    broken = 0
    for k in range(len(cards)):
        lines = _lines_of_chars(pdf, 2 * k)
        ends = [line for line in lines if line.endswith(("fine-", "fine\u2010", "fine\ufffe"))]
        if not ends:
            continue
        broken += 1
        assert ends[0].endswith("fine\u2010")  # U+2010: the same glyph, kept by extraction
        assert re.search(r"fine\u2010\r\ntune", texts[2 * k]), repr(texts[2 * k])
    assert broken, "no card broke its line after fine-: change the texts"


def test_a_typed_hyphen_at_a_line_end_is_u2010_and_no_hyphen_is_added() -> None:
    font = load_family("Noto Sans", tuple(font_search_folders(None))).regular
    para = paragraph("we fine-tune the model", TextStyle(font=font, size=10, language="en"))
    para.wrap(50, 1000)
    assert [" ".join(line[1]) for line in para.blPara.lines] == [f"we fine{LINE_END_HYPHEN}", "tune the", "model"]


# -- ReportLab left as it was -------------------------------------------------------------

def _lines(para) -> list[str]:
    return [" ".join(line[1]) for line in para.blPara.lines]


def test_reportlab_s_own_paragraphs_keep_its_hyphenation_patterns() -> None:
    style = TextStyle(font="Helvetica", size=10, language="fr")
    ours = paragraph("l’intelligence artificielle", style)
    ours.wrap(40, 1000)
    assert _lines(ours)[0] == "l’intelli-"
    # the same style in a paragraph deckprint did not make: ReportLab's own pattern,
    # which leaves a word with an apostrophe alone (the long word is cut, unhyphenated)
    theirs = Paragraph("l’intelligence artificielle", style.paragraph_style())
    theirs.wrap(40, 1000)
    assert not _lines(theirs)[0].endswith("-")


def test_hyphenation_patterns_are_restored_even_on_error() -> None:
    from reportlab.platypus import paragraph as rl_paragraph

    names = ("_hy_letters_pat", "_hy_shy_letters_pat", "_hy_shy_pat")
    before = [getattr(rl_paragraph, name) for name in names]
    with pytest.raises(KeyError), hyphenation_patterns():
        assert rl_paragraph._hy_letters_pat.match("l’intelligence")
        raise KeyError("x")
    assert [getattr(rl_paragraph, name) for name in names] == before
    assert not rl_paragraph._hy_letters_pat.match("l’intelligence")


_STATE = r"""
import importlib, json, pkgutil, sys

def snapshot(prefixes):
    return {name: dict(vars(module)) for name, module in list(sys.modules.items())
            if module is not None and name.startswith(prefixes)}

def changed(before, after):
    missing = object()
    return sorted(f"{module}.{name}" for module, names in before.items()
                  for name in names.keys() | after[module].keys()
                  if names.get(name, missing) is not after[module].get(name, missing))

for name in json.loads(sys.argv[1]):  # ReportLab's modules that deckprint uses
    importlib.import_module(name)
before = snapshot("reportlab")
import deckprint
for info in pkgutil.walk_packages(deckprint.__path__, "deckprint."):
    if info.name != "deckprint.__main__":
        importlib.import_module(info.name)
report = {"new": sorted(set(snapshot("reportlab")) - set(before)),
          "import": changed(before, snapshot("reportlab"))}
before = snapshot(("reportlab.rl_config", "reportlab.platypus.paragraph"))
from deckprint.cli import cli
cli.main(sys.argv[2:], standalone_mode=False)
report["build"] = changed(before, snapshot(("reportlab.rl_config", "reportlab.platypus.paragraph")))
print(json.dumps(report))
"""


def test_deckprint_leaves_reportlab_s_module_state_as_it_was(tmp_path: Path) -> None:
    """Importing every module of deckprint rebinds no attribute of any ReportLab module,
    and a build (paragraphs broken into lines, canvases saved, an image drawn) leaves
    rl_config and the paragraph module as they were: each change deckprint needs is made
    for the calls that need it (text.hyphenation_patterns, draw.pdf.no_ascii85)."""
    modules = subprocess.run(
        [sys.executable, "-c", "import importlib, json, pkgutil, sys, deckprint\n"
         "for i in pkgutil.walk_packages(deckprint.__path__, 'deckprint.'):\n"
         "    i.name == 'deckprint.__main__' or importlib.import_module(i.name)\n"
         "print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] == 'reportlab')))"],
        capture_output=True, text=True, check=True).stdout
    assert "reportlab.platypus.paragraph" in modules and "reportlab.rl_config" in modules
    build = ["build", str(ROOT / "tests" / "good_decks" / "full.yaml"), "--out", str(tmp_path), "--no-check",
             "-j", "1", "-q", "--target", "print", "--target", "posters", "--target", "guide"]
    result = subprocess.run([sys.executable, "-c", _STATE, modules, *build], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {"new": [], "import": [], "build": []}
    assert len(list(tmp_path.glob("*/*.pdf"))) == 3


# -- a paragraph measured many times at one width --------------------------------------------

def test_a_kept_wrap_paragraph_wraps_again_only_for_a_new_width() -> None:
    text = "l’intelligence artificielle et les travailleurs"
    style = TextStyle(font="Helvetica", size=10, language="fr")
    fresh = paragraph(text, style)
    expected = fresh.wrap(60, 1000), _lines(fresh)
    para = paragraph(text, style, keep_wrap=True)
    assert (para.wrap(60, 1000), _lines(para)) == expected
    lines = para.blPara
    assert para.wrap(60, 500) == expected[0] and para.blPara is lines  # kept: not broken again
    assert para.wrap(200, 1000)[1] < expected[0][1] and para.blPara is not lines
    assert (para.wrap(60, 1000), _lines(para)) == expected
    # a class, not a method set on the instance: it pickles (layout runs in workers)
    copy = pickle.loads(pickle.dumps(para))
    assert (copy.wrap(60, 1000), _lines(copy)) == expected
