"""deckprint check: passes on what deckprint build writes, and fails, for the right
reason, on PDFs made badly on purpose with plain ReportLab."""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf.generic import (ArrayObject, ContentStream, DecodedStreamObject, DictionaryObject,
                           FloatObject, NameObject, NumberObject, TextStringObject)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from deckprint.cli import cli
from deckprint.draw.qr import draw_qr
from deckprint.preflight import _KEEP, _READ, check_pdf, page_list, parse_content
from deckprint.qr import qr_matrix, side_in_modules
from deckprint.sizes import mm

ROOT = Path(__file__).resolve().parents[1]
FONT = "PreflightNoto"
pdfmetrics.registerFont(TTFont(FONT, str(ROOT / "fonts" / "NotoSans-Regular.ttf")))

CARD = (70.0, 120.0)  # trim, mm
URL = "https://example.org/personas/annotator-nairobi?deck=ai-workers&card=7"


# --- the files deckprint builds -----------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(ROOT / "decks"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*/*.pdf"))
    assert len(files) >= 4  # print-and-play and print shop, for each bundled deck
    return files


def test_check_passes_on_every_built_file(built):
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", "--json", *map(str, built)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [Path(r["file"]) for r in reports] == built
    for report in reports:
        name = Path(report["file"]).name
        assert report["ok"] and ": ok (" in report["summary"], report["findings"]
        assert [f for f in report["findings"] if f["level"] != "info"] == [], name
        codes = report["qr_codes"]
        assert codes and all(q["valid"] and q["text"].startswith("https://") for q in codes), name
        assert all(q["module_mm"] >= 0.4 for q in codes)
        assert report["smallest_text_pt"] >= 6
        sheets = [f for f in report["findings"] if f["code"] == "boxes.sheet"]
        if name.endswith("-print.pdf"):  # one card face a page, fronts and backs
            assert report["trim_mm"] == [list(CARD)]
            assert len(codes) == report["pages"] // 2  # one on each front
            assert all(q["module_mm"] < 0.45 for q in codes)  # drawn at 0.42 mm
            assert sheets == []
        elif "-pnp-" in name:  # print-and-play: A4 sheets printed as is, by design
            assert report["trim_mm"] == [[210, 297]]
            assert [(f["level"], f["pages"]) for f in sheets] == [("info", list(range(1, report["pages"] + 1)))]
    assert elapsed < 15 * len(built)  # ~0.5 s a card file on an idle machine: against blow-ups


def test_tokenizer_agrees_with_pypdf(built):
    """Our content-stream scanner sees the same operators and operands as pypdf's."""
    reader = pypdf.PdfReader(next(p for p in built if p.name.endswith("-print.pdf")))
    streams = []
    for page in reader.pages[:6]:
        streams.append(page.get_contents().get_data())
        for xobject in page["/Resources"].get("/XObject", {}).values():
            streams.append(xobject.get_object().get_data())
    streams.append(b"q 1 0 0 1 5 5 cm BT /F#31 9 Tf (a (nested) \\) string) Tj [(x) -20 <41>] TJ ET Q "
                   b"BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff\x10 EI /CS0 cs 0.5 scn")
    for data in streams:
        stream = DecodedStreamObject()
        stream.set_data(data)
        theirs = [(op.replace(b"INLINE IMAGE", b"BI"), [_plain(a) for a in args])
                  for args, op in ContentStream(stream, reader).operations
                  if op in _KEEP or op == b"INLINE IMAGE"]
        ours = [(op, [_plain(a) for a in args]) for op, args in parse_content(data)]
        assert _drop_arrays(ours) == _drop_arrays(theirs)


def _plain(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(float(value), 4)
    if isinstance(value, str) and value.startswith("/"):
        return str(value)
    return "…"


def _drop_arrays(ops):  # only these operands are read by a check (inline images: their dictionary)
    return [(op, args if op in _READ else []) for op, args in ops]


def test_tokenizer_stays_linear_on_hostile_input():
    started = time.perf_counter()
    assert parse_content(b"1 " * 300_000 + b"0 Tf") == [(b"Tf", [1.0] * 300_000 + [0.0])]
    parse_content(b"[" + b"1" * 200_000 + b" /x] TJ")
    assert time.perf_counter() - started < 5


# --- hand-made PDFs -------------------------------------------------------------------

def card_canvas(path: Path, *, bleed_mm: float = 3.0, trim: bool = True, bleed_box: bool = True,
                cmyk: bool = True, font: str = FONT) -> Canvas:
    """A card page (70 × 120 mm + bleed) set up as a print shop wants it; each test
    breaks one thing."""
    b = mm(bleed_mm)
    size = (mm(CARD[0]) + 2 * b, mm(CARD[1]) + 2 * b)
    c = Canvas(str(path), pagesize=size, initialFontName=font, initialFontSize=9,
               enforceColorSpace="cmyk" if cmyk else None)
    if bleed_box:
        c.setBleedBox((0, 0, *size))
    if trim:
        c.setTrimBox((b, b, size[0] - b, size[1] - b))
    return c


def text(c: Canvas, size: float = 9, font: str = FONT) -> None:
    c.setFont(font, size)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.drawString(mm(10), mm(60), "Testimony of a data annotator")


def text_card(path: Path, **canvas) -> Path:
    """A one-page card PDF with a line of text, made as :func:`card_canvas` is told."""
    c = card_canvas(path, **canvas)
    text(c)
    c.showPage()
    c.save()
    return path


def cmyk_jpeg(path: Path, pixels: int) -> Path:
    Image.new("CMYK", (pixels, pixels), (10, 60, 0, 20)).save(path, "JPEG", quality=90)
    return path


def fails(report) -> set[str]:
    return {f.code for f in report.findings if f.level == "fail"}


def finding(report, code: str):
    (match,) = [f for f in report.findings if f.code == code]
    return match


def test_a_clean_card_passes(tmp_path):
    """The control for every bad PDF below: each of them breaks one thing of this."""
    c = card_canvas(tmp_path / "ok.pdf")
    text(c)
    c.drawImage(str(cmyk_jpeg(tmp_path / "ok.jpg", 300)), mm(10), mm(70), 72, 72)  # 300 ppi
    matrix = qr_matrix(URL)
    draw_qr(c, matrix, mm(40), mm(10), mm(0.5 * side_in_modules(matrix)))
    c.showPage()
    c.save()
    report = check_pdf(tmp_path / "ok.pdf")
    assert [f for f in report.findings if f.level != "info"] == []
    assert report.trim_mm == [CARD]
    assert [(q.page, q.text, q.valid) for q in report.qr_codes] == [(1, URL, True)]
    assert report.qr_codes[0].module_mm == pytest.approx(0.5, abs=0.01)
    assert report.qr_codes[0].version == matrix.version
    assert report.smallest_text_pt == 9
    assert report.summary().endswith(": ok (1 page, trim 70 × 120 mm, 1 QR code)")


def test_plain_reportlab_rgb_helvetica_fails_naming_both(tmp_path):
    path = tmp_path / "plain.pdf"
    c = Canvas(str(path))  # ReportLab's defaults: RGB, Helvetica, no page boxes
    c.setFillColorRGB(0.8, 0.1, 0.1)
    c.drawString(72, 720, "Hello")
    c.showPage()
    c.save()
    report = check_pdf(path)
    assert fails(report) == {"colour.rgb", "fonts.not-embedded", "boxes.missing"}
    font = finding(report, "fonts.not-embedded")
    assert "Helvetica" in font.message and font.page == 1
    rgb = [f for f in report.findings if f.code == "colour.rgb"]
    assert any("rg" in f.message and f.page == 1 for f in rgb)
    assert report.summary().endswith(": 4 problems (1 page, 0 QR codes)")  # and no BleedBox


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


def draw_damaged_qr(c: Canvas, *, module_mm: float = 0.6, damage: bool = True) -> None:
    matrix = qr_matrix(URL)
    side = mm(module_mm * side_in_modules(matrix))
    x, y = mm(15), mm(20)
    draw_qr(c, matrix, x, y, side)
    if damage:  # white out the middle third of the data, keeping the finder patterns
        module = side / side_in_modules(matrix)
        n = matrix.size
        c.setFillColorCMYK(0, 0, 0, 0)
        first, count = n // 3, n // 3 + 2
        c.rect(x + (4 + first) * module, y + side - (4 + first + count) * module,
               count * module, count * module, stroke=0, fill=1)


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


# --- PDFs written object by object: what ReportLab cannot make -----------------------

def raw_pdf(path: Path, pages: list[bytes], resources: dict, *, size=(mm(76), mm(126)),
            bleed_mm: float = 3.0) -> Path:
    """Pages with the given content streams, sharing ``resources`` (plain Python values:
    "/Name" strings are names, other strings text, bytes or ("stream", dict, bytes)
    streams), with a proper TrimBox and BleedBox."""
    writer = pypdf.PdfWriter()

    def pdf(value):
        if isinstance(value, bytes):
            value = ("stream", {}, value)
        if isinstance(value, tuple):
            stream = DecodedStreamObject()
            stream.set_data(value[2])
            stream.update({NameObject(k): pdf(v) for k, v in value[1].items()})
            return writer._add_object(stream)
        if isinstance(value, dict):
            return DictionaryObject({NameObject(k): pdf(v) for k, v in value.items()})
        if isinstance(value, list):
            return ArrayObject(pdf(v) for v in value)
        if isinstance(value, str):
            return NameObject(value) if value.startswith("/") else TextStringObject(value)
        return FloatObject(value) if isinstance(value, float) else NumberObject(value)

    shared = pdf(resources)
    b = mm(bleed_mm)
    for content in pages:
        page = writer.add_blank_page(*size)
        page[NameObject("/Resources")] = shared
        page[NameObject("/Contents")] = pdf(content)
        page[NameObject("/BleedBox")] = pdf([0, 0, size[0], size[1]])
        page[NameObject("/TrimBox")] = pdf([b, b, size[0] - b, size[1] - b])
    writer.write(path)
    return path


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


def test_inline_images_are_checked(tmp_path):
    pixels = bytes(range(48))  # 4 × 4 RGB, 8 bits, unfiltered
    path = raw_pdf(tmp_path / "inline.pdf", [
        b"q 72 0 0 72 20 20 cm BI /W 4 /H 4 /CS /RGB /BPC 8 ID " + pixels + b" EI Q 0 0 0 1 k 1 1 5 5 re f",
    ], {})
    report = check_pdf(path, qr=False)
    assert fails(report) == {"colour.rgb", "images.resolution"}
    assert finding(report, "images.resolution").message == "inline image (4 × 4 px) at 4 ppi, under 300"
    assert "inline image in DeviceRGB" in finding(report, "colour.rgb").message


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


def test_module_size_without_the_version_from_zxing(tmp_path, monkeypatch):
    """zxing-cpp before 3 does not give the version: the finder pattern measures the module."""
    from deckprint import preflight

    monkeypatch.setattr(preflight, "_version", lambda barcode: None)
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


# --- the command ----------------------------------------------------------------------

@pytest.fixture()
def bad_pdf(tmp_path) -> Path:
    path = tmp_path / "bad.pdf"
    c = Canvas(str(path))
    c.setFillColorRGB(1, 0, 0)
    c.drawString(72, 720, "Hello")
    c.showPage()
    c.save()
    return path


def test_check_command_fails_and_names_why(bad_pdf):
    result = CliRunner().invoke(cli, ["check", str(bad_pdf)])
    assert result.exit_code == 1
    assert "fail: page 1: font Helvetica is not embedded" in result.output
    assert "fail: page 1: RGB fill colour (rg)" in result.output
    assert "fail: page 1: no TrimBox" in result.output
    assert "problems (1 page" in result.output


def test_check_json(built, bad_pdf):
    print_file = next(p for p in built if p.name.endswith("-print.pdf"))
    result = CliRunner().invoke(cli, ["check", "--json", str(print_file), str(bad_pdf)])
    assert result.exit_code == 1
    good, bad = json.loads(result.stdout)
    assert good["ok"] is True and bad["ok"] is False
    assert good["pages"] == 2 * len(good["qr_codes"])
    assert good["qr_codes"][0]["text"].startswith("https://") and good["qr_codes"][0]["valid"]
    assert good["trim_mm"] == [list(CARD)]
    codes = {(f["level"], f["code"], f["page"]) for f in bad["findings"]}
    assert {("fail", "fonts.not-embedded", 1), ("fail", "colour.rgb", 1)} <= codes
    assert all(set(f) == {"level", "code", "page", "pages", "message"} for f in bad["findings"])


def test_check_urls_and_min_bleed(tmp_path, built):
    print_file = next(p for p in built if p.name.endswith("-print.pdf"))
    result = CliRunner().invoke(cli, ["check", "--urls", str(print_file)])
    assert result.exit_code == 0
    summary = result.output.strip().splitlines()[-1]
    assert summary.endswith("QR codes)") and result.output.count(": QR https://") == int(summary.split()[-3])
    result = CliRunner().invoke(cli, ["check", "--min-bleed", "4", str(print_file)])
    assert result.exit_code == 1
    assert "bleed 3 mm on every side, under 4 mm" in result.output


def test_unreadable_files_are_user_errors(tmp_path):
    text_file = tmp_path / "notes.pdf"
    text_file.write_text("not a PDF at all")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer <<>>\n%%EOF")
    for path, expected in [(text_file, "not a PDF file"), (tmp_path / "missing.pdf", "no such file"),
                           (broken, "")]:
        result = CliRunner().invoke(cli, ["check", str(path)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert expected in result.output
        assert isinstance(result.exception, SystemExit)


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


def test_a_content_stream_bomb_is_not_inflated(tmp_path):
    # 72 MB of path operators in 70 KB of Flate: refused at 64 MB, and the page is not
    # rendered for the QR scan either.
    path = tmp_path / "bomb.pdf"
    text_card(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        bomb = zlib.compress(b"0 0 m\n" * (12 << 20), 9)
        assert len(bomb) < 200_000
        pdf.pages[0].obj.Contents = pikepdf.Stream(pdf, bomb, Filter=pikepdf.Name.FlateDecode)
        pdf.save(path)
    started = time.perf_counter()
    report = check_pdf(path)
    assert time.perf_counter() - started < 10
    assert fails(report) == {"content.unreadable"}
    assert "inflates to over 64 MB" in finding(report, "content.unreadable").message
    assert report.qr_codes == []


def test_a_repaired_file_warns_and_is_still_checked(tmp_path):
    path = tmp_path / "xref.pdf"
    text_card(path)
    data = path.read_bytes()
    head, _, offset = data.rpartition(b"startxref")
    number = offset.split()[0]
    path.write_bytes(head + b"startxref\n" + str(int(number) - 7).encode() + b"\n%%EOF\n")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "warn: damaged file structure, worked around on reading: " in result.output
    assert result.stderr == ""  # pypdf's own log lines do not leak


def test_page_list():
    assert page_list([3]) == "page 3"
    assert page_list(range(1, 43)) == "pages 1–42"
    assert page_list([9, 1, 2, 3, 5, 7, 8]) == "pages 1–3, 5, 7–9"
    assert page_list([]) == ""
