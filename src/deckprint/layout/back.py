"""The card back's geometry: one design for the whole deck.

A deep ink background to the bleed, the deck's categories as a band of colour stripes
(the supply chain at a glance), the optional image, the back text (the deck title by
default), the subtitle and the credits. Coordinates are the card's trim box, like the
front's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..colors import CMYK, WHITE
from ..errors import DeckError
from ..images import ImageFile
from ..deck import Deck
from ..sizes import BLEED_MM, SAFE_MM, mm
from ..text import TextDoesNotFit, TextStyle, fit, paragraph, to_markup
from ..wording import unbreakable
from .card import unit
from .common import Box, PlacedText, cmyk_color
from .ink import Inside, drop

# A cool deep ink: 170 % total ink, dark enough to read as black, far under the 240 %
# some print-on-demand services allow, and without the registration risk of rich black
# under small white text.
BACK_INK = CMYK(0.4, 0.2, 0.1, 1.0)


@dataclass(frozen=True)
class CardBack:
    page: Box  # trim plus bleed
    background: CMYK
    stripes: tuple[tuple[Box, CMYK], ...]
    image: Box | None
    image_file: ImageFile | None
    texts: tuple[PlacedText, ...]


def layout_back(deck: Deck, bleed_mm: float = BLEED_MM) -> CardBack:
    w, h = mm(deck.card_mm[0]), mm(deck.card_mm[1])
    bleed, safe_m = mm(bleed_mm), mm(SAFE_MM)
    u = unit(deck.card_mm)
    safe = Box(safe_m, safe_m, w - 2 * safe_m, h - 2 * safe_m)
    page = Box(-bleed, -bleed, w + 2 * bleed, h + 2 * bleed)
    white = cmyk_color(WHITE)
    texts: list[PlacedText] = []

    # Stripes across the full width (into the bleed), a third of the way up.
    colors = [c.color for c in deck.categories]
    stripe_h = mm(2.2 * u)
    stripes = []
    y0 = h * 0.30
    for i, color in enumerate(colors):
        stripes.append((Box(-bleed, y0 + (len(colors) - 1 - i) * stripe_h, w + 2 * bleed, stripe_h), color))
    stripes_top = y0 + len(colors) * stripe_h

    # Title block above the stripes, centred in the remaining height.
    image_box = None
    top = safe.top
    if deck.back_image is not None:
        side = min(safe.w * 0.6, (safe.top - stripes_top) * 0.45)
        image_box = Box(safe.x + (safe.w - side) / 2, safe.top - side, side, side)
        top = image_box.y - mm(3 * u)

    def style(size: float, bold: bool = False) -> TextStyle:
        return TextStyle(font=deck.font.bold if bold else deck.font.regular, size=size,
                         color=white, align=1, language=deck.lang, leading_ratio=1.15,
                         hyphenate=False)

    items = [("back_text", to_markup(deck.back_text), True, 1.0)]
    if deck.subtitle:
        items.append(("subtitle", to_markup(deck.subtitle), False, 0.5))

    def block(size: float):
        return [(field, Inside(paragraph(markup, style(size * ratio, bold))), size * 0.6)
                for field, markup, bold, ratio in items]

    room = top - stripes_top - mm(6 * u)
    try:
        fitted = fit(block, safe.w, room, largest=round(19 * u * 4) / 4, smallest=12.0)
    except TextDoesNotFit:
        raise DeckError([deck.problem(("deck", "title"), "the deck title and subtitle do not fit on "
                                      f"the card back at 12 pt on a {deck.card_size_label} card: shorten them")]) from None
    y = stripes_top + mm(6 * u) + (room + fitted.height) / 2
    for field, flow, gap, fh in fitted.flowables:
        y -= gap + fh
        texts.append(PlacedText(field, flow, Box(safe.x, y, safe.w, fh)))

    # Credits and licence under the stripes.
    foot = " · ".join(filter(None, [deck.credits, deck.license and unbreakable(deck.license)]))
    if foot:
        try:
            fitted = fit(lambda s: [("credits", Inside(paragraph(to_markup(foot), style(s))), 0.0)],
                         safe.w, y0 - safe.y - mm(3 * u), largest=max(7 * u, 6.0), smallest=6.0)
        except TextDoesNotFit:
            raise DeckError([deck.problem(("deck", "credits"), "the credits do not fit on the card "
                                          f"back at 6 pt on a {deck.card_size_label} card: shorten them")]) from None
        _, flow, _, fh = fitted.flowables[0]
        # Descenders under the last line's tight leading stay in the safe zone.
        texts.append(PlacedText("credits", flow, Box(safe.x, safe.y + drop(flow), safe.w, fh)))

    return CardBack(page=page, background=BACK_INK, stripes=tuple(stripes), image=image_box,
                    image_file=deck.back_image, texts=tuple(texts))
