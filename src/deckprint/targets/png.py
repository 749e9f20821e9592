"""Card faces as PNG images for print-on-demand services, and DriveThruCards' PDF.

The images are rendered (pypdfium2) from a print-shop PDF made for the purpose — the
same drawing code, with the service's bleed — so a PNG shows exactly what the PDF
prints, bleed included. Each image is sized exactly: the page in points × dpi / 72,
rounded, whatever the rounding does to a scale factor. PDFium turns the CMYK page into
sRGB (its Adobe CMYK → sRGB table); the PNG says so (sRGB, gAMA and cHRM chunks) and
carries its resolution (pHYs). Pillow's PNG encoder at a fixed level gives the same
bytes for the same pixels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Callable

from ..colors import CMYK
from ..errors import UserError
from ..layout.back import CardBack
from ..layout.card import CardFront
from ..deck import Deck
from ..shops import FaceFormat
from . import Output, Stale
from .cards import print_shop

# Fixed, so that the same pixels always give the same bytes. Measured on a tarot face:
# level 3 encodes in half the time of Pillow's default 6 for files 2.5 % larger.
COMPRESS_LEVEL = 3
CARDS_PER_JOB = 25  # below this, one more process costs more than it saves

# The PNG colour chunks for sRGB (PNG specification, 11.3.3.5 and 11.3.3.2): rendering
# intent 0 (perceptual), and the gAMA and cHRM values a writer should add beside it.
_SRGB_CHUNKS = (
    (b"sRGB", b"\x00"),
    (b"gAMA", (45455).to_bytes(4, "big")),
    (b"cHRM", b"".join(v.to_bytes(4, "big") for v in
                        (31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))),
)
_FACE_NAME = re.compile(r"^\d{2,}-[a-z0-9][a-z0-9-]*-(front|back)\.png$")


def face_names(deck: Deck) -> list[tuple[str, str]]:
    """``(front, back)`` file names per card: ``07-hao-front.png``; the number has as
    many digits as the largest (at least two) so that the files sort in deck order."""
    digits = max(2, len(str(len(deck.cards))))
    return [(f"{card.number:0{digits}d}-{card.id}-front.png", f"{card.number:0{digits}d}-{card.id}-back.png")
            for card in deck.cards]


def pdf_name(deck: Deck, fmt: FaceFormat) -> str:
    return f"{deck.id}-{fmt.shop.name}.pdf"


def png_jobs(deck: Deck, fronts: Sequence[CardFront], back: CardBack, fmt: FaceFormat,
             workers: int) -> list[Callable[[], Output | list[Output]]]:
    """The target's work, split by cards into at most ``workers`` jobs; ``fronts`` and
    ``back`` must be laid out with ``fmt.bleed_mm``."""
    if fmt.shop.files == "pdf":
        return [partial(shop_pdf, deck, fronts, back, fmt)]
    count = max(1, min(workers, len(fronts) // CARDS_PER_JOB))
    step = max(1, -(-len(fronts) // count))
    return [partial(png_faces, deck, fronts, back, fmt, start, min(start + step, len(fronts)))
            for start in range(0, len(fronts), step)]


def png_faces(deck: Deck, fronts: Sequence[CardFront], back: CardBack, fmt: FaceFormat,
              start: int = 0, stop: int | None = None) -> list[Output]:
    """Front and back images of cards ``start``–``stop`` (all by default)."""
    import pypdfium2 as pdfium

    batch = fronts[start:stop]
    names = face_names(deck)[start:stop]
    pdf = pdfium.PdfDocument(print_shop(deck, batch, back, bleed_mm=fmt.bleed_mm).data)
    try:
        outputs: list[Output] = []
        back_png = None  # every back page places the same form: render it once
        w, h = fmt.pixels
        what = f"{fmt.shop.title}, {w} × {h} px at {fmt.dpi} dpi, {fmt.bleed_mm:g} mm bleed, sRGB"
        for index, (front_name, back_name) in enumerate(names):
            front_png = encode_png(render_page(pdf[2 * index], fmt.pixels), fmt.dpi)
            if back_png is None:
                back_png = encode_png(render_page(pdf[2 * index + 1], fmt.pixels), fmt.dpi)
            outputs.append(Output(front_name, front_png, 1, f"front, {what}", folder=fmt.shop.folder))
            outputs.append(Output(back_name, back_png, 1, f"back, {what}", folder=fmt.shop.folder))
        return outputs
    finally:
        pdf.close()


def shop_pdf(deck: Deck, fronts: Sequence[CardFront], back: CardBack, fmt: FaceFormat) -> Output:
    """One CMYK PDF for the deck, pages in the service's order, checked for its ink limit."""
    fronts = list(fronts)  # read twice: laid out once
    if fmt.shop.max_ink is not None:
        check_ink(fronts, back, fmt)
    output = print_shop(deck, fronts, back, bleed_mm=fmt.bleed_mm, order=fmt.shop.order)
    w, h = fmt.pixels
    return replace(output, name=pdf_name(deck, fmt),
                   what=f"{fmt.shop.title}: {output.what.removeprefix('print shop, ')}, "
                        f"{w} × {h} px a face at {fmt.dpi} dpi")


def check_ink(fronts: Sequence[CardFront], back: CardBack, fmt: FaceFormat) -> None:
    """Every flat colour within the service's total ink limit; a user error naming each
    one that is not. (Images are not measured.)"""
    limit = fmt.shop.max_ink
    colours: dict[CMYK, str] = {}
    for front in fronts:
        category = front.card.category
        where = f'category "{category.id}"' if category else f'card {front.card.number} "{front.card.name}"'
        colours.setdefault(front.band_color, where)
        colours.setdefault(front.accent, where)
    colours.setdefault(back.background, "the card back")
    for _, colour in back.stripes:
        colours.setdefault(colour, "the card back's stripes")
    over = [(where, colour) for colour, where in colours.items()
            if colour.c + colour.m + colour.y + colour.k > limit + 1e-6]
    if over:
        lines = [f"  {where}: cmyk({colour.c:.0%}, {colour.m:.0%}, {colour.y:.0%}, {colour.k:.0%}) is "
                 f"{colour.c + colour.m + colour.y + colour.k:.0%} ink" for where, colour in over]
        raise UserError(f"{fmt.shop.title} prints at most {limit:.0%} total ink; lighten these "
                        "colours in the deck:\n" + "\n".join(lines))


def render_page(page, size: tuple[int, int]):
    """The page rendered to exactly ``size`` pixels, as an RGB Pillow image.

    ``PdfPage.render`` rounds each side up from one scale factor, which can miss the
    rounded size by a pixel; this asks PDFium for the size itself (the page is mapped
    onto the whole bitmap, as render does).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    w, h = size
    bitmap = pdfium.PdfBitmap.new_native(w, h, pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect((255, 255, 255, 255), 0, 0, w, h)
    pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, w, h, 0, pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_PRINTING)
    image = bitmap.to_pil()
    return image if image.mode == "RGB" else image.convert("RGB")


def encode_png(image, dpi: float | None) -> bytes:
    """RGB, no alpha, sRGB chunks, the resolution (when given) in pHYs, no time or text
    chunks."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for chunk, data in _SRGB_CHUNKS:
        info.add(chunk, data)
    buffer = io.BytesIO()
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    image = image if image.mode == "RGB" else image.convert("RGB")
    image.save(buffer, "PNG", pnginfo=info, compress_level=COMPRESS_LEVEL, optimize=False, **extra)
    return buffer.getvalue()


def stale(outputs: list[Output]) -> list[Stale]:
    """Face images left in a preset's folder (``png/``, ``png/mpc/``…) by an earlier
    build of a deck that has since lost or renamed cards: uploading the folder would
    send them too. Only files named as this target names them, only in the folders
    this build wrote faces to: another preset's images are not this build's."""
    folders = dict.fromkeys(output.folder for output in outputs if output.folder and _FACE_NAME.match(output.name))
    return [Stale(folder, _FACE_NAME) for folder in folders]
