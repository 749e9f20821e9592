"""Hostile decks written as YAML text, not through a dumper: long runs of asterisks,
numbers of thousands of digits in any base YAML 1.1 reads, many categories, aliases
that repeat one text or one card. Whatever they hold, reading one is answered at once
with a deck or with located, short problems, each kind shown a bounded number of times
(issue 14: decks within the limits that took minutes).

2,000 examples a run: each deck is read (not laid out, which test_properties.py does
for its own decks), in a few milliseconds.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from deckprint.errors import MAX_MESSAGE, MAX_OF_A_KIND, DeckError
from deckprint.load import load_deck

STARS = st.one_of(
    st.builds(lambda n, gap, size: ("*" * n + gap) * max(1, size // (n + len(gap))),  # up to 4,800 characters
              st.integers(1, 6), st.sampled_from(["", "a", "a ", " a", " ", "\\\\"]), st.sampled_from([30, 4800])),
    st.builds(lambda n: "a" + "*" * n + "a", st.sampled_from([1, 3, 4, 4990])),  # one long run
)
LENGTHS = st.sampled_from([1, 2, 50, 99, 100, 101, 4400])  # around the limit, and past Python's 4,300 digits
NUMBERS = st.one_of(
    st.builds(lambda n: "1" + ":0" * (n // 2), LENGTHS),  # base 60
    st.builds(lambda n: "0x" + "f" * n, LENGTHS),
    st.builds(lambda n: "0b" + "1" * (4 * n), LENGTHS),
    st.builds(lambda n: "-0" + "7" * n, LENGTHS),  # octal
    st.builds(lambda n: "9" * n, LENGTHS),
    st.builds(lambda n: "1." + "5" * n + "e-3", LENGTHS),
)
WORDS = st.sampled_from(["Hao", "Koffi", "Mines", "*a*", "**b**", "a * b", "\u202eevil", "Ha\u200bo",
                         "x" * 300, "Chine", "CN", "zz", "Chinaa", "fr-\u001b]0;x\u0007"])
SCALARS = st.one_of(NUMBERS, STARS, WORDS)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar: any text, control characters escaped."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'


def plain_or_quoted(value: str, quote: bool) -> str:
    return quoted(value) if quote or value[:1] in "*&!|>%@`'\"{[-?:#," or ": " in value else value


@st.composite
def hostile_yaml(draw) -> str:
    language = draw(st.sampled_from(["fr", "en", "fr-CA", "fr-\\e]0;x\\a", "en-" + "a" * 40]))
    title = draw(st.sampled_from(["Un jeu", "Un\u202e jeu"]))
    out = ["deckprint: 1", "deck:", "  id: hostile", f"  title: {quoted(title)}",
           f'  language: "{language}"', "  source: {url: 'https://example.org/'}"]
    n_categories = draw(st.sampled_from([0, 3, 3, 101]))  # the limit is 100
    if n_categories:
        out.append("categories:")
        out += [f"  c{i}: {{label: L{i}, color: '#123456'}}" for i in range(n_categories)]
    shared = draw(SCALARS)
    out.append("cards:")
    out.append(f"  - &card {{name: N0, role: R, country: FR, testimony: &text {plain_or_quoted(shared, True)}}}")
    for i in range(1, draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            out.append("  - *card")  # one card repeated: a duplicate id
        elif kind == 1:
            out.append(f"  - {{name: N{i}, role: R, country: FR, testimony: *text}}")
        else:
            field = draw(st.sampled_from(["name", "role", "country", "testimony", "category", "image"]))
            value = plain_or_quoted(draw(SCALARS), draw(st.booleans()))
            card = {"name": f"N{i}", "role": "R", "country": "FR", "testimony": "T", field: value}
            if n_categories and field != "category" and draw(st.booleans()):
                card["category"] = f"c{draw(st.integers(0, n_categories * 2))}"
            if kind == 5:
                card[draw(NUMBERS)] = "1"
            items = "\n".join(f"    {key}: {val}" for key, val in card.items())
            out.append("  -\n" + items if len(items) < 2000 else "  - " + "\n    ".join(
                f"? {key}\n    : {val}" for key, val in card.items()))
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=hostile_yaml())
def test_a_hostile_deck_is_answered_at_once_with_short_located_problems(folder: Path, text: str) -> None:
    path = folder / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    try:
        load_deck(path)
        event("valid")
    except DeckError as exc:
        event("problems")
        kinds: dict[str, int] = {}
        for problem in exc.problems:
            kinds[problem.shape] = kinds.get(problem.shape, 0) + 1
            line = str(problem)
            assert problem.line is not None and problem.message, line
            assert len(line) < MAX_MESSAGE + 300, line[:300]
            assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in line), line[:300]
        assert max(kinds.values()) <= MAX_OF_A_KIND, kinds
    assert time.perf_counter() - start < 2.0  # a hang is minutes; the slowest example here, 0.1 s
