"""Poster geometry: the overview poster(s) of a deck and one poster per card. No drawing.

Everything is laid out once, in *A3 units*: points of an A3 portrait trim (297 mm wide).
A2 and A1 are the same design scaled up as vector (``PosterFormat.scale`` = 1.41 and
2.0); only their height in A3 units differs by a hair (A1 is 594 × 841 mm, not exactly
twice A3), so the layout takes the page height from the format. The bleed stays 3 mm on
paper at every size, so in A3 units it is ``bleed / scale``. Coordinates are the trim
box, origin bottom-left, y up, as for the cards.

Posters are read from two metres away, so sizes are in wall terms: names at 60 pt or
more (up to 104), the role at 24–40 pt, every other text of a persona poster at 18 pt
or more — the testimony up to 48 pt when it is short, the conditions and the impact at
three quarters of it (18–28 pt) — and QR codes of 45 mm (never under 30 mm, modules
never under 0.4 mm). A persona poster: a band of the category's colour (label, name,
role, country), the testimony as a quote with a rule of that colour, the conditions
and the impact under their headings, and a footer with the QR code to the card's
source, its label, the deck title and the card number.

**The overview.** A header band in the deck's ink (as on the card backs) with the
title and subtitle, and the QR code to the deck's source on a white plate at the top
right, at eye level where a phone meets it; a stripe per category (the supply chain at
a glance); every card as a tile, grouped by category in the deck's category order,
each group under a band of its colour with its label, in four columns read top to
bottom, left to right; at the foot, the source written out (title, publisher, author,
date in the deck's language) and the credits. Cards without a category come last,
under ``labels["other"]``; a deck without categories is one group labelled with its
card count ("8 cartes"). Categories without cards are left out. A tile holds the name,
the role and the country on one line, and a summary.

*The summary* is the start of the testimony, in quotes, cut to fit **two lines**: as
many whole words as fit, then an ellipsis (trailing commas, colons and the like are
dropped before it). Two lines say what the persona does; the persona's own poster says
the rest.

*Many cards: the overview spreads over several pages; tiles never go under 14 pt.*
The tile text is set at the largest whole size from 20 pt down to 14 pt at which the
whole deck fits on one page (the 21 cards of the bundled decks fit at 15 and 16 pt).
When 14 pt is not enough, the overview takes as many pages as needed at 14 pt, each a
complete poster (header with "2 / 3", the source's QR code, the credits): 14 pt tile
text under 18 pt names is what still reads on a wall, and a 60-card overview on three
posters reads better than one poster of 9 pt tiles. The columns of the last (or only)
page are balanced. A group cut by a page break repeats its label at the top of the
next page; one cut by a column break goes on, newspaper style, its tiles still in its
colour (a label atop every column would read as that many groups).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..colors import BLACK, CMYK, WHITE
from ..errors import DeckError, Problem
from ..deck import Card, Deck
from ..qr import QRMatrix, qr_matrix, side_in_modules
from ..sizes import BLEED_MM, POSTER_SIZES, mm
from ..text import TextDoesNotFit, TextStyle, escape_markup, fit, fit_lines, paragraph, plain, to_markup
from ..wording import counted, quote_marks, quoted, source_line, unbreakable
from .back import BACK_INK
from .card import NEUTRAL, Box, PlacedText, body_overflow, cmyk_color, source_name, stack_body

DESIGN_SIZE = "a3"  # the layout's units: points on an A3 poster
MARGIN_MM = 20.0  # safe margin: generous on a wall, and clear of any trimming drift
NAME_LARGEST, NAME_FLOOR = 104.0, 60.0
DESCENT = 0.22  # of the size: below the baseline of g, j, p, y in Noto Sans and its kin
ROLE_LARGEST, ROLE_FLOOR = 40.0, 24.0  # "title size"
COUNTRY_SIZE = 28.0
TESTIMONY_LARGEST = 48.0
TESTIMONY_USUAL = 30.0  # where the search for the testimony size splits
BODY_FLOOR = 18.0  # every body text of a persona poster
BODY_LARGEST = 28.0  # conditions and impact, when the testimony is short
CONDITIONS_RATIO = 0.75  # conditions and impact beside the testimony's size
FOOTER_SIZE = 18.0
TILE_LARGEST, TILE_FLOOR = 20.0, 14.0  # overview tile text
SUMMARY_LINES = 2
COLUMNS = 4  # overview columns on the A3 design: ~22 characters a line at 14 pt
BAND_TOP_MM = 14.0  # inside a full-bleed band the text needs less than the margin
QR_WANTED_MM = 45.0  # scanned from arm's length off a wall
QR_MIN_MM = 30.0
MIN_MODULE_MM = 0.4
STEP = 0.5  # pt: the size grid of the title searches
TILE_STEP = 1.0  # pt: the overview's tile sizes (each trial measures every tile)


# -- formats ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PosterFormat:
    """A poster size on paper, and how the A3 design maps onto it."""

    size: str
    trim: tuple[float, float]  # page points
    bleed: float  # page points
    scale: float  # page points per layout unit

    @property
    def width(self) -> float:
        """Trim width in layout (A3) units."""
        return self.trim[0] / self.scale

    @property
    def height(self) -> float:
        return self.trim[1] / self.scale

    @property
    def bleed_units(self) -> float:
        return self.bleed / self.scale

    @property
    def media(self) -> tuple[float, float]:
        return self.trim[0] + 2 * self.bleed, self.trim[1] + 2 * self.bleed

    def to_page(self, box: Box) -> Box:
        """A layout box in page points (for what is drawn without the scale: QR links)."""
        s = self.scale
        return Box(self.bleed + box.x * s, self.bleed + box.y * s, box.w * s, box.h * s)


def poster_format(size: str = DESIGN_SIZE, bleed_mm: float = BLEED_MM) -> PosterFormat:
    if size not in POSTER_SIZES:
        raise ValueError(f"unknown poster size {size!r}: {', '.join(POSTER_SIZES)}")
    w_mm, h_mm = POSTER_SIZES[size]
    return PosterFormat(size, (mm(w_mm), mm(h_mm)), mm(bleed_mm), w_mm / POSTER_SIZES[DESIGN_SIZE][0])


# -- laid-out posters ------------------------------------------------------------------

@dataclass(frozen=True)
class PersonaPoster:
    card: Card
    width: float
    height: float
    safe: Box
    fills: tuple[tuple[Box, CMYK], ...]  # drawn first, in order (band, quote rule…)
    texts: tuple[PlacedText, ...]
    name_size: float
    role_size: float
    testimony_size: float
    body_size: float  # conditions and impact
    image: Box | None
    qr: QRMatrix
    qr_box: Box
    url: str

    def text(self, field: str) -> list[PlacedText]:
        return [t for t in self.texts if t.field == field]


@dataclass(frozen=True)
class Tile:
    card: Card
    group: str  # the label of the group it is under
    box: Box
    column: int


@dataclass(frozen=True)
class Heading:
    label: str
    box: Box
    column: int
    continued: bool  # repeated at the top of a column


@dataclass(frozen=True)
class OverviewPage:
    number: int  # 1-based
    count: int
    width: float
    height: float
    safe: Box
    fills: tuple[tuple[Box, CMYK], ...]
    texts: tuple[PlacedText, ...]
    headings: tuple[Heading, ...]
    tiles: tuple[Tile, ...]
    tile_size: float
    qr: QRMatrix
    qr_box: Box
    url: str
    image: Box | None = None


@dataclass(frozen=True)
class Group:
    label: str
    color: CMYK
    text_color: CMYK
    cards: tuple[Card, ...]


def layout_posters(deck: Deck, fmt: PosterFormat) -> tuple[list[OverviewPage], list[PersonaPoster]]:
    """The overview page(s) and a poster per card; one DeckError with every problem."""
    problems: list[Problem] = []
    overview: list[OverviewPage] = []
    try:
        overview = layout_overview(deck, fmt)
    except DeckError as exc:
        problems.extend(exc.problems)
    personas = []
    for card in deck.cards:
        try:
            personas.append(layout_persona(deck, card, fmt))
        except DeckError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DeckError(problems)
    return overview, personas


# -- shared helpers --------------------------------------------------------------------

def qr_side(url: str) -> float:
    """The QR square with its quiet zone, in layout units: 45 mm, or more for a long URL
    so that a module stays at 0.4 mm or more."""
    modules = side_in_modules(qr_matrix(url))
    return mm(max(QR_WANTED_MM, QR_MIN_MM, modules * MIN_MODULE_MM))


def _stack(items: list[tuple[str, Flowable]], x: float, top: float, width: float,
           gaps: list[float]) -> tuple[list[PlacedText], float]:
    """Flowables one under the other from ``top``; returns them and the bottom."""
    placed = []
    y = top
    for (field, flow), gap in zip(items, gaps):
        _, h = flow.wrap(width, 1e6)
        y -= gap + h
        placed.append(PlacedText(field, flow, Box(x, y, width, h)))
    return placed, y


def _wrap_once(flow: Flowable) -> Flowable:
    """The flowable, wrapping again only for a new width: the fitting search measures
    the same conditions many times over at one width."""
    wrap = flow.wrap
    last: list = [None, None]

    def wrap_once(width, height):
        if last[0] != width:
            last[:] = [width, wrap(width, height)]
        return last[1]

    flow.wrap = wrap_once
    return flow


def _styler(deck: Deck) -> Callable[..., TextStyle]:
    def style(size: float, *, bold: bool = False, italic: bool = False, color: CMYKColor | None = None,
              **kw) -> TextStyle:
        font = deck.font.bold if bold else deck.font.italic if italic else deck.font.regular
        return TextStyle(font=font, size=size, color=color or cmyk_color(BLACK), language=deck.lang, **kw)
    return style


def _card_problem(deck: Deck, card: Card, field: str, message: str) -> DeckError:
    path = ("cards", card.index, field)
    return DeckError([deck.problem(path, f'card {card.number} "{plain(card.name)}": {message}')])


# -- one poster per card ---------------------------------------------------------------

def layout_persona(deck: Deck, card: Card, fmt: PosterFormat) -> PersonaPoster:
    W, H, bleed = fmt.width, fmt.height, fmt.bleed_units
    m = mm(MARGIN_MM)
    safe = Box(m, m, W - 2 * m, H - 2 * m)
    style = _styler(deck)
    category = card.category
    band_color = category.color if category else NEUTRAL
    on_band = cmyk_color(category.text_color if category else WHITE)
    accent = category.color if category else BLACK
    where = f"on the {fmt.size.upper()} poster"
    texts: list[PlacedText] = []
    fills: list[tuple[Box, CMYK]] = []

    # -- the band: category, name, role, country -----------------------------------------
    image_side = mm(62) if card.image else 0.0
    text_w = safe.w - (image_side + mm(8) if card.image else 0.0)
    y = safe.top
    if category:
        flow = paragraph(to_markup(category.label.upper()),
                         style(22, bold=True, color=on_band, hyphenate=False))
        placed, y = _stack([("category", flow)], safe.x, y, text_w, [0.0])
        texts += placed
        y -= 10
    sizes = {}
    # A name takes two lines at most, or three when two would need less than 60 pt
    # ("Maria de los Ángeles Fernández" beside a portrait).
    for field, text, largest, smallest, line_counts, bold, ratio, gap in (
            ("name", card.name, NAME_LARGEST, NAME_FLOOR, (2, 3), True, 1.02, 0.0),
            ("role", card.role, ROLE_LARGEST, ROLE_FLOOR, (3,), False, 1.12, 2.0),
            ("country", card.country, COUNTRY_SIZE, BODY_FLOOR, (2,), False, 1.15, 10.0)):
        for lines in line_counts:
            try:
                size, flow, fh = fit_lines(
                    to_markup(text), plain(text),
                    lambda s, bold=bold, ratio=ratio: style(s, bold=bold, color=on_band, leading_ratio=ratio,
                                                            hyphenate=False),
                    text_w, lines, largest, smallest, step=STEP)
                break
            except TextDoesNotFit:
                continue
        else:
            raise _card_problem(deck, card, field, f"the {field} does not fit in {line_counts[-1]} lines at "
                                                   f"{smallest:g} pt {where}: shorten it")
        sizes[field] = size
        if field == "role":  # a display name's leading leaves no room for its descenders (Arjun's j)
            gap += DESCENT * sizes["name"]
        y -= gap + fh
        texts.append(PlacedText(field, flow, Box(safe.x, y, text_w, fh)))
    image_box = None
    if card.image:
        image_box = Box(safe.right - image_side, safe.top - image_side, image_side, image_side)
        y = min(y, image_box.y)
    band_bottom = y - mm(13)
    fills.append((Box(-bleed, band_bottom, W + 2 * bleed, H + bleed - band_bottom), band_color))

    # -- the footer: QR code, source, deck title and card number ----------------------
    side = qr_side(card.source.url)
    gap = mm(7)
    col_w = (safe.w - side - 2 * gap) / 2
    left_x = safe.x + side + gap
    source_label = source_name(card.source, deck)
    left = [("source_heading", paragraph(to_markup(deck.labels["source"].upper()),
                                         style(FOOTER_SIZE, bold=True, color=cmyk_color(accent)))),
            ("source", paragraph(to_markup(source_label), style(26, bold=True, hyphenate=False))),
            ("scan", paragraph(to_markup(deck.labels["scan"]), style(FOOTER_SIZE)))]
    left_h = sum(f.wrap(col_w, 1e6)[1] for _, f in left) + 4 + 8
    right_x = left_x + col_w + gap
    number = paragraph(deck.labels["card_of"].format(n=card.number, total=len(deck.cards)),
                       style(40, bold=True, align=2, leading_ratio=1.0))
    title = paragraph(to_markup(deck.title), style(FOOTER_SIZE, align=2, hyphenate=False))
    right_h = number.wrap(col_w, 1e6)[1] + title.wrap(col_w, 1e6)[1] + 6
    footer_top = safe.y + max(side, left_h, right_h)
    placed, _ = _stack(left, left_x, footer_top, col_w, [0.0, 4.0, 8.0])
    texts += placed
    texts.append(PlacedText("number", number, Box(right_x, safe.y, col_w, number.height)))
    texts.append(PlacedText("deck_title", title,
                            Box(right_x, safe.y + number.height + 6, col_w, title.height)))
    qr_box = Box(safe.x, footer_top - side, side, side)
    fills.append((Box(safe.x, footer_top + mm(9), safe.w, 1.5), accent))

    # -- the body: testimony as a large quote, conditions, impact ------------------------
    body_top = band_bottom - mm(16)
    body_bottom = footer_top + mm(9) + mm(11)
    quote_indent = mm(10)
    testimony = quoted(card.testimony, deck.lang)
    heading_color = cmyk_color(accent)
    sections = (("conditions", deck.labels["conditions"], card.conditions),
                ("impact", deck.labels["impact"], (card.impact,) if card.impact else ()))

    def small(size: float) -> float:
        """Conditions and impact: three quarters of the testimony, within 18–28 pt."""
        return min(BODY_LARGEST, max(BODY_FLOOR, round(size * CONDITIONS_RATIO * 2) / 2))

    below: dict[float, list[tuple[str, Flowable, float]]] = {}

    def sections_at(s: float) -> list[tuple[str, Flowable, float]]:
        """Conditions and impact at size ``s``; the same flowables for every testimony
        size that gives the same ``s`` (above 37 pt it is always 28 pt), and they keep
        their wrap, so the fitting search measures them once."""
        if s not in below:
            items = []
            for field, heading, lines in sections:
                if not lines:
                    continue
                items.append((field, _wrap_once(paragraph(to_markup(heading.upper()),
                                                          style(s, bold=True, color=heading_color, hyphenate=False))),
                              s * 1.6))
                bullet = "•" if field == "conditions" else None
                for j, line in enumerate(lines):
                    items.append((field, _wrap_once(paragraph(to_markup(line),
                                                              style(s, leading_ratio=1.2, bullet=bullet))),
                                  s * (0.45 if j == 0 else 0.3)))
            below[s] = items
        return below[s]

    def body(size: float) -> list[tuple[str, Flowable, float]]:
        return [("testimony", paragraph(testimony, style(size, leading_ratio=1.25)), 0.0),
                *sections_at(small(size))]

    try:
        fitted = _fit_body(body, safe.w - quote_indent, body_top - body_bottom)
    except TextDoesNotFit as over:
        raise _card_problem(deck, card, *body_overflow(over, BODY_FLOOR, f"the {fmt.size.upper()} poster")) from None
    placed, quote_bottom = stack_body(fitted, safe, body_top, quote_indent)
    texts += placed
    fills.append((Box(safe.x, quote_bottom, mm(2.2), body_top - quote_bottom), accent))

    return PersonaPoster(card=card, width=W, height=H, safe=safe, fills=tuple(fills), texts=tuple(texts),
                         name_size=sizes["name"], role_size=sizes["role"], testimony_size=fitted.size,
                         body_size=small(fitted.size), image=image_box, qr=qr_matrix(card.source.url),
                         qr_box=qr_box, url=card.source.url)


def _fit_body(body: Callable[[float], list[tuple[str, Flowable, float]]], width: float,
              height: float):
    """:func:`deckprint.text.fit` for a persona body, searched in two halves.

    The persona posters are most of the posters' build time and each measure of a
    body wraps all its paragraphs. Most testimonies land between 30 and 48 pt, so that
    range is searched first and the floor half only when 30 pt is too large; sizes go
    by whole points (2–3 % steps at these sizes, nothing a reader sees). About six
    measures a poster instead of eight.
    """
    try:
        return fit(body, width, height, largest=TESTIMONY_LARGEST, smallest=TESTIMONY_USUAL, step=1.0)
    except TextDoesNotFit:
        return fit(body, width, height, largest=TESTIMONY_USUAL - 1.0, smallest=BODY_FLOOR, step=1.0)


# -- the overview ----------------------------------------------------------------------

def overview_groups(deck: Deck) -> list[Group]:
    """Cards by category, in the deck's category order; uncategorised cards last."""
    if not deck.categories:
        label = counted(deck.lang, "cards", len(deck.cards))
        return [Group(label, NEUTRAL, WHITE, deck.cards)]
    groups = []
    for category in deck.categories:
        cards = tuple(c for c in deck.cards if c.category is not None and c.category.id == category.id)
        if cards:
            groups.append(Group(category.label, category.color, category.text_color, cards))
    others = tuple(c for c in deck.cards if c.category is None)
    if others:
        groups.append(Group(deck.labels["other"], NEUTRAL, WHITE, others))
    return groups


def summary(text: str, font: str, size: float, width: float, lang: str,
            lines: int = SUMMARY_LINES) -> str:
    """The start of a testimony, in quotes, as many whole words as set in ``lines``
    lines of ``width``, with an ellipsis when cut. Plain text (no marks).

    Lines are broken greedily at spaces, as ReportLab's Paragraph does (no-break
    spaces hold, no hyphenation), so the caller's paragraph takes the same lines.
    """
    open_q, close_q = quote_marks(lang)
    words = (open_q + plain(text)).split(" ")
    space = stringWidth(" ", font, size)

    def count_lines(ws: list[str]) -> int:
        n, used = 1, -space
        for w in ws:
            ww = stringWidth(w, font, size)
            if used + space + ww <= width or used < 0:
                used += space + ww
            else:
                n, used = n + 1, ww
        return n

    def candidate(n: int) -> list[str]:
        ws = list(words[:n])
        if n < len(words):
            last = ws[-1].rstrip(",;:.!?–—-(«\u00a0 ")
            ws[-1] = (last or ws[-1]) + "…"
        ws[-1] += close_q
        return ws

    # How many words greedy wrapping puts in the first ``lines`` lines, then back off
    # until the ellipsis and closing quote fit too.
    n, line, used = 0, 1, -space
    for w in words:
        ww = stringWidth(w, font, size)
        if used >= 0 and used + space + ww > width:
            line, used = line + 1, -space
            if line > lines:
                break
        used += space + ww
        n += 1
    n = max(n, 1)
    while n > 1 and count_lines(candidate(n)) > lines:
        n -= 1
    return " ".join(candidate(n))


def _markup_color(color: CMYK) -> str:
    """A CMYK colour for Paragraph markup (``<font color=...>``): never RGB."""
    return f"cmyk({color.c:.4f},{color.m:.4f},{color.y:.4f},{color.k:.4f})"


@dataclass(frozen=True)
class _Tile:
    card: Card
    items: tuple[tuple[str, Flowable, float, float], ...]  # field, flowable, gap before, height
    height: float


@dataclass(frozen=True)
class _Entry:
    kind: str  # "heading" or "tile"
    group: int
    card: Card | None
    offset: float  # from the column's top to the entry's top
    height: float
    continued: bool = False


class _Metrics:
    """Tile and heading heights at one tile size, measured once per size."""

    def __init__(self, deck: Deck, groups: list[Group], size: float, col_w: float):
        style = _styler(deck)
        self.size = size
        self.strip = max(5.0, size * 0.3)
        self.indent = self.strip + size * 0.75
        text_w = col_w - self.indent
        self.tile_gap = size * 0.7
        self.group_gap = size * 1.15
        self.head_gap = size * 0.55
        self.pad = size * 0.35
        self.headings: list[tuple[Flowable, float]] = []
        self.tiles: dict[int, _Tile] = {}
        for group in groups:
            flow = paragraph(to_markup(group.label), style(size * 1.1, bold=True, color=cmyk_color(group.text_color),
                                                           leading_ratio=1.15, hyphenate=False))
            _, fh = flow.wrap(col_w - 2 * self.pad, 1e6)
            self.headings.append((flow, fh + 2 * self.pad))
            accent = _markup_color(group.color)
            summary_style = style(size, italic=True, leading_ratio=1.15, hyphenate=False)
            for card in group.cards:
                role = f'{to_markup(card.role)} · <b><font color="{accent}">{to_markup(card.country)}</font></b>'
                # The name on one line when it can: 1.3 × the tile size, less for a long
                # name, down to the tile size (then it wraps, unbroken).
                width = stringWidth(plain(card.name), deck.font.bold, size * 1.3)
                name_size = max(size, min(size * 1.3, math.floor(size * 1.3 * text_w / max(width, 1.0) * 2) / 2))
                items = [("tile_name", paragraph(to_markup(card.name),
                                                 style(name_size, bold=True, leading_ratio=1.1, hyphenate=False)), 0.0),
                         ("tile_role", paragraph(role, style(size, leading_ratio=1.2, hyphenate=False)), size * 0.15)]
                measured = []
                total = 0.0
                for field, flow, gap in items:
                    _, fh = flow.wrap(text_w, 1e6)
                    measured.append((field, flow, gap, fh))
                    total += gap + fh
                summary_w = text_w
                while True:
                    text = summary(card.testimony, deck.font.italic, size, summary_w, deck.lang)
                    flow = paragraph(escape_markup(text), summary_style)  # plain text
                    _, fh = flow.wrap(text_w, 1e6)
                    if len(flow.blPara.lines) <= SUMMARY_LINES or summary_w < text_w / 2:
                        break
                    summary_w *= 0.95  # Paragraph broke a line where we did not: cut shorter
                measured.append(("tile_summary", flow, size * 0.3, fh))
                total += size * 0.3 + fh
                self.tiles[card.index] = _Tile(card, tuple(measured), total)


def _pack(sequence: list[tuple[int, Card, bool]], m: _Metrics, col_h: float,
          columns: int) -> list[list[list[_Entry]]] | None:
    """Tiles into columns and pages; a group's label goes before its first tile and is
    repeated when the group continues at the top of a page (each page is a poster of
    its own). A column that starts inside a group gets no label: read as a newspaper,
    the group goes on, its tiles keep its colour, and a label repeated atop every
    column would read as that many groups. None when a tile with its label is taller
    than a column."""
    pages: list[list[list[_Entry]]] = []
    page: list[list[_Entry]] = [[]]
    used = 0.0
    for group, card, first in sequence:
        th = m.tiles[card.index].height
        hh = m.headings[group][1]
        column = page[-1]
        if first:
            need = (m.group_gap if column else 0.0) + hh + m.head_gap + th
        else:
            need = m.tile_gap + th
        if used + need > col_h + 1e-6:
            if hh + m.head_gap + th > col_h + 1e-6:
                return None
            if len(page) == columns:
                pages.append(page)
                page = [[]]
            else:
                page.append([])
            column, used = page[-1], 0.0
        if first or (not column and len(page) == 1):
            if column:
                used += m.group_gap
            column.append(_Entry("heading", group, None, used, hh, continued=not first))
            used += hh + m.head_gap
        elif column:
            used += m.tile_gap
        column.append(_Entry("tile", group, card, used, th))
        used += th
    pages.append(page)
    return pages


def _balanced(sequence, m: _Metrics, col_h: float, columns: int) -> list[list[_Entry]]:
    """One page packed with the shortest columns that still hold it (even columns)."""
    low, high = 0.0, col_h
    best = _pack(sequence, m, col_h, columns)
    assert best is not None and len(best) == 1
    for _ in range(14):
        mid = (low + high) / 2
        trial = _pack(sequence, m, mid, columns)
        if trial is not None and len(trial) == 1:
            best, high = trial, mid
        else:
            low = mid
    return best[0]


def layout_overview(deck: Deck, fmt: PosterFormat) -> list[OverviewPage]:
    W, H, bleed = fmt.width, fmt.height, fmt.bleed_units
    m = mm(MARGIN_MM)
    safe = Box(m, m, W - 2 * m, H - 2 * m)
    style = _styler(deck)
    white = cmyk_color(WHITE)
    ink = cmyk_color(BACK_INK)
    groups = overview_groups(deck)
    where = f"on the {fmt.size.upper()} overview poster"

    def deck_problem(path, message: str) -> DeckError:
        return DeckError([deck.problem(path, message)])

    # -- header, on the deck's ink: label, title, subtitle; the source's QR code on a
    # white plate at the top right, at eye level where a phone meets it; then a stripe
    # per category ------------------------------------------------------------------
    source = deck.source or deck.cards[0].source
    side = qr_side(source.url)
    plate_pad = mm(2)
    top = H - mm(BAND_TOP_MM)
    plate = Box(safe.right - side - 2 * plate_pad, top - side - 2 * plate_pad,
                side + 2 * plate_pad, side + 2 * plate_pad)
    qr_box = Box(plate.x + plate_pad, plate.y + plate_pad, side, side)
    scan = paragraph(to_markup(deck.labels["scan"]), style(14, color=white, align=1, hyphenate=False))
    _, scan_h = scan.wrap(plate.w + mm(6), 1e6)
    header = [PlacedText("scan", scan, Box(plate.x - mm(3), plate.y - mm(2.5) - scan_h, plate.w + mm(6), scan_h))]
    text_w = plate.x - mm(10) - safe.x

    def kicker(number: int, count: int) -> Flowable:
        parts = [deck.labels["overview"]]
        if count > 1:
            parts[0] += " " + deck.labels["card_of"].format(n=number, total=count)
        parts.append(counted(deck.lang, "cards", len(deck.cards)))
        flow = paragraph(to_markup(" · ".join(parts).upper()), style(16, bold=True, color=white, hyphenate=False))
        flow.wrap(text_w, 1e6)
        return flow

    kicker_h = kicker(99, 99).height
    kicker_y = top - kicker_h
    y = kicker_y - 10
    for field, path, text, largest, smallest, bold, gap in (
            ("title", ("deck", "title"), deck.title, 52.0, 32.0, True, 0.0),
            ("subtitle", ("deck", "subtitle"), deck.subtitle, 26.0, 18.0, False, 10.0)):
        if not text:
            continue
        try:
            _, flow, fh = fit_lines(to_markup(text), plain(text),
                                     lambda s, bold=bold: style(s, bold=bold, color=white, leading_ratio=1.08,
                                                                hyphenate=False),
                                     text_w, 2, largest, smallest, step=STEP)
        except TextDoesNotFit:
            raise deck_problem(path, f"the deck {field} does not fit in 2 lines at {smallest:g} pt "
                                     f"{where}: shorten it") from None
        y -= gap + fh
        header.append(PlacedText(field, flow, Box(safe.x, y, text_w, fh)))
    band_bottom = min(y, header[0].box.y) - mm(7)
    fills: list[tuple[Box, CMYK]] = [(Box(-bleed, band_bottom, W + 2 * bleed, H + bleed - band_bottom), BACK_INK),
                                     (plate, WHITE)]
    stripe_h = mm(3)
    colors = [c.color for c in deck.categories]
    if colors:
        seg = (W + 2 * bleed) / len(colors)
        for i, color in enumerate(colors):
            fills.append((Box(-bleed + i * seg, band_bottom - stripe_h, seg, stripe_h), color))
        band_bottom -= stripe_h

    # -- footer: the source written out, the credits ------------------------------------
    heading = paragraph(to_markup(deck.labels["source"].upper()), style(14, bold=True, color=ink, hyphenate=False))
    details = [f"<b>{to_markup(source.title)}</b>"] if source.title else []
    meta = source_line(source, deck)
    if meta:
        details.append(to_markup(meta))
    if not details:
        details.append(escape_markup(source.url))
    foot_items = [("source_heading", heading),
                  ("source", paragraph(" — ".join(details), style(16, leading_ratio=1.25, hyphenate=False)))]
    license = unbreakable(deck.license) if deck.license else None  # "CC BY-SA 4.0" on one line
    credits = " · ".join(filter(None, [deck.credits, license]))
    if credits:
        foot_items.append(("credits", paragraph(to_markup(credits), style(14, leading_ratio=1.2))))
    gaps = [0.0, 3.0, 8.0][:len(foot_items)]
    footer_top = safe.y + sum(f.wrap(safe.w, 1e6)[1] for _, f in foot_items) + sum(gaps)
    footer, _ = _stack(foot_items, safe.x, footer_top, safe.w, gaps)
    fills.append((Box(safe.x, footer_top + mm(5), safe.w, 1.5), BACK_INK))

    # -- the tiles -----------------------------------------------------------------------
    body_top = band_bottom - mm(7)
    body_bottom = footer_top + mm(5) + mm(6)
    body_h = body_top - body_bottom
    col_gap = mm(6)
    col_w = (safe.w - (COLUMNS - 1) * col_gap) / COLUMNS
    sequence = [(gi, card, j == 0) for gi, g in enumerate(groups) for j, card in enumerate(g.cards)]

    def metrics(size: float) -> _Metrics:
        return _Metrics(deck, groups, size, col_w)

    def one_page(mx: _Metrics) -> bool:
        pages = _pack(sequence, mx, body_h, COLUMNS)
        return pages is not None and len(pages) == 1

    chosen = metrics(TILE_LARGEST)
    if not one_page(chosen):
        floor = metrics(TILE_FLOOR)
        chosen = floor
        if one_page(floor):
            low, high = 1, int(round((TILE_LARGEST - TILE_FLOOR) / TILE_STEP)) - 1
            while low <= high:
                mid = (low + high) // 2
                trial = metrics(TILE_FLOOR + mid * TILE_STEP)
                if one_page(trial):
                    chosen, low = trial, mid + 1
                else:
                    high = mid - 1
    pages = _pack(sequence, chosen, body_h, COLUMNS)
    if pages is None:
        raise deck_problem(("cards",), f"a card's tile is taller than a column {where}: shorten the "
                                       "longest name and role")
    # Balance the last page: repack what it holds into the shortest even columns.
    last_start = sum(1 for page in pages[:-1] for col in page for e in col if e.kind == "tile")
    pages[-1] = _balanced(sequence[last_start:], chosen, body_h, COLUMNS)

    out = []
    for number, page in enumerate(pages, 1):
        page_fills = list(fills)
        texts = [PlacedText("overview", kicker(number, len(pages)), Box(safe.x, kicker_y, safe.w, kicker_h))]
        texts += header
        headings, tiles = [], []
        for ci, column in enumerate(page):
            x = safe.x + ci * (col_w + col_gap)
            for entry in column:
                top = body_top - entry.offset
                group = groups[entry.group]
                if entry.kind == "heading":
                    box = Box(x, top - entry.height, col_w, entry.height)
                    flow = chosen.headings[entry.group][0]
                    page_fills.append((box, group.color))
                    texts.append(PlacedText("group", flow, Box(x + chosen.pad, box.y + chosen.pad,
                                                               col_w - 2 * chosen.pad, flow.height)))
                    headings.append(Heading(group.label, box, ci, entry.continued))
                    continue
                tile = chosen.tiles[entry.card.index]
                box = Box(x, top - entry.height, col_w, entry.height)
                page_fills.append((Box(x, box.y, chosen.strip, box.h), group.color))
                y = top
                for field, flow, gap_before, fh in tile.items:
                    y -= gap_before + fh
                    texts.append(PlacedText(field, flow, Box(x + chosen.indent, y, col_w - chosen.indent, fh)))
                tiles.append(Tile(entry.card, group.label, box, ci))
        texts += footer
        out.append(OverviewPage(number=number, count=len(pages), width=W, height=H, safe=safe,
                                fills=tuple(page_fills), texts=tuple(texts), headings=tuple(headings),
                                tiles=tuple(tiles), tile_size=chosen.size, qr=qr_matrix(source.url),
                                qr_box=qr_box, url=source.url))
    return out
