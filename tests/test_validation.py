"""Each kind of value error pydantic finds in a deck file is said in the deck author's
words, at the right place: one case per row of the wording table
(deckprint.validation.WORDING), and a test that no row is left without its case.

The messages are deckprint's own; where a row passes pydantic's message on (its
default), only the place is checked."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from deckprint import validation
from deckprint.errors import DeckError
from deckprint.load import load_deck

MINIMAL = {
    "deckprint": 1,
    "deck": {"id": "tiny", "title": "Tiny", "language": "en", "source": {"url": "https://example.org"}},
    "categories": {"mines": {"label": "Mines", "color": "#8C3B1F"}},
    "cards": [{"name": "Hao", "role": "Miner", "country": "CN", "testimony": "I dig."}],
}


def at(data: dict, path: tuple, value) -> dict:
    """``data`` with ``value`` at ``path`` (a new key where the path ends in one)."""
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return data


def without(data: dict, path: tuple) -> dict:
    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return data


CARD_KEYS = "id, name, role, country, category, testimony, conditions, impact, source, image"
FILE_KEYS = "deckprint, deck, categories, cards, workshop"
# (case, the deck file's data, where the problem is, what it says or None for pydantic's own)
CASES = [
    ("unknown key, near one", at(MINIMAL, ("cards", 0, "imgae"), "x.png"),
     "cards[0].imgae", 'unknown key "imgae" (did you mean "image"?)'),
    ("unknown key in a mapping's value", at(MINIMAL, ("categories", "mines", "colour"), "#000000"),
     "categories.mines.colour", 'unknown key "colour" (did you mean "color"?)'),
    ("unknown key, none near", at(MINIMAL, ("cards", 0, "zzz"), 1),
     "cards[0].zzz", f'unknown key "zzz"; known keys: {CARD_KEYS}'),
    ("unknown key at the top", at(MINIMAL, ("zzz",), 1), "zzz", f'unknown key "zzz"; known keys: {FILE_KEYS}'),
    ("missing key", without(MINIMAL, ("deck", "language")), "deck", 'the required key "language" is missing'),
    ("missing key at the top", without(MINIMAL, ("cards",)), "", 'the required key "cards" is missing'),
    ("format version", at(MINIMAL, ("deckprint",), 2),
     "deckprint", "unsupported format version 2: this deckprint reads format 1 (write `deckprint: 1`)"),
    ("format version as text", at(MINIMAL, ("deckprint",), "one"),
     "deckprint", "unsupported format version 'one': this deckprint reads format 1 (write `deckprint: 1`)"),
    ("the file not a mapping", ["a", "list"], "", "the deck file must be a mapping of keys to values, not a list"),
    ("a model not a mapping", at(MINIMAL, ("cards", 0), "just a string"),
     "cards[0]", "this must be a mapping of keys to values, not 'just a string'"),
    ("a dict not a mapping", at(MINIMAL, ("categories",), ["mines"]),
     "categories", "this must be a mapping of keys to values, not a list"),
    ("text, a number", at(MINIMAL, ("cards", 0, "name"), 12),
     "cards[0].name", "must be text, not the number 12 (put it in quotes)"),
    ("text, a boolean", at(MINIMAL, ("cards", 0, "role"), True),
     "cards[0].role", "must be text, not true/false (put it in quotes)"),
    ("text, a date", at(MINIMAL, ("deck", "title"), "2025-02-11"),  # YAML reads a date
     "deck.title", "must be text, not the date 2025-02-11 (put it in quotes)"),
    ("text, a list", at(MINIMAL, ("cards", 0, "role"), ["a"]), "cards[0].role", "must be text, not a list"),
    ("text, nothing", at(MINIMAL, ("cards", 0, "role"), None), "cards[0].role", "must be text, not nothing"),
    ("a list", at(MINIMAL, ("cards", 0, "conditions"), "Low pay"),
     "cards[0].conditions", "must be a list (lines starting with '- '), not 'Low pay'"),
    ("no card", at(MINIMAL, ("cards",), []), "cards", "a deck needs at least one card"),
    ("too many cards", at(MINIMAL, ("cards",), [dict(MINIMAL["cards"][0], id=f"c{i}") for i in range(5001)]), "cards", "a deck holds at most 5,000 cards"),
    ("too many categories", at(MINIMAL, ("categories",), {f"c{i}": {"label": "L", "color": "#000"} for i in range(101)}),
     "categories", "a deck holds at most 100 categories"),
    ("text too long", at(MINIMAL, ("cards", 0, "testimony"), "a" * 5001),
     "cards[0].testimony", "is longer than 5,000 characters"),
    ("a setting too long", at(MINIMAL, ("deck", "card"), "70" + " " * 70 + "x110 mm"),
     "deck.card", "is longer than 64 characters"),
    ("font name", at(MINIMAL, ("deck", "font"), "../fonts/x"),
     "deck.font", "a font family name is letters, digits, spaces and hyphens"),
    ("a date", at(MINIMAL, ("deck", "source", "date"), "yesterday"),
     "deck.source.date", "must be a date like 2025-02-11, not 'yesterday'"),
    ("a date, with a time", at(MINIMAL, ("deck", "source", "date"), "2025-02-11 10:30:00"),
     "deck.source.date", "must be a date like 2025-02-11, not the date 2025-02-11 10:30:00"),
    ("deckprint's own rule", at(MINIMAL, ("deck", "id"), "Bad Deck"), "deck.id",
     ('"Bad Deck" is not a slug: use lower-case letters, digits and single hyphens, at most 64 characters '
      '(e.g. "maria-luz")')),
    ("pydantic's words", at(MINIMAL, ("workshop",), {"steps": []}), "workshop.steps", None),
]


def problems_of(data, tmp_path: Path) -> list:
    deck = tmp_path / "deck.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    deck.write_text(text.replace("'2025-02-11'", "2025-02-11").replace("'2025-02-11 10:30:00'", "2025-02-11 10:30:00"),
                    encoding="utf-8")
    with pytest.raises(DeckError) as failure:
        load_deck(deck)
    return failure.value.problems


@pytest.mark.parametrize("name, data, path, message", CASES, ids=[case[0] for case in CASES])
def test_each_error_in_the_authors_words(name, data, path, message, tmp_path: Path) -> None:
    problems = problems_of(data, tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].path == path
    if message is not None:
        assert problems[0].message == message


def test_an_unknown_key_points_at_the_key_a_missing_one_at_its_mapping(tmp_path: Path) -> None:
    """An unknown key is located at the key itself (its value may be long), a missing
    key at the mapping that lacks it; any other problem at the value."""
    text = ("deckprint: 1\ndeck:\n  id: tiny\n  title: Tiny\n  source:\n    url: https://example.org\n"
            "cards:\n  - name: Hao\n    role: Miner\n    country: CN\n    testimony: I dig.\n"
            "    imgae:   x.png\n  -   name: 12\n      role: Miner\n      country: CN\n      testimony: I dig.\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as failure:
        load_deck(deck)
    found = {p.path: (p.line, p.column) for p in failure.value.problems}
    assert found == {"deck": (3, 3), "cards[0].imgae": (12, 5), "cards[1].name": (13, 13)}


def test_every_row_of_the_wording_table_has_its_case(tmp_path: Path, monkeypatch) -> None:
    """A row no case reaches is a wording nobody checks: each case above says which
    row words it, and together they reach them all."""
    used = []
    real = validation.wording

    def recording(kind, loc):
        used.append(real(kind, loc))
        return used[-1]

    monkeypatch.setattr(validation, "wording", recording)
    for name, data, _, _ in CASES:
        if name != "too many cards":  # 5,000 cards: resolved again for nothing
            problems_of(data, tmp_path)
    used.append(real("too_long", ("cards",)))
    assert set(validation.WORDING) | {validation.PYDANTIC_WORDING} == set(used)
