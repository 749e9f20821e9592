"""The print canvas (draw/pdf.py): no ASCII85 in any stream deckprint writes, and
ReportLab's own setting left as it was for any other canvas."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from reportlab import rl_config, rl_settings
from reportlab.pdfgen.canvas import Canvas

from conftest import ROOT, run
from deckprint.draw.pdf import no_ascii85

GOOD = ROOT / "tests" / "good_decks"


def _filters(pdf_path: Path) -> tuple[list[str], int]:
    """Every stream filter of a PDF, and how many images it holds."""
    filters, images = [], 0
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                value = obj.get("/Filter")
                filters += [str(f) for f in value] if isinstance(value, pikepdf.Array) else \
                    [str(value)] if value is not None else []
                images += obj.get("/Subtype") == "/Image"
    return filters, images


def test_no_stream_is_ascii85_and_reportlab_keeps_its_setting(tmp_path: Path) -> None:
    # the deck with a portrait and a back image: images, forms and pages all written
    result = run("build", str(GOOD / "full.yaml"), "--out", str(tmp_path), "--no-check", "-j", "1", "-q",
                 "--target", "pnp", "--target", "print", "--target", "posters", "--target", "guide")
    assert result.exit_code == 0, result.output
    pdfs = sorted(tmp_path.glob("*/*.pdf"))
    assert len(pdfs) == 4
    images = 0
    for pdf in pdfs:
        filters, found = _filters(pdf)
        images += found
        assert "/FlateDecode" in filters, pdf.name
        assert "/ASCII85Decode" not in filters, pdf.name
    assert images, "no image drawn: the test no longer covers drawImage"
    # ... and a canvas deckprint did not make still gets ReportLab's default
    assert rl_config.useA85 == rl_settings.useA85


def test_no_ascii85_is_scoped() -> None:
    def page_filters() -> str:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pageCompression=1)
        canvas.drawString(10, 10, "x")
        canvas.save()
        with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
            return str(pdf.pages[0].obj.Contents.get("/Filter"))

    before = rl_config.useA85
    with no_ascii85():
        assert "ASCII85Decode" not in page_filters()
    assert rl_config.useA85 == before
    try:
        with no_ascii85():
            raise KeyError("x")
    except KeyError:
        pass
    assert rl_config.useA85 == before
