"""Every string that reaches a page passes the glyph check (issue 12, point 3): a
character the font lacks is a located problem, never a character silently dropped.

The printed fields come from walking the deck format's models, not from a hand list:
a field added to the format is printed, so checked, unless it is marked NOT_PRINTED.
tests/good_decks/full.yaml must give every printed field a value (a test says which
one it lacks), and a character the font lacks is put into each in turn. The walk here
is on the model classes, apart from model.printed_texts (which walks a deck's values).
"""

from __future__ import annotations

import copy
import shutil
import types
import typing
from pathlib import Path
from typing import Annotated

import pytest
import yaml
from pydantic import BaseModel

from conftest import ROOT, normalise, page_texts, run
from deckprint import model
from deckprint.deckfile import format_path
from deckprint.errors import DeckError
from deckprint.load import load_deck

GOOD = ROOT / "tests" / "good_decks"
FULL = GOOD / "full.yaml"
GLYPH = "\u2603"  # ☃: not in Noto Sans, the default font


def printed_patterns() -> set[tuple]:
    """Every string field of the format not marked NOT_PRINTED, as a path with "*"
    for a list item or a mapping's value."""
    found: set[tuple] = set()

    def walk(kind, path: tuple, marked: bool) -> None:
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if origin is Annotated:
            walk(args[0], path, marked or any(isinstance(m, model.NotPrinted) for m in args[1:]))
        elif origin in (typing.Union, types.UnionType):
            for arg in args:
                walk(arg, path, marked)
        elif origin in (list, dict):
            walk(args[-1], path + ("*",), marked)
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            for name, info in kind.model_fields.items():
                annotated = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
                walk(annotated, path + (name,), marked)
        elif kind is str and not marked:
            found.add(path)

    walk(model.DeckFile, (), False)
    return found


def leaves(data, pattern: tuple, at: tuple = ()) -> list[tuple]:
    """The paths in ``data`` that ``pattern`` names."""
    if not pattern:
        return [at]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        keys = range(len(data)) if isinstance(data, list) else list(data) if isinstance(data, dict) else []
    else:
        keys = [head] if isinstance(data, dict) and head in data else []
    return [leaf for key in keys for leaf in leaves(data[key], rest, at + (key,))]


def full_data() -> dict:
    return yaml.safe_load(FULL.read_text(encoding="utf-8"))


def printed_leaves() -> list[tuple]:
    data = full_data()
    return sorted((leaf for pattern in printed_patterns() for leaf in leaves(data, pattern)), key=str)


def get(data, path: tuple):
    for key in path:
        data = data[key]
    return data


def position(text: str, path: tuple) -> tuple[int, int]:
    """Line and column of the value at ``path``, by PyYAML's own node tree."""
    node = yaml.compose(text)
    for key in path:
        if isinstance(key, int):
            node = node.value[key]
        else:
            node = next(v for k, v in node.value if k.value == key)
    return node.start_mark.line + 1, node.start_mark.column + 1


def test_the_full_deck_gives_every_printed_field_a_value() -> None:
    data = full_data()
    patterns = printed_patterns()
    for pattern in patterns:
        values = [get(data, leaf) for leaf in leaves(data, pattern)]
        assert values and all(isinstance(v, str) for v in values), f"full.yaml gives {pattern} no text"
    # the walk sees what the issue found unchecked, and passes over what is not printed
    assert {("deck", "source", "publisher"), ("cards", "*", "source", "author"),
            ("workshop", "steps", "*", "text"), ("categories", "*", "label")} <= patterns
    assert not {("cards", "*", "id"), ("cards", "*", "image"), ("deck", "font")} & patterns


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A copy of tests/good_decks, for decks that use its images."""
    target = tmp_path_factory.mktemp("glyphs") / "decks"
    shutil.copytree(GOOD, target)
    return target


@pytest.mark.parametrize("path", printed_leaves(), ids=format_path)
def test_a_missing_glyph_in_any_printed_field_is_a_located_problem(folder: Path, path: tuple) -> None:
    data = copy.deepcopy(full_data())
    parent = get(data, path[:-1])
    parent[path[-1]] += f" {GLYPH}"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    deck = folder / "glyph.yaml"
    deck.write_text(text, encoding="utf-8")
    with pytest.raises(DeckError) as failure:
        load_deck(deck)
    (problem,) = failure.value.problems
    assert (problem.path, problem.line, problem.column) == (format_path(path), *position(text, path))
    if path[-1] not in ("country", "url", "id"):  # refused before any glyph is looked for:
        assert "U+2603" in problem.message  # an unknown country, a URL with a space, a bad slug


def test_a_country_is_checked_as_printed_in_the_decks_language(folder: Path, monkeypatch) -> None:
    """"CI" prints as "Côte d’Ivoire": a font without "ô" fails on the name, not the code."""
    from deckprint.fonts import FontFamily

    real = FontFamily.missing_glyphs
    monkeypatch.setattr(FontFamily, "missing_glyphs", lambda self, text: real(self, text) | ({"ô"} & set(text)))
    with pytest.raises(DeckError) as failure:
        load_deck(folder / "full.yaml")
    (problem,) = failure.value.problems
    assert problem.path == "cards[0].country" and "U+00F4" in problem.message


def test_fields_marked_not_printed_are_not_printed_and_the_others_are(tmp_path: Path) -> None:
    """The marks the glyph check trusts are true: build every output of the full deck
    and look for each value in the text of its pages."""
    result = run("build", str(FULL), "--out", str(tmp_path), "--target", "pnp", "--target", "print",
                 "--target", "posters", "--target", "guide", "--no-check")  # its 8-pixel images
    assert result.exit_code == 0, result.output
    printed = " ".join(normalise(t) for pdf in sorted(tmp_path.rglob("*.pdf")) for t in page_texts(pdf)).casefold()
    data = full_data()
    shown = {get(data, leaf) for leaf in printed_leaves()}
    for value in (shown - {"CI"}) | {"Côte d’Ivoire"}:  # the country prints by its name
        assert normalise(value).casefold() in printed, f"{value!r} is marked printed but is not"

    def strings(node, at=()):
        if isinstance(node, dict):
            for key, item in node.items():
                yield from strings(item, at + (key,))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from strings(item, at + (i,))
        elif isinstance(node, str):
            yield at, node

    hidden = {value for at, value in strings(data) if value.startswith(("zqx-", "#"))} - shown
    assert len(hidden) >= 5
    for value in hidden:
        assert value.casefold() not in printed, f"{value!r} is marked NOT_PRINTED but is printed"
