"""deckprint check, the whole preflight of a file (preflight/check.py): passes on what
deckprint build writes, fails for the right reasons on PDFs made badly on purpose, and
the command's output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from preflight_helpers import (
    CARD,
    URL,
    card_canvas,
    cmyk_jpeg,
    fails,
    finding,
    text,
    text_card,
)
from reportlab.pdfgen.canvas import Canvas

from deckprint.cli import cli
from deckprint.draw.qr import draw_qr
from deckprint.preflight import check_pdf
from deckprint.qr import qr_matrix, side_in_modules
from deckprint.sizes import mm


@pytest.fixture(scope="module")
def built_pdfs(built) -> list[Path]:
    files = sorted(built.glob("*/*.pdf"))
    assert len(files) >= 4  # print-and-play and print shop, for each bundled deck
    return files


def test_check_passes_on_every_built_file(built_pdfs):
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", "--json", *map(str, built_pdfs)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [Path(r["file"]) for r in reports] == built_pdfs
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
    assert elapsed < 15 * len(built_pdfs)  # ~0.5 s a card file on an idle machine: against blow-ups


def test_a_clean_card_passes(tmp_path):
    """The control for every bad PDF in these tests: each of them breaks one thing of this."""
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


def test_check_json(built_pdfs, bad_pdf):
    print_file = next(p for p in built_pdfs if p.name.endswith("-print.pdf"))
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


def test_check_urls_and_min_bleed(built_pdfs):
    print_file = next(p for p in built_pdfs if p.name.endswith("-print.pdf"))
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
