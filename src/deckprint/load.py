"""The resolver: a deck file becomes a resolved :class:`~deckprint.deck.Deck`, or
every problem at once.

The file model (model.py) checks each value (validation.py words its errors); this
module checks what needs the whole deck (unique ids, known categories, a source for
every card), the deck's language (countries), the file system (fonts, images inside
the deck's folder) and the font (every character has a glyph), then builds the Deck
(deck.py): texts typeset, colours parsed, the card size in points. All problems are
located at the deck file's line and column and raised together.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Callable

from . import model
from .colors import parse_color, text_color_on
from .countries import resolve_country
from .deck import Card, Category, Deck, Source, Workshop, WorkshopStep
from .deckfile import MAX_FILE_BYTES, Path_, RawDeck, read_deck_file
from .errors import DeckError, Problem, Tally, UserError, excerpt
from .fonts import DEFAULT_FAMILY, FontFamily, font_search_folders, load_family
from .images import ImageFile, open_image
from .labels import LABELS, base_language
from .salvage import INVALID
from .sheets import read_sheet_cards
from .sizes import mm, parse_card_size
from .text import plain, problem
from .validation import validate
from .wording import typography


def load_deck(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Deck:
    raw = read_deck_file(path, max_bytes=max_bytes)
    read_sheet_cards(raw, max_bytes=max_bytes)  # cards: personas.csv (sheets.py)
    parsed, problems = validate(raw)
    if parsed is INVALID:
        raise DeckError(problems)
    return _Resolver(raw, parsed, problems).resolve()


# -- whole-deck checks -----------------------------------------------------------------

def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


def _unprintable(font: FontFamily, text: str, lang: str) -> str | None:
    """Why ``text`` would not print as written with ``font``, or None."""
    rtl = sorted(c for c in set(text) if unicodedata.bidirectional(c) in ("R", "AL"))
    if rtl:
        # ReportLab does no bidi reordering or Arabic shaping: such text would print
        # with its letters in the wrong order. Refused rather than silently wrong.
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in rtl[:4])
        return (f"right-to-left text ({chars}…) is not supported yet: it would print with its "
                "letters in the wrong order")
    missing = font.missing_glyphs(plain(typography(text, lang), lenient=True))
    if missing:
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in sorted(missing)[:8])
        return f"the font {font.family} has no glyph for {chars}: use another font (deck.font) or other characters"
    return None


MAX_LISTED = 10  # names a message lists ("known: …") before "and 20 more"


def _category_hint(key: str, categories: dict) -> str:
    """"Did you mean", or the categories the deck defines: a few of them. (A deck over
    the limit of categories is refused already; no search through thousands.)"""
    if not categories:
        return "; the deck defines no categories"
    if len(categories) <= model.MAX_CATEGORIES:
        near = difflib.get_close_matches(key, list(categories), n=1)
        if near:
            return f' (did you mean "{near[0]}"?)'
    names = list(categories)
    more = f" and {len(names) - MAX_LISTED:,} more" if len(names) > MAX_LISTED else ""
    return f"; known: {', '.join(names[:MAX_LISTED])}{more}"


def valid(*values: object) -> bool:
    return all(v is not INVALID for v in values)


class _Resolver:
    """The whole-deck checks, then the resolved :class:`Deck`.

    The checks also run on a deck file that failed validation, salvaged (INVALID where
    a value failed), so that one run reports every problem; each check passes over the
    values it needs that are INVALID. The Deck is built from a valid deck file only.
    """

    def __init__(self, raw: RawDeck, parsed: model.DeckFile, problems: list[Problem]):
        self.raw = raw
        self.parsed = parsed
        self.problems = problems
        info = parsed.deck
        known = valid(info) and valid(info.language)
        self.lang: str | None = base_language(info.language) if known else None
        self.font: FontFamily | None = None
        self.images: dict[Path_, ImageFile] = {}
        self.card_ids: dict[int, str] = {}
        self.countries: dict[int, tuple[str, str]] = {}
        self.printed_as: dict[Path_, str | None] = {}  # a value printed in another form
        self.unprintable: dict[str, str | None] = {}  # text → why it cannot print, or None
        self.tally = Tally()

    def fail(self, path: Path_, message: str | Callable[[], str], kind: str) -> None:
        """A problem of ``kind``; a message that takes work to say ("did you mean…")
        is a function, called only for a problem that will be shown (errors.Tally)."""
        if self.tally.shown(kind):
            message = message() if callable(message) else message
        else:
            message = ""
        self.problems.append(self.raw.problem(path, message, kind=kind))

    def resolve(self) -> Deck:
        self._check()
        if self.problems:
            raise DeckError(self.problems)
        return self._build()

    # -- checks ------------------------------------------------------------------------

    def _check(self) -> None:
        info = self.parsed.deck
        family = DEFAULT_FAMILY if not valid(info) or info.font is None else info.font
        if valid(family):
            self.font = self._font(family)
        back = info.back if valid(info) else None
        if valid(back) and back is not None and valid(back.image) and back.image:
            self._image(back.image, ("deck", "back", "image"))
        if valid(self.parsed.cards):
            self._check_cards()
        if valid(self.parsed.workshop) and self.parsed.workshop is not None:
            self._check_workshop(self.parsed.workshop)
        for path, text in model.marked_texts(self.parsed):
            wrong = problem(typography(text, self.lang or "en"))
            if wrong:  # marks that do not pair: read here, once, for all outputs
                self.fail(path, wrong, "marks that do not pair")
                self.printed_as[path] = None  # one problem at a time for a text
        if self.font is not None:
            for path, text in model.printed_texts(self.parsed):
                self._glyphs(self.font, path, self.printed_as.get(path, text))

    def _font(self, family: str) -> FontFamily | None:
        try:
            return load_family(family, tuple(font_search_folders(self.raw.path.parent)))
        except UserError as exc:
            self.fail(("deck", "font"), str(exc), "font")
            return None

    def _glyphs(self, font: FontFamily, path: Path_, text: str | None) -> None:
        if not text:
            return
        if text not in self.unprintable:  # texts repeat: conditions, sources
            self.unprintable[text] = _unprintable(font, text, self.lang or "en")
        if self.unprintable[text]:
            self.fail(path, self.unprintable[text], "characters the font lacks")

    def _image(self, relative: str, path: Path_, who: str = "") -> None:
        try:
            self.images[path] = open_image(relative, self.raw.path.parent)
        except ValueError as exc:
            self.fail(path, f"{who}: {exc}" if who else str(exc), "image")

    def _check_cards(self) -> None:
        seen: dict[str, int] = {}
        for i, card in enumerate(self.parsed.cards):
            if not valid(card):
                continue
            at = ("cards", i)
            self._check_id(card, i, seen)
            self._check_category(card.category, at + ("category",))
            self._check_country(card.country, i)
            info = self.parsed.deck
            if card.source is None and valid(info) and info.source is None:
                self.fail(at, "no source URL: give the card a source.url, or the deck a deck.source.url",
                          "no source")
            if valid(card.image) and card.image:
                who = f'card {i + 1} "{excerpt(card.name)}"' if valid(card.name) else f"card {i + 1}"
                self._image(card.image, at + ("image",), who)

    def _check_id(self, card: model.CardEntry, i: int, seen: dict[str, int]) -> None:
        if not valid(card.id) or (card.id is None and not valid(card.name)):
            return
        card_id = card.id or slugify(card.name) or f"card-{i + 1}"
        self.card_ids[i] = card_id
        if card_id in seen:
            where = "id" if card.id else "name"
            self.fail(("cards", i, where), f'duplicate card id "{card_id}" (card {seen[card_id] + 1} '
                                           "has it too): give one of them its own id", "duplicate id")
        seen.setdefault(card_id, i)

    def _check_category(self, key: str | None, path: Path_) -> None:
        categories = self.parsed.categories
        if key is None or not valid(key, categories) or key in categories:
            return
        self.fail(path, lambda: f'unknown category "{excerpt(key)}"{_category_hint(key, categories)}',
                  "unknown category")

    def _check_country(self, value: str, i: int) -> None:
        """The card prints the country's name in the deck's language: that name is
        what the glyph check checks (none when the country is unknown). With no valid
        language, a country no language knows is still reported."""
        path = ("cards", i, "country")
        self.printed_as[path] = None
        if not valid(value):
            return
        problems = []
        for lang in [self.lang] if self.lang else dict.fromkeys(["en", *LABELS]):  # English's hint first
            try:
                resolved = resolve_country(value, lang)
            except ValueError as exc:
                problems.append(exc)  # worded only if shown (countries.UnknownCountry)
                continue
            if self.lang:
                self.countries[i] = resolved
                self.printed_as[path] = resolved[1]
            return
        self.fail(path, lambda: str(problems[0]), "unknown country")

    def _check_workshop(self, section: model.WorkshopEntry) -> None:
        steps = section.steps if valid(section.steps) else None
        if not valid(section.duration) or section.duration is None or steps is None:
            return
        if not all(valid(step) and valid(step.minutes) for step in steps):
            return
        timed = [step.minutes for step in steps if step.minutes is not None]
        if sum(timed) > section.duration:
            self.fail(("workshop", "duration"), f"the steps add up to {sum(timed)} minutes, more than the "
                                                f"session's {section.duration}: shorten a step or lengthen the session",
                      "workshop")

    # -- the resolved deck, from a valid deck file ----------------------------------------

    def _build(self) -> Deck:
        info = self.parsed.deck
        size_label, card_mm = parse_card_size(info.card)
        deck_source = self._source(info.source) if info.source else None
        categories = self._categories()
        return Deck(
            path=self.raw.path, id=info.id, title=self._typeset(info.title),
            subtitle=self._typeset(info.subtitle), language=info.language, lang=self.lang,
            card_size_label=size_label, card_mm=card_mm, card_pt=(mm(card_mm[0]), mm(card_mm[1])),
            source=deck_source,
            credits=self._typeset(info.credits), license=info.license, font=self.font,
            back_text=self._typeset(info.back.text if info.back and info.back.text else info.title),
            back_image=self.images.get(("deck", "back", "image")), categories=tuple(categories.values()),
            cards=tuple(self._card(i, card, categories, deck_source) for i, card in enumerate(self.parsed.cards)),
            raw=self.raw, workshop=self._workshop(),
        )

    def _typeset(self, text: str | None, level: int = 0) -> str | None:
        return typography(text, self.lang, level) if text is not None else None

    def _source(self, source: model.SourceEntry) -> Source:
        return Source(url=source.url, title=self._typeset(source.title),
                      publisher=self._typeset(source.publisher), author=self._typeset(source.author),
                      date=source.date)

    def _categories(self) -> dict[str, Category]:
        out = {}
        for key, category in self.parsed.categories.items():
            color = parse_color(category.color)
            out[key] = Category(key, self._typeset(category.label), color, text_color_on(color))
        return out

    def _card(self, i: int, card: model.CardEntry, categories: dict[str, Category], deck_source: Source | None) -> Card:
        code, country = self.countries[i]
        return Card(
            index=i, id=self.card_ids[i], name=self._typeset(card.name), role=self._typeset(card.role),
            country=country, country_code=code,
            category=categories[card.category] if card.category is not None else None,
            testimony=self._typeset(card.testimony, level=1),  # printed as a quote
            conditions=tuple(self._typeset(c) for c in card.conditions),
            impact=self._typeset(card.impact), source=self._source(card.source) if card.source else deck_source,
            image=self.images.get(("cards", i, "image")),
        )

    def _workshop(self) -> Workshop | None:
        section = self.parsed.workshop
        if section is None:
            return None

        def typeset_all(items: list[str] | None) -> tuple[str, ...] | None:
            return None if items is None else tuple(self._typeset(t) for t in items)

        steps = None if section.steps is None else tuple(
            WorkshopStep(self._typeset(s.title), s.minutes, self._typeset(s.text)) for s in section.steps)
        return Workshop(duration=section.duration, audience=self._typeset(section.audience),
                        goals=typeset_all(section.goals), steps=steps,
                        questions=typeset_all(section.questions))
