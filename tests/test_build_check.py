"""`deckprint build` runs the preflight on every PDF before writing it."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

import deckprint.targets.cards
from conftest import FRENCH, run
from deckprint.targets import Output


def plain_reportlab_pdf() -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(200, 300))
    c.setFillColorRGB(1, 0, 0)
    c.drawString(20, 20, "RGB text in a font that is not embedded")
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_a_pdf_that_fails_the_checks_is_not_written(tmp_path: Path, monkeypatch) -> None:
    def bad_print_shop(deck, fronts, back, *, bleed_mm):
        return Output(f"{deck.id}-print.pdf", plain_reportlab_pdf(), 1, "a bad file")

    monkeypatch.setattr(deckprint.targets.cards, "print_shop", bad_print_shop)
    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "print", "--target", "pnp")
    assert result.exit_code == 1
    assert "travailleurs-ia-print.pdf fails the print checks, so it was not written" in result.stderr
    assert "RGB" in result.stderr and "Helvetica" in result.stderr
    assert not (tmp_path / "travailleurs-ia").exists()  # nor the pnp file: all or nothing

    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "print", "--no-check")
    assert result.exit_code == 0
    assert (tmp_path / "travailleurs-ia" / "travailleurs-ia-print.pdf").read_bytes().startswith(b"%PDF")
