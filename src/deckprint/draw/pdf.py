"""A ReportLab canvas set up for print, and the few settings that make it so.

ReportLab's defaults silently break print output (see the design notes): an RGB grey
for text, a non-embedded Helvetica in every file, dates and ids that change on every
run. Every PDF deckprint writes starts here.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Iterator

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from .. import __version__
from ..deck import Deck
from ..text import plain


@contextmanager
def no_ascii85() -> Iterator[None]:
    """ReportLab's ``rl_config.useA85`` off while the block runs, restored after.

    ASCII85 only makes binary streams printable; PDFs are binary anyway, and it makes
    them ~20 % larger. ReportLab has no canvas option for it: it reads the global when
    it loads an image and when it writes the pages and forms out.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


class PrintCanvas(Canvas):
    """A canvas whose streams are never ASCII85-encoded: the calls that read ReportLab's
    ``useA85`` (images drawn, the file written out) run inside :func:`no_ascii85`, and
    ReportLab's setting is left alone for any other canvas."""

    def drawImage(self, *args, **kwargs):  # noqa: N802 (ReportLab's names, here and below)
        with no_ascii85():
            return super().drawImage(*args, **kwargs)

    def drawInlineImage(self, *args, **kwargs):  # noqa: N802
        with no_ascii85():
            return super().drawInlineImage(*args, **kwargs)

    def save(self):
        with no_ascii85():
            return super().save()

    def getpdfdata(self):
        with no_ascii85():
            return super().getpdfdata()


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], deck: Deck, what: str) -> Canvas:
    c = PrintCanvas(
        buffer,
        pagesize=pagesize,
        invariant=1,  # fixed dates and ids: the same deck gives the same bytes
        enforceColorSpace="cmyk",  # greys become 0 0 0 k; any RGB colour raises
        initialFontName=deck.font.regular,  # no stray, non-embedded Helvetica
        initialFontSize=8,
        pageCompression=1,
        lang=deck.language,
    )
    info = pdf_info(deck, what)
    c.setTitle(info["title"])
    c.setAuthor(info["author"])
    c.setSubject(info["subject"])
    c.setCreator(info["creator"])
    c.setProducer(info["producer"])
    c.setKeywords(info["keywords"])
    return c


def pdf_info(deck: Deck, what: str) -> dict:
    """The document information of a deck's PDF. Platypus documents (the guide) set it
    again after making their canvas, so they are given the same values."""
    author = deck.source.author if deck.source and deck.source.author else None
    return {
        "title": f"{_plain(deck.title)} — {what}",
        "author": _plain(deck.credits or author or deck.title),
        "subject": _plain(deck.subtitle or deck.title),
        "creator": f"deckprint {__version__}",
        "producer": f"deckprint {__version__} (ReportLab)",
        "keywords": [deck.id, deck.language, what],
    }


def set_boxes(c: Canvas, media: tuple[float, float], bleed: float) -> None:
    """TrimBox and BleedBox for the next page(s): the trim is the page less the bleed."""
    w, h = media
    c.setBleedBox((0, 0, w, h))
    c.setTrimBox((bleed, bleed, w - bleed, h - bleed))


def _plain(text: str) -> str:
    """Metadata is read by file managers and search tools: no marks, plain spaces."""
    return plain(text).replace("\u00a0", " ")
