"""The QR scan (preflight/qr.py): codes that do not decode fail, small modules warn,
modules are measured even without the version from zxing-cpp."""

from __future__ import annotations

import pytest
from preflight_helpers import URL, card_canvas, draw_damaged_qr, fails, finding, text

from deckprint.draw.qr import draw_qr
from deckprint.preflight import check_pdf
from deckprint.qr import qr_matrix, side_in_modules
from deckprint.sizes import mm


def test_a_damaged_qr_code_fails(tmp_path):
    path = tmp_path / "qr.pdf"
    c = card_canvas(path)
    text(c)
    draw_damaged_qr(c)
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"qr.undecodable"}
    bad = finding(report, "qr.undecodable")
    assert bad.page == 1 and "does not decode" in bad.message
    assert [q.valid for q in report.qr_codes] == [False]
    # the same code, undamaged, decodes: the failure is the damage, not the drawing
    ok = card_canvas(tmp_path / "qr-ok.pdf")
    text(ok)
    draw_damaged_qr(ok, damage=False)
    ok.showPage()
    ok.save()
    assert [(q.text, q.valid) for q in check_pdf(tmp_path / "qr-ok.pdf").qr_codes] == [(URL, True)]


def test_small_qr_modules_and_small_text_warn(tmp_path):
    path = tmp_path / "small.pdf"
    c = card_canvas(path)
    text(c)
    draw_damaged_qr(c, module_mm=0.3, damage=False)
    c.showPage()
    c.saveState()
    c.scale(0.5, 0.5)
    text(c, size=10)  # 10 pt under a half scale: 5 pt on paper
    c.restoreState()
    text(c, size=9)  # after Q, full scale again
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert not fails(report)
    module = finding(report, "qr.module")
    assert module.level == "warn" and "modules 0.3 mm, under 0.4 mm" in module.message
    assert report.qr_codes[0].module_mm == pytest.approx(0.3, abs=0.01)
    small = finding(report, "text.size")
    assert small.level == "warn" and small.pages == (2,)
    assert report.smallest_text_pt == 5


def test_module_size_without_the_version_from_zxing(tmp_path, monkeypatch):
    """zxing-cpp before 3 does not give the version: the finder pattern measures the module."""
    from deckprint.preflight import qr

    monkeypatch.setattr(qr, "_version", lambda barcode: None)
    for url, module_mm in [("https://x.io/", 0.3), (URL, 0.3), (URL, 0.5), (URL * 3, 0.4), (URL, 1.2)]:
        path = tmp_path / "qr.pdf"
        matrix = qr_matrix(url)
        side = mm(module_mm * side_in_modules(matrix))
        c = card_canvas(path, bleed_mm=10)
        draw_qr(c, matrix, mm(10), mm(10), side)
        c.showPage()
        c.save()
        (code,) = check_pdf(path).qr_codes
        assert code.valid and code.module_mm == pytest.approx(module_mm, rel=0.02), matrix.version
