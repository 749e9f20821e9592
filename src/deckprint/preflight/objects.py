"""Reading PDF objects tolerantly, and the matrices of PDF geometry.

A file from anywhere may have a dictionary where a stream belongs, a rectangle of three
numbers, a matrix of text: these helpers answer None (or raise ValueError/TypeError,
which the checks turn into findings) instead of failing in some other way. The bottom
layer of the package, with :mod:`.report`: it imports nothing from it.
"""

from __future__ import annotations

import pikepdf

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mul(m: tuple, n: tuple) -> tuple:
    """m × n for PDF matrices [a b c d e f] (row vectors: apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def matrix(value) -> tuple | None:
    """Six numbers as a matrix, or None when ``value`` is not that."""
    try:
        m = tuple(map(float, value))
    except (TypeError, ValueError):
        return None
    return m if len(m) == 6 else None


def apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) through the matrix m."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def rect(box) -> tuple[float, float, float, float]:
    """A PDF rectangle as (x0, y0, x1, y1) with x0 ≤ x1, y0 ≤ y1; TypeError or
    ValueError when ``box`` is not four numbers."""
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def get(container, key):
    """``container[key]``, or None: tolerant of missing and odd dictionaries. (qpdf
    resolves indirect objects as they are read.)"""
    if not isinstance(container, (pikepdf.Dictionary, pikepdf.Stream, dict)):
        return None
    return container.get(key)


def key(obj):
    """A stream's or dictionary's identity in the file, for caches; None for a direct
    object, which has none."""
    try:
        return obj.objgen if obj.is_indirect else None
    except AttributeError:
        return None
