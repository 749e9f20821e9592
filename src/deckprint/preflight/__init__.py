"""Preflight: is a finished PDF fit for a print shop? Works on any PDF, not only ours.

What a print shop checks before it prints, and what people want to know before they
pay:

* page boxes (:mod:`.boxes`): a TrimBox and a BleedBox on every page, at least
  ``min_bleed_mm`` of bleed on each side (limited by the BleedBox and by the page
  itself), the trim size;
* fonts (:mod:`.fonts`): every font that text is set in is embedded;
* colour (:mod:`.colour`): CMYK only — RGB, Lab and the like fail; greys and spot
  colours warn;
* images and text (:mod:`.content`): the effective resolution of every placed raster
  image, the smallest size text is set at;
* QR codes (:mod:`.qr`): each page is rendered and read; every code found must decode,
  its module size is measured; small modules warn.

The modules form layers; each imports only from the layers below it:

1. :mod:`.report` (findings, reports), :mod:`.objects` (tolerant reading, matrices),
   :mod:`.decode` (bounded decoding of stream filters);
2. :mod:`.parse` (content streams parsed by qpdf), :mod:`.boxes`, :mod:`.fonts`,
   :mod:`.colour`, :mod:`.qr`;
3. :mod:`.content` (the content interpreter, which calls fonts and colour);
4. :mod:`.check` (one file, every check).

The names below are the package's interface; the rest of deckprint imports only them.
"""

from __future__ import annotations

from .check import check_pdf, check_pdf_data
from .decode import MAX_STREAM_BYTES
from .qr import MAX_RENDER_PIXELS, SCAN_DPI
from .report import FileReport, Finding, PreflightError, QRCode, page_list

__all__ = [
           "MAX_RENDER_PIXELS",
           "MAX_STREAM_BYTES",
           "SCAN_DPI",
           "FileReport",
           "Finding",
           "PreflightError",
           "QRCode",
           "check_pdf",
           "check_pdf_data",
           "page_list",
]
