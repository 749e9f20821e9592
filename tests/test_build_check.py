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


def test_build_reads_each_distinct_qr_code_once(built: Path) -> None:
    from deckprint.preflight import check_pdf, check_pdf_data

    pdf = built / "travailleurs-ia" / "travailleurs-ia-print.pdf"
    every_page = check_pdf(pdf)
    once = check_pdf_data(pdf.read_bytes(), pdf, qr_once_per_form=True)
    assert len(every_page.qr_codes) == 21  # one on each front
    assert [(q.page, q.valid) for q in once.qr_codes] == [(1, True)]  # the 21 share one form
    assert once.failed == every_page.failed == False  # noqa: E712


def test_a_second_source_is_read_too(tmp_path: Path) -> None:
    from deckprint.layout.back import layout_back
    from deckprint.layout.card import layout_deck
    from deckprint.load import load_deck
    from deckprint.preflight import check_pdf_data
    from deckprint.targets.cards import print_shop

    text = FRENCH.read_text(encoding="utf-8").replace(
        "  - name: Koffi\n", "  - name: Koffi\n    source:\n      url: https://example.org/koffi\n", 1)
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    deck = load_deck(path)
    output = print_shop(deck, layout_deck(deck), layout_back(deck), bleed_mm=3)
    report = check_pdf_data(output.data, Path(output.name), qr_once_per_form=True)
    assert [(q.page, q.text) for q in report.qr_codes] == [
        (1, deck.cards[0].source.url), (3, "https://example.org/koffi")]
