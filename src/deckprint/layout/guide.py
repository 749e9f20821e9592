"""What the facilitator guide says, as data: the session outline, the categories with
their cards, the sources with their cards and QR codes, the kit's files. No drawing.

The guide itself is set by platypus (``draw/guide.py``), which flows it onto as many
A4 pages as it needs: the guide is read, not cut, so nothing here has to fit a box.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..labels import WORKSHOP_DEFAULT
from ..deck import Category, Deck, Source, Workshop, WorkshopStep
from ..printing import FileNote, kit_notes
from ..qr import QRMatrix, QRSize, qr_matrix, qr_side
from ..wording import typography

# About 30 mm, with modules between 0.4 and 0.6 mm: large enough for any phone at arm's
# length, never under the print minimum whatever the URL's length.
GUIDE_QR = QRSize(30.0, (0.4, 0.6))


@dataclass(frozen=True)
class CategoryEntry:
    category: Category
    numbers: tuple[int, ...]  # card numbers, 1-based


@dataclass(frozen=True)
class SourceEntry:
    source: Source
    numbers: tuple[int, ...]  # the cards that point to it; empty for a deck source no card uses
    qr: QRMatrix
    side: float  # points, quiet zone included


@dataclass(frozen=True)
class GuideContent:
    deck: Deck
    outline: Workshop  # complete: every key set
    categories: tuple[CategoryEntry, ...]
    sources: tuple[SourceEntry, ...]
    files: tuple[FileNote, ...]


def guide_content(deck: Deck, *, papers: tuple[str, ...], duplex: str, bleed_mm: float,
                  poster_size: str) -> GuideContent:
    categories = tuple(CategoryEntry(cat, tuple(c.number for c in deck.cards if c.category == cat))
                       for cat in deck.categories)
    return GuideContent(deck, session_outline(deck),
                        tuple(entry for entry in categories if entry.numbers), sources(deck),
                        tuple(kit_notes(deck, papers=papers, duplex=duplex, bleed_mm=bleed_mm,
                                        poster_size=poster_size)))


def session_outline(deck: Deck) -> Workshop:
    """The deck's ``workshop:`` with every key it leaves out taken from the default
    outline of its language. Default steps are scaled to the deck's own duration."""
    default = WORKSHOP_DEFAULT[deck.lang]
    own = deck.workshop or Workshop(None, None, None, None, None)

    def typeset(items: list[str]) -> tuple[str, ...]:
        return tuple(typography(t, deck.lang) for t in items)

    if own.steps is not None:
        steps = own.steps
        timed = [s.minutes for s in steps]
        duration = own.duration or (sum(timed) if None not in timed else None)
    else:
        duration = own.duration or default["duration"]
        minutes = scale_minutes([m for _, m, _ in default["steps"]], duration)
        steps = tuple(WorkshopStep(typography(title, deck.lang), m, typography(text, deck.lang))
                      for (title, _, text), m in zip(default["steps"], minutes))
    return Workshop(
        duration=duration,
        audience=own.audience if own.audience is not None else typography(default["audience"], deck.lang),
        goals=own.goals if own.goals is not None else typeset(default["goals"]),
        steps=steps,
        questions=own.questions if own.questions is not None else typeset(default["questions"]),
    )


def scale_minutes(minutes: list[int], total: int) -> list[int]:
    """Step lengths scaled to add up to ``total``: on a 5-minute grid when the session
    is long enough for it, the rounding made up on the longest step."""
    grid = 5 if total >= 5 * len(minutes) * 2 else 1
    scaled = [max(grid, round(m * total / sum(minutes) / grid) * grid) for m in minutes]
    longest = scaled.index(max(scaled))
    scaled[longest] += total - sum(scaled)
    if scaled[longest] < 1:  # a session too short for the steps: share it out evenly
        base, extra = divmod(total, len(minutes))
        scaled = [base + (i < extra) for i in range(len(minutes))]
    return scaled


def timeline(steps: tuple[WorkshopStep, ...]) -> list[tuple[int, int] | None]:
    """(start, end) minutes of each step from the session's start, when every step
    before it has a length; None after a step without one."""
    out: list[tuple[int, int] | None] = []
    clock: int | None = 0
    for step in steps:
        if clock is None or step.minutes is None:
            clock = None
            out.append(None)
            continue
        out.append((clock, clock + step.minutes))
        clock += step.minutes
    return out


def sources(deck: Deck) -> tuple[SourceEntry, ...]:
    """Every distinct source URL of the deck, the deck's own first, then in card order,
    with the fullest reference written for it and the cards that point to it."""
    found: dict[str, tuple[Source, list[int]]] = {}
    if deck.source is not None:
        found[deck.source.url] = (deck.source, [])
    for card in deck.cards:
        source, numbers = found.setdefault(card.source.url, (card.source, []))
        numbers.append(card.number)
        if _detail(card.source) > _detail(source):
            found[card.source.url] = (card.source, numbers)
    return tuple(SourceEntry(source, tuple(numbers), qr_matrix(url), qr_side(qr_matrix(url), GUIDE_QR))
                 for url, (source, numbers) in found.items())


def _detail(source: Source) -> int:
    return sum(v is not None for v in (source.title, source.publisher, source.author, source.date))


