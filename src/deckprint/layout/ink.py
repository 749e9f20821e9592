"""Where a wrapped paragraph's ink goes: the glyphs' outlines, not their advance boxes.

The safe zone (3 mm inside the trim) is a promise about ink. A paragraph's box is
made of advance widths and leading, and glyphs reach past it: a "J" or an italic "f"
hangs left of its origin, an italic letter leans past its advance on the right, a
descender drops below a tight last line. Set at the safe margin, such a glyph inks
inside the band the guillotine may cut into (the "J" of "Japon" on card 14 inked
2.8 mm from the trim).

The outlines come from the font itself: a TrueType ``glyf`` record starts with the
glyph's bounding box (xMin, yMin, xMax, yMax), and ReportLab's parser, which every
registered face already went through, keeps the file's bytes and the offset of each
glyph (``loca``). No other font library is needed.

Where the glyphs are comes from ReportLab's own line breaking (``blPara``) and the
rules its ``drawPara`` follows: the first baseline is a font size below the top, the
next ones a leading apart; a line starts at the left indent, moved right by its
spare width when centred (half) or right-aligned, and a justified line but the last
spans the whole width. Blanks at either end of a line are left out, which errs
outwards (the ink is taken to reach further than it may).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from typing import Callable

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from ..text import TextStyle, fit_lines, paragraph

Extent = tuple[float, float, float, float]  # x0, y0, x1, y1 in points
GROW = 0.1  # pt: each narrowing adds this beyond the overhang, so that the search ends


@lru_cache(maxsize=None)
def _face(font_name: str):
    face = pdfmetrics.getFont(font_name).face
    return face, face.table["glyf"]["offset"], 1.0 / face.unitsPerEm


@lru_cache(maxsize=20_000)
def glyph_box(font_name: str, char: str) -> tuple[float, float, float, float, float] | None:
    """(xMin, yMin, xMax, yMax, advance) of a character's glyph in ems, or None for a
    glyph without ink (a space). The advance is ReportLab's, which its lines add up."""
    face, glyf, scale = _face(font_name)
    gid = face.charToGlyph.get(ord(char), 0)
    start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
    if end - start < 10:
        return None
    _, x0, y0, x1, y1 = struct.unpack_from(">hhhhh", face._ttf_data, glyf + start)
    advance = pdfmetrics.stringWidth(char, font_name, 1.0)
    return x0 * scale, y0 * scale, x1 * scale, y1 * scale, advance


Run = tuple[str, str, float]  # text, font name, size


def _runs(para: Paragraph) -> list[tuple[float, list[Run], bool]]:
    """Each line as (spare width, its runs of one font, ends with a forced break)."""
    bl = para.blPara
    if bl.kind == 0:
        return [(extra, [(" ".join(words), bl.fontName, bl.fontSize)], False) for extra, words in bl.lines]
    return [(line.extraSpace, [(f.text, f.fontName, f.fontSize) for f in line.words if getattr(f, "text", "")],
             bool(getattr(line, "lineBreak", False))) for line in bl.lines]


def _inked(runs: list[Run]) -> list[tuple[float, tuple]]:
    """(size, glyph box) of every glyph with ink, in order."""
    return [(size, box) for text, font, size in runs for c in text if (box := glyph_box(font, c)) is not None]


def _end_glyph(runs: list[Run], last: bool = False) -> tuple[float, tuple] | None:
    """(size, glyph box) of the first (or last) glyph with ink: all a line's left (or
    right) edge needs, without looking at the glyphs between."""
    for text, font, size in reversed(runs) if last else runs:
        for c in reversed(text) if last else text:
            box = glyph_box(font, c)
            if box is not None:
                return size, box
    return None


def _line_span(para: Paragraph, i: int, extra: float, text: str, forced: bool) -> tuple[float, float]:
    """Where line ``i``'s advances start and end, from the paragraph's left edge."""
    st = para.style
    first = st.firstLineIndent if i == 0 else 0.0
    start = st.leftIndent + first
    avail = para.width - st.leftIndent - st.rightIndent - first
    spaces = text.strip().count(" ") + text.count("\u00a0") > 0
    last = i == len(para.blPara.lines) - 1
    stretched = st.alignment == TA_JUSTIFY and not last and not forced and extra > 1e-8
    if spaces and (extra < -1e-8 or stretched):
        return start, start + avail  # word spacing makes the line fill the width exactly
    shift = {TA_CENTER: extra / 2, TA_RIGHT: extra}.get(st.alignment, 0.0)
    return start + shift, start + shift + avail - extra


def extent(para: Paragraph, vertical: bool = True) -> Extent:
    """The box around every glyph's outline of a wrapped paragraph, in its own
    coordinates (origin bottom-left of the box ``wrap`` gave it). ``vertical=False``
    measures only the sides (y0 and y1 are then 0), from each line's end glyphs: it
    runs on every trial wrap of a fitting search."""
    lines = _runs(para)
    first_size = para.blPara.fontSize if para.blPara.kind == 0 else para.blPara.lines[0].fontSize
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    for i, (extra, runs, forced) in enumerate(lines):
        first, last = _end_glyph(runs), _end_glyph(runs, last=True)
        if first is None or last is None:
            continue
        start, end = _line_span(para, i, extra, "".join(t for t, _, _ in runs), forced)
        x0 = min(x0, start + first[1][0] * first[0])
        x1 = max(x1, end + (last[1][2] - last[1][4]) * last[0])
        if vertical:
            baseline = para.height - first_size - i * para.style.leading
            glyphs = _inked(runs)
            y0 = min(y0, baseline + min(box[1] * size for size, box in glyphs))
            y1 = max(y1, baseline + max(box[3] * size for size, box in glyphs))
    bullet = para.bulletText if isinstance(para.bulletText, str) else None
    if bullet and lines:
        st = para.style
        glyphs = _inked([(bullet, st.bulletFontName, st.bulletFontSize)])
        if glyphs:
            x0 = min(x0, st.bulletIndent + glyphs[0][1][0] * st.bulletFontSize)
            y1 = max(y1, para.height - first_size + max(box[3] * size for size, box in glyphs))
    if x0 == float("inf"):
        return 0.0, 0.0, 0.0, 0.0
    return (x0, y0, x1, y1) if vertical else (x0, 0.0, x1, 0.0)


class Inside(Flowable):
    """A paragraph whose ink stays within the width it is given.

    ``wrap`` lines the paragraph up as usual and, where a glyph at a line's start or
    end reaches past the box, wraps it again narrower by that much (and a hair more)
    and moves it in: a left-aligned "Japon" starts its "J" at the box's edge, not
    0.6 pt outside. Centred text narrows on both sides alike so that it stays
    centred. Without an overhang nothing changes: the paragraph wraps once at the
    full width and draws exactly as a bare one, byte for byte.

    ``left=False`` lets glyphs hang past the left edge, where the box does not start
    at the safe margin (a quote set in from its rule, a column beside the QR code).
    """

    def __init__(self, para: Paragraph, dx: float = 0.0, left: bool = True):
        super().__init__()
        self.para = para
        self.dx = dx
        self.left = left
        self.narrowed = 0.0  # how much narrower than its box the paragraph is wrapped

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        left = right = 0.0
        centred = self.para.style.alignment == TA_CENTER
        para = self.para
        for _ in range(200):  # each round narrows by GROW or more: it ends long before
            if getattr(para, "blPara", None) is not None and para.width == aW - left - right:
                h = para.height  # already wrapped at this width (fit_lines did it)
            else:
                _, h = para.wrap(aW - left - right, aH)
            x0, _, x1, _ = extent(para, vertical=False)
            over_left, over_right = -(left + x0) if self.left else 0.0, left + x1 - aW
            if over_left <= 1e-6 and over_right <= 1e-6:
                break
            if centred:
                left = right = left + max(over_left, over_right) + GROW
                continue
            if over_left > 1e-6:
                left += over_left + GROW
            if over_right > 1e-6:
                right += over_right + GROW
        else:
            raise RuntimeError("a paragraph's ink does not fit any width")  # a bug
        self.dx, self.narrowed = left, left + right
        self.width, self.height = aW, h
        return aW, h

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        self.para.drawOn(canvas, x + self.dx, y, _sW)

    def __getattr__(self, name: str):
        # What callers read from a paragraph (blPara, style, text) is the paragraph's.
        if name.startswith("__") or name == "para":
            raise AttributeError(name)
        return getattr(self.para, name)


def ink(flow: Flowable) -> Extent:
    """The ink box of a wrapped paragraph, plain or :class:`Inside`, in the
    coordinates of the box it is placed in."""
    if isinstance(flow, Inside):
        x0, y0, x1, y1 = extent(flow.para)
        return x0 + flow.dx, y0, x1 + flow.dx, y1
    return extent(flow)


def rise(flow: Flowable) -> float:
    """How far a wrapped paragraph's ink reaches above its box (0 when it does not)."""
    return max(0.0, ink(flow)[3] - flow.height)


def drop(flow: Flowable) -> float:
    """How far a wrapped paragraph's ink reaches below its box: descenders under a
    tight last line (0 when it does not)."""
    return max(0.0, -ink(flow)[1])


@lru_cache(maxsize=512)
def wrapped_inside(markup: str, style: TextStyle, width: float, left: bool = True) -> tuple[Inside, float]:
    """:func:`deckprint.text.wrapped`, the ink kept inside ``width`` (see
    :class:`Inside` for ``left``); cached alike, for the labels and footers every card
    repeats."""
    flow = Inside(paragraph(markup, style), left=left)
    return flow, flow.wrap(width, 1e6)[1]


def fit_lines_inside(markup: str, words: str, style_at: Callable[[float], TextStyle], width: float,
                     lines: int, largest: float, smallest: float, step: float = 0.25) -> tuple[float, Inside, float]:
    """:func:`deckprint.text.fit_lines`, the ink kept inside ``width``: when a glyph
    overhangs, the text is fitted again in the width its ink leaves (which may take a
    smaller size to stay within ``lines``). TextDoesNotFit as fit_lines raises it."""
    room = width
    while True:
        size, para, _ = fit_lines(markup, words, style_at, room, lines, largest, smallest, step)
        flow = Inside(para)
        _, height = flow.wrap(width, 1e6)
        if len(para.blPara.lines) <= lines:
            return size, flow, height
        room = min(room - GROW, width - flow.narrowed)
