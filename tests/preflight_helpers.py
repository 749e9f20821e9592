"""What the preflight tests share: PDFs made badly on purpose, one thing at a time.

A card page as a print shop wants it (:func:`card_canvas`), which each test breaks in
one way with plain ReportLab; pages written object by object (:func:`raw_pdf`) for what
ReportLab cannot make; and short ways to read a report.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
from PIL import Image
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from deckprint.draw.qr import draw_qr
from deckprint.qr import qr_matrix, side_in_modules
from deckprint.sizes import mm

ROOT = Path(__file__).resolve().parents[1]
FONT = "PreflightNoto"
pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "NotoSans-Regular.ttf")))

CARD = (70.0, 120.0)  # trim, mm
URL = "https://example.org/personas/annotator-nairobi?deck=ai-workers&card=7"


def card_canvas(path: Path, *, bleed_mm: float = 3.0, trim: bool = True, bleed_box: bool = True,
                cmyk: bool = True, font: str = FONT) -> Canvas:
    """A card page (70 × 120 mm + bleed) set up as a print shop wants it; each test
    breaks one thing."""
    b = mm(bleed_mm)
    size = (mm(CARD[0]) + 2 * b, mm(CARD[1]) + 2 * b)
    c = Canvas(str(path), pagesize=size, initialFontName=font, initialFontSize=9,
               enforceColorSpace="cmyk" if cmyk else None)
    if bleed_box:
        c.setBleedBox((0, 0, *size))
    if trim:
        c.setTrimBox((b, b, size[0] - b, size[1] - b))
    return c


def text(c: Canvas, size: float = 9, font: str = FONT) -> None:
    c.setFont(font, size)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.drawString(mm(10), mm(60), "Testimony of a data annotator")


def text_card(path: Path, **canvas) -> Path:
    """A one-page card PDF with a line of text, made as :func:`card_canvas` is told."""
    c = card_canvas(path, **canvas)
    text(c)
    c.showPage()
    c.save()
    return path


def cmyk_jpeg(path: Path, pixels: int) -> Path:
    Image.new("CMYK", (pixels, pixels), (10, 60, 0, 20)).save(path, "JPEG", quality=90)
    return path


def draw_damaged_qr(c: Canvas, *, module_mm: float = 0.6, damage: bool = True) -> None:
    matrix = qr_matrix(URL)
    side = mm(module_mm * side_in_modules(matrix))
    x, y = mm(15), mm(20)
    draw_qr(c, matrix, x, y, side)
    if damage:  # white out the middle third of the data, keeping the finder patterns
        module = side / side_in_modules(matrix)
        n = matrix.size
        c.setFillColorCMYK(0, 0, 0, 0)
        first, count = n // 3, n // 3 + 2
        c.rect(x + (4 + first) * module, y + side - (4 + first + count) * module,
               count * module, count * module, stroke=0, fill=1)


def fails(report) -> set[str]:
    return {f.code for f in report.findings if f.level == "fail"}


def finding(report, code: str):
    (match,) = [f for f in report.findings if f.code == code]
    return match


def raw_pdf(path: Path, pages: list[bytes], resources: dict, *, size=(mm(76), mm(126)),
            bleed_mm: float = 3.0) -> Path:
    """Pages with the given content streams, sharing ``resources`` (plain Python values:
    "/Name" strings are names, other strings text, bytes or ("stream", dict, bytes)
    streams), with a proper TrimBox and BleedBox."""
    writer = pypdf.PdfWriter()

    def pdf(value):
        if isinstance(value, bytes):
            value = ("stream", {}, value)
        if isinstance(value, tuple):
            stream = DecodedStreamObject()
            stream.set_data(value[2])
            stream.update({NameObject(k): pdf(v) for k, v in value[1].items()})
            return writer._add_object(stream)
        if isinstance(value, dict):
            return DictionaryObject({NameObject(k): pdf(v) for k, v in value.items()})
        if isinstance(value, list):
            return ArrayObject(pdf(v) for v in value)
        if isinstance(value, str):
            return NameObject(value) if value.startswith("/") else TextStringObject(value)
        return FloatObject(value) if isinstance(value, float) else NumberObject(value)

    shared = pdf(resources)
    b = mm(bleed_mm)
    for content in pages:
        page = writer.add_blank_page(*size)
        page[NameObject("/Resources")] = shared
        page[NameObject("/Contents")] = pdf(content)
        page[NameObject("/BleedBox")] = pdf([0, 0, size[0], size[1]])
        page[NameObject("/TrimBox")] = pdf([b, b, size[0] - b, size[1] - b])
    writer.write(path)
    return path
