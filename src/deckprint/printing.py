"""What each file of a workshop kit is and how to print it, in the deck's language.

The guide's printing page and the kit's read-me say the same things about the same
files, so both are made from the notes here. The notes are computed from the deck and
the build options (sheets per paper, trim and bleed), not from the finished files: the
guide is one of those files, drawn at the same time as the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .imposition import sheet_layout
from .deck import Deck
from .sizes import PAPERS, POSTER_SIZES
from .wording import PRINT_UNITS, counted, format_mm, format_size, keep_units, typeset_phrase

PAPER_NAMES = {"a4": "A4", "a3": "A3", "letter": "US Letter"}


@dataclass(frozen=True)
class FileNote:
    """One file of the kit: its name, what it is, how to print it (typeset text)."""

    name: str
    what: str
    how: str


def guide_name(deck_id: str) -> str:
    return f"{deck_id}-guide.pdf"


def kit_notes(deck: Deck, *, papers: tuple[str, ...], duplex: str, bleed_mm: float,
              poster_size: str) -> list[FileNote]:
    """The kit's files in reading order: the guide, the print-and-play sheets per paper,
    the print-shop file, the posters."""
    lang = deck.lang

    def note(name: str, what: str, how: str, **fields) -> FileNote:
        return FileNote(name, keep_units(typeset_phrase(lang, what, **fields), PRINT_UNITS),
                        keep_units(typeset_phrase(lang, how, **fields), PRINT_UNITS))

    notes = [note(guide_name(deck.id), "file_guide", "print_guide")]
    for paper in papers:
        sheet = sheet_layout(PAPERS[paper], deck.card_mm, bleed_mm)
        sheets = math.ceil(len(deck.cards) / sheet.per_sheet)
        notes.append(note(f"{deck.id}-pnp-{paper}.pdf", "file_pnp", f"print_pnp_{duplex}",
                          paper=PAPER_NAMES.get(paper, paper.upper()),
                          per=counted(lang, "cards", sheet.per_sheet), sheets=counted(lang, "sheets", sheets)))
    w, h = deck.card_mm
    notes.append(note(f"{deck.id}-print.pdf", "file_print", "print_print",
                      pages=counted(lang, "pages", 2 * len(deck.cards)),
                      trim=format_size(w, h, lang), size=deck.card_size_label,
                      bleed=format_mm(bleed_mm, lang),
                      media=format_size(w + 2 * bleed_mm, h + 2 * bleed_mm, lang)))
    pw, ph = POSTER_SIZES[poster_size]
    notes.append(note(f"{deck.id}-posters-{poster_size}.pdf", "file_posters", "print_posters",
                      size=PAPER_NAMES.get(poster_size, poster_size.upper()),
                      trim=format_size(pw, ph, lang), bleed=format_mm(bleed_mm, lang)))
    return notes
