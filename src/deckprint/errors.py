"""The two kinds of failure: the user's (a message, exit 1) and ours (a traceback).

Every problem found in a deck is a :class:`Problem` with the file, line and column it
comes from and the field path in the deck (``cards[3].country``), so that a deck author
can jump to it in an editor. Problems are collected and reported together: one run of
``deckprint validate`` shows everything that is wrong, not the first thing.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

MAX_OF_A_KIND = 50  # problems of one kind shown; the others are counted (see DeckError)
MAX_MESSAGE = 1000  # characters of a message: a backstop, values are quoted as excerpts
EXCERPT = 40  # characters of a deck's value quoted in a message


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    kind: str = field(default="", compare=False)  # what DeckError counts; default: the path's shape
    cell: str | None = None  # a spreadsheet's own name for the place ("Cartes!C7")

    def __str__(self) -> str:
        where = self.file
        if self.cell is not None:
            where += f":{self.cell}"
        elif self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        field_ = f" {self.path}:" if self.path else ""
        message = self.message if len(self.message) <= MAX_MESSAGE else self.message[:MAX_MESSAGE] + "…"
        return visible(f"{where}:{field_} {message}")

    @property
    def shape(self) -> str:
        """What problems of one kind share: the kind, or the path without its indices."""
        return self.kind or shape_of(self.path)


def shape_of(path: str) -> str:
    """``cards[3].country`` → ``cards[].country``: what problems of one kind share."""
    return re.sub(r"\[\d+\]", "[]", path)


@dataclass(frozen=True)
class SheetCell:
    """Where a value read from a spreadsheet (sheets.py) comes from: the sheet's file,
    its row and column, and for a workbook the cell as the application names it. A
    deck's positions table holds one in place of a YAML line and column; a problem
    there reads ``personas.csv:7:3: …`` or ``personas.xlsx:Cartes!C7: …``."""

    file: str
    row: int
    column: int
    cell: str | None = None

    def problem(self, message: str, kind: str = "sheet") -> Problem:
        """The problem at this cell; ``kind`` groups it with its like (see DeckError),
        since a cell's problem names no field path."""
        return Problem(self.file, self.row, self.column, "", message, kind, self.cell)


_HIDDEN = {"Cc", "Cf", "Zl", "Zp"}


def visible(text: str) -> str:
    """Control, format and line-separator characters as escapes (``\\x1b``, ``\\u202e``).

    Messages quote what the deck says (an unknown key, a bad slug), and a deck from a
    stranger can hold an ANSI escape that recolours or clears the terminal, or a
    right-to-left override that makes the message read backwards.
    """
    if all(unicodedata.category(c) not in _HIDDEN for c in text):
        return text
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in _HIDDEN else c
                   for c in text)


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A value from the deck, as a message may quote it: at most ``limit`` characters
    (the rest "…"), control and format characters escaped. A deck file may hold a
    secret (a link to a credentials file) or five megabytes in one value: a message
    shows enough to find it, and no more."""
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # an int past Python's 4,300 digits: deckfile refuses those, but not here
        text = f"a {type(value).__name__} too long to show"
    return visible(text if len(text) <= limit else text[:limit - 1] + "…")


class UserError(Exception):
    """Something the user can fix: printed as a message, exit code 1, no traceback."""


class DeckError(UserError):
    """One or more located problems in one deck file.

    Of each kind of problem (:attr:`Problem.shape`), the first :data:`MAX_OF_A_KIND`
    in the order found are kept, and one more says how many were left out, where the
    first of them is: 5,000 cards naming an unknown category make 51 lines, not 5,000.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(
            _capped(problems), key=lambda p: (p.file, p.line or 0, p.column or 0, p.path)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def _capped(problems: Iterable[Problem]) -> list[Problem]:
    seen: Counter[str] = Counter()
    kept: list[Problem] = []
    first_left_out: dict[str, Problem] = {}
    for problem in problems:
        seen[problem.shape] += 1
        if seen[problem.shape] <= MAX_OF_A_KIND:
            kept.append(problem)
        else:
            first_left_out.setdefault(problem.shape, problem)
    for shape, first in first_left_out.items():
        more = seen[shape] - MAX_OF_A_KIND
        kept.append(Problem(first.file, first.line, first.column, first.path,
                            f"{more:,} more problems like the {MAX_OF_A_KIND} above ({shape}) from here on, "
                            "not shown: fix these first", kind=f"{shape} (left out)"))
    return kept


class Tally:
    """Counts problems by kind as they are found, so that a check words (and looks for
    a "did you mean") only the problems that will be shown: the others are counted
    with an empty message (DeckError leaves them out)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def shown(self, kind: str) -> bool:
        self.counts[kind] += 1
        return self.counts[kind] <= MAX_OF_A_KIND


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it.
    Links are not followed: a deck file that is a link is named by the link, not by
    the file it leads to (which may be one its reader must not learn of)."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
