"""The two card outputs: print-and-play sheets, and the print-shop file."""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..draw.card import crop_mark, define_back, draw_front, place_back
from ..draw.pdf import new_canvas, set_boxes
from ..errors import DeckError
from ..imposition import sheet_layout
from ..layout.back import CardBack
from ..layout.card import CardFront
from ..deck import Deck
from ..sizes import PAPERS, mm
from ..wording import phrase
from . import Output


def print_and_play(deck: Deck, fronts: Sequence[CardFront], back: CardBack, *, paper: str,
                   duplex: str, back_offset_mm: tuple[float, float], bleed_mm: float) -> Output:
    """Sheets of fronts, each followed by its sheet of backs, mirrored for duplex."""
    try:
        sheet = sheet_layout(PAPERS[paper], deck.card_mm, bleed_mm)
    except ValueError as exc:  # a card larger than the sheet: the deck's card size
        raise DeckError([deck.problem(("deck", "card"), f"{exc}: print on larger paper (--paper a3), "
                                      "or build only the print-shop file (--target print)")]) from None
    buffer = io.BytesIO()
    c = new_canvas(buffer, sheet.paper, deck, phrase(deck.lang, "pdf_pnp", paper=paper.upper()))
    set_boxes(c, sheet.paper, 0)
    if duplex != "off":
        define_back(c, back)
        dx, dy = mm(back_offset_mm[0]), mm(back_offset_mm[1])
        backs = sheet.back_slots(duplex, (dx, dy))
    pages = 0
    for start in range(0, len(fronts), sheet.per_sheet):
        batch = fronts[start:start + sheet.per_sheet]
        for front, slot in zip(batch, sheet.slots):
            draw_front(c, front, slot.x, slot.y, clip=slot.clip)
        for mark in sheet.marks:
            crop_mark(c, *mark)
        c.showPage()
        pages += 1
        if duplex != "off":
            for _, slot in zip(batch, backs):
                place_back(c, slot.x, slot.y, clip=slot.clip)
            # The grid is centred, so its marks are their own mirror image: on the back
            # they sit behind the front's, shifted like the backs. Held against a window,
            # the two sets of marks show a printer's duplex drift (see the README).
            for x0, y0, x1, y1 in sheet.marks:
                crop_mark(c, x0 + dx, y0 + dy, x1 + dx, y1 + dy)
            c.showPage()
            pages += 1
    c.save()
    return Output(f"{deck.id}-pnp-{paper}.pdf", buffer.getvalue(), pages,
                  f"print-and-play, {paper.upper()}, {sheet.per_sheet} cards a sheet"
                  + ("" if duplex == "off" else f", duplex {duplex}-edge"))


PAGE_ORDERS = ("front-back", "back-front")


def print_shop(deck: Deck, fronts: Sequence[CardFront], back: CardBack, *, bleed_mm: float,
               order: str = "front-back") -> Output:
    """One card face a page, trim plus bleed, TrimBox and BleedBox set; each card's
    front then its back, or (``order="back-front"``, as DriveThruCards asks) back then
    front."""
    if order not in PAGE_ORDERS:
        raise ValueError(f"order must be one of {PAGE_ORDERS}, not {order!r}")
    bleed = mm(bleed_mm)
    page = (mm(deck.card_mm[0]) + 2 * bleed, mm(deck.card_mm[1]) + 2 * bleed)
    buffer = io.BytesIO()
    c = new_canvas(buffer, page, deck, phrase(deck.lang, "pdf_print"))
    set_boxes(c, page, bleed)
    define_back(c, back)
    for front in fronts:
        if order == "back-front":
            place_back(c, bleed, bleed)
            c.showPage()
        draw_front(c, front, bleed, bleed)
        c.showPage()
        if order == "front-back":
            place_back(c, bleed, bleed)
            c.showPage()
    c.save()
    faces = "front/back" if order == "front-back" else "back/front"
    return Output(f"{deck.id}-print.pdf", buffer.getvalue(), 2 * len(fronts),
                  f"print shop, {deck.card_size_label} + {bleed_mm:g} mm bleed, {faces} interleaved")
