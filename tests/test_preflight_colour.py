"""Colour (preflight/colour.py): CMYK only; RGB and Lab fail, greys and spot colours
warn, wherever the colour is set (operators, colour spaces, forms)."""

from __future__ import annotations

from preflight_helpers import card_canvas, fails, finding, raw_pdf

from deckprint.preflight import check_pdf
from deckprint.sizes import mm


def test_rgb_inside_a_form_and_grey_as_a_warning(tmp_path):
    path = tmp_path / "colour.pdf"
    c = card_canvas(path, cmyk=False)
    c.beginForm("logo")
    c.setFillColorRGB(0, 0.5, 1)
    c.rect(0, 0, 20, 20, fill=1, stroke=0)
    c.endForm()
    c.setFillColorCMYK(0, 0, 0, 1)
    c.drawString(mm(10), mm(60), "page 1: CMYK, and an RGB logo in a form")
    c.doForm("logo")
    c.showPage()
    c.setFillGray(0.5)
    c.drawString(mm(10), mm(60), "page 2: grey")
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"colour.rgb"}
    assert {f.page for f in report.findings if f.code == "colour.rgb"} == {1}
    grey = finding(report, "colour.gray")
    assert grey.level == "warn" and grey.pages == (2,)


ICC = {"/N": 3}  # the profile data is not read: the component count says RGB


def test_colour_spaces_set_by_cs_and_scn(tmp_path):
    square = b" 20 20 50 50 re f"
    path = raw_pdf(tmp_path / "spaces.pdf", [
        b"/CMYK4 cs 0 0 0 1 scn" + square,  # ICC CMYK: fine
        b"/RGB3 cs 1 0 0 scn" + square,  # ICC RGB, by scn
        b"/RGB3 CS 1 0 0 SCN 20 20 m 50 50 l S",  # ICC RGB, stroked
        b"/Spot cs 1 sc" + square,  # a spot colour
        b"/Lab cs 50 0 0 sc" + square,
        b"/DeviceRGB cs 0 0 0 sc" + square,
        b"/Ind cs 3 sc" + square,  # indexed over RGB
        b"/Black cs 1 sc" + square,  # a Separation of a process colour: fine
    ], {"/ColorSpace": {
        "/CMYK4": ["/ICCBased", ("stream", {"/N": 4}, b"")],
        "/RGB3": ["/ICCBased", ("stream", ICC, b"")],
        "/Spot": ["/Separation", "/PANTONE 185 C", "/DeviceCMYK", ("stream", {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0], "/C1": [0, 1, 1, 0], "/N": 1}, b"")],
        "/Lab": ["/Lab", {"/WhitePoint": [0.9505, 1.0, 1.089]}],
        "/Ind": ["/Indexed", "/DeviceRGB", 3, "0123456789ab"],
        "/Black": ["/Separation", "/Black", "/DeviceCMYK", ("stream", {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0], "/C1": [0, 0, 0, 1], "/N": 1}, b"")],
    }})
    report = check_pdf(path, qr=False)
    by_page = {}
    for f in report.findings:
        if f.code.startswith("colour"):
            for page in f.pages:
                by_page.setdefault(page, set()).add((f.level, f.code))
    assert by_page == {
        2: {("fail", "colour.rgb")}, 3: {("fail", "colour.rgb")}, 4: {("warn", "colour.spot")},
        5: {("fail", "colour.lab")}, 6: {("fail", "colour.rgb")}, 7: {("fail", "colour.rgb")},
    }
    messages = " | ".join(f.message for f in report.findings)
    assert "scn in ICCBased RGB" in messages and "SCN in ICCBased RGB" in messages
    assert "Separation PANTONE 185 C" in messages and "Indexed DeviceRGB" in messages
