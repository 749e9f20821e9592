"""The preflight of one file: read it, run every check, gather the report.

The top layer of the package: it imports the checks, and nothing in the package
imports it (but :mod:`deckprint.preflight` itself, which re-exports it).

The file's structure (pages, resources, fonts, streams) is read by qpdf, through
pikepdf: it reads the 2,000 pages of a 1,000-card print file in a fifth of the time
pypdf took, in less memory. The content streams are parsed by qpdf too
(:mod:`.parse`), after a bounded decoding (:mod:`.decode`). The QR scan renders the
file again with pdfium (:mod:`.qr`).
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from ..errors import display_path
from .boxes import check_boxes
from .content import Content
from .parse import ContentReader
from .qr import SCAN_DPI, check_qr
from .report import FileReport, Findings, PreflightError, reason


def check_pdf(path: Path, *, min_bleed_mm: float = 3.0, min_module_mm: float = 0.4,
              min_ppi: float = 300, min_text_pt: float = 6.0, qr: bool = True,
              dpi: float = SCAN_DPI) -> FileReport:
    """Preflight one PDF file. Raises :class:`PreflightError` when it cannot be read."""
    path = Path(path)
    return check_pdf_data(_read(path), path, min_bleed_mm=min_bleed_mm, min_module_mm=min_module_mm,
                          min_ppi=min_ppi, min_text_pt=min_text_pt, qr=qr, dpi=dpi)


def check_pdf_data(data: bytes, path: Path, *, min_bleed_mm: float = 3.0, min_module_mm: float = 0.4,
                   min_ppi: float = 300, min_text_pt: float = 6.0, qr: bool = True,
                   dpi: float = SCAN_DPI, qr_once_per_form: bool = False) -> FileReport:
    """:func:`check_pdf` on a PDF in memory (``path`` names it in the report): what
    ``deckprint build`` checks before it writes anything.

    ``qr_once_per_form`` is for PDFs known to draw every QR code as a Form XObject
    placed on the page (deckprint's own): only the region of each form's first
    placement in the file is rendered and read. The bundled deck's 21 cards share one
    source: one small scan instead of 21 pages.
    """
    found = Findings()
    pdf = _open(data, path)
    with pdf, ContentReader() as reader:
        pages = _pages(pdf, path)
        report = FileReport(path, len(pages))
        report.trim_mm = check_boxes(pages, found, min_bleed_mm)
        content = Content(found, reader, min_ppi, min_text_pt)
        for number, page in enumerate(pages, 1):
            content.check_page(page, number)
        report.smallest_text_pt = content.report_text()
        # qpdf notes the damage it works around (a wrong xref, a missing EOF marker)
        for message in dict.fromkeys(pdf.get_warnings()):
            found.add("warn", "file.repaired", f"damaged file structure, worked around on reading: {message}")
    if qr:
        report.qr_codes = check_qr(data, path, found, min_module_mm, dpi, _scan(content, len(pages), qr_once_per_form))
    report.findings = found.findings()
    return report


def _open(data: bytes, path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PreflightError(f"{display_path(path)}: encrypted; give the printer's copy without a password") from None
    except Exception as exc:  # qpdf refuses broken files in many ways
        raise PreflightError(f"{display_path(path)}: cannot be read as a PDF ({reason(exc)})") from None


def _pages(pdf: pikepdf.Pdf, path: Path) -> list:
    try:
        pages = [page.obj for page in pdf.pages]
    except Exception as exc:
        raise PreflightError(f"{display_path(path)}: cannot be read as a PDF ({reason(exc)})") from None
    if not pages:
        raise PreflightError(f"{display_path(path)}: the PDF has no pages")
    return pages


def _scan(content: Content, pages: int, once_per_form: bool) -> list[tuple[int, tuple | None]]:
    """What the QR scan reads: (page, region) — every readable page whole, or the first
    placement of each form (see :func:`check_pdf_data`)."""
    readable = [number for number in range(1, pages + 1) if number not in content.unreadable]
    if not once_per_form:
        return [(number, None) for number in readable]
    scan, seen = [], set()
    for number in readable:
        for form, box in content.forms[number].items():
            if form not in seen:
                seen.add(form)
                scan.append((number, box))
    return scan


def _read(path: Path) -> bytes:
    name = display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PreflightError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise PreflightError(f"{name}: is a folder, not a PDF file") from None
    except OSError as exc:
        raise PreflightError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if b"%PDF-" not in data[:1024]:
        raise PreflightError(f"{name}: not a PDF file (no %PDF- header)")
    return data
