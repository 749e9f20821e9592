"""Typography and inline marks: what the author types → what a typesetter would set."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import normalise, page_texts, run
from deckprint.text import TextStyle, hyphenator, paragraph, quote_marks, to_markup, typography

NB = "\u00a0"


def test_french_spaces_quotes_and_apostrophes() -> None:
    assert typography('Je les classe comme "utiles" ou "nocives" : l\'IA !', "fr") == \
        f"Je les classe comme «{NB}utiles{NB}» ou «{NB}nocives{NB}»{NB}: l’IA{NB}!"
    assert typography("« terres rares »", "fr") == f"«{NB}terres rares{NB}»"
    assert typography("des IA: analyse ; pourquoi?", "fr") == f"des IA{NB}: analyse{NB}; pourquoi{NB}?"
    # no space inserted in times, URLs or ratios
    assert typography("à 18:00 sur https://example.org", "fr") == "à 18:00 sur https://example.org"
    assert typography("1,50 $/heure et 0,3 kWh", "fr") == f"1,50{NB}$/heure et 0,3{NB}kWh"


def test_english_quotes_and_apostrophes() -> None:
    assert typography('They are "helpful"; it\'s fine!', "en") == "They are “helpful”; it’s fine!"


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


# -- quotations inside quotations (CLDR's alternate marks) --------------------------------

def test_a_quote_inside_a_quote_takes_the_alternate_marks() -> None:
    assert typography('They are "helpful"', "en", level=1) == "They are ‘helpful’"
    assert typography("They are “helpful”", "en", level=1) == "They are ‘helpful’"  # typed curly
    assert typography('“a "b" c”', "en") == "“a ‘b’ c”"
    assert typography('"a “b” c"', "en", level=1) == "‘a “b” c’"  # and primary again below
    # French: “ ” inside « » (Imprimerie nationale), with no spaces inside them.
    assert typography('les "utiles"', "fr", level=1) == "les “utiles”"
    assert typography('« des « terres rares » »', "fr") == f"«{NB}des “terres rares”{NB}»"
    assert quote_marks("fr") == (f"«{NB}", f"{NB}»") and quote_marks("en", 1) == ("‘", "’")
    assert quote_marks("fr", 1) == ("“", "”") and quote_marks("fr", 2) == (f"«{NB}", f"{NB}»")


def test_the_testimony_quotes_are_one_level_down_on_the_built_card(built) -> None:
    texts = page_texts(built / "ai-workers" / "ai-workers-print.pdf")
    amina = normalise(next(t for t in texts if "Amina" in t))
    assert "“On a micro-task platform" in amina
    assert "I label them ‘helpful’ or ‘harmful’ to fine-tune the language model.”" in amina
    texts = page_texts(built / "travailleurs-ia" / "travailleurs-ia-print.pdf")
    amina = normalise(next(t for t in texts if "Amina" in t))
    assert "Je les classe comme “utiles” ou “nocives”" in amina


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
