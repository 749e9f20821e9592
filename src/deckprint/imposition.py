"""Sheets: how many cards fit on a sheet of paper, where each goes, where backs go.

Pure numbers, in points; the sheet's origin is its bottom-left corner.

Two ways to put cards on a sheet are tried, and the one that fits more cards wins (the
first on a tie):

- **with bleed**: each card keeps its bleed, cards sit 2 × bleed apart, and a cut a
  little off the line still shows the card's colour, not white paper;
- **butted**: cards touch, trim to trim, one cut between two cards — the classic 3 × 3
  poker sheet on A4, which would be 2 × 3 with bleed.

The grid is centred on the sheet so that duplex backs mirror exactly, and it keeps
clear of the printer margin (5 mm) with room outside the cards for the crop marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout.common import Box
from .sizes import PRINTER_MARGIN_MM, mm

MARK_GAP_MM = 1.0  # between the cut edge (or the bleed) and a crop mark
MARK_LENGTH_MM = 3.0
DUPLEX_MODES = ("long", "short", "off")


@dataclass(frozen=True)
class Slot:
    """One card's place on a sheet: its trim's bottom-left corner, and its clip."""

    col: int
    row: int  # 0 = top row
    x: float
    y: float
    clip: Box  # in card coordinates: the trim, or the trim plus bleed


@dataclass(frozen=True)
class SheetLayout:
    paper: tuple[float, float]
    card: tuple[float, float]
    cols: int
    rows: int
    gap: float
    bleed: float  # bleed kept around each card (0 when butted)
    slots: tuple[Slot, ...]  # reading order: left to right, top to bottom
    marks: tuple[tuple[float, float, float, float], ...]

    @property
    def per_sheet(self) -> int:
        return len(self.slots)

    def back_slots(self, duplex: str, offset: tuple[float, float] = (0.0, 0.0)) -> tuple[Slot, ...]:
        """Where the back of each front slot goes on the back sheet.

        Long-edge flip mirrors left and right (the back of column c is in column
        cols − 1 − c); short-edge flip mirrors top and bottom. ``offset`` (points)
        shifts the backs to make up for a printer's duplex drift.
        """
        pw, ph = self.paper
        cw, ch = self.card
        dx, dy = offset
        out = []
        for s in self.slots:
            if duplex == "long":
                out.append(Slot(self.cols - 1 - s.col, s.row, pw - s.x - cw + dx, s.y + dy, s.clip))
            elif duplex == "short":
                out.append(Slot(s.col, self.rows - 1 - s.row, s.x + dx, ph - s.y - ch + dy, s.clip))
            else:
                raise ValueError(f"no backs for duplex mode {duplex!r}")
        return tuple(out)


def _count(available: float, card: float, gap: float) -> int:
    return max(0, int((available + gap + 1e-6) // (card + gap)))


def sheet_layout(paper_mm: tuple[float, float], card_mm: tuple[float, float],
                 bleed_mm: float) -> SheetLayout:
    pw, ph = mm(paper_mm[0]), mm(paper_mm[1])
    cw, ch = mm(card_mm[0]), mm(card_mm[1])
    margin = mm(PRINTER_MARGIN_MM)
    mark_room = mm(MARK_GAP_MM + MARK_LENGTH_MM)
    options = []
    for bleed, gap in ((mm(bleed_mm), 2 * mm(bleed_mm)), (0.0, 0.0)):
        outer = bleed + mark_room
        cols = _count(pw - 2 * margin - 2 * outer, cw, gap)
        rows = _count(ph - 2 * margin - 2 * outer, ch, gap)
        options.append((cols * rows, bleed, gap, cols, rows))
    best = max(options, key=lambda o: o[0])  # max() keeps the first on a tie
    count, bleed, gap, cols, rows = best
    if count == 0:
        raise ValueError(f"a {card_mm[0]:g} × {card_mm[1]:g} mm card does not fit on a "
                         f"{paper_mm[0]:g} × {paper_mm[1]:g} mm sheet with its margins")
    grid_w = cols * cw + (cols - 1) * gap
    grid_h = rows * ch + (rows - 1) * gap
    x0, y0 = (pw - grid_w) / 2, (ph - grid_h) / 2
    clip = Box(-bleed, -bleed, cw + 2 * bleed, ch + 2 * bleed)
    slots = tuple(
        Slot(c, r, x0 + c * (cw + gap), y0 + (rows - 1 - r) * (ch + gap), clip)
        for r in range(rows) for c in range(cols)
    )
    return SheetLayout((pw, ph), (cw, ch), cols, rows, gap, bleed, slots,
                       _marks(slots, cw, ch, x0, y0, grid_w, grid_h, bleed))


def _marks(slots, cw, ch, x0, y0, grid_w, grid_h, bleed) -> tuple:
    """Crop marks on every cut line, outside the grid (and its bleed), 100 % K."""
    start = bleed + mm(MARK_GAP_MM)
    length = mm(MARK_LENGTH_MM)
    xs = sorted({round(v, 4) for s in slots for v in (s.x, s.x + cw)})
    ys = sorted({round(v, 4) for s in slots for v in (s.y, s.y + ch)})
    marks = []
    for x in xs:
        marks.append((x, y0 - start, x, y0 - start - length))
        marks.append((x, y0 + grid_h + start, x, y0 + grid_h + start + length))
    for y in ys:
        marks.append((x0 - start, y, x0 - start - length, y))
        marks.append((x0 + grid_w + start, y, x0 + grid_w + start + length, y))
    return tuple(marks)
