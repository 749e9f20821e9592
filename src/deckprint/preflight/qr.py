"""QR codes: each page (or each region named) is rendered (pypdfium2) and read
(zxing-cpp); every code found must decode, and its module size is measured: small
modules warn.

* **Undecodable codes.** zxing-cpp 2.2+ with ``return_errors=True`` also returns the
  codes it located (finder patterns, format information) but could not decode, with
  ``valid`` false: those fail. A code so damaged that it cannot even be located is not
  seen as a QR code at all. Neither is an error result with no position (all four
  corners at 0, 0): zxing-cpp 3 sometimes adds one ("Invalid symbol size") beside a
  code it reads perfectly well — it located nothing, so there is nothing to fail.
* **Resolution.** :data:`SCAN_DPI`: a 0.4 mm module is 3.1 px, a 0.25 mm one (to be
  warned about) still 2 px, which zxing reads; 300 dpi would cost 2.3 times the pixels.
  No page is rendered at more than :data:`MAX_RENDER_PIXELS`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import zxingcpp

from ..errors import display_path
from ..sizes import MM
from .report import Findings, PreflightError, QRCode, mm_text

MAX_RENDER_PIXELS = 5_000_000  # an A3 page at 160 dpi: 0.4 mm modules are still 2.5 px wide
SCAN_DPI = 200


def _qr_formats():
    """QR codes proper (models 1 and 2). In zxing-cpp 3, ``QRCode`` also means Micro QR
    and rMQR, whose tiny finder patterns turn up in a damaged code as false symbols."""
    fmt = zxingcpp.BarcodeFormat
    if hasattr(fmt, "QRCodeModel2"):
        return [fmt.QRCodeModel1, fmt.QRCodeModel2]
    return fmt.QRCode


def check_qr(data: bytes, path: Path, found: Findings, min_module_mm: float, dpi: float,
              scan: Iterable[tuple[int, tuple | None]]) -> list[QRCode]:
    """Render what ``scan`` names — (page number, a region in page points, or None for
    the whole page) — and read every QR code there."""
    codes: list[QRCode] = []
    formats = _qr_formats()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PreflightError(f"{display_path(path)}: cannot be rendered ({exc})") from None
    try:
        # scan lists a page's regions together: the page is loaded once for all of them
        # (a print-and-play sheet has four cards' codes)
        for number, regions in itertools.groupby(scan, key=lambda item: item[0]):
            page = document[number - 1]
            try:
                for _, region in regions:
                    codes += _read_region(page, number, region, found, formats, min_module_mm, dpi)
            finally:
                page.close()
    finally:
        document.close()
    return codes


def _read_region(page, number: int, region: tuple | None, found: Findings, formats, min_module_mm: float,
                 dpi: float) -> list[QRCode]:
    w, h = page.get_size()
    crop = _crop(region, w, h)  # points cut off the left, bottom, right, top
    area = (w - crop[0] - crop[2]) * (h - crop[1] - crop[3])
    page_dpi = min(dpi, math.sqrt(MAX_RENDER_PIXELS / max(area / 72 / 72, 1e-6)))
    try:
        # No anti-aliasing: module edges fall on pixels, which is quicker to render and
        # to binarise, and changes a module's measure by < 1 %.
        bitmap = page.render(scale=page_dpi / 72, crop=crop, grayscale=True, no_smoothpath=True,
                             no_smoothtext=True, no_smoothimage=True)
    except pdfium.PdfiumError as exc:
        found.add("fail", "content.unreadable", f"the page cannot be rendered ({exc})", number)
        return []
    try:  # the array is a view of the bitmap's memory: keep the bitmap open meanwhile
        image = bitmap.to_numpy()
        if image.ndim == 3:
            image = image[..., 0]
        # try_downscale is for blurred camera pictures; a rendered page is sharp, and
        # skipping it saves a third of the time.
        barcodes = zxingcpp.read_barcodes(image, formats=formats, return_errors=True, try_downscale=False)
        return [_qr_code(b, image, number, page_dpi, found, min_module_mm, (crop[0], crop[3]))
                for b in barcodes if b.valid or _located(b)]
    finally:
        bitmap.close()


def _crop(region: tuple | None, width: float, height: float) -> tuple[float, float, float, float]:
    """pypdfium2's crop (left, bottom, right, top cut off) for a region, 2 mm around it."""
    if region is None:
        return (0.0, 0.0, 0.0, 0.0)
    margin = 2 * MM
    x0, y0, x1, y1 = region
    left, bottom = max(0.0, x0 - margin), max(0.0, y0 - margin)
    right, top = max(0.0, width - x1 - margin), max(0.0, height - y1 - margin)
    if left + right >= width or bottom + top >= height:  # off the page: the whole page
        return (0.0, 0.0, 0.0, 0.0)
    return (left, bottom, right, top)


def _located(barcode) -> bool:
    """Whether zxing-cpp says where the symbol is (an area, not four corners at 0, 0)."""
    p = barcode.position
    xs = {c.x for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)}
    ys = {c.y for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)}
    return len(xs) > 1 and len(ys) > 1


def _qr_code(barcode, image: np.ndarray, page: int, dpi: float, found: Findings,
             min_module_mm: float, offset: tuple[float, float] = (0.0, 0.0)) -> QRCode:
    p = barcode.position
    corners = [(c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    side = sum(math.dist(corners[i], corners[(i + 1) % 4]) for i in range(4)) / 4
    version = _version(barcode)
    modules = 17 + 4 * version if version is not None else _modules_from_timing(image, corners)
    module_px = side / modules if modules else None
    module_mm = round(module_px * 25.4 / dpi, 3) if module_px else None
    x_mm = min(c[0] for c in corners) * 25.4 / dpi + offset[0] / MM  # offset: a crop's left, top
    y_mm = min(c[1] for c in corners) * 25.4 / dpi + offset[1] / MM
    where = f"at {x_mm:.0f}, {y_mm:.0f} mm from the top left"
    if not barcode.valid:
        reason = str(barcode.error).split(" @")[0] or "error"
        found.add("fail", "qr.undecodable", f"a QR code {where} does not decode ({reason})", page)
    elif module_mm is not None and module_mm < min_module_mm - 0.005:
        found.add("warn", "qr.module", f"QR code {where}: modules {mm_text(module_mm)} mm, under "
                  f"{mm_text(min_module_mm)} mm", page)
    return QRCode(page, barcode.text if barcode.valid else "", bool(barcode.valid), version, module_mm,
                  round(x_mm, 1), round(y_mm, 1))


def _version(barcode) -> int | None:
    """The symbol version (side = 17 + 4 × version modules), from zxing-cpp's ``extra``
    (3.x); None when this zxing-cpp does not say."""
    extra = getattr(barcode, "extra", None)
    try:
        return int(extra["Version"]) if extra else None
    except (KeyError, TypeError, ValueError):
        return None


def _modules_from_timing(image: np.ndarray, corners: list) -> int | None:
    """The side of the symbol in modules, read from the image, for a zxing-cpp that
    does not give the version.

    Row 6 of every QR code is its timing pattern: the 7 dark modules of a finder, one
    light, then dark and light modules in turn up to the other finder. For each possible
    side n (17 + 4 × version), sample the row 6.5 modules down; the right n is the one
    where that row reads exactly so (n − 12 runs, all one module long between the finders).
    """
    tl, tr, br, bl = (np.asarray(c, float) for c in corners)
    length = float(np.linalg.norm(tr - tl))
    samples = max(int(length * 2), 1)
    for n in range(21, 178, 4):
        if length / n < 1.5:  # modules under 1.5 px cannot be told apart
            return None
        depth = 6.5 / n
        start, end = tl + (bl - tl) * depth, tr + (br - tr) * depth
        # a quarter module in from each end: the corners are whole pixels
        along = np.linspace(0.25 / n, 1 - 0.25 / n, samples)
        points = start + (end - start) * along[:, None]
        xs = np.clip(np.rint(points[:, 0]).astype(int), 0, image.shape[1] - 1)
        ys = np.clip(np.rint(points[:, 1]).astype(int), 0, image.shape[0] - 1)
        dark = image[ys, xs] < 128
        bounds = np.concatenate([[0], np.flatnonzero(dark[1:] != dark[:-1]) + 1, [samples]])
        runs = np.diff(bounds) * (n - 0.5) / samples  # in modules
        if (len(runs) == n - 12 and dark[0] and abs(runs[0] - 7) < 1 and abs(runs[-1] - 7) < 1
                and np.all(np.abs(runs[1:-1] - 1) < 0.5)):
            return n
    return None
