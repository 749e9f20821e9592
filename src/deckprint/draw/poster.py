"""Drawing laid-out posters: fills, the optional portrait, texts, then the QR code.

The layout is in A3 units; here the canvas is moved to the trim's corner and scaled
to the poster size, so A2 and A1 are the same drawing, scaled as vector. The QR code
is placed outside that transform, in page points (``PosterFormat.to_page``), because
its link annotation is a page rectangle that a canvas transform does not move; it goes
through ``place_qr``'s Form XObject, so the deck's source code, on most posters, is
written once per PDF.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ..layout.common import cmyk_color
from ..layout.face import Face
from ..layout.overview import OverviewPage
from ..layout.poster import PosterFormat
from .card import image_cover
from .qr import place_qr


def draw_poster(c: Canvas, poster: OverviewPage | Face, fmt: PosterFormat) -> None:
    """One poster on the current page (the caller sets the page boxes and shows it)."""
    c.saveState()
    c.translate(fmt.bleed, fmt.bleed)
    c.scale(fmt.scale, fmt.scale)
    for box, color in poster.fills:
        c.setFillColor(cmyk_color(color))
        c.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
    card = getattr(poster, "card", None)
    if poster.image is not None and card is not None and card.image is not None:
        image_cover(c, card.image.path, poster.image, 0, 0, (card.image.width, card.image.height))
    for placed in poster.texts:
        placed.flowable.drawOn(c, placed.box.x, placed.box.y)
    c.restoreState()
    qr = fmt.to_page(poster.qr_box)
    place_qr(c, poster.qr, qr.x, qr.y, qr.w, link=poster.url)
