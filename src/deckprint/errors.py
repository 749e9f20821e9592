"""The two kinds of failure: the user's (a message, exit 1) and ours (a traceback).

Every problem found in a deck is a :class:`Problem` with the file, line and column it
comes from and the field path in the deck (``cards[3].country``), so that a deck author
can jump to it in an editor. Problems are collected and reported together: one run of
``deckprint validate`` shows everything that is wrong, not the first thing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    cell: str | None = None  # a spreadsheet's own name for the place ("Cartes!C7")

    def __str__(self) -> str:
        where = self.file
        if self.cell is not None:
            where += f":{self.cell}"
        elif self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        field = f" {self.path}:" if self.path else ""
        return visible(f"{where}:{field} {self.message}")


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

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.row, self.column, "", message, self.cell)


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


class UserError(Exception):
    """Something the user can fix: printed as a message, exit code 1, no traceback."""


class DeckError(UserError):
    """One or more located problems in one deck file."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (p.file, p.line or 0, p.column or 0, p.path)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
