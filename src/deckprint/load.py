"""read → validate: a deck file becomes a resolved :class:`Deck`, or every problem at once.

The pydantic models check each value; this module checks what needs the whole deck
(unique ids, known categories, a source for every card), the deck's language
(countries), the file system (fonts, images inside the deck's folder) and the font
(every character has a glyph). All problems are located at the deck file's line and
column and raised together.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import ValidationError

from . import model
from .colors import CMYK, parse_color, text_color_on
from .countries import resolve_country
from .deckfile import MAX_FILE_BYTES, Path_, RawDeck, read_deck_file
from .errors import DeckError, Problem, UserError
from .fonts import DEFAULT_FAMILY, FontFamily, font_search_folders, load_family
from .images import ImageFile, open_image
from .labels import LABELS, base_language
from .sizes import parse_card_size
from .text import plain, problem, typography


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
    card_mm: tuple[float, float]
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


def _source_texts(at: Path_, source: Source | None) -> Iterator[tuple[Path_, str | None]]:
    if source:
        yield from ((at + (key,), getattr(source, key)) for key in ("title", "publisher", "author"))


def load_deck(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Deck:
    raw = read_deck_file(path, max_bytes=max_bytes)
    try:
        parsed = model.DeckFile.model_validate(raw.data)
    except ValidationError as exc:
        raise DeckError(_pydantic_problem(raw, error) for error in exc.errors()) from None
    return _Resolver(raw, parsed).resolve()


# -- pydantic errors, in the deck author's words ---------------------------------------

def _model_at(loc: tuple) -> type | None:
    """The pydantic model that holds the mapping at ``loc`` (for "did you mean")."""
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
    import typing

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


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return repr(value)


def _pydantic_problem(raw: RawDeck, error: dict) -> Problem:
    loc = tuple(p for p in error["loc"] if p != "[key]")
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        owner = _model_at(loc[:-1])
        known = list(owner.model_fields) if owner else []
        near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f' (did you mean "{near[0]}"?)' if near else (f"; known keys: {', '.join(known)}" if known else "")
        return raw.problem(loc, f'unknown key "{key}"{hint}', at_key=True)
    if kind == "missing":
        return raw.problem(loc[:-1], f'the required key "{loc[-1]}" is missing')
    if kind == "literal_error" and loc == ("deckprint",):
        return raw.problem(loc, f"unsupported format version {value!r}: this deckprint reads "
                                "format 1 (write `deckprint: 1`)")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        what = "the deck file" if not loc else "this"
        return raw.problem(loc, f"{what} must be a mapping of keys to values, not {_describe(value)}")
    if kind == "string_type":
        hint = " (put it in quotes)" if isinstance(value, (int, float, bool, dt.date)) else ""
        return raw.problem(loc, f"must be text, not {_describe(value)}{hint}")
    if kind == "list_type":
        return raw.problem(loc, f"must be a list (lines starting with '- '), not {_describe(value)}")
    if kind == "too_short" and loc == ("cards",):
        return raw.problem(loc, "a deck needs at least one card")
    if kind == "too_long" and loc == ("cards",):
        return raw.problem(loc, f"a deck holds at most {model.MAX_CARDS:,} cards")
    if kind == "string_too_long":
        return raw.problem(loc, f"is longer than {model.MAX_TEXT_LENGTH:,} characters")
    if kind == "string_pattern_mismatch" and loc[-1] == "font":
        return raw.problem(loc, "a font family name is letters, digits, spaces and hyphens")
    if kind.startswith("date"):
        return raw.problem(loc, f"must be a date like 2025-02-11, not {_describe(value)}")
    if kind == "deck":
        return raw.problem(loc, error["msg"])
    return raw.problem(loc, error["msg"])


# -- whole-deck checks -----------------------------------------------------------------

def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


class _Resolver:
    def __init__(self, raw: RawDeck, parsed: model.DeckFile):
        self.raw = raw
        self.parsed = parsed
        self.problems: list[Problem] = []
        self.lang = base_language(parsed.deck.language) or "en"

    def fail(self, path: Path_, message: str) -> None:
        self.problems.append(self.raw.problem(path, message))

    def resolve(self) -> Deck:
        info = self.parsed.deck
        size_label, card_mm = parse_card_size(info.card)
        font = self._font(info.font or DEFAULT_FAMILY)
        deck_source = self._source(info.source) if info.source else None
        categories = self._categories()
        cards = self._cards(categories, deck_source, font)
        back_image = self._image(info.back.image, ("deck", "back", "image")) if info.back and info.back.image else None
        deck_texts = {("deck", "title"): info.title, ("deck", "subtitle"): info.subtitle,
                      ("deck", "credits"): info.credits, ("deck", "license"): info.license,
                      ("deck", "back", "text"): info.back.text if info.back else None}
        deck = Deck(
            path=self.raw.path, id=info.id, title=self._typeset(info.title),
            subtitle=self._typeset(info.subtitle), language=info.language, lang=self.lang,
            card_size_label=size_label, card_mm=card_mm, source=deck_source,
            credits=self._typeset(info.credits), license=info.license, font=font,
            back_text=self._typeset(info.back.text if info.back and info.back.text else info.title),
            back_image=back_image, categories=tuple(categories.values()), cards=tuple(cards),
            raw=self.raw, workshop=self._workshop(font),
        )
        if font is not None:
            for path, text in deck_texts.items():
                self._glyphs(font, path, text)
            for category_id, category in categories.items():
                self._glyphs(font, ("categories", category_id, "label"), category.label)
        for path, text in self._printed(deck):
            wrong = problem(text) if text else None
            if wrong:
                self.fail(path, wrong)
        if self.problems:
            raise DeckError(self.problems)
        return deck

    def _typeset(self, text: str | None, level: int = 0) -> str | None:
        return typography(text, self.lang, level) if text is not None else None

    def _printed(self, deck: Deck) -> Iterator[tuple[Path_, str | None]]:
        """Every text of the deck file that is printed, as printed (typeset), with its
        place in the file: their marks are read here, once, for all outputs."""
        info = self.parsed.deck
        yield from ((("deck", key), getattr(deck, key)) for key in ("title", "subtitle", "credits", "license"))
        if info.back and info.back.text:
            yield ("deck", "back", "text"), deck.back_text
        yield from _source_texts(("deck", "source"), deck.source)
        yield from ((("categories", c.id, "label"), c.label) for c in deck.categories)
        for i, card in enumerate(deck.cards):
            at = ("cards", i)
            yield from ((at + (key,), getattr(card, key)) for key in ("name", "role", "testimony", "impact"))
            yield from ((at + ("conditions", j), text) for j, text in enumerate(card.conditions))
            if self.parsed.cards[i].source:
                yield from _source_texts(at + ("source",), card.source)
        workshop, at = deck.workshop, ("workshop",)
        if workshop:
            yield at + ("audience",), workshop.audience
            for key in ("goals", "questions"):
                yield from ((at + (key, j), text) for j, text in enumerate(getattr(workshop, key) or ()))
            for j, step in enumerate(workshop.steps or ()):
                yield from ((at + ("steps", j, key), getattr(step, key)) for key in ("title", "text"))

    def _font(self, family: str) -> FontFamily | None:
        try:
            return load_family(family, tuple(font_search_folders(self.raw.path.parent)))
        except UserError as exc:
            self.fail(("deck", "font"), str(exc))
            return None

    def _glyphs(self, font: FontFamily, path: Path_, text: str | None) -> None:
        if not text:
            return
        rtl = sorted(c for c in set(text) if unicodedata.bidirectional(c) in ("R", "AL"))
        if rtl:
            # ReportLab does no bidi reordering or Arabic shaping: such text would print
            # with its letters in the wrong order. Refused rather than silently wrong.
            chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in rtl[:4])
            self.fail(path, f"right-to-left text ({chars}…) is not supported yet: it would print "
                            "with its letters in the wrong order")
            return
        missing = font.missing_glyphs(plain(typography(text, self.lang), lenient=True))
        if missing:
            chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in sorted(missing)[:8])
            self.fail(path, f"the font {font.family} has no glyph for {chars}: "
                            "use another font (deck.font) or other characters")

    def _source(self, source: model.Source) -> Source:
        return Source(url=source.url, title=self._typeset(source.title),
                      publisher=self._typeset(source.publisher), author=self._typeset(source.author),
                      date=source.date)

    def _image(self, relative: str, path: Path_, who: str = "") -> ImageFile | None:
        try:
            return open_image(relative, self.raw.path.parent)
        except ValueError as exc:
            self.fail(path, f"{who}: {exc}" if who else str(exc))
            return None

    def _workshop(self, font: FontFamily | None) -> Workshop | None:
        section = self.parsed.workshop
        if section is None:
            return None
        at = ("workshop",)
        texts: list[tuple[Path_, str | None]] = [(at + ("audience",), section.audience)]
        for key in ("goals", "questions"):
            texts += [(at + (key, j), t) for j, t in enumerate(getattr(section, key) or ())]
        for j, step in enumerate(section.steps or ()):
            texts += [(at + ("steps", j, "title"), step.title), (at + ("steps", j, "text"), step.text)]
        if font is not None:
            for path, text in texts:
                self._glyphs(font, path, text)
        timed = [step.minutes for step in section.steps or () if step.minutes is not None]
        if section.duration is not None and sum(timed) > section.duration:
            self.fail(at + ("duration",), f"the steps add up to {sum(timed)} minutes, more than the "
                                          f"session's {section.duration}: shorten a step or lengthen the session")

        def typeset_all(items: list[str] | None) -> tuple[str, ...] | None:
            return None if items is None else tuple(self._typeset(t) for t in items)

        steps = None if section.steps is None else tuple(
            WorkshopStep(self._typeset(s.title), s.minutes, self._typeset(s.text)) for s in section.steps)
        return Workshop(duration=section.duration, audience=self._typeset(section.audience),
                        goals=typeset_all(section.goals), steps=steps,
                        questions=typeset_all(section.questions))

    def _categories(self) -> dict[str, Category]:
        out = {}
        for key, category in self.parsed.categories.items():
            color = parse_color(category.color)
            out[key] = Category(key, self._typeset(category.label), color, text_color_on(color))
        return out

    def _cards(self, categories: dict[str, Category], deck_source: Source | None,
               font: FontFamily | None) -> list[Card]:
        cards: list[Card] = []
        seen: dict[str, int] = {}
        for i, card in enumerate(self.parsed.cards):
            at = ("cards", i)
            card_id = card.id or slugify(card.name) or f"card-{i + 1}"
            if card_id in seen:
                where = "id" if card.id else "name"
                self.fail(at + (where,), f'duplicate card id "{card_id}" (card {seen[card_id] + 1} '
                                         "has it too): give one of them its own id")
            seen.setdefault(card_id, i)
            category = None
            if card.category is not None:
                category = categories.get(card.category)
                if category is None:
                    near = difflib.get_close_matches(card.category, list(categories), n=1)
                    hint = f' (did you mean "{near[0]}"?)' if near else (
                        f"; known: {', '.join(categories)}" if categories else "; the deck defines no categories")
                    self.fail(at + ("category",), f'unknown category "{card.category}"{hint}')
            try:
                code, country = resolve_country(card.country, self.lang)
            except ValueError as exc:
                self.fail(at + ("country",), str(exc))
                code, country = "", card.country
            source = self._source(card.source) if card.source else deck_source
            if source is None:
                self.fail(at, "no source URL: give the card a source.url, or the deck a deck.source.url")
            image = self._image(card.image, at + ("image",), f'card {i + 1} "{card.name}"') if card.image else None
            if font is not None:
                texts = [("name", card.name), ("role", card.role), ("testimony", card.testimony),
                         ("impact", card.impact), ("country", country)]
                texts += [(("conditions", j), c) for j, c in enumerate(card.conditions)]
                for key, text in texts:
                    self._glyphs(font, at + (key if isinstance(key, tuple) else (key,)), text)
            cards.append(Card(
                index=i, id=card_id, name=self._typeset(card.name), role=self._typeset(card.role),
                country=country, country_code=code, category=category,
                testimony=self._typeset(card.testimony, level=1),  # printed as a quote
                conditions=tuple(self._typeset(c) for c in card.conditions),
                impact=self._typeset(card.impact), source=source or Source(url=""), image=image,
            ))
        return cards
