"""The resolved deck: what layout, drawing and the targets read.

A deck file is read (deckfile.py), checked value by value against the file model
(model.py: ``DeckFile`` and its ``…Entry`` parts, pydantic) and resolved by load.py
into the frozen dataclasses here: texts typeset for the deck's language, countries
named, colours parsed, each card's source settled, the card size in millimetres and in
points, images opened. Nothing here needs pydantic, and nothing downstream sees the
file model: the two never share a name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .colors import CMYK
from .deckfile import Path_, RawDeck
from .errors import Problem
from .fonts import FontFamily
from .images import ImageFile
from .labels import LABELS


@dataclass(frozen=True)
class Source:
    url: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    color: CMYK
    text_color: CMYK


@dataclass(frozen=True)
class Card:
    """A persona card, resolved: texts typeset, country named, source settled."""

    index: int  # 0-based position in the deck file
    id: str
    name: str
    role: str
    country: str
    country_code: str
    category: Category | None
    testimony: str
    conditions: tuple[str, ...]
    impact: str | None
    source: Source
    image: ImageFile | None

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class WorkshopStep:
    title: str
    minutes: int | None
    text: str


@dataclass(frozen=True)
class Workshop:
    """The deck's ``workshop:`` section, typeset. None marks a key left out: the
    facilitator guide takes that part from its default outline (see layout/guide.py)."""

    duration: int | None  # minutes
    audience: str | None
    goals: tuple[str, ...] | None
    steps: tuple[WorkshopStep, ...] | None
    questions: tuple[str, ...] | None


@dataclass(frozen=True)
class Deck:
    path: Path
    id: str
    title: str
    subtitle: str | None
    language: str  # the tag as written (fr, fr-CA)
    lang: str  # the base language deckprint knows (fr, en)
    card_size_label: str
    card_mm: tuple[float, float]  # trim size, width × height
    card_pt: tuple[float, float]  # the same in points, converted once when the deck is read
    source: Source | None
    credits: str | None
    license: str | None
    font: FontFamily
    back_text: str
    back_image: ImageFile | None
    categories: tuple[Category, ...]
    cards: tuple[Card, ...]
    raw: RawDeck = field(repr=False, compare=False)
    workshop: Workshop | None = None  # None: the guide uses its default outline

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def problem(self, path: Path_, message: str) -> Problem:
        return self.raw.problem(path, message)
