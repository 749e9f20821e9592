"""A ReportLab canvas set up for print, and the few settings that make it so.

ReportLab's defaults silently break print output (see the design notes): an RGB grey
for text, a non-embedded Helvetica in every file, dates and ids that change on every
run. Every PDF deckprint writes starts here.
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from .. import __version__
from ..deck import Deck
from ..text import plain

# ASCII85 only makes binary streams printable; PDFs are binary anyway. ~20 % smaller.
rl_config.useA85 = 0


def new_canvas(buffer: io.BytesIO, pagesize: tuple[float, float], deck: Deck, what: str) -> Canvas:
    c = Canvas(
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
