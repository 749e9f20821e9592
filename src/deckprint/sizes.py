"""Lengths, and the card, paper and poster sizes as data.

Everything inside deckprint is in PostScript points; millimetres are converted here,
once, when a deck or an option is read.
"""

from __future__ import annotations

import difflib
import re

MM = 72 / 25.4  # points per millimetre


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * MM


def to_mm(points: float) -> float:
    return points / MM


# name: (width, height) in millimetres, portrait.
CARD_PRESETS: dict[str, tuple[float, float]] = {
    "poker": (63.5, 88.9),
    "bridge": (57.15, 88.9),
    "tarot": (70.0, 120.0),
    "mini": (44.0, 63.0),
    "a6": (105.0, 148.0),
    "square": (70.0, 70.0),
}
DEFAULT_CARD = "tarot"
CARD_MM_RANGE = (30.0, 300.0)

PAPERS: dict[str, tuple[float, float]] = {
    "a4": (210.0, 297.0),
    "letter": (215.9, 279.4),
    "a3": (297.0, 420.0),
}

POSTER_SIZES: dict[str, tuple[float, float]] = {
    "a3": (297.0, 420.0),
    "a2": (420.0, 594.0),
    "a1": (594.0, 841.0),
}

BLEED_MM = 3.0
SAFE_MM = 3.0
PRINTER_MARGIN_MM = 5.0

_CUSTOM = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[x×]\s*(\d+(?:[.,]\d+)?)\s*mm\s*$", re.I)


def parse_card_size(value: str) -> tuple[str, tuple[float, float]]:
    """A preset name or ``"WxH mm"`` → (label, (width, height) in mm).

    Raises ValueError with a message for the user.
    """
    key = value.strip().lower()
    if key in CARD_PRESETS:
        return key, CARD_PRESETS[key]
    match = _CUSTOM.match(value)
    if not match:
        names = ", ".join(CARD_PRESETS)
        near = difflib.get_close_matches(key, list(CARD_PRESETS), n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        raise ValueError(f'unknown card size "{value}"{hint}: use a preset ({names}) or "WxH mm", '
                         'e.g. "70x110 mm"')
    w, h = (float(g.replace(",", ".")) for g in match.groups())
    low, high = CARD_MM_RANGE
    if not (low <= w <= high and low <= h <= high):
        raise ValueError(f'card size "{value}" is out of range: each side must be {low:g}–{high:g} mm')
    return f"{w:g}x{h:g} mm", (w, h)


def larger_presets(width_mm: float, height_mm: float) -> list[str]:
    """Presets with more area than the given card, smallest first: what to suggest."""
    area = width_mm * height_mm
    bigger = [(w * h, name) for name, (w, h) in CARD_PRESETS.items() if w * h > area * 1.05]
    return [name for _, name in sorted(bigger)]
