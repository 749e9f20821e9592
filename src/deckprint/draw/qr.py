"""Draw a QRMatrix on a ReportLab canvas, as vector print output.

One filled path (one rectangle per dark run, see ``QRMatrix.runs``) keeps the code
sharp at any scale and small in the file; 100 % K fill because a QR code is small
"text-like" black that must not be rich black or RGB on a CMYK press.
"""

from __future__ import annotations

from deckprint.qr import QUIET_MODULES, QRMatrix, module_size


def draw_qr(
    canvas, matrix: QRMatrix, x: float, y: float, side: float, *, link: str | None = None
) -> None:
    """Draw ``matrix`` with its 4-module quiet zone filling the square (x, y, side, side).

    Units are points, (x, y) is the bottom-left corner.  The quiet zone is NOT painted:
    the caller must make sure the square sits on a white (or very light) background,
    otherwise scanners cannot find the code.  The caller also checks the module size
    (``module_size(matrix, side)``) against the print minimum of 0.4 mm.

    The dark modules are filled with CMYK (0, 0, 0, 1) inside saveState/restoreState,
    so the caller's colours are untouched.  With ``link``, a borderless /URI link
    annotation covers the square; it is placed with ``relative=0``, i.e. (x, y, side)
    are taken as page coordinates: do not call this under a translate/scale if a link
    is wanted.  The URL should be ASCII (percent-encode anything else).
    """
    module = module_size(matrix, side)
    left = x + QUIET_MODULES * module
    top = y + side - QUIET_MODULES * module
    canvas.saveState()
    canvas.setFillColorCMYK(0, 0, 0, 1)
    path = canvas.beginPath()
    for row, col, length in matrix.runs:
        path.rect(left + col * module, top - (row + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    if link is not None:
        canvas.linkURL(link, (x, y, x + side, y + side), relative=0, thickness=0)
