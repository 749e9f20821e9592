"""Text set with ReportLab: paragraphs, hyphenation, and fitting text into a box.

What the text says, and its typography in the deck's language, come from
:mod:`.wording`; the inline marks (*italic*, **bold**) are read by :mod:`.marks`.
ReportLab is changed only while our paragraphs break their lines
(:func:`hyphenation_patterns`), never for the rest of the process.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator

import pyphen
from reportlab.lib.colors import CMYKColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paraparser import ParaParser
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import paragraph as _rl_paragraph

from .labels import HYPHENATION
from .marks import MarkError, escape_markup, escape_marks, plain, problem, to_markup
from .wording import APOSTROPHE

__all__ = ["MarkError", "escape_markup", "escape_marks", "plain", "problem", "to_markup"]

BLACK = CMYKColor(0, 0, 0, 1)

# ReportLab only tries to hyphenate words made of the letters in its pattern, which
# lacks the typographic apostrophe: "l’intelligence" and "d’entraîner" would never be
# hyphenated, and French has many such words. Our paragraphs break their lines with the
# pattern widened (see :func:`hyphenation_patterns`), and our hyphenator below breaks
# only after the apostrophe's prefix.
#
# A line that ends with "-" is taken by PDF text extraction (pdfium, poppler) for a word
# the typesetter hyphenated, and the hyphen is dropped: "fine-|tune" reads "finetune".
# When a line breaks after a hyphen the author typed, we set U+2010 HYPHEN there (the
# same glyph), which extraction keeps. ReportLab must know it ends a word with a hyphen
# already (else it adds one): our paragraphs add it to its pattern of explicit hyphens.
LINE_END_HYPHEN = "\u2010"

# ReportLab reads these patterns of reportlab.platypus.paragraph (module globals, no
# style option) when it breaks a paragraph's lines; ours, built once from its own.
_HY_LETTERS = _rl_paragraph._hy_letters + APOSTROPHE
_HYPHENATION_PATTERNS = {
    "_hy_letters_pat": re.compile(f"^[{_HY_LETTERS}]+$"),
    "_hy_shy_letters_pat": re.compile(f"^[{_rl_paragraph._hy_shy}{_HY_LETTERS}]+$"),
    "_hy_shy_pat": re.compile(f"([{_rl_paragraph._hy_shy}{LINE_END_HYPHEN}])"),
}


@contextmanager
def hyphenation_patterns() -> Iterator[None]:
    """ReportLab's hyphenation patterns widened to ours while the block runs, restored
    after: ReportLab is left as it was for any other code (and any other process
    importing deckprint). Only :meth:`DeckParagraph.breakLines` needs it."""
    saved = {name: getattr(_rl_paragraph, name) for name in _HYPHENATION_PATTERNS}
    try:
        for name, pattern in _HYPHENATION_PATTERNS.items():
            setattr(_rl_paragraph, name, pattern)
        yield
    finally:
        for name, pattern in saved.items():
            setattr(_rl_paragraph, name, pattern)


class DeckParagraph(Paragraph):
    """A ReportLab Paragraph whose lines break with our hyphenation patterns: words
    after an apostrophe's prefix can be hyphenated, and a line may end with U+2010.

    Every paragraph deckprint sets is one (:func:`paragraph`, the guide's ``P``).
    ReportLab splits a paragraph into pieces of its own class, so the pieces of one
    split across pages or columns break their lines the same way.
    """

    def breakLines(self, width):  # noqa: N802 (ReportLab's name)
        with hyphenation_patterns():
            return super().breakLines(width)


class KeptWrapParagraph(DeckParagraph):
    """A paragraph that wraps again only for a new width: a fitting search measures
    the same paragraph many times over at one width (the poster's conditions)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_wrap: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if self._kept_wrap is None or self._kept_wrap[0] != availWidth:
            self._kept_wrap = (availWidth, super().wrap(availWidth, availHeight))
        return self._kept_wrap[1]


@lru_cache(maxsize=32)
def hyphenator(language: str, font: str | None = None) -> "Hyphenator | None":
    """ReportLab's hyphenation callable for a language: word → (head, tail) pairs.

    ``font``: the font the text is set in; when it has U+2010, a line broken after a
    hyphen the author typed ends with it (see LINE_END_HYPHEN).
    """
    if language not in HYPHENATION:
        return None
    return _hyphenator(language, LINE_END_HYPHEN if font and _has_glyph(font, LINE_END_HYPHEN) else "-")


@lru_cache(maxsize=8)
def _hyphenator(language: str, line_end_hyphen: str) -> "Hyphenator":
    """One hyphenator (and one cache of words) per language and line-end hyphen."""
    return Hyphenator(language, line_end_hyphen)


def _has_glyph(font: str, char: str) -> bool:
    """Whether a registered TrueType font has a glyph for ``char`` (never assumed for
    the standard PDF fonts, whose encoding lacks most of Unicode)."""
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return ord(char) in getattr(face, "charToGlyph", {})


class Hyphenator:
    """pyphen for ReportLab, knowing that French breaks after an apostrophe's prefix,
    and setting ``line_end_hyphen`` where a line breaks after a typed hyphen.

    A class rather than a closure so that laid-out paragraphs can be pickled (layout
    runs in worker processes on big decks).
    """

    def __init__(self, language: str, line_end_hyphen: str = "-"):
        self.language = language
        self.line_end_hyphen = line_end_hyphen
        self._dic = pyphen.Pyphen(lang=HYPHENATION[language], left=2, right=3)
        self._pairs = lru_cache(maxsize=20_000)(self._split)

    def __reduce__(self):
        return _hyphenator, (self.language, self.line_end_hyphen)

    def __call__(self, word: str) -> list[tuple[str, str]]:
        return self._pairs(word)

    def _split(self, word: str) -> list[tuple[str, str]]:
        head, sep, tail = word.rpartition(APOSTROPHE)
        if APOSTROPHE in tail:
            return []
        return [(head + sep + (a[:-1] + self.line_end_hyphen if a.endswith("-") else a), b)
                for a, b in self._dic.iterate(tail)]


@dataclass(frozen=True)
class TextStyle:
    """What a block of text is set in; sizes in points."""

    font: str
    size: float
    leading_ratio: float = 1.25
    color: CMYKColor = BLACK
    align: int = 0  # 0 left, 1 centre, 2 right, 4 justified
    language: str = "en"
    bullet: str | None = None
    bullet_font: str | None = None
    hyphenate: bool = True  # off for names and titles: a designer never breaks those

    def paragraph_style(self) -> ParagraphStyle:
        return _paragraph_style(self)


@lru_cache(maxsize=4096)
def _paragraph_style(style: TextStyle) -> ParagraphStyle:
    indent = style.size * 1.0 if style.bullet else 0
    return ParagraphStyle(
        name="deckprint",
        fontName=style.font,
        fontSize=style.size,
        leading=style.size * style.leading_ratio,
        textColor=style.color,
        alignment=style.align,
        hyphenationLang=(hyphenator(style.language, style.font) if style.hyphenate else None) or "",
        hyphenationMinWordLength=5,
        splitLongWords=1,
        leftIndent=indent,
        bulletIndent=0,
        bulletFontName=style.bullet_font or style.font,
        bulletFontSize=style.size,
        bulletColor=style.color,
    )


def paragraph(markup: str, style: TextStyle, *, keep_wrap: bool = False) -> DeckParagraph:
    """A paragraph of our markup in ``style``; ``keep_wrap``: a
    :class:`KeptWrapParagraph`, for one measured many times at one width.

    Fitting text tries several sizes of the same markup; ReportLab's markup parser is
    most of the cost of a Paragraph, so the markup is parsed once per font (at 1 pt)
    and the parsed fragments are scaled to each size.
    """
    frags = [frag.clone(fontSize=style.size) for frag in _parse(markup, style.font, style.color)]
    kind = KeptWrapParagraph if keep_wrap else DeckParagraph
    return kind(markup, style.paragraph_style(), bulletText=style.bullet, frags=frags)


@lru_cache(maxsize=1024)  # a text is reparsed only while it is being fitted
def _parse(markup: str, font: str, color: CMYKColor) -> tuple:
    style = ParagraphStyle(name="parse", fontName=font, fontSize=1, textColor=color)
    _, frags, _ = ParaParser().parse(markup, style)
    if frags is None:
        raise ValueError(f"cannot parse {markup[:40]!r}")  # our own markup: a bug if it happens
    return tuple(frags)


class TextDoesNotFit(Exception):
    """Raised by :func:`fit` with how much room the text needed at the floor size."""

    def __init__(self, needed: float, available: float, heights: dict[str, float]):
        self.needed = needed
        self.available = available
        self.heights = heights
        super().__init__(f"needs {needed:.1f} pt, has {available:.1f} pt")


@dataclass
class Fitted:
    """A block set at the size that fits: the wrapped flowables and their heights."""

    size: float
    flowables: list[tuple[str, Flowable, float, float]]  # (field, flowable, gap before, height)
    height: float


@lru_cache(maxsize=512)
def wrapped(markup: str, style: TextStyle, width: float) -> tuple[Paragraph, float]:
    """A paragraph wrapped in ``width``, and its height.

    Cached: the labels, headings and footers that every card repeats are wrapped once
    per build; a wrapped Paragraph can be drawn any number of times.
    """
    flowable = paragraph(markup, style)
    return flowable, flowable.wrap(width, 1e6)[1]


def measure(build: Callable[[float], list[tuple]], size: float, width: float) -> Fitted:
    """Wrap the flowables ``build(size)`` gives in ``width``; gaps come from ``build``.

    An item is ``(field, flowable, gap)``, or ``(field, flowable, gap, height)`` for a
    flowable already wrapped in ``width`` (see :func:`wrapped`).
    """
    placed = []
    total = 0.0
    for field, flowable, gap, *known in build(size):
        height = known[0] if known else flowable.wrap(width, 1e6)[1]
        if placed:
            total += gap
        placed.append((field, flowable, gap if len(placed) else 0.0, height))
        total += height
    return Fitted(size, placed, total)


def fit(build: Callable[[float], list[tuple[str, Flowable, float]]], width: float,
        height: float, *, largest: float, smallest: float, step: float = 0.25) -> Fitted:
    """The largest size (on a ``step`` grid) at which the block fits in ``height``.

    Below ``smallest`` we do not go: we raise :class:`TextDoesNotFit` with the heights
    per field at the floor, so the caller can say which field is too long and by how
    much.
    """
    top = measure(build, largest, width)
    if top.height <= height:  # short texts, most of them, stop here
        return top
    if height <= 0:  # no room at all (the rest of the card took it)
        raise _no_fit(measure(build, smallest, width), height)
    # Text height grows about as the square of the size (taller lines, fewer words a
    # line): start from that guess, then step along the grid to the largest that fits.
    def on_grid(size: float) -> float:
        return max(smallest, min(largest, smallest + int((size - smallest) / step) * step))

    size = on_grid(largest * (height / top.height) ** 0.5)
    best = measure(build, size, width)
    if best.height <= height:
        while size + step <= largest - step / 2:
            trial = measure(build, size + step, width)
            if trial.height > height:
                break
            best, size = trial, size + step
        return best
    while size > smallest:
        size = on_grid(size - step)
        best = measure(build, size, width)
        if best.height <= height:
            return best
    raise _no_fit(best, height)


def _no_fit(at_floor: Fitted, height: float) -> TextDoesNotFit:
    """How much room each field took at the floor size, for the error message."""
    heights: dict[str, float] = {}
    for field, _, gap, h in at_floor.flowables:
        heights[field] = heights.get(field, 0.0) + h + gap
    return TextDoesNotFit(at_floor.height, height, heights)


def fit_lines(markup: str, words_text: str, style_at: Callable[[float], TextStyle], width: float,
              lines: int, largest: float, smallest: float, step: float = 0.25) -> tuple[float, Paragraph, float]:
    """(size, paragraph, height): the largest size on the ``step`` grid at which a
    name or title sets in at most ``lines`` lines without cutting a word.

    :func:`fit` fits a height; a title needs a line count (a 2-line box at the largest
    size would take 3 lines of a smaller size), and a word too wide for the line must
    make the size smaller, not be cut. ``words_text`` is the plain text of ``markup``.
    """
    def trial(size: float) -> tuple[bool, Paragraph, float]:
        style = style_at(size)
        longest = max((stringWidth(w, style.font, size) for w in words_text.split()), default=0.0)
        flow = paragraph(markup, style)
        _, h = flow.wrap(width, 1e6)
        return longest <= width and len(flow.blPara.lines) <= lines, flow, h

    ok, flow, h = trial(largest)
    if ok:
        return largest, flow, h
    ok, flow, h = trial(smallest)
    if not ok:
        raise TextDoesNotFit(h, lines * smallest, {"text": h})
    best = (smallest, flow, h)
    low, high = 1, int(round((largest - smallest) / step)) - 1
    while low <= high:
        mid = (low + high) // 2
        ok, flow, h = trial(smallest + mid * step)
        if ok:
            best, low = (smallest + mid * step, flow, h), mid + 1
        else:
            high = mid - 1
    return best
