"""The posters: the deck's overview poster(s), then one poster per card, in one PDF.

A3 portrait by default (297 × 420 mm trim plus bleed, TrimBox and BleedBox on every
page); ``size`` a2 or a1 scales the same design up as vector.
"""

from __future__ import annotations

import io

from ..draw.pdf import new_canvas, set_boxes
from ..draw.poster import draw_poster
from ..layout.overview import layout_posters
from ..layout.poster import poster_format
from ..deck import Deck
from ..sizes import BLEED_MM
from ..wording import phrase
from . import Output


def posters(deck: Deck, *, size: str = "a3", bleed_mm: float = BLEED_MM) -> Output:
    fmt = poster_format(size, bleed_mm)
    overview, personas = layout_posters(deck, fmt)
    buffer = io.BytesIO()
    c = new_canvas(buffer, fmt.media, deck, phrase(deck.lang, "pdf_posters", size=size.upper()))
    set_boxes(c, fmt.media, fmt.bleed)
    for poster in [*overview, *personas]:
        draw_poster(c, poster, fmt)
        c.showPage()
    c.save()
    pages = len(overview) + len(personas)
    views = f"{len(overview)} overview page" + ("s" if len(overview) > 1 else "")
    return Output(f"{deck.id}-posters-{size}.pdf", buffer.getvalue(), pages,
                  f"posters, {size.upper()} + {bleed_mm:g} mm bleed, {views} + {len(personas)} personas")
