"""The overview poster(s) of a deck, and the deck's posters in order. No drawing.

Laid out in A3 units, like the persona posters (see ``poster.py``).

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

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..colors import CMYK, WHITE
from ..errors import DeckError, Problem
from ..deck import Card, Deck, Source
from ..qr import QRMatrix, qr_matrix, qr_side
from ..sizes import mm
from ..text import TextDoesNotFit, escape_markup, fit_lines, paragraph, plain, to_markup
from ..wording import counted, quote_marks, source_line, unbreakable
from .back import BACK_INK
from .common import NEUTRAL, Box, PlacedText, cmyk_color, styler
from .face import Face
from .poster import MARGIN_MM, STEP, WALL_QR, PosterFormat, layout_persona

TILE_LARGEST, TILE_FLOOR = 20.0, 14.0  # overview tile text
SUMMARY_LINES = 2
COLUMNS = 4  # overview columns on the A3 design: ~22 characters a line at 14 pt
BAND_TOP_MM = 14.0  # inside a full-bleed band the text needs less than the margin
TILE_STEP = 1.0  # pt: the overview's tile sizes (each trial measures every tile)


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


def layout_posters(deck: Deck, fmt: PosterFormat) -> tuple[list[OverviewPage], list[Face]]:
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
        style = styler(deck)
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
    m = mm(MARGIN_MM)
    safe = Box(m, m, fmt.width - 2 * m, fmt.height - 2 * m)
    groups = overview_groups(deck)
    where = f"on the {fmt.size.upper()} overview poster"
    source = deck.source or deck.cards[0].source
    header = _header(deck, fmt, safe, source, where)
    footer, footer_top = _footer(deck, source, safe)
    rule = (Box(safe.x, footer_top + mm(5), safe.w, 1.5), BACK_INK)

    # -- the tiles -----------------------------------------------------------------------
    body_top = header.bottom - mm(7)
    body_bottom = footer_top + mm(5) + mm(6)
    body_h = body_top - body_bottom
    col_gap = mm(6)
    col_w = (safe.w - (COLUMNS - 1) * col_gap) / COLUMNS
    sequence = [(gi, card, j == 0) for gi, g in enumerate(groups) for j, card in enumerate(g.cards)]
    chosen = _tile_size(deck, groups, sequence, body_h, col_w)
    pages = _pack(sequence, chosen, body_h, COLUMNS)
    if pages is None:
        raise DeckError([deck.problem(("cards",), f"a card's tile is taller than a column {where}: shorten the "
                                                  "longest name and role")])
    # Balance the last page: repack what it holds into the shortest even columns.
    last_start = sum(1 for page in pages[:-1] for col in page for e in col if e.kind == "tile")
    pages[-1] = _balanced(sequence[last_start:], chosen, body_h, COLUMNS)

    out = []
    for number, page in enumerate(pages, 1):
        fills, texts, headings, tiles = _place(page, groups, chosen, safe.x, body_top, col_w, col_gap)
        kicker = PlacedText("overview", header.kicker(number, len(pages)), header.kicker_box)
        out.append(OverviewPage(number=number, count=len(pages), width=fmt.width, height=fmt.height, safe=safe,
                                fills=(*header.fills, rule, *fills), texts=(kicker, *header.texts, *texts, *footer),
                                headings=tuple(headings), tiles=tuple(tiles), tile_size=chosen.size,
                                qr=qr_matrix(source.url), qr_box=header.qr_box, url=source.url))
    return out


@dataclass(frozen=True)
class _Header:
    """What is at the top of every overview page; ``kicker(number, count)`` names it."""

    texts: tuple[PlacedText, ...]
    fills: tuple[tuple[Box, CMYK], ...]
    kicker: Callable[[int, int], Flowable]
    kicker_box: Box
    bottom: float  # the band's, under its stripes
    qr_box: Box


def _header(deck: Deck, fmt: PosterFormat, safe: Box, source: Source, where: str) -> _Header:
    """On the deck's ink: label, title, subtitle; the source's QR code on a white plate
    at the top right, at eye level where a phone meets it; then a stripe per category."""
    W, H, bleed = fmt.width, fmt.height, fmt.bleed_units
    style = styler(deck)
    white = cmyk_color(WHITE)
    side = qr_side(qr_matrix(source.url), WALL_QR)
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
            raise DeckError([deck.problem(path, f"the deck {field} does not fit in 2 lines at {smallest:g} pt "
                                                f"{where}: shorten it")]) from None
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
    return _Header(tuple(header), tuple(fills), kicker, Box(safe.x, kicker_y, safe.w, kicker_h), band_bottom, qr_box)


def _footer(deck: Deck, source: Source, safe: Box) -> tuple[list[PlacedText], float]:
    """The source written out, the credits; (the texts, the footer's top)."""
    style = styler(deck)
    heading = paragraph(to_markup(deck.labels["source"].upper()),
                        style(14, bold=True, color=cmyk_color(BACK_INK), hyphenate=False))
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
    footer, y = [], footer_top
    for (field, flow), gap in zip(foot_items, gaps):
        y -= gap + flow.height
        footer.append(PlacedText(field, flow, Box(safe.x, y, safe.w, flow.height)))
    return footer, footer_top


def _tile_size(deck: Deck, groups: list[Group], sequence, body_h: float, col_w: float) -> _Metrics:
    """The tiles at the largest size (whole points, 20 down to 14) at which the deck
    fits one page; at 14 pt when none does."""
    def metrics(size: float) -> _Metrics:
        return _Metrics(deck, groups, size, col_w)

    def one_page(mx: _Metrics) -> bool:
        pages = _pack(sequence, mx, body_h, COLUMNS)
        return pages is not None and len(pages) == 1

    chosen = metrics(TILE_LARGEST)
    if one_page(chosen):
        return chosen
    chosen = floor = metrics(TILE_FLOOR)
    if one_page(floor):
        low, high = 1, int(round((TILE_LARGEST - TILE_FLOOR) / TILE_STEP)) - 1
        while low <= high:
            mid = (low + high) // 2
            trial = metrics(TILE_FLOOR + mid * TILE_STEP)
            if one_page(trial):
                chosen, low = trial, mid + 1
            else:
                high = mid - 1
    return chosen


def _place(page: list[list[_Entry]], groups: list[Group], chosen: _Metrics, left: float, body_top: float,
           col_w: float, col_gap: float):
    """One page's columns placed: (fills, texts, headings, tiles)."""
    fills, texts, headings, tiles = [], [], [], []
    for ci, column in enumerate(page):
        x = left + ci * (col_w + col_gap)
        for entry in column:
            top = body_top - entry.offset
            group = groups[entry.group]
            if entry.kind == "heading":
                box = Box(x, top - entry.height, col_w, entry.height)
                flow = chosen.headings[entry.group][0]
                fills.append((box, group.color))
                texts.append(PlacedText("group", flow, Box(x + chosen.pad, box.y + chosen.pad,
                                                           col_w - 2 * chosen.pad, flow.height)))
                headings.append(Heading(group.label, box, ci, entry.continued))
                continue
            tile = chosen.tiles[entry.card.index]
            box = Box(x, top - entry.height, col_w, entry.height)
            fills.append((Box(x, box.y, chosen.strip, box.h), group.color))
            y = top
            for field, flow, gap_before, fh in tile.items:
                y -= gap_before + fh
                texts.append(PlacedText(field, flow, Box(x + chosen.indent, y, col_w - chosen.indent, fh)))
            tiles.append(Tile(entry.card, group.label, box, ci))
    return fills, texts, headings, tiles
