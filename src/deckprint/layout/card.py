"""Card geometry: where everything on a card goes, in points. No drawing here.

Coordinates are the card's trim box, origin bottom-left, y up; the drawing code adds
the bleed offset. A laid-out card holds the wrapped paragraphs (ReportLab flowables,
measured but not drawn) and the boxes around them, so a test can check the numbers
without making a PDF, and the same layout can be drawn into several outputs.

Every glyph's ink stays in the safe zone, not only the text's advance boxes: a "J"
that hangs left of its origin moves in (see ``ink.py``).

Sizes scale with the card: ``u`` is the card's short side over a tarot card's (70 mm),
so a poker card gets 0.9 of the tarot sizes and an A6 card 1.5 — but body text never
goes below the 6.5 pt floor, and when it would have to, the card fails with a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import urlsplit

from reportlab.lib.colors import CMYKColor
from reportlab.platypus import Flowable

from ..colors import BLACK as BLACK_CMYK
from ..colors import CMYK, WHITE as WHITE_CMYK
from ..errors import DeckError, Problem
from ..deck import Card, Deck, Source
from ..qr import QRMatrix, qr_matrix, side_in_modules
from ..sizes import BLEED_MM, SAFE_MM, larger_presets, mm, to_mm
from ..text import Fitted, TextDoesNotFit, TextStyle, fit, paragraph, plain, to_markup
from ..wording import quoted
from .ink import Inside, drop, fit_lines_inside, rise, wrapped_inside

BODY_FLOOR = 6.5  # pt: the smallest body text a card may have
SMALL_FLOOR = 6.0  # pt: labels, footer
MIN_MODULE_MM = 0.4
QR_MODULE_MM = 0.42  # what we aim for: a little above the minimum
NEUTRAL = CMYK(0.45, 0.25, 0.1, 0.85)  # band colour for cards without a category


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def contains(self, other: "Box", tolerance: float = 0.01) -> bool:
        return (other.x >= self.x - tolerance and other.y >= self.y - tolerance
                and other.right <= self.right + tolerance and other.top <= self.top + tolerance)


@dataclass(frozen=True)
class PlacedText:
    """A wrapped flowable and where its bottom-left corner goes."""

    field: str
    flowable: Flowable
    box: Box


@dataclass(frozen=True)
class CardFront:
    card: Card
    width: float
    height: float
    safe: Box
    band: Box  # reaches past the trim into the bleed on three sides
    band_color: CMYK
    accent: CMYK  # headings and the quote rule, on white
    image: Box | None
    quote_rule: Box
    texts: tuple[PlacedText, ...]
    body_size: float
    qr: QRMatrix
    qr_box: Box
    url: str

    def text(self, field: str) -> list[PlacedText]:
        return [t for t in self.texts if t.field == field]


def cmyk_color(color: CMYK) -> CMYKColor:
    return CMYKColor(color.c, color.m, color.y, color.k)


def unit(deck: Deck) -> float:
    w, h = deck.card_mm
    return min(w, h) / 70.0


def qr_side(deck: Deck, url: str) -> float:
    """The QR square (with its quiet zone) for a URL: modules of 0.42 mm, or larger on
    a big card; ValueError when the code would not fit the card at 0.4 mm."""
    w_mm, h_mm = deck.card_mm
    matrix = qr_matrix(url)
    modules = side_in_modules(matrix)
    wanted = max(modules * QR_MODULE_MM, 0.3 * min(w_mm, h_mm))
    limit = min(0.45 * w_mm, 0.3 * h_mm)
    side = min(wanted, limit)
    if side / modules < MIN_MODULE_MM:
        raise ValueError(
            f"the URL is too long for a QR code on a {deck.card_size_label} card: its "
            f"{matrix.size}×{matrix.size} modules would be {side / modules:.2f} mm wide, under "
            f"the {MIN_MODULE_MM} mm print minimum (shorten the URL or use a larger card)")
    return mm(side)


def source_path(deck: Deck, card: Card, key: str) -> tuple:
    """Where a card's source ``key`` (url, publisher) is written: in the card's own
    source, or in the deck's, which the card shares."""
    own = ("cards", card.index, "source", key)
    return own if own in deck.raw.values else ("deck", "source", key)


def source_name(source: Source, deck: Deck) -> str:
    """What a card prints under its "Source" label: the publisher, or else the host the
    QR code leads to, without "www." (an internationalised host as its reader writes
    it, when the deck's font can draw it)."""
    if source.publisher:
        return source.publisher
    host = (urlsplit(source.url).hostname or "").removeprefix("www.")
    try:
        readable = host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
    return host if deck.font.missing_glyphs(readable) else readable


def check_qr_codes(deck: Deck) -> list[Problem]:
    """One problem per URL that cannot make a printable QR code, at the place it is
    written (a card's source, or the deck's, shared by many cards)."""
    problems = {}
    for card in deck.cards:
        path = source_path(deck, card, "url")
        if path in problems:
            continue
        try:
            qr_side(deck, card.source.url)
        except ValueError as exc:
            who = f'card {card.number} "{card.name}"' if path[0] == "cards" else "the deck's source"
            problems[path] = deck.problem(path, f"{who}: {exc}")
    return list(problems.values())


def footer_problems(deck: Deck, card: Card, title_lines: int, source_lines: int) -> list[Problem]:
    """The footer beside the QR code (source, deck title, card number) is too tall: a
    problem at the deck title when it wraps, and at the source's publisher (or URL,
    whose host is printed) when that wraps; at the title when neither does. Worded
    without the card, so that a title or a source many cards share is said once."""
    where = f"in the card footer beside the QR code on a {deck.card_size_label} card"
    problems = []
    if source_lines > 1:
        key = "publisher" if card.source.publisher else "url"
        what = f'the publisher "{card.source.publisher}"' if card.source.publisher else \
            f'the URL\'s host "{source_name(card.source, deck)}"'
        problems.append(deck.problem(source_path(deck, card, key),
                                     f"{what}, set in {source_lines} lines {where}, leaves no room there "
                                     "for the deck title: shorten it"))
    if title_lines > 1 or not problems:
        problems.append(deck.problem(("deck", "title"),
                                     f"the deck title, set in {title_lines} line(s) {where}, leaves no room "
                                     "there for the source: shorten it"))
    return problems


class Fronts(Sequence[CardFront]):
    """Every card's front, laid out when it is read and not kept: a 5,000-card deck's
    layouts take 160 MB, and an output reads each front once, in order. Each process
    that draws lays out the fronts it draws (in parallel, instead of one process laying
    them all out first).

    Build it with :meth:`checked`. A card that does not fit raises the DeckError of
    :func:`layout_deck`, naming every card that does not fit.
    """

    def __init__(self, deck: Deck, bleed_mm: float):
        self.deck = deck
        self.bleed_mm = bleed_mm

    @classmethod
    def checked(cls, deck: Deck, bleed_mm: float = BLEED_MM) -> Fronts:
        """The fronts, once every card's QR code is known to print (a DeckError if not)."""
        problems = check_qr_codes(deck)
        if problems:
            raise DeckError(problems)
        return cls(deck, bleed_mm)

    def __len__(self) -> int:
        return len(self.deck.cards)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        card = self.deck.cards[index]
        try:
            return layout_front(self.deck, card, self.bleed_mm)
        except _Overflow:
            layout_deck(self.deck, self.bleed_mm)  # raises, with every card that does not fit
            raise


def layout_deck(deck: Deck, bleed_mm: float = BLEED_MM,
                progress: Callable[[], None] | None = None) -> list[CardFront]:
    """Lay out every card; one DeckError with every card that does not fit.
    ``progress`` is called after each card (a progress bar)."""
    problems = check_qr_codes(deck)
    fronts = []
    if not problems:
        for card in deck.cards:
            try:
                fronts.append(layout_front(deck, card, bleed_mm))
            except _Overflow as overflow:
                problems += overflow.problems
            if progress is not None:
                progress()
    if problems:
        raise DeckError(dict.fromkeys(problems))  # a category's problem is every card's
    return fronts


class _Overflow(Exception):
    def __init__(self, problem: Problem | list[Problem]):
        self.problems = problem if isinstance(problem, list) else [problem]


@lru_cache(maxsize=64)
def _styles(font_regular: str, font_bold: str, lang: str, u: float):
    """Text styles by role, for one font family, language and card scale."""
    def style(size: float, bold: bool = False, **kw) -> TextStyle:
        return TextStyle(font=font_bold if bold else font_regular, size=round(size * 4) / 4,
                         language=lang, **kw)
    return style


def layout_front(deck: Deck, card: Card, bleed_mm: float = BLEED_MM) -> CardFront:
    w, h = mm(deck.card_mm[0]), mm(deck.card_mm[1])
    bleed, safe_m = mm(bleed_mm), mm(SAFE_MM)
    u = unit(deck)
    safe = Box(safe_m, safe_m, w - 2 * safe_m, h - 2 * safe_m)
    font = deck.font
    style = _styles(font.regular, font.bold, deck.lang, u)
    category = card.category
    band_color = category.color if category else NEUTRAL
    on_band = cmyk_color(category.text_color if category else WHITE_CMYK)
    accent = category.color if category else BLACK_CMYK
    texts: list[PlacedText] = []

    def fail(field: str, message: str) -> _Overflow:
        path = ("cards", card.index, field)
        return _Overflow(deck.problem(path, f'card {card.number} "{card.name}": {message}'))

    # -- header, on the band: category label, name, role, country ----------------------
    image_side = mm(24 * u) if card.image else 0.0
    gap = mm(2.5 * u)
    text_w = safe.w - (image_side + gap if card.image else 0)
    y = safe.top
    if category:
        label = category.label.upper()
        try:
            _, flow, fh = fit_lines_inside(to_markup(label), plain(label),
                                           lambda size: style(size, bold=True, color=on_band, hyphenate=False),
                                           text_w, 2, largest=max(6.5 * u, SMALL_FLOOR), smallest=SMALL_FLOOR)
        except TextDoesNotFit:
            raise _Overflow(deck.problem(("categories", category.id, "label"),
                                         f"the label does not fit in 2 lines at {SMALL_FLOOR:g} pt on a "
                                         f"{deck.card_size_label} card: shorten it")) from None
        y -= rise(flow) + fh  # an accent above a capital stays in the safe zone too
        texts.append(PlacedText("category", flow, Box(safe.x, y, text_w, fh)))
        y -= mm(1.2 * u)

    def header_block(field: str, text: str, largest: float, smallest: float, lines: int,
                     bold: bool = False) -> None:
        nonlocal y
        try:
            _, flow, fh = fit_lines_inside(to_markup(text), plain(text),
                                           lambda size: style(size, bold=bold, color=on_band, leading_ratio=1.12,
                                                              hyphenate=False),
                                           text_w, lines, largest=largest, smallest=smallest)
        except TextDoesNotFit:
            raise fail(field, f"the {field} does not fit in {lines} line(s) at {smallest:g} pt "
                              f"on a {deck.card_size_label} card: shorten it") from None
        y -= fh + (rise(flow) if not texts else 0.0)
        texts.append(PlacedText(field, flow, Box(safe.x, y, text_w, fh)))

    header_block("name", card.name, 20 * u, max(10 * u, 8), 2, bold=True)
    y -= mm(0.6 * u)
    header_block("role", card.role, 9.5 * u, max(7 * u, SMALL_FLOOR), 3)
    y -= mm(0.6 * u)
    header_block("country", card.country, 8 * u, max(6.5 * u, SMALL_FLOOR), 2)
    image_box = None
    if card.image:
        image_box = Box(safe.right - image_side, safe.top - image_side, image_side, image_side)
        y = min(y, image_box.y)
    band_bottom = y - mm(2.5 * u)
    band = Box(-bleed, band_bottom, w + 2 * bleed, h + bleed - band_bottom)

    # -- footer: QR code, source label, card number and deck title ---------------------
    side = qr_side(deck, card.source.url)
    qr_box = Box(safe.x, safe.y, side, side)
    col_x = qr_box.right + mm(2.5 * u)
    col_w = safe.right - col_x
    small_bold = style(max(6.5 * u, SMALL_FLOOR), bold=True)
    footer_top = qr_box.top
    for field, markup, st in (("source_heading", to_markup(deck.labels["source"]),
                               style(max(6 * u, SMALL_FLOOR), color=cmyk_color(accent))),
                              ("source", to_markup(source_name(card.source, deck)), small_bold)):
        flow, fh = wrapped_inside(markup, st, col_w, left=False)  # beside the QR code
        footer_top -= fh
        texts.append(PlacedText(field, flow, Box(col_x, footer_top, col_w, fh)))
    source_lines = len(flow.blPara.lines)  # the publisher's or host's (the heading is one word)
    number = Inside(paragraph(deck.labels["card_of"].format(n=card.number, total=len(deck.cards)),
                              style(max(8 * u, SMALL_FLOOR), bold=True, align=2)), left=False)
    _, nh = number.wrap(col_w, 1e6)
    bottom = safe.y + drop(number)  # a descender of the label stays in the safe zone
    texts.append(PlacedText("number", number, Box(col_x, bottom, col_w, nh)))
    title, th = wrapped_inside(to_markup(deck.title), style(max(6 * u, SMALL_FLOOR), align=2), col_w, left=False)
    texts.append(PlacedText("deck_title", title, Box(col_x, bottom + nh, col_w, th)))
    if bottom + nh + th > footer_top:
        raise _Overflow(footer_problems(deck, card, len(title.blPara.lines), source_lines))

    # -- body: testimony as a quote, conditions, impact --------------------------------
    body_top = band_bottom - mm(2.8 * u)
    body_bottom = qr_box.top + mm(2.5 * u)
    body_h = body_top - body_bottom
    if body_h < mm(10 * u):
        raise fail("name", "the name, role and country leave no room for the testimony: shorten them")
    rule_w = mm(0.7 * u)
    quote_indent = mm(2.6 * u)
    testimony = quoted(card.testimony, deck.lang)
    heading_color = cmyk_color(accent)
    body_w = safe.w - quote_indent  # everything in the body wraps to the quote's width

    def body(size: float) -> list[tuple[str, Flowable, float]]:
        items: list[tuple[str, Flowable, float]] = [
            ("testimony", Inside(paragraph(testimony, style(size, leading_ratio=1.22)), left=False), 0.0)]
        for field, heading, lines in (("conditions", deck.labels["conditions"], card.conditions),
                                      ("impact", deck.labels["impact"], (card.impact,) if card.impact else ())):
            if not lines:
                continue
            flow, fh = wrapped_inside(to_markup(heading.upper()),
                                      style(size * 0.82, bold=True, color=heading_color), body_w)
            items.append((field, flow, size * 0.9, fh))
            bullet = "•" if field == "conditions" else None
            for j, line in enumerate(lines):  # cached: decks repeat their conditions
                flow, fh = wrapped_inside(to_markup(line), style(size, leading_ratio=1.18, bullet=bullet), body_w)
                items.append((field, flow, size * (0.35 if j == 0 else 0.18), fh))
        return items

    try:
        fitted = fit(body, body_w, body_h, largest=round(9.5 * u * 4) / 4,
                     smallest=BODY_FLOOR)
    except TextDoesNotFit as over:
        bigger = larger_presets(*deck.card_mm)
        hint = f", or use a larger card (deck.card: {bigger[0]})" if bigger else ""
        field, message = body_overflow(over, BODY_FLOOR, "the card")
        raise fail(field, message + hint) from None
    placed, quote_bottom = stack_body(fitted, safe, body_top, quote_indent)
    texts += placed
    quote_rule = Box(safe.x, quote_bottom, rule_w, body_top - quote_bottom)

    return CardFront(card=card, width=w, height=h, safe=safe, band=band, band_color=band_color,
                     accent=accent, image=image_box, quote_rule=quote_rule, texts=tuple(texts),
                     body_size=fitted.size, qr=qr_matrix(card.source.url), qr_box=qr_box,
                     url=card.source.url)


def body_overflow(over: TextDoesNotFit, floor: float, room: str) -> tuple[str, str]:
    """(the longest field, the message) when a card's or poster's body does not fit."""
    longest = max(over.heights, key=over.heights.get)
    return longest, (f"the testimony, conditions and impact need {to_mm(over.needed):.0f} mm at "
                     f"{floor:g} pt but {room} has {to_mm(over.available):.0f} mm "
                     f"({to_mm(over.needed - over.available):.0f} mm too much): shorten the {longest} "
                     f"({to_mm(over.heights[longest]):.0f} mm)")


def stack_body(fitted: Fitted, safe: Box, top: float, quote_indent: float) -> tuple[list[PlacedText], float]:
    """The fitted body, top down from ``top``: the testimony indented beside its quote
    rule, the rest at the safe margin. Returns the placed texts and the quote's bottom."""
    placed, y, quote_bottom = [], top, top
    for field, flow, gap_before, height in fitted.flowables:
        y -= gap_before + height
        x = safe.x + (quote_indent if field == "testimony" else 0.0)
        placed.append(PlacedText(field, flow, Box(x, y, safe.right - x, height)))
        if field == "testimony":
            quote_bottom = y
    return placed, quote_bottom
