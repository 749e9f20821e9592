"""The inline marks of a text field: ``*italic*``, ``**bold**``, ``***bold italic***``.

The whole language (docs/deck-format.md says the same to deck authors):

- ``\\*`` is an asterisk and ``\\\\`` a backslash; any other backslash, and ``_``, print
  as typed.
- A run of asterisks with a space on both sides (``5 * 3``) prints as typed. The start
  and the end of a text are not spaces: a lone ``*`` at either end is a mark.
- Every other run is a mark. It closes the marks open on its left when a non-space
  precedes it, innermost first; what is left of it opens when a non-space follows it.
  ``***`` opens bold and italic at once; the mark that closes first is the inner one.
- A mark left open, one that closes with nothing open, one that closes across another
  (``**a *b** c*``) and a run of four asterisks or more are errors, located by the deck
  loader: a text that prints is never silently different from what its author meant.

Because the ends of a text count as non-spaces, a text whose marks are right reads the
same wherever it is put (inside quotes, after a label, joined to another text): its
runs open and close the same marks.

A text is read once; the reading gives the ReportLab markup (:func:`to_markup`), the
words a reader sees (:func:`plain`) and the author's error (:func:`problem`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"\\[\\*]|\*+")
_OPEN = {1: "<i>", 2: "<b>"}
_CLOSE = {1: "</i>", 2: "</b>"}
_HINT = r"write \* for an asterisk that is not a mark"


class MarkError(ValueError):
    """A text whose marks do not pair up; ``message`` is in the deck author's words."""


def _snippet(text: str, start: int, end: int, room: int = 18) -> str:
    """The place of a problem in a long text, quoted: '…say **bold ita…' (a long run of
    asterisks cut in the middle too)."""
    head = text[max(0, start - room):start]
    tail = text[end:end + room]
    middle = text[start:end] if end - start <= 2 * room else text[start:start + room] + "…" + text[end - room:end]
    return ("…" if start > room else "") + head + middle + tail + ("…" if end + room < len(text) else "")


def _fail(text: str, start: int, end: int, what: str) -> MarkError:
    return MarkError(f'{what} in "{_snippet(text, start, end)}": {_HINT}')


def _stars(n: int) -> str:
    return "`" + "*" * n + "`" if n <= 6 else f"`{'*' * 6}…` ({n:,} asterisks)"


class _Reader:
    """One pass over a text: ``pieces`` are ("text", str) and ("tag", str) in order."""

    def __init__(self, text: str):
        self.text = text
        self.pieces: list[list[str]] = []
        self.open: list[list[int]] = []  # [stars, index of its tag piece, offset]

    def read(self) -> list[list[str]]:
        pos = 0
        for match in _TOKEN.finditer(self.text):
            self._literal(self.text[pos:match.start()])
            pos = match.end()
            if match.group()[0] == "\\":
                self._literal(match.group()[1])
            else:
                self._run(match.start(), match.end())
        self._literal(self.text[pos:])
        if self.open:
            stars, _, at = self.open[0]
            raise _fail(self.text, at, at + stars, f"an unclosed {_stars(stars)}")
        return self.pieces

    def _literal(self, text: str) -> None:
        if text:
            self.pieces.append(["text", text])

    def _run(self, start: int, end: int) -> None:
        before = self.text[start - 1:start]  # "" at the start: not a space
        after = self.text[end:end + 1]
        can_close, can_open = not before.isspace(), not after.isspace()
        if not (can_close or can_open):
            self._literal(self.text[start:end])
            return
        left = end - start
        if left > 3:
            raise _fail(self.text, start, end, f"{_stars(left)}: a mark is one to three asterisks")
        if can_close:
            left = self._close(left)
        if not left:
            return
        if not can_open:
            inside = "*" * self.open[-1][0] if self.open else ""
            what = (f"{_stars(left)} closes inside `{inside}…{inside}`" if inside
                    else f"{_stars(left)} closes, but no {_stars(left)} is open")
            raise _fail(self.text, start, end, what)
        self.open.append([left, len(self.pieces), start])
        self.pieces.append(["tag", _OPEN.get(left, "")])  # ***: set when the first mark closes

    def _close(self, left: int) -> int:
        """Close what ``left`` asterisks close, innermost first; the asterisks left over."""
        while left and self.open:
            mark = self.open[-1]
            if mark[0] == 3:  # bold italic: the part that closes now is the inner one
                inner = {3: 1, 2: 2, 1: 1}[left]
                self.pieces[mark[1]][1] = "<b><i>" if inner == 1 else "<i><b>"
                self.pieces.append(["tag", "</i></b>" if left == 3 else _CLOSE[inner]])
                mark[0] = 3 - inner if left < 3 else 0
                left = 0
            elif mark[0] > left or (mark[0] == 1 and left == 2):  # ** does not close *
                break
            else:
                self.pieces.append(["tag", _CLOSE[mark[0]]])
                left -= mark[0]
                mark[0] = 0
            if not mark[0]:
                self.open.pop()
        return left


def _read(text: str) -> tuple[tuple[str, str], ...]:
    reading = _reading(text)
    if isinstance(reading, MarkError):
        raise reading
    return reading


@lru_cache(maxsize=8192)
def _reading(text: str) -> tuple[tuple[str, str], ...] | MarkError:
    """A text read once, also when its marks are wrong: the error is kept like a
    reading (lru_cache keeps no exception), or 5,000 cards aliasing one wrong text
    would each read it again, twice (its problem, then its glyphs)."""
    try:
        return tuple((kind, value) for kind, value in _Reader(text).read())
    except MarkError as error:
        return error


def problem(text: str) -> str | None:
    """What is wrong with the marks of ``text`` (an author's message), or None."""
    try:
        _read(text)
    except MarkError as exc:
        return str(exc)
    return None


def escape_markup(text: str) -> str:
    """Text for a ReportLab paragraph, printed exactly as given (no marks read)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_markup(text: str) -> str:
    """Typeset text → ReportLab paragraph markup: the text escaped, the marks as tags.

    Raises :class:`MarkError` for marks that do not pair up; the deck loader refuses
    such texts, so from a build it is a bug.
    """
    return "".join(escape_markup(value) if kind == "text" else value for kind, value in _read(text))


def plain(text: str, *, lenient: bool = False) -> str:
    """The words a reader sees: marks gone, escaped asterisks and backslashes kept.

    ``lenient``: a text whose marks are wrong comes back as typed instead of raising
    (for checks that run before the marks are reported).
    """
    try:
        return "".join(value for kind, value in _read(text) if kind == "text")
    except MarkError:
        if lenient:
            return text
        raise


def escape_marks(text: str) -> str:
    """Plain text → a text whose marks read back as exactly ``text``."""
    return text.replace("\\", "\\\\").replace("*", "\\*")
