"""The facilitator guide: ``<deck-id>-guide.pdf``, A4 portrait, a few pages, in the
deck's language (see ``layout/guide.py`` for what it says, ``draw/guide.py`` for how).

Platypus makes its own canvas; ours comes from ``draw/pdf.new_canvas`` through the
``canvasmaker`` hook, so the guide is CMYK-only, has the deck's font as the canvas's
initial font (no stray Helvetica) and the same bytes on every run, like every other
deckprint PDF. A4 is a sheet printed as is: TrimBox = BleedBox = MediaBox.

The footer says "page n / total": the guide is set twice, the first time to count
its pages (it is a few pages; that costs a few tenths of a second).
"""

from __future__ import annotations

import io

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from ..draw.guide import BOTTOM, MARGIN, PAGE, page_furniture, story
from ..draw.pdf import new_canvas, pdf_info, set_boxes
from ..labels import GUIDE
from ..layout.guide import GuideContent, guide_content
from ..deck import Deck
from ..printing import guide_name
from ..sizes import BLEED_MM
from ..wording import typography
from . import Output



def what(deck: Deck) -> str:
    """The guide's name in the deck's language: its PDF's title is the deck's title and
    this ("… — Guide d’animation"), read by viewers and search tools."""
    return typography(GUIDE[deck.lang]["guide"], deck.lang)


def guide(deck: Deck, *, papers: tuple[str, ...] = ("a4",), duplex: str = "long",
          bleed_mm: float = BLEED_MM, poster_size: str = "a3") -> Output:
    """The guide; the options are the kit's, which its printing page describes."""
    content = guide_content(deck, papers=papers, duplex=duplex, bleed_mm=bleed_mm, poster_size=poster_size)
    pages, _ = _render(content, None)
    pages, data = _render(content, pages)
    return Output(guide_name(deck.id), data, pages, f"facilitator guide, A4, {pages} pages, {deck.language}")


def _render(content: GuideContent, total: int | None) -> tuple[int, bytes]:
    deck = content.deck
    buffer = io.BytesIO()

    def canvasmaker(target, **_ignored):
        c = new_canvas(target, PAGE, deck, what(deck))
        set_boxes(c, PAGE, 0)
        return c

    info = pdf_info(deck, what(deck))
    doc = BaseDocTemplate(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=BOTTOM, invariant=1, enforceColorSpace="cmyk",
                          initialFontName=deck.font.regular, lang=deck.language, **info)
    frame = Frame(MARGIN, BOTTOM, PAGE[0] - 2 * MARGIN, PAGE[1] - MARGIN - BOTTOM, id="text",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page_furniture(content, total))])
    doc.build(story(content), canvasmaker=canvasmaker)
    return doc.page, buffer.getvalue()
