"""`deckprint build` runs the preflight on every PDF before writing it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

import deckprint.targets.cards
from conftest import FRENCH, run
from deckprint.draw.qr import place_qr
from deckprint.layout.back import layout_back
from deckprint.layout.card import layout_deck
from deckprint.load import load_deck
from deckprint.preflight import check_pdf, check_pdf_data
from deckprint.qr import qr_matrix, side_in_modules
from deckprint.sizes import mm
from deckprint.targets import Output
from deckprint.targets.cards import print_shop


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
    pdf = built / "travailleurs-ia" / "travailleurs-ia-print.pdf"
    every_page = check_pdf(pdf)
    once = check_pdf_data(pdf.read_bytes(), pdf, qr_once_per_form=True)
    assert len(every_page.qr_codes) == 21  # one on each front
    assert [(q.page, q.valid) for q in once.qr_codes] == [(1, True)]  # the 21 share one form
    assert once.failed == every_page.failed == False  # noqa: E712


def test_a_second_source_is_read_too(tmp_path: Path) -> None:
    text = FRENCH.read_text(encoding="utf-8").replace(
        "  - name: Koffi\n", "  - name: Koffi\n    source:\n      url: https://example.org/koffi\n", 1)
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    deck = load_deck(path)
    output = print_shop(deck, layout_deck(deck), layout_back(deck), bleed_mm=3)
    report = check_pdf_data(output.data, Path(output.name), qr_once_per_form=True)
    assert [(q.page, q.text) for q in report.qr_codes] == [
        (1, deck.cards[0].source.url), (3, "https://example.org/koffi")]


def test_reading_each_form_once_still_sees_what_the_page_paints_over_it() -> None:
    # The region read is the page as printed around the form's placement: a code
    # spoiled by something the page draws over it fails, as in a full-page scan.
    def pdf(spoil: bool) -> bytes:
        buffer = io.BytesIO()
        c = Canvas(buffer, pagesize=(300, 300), enforceColorSpace="cmyk", invariant=1)
        matrix = qr_matrix("https://example.org/spoiled")
        for page in range(2):  # the same form on two pages: read once, on the first
            place_qr(c, matrix, 100, 80, 100, link=None)
            if spoil:  # white out the middle third of the data, keeping the finder patterns
                module = 100 / side_in_modules(matrix)
                first, count = matrix.size // 3, matrix.size // 3 + 2
                c.setFillColor(CMYKColor(0, 0, 0, 0))
                c.rect(100 + (4 + first) * module, 80 + 100 - (4 + first + count) * module,
                       count * module, count * module, stroke=0, fill=1)
            c.showPage()
        c.save()
        return buffer.getvalue()

    good = check_pdf_data(pdf(False), Path("good.pdf"), qr_once_per_form=True)
    assert [(q.page, q.text) for q in good.qr_codes] == [(1, "https://example.org/spoiled")]
    whole = check_pdf_data(pdf(False), Path("good.pdf")).qr_codes[0]  # the page read in full
    assert (good.qr_codes[0].x_mm, good.qr_codes[0].y_mm) == pytest.approx((whole.x_mm, whole.y_mm), abs=0.3)
    spoiled = check_pdf_data(pdf(True), Path("spoiled.pdf"), qr_once_per_form=True)
    assert [(q.page, q.valid) for q in spoiled.qr_codes] == [(1, False)]
    assert any(f.code == "qr.undecodable" for f in spoiled.findings)


def test_a_phantom_result_beside_a_good_code_is_not_a_failure() -> None:
    """zxing-cpp 3 reads this code (card 3138 of the 5,000-card benchmark deck, where it
    is drawn on a print-shop page) and also returns an "Invalid symbol size" error with
    no position. The build failed on it; an error that locates nothing is not a code."""
    url = ("https://www.example.org/actualites/article-03138-annotation-temoignent-"
           "annotation-temoignent-syndicats-intelligence.html")
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(mm(76), mm(126)), enforceColorSpace="cmyk", invariant=1)
    place_qr(c, qr_matrix(url), 17.00787, 17.00787, 63.099, link=None)
    c.showPage()
    c.save()
    report = check_pdf_data(buffer.getvalue(), Path("phantom.pdf"), qr_once_per_form=True)
    assert [(q.text, q.valid) for q in report.qr_codes] == [(url, True)]
    assert not any(f.code == "qr.undecodable" for f in report.findings)
