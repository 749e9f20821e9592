"""Fonts (preflight/fonts.py): every font text is set in is embedded, followed into
forms and Type0 descendants; Type3 fonts scale the text size."""

from __future__ import annotations

from preflight_helpers import ROOT, card_canvas, fails, finding, raw_pdf, text
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from deckprint.preflight import check_pdf
from deckprint.sizes import mm


def test_a_non_embedded_font_alone_fails(tmp_path):
    path = tmp_path / "helvetica.pdf"
    c = card_canvas(path)
    c.drawString(mm(10), mm(60), "first page is fine")
    c.showPage()
    text(c, font="Helvetica")
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"fonts.not-embedded"}
    font = finding(report, "fonts.not-embedded")
    assert font.pages == (2,) and font.message == "font Helvetica is not embedded"


def test_fonts_are_followed_into_forms_and_type0_descendants(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))  # a CID font, never embedded
    path = tmp_path / "forms.pdf"
    c = card_canvas(path)
    c.beginForm("back")
    text(c, font="Times-Roman")
    c.endForm()
    c.doForm("back")
    c.showPage()
    text(c, font="HeiseiMin-W3")
    c.showPage()
    c.save()
    report = check_pdf(path)
    messages = {f.message: f.pages for f in report.findings if f.code == "fonts.not-embedded"}
    assert messages == {"font Times-Roman is not embedded": (1,),
                        "font HeiseiMin-W3 is not embedded": (2,)}


def test_embedded_type0_and_type3_fonts_pass_and_sizes_follow_the_matrices(tmp_path):
    ttf = (ROOT / "fonts" / "NotoSans-Regular.ttf").read_bytes()
    descriptor = {"/Type": "/FontDescriptor", "/FontName": "/NotoSans", "/Flags": 32,
                  "/FontBBox": [0, -300, 1000, 1000], "/ItalicAngle": 0, "/Ascent": 1000,
                  "/Descent": -300, "/CapHeight": 700, "/StemV": 80,
                  "/FontFile2": ("stream", {"/Length1": len(ttf)}, ttf)}
    fonts = {
        "/T0": {"/Type": "/Font", "/Subtype": "/Type0", "/BaseFont": "/NotoSans",
                "/Encoding": "/Identity-H", "/DescendantFonts": [{
                    "/Type": "/Font", "/Subtype": "/CIDFontType2", "/BaseFont": "/NotoSans",
                    "/CIDSystemInfo": {"/Registry": "Adobe", "/Ordering": "Identity", "/Supplement": 0},
                    "/FontDescriptor": descriptor}]},
        "/T3": {"/Type": "/Font", "/Subtype": "/Type3", "/FontBBox": [0, 0, 1, 1],
                "/FontMatrix": [0.01, 0, 0, 0.01, 0, 0],  # glyphs 100 units to the em
                "/CharProcs": {"/a": b"100 0 0 0 100 100 d1 0 0 100 100 re f"},
                "/Encoding": {"/Type": "/Encoding", "/Differences": [97, "/a"]},
                "/FirstChar": 97, "/LastChar": 97, "/Widths": [100]},
        "/H": {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Helvetica"},
    }
    path = raw_pdf(tmp_path / "fonts.pdf", [
        b"0 0 0 1 k BT /T0 1 Tf 7 0 0 7 30 300 Tm <0024> Tj ET",  # 1 pt × a 7× text matrix
        b"0 0 0 1 k q 0.5 0 0 0.5 0 0 cm BT /T3 1.3 Tf 50 50 Td (a) Tj ET Q",  # 1.3 × 10 × 0.5
        b"0 0 0 1 k BT /H 3 Tf 3 Tr 20 20 Td (invisible OCR text) Tj ET",  # not printed
    ], {"/Font": fonts})
    report = check_pdf(path, qr=False)
    assert fails(report) == {"fonts.not-embedded"}  # Helvetica, though invisible: it is in the file
    assert finding(report, "fonts.not-embedded").message == "font Helvetica is not embedded"
    assert report.smallest_text_pt == 6.5
    assert finding(report, "text.size").pages == (2,)
