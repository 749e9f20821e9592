"""Draw a QRMatrix on a ReportLab canvas, as vector print output.

One filled path (one rectangle per dark run, see ``QRMatrix.runs``) keeps the code
sharp at any scale and small in the file; 100 % K fill because a QR code is small
"text-like" black that must not be rich black or RGB on a CMYK press.
"""

from __future__ import annotations

import functools
import hashlib

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


def place_qr(canvas, matrix: QRMatrix, x: float, y: float, side: float, *, link: str | None = None) -> None:
    """Draw a code through a Form XObject, one per code and size in each PDF.

    A deck often points many cards at the same source: the code's path is then
    written once and placed by reference. The path's operators are made once per
    process, in module units (whole numbers), and scaled by the placement, so a code
    costs the same in the second PDF of a build as a reference costs in the first.
    The link annotation belongs to the page, so it is added here, not in the form.
    """
    name, operators = _qr_form(matrix)
    form = f"{name}-{side:.3f}"
    if not canvas.hasForm(form):
        module = module_size(matrix, side)
        canvas.beginForm(form, lowerx=0, lowery=0, upperx=side, uppery=side)
        canvas.setFillColorCMYK(0, 0, 0, 1)
        canvas.transform(module, 0, 0, module, QUIET_MODULES * module, QUIET_MODULES * module)
        canvas.addLiteral(operators)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(form)
    canvas.restoreState()
    if link is not None:
        canvas.linkURL(link, (x, y, x + side, y + side), relative=0, thickness=0)


@functools.lru_cache(maxsize=256)  # only the codes a PDF reuses: recent ones
def _qr_form(matrix: QRMatrix) -> tuple[str, str]:
    """(a name unique to the code, its path: one rectangle per dark run, one fill)."""
    top = matrix.size - 1
    operators = "\n".join(f"{col} {top - row} {length} 1 re" for row, col, length in matrix.runs) + "\nf"
    return "qr-" + hashlib.sha1(operators.encode()).hexdigest()[:16], operators
