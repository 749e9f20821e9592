"""The content interpreter (preflight/content.py): image resolution through every
matrix, inline images, printed annotations, and damaged content."""

from __future__ import annotations

from preflight_helpers import card_canvas, cmyk_jpeg, fails, finding, raw_pdf, text

from deckprint.preflight import check_pdf
from deckprint.sizes import mm


def test_a_150_ppi_image_fails(tmp_path):
    path = tmp_path / "lowres.pdf"
    c = card_canvas(path)
    text(c)
    c.drawImage(str(cmyk_jpeg(tmp_path / "photo.jpg", 150)), mm(10), mm(70), 72, 72)  # 1 in
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"images.resolution"}  # only that: the JPEG is CMYK
    low = finding(report, "images.resolution")
    assert "(150 × 150 px) at 150 ppi, under 300" in low.message and low.page == 1
    assert low.message.startswith("image /")  # names the image


def test_resolution_follows_the_ctm_through_forms(tmp_path):
    path = tmp_path / "scaled.pdf"
    c = card_canvas(path)
    text(c)
    jpeg = str(cmyk_jpeg(tmp_path / "photo.jpg", 300))
    c.beginForm("photo")
    c.drawImage(jpeg, 0, 0, 72, 72)  # 300 ppi in the form...
    c.endForm()
    c.saveState()
    c.scale(2, 1)  # ...stretched to 2 in wide: 150 ppi across
    c.doForm("photo")
    c.restoreState()
    c.showPage()
    c.save()
    low = finding(check_pdf(path), "images.resolution")
    assert "at 150 ppi" in low.message


def test_inline_images_are_checked(tmp_path):
    pixels = bytes(range(48))  # 4 × 4 RGB, 8 bits, unfiltered
    path = raw_pdf(tmp_path / "inline.pdf", [
        b"q 72 0 0 72 20 20 cm BI /W 4 /H 4 /CS /RGB /BPC 8 ID " + pixels + b" EI Q 0 0 0 1 k 1 1 5 5 re f",
    ], {})
    report = check_pdf(path, qr=False)
    assert fails(report) == {"colour.rgb", "images.resolution"}
    assert finding(report, "images.resolution").message == "inline image (4 × 4 px) at 4 ppi, under 300"
    assert "inline image in DeviceRGB" in finding(report, "colour.rgb").message


def test_printed_form_fields_are_checked_like_the_page(tmp_path):
    """A form field's appearance prints: ReportLab draws it in a non-embedded Helvetica."""
    path = tmp_path / "field.pdf"
    c = card_canvas(path)
    text(c)
    c.acroForm.textfield(name="name", value="Amina", x=40, y=40, width=100, height=20,
                         fontName="Helvetica", fontSize=10, borderColor=None, fillColor=None,
                         textColor=None, forceBorder=False)
    c.showPage()
    c.save()
    report = check_pdf(path, qr=False)
    assert fails(report) == {"fonts.not-embedded"}
    assert finding(report, "fonts.not-embedded").message == "font Helvetica is not embedded"


def test_damaged_content_warns_and_what_qpdf_reads_of_it_is_checked(tmp_path):
    """qpdf repairs what it can of a damaged content stream (a stray ``]``); the page
    says so, and the RGB colour after the damage is still found."""
    path = raw_pdf(tmp_path / "damaged.pdf", [
        b"0 0 0 1 k 1 1 5 5 re f",
        b"0 0 0 1 k ] 1 1 5 5 re f 1 0 0 rg 2 2 5 5 re f",
    ], {})
    report = check_pdf(path, qr=False)
    damaged = finding(report, "content.damaged")
    assert damaged.level == "warn" and damaged.pages == (2,)
    assert finding(report, "colour.rgb").pages == (2,)
    assert fails(report) == {"colour.rgb"}
