"""Card fronts: the face in the card format, and the checks a whole deck's cards need.

Coordinates are the card's trim box, origin bottom-left, y up; the drawing code adds
the bleed offset. A laid-out card holds the wrapped paragraphs (ReportLab flowables,
measured but not drawn) and the boxes around them, so a test can check the numbers
without making a PDF, and the same layout can be drawn into several outputs.

Every glyph's ink stays in the safe zone, not only the text's advance boxes: a "J"
that hangs left of its origin moves in (see ``ink.py``).

Sizes scale with the card: ``u`` is the card's short side over a tarot card's (70 mm),
so a poker card gets 0.9 of the tarot sizes and an A6 card 1.5 — but body text never
goes below the 6.5 pt floor, and when it would have to, the card fails with a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Callable

from ..errors import DeckError, Problem, excerpt
from ..deck import Card, Deck
from ..qr import QRSize, QRTooSmall, qr_matrix, qr_side
from ..sizes import BLEED_MM, SAFE_MM, larger_presets, mm
from .face import BodyFormat, Face, FaceFormat, Role, layout_face, source_path

CARD_BODY_FLOOR = 6.5  # pt: the smallest testimony, conditions and impact a card may have
CARD_SMALL_FLOOR = 6.0  # pt: the smallest label and footer text
CARD_NAME_FLOOR = 8.0  # pt: the smallest name
CARD_QR_MODULE_MM = 0.42  # what a card's QR code aims for: a little above the print minimum

CardFront = Face  # a card's front is its face in the card format


def unit(card_mm: tuple[float, float]) -> float:
    """The card's scale: its short side over a tarot card's."""
    w, h = card_mm
    return min(w, h) / 70.0


def card_face(deck: Deck, bleed_mm: float = BLEED_MM) -> FaceFormat:
    """The card format for the deck's card size (and the bleed it is drawn with)."""
    return _card_face(deck.card_mm, deck.card_size_label, bleed_mm)


def _same(size: float) -> float:
    """A card sets its conditions and impact at the testimony's size."""
    return size


@lru_cache(maxsize=32)
def _card_face(card_mm: tuple[float, float], label: str, bleed_mm: float) -> FaceFormat:
    """A tarot card's sizes, times ``u``, each above its floor."""
    u = unit(card_mm)
    w_mm, h_mm = card_mm
    small = CARD_SMALL_FLOOR
    bigger = larger_presets(w_mm, h_mm)
    return FaceFormat(
        width=mm(w_mm), height=mm(h_mm), bleed=mm(bleed_mm), margin=mm(SAFE_MM),
        where=f"on a {label} card", room="the card",
        hint=f", or use a larger card (deck.card: {bigger[0]})" if bigger else "",
        ink_inside=True, title_step=0.25,
        titles=(Role("category", max(6.5 * u, small), small, (2,), bold=True, hyphenate=False, after=mm(1.2 * u)),
                Role("name", 20 * u, max(10 * u, CARD_NAME_FLOOR), (2,), bold=True, leading=1.12, hyphenate=False,
                     after=mm(0.6 * u)),
                Role("role", 9.5 * u, max(7 * u, small), (3,), leading=1.12, hyphenate=False, after=mm(0.6 * u)),
                Role("country", 8 * u, max(6.5 * u, small), (2,), leading=1.12, hyphenate=False)),
        image=(mm(24 * u), mm(2.5 * u)), band_pad=mm(2.5 * u),
        # About a third of the short side, modules of 0.42 mm or more; never past the room
        # the footer has (a QRTooSmall when that makes them smaller than 0.4 mm).
        qr=QRSize(0.3 * min(w_mm, h_mm), (CARD_QR_MODULE_MM, None), min(0.45 * w_mm, 0.3 * h_mm)),
        footer_columns=1, footer_gap=mm(2.5 * u),
        source=(Role("source_heading", max(6 * u, small), accent=True),
                Role("source", max(6.5 * u, small), bold=True)),
        number=Role("number", max(8 * u, small), bold=True, align=2),
        deck_title=Role("deck_title", max(6 * u, small), align=2),
        footer_rule=None,
        body=BodyFormat(sizes=((round(9.5 * u * 4) / 4, CARD_BODY_FLOOR, 0.25),), sections=_same,
                        testimony_leading=1.22, heading=0.82, heading_hyphenate=True, heading_gap=0.9,
                        line_leading=1.18, line_gaps=(0.35, 0.18), top=mm(2.8 * u), bottom=mm(2.5 * u),
                        least=mm(10 * u), quote_indent=mm(2.6 * u), quote_rule=mm(0.7 * u)))


def layout_front(deck: Deck, card: Card, bleed_mm: float = BLEED_MM) -> Face:
    return layout_face(deck, card, card_face(deck, bleed_mm))


def check_qr_codes(deck: Deck) -> list[Problem]:
    """One problem per URL that cannot make a printable QR code, at the place it is
    written (a card's source, or the deck's, shared by many cards)."""
    problems = {}
    size = card_face(deck).qr
    for card in deck.cards:
        path = source_path(deck, card, "url")
        if path in problems:
            continue
        try:
            qr_side(qr_matrix(card.source.url), size)
        except QRTooSmall as exc:
            message = (f"the URL is too long for a QR code on a {deck.card_size_label} card: its {exc} "
                       "(shorten the URL or use a larger card)")
        except ValueError as exc:  # longer than any QR code holds
            message = str(exc)
        else:
            continue
        who = f'card {card.number} "{excerpt(card.name)}"' if path[0] == "cards" else "the deck's source"
        problems[path] = deck.problem(path, f"{who}: {message}")
    return list(problems.values())


class Fronts(Sequence[Face]):
    """Every card's front, laid out when it is read and not kept: a 5,000-card deck's
    layouts take 160 MB, and an output reads each front once, in order. Each process
    that draws lays out the fronts it draws (in parallel, instead of one process laying
    them all out first).

    Build it with :meth:`checked`. A card that does not fit raises the DeckError of
    :func:`layout_deck`, naming every card that does not fit.
    """

    def __init__(self, deck: Deck, bleed_mm: float):
        self.deck = deck
        self.bleed_mm = bleed_mm

    @classmethod
    def checked(cls, deck: Deck, bleed_mm: float = BLEED_MM) -> Fronts:
        """The fronts, once every card's QR code is known to print (a DeckError if not)."""
        problems = check_qr_codes(deck)
        if problems:
            raise DeckError(problems)
        return cls(deck, bleed_mm)

    def __len__(self) -> int:
        return len(self.deck.cards)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        card = self.deck.cards[index]
        try:
            return layout_front(self.deck, card, self.bleed_mm)
        except DeckError:
            layout_deck(self.deck, self.bleed_mm)  # raises, with every card that does not fit
            raise


def layout_deck(deck: Deck, bleed_mm: float = BLEED_MM,
                progress: Callable[[], None] | None = None) -> list[Face]:
    """Lay out every card; one DeckError with every card that does not fit.
    ``progress`` is called after each card (a progress bar)."""
    problems = check_qr_codes(deck)
    fronts = []
    if not problems:
        for card in deck.cards:
            try:
                fronts.append(layout_front(deck, card, bleed_mm))
            except DeckError as overflow:
                problems += overflow.problems
            if progress is not None:
                progress()
    if problems:
        raise DeckError(dict.fromkeys(problems))  # a category's problem is every card's
    return fronts
