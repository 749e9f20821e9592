"""Content streams as the operations the checks need, parsed by qpdf.

The data is decoded by :mod:`.decode` (bounded), put in a scratch stream of a scratch
PDF, and parsed by qpdf's content-stream parser (``pikepdf.parse_content_stream``),
told which operators to keep: every token is read in C++, and only the operations a
check looks at reach Python (a QR code's hundreds of ``re`` never do). The file's own
objects are never written to. What qpdf had to repair in the content (an unbalanced
array, an unterminated string) comes back as :attr:`Parsed.damage`.

Operators are bytes (``b"cm"``). Operands become plain Python values: numbers floats,
names ``"/Name"`` strings, arrays lists, dictionaries dicts, booleans and null
themselves; strings a placeholder (their content is never needed), and only for the
operators whose operands a check reads (:data:`READ`). An inline image is one ``BI``
operation whose operand is its dictionary (qpdf gives the keys in full: ``/Width``,
not ``/W``).

Speed. On deckprint's own 1,000-card print-shop file, qpdf reads the 2,000 pages of
text faster than the regular-expression scanner this replaces (0.20 s against 0.28 s),
but the 500 QR codes' forms three times slower (0.20 s against 0.07 s: that scanner
skipped a run of path operators in one match), and asking pikepdf for each operator
and operand costs as much again (a real number comes as a ``Decimal``). Two things
make up for it: content in which no operator a check reads can occur is not parsed at
all (:data:`SIGNS`: a QR code's form), and the operations are read from qpdf's own
writing of them (``unparse_content_stream``: one instruction a line, operands in
canonical form) wherever that text is plain — see :func:`_operations`.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from typing import NamedTuple

import pikepdf

from .decode import MAX_STREAM_BYTES, TooLarge, decoded

# Operators the checks use; the others are dropped by qpdf.
KEEP = frozenset(b"q Q cm BT Tm Tf Tr Tj TJ ' \" Do g G rg RG cs CS sc scn SC SCN sh".split())
# ... and those whose operands they read; the others are given none.
READ = frozenset(b"cm Tm Tf Tr Do cs CS sc scn SC SCN sh".split())
SHOW = frozenset((b"Tj", b"TJ", b"'", b'"'))
STRING = "(string)"  # strings' content is never needed here
_WHITELIST = " ".join(sorted(op.decode() for op in KEEP)) + " BI ID EI"
# Content in which none of these bytes occur has no operation that a check reads
# (text, fonts, colour, images, forms, shadings; ``T`` stands for Tj, TJ and Tf, ``g``
# for g and rg…): its q, Q, cm, BT and Tm change nothing outside it. Such content (a QR
# code: paths and CMYK fills) is not parsed at all.
SIGNS = (b"T", b"'", b'"', b"Do", b"BI", b"sh", b"g", b"G", b"cs", b"CS", b"sc", b"SC")
_INLINE = b"INLINE IMAGE"  # pikepdf's operator for a whole inline image
_NONE: list = []  # the operands of the operations whose operands no check reads
_NUMBERS = frozenset((int, Decimal))  # what pikepdf makes of numbers (never bool, by type)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# qpdf names the (scratch) object its warning is about: of no use in a report
_SCRATCH_NAME = re.compile(r"^content stream objects stream \d+ \d+ ")


class Parsed(NamedTuple):
    """A content stream's operations, as (operator, operands), and what qpdf said was
    damaged in it (None: nothing)."""

    ops: list[tuple[bytes, list]]
    damage: str | None


class ContentReader:
    """Reads content streams, bounded (``limit`` bytes decoded at most). One for each
    file checked, used as a context manager: it holds a scratch PDF, and while it is
    open Python's warnings are recorded, not printed (pikepdf warns of content that
    ends in the middle of an operation: that is told as damage)."""

    def __init__(self, limit: int = MAX_STREAM_BYTES):
        self.limit = limit
        self._pdf = pikepdf.new()
        # (a /Type spares parse_content_stream a slow look-up of a missing key, 2 µs a call)
        self._scratch = pikepdf.Stream(self._pdf, b"", Type=pikepdf.Name.XObject)
        self._warnings = 0  # qpdf's warnings on the scratch PDF, already told
        self._catching = warnings.catch_warnings(record=True)
        self._python_warnings: list = []

    def __enter__(self) -> ContentReader:
        self._python_warnings = self._catching.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc) -> None:
        self._catching.__exit__(*exc)
        self._pdf.close()

    def page(self, page) -> Parsed:
        """A page's content: its stream, or its array of streams as one."""
        contents = page.get("/Contents")
        if contents is None:
            return Parsed([], None)
        if not isinstance(contents, pikepdf.Array):
            return self.stream(contents)
        parts: list[bytes] = []
        used = 0  # the bound is for the page's streams together
        for stream in contents:
            parts.append(self._decoded(stream, self.limit - used, "the page's content streams inflate"))
            used += len(parts[-1]) + 1
        return self._checked(b"\n".join(parts))

    def stream(self, stream) -> Parsed:
        """A page's, form's, pattern's or appearance's content stream."""
        return self._checked(self._decoded(stream, self.limit, "a content stream inflates"))

    def _checked(self, data: bytes) -> Parsed:
        """Content parsed, unless it has nothing a check reads (see :data:`SIGNS`)."""
        return self.parse(data) if any(map(data.__contains__, SIGNS)) else Parsed([], None)

    def parse(self, data: bytes) -> Parsed:
        """Decoded content, parsed."""
        self._scratch.write(data)
        del self._python_warnings[:]
        instructions = pikepdf.parse_content_stream(self._scratch, _WHITELIST)
        return Parsed(_operations(instructions), self._damage())

    def _decoded(self, stream, budget: int, what: str) -> bytes:
        if not isinstance(stream, pikepdf.Stream):
            raise TypeError("the content is not a stream")
        try:
            return decoded(stream, self._scratch, max(budget, 0))
        except TooLarge as exc:
            raise ValueError(f"{what} to over {_size(self.limit)} ({exc.filter})") from None

    def _damage(self) -> str | None:
        """The first problem qpdf (or pikepdf) saw in the last parse, if any."""
        qpdf_warnings = self._pdf.get_warnings()
        new = qpdf_warnings[self._warnings:]
        self._warnings = len(qpdf_warnings)
        messages = [_SCRATCH_NAME.sub("", m) for m in new] + [str(w.message) for w in self._python_warnings]
        return messages[0] if messages else None


def parse_content(data: bytes) -> list[tuple[bytes, list]]:
    """The operations of decoded content ``data`` that the checks need."""
    with ContentReader() as reader:
        return reader.parse(data).ops


def _operations(instructions: list) -> list[tuple[bytes, list]]:
    """The instructions qpdf parsed, as (operator, operands).

    Read from qpdf's writing of them when it has one line per instruction (an inline
    image spans several; a string never does: qpdf escapes its line ends), so that
    line k is instruction k: the operator is the line's last word, and operands that
    are all numbers and names are read from the words before it. Anything else is
    converted from qpdf's objects (:func:`_operation`).
    """
    lines = pikepdf.unparse_content_stream(instructions).split(b"\n") if instructions else []
    if len(lines) != len(instructions):
        return [_operation(i) for i in instructions]
    ops: list[tuple[bytes, list]] = []
    append = ops.append
    for line, instruction in zip(lines, instructions):
        operands, _, op = line.rpartition(b" ")
        if op not in READ:
            append((op, _NONE))
            continue
        args = None
        if b"/" not in operands:  # numbers only (cm, Tm, sc): the common case
            try:
                args = [float(word) for word in operands.split()]
            except ValueError:
                pass
        else:
            args = _names_and_numbers(operands)
        append((op, args if args is not None else _operation(instruction)[1]))
    return ops


def _names_and_numbers(text: bytes) -> list | None:
    """Operands as qpdf writes them, when they are all names and numbers (``/F1 9``);
    otherwise None."""
    try:
        return [_name(word) if word[0] == 0x2F else float(word) for word in text.split()]
    except ValueError:
        return None


def _operation(instruction) -> tuple[bytes, list]:
    """One instruction, from qpdf's objects."""
    op = instruction.operator.unparse()
    if op in READ:
        return op, [_plain(v) for v in instruction.operands]
    if op == _INLINE:
        image = instruction.iimage.obj
        return b"BI", [{str(k): _plain(v) for k, v in image.items()}]
    return op, _NONE


def _plain(value):
    """An operand as a plain Python value (see the module's docstring)."""
    if type(value) in _NUMBERS:
        return float(value)
    if type(value) is bool or value is None:
        return value
    if isinstance(value, pikepdf.Name):
        return _name(value.unparse())
    if isinstance(value, pikepdf.Array):
        return [_plain(v) for v in value]
    if isinstance(value, pikepdf.Dictionary):
        return {str(k): _plain(v) for k, v in value.items()}
    return STRING


def _name(raw: bytes) -> str:
    """A name as qpdf writes it (``/F1``, ``/A#20B``) as a string: UTF-8 where it is
    (as pikepdf reads names in dictionaries), else byte by byte."""
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), raw)
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _size(limit: int) -> str:
    return f"{limit >> 20} MB" if limit % 2**20 == 0 else f"{limit:,} bytes"
