"""The inline marks, end to end: what an author types in a field → what the card prints,
or a located error. Never an internal error (exit 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import run
from deckprint.marks import escape_marks, plain, problem, to_markup

LOCATED = re.compile(r"^\S*deck\.yaml:(\d+):(\d+): cards\[0\]\.testimony: (.+)$", re.M)


def write_deck(folder: Path, testimony: str, **deck) -> Path:
    data = {"deckprint": 1,
            "deck": {"id": "marks", "title": "Marks", "language": "en",
                     "source": {"url": "https://example.org/"}, **deck},
            "cards": [{"name": "Ana", "role": "Tester", "country": "FR", "testimony": testimony}]}
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def front_chars(pdf_path: Path, page: int = 0) -> list[tuple[str, str]]:
    """(character, font name) of every character pdfium reads on a page."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        textpage = pdf[page].get_textpage()
        out = []
        buffer = ctypes.create_string_buffer(256)
        for i in range(textpage.count_chars()):
            flags = ctypes.c_int()
            raw.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
            out.append((chr(raw.FPDFText_GetUnicode(textpage.raw, i)), buffer.value.decode()))
        return out
    finally:
        pdf.close()


def card_quote_chars(pdf_path: Path) -> list[tuple[str, str]]:
    """The characters between the testimony's quotation marks on the first card front."""
    chars = front_chars(pdf_path)
    text = "".join(c for c, _ in chars)
    return chars[text.index("“") + 1:text.rindex("”")]


def build_print(folder: Path, deck: Path) -> Path:
    result = run("build", str(deck), "--out", str(folder / "out"), "--target", "print", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    return folder / "out" / "marks" / "marks-print.pdf"


# -- the language, on its own --------------------------------------------------------------

@pytest.mark.parametrize("typed, markup, seen", [
    ("***bold italic***", "<b><i>bold italic</i></b>", "bold italic"),
    ("*a **b** c*", "<i>a <b>b</b> c</i>", "a b c"),
    ("**a *b* c**", "<b>a <i>b</i> c</b>", "a b c"),
    ("***x** y*", "<i><b>x</b> y</i>", "x y"),  # the mark that closes first is the inner one
    ("***x* y**", "<b><i>x</i> y</b>", "x y"),
    ("**a *b***", "<b>a <i>b</i></b>", "a b"),
    (r"5\*3 and \*\*not bold\*\*", "5*3 and **not bold**", "5*3 and **not bold**"),
    (r"a \\ b \x", r"a \ b \x", r"a \ b \x"),
    ("5 * 3 = 15, a ** b", "5 * 3 = 15, a ** b", "5 * 3 = 15, a ** b"),
    ("snake_case _x_ *it*", "snake_case _x_ <i>it</i>", "snake_case _x_ it"),
    ("<b>&amp;</b> *x*", "&lt;b&gt;&amp;amp;&lt;/b&gt; <i>x</i>", "<b>&amp;</b> x"),
])
def test_marks_read_as_documented(typed: str, markup: str, seen: str) -> None:
    assert problem(typed) is None
    assert to_markup(typed) == markup
    assert plain(typed) == seen


@pytest.mark.parametrize("typed, mark", [
    ("**bold", "**"), ("bold**", "**"), ("a* b", "*"), ("*", "*"), ("x *", "*"),
    ("**a *b** c*", "**"), ("*a **b* c**", "*"), ("a****b", "****"), ("***a** b", "*"),
])
def test_marks_that_do_not_pair_are_errors_naming_the_mark(typed: str, mark: str) -> None:
    message = problem(typed)
    assert message is not None
    assert f"`{mark}`" in message and r"\*" in message


def test_a_right_text_reads_the_same_wherever_it_is_put() -> None:
    # The start and end of a text are not spaces: a text that is right stays right,
    # and the same, inside quotes, after a label or joined to another.
    for text in ("*a*", "***a** b*", "x **y**", "5 * 3", r"\*a"):
        for left, right in (("“", "”"), ("License: ", "."), ("a · ", " · b")):
            assert to_markup(left + text + right) == left + to_markup(text) + right, (text, left)
    assert problem("x *") and problem("* x")


def test_escaped_plain_text_reads_back_as_itself() -> None:
    for text in (r"5*3 \ **", "a\\*b", "***"):
        assert plain(escape_marks(text)) == text


# -- through the command line --------------------------------------------------------------

def test_bold_italic_prints_in_the_bold_italic_face(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, "I say ***bold italic*** then *a **b** c*, 5\\*3.")
    assert run("validate", str(deck)).exit_code == 0
    chars = card_quote_chars(build_print(tmp_path, deck))
    assert "".join(c for c, _ in chars) == "I say bold italic then a b c, 5*3."
    faces = {c: font for c, font in chars}
    assert faces["d"].endswith("NotoSans-BoldItalic")  # "bold italic" has the only d
    assert faces["b"].endswith("NotoSans-BoldItalic")  # **b** inside *…*
    assert faces["5"].endswith("NotoSans-Regular") and faces["*"].endswith("NotoSans-Regular")


def test_crossing_marks_are_a_located_error(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, "Here **a *b** c* ends.")
    for command in (("validate", str(deck)), ("build", str(deck), "--out", str(tmp_path / "out"))):
        result = run(*command)
        assert result.exit_code == 1, result.output
        located = LOCATED.search(result.stderr)
        assert located, result.stderr
        line = deck.read_text(encoding="utf-8").splitlines()[int(located[1]) - 1]
        assert line[int(located[2]) - 1:].startswith("Here **a")
        assert "`**` closes inside `*…*`" in located[3] and r"\*" in located[3]


def test_marks_in_every_printed_field_are_checked(tmp_path: Path) -> None:
    data = {"deckprint": 1,
            "deck": {"id": "marks", "title": "T *x", "language": "en", "license": "CC **BY",
                     "source": {"url": "https://example.org/a*b", "title": "S*"}},
            "categories": {"c": {"label": "L**", "color": "#123456"}},
            "cards": [{"name": "Ana", "role": "Tester", "country": "FR", "testimony": "ok",
                       "category": "c", "conditions": ["*x"], "source": {"url": "https://example.org/",
                                                                         "publisher": "P *"}}],
            "workshop": {"goals": ["g*"], "steps": [{"title": "s", "text": "**t"}]}}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("validate", str(tmp_path / "deck.yaml"))
    assert result.exit_code == 1
    fields = re.findall(r"^\S*deck\.yaml:\d+:\d+: (\S+):", result.stderr, re.M)
    assert sorted(fields) == sorted(["deck.title", "deck.license", "deck.source.title", "categories.c.label",
                                     "cards[0].conditions[0]", "cards[0].source.publisher",
                                     "workshop.goals[0]", "workshop.steps[0].text"])


# -- any text an author may type: a card, or a located error -----------------------------

def intended(text: str) -> str:
    """What a card prints of a text whose marks are right, read from the documented
    rules (not from deckprint's reader): escapes give their character, a run of
    asterisks between two spaces stays, every other run is a mark and goes."""
    out = []
    for match in re.finditer(r"\\[\\*]|\*+|.", text, re.S):
        token = match.group()
        if token[0] == "\\" and len(token) == 2:
            out.append(token[1])
        elif token[0] == "*":
            before, after = text[match.start() - 1:match.start()], text[match.end():match.end() + 1]
            if before.isspace() and after.isspace():
                out.append(token)
        else:
            out.append(token)
    return "".join(out)


def squeeze(text: str) -> str:
    """No spaces, no line breaks, no hyphens the typesetter added (pdfium reads those
    as U+FFFE): lines break differently from the text as typed."""
    return "".join(c for c in text if not c.isspace() and c not in "\ufffe\u00ad")


TYPED = st.one_of(
    st.text(alphabet="*\\_ ab", min_size=1, max_size=30),
    st.lists(st.sampled_from(["*", "**", "***", "\\*", "\\\\", "\\", "_", " ", "word", "ab",
                              "*x*", "**y**", "***z***"]), min_size=1, max_size=10).map("".join),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TYPED)
def test_any_marks_validate_and_build_or_are_a_located_error(tmp_path_factory, typed: str) -> None:
    folder = tmp_path_factory.mktemp("typed")
    deck = write_deck(folder, typed, credits=typed if typed.strip() else None)
    result = run("validate", str(deck))
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        event("located error")
        assert LOCATED.search(result.stderr) or "must not be empty" in result.stderr, result.stderr
        return
    event("printed")
    chars = card_quote_chars(build_print(folder, deck))
    assert squeeze("".join(c for c, _ in chars)) == squeeze(intended(typed)), repr(typed)


@pytest.mark.parametrize("unit", ["*a ", "**a ", "***a ", "a* ", "*", "* ", "\\*", "\\\\*", "*a* *b ", "**a *b ",
                                  "*a **b ", "a*b", "*" * 4 + " "])
def test_reading_marks_takes_linear_time(unit: str) -> None:
    """100,000 characters of any pattern are read in a fraction of a second: the reader
    never goes back over the text (issue 14: the regexes it replaced backtracked on an
    unmatched mark, and 4,800 characters of "*a " took seconds)."""
    import time

    from deckprint.marks import MarkError, _Reader

    text = unit * (100_000 // len(unit))
    start = time.perf_counter()
    try:
        _Reader(text).read()
    except MarkError:
        pass
    assert time.perf_counter() - start < 1.0


def test_a_text_with_wrong_marks_is_read_once_however_often_it_is_asked() -> None:
    """5,000 cards aliasing one text: its reading, an error too, is kept (issue 14)."""
    from deckprint import marks

    text = "*a " * 1600
    before = marks._reading.cache_info().misses
    for _ in range(3):
        assert problem(text) and plain(text, lenient=True) == text
    assert marks._reading.cache_info().misses == before + 1
