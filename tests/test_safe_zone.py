"""The safe zone is for ink: no glyph, QR module or rule within 3 mm of the trim, on the
rendered pages of real output, and the glyph measurements the layout relies on agree
with what PDFium draws.

How ink is told from background. Every full-bleed background deckprint draws — a
card front's category band, the back's ink and its category stripes, a poster's
bands — is a horizontal band, the same colour along the whole row from one bleed edge
to the other. So each row's background colour can be read in the bleed, outside the
trim, where nothing else is drawn: a pixel in the 3 mm frame inside the trim that
differs from its row's background (read on its own side of the page) is ink of
something else. The anti-aliased edge of a band is horizontal too, the same along its
row, so it is never mistaken for ink; the white below a band is the white of the
bleed at that height. A pixel whose centre is within one pixel of the 3 mm line is
left out: a glyph that ends exactly on the line may tint it.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import pypdfium2 as pdfium

from conftest import ENGLISH, FRENCH, run

SAFE_MM = 3.0
TOLERANCE = 6  # of 255, per channel: PDFium draws a flat colour the same on every pixel


def ink_in_frame(pdf_path: Path, dpi: int) -> list[tuple[int, float]]:
    """(page number, how close to the trim it inks, in mm) for each page with ink in the
    frame between the trim and 3 mm inside it."""
    found = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for index in range(len(pdf)):
            closest = _closest_ink(pdf[index], dpi)
            if closest is not None:
                found.append((index + 1, round(closest, 2)))
    finally:
        pdf.close()
    return found


def _closest_ink(page, dpi: int) -> float | None:
    """How close to the trim (mm) the page inks inside the frame, or None."""
    _, page_h = page.get_size()
    left, bottom, right, top = page.get_trimbox()
    pixels = page.render(scale=dpi / 72).to_numpy()[:, :, :3].astype(np.int16)
    h, w, _ = pixels.shape
    s = dpi / 72
    x0, x1, y0, y1 = left * s, right * s, (page_h - top) * s, (page_h - bottom) * s
    depth = SAFE_MM * dpi / 25.4 - 1  # pixel centres closer to the trim than this
    # each row's background, in the middle of the bleed on either side
    backgrounds = pixels[:, int(x0 / 2)], pixels[:, int((x1 + w) / 2)]
    closest = None
    for r0, r1, c0, c1 in ((y0, y0 + depth, x0, x1), (y1 - depth, y1, x0, x1),  # top, bottom
                           (y0, y1, x0, x0 + depth), (y0, y1, x1 - depth, x1)):  # left, right
        rows = np.arange(max(0, int(r0)), min(h, int(np.ceil(r1))))
        cols = np.arange(max(0, int(c0)), min(w, int(np.ceil(c1))))
        cy, cx = rows + 0.5, cols + 0.5
        from_trim = np.minimum.outer(np.minimum(cy - y0, y1 - cy), np.minimum(cx - x0, x1 - cx))
        frame = (from_trim >= 0) & (from_trim < depth)
        background = np.where((cx < w / 2)[None, :, None], backgrounds[0][rows][:, None, :],
                              backgrounds[1][rows][:, None, :])
        block = pixels[rows[:, None], cols[None, :]]
        inked = frame & (np.abs(block - background).max(axis=2) > TOLERANCE)
        if inked.any():
            distance = float(from_trim[inked].min()) * 25.4 / dpi
            closest = distance if closest is None else min(closest, distance)
    return closest


@pytest.mark.parametrize("deck", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_bundled_print_shop_pages_keep_ink_3_mm_inside_the_trim(built: Path, deck: Path) -> None:
    """Every page of the print-shop file, at 300 dpi (a pixel is 0.085 mm). Card 14's
    "J" of "Japon"/"Japan" inked 2.8 mm from the trim."""
    deck_id = "travailleurs-ia" if deck == FRENCH else "ai-workers"
    assert ink_in_frame(built / deck_id / f"{deck_id}-print.pdf", 300) == []


def test_bundled_posters_keep_ink_3_mm_inside_the_trim(built: Path) -> None:
    """The posters' margin is 20 mm, far more than the 3 mm: a guard against a layout
    change that would bring text to the edge. 100 dpi is enough for that."""
    assert ink_in_frame(built / "travailleurs-ia" / "travailleurs-ia-posters-a3.pdf", 100) == []


OVERHANGING = """\
deckprint: 1
deck:
  id: overhang
  title: "Jeux de *tarif*"
  language: fr
  credits: "Jeux typographiques : gjpqy gjpqy"
  source:
    url: https://example.org/jeu
categories:
  jeux:
    label: Jeux
    color: "#1e5aa0"
cards:
  - name: Jojo
    role: "*Jongleur* de jeux"
    country: Jamaïque
    category: jeux
    testimony: Je jongle.
    conditions:
      - Journées longues
    impact: "Jamais de repos, *jamais* de *fief*"
  - name: "*Jeff*"
    role: Joaillier
    country: Japon
    testimony: "Jolis bijoux : *j'ai fait ça*"
    impact: Jusqu'au bout
"""


def test_glyphs_that_hang_past_their_box_stay_3_mm_inside_the_trim(tmp_path: Path) -> None:
    """A deck made of the glyphs that reach past their advance: "J" and "j" at the
    start of a category label, a name, a country and body lines (left of the safe
    margin), an italic "f" ending the right-aligned deck title in the footer (right of
    it), descenders in the credits on the last line of the back (below it)."""
    deck = tmp_path / "overhang.yaml"
    deck.write_text(OVERHANGING, encoding="utf-8")
    result = run("build", str(deck), "--out", str(tmp_path / "out"), "--target", "print")
    assert result.exit_code == 0, result.output
    assert ink_in_frame(tmp_path / "out" / "overhang" / "overhang-print.pdf", 300) == []


# -- the measurement the layout relies on ---------------------------------------------

TEXTS = ["Japon", "*fjord* J'ai fait *fff*", "Jean-Jacques jongle avec *jolies* fleurs incroyablement jaunes, *ffj*",
         "Gypsy, quay, *Jeff* paying jogging", "É Å Ç *Åf*", "**Job** title jumps *gjf*"]


@pytest.mark.parametrize("align", [0, 1, 2, 4], ids=["left", "centre", "right", "justified"])
@pytest.mark.parametrize("bullet", [None, "•"], ids=["plain", "bullet"])
def test_measured_ink_box_holds_the_rendered_ink_tightly(align, bullet) -> None:
    """The ink box computed from the font's glyph boxes and ReportLab's lines holds
    every pixel PDFium draws (at 600 dpi, to two pixels: its anti-aliasing tints the
    pixel beyond a glyph's edge), and is no more than half a point larger on any side."""
    from reportlab.pdfgen.canvas import Canvas

    from deckprint.fonts import font_search_folders, load_family
    from deckprint.layout.ink import extent
    from deckprint.text import TextStyle, paragraph, to_markup

    family = load_family("Noto Sans", tuple(font_search_folders(None)))
    dpi, margin = 600, 40
    px = 72 / dpi
    for text in TEXTS:
        for width in (40, 90, 160):
            para = paragraph(to_markup(text), TextStyle(font=family.regular, size=14, align=align, bullet=bullet,
                                                        language="fr", leading_ratio=1.05))
            _, height = para.wrap(width, 1e6)
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=(width + 2 * margin, height + 2 * margin),
                            initialFontName=family.regular)
            para.drawOn(canvas, margin, margin)
            canvas.save()
            pdf = pdfium.PdfDocument(buffer.getvalue())
            pixels = pdf[0].render(scale=dpi / 72).to_numpy()[:, :, :3]
            pdf.close()
            rows, cols = np.nonzero(pixels.min(axis=2) < 250)
            page_h = pixels.shape[0] * px
            drawn = (cols.min() * px - margin, page_h - (rows.max() + 1) * px - margin,
                     (cols.max() + 1) * px - margin, page_h - rows.min() * px - margin)
            x0, y0, x1, y1 = extent(para)
            slack = (drawn[0] - x0, drawn[1] - y0, x1 - drawn[2], y1 - drawn[3])
            assert all(-2 * px <= v <= 0.5 for v in slack), (text, width, slack)
