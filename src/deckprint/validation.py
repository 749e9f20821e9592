"""A deck file's values checked against the file model, pydantic's errors said in the
deck author's words.

pydantic names each error by a type (``missing``, ``string_type``…) and words it for a
Python programmer ("Input should be a valid string"). :data:`WORDING` is the table
that says each in deckprint's words, for a deck author: one row per kind of error and,
where it matters, the place. An error no row names keeps pydantic's message, as do
deckprint's own rules (type ``deck``), whose validators in model.py word them already.
load.py goes on from here with the checks that need the whole deck.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import string
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core.core_schema import ErrorType

from . import model
from .deckfile import Path_, RawDeck
from .errors import Problem, Tally, excerpt
from .salvage import salvage


def validate(raw: RawDeck) -> tuple[model.DeckFile, list[Problem]]:
    """The deck file's model and the problems found so far. A file with problems is
    salvaged (see salvage.py): the whole-deck checks still run on what is valid; the
    model is salvage.INVALID when the file is not even a mapping."""
    try:
        parsed = model.DeckFile.model_validate(raw.data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        if not raw.problems:
            return parsed, []
        errors = []
    problems = list(raw.problems)
    tally = Tally()  # 300,000 wrong values are 300,000 errors: only the shown ones are worded
    for error in errors:
        loc = _location(error)
        if not raw.reported(loc):
            problems.append(pydantic_problem(raw, error, tally))
    return salvage(model.DeckFile, raw.data, raw.unreadable), problems


def _location(error: dict) -> Path_:
    """Where in the file: pydantic marks a mapping's key that fails as ``"[key]"`` after
    the key; the problem is the key's, located at it."""
    return tuple(part for part in error["loc"] if part != "[key]")


# -- the wording table -------------------------------------------------------------------

@dataclass(frozen=True)
class Wording:
    """How an error of one of ``types`` reads, at the places ``where`` names: None for
    anywhere, a path for there only, a path that starts with ``...`` for any path that
    ends so. ``template`` is filled from :data:`FIELDS`; ``at`` is where the problem
    points: the value, the unknown key itself, or the mapping that lacks a key;
    ``kind`` names the problem when too many of it are left out (errors.DeckError)."""

    types: tuple[str, ...]
    template: str
    where: tuple | None = None
    at: Literal["value", "key", "owner"] = "value"
    kind: str = ""

    def fits(self, kind: str, loc: Path_) -> bool:
        if kind not in self.types:
            return False
        if self.where is None:
            return True
        if self.where[:1] == (...,):
            tail = self.where[1:]
            return len(loc) >= len(tail) and loc[len(loc) - len(tail):] == tail
        return loc == self.where


_MAPPING = ("model_type", "dict_type", "model_attributes_type")
_DATES = tuple(kind for kind in typing.get_args(ErrorType) if kind.startswith("date"))

WORDING: tuple[Wording, ...] = (  # the first row that fits says it
    Wording(("extra_forbidden",), 'unknown key "{key}"{key_hint}', at="key", kind="unknown key"),
    Wording(("missing",), 'the required key "{key}" is missing', at="owner", kind="missing key"),
    Wording(("literal_error",), "unsupported format version {input}: this deckprint reads format 1 "
                                "(write `deckprint: 1`)", where=("deckprint",)),
    # The whole file: no excerpt of it (a link to a file of secrets reads as one text).
    Wording(_MAPPING, "the deck file must be a mapping of keys to values, not {what}", where=()),
    Wording(_MAPPING, "this must be a mapping of keys to values, not {value}", kind="not a mapping"),
    Wording(("string_type",), "must be text, not {value}{quote_hint}", kind="not text"),
    Wording(("list_type",), "must be a list (lines starting with '- '), not {value}", kind="not a list"),
    Wording(("too_short",), "a deck needs at least one card", where=("cards",)),
    Wording(("too_long",), f"a deck holds at most {model.MAX_CARDS:,} cards", where=("cards",)),
    Wording(("too_long",), f"a deck holds at most {model.MAX_CATEGORIES:,} categories", where=("categories",)),
    Wording(("string_too_long",), "is longer than {max_length} characters", kind="text too long"),
    Wording(("string_pattern_mismatch",), "a font family name is letters, digits, spaces and hyphens",
            where=(..., "font")),
    Wording(_DATES, "must be a date like 2025-02-11, not {value}", kind="not a date"),
)
PYDANTIC_WORDING = Wording((), "{msg}")  # no row fits: pydantic's message, deckprint's own for type "deck"

# How a value the deck gave is named in a message: the first row it is an instance of.
_DESCRIBED: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true/false"),  # before int: a bool is an int
    ((int, float), "the number {}"),
    (dt.date, "the date {}"),
    (list, "a list"),
    (dict, "a mapping"),
    (type(None), "nothing"),
)
_QUOTABLE = (int, float, bool, dt.date)  # what YAML reads as other than text unless quoted


def _describe(value: Any) -> str:
    return next((words.format(value) for kinds, words in _DESCRIBED if isinstance(value, kinds)), _quoted(value))


def _quoted(value: Any) -> str:
    """A value as Python would show it, but an excerpt (errors.excerpt)."""
    return f"'{excerpt(value)}'" if isinstance(value, str) else excerpt(value)


def _what(value: Any) -> str:
    """A value named by its kind alone: text is not quoted."""
    return f"text ({len(value):,} characters)" if isinstance(value, str) else _describe(value)


def _key_hint(loc: Path_) -> str:
    """The key an unknown key was likely meant to be, or the keys its mapping knows."""
    owner = _model_at(loc[:-1])
    known = list(owner.model_fields) if owner else []
    near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    return f' (did you mean "{near[0]}"?)' if near else (f"; known keys: {', '.join(known)}" if known else "")


FIELDS: dict[str, Callable[[Path_, dict], Any]] = {  # what a template may name
    "key": lambda loc, error: excerpt(loc[-1]),
    "key_hint": lambda loc, error: _key_hint(loc),
    "input": lambda loc, error: _quoted(error.get("input")),
    "value": lambda loc, error: _describe(error.get("input")),
    "what": lambda loc, error: _what(error.get("input")),
    "max_length": lambda loc, error: f"{error.get('ctx', {}).get('max_length', model.MAX_TEXT_LENGTH):,}",
    "quote_hint": lambda loc, error: " (put it in quotes)" if isinstance(error.get("input"), _QUOTABLE) else "",
    "msg": lambda loc, error: error["msg"],
}


@functools.cache
def _names(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def wording(kind: str, loc: Path_) -> Wording:
    return next((row for row in WORDING if row.fits(kind, loc)), PYDANTIC_WORDING)


def pydantic_problem(raw: RawDeck, error: dict, tally: Tally | None = None) -> Problem:
    """One pydantic error as a located problem, worded by the table (when ``tally``
    says it will be shown)."""
    loc = _location(error)
    row = wording(error["type"], loc)
    kind = row.kind or error["type"].replace("_", " ")
    message = ""
    if tally is None or tally.shown(kind):
        message = row.template.format(**{name: FIELDS[name](loc, error) for name in _names(row.template)})
    if row.at == "owner":
        return raw.problem(loc[:-1], message, kind=kind)
    return raw.problem(loc, message, at_key=row.at == "key", kind=kind)


# -- "did you mean": the model that holds a mapping ---------------------------------------

def _model_at(loc: tuple) -> type | None:
    """The pydantic model that holds the mapping at ``loc``."""
    current: Any = model.DeckFile
    fields = None
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        if fields is not None and part not in fields:  # a dict key (category id)
            continue
        if not hasattr(current, "model_fields") or part not in current.model_fields:
            return None
        annotation = current.model_fields[part].annotation
        current, fields = _inner_model(annotation)
    return current


def _inner_model(annotation: Any) -> tuple[Any, Any]:
    args = [annotation]
    while args:
        candidate = args.pop()
        if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
            return candidate, candidate.model_fields
        origin = typing.get_origin(candidate)
        if origin is dict:
            value_model, _ = _inner_model(typing.get_args(candidate)[1])
            return value_model, {}
        args.extend(typing.get_args(candidate))
    return None, None
