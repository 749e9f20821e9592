"""Reports (preflight/report.py): findings merged across pages, page lists, summaries."""

from __future__ import annotations

from pathlib import Path

from deckprint.preflight import FileReport, QRCode, page_list
from deckprint.preflight.report import Findings


def test_page_list():
    assert page_list([3]) == "page 3"
    assert page_list(range(1, 43)) == "pages 1–42"
    assert page_list([9, 1, 2, 3, 5, 7, 8]) == "pages 1–3, 5, 7–9"
    assert page_list([]) == ""


def test_the_same_finding_on_many_pages_is_one_line_in_report_order():
    found = Findings()
    for page in (3, 1, 2):
        found.add("warn", "text.size", "text under 6 pt", page)
    found.add("fail", "boxes.missing", "no TrimBox", 2)
    found.add("warn", "file.repaired", "damaged file structure")
    text, boxes, repaired = (found.findings()[i] for i in (2, 1, 0))
    assert [f.code for f in found.findings()] == ["file.repaired", "boxes.missing", "text.size"]
    assert text.pages == (1, 2, 3) and str(text) == "warn: pages 1–3: text under 6 pt"
    assert boxes.page == 2 and text.page is None
    assert str(repaired) == "warn: damaged file structure"


def test_summary_counts_problems_warnings_and_decoded_codes():
    report = FileReport(Path("deck.pdf"), 2, trim_mm=[(70.0, 120.0)])
    found = Findings()
    found.add("fail", "colour.rgb", "RGB", 1)
    found.add("warn", "colour.gray", "grey", 2)
    report.findings = found.findings()
    report.qr_codes = [QRCode(1, "https://x.io/", True, 2, 0.42, 1.0, 2.0),
                       QRCode(2, "", False, None, None, 1.0, 2.0)]
    assert report.failed
    assert report.summary() == "deck.pdf: 1 problem, 1 warning (2 pages, trim 70 × 120 mm, 1 QR code)"
    assert report.to_dict()["ok"] is False and len(report.to_dict()["qr_codes"]) == 2
