"""Drawing laid-out cards on a canvas: the front of each card, and the deck's one back.

Nothing here measures text or decides a position: the layout did. The back is drawn
once per PDF as a Form XObject and placed on every back page (0.4 KB a page instead of
5 KB, and 25 × faster).
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ..colors import CMYK
from ..layout.back import CardBack
from ..layout.common import Box, cmyk_color
from ..layout.face import Face
from .qr import place_qr


def _fill_rect(c: Canvas, box: Box, color: CMYK, dx: float, dy: float) -> None:
    c.setFillColor(cmyk_color(color))
    c.rect(box.x + dx, box.y + dy, box.w, box.h, stroke=0, fill=1)


def image_cover(c: Canvas, path, box: Box, dx: float, dy: float, size: tuple[int, int]) -> None:
    """The image scaled to cover the box (cropped, never squeezed)."""
    iw, ih = size
    scale = max(box.w / iw, box.h / ih)
    w, h = iw * scale, ih * scale
    c.saveState()
    clip = c.beginPath()
    clip.rect(box.x + dx, box.y + dy, box.w, box.h)
    c.clipPath(clip, stroke=0, fill=0)
    c.drawImage(ImageReader(str(path)), box.x + dx + (box.w - w) / 2, box.y + dy + (box.h - h) / 2,
                w, h, mask="auto")
    c.restoreState()


def draw_front(c: Canvas, front: Face, x: float, y: float, clip: Box | None = None) -> None:
    """Draw a card front with its trim's bottom-left corner at page point (x, y).

    ``clip`` (in card coordinates) limits the drawing, e.g. to the trim where cards
    touch on a sheet; without it the band runs into the bleed.
    """
    c.saveState()
    if clip is not None:
        path = c.beginPath()
        path.rect(clip.x + x, clip.y + y, clip.w, clip.h)
        c.clipPath(path, stroke=0, fill=0)
    _fill_rect(c, front.band, front.band_color, x, y)
    if front.image is not None and front.card.image is not None:
        image = front.card.image
        image_cover(c, image.path, front.image, x, y, (image.width, image.height))
    _fill_rect(c, front.quote_rule, front.accent, x, y)
    for placed in front.texts:
        placed.flowable.drawOn(c, placed.box.x + x, placed.box.y + y)
    c.restoreState()
    box = front.qr_box
    place_qr(c, front.qr, box.x + x, box.y + y, box.w, link=front.url)


BACK_FORM = "deckprint-card-back"


def define_back(c: Canvas, back: CardBack) -> str:
    """Draw the back once as a form; returns its name for :func:`place_back`."""
    c.beginForm(BACK_FORM, lowerx=back.page.x, lowery=back.page.y,
                upperx=back.page.right, uppery=back.page.top)
    _fill_rect(c, back.page, back.background, 0, 0)
    for box, color in back.stripes:
        _fill_rect(c, box, color, 0, 0)
    if back.image is not None and back.image_file is not None:
        image_cover(c, back.image_file.path, back.image, 0, 0,
                     (back.image_file.width, back.image_file.height))
    for placed in back.texts:
        placed.flowable.drawOn(c, placed.box.x, placed.box.y)
    c.endForm()
    return BACK_FORM


def place_back(c: Canvas, x: float, y: float, clip: Box | None = None) -> None:
    c.saveState()
    if clip is not None:
        path = c.beginPath()
        path.rect(clip.x + x, clip.y + y, clip.w, clip.h)
        c.clipPath(path, stroke=0, fill=0)
    c.translate(x, y)
    c.doForm(BACK_FORM)
    c.restoreState()


def crop_mark(c: Canvas, x0: float, y0: float, x1: float, y1: float) -> None:
    """A hairline in 100 % K (registration black would print in four inks)."""
    c.setStrokeColor(CMYKColor(0, 0, 0, 1))
    c.setLineWidth(0.25)
    c.line(x0, y0, x1, y1)
