"""The preview: one contact sheet PNG of a deck, to look at before printing.

The deck's back, then every front, in a grid at screen resolution. Each card is
rendered from a print-shop PDF made in memory (the file a print shop gets) and cut to
its TrimBox, so the sheet shows the cards as they come out of the cutter. The PDF is
made and rendered a batch of cards at a time: memory stays small on a large deck and a
progress bar can move. The cards come laid out (the pipeline lays them out, as for
any build).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

from ..layout.back import CardBack
from ..layout.card import CardFront
from ..deck import Deck
from ..sizes import BLEED_MM
from . import Output
from .cards import print_shop
from .png import encode_png, render_page

TILE_HEIGHT = 300  # px, a card's trim: big enough to read a name on screen
MIN_TILE_HEIGHT = 100  # a very large deck shrinks its cards down to this, no further
MAX_COLUMNS = 8
MAX_SHEET_HEIGHT = 16384  # px: what common image viewers still open
GAP = 16  # px between cards
MARGIN = 24  # px around the grid
BACKGROUND = (224, 224, 224)  # a light neutral grey: white card edges stay visible
BATCH = 50  # cards a PDF


@dataclass(frozen=True)
class SheetGeometry:
    columns: int
    rows: int
    tile: tuple[int, int]  # one card's trim, px
    size: tuple[int, int]  # the whole sheet, px

    def position(self, index: int) -> tuple[int, int]:
        """Top-left corner of tile ``index`` (0 = the back, then the fronts in order)."""
        row, column = divmod(index, self.columns)
        return MARGIN + column * (self.tile[0] + GAP), MARGIN + row * (self.tile[1] + GAP)


def sheet_geometry(cards: int, card_mm: tuple[float, float]) -> SheetGeometry:
    """The grid for a deck's back and ``cards`` fronts: at most eight columns, cards
    300 px high unless the sheet would be taller than viewers open."""
    tiles = cards + 1
    columns = min(MAX_COLUMNS, tiles)
    rows = math.ceil(tiles / columns)
    fit = (MAX_SHEET_HEIGHT - 2 * MARGIN - (rows - 1) * GAP) // rows
    height = max(MIN_TILE_HEIGHT, min(TILE_HEIGHT, fit))
    width = round(height * card_mm[0] / card_mm[1])
    size = (2 * MARGIN + columns * width + (columns - 1) * GAP, 2 * MARGIN + rows * height + (rows - 1) * GAP)
    return SheetGeometry(columns, rows, (width, height), size)


def contact_sheet(deck: Deck, fronts: Sequence[CardFront], back: CardBack, *, bleed_mm: float = BLEED_MM,
                  progress: Callable[[int], None] | None = None) -> Output:
    """The sheet, ``<deck-id>-preview.png``, from the cards laid out with ``bleed_mm``.
    ``progress(n)`` is called as cards are rendered, ``n`` at a time."""
    from PIL import Image
    import pypdfium2 as pdfium

    geometry = sheet_geometry(len(fronts), deck.card_mm)
    sheet = Image.new("RGB", geometry.size, BACKGROUND)
    for start in range(0, len(fronts), BATCH):
        batch = fronts[start:start + BATCH]
        pdf = pdfium.PdfDocument(print_shop(deck, batch, back, bleed_mm=bleed_mm).data)
        try:
            if start == 0:
                sheet.paste(_trim(pdf[1], geometry.tile), geometry.position(0))
            for offset in range(len(batch)):
                sheet.paste(_trim(pdf[2 * offset], geometry.tile), geometry.position(start + offset + 1))
        finally:
            pdf.close()
        if progress is not None:
            progress(len(batch))
    return Output(f"{deck.id}-preview.png", encode_png(sheet, None), 1,
                  f"contact sheet, {len(fronts)} cards and the back")


def _trim(page, tile: tuple[int, int]):
    """The page's TrimBox, rendered to exactly ``tile`` pixels."""
    left, bottom, right, top = page.get_trimbox()
    page_w, page_h = page.get_size()
    sx, sy = tile[0] / (right - left), tile[1] / (top - bottom)
    image = render_page(page, (round(page_w * sx), round(page_h * sy)))
    x, y = round(left * sx), round((page_h - top) * sy)
    return image.crop((x, y, x + tile[0], y + tile[1]))

