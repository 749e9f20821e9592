"""Colours as deck authors write them ("#8C3B1F" or "cmyk(0, 58, 78, 45)") → CMYK.

Conversion happens once, when the deck is read. The hex conversion is the naive
device-CMYK one (no ICC profile); it keeps mid and dark tones printable and maps greys
to pure K. Contrast checks use the hex/sRGB side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_CMYK = re.compile(r"^cmyk\(\s*([\d.]+)%?\s*,\s*([\d.]+)%?\s*,\s*([\d.]+)%?\s*,\s*([\d.]+)%?\s*\)$", re.I)


@dataclass(frozen=True)
class CMYK:
    c: float
    m: float
    y: float
    k: float

    def rgb(self) -> tuple[float, float, float]:
        """Approximate screen colour, for contrast checks and previews."""
        return tuple((1 - v) * (1 - self.k) for v in (self.c, self.m, self.y))  # type: ignore[return-value]


BLACK = CMYK(0, 0, 0, 1)
WHITE = CMYK(0, 0, 0, 0)


def parse_color(text: str) -> CMYK:
    """Raises ValueError with a message for the user."""
    value = text.strip()
    match = _HEX.match(value)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        k = 1 - max(r, g, b)
        if k >= 1:
            return BLACK
        c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
        return CMYK(*(round(v, 4) for v in (c, m, y, k)))
    match = _CMYK.match(value)
    if match:
        parts = [float(g) for g in match.groups()]
        if all(0 <= p <= 100 for p in parts):
            return CMYK(*(p / 100 for p in parts))
    raise ValueError(f'bad colour "{text}": use "#RRGGBB" or "cmyk(C, M, Y, K)" with percentages 0–100')


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: CMYK, b: CMYK) -> float:
    """WCAG contrast ratio between two colours."""
    la, lb = sorted((relative_luminance(a.rgb()), relative_luminance(b.rgb())), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_on(background: CMYK) -> CMYK:
    """White or black, whichever reads better on the background."""
    return WHITE if contrast(WHITE, background) >= contrast(BLACK, background) else BLACK
