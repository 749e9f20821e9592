"""Page boxes (preflight/boxes.py): TrimBox and BleedBox, bleed on each side, sheets."""

from __future__ import annotations

import pypdf
from preflight_helpers import CARD, FONT, card_canvas, fails, finding, text, text_card
from pypdf.generic import NameObject
from reportlab.pdfgen.canvas import Canvas

from deckprint.preflight import check_pdf
from deckprint.sizes import mm


def test_no_trimbox_fails(tmp_path):
    path = tmp_path / "notrim.pdf"
    text_card(path, trim=False)
    report = check_pdf(path)
    assert fails(report) == {"boxes.missing"}
    missing = finding(report, "boxes.missing")
    assert missing.message == "no TrimBox" and missing.pages == (1,)
    assert report.trim_mm == []


def test_one_mm_bleed_fails_with_the_measured_bleed(tmp_path):
    path = tmp_path / "bleed1.pdf"
    c = card_canvas(path, bleed_mm=1.0)
    for _ in range(3):
        text(c)
        c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"boxes.bleed"}
    bleed = finding(report, "boxes.bleed")
    assert bleed.message.startswith("bleed 1 mm on every side, under 3 mm")
    assert bleed.pages == (1, 2, 3) and bleed.where() == "pages 1–3"
    assert report.trim_mm == [CARD]
    assert not fails(check_pdf(path, min_bleed_mm=1.0))


def test_bleed_is_limited_by_the_page_too(tmp_path):
    """A BleedBox past the page edge does not make bleed: the MediaBox ends it."""
    path = tmp_path / "bleedbox-outside.pdf"
    c = card_canvas(path, bleed_mm=2.0, bleed_box=False)
    b = mm(2.0)
    c.setBleedBox((-b, -b, mm(CARD[0]) + 3 * b, mm(CARD[1]) + 3 * b))  # 4 mm, but the page has 2
    text(c)
    c.showPage()
    c.save()
    bleed = finding(check_pdf(path), "boxes.bleed")
    assert bleed.level == "fail" and bleed.message.startswith("bleed 2 mm on every side")


def test_a_trim_equal_to_the_page_is_a_sheet(tmp_path):
    path = tmp_path / "sheet.pdf"
    a4 = (mm(210), mm(297))
    c = Canvas(str(path), pagesize=a4, initialFontName=FONT, enforceColorSpace="cmyk")
    c.setBleedBox((0, 0, *a4))
    c.setTrimBox((0, 0, *a4))
    text(c)
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert not fails(report)
    assert finding(report, "boxes.sheet").level == "info"
    # a card-sized page without bleed is more likely a mistake than a sheet
    card = card_canvas(tmp_path / "card.pdf", bleed_mm=0)
    text(card)
    card.showPage()
    card.save()
    assert finding(check_pdf(tmp_path / "card.pdf"), "boxes.sheet").level == "warn"


def test_boxes_and_resources_inherited_from_the_page_tree(tmp_path):
    # A page may take its MediaBox and Resources from the page tree above it (written
    # with pypdf: qpdf would put them back on the page when saving).
    path = tmp_path / "inherited.pdf"
    text_card(path)
    before = check_pdf(path)
    writer = pypdf.PdfWriter(clone_from=str(path))
    page = writer.pages[0]
    tree = page["/Parent"].get_object()
    for key in ("/MediaBox", "/Resources"):
        tree[NameObject(key)] = page[key]
        del page[key]
    writer.write(path)
    assert path.read_bytes().count(b"/MediaBox") == 1
    after = check_pdf(path)
    assert not after.failed, after.lines()
    assert after.trim_mm == before.trim_mm and after.smallest_text_pt == before.smallest_text_pt == 9
