"""What every layout shares: boxes in points, placed text, colours and text styles.

Coordinates are a trim box's, origin bottom-left, y up; the drawing code adds the
bleed offset (or, on a poster, the scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from reportlab.lib.colors import CMYKColor
from reportlab.platypus import Flowable

from ..colors import BLACK, CMYK
from ..deck import Deck
from ..text import TextStyle

NEUTRAL = CMYK(0.45, 0.25, 0.1, 0.85)  # the band, or group, of cards without a category


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def contains(self, other: "Box", tolerance: float = 0.01) -> bool:
        return (other.x >= self.x - tolerance and other.y >= self.y - tolerance
                and other.right <= self.right + tolerance and other.top <= self.top + tolerance)


@dataclass(frozen=True)
class PlacedText:
    """A wrapped flowable and where its bottom-left corner goes."""

    field: str
    flowable: Flowable
    box: Box


def cmyk_color(color: CMYK) -> CMYKColor:
    return CMYKColor(color.c, color.m, color.y, color.k)


def styler(deck: Deck) -> Callable[..., TextStyle]:
    """Text styles in the deck's fonts and language: ``style(size, bold=…, italic=…,
    color=…, **TextStyle fields)``; black unless told."""
    def style(size: float, *, bold: bool = False, italic: bool = False, color: CMYKColor | None = None,
              **kw) -> TextStyle:
        font = deck.font.bold if bold else deck.font.italic if italic else deck.font.regular
        return TextStyle(font=font, size=size, color=color or cmyk_color(BLACK), language=deck.lang, **kw)
    return style
