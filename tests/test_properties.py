"""Random decks from strangers: whatever they hold, deckprint either builds print-ready
PDFs or answers with located problems — never another exception, never a hang.

The decks are made of random unicode (control characters, combining marks, right-to-left
scripts, emoji, text that looks like ReportLab markup or YAML), random lengths, keys
left out, keys added and values of the wrong type, written with ``yaml.safe_dump``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import tempfile
import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from deckprint.options import BuildOptions
from deckprint.pipeline import render_deck
from deckprint.errors import DeckError, UserError
from deckprint.layout.back import layout_back
from deckprint.layout.card import layout_deck
from deckprint.load import load_deck

# Pieces an author might type that a font has and a card can print: markup-looking text
# must come out literally, combining marks and Vietnamese must not break the layout.
PRINTABLE = [
    "<font color=red>", "</font>", "<a href=https://evil.example/>", "</a>", "<img src=/etc/passwd/>",
    "<b>", "<br/>", "<para>", "<onDraw name=x/>", "<![CDATA[", "&#65;", "&amp;", "&lt;", "&", "<", ">",
    "*", "**", "*italic*", "**bold**", "e\u0301", "Nguyễn Thị", "Tiếng Việt", " ", "  ", "\n", "\t",
    "...", '"', "'", "«", "»", ":", ";", "!", "?", "%", "1 h", "l'IA", "https://example.org/", "{{", "}}",
    "%s", "\\", "-", "—", "Ŀ", "ß", "ﬁ", "İ", "ǅ", "\u00a0", "\u00ad",
]
# And pieces that must be refused, with their place: controls, right-to-left scripts the
# bundled font lacks, emoji, invisible format characters.
HOSTILE = ["\x07", "\x00", "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\u2028", "مرحبا", "שלום", "😀"]
LATIN = "abcdefghijklmnopqrstuvwxyzéèàçôÉ ABCXYZ0123456789,.'-"
BROAD = st.characters(exclude_categories=("Cs",))  # everything YAML/UTF-8 can carry


def texts(hostile: bool):
    pieces = [st.sampled_from(PRINTABLE), st.text(alphabet=LATIN, min_size=1, max_size=30)]
    if hostile:
        pieces += [st.sampled_from(HOSTILE), st.text(alphabet=BROAD, min_size=1, max_size=4)]
    return st.one_of(
        st.lists(st.one_of(*pieces), min_size=1, max_size=6).map("".join),
        st.text(alphabet=LATIN, min_size=1, max_size=60),
        st.builds(lambda word, n: (word + " ") * n, st.text(alphabet=LATIN, min_size=1, max_size=12),
                  st.integers(1, 300 if hostile else 20)),  # long enough not to fit a card
    )


wrong = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.just([]), st.just({}),
                  st.just(["a", "b"]), st.just({"a": 1}), st.dates(dt.date(1, 1, 1), dt.date(9999, 1, 1)))
GOOD_URLS = ["https://example.org/", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/",
             "https://exämple.org/ü", "https://example.org/a)b(c\\d", "https://example.org/<script>"]
BAD_URLS = ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "https:///x",
            "https://user:pw@example.org/", "https://exa mple.org/", "https://example.org/\x07",
            "https://example.org:99999/", "https://[::1/", "https://example.org/" + "x" * 3000,
            "//example.org/", "", " "]
GOOD_SIZES = ["tarot", "poker", "mini", "a6", "square", "70x110 mm", "70 x 110mm", "30x30 mm", "300x300 mm"]
BAD_SIZES = ["5x5 mm", "1000x1000 mm", "0x0 mm", "1e3x1e3 mm", "taro"]


def urls(hostile: bool):
    good = st.one_of(st.sampled_from(GOOD_URLS),
                     st.builds(lambda t: "https://example.org/" + "".join(t.split()), texts(False)))
    return st.one_of(good, st.sampled_from(BAD_URLS), texts(True)) if hostile else good


@st.composite
def maybe_broken(draw, mapping: dict, hostile: bool) -> dict:
    """When hostile: drop some keys, add unknown ones, put a wrong type in some."""
    out = dict(mapping)
    if not hostile:
        return out
    for key in list(out):
        roll = draw(st.integers(0, 19))
        if roll == 0:
            del out[key]
        elif roll == 1:
            out[key] = draw(wrong)
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.text(alphabet=BROAD, min_size=1, max_size=12))] = draw(st.one_of(texts(True), wrong))
    return out


@st.composite
def decks(draw) -> dict:
    """Half of the decks are well formed, with text that prints; the others may break
    anything."""
    hostile = draw(st.booleans())
    text = texts(hostile)
    category_ids = draw(st.lists(st.sampled_from(["mines", "fab", "x"] + (["Bad Id"] if hostile else [])),
                                 max_size=3, unique=True))
    colors = ["#8C3B1F", "#fff", "cmyk(0, 58, 78, 45)"] + (["cmyk(0, 150, 0, 0)", "#GGGGGG", "red"] if hostile else [])
    categories = {cid: draw(maybe_broken({"label": draw(text), "color": draw(st.sampled_from(colors))}, hostile))
                  for cid in category_ids}
    cards = []
    countries = ["CN", "FR", "VN", "Côte d'Ivoire"] + (["Chine", "China", "zz", "Chinaa"] if hostile else [])
    for i in range(draw(st.integers(0 if hostile else 1, 3))):
        card = {"name": draw(text), "role": draw(text), "country": draw(st.sampled_from(countries)),
                "testimony": draw(text)}
        if draw(st.booleans()):
            card["conditions"] = draw(st.lists(text, max_size=3))
        if draw(st.booleans()):
            card["impact"] = draw(text)
        card["id"] = draw(st.sampled_from(["../../x", "A", "x" * 80, "-x", "é", "", "hao"])) if hostile else f"card-{i}"
        if category_ids and draw(st.booleans()):
            card["category"] = draw(st.one_of(st.sampled_from(category_ids), text) if hostile
                                    else st.sampled_from(category_ids))
        if draw(st.integers(0, 3)) == 0:
            card["source"] = draw(maybe_broken({"url": draw(urls(hostile)), "title": draw(text)}, hostile))
        if hostile and draw(st.integers(0, 5)) == 0:
            card["image"] = draw(st.sampled_from(["missing.png", "/etc/passwd", "../x.png", "", "a\x00b.png"]))
        cards.append(draw(maybe_broken(card, hostile)))
    deck = {"id": draw(st.sampled_from(["../../x", "A", "x" * 80, "é", "ok"])) if hostile else "deck",
            "title": draw(text if hostile else st.text(alphabet=LATIN, min_size=1, max_size=30)), "language": draw(st.sampled_from(["fr", "en", "fr-CA"] + (["de", ""] if hostile else []))),
            "source": draw(maybe_broken({"url": draw(urls(hostile)), "publisher": draw(text)}, hostile))}
    for key, strategy in (("card", st.sampled_from(GOOD_SIZES + (BAD_SIZES if hostile else []))),
                          ("subtitle", text), ("credits", text), ("license", text),
                          ("back", st.builds(lambda t: {"text": t}, text)),
                          ("font", st.sampled_from(["Noto Sans"] + (["No Such Font", "../etc", ""] if hostile else [])))):
        if draw(st.integers(0, 3)) == 0:
            deck[key] = draw(strategy)
    data = {"deckprint": draw(st.sampled_from([1, 1, 1, 2, "1"])) if hostile else 1,
            "deck": draw(maybe_broken(deck, hostile)), "categories": categories, "cards": cards}
    return draw(maybe_broken(data, hostile))


def _render(deck, options):
    if "workers" in inspect.signature(render_deck).parameters:
        return render_deck(deck, options, workers=1)  # no forked children per example
    return render_deck(deck, options)


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])  # 5 s: a hang, not a slow machine
@given(decks())
def test_random_deck_builds_or_fails_with_located_problems(data: dict) -> None:
    from deckprint.preflight import check_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            deck = load_deck(path)
            layout_deck(deck)
            layout_back(deck)
            outputs = _render(deck, BuildOptions(out=Path(folder) / "out"))
        except DeckError as exc:
            event("located problems")
            assert exc.problems
            for problem in exc.problems:
                assert problem.line is not None, str(problem)
                assert problem.message, str(problem)
                assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in str(problem)), \
                    repr(str(problem))  # nothing that would steer the terminal
            return
        except UserError as exc:  # not tied to a place in the file: must still say something
            event("user error")
            assert str(exc)
            return
        event("built")
        assert outputs
        for output in outputs:
            if not output.name.endswith(".pdf"):
                continue
            pdf = Path(folder) / output.name
            pdf.write_bytes(output.data)
            report = check_pdf(pdf)
            assert not report.failed, "\n".join(report.lines())
