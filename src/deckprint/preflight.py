"""Preflight: is a finished PDF fit for a print shop? Works on any PDF, not only ours.

What a print shop checks before it prints, and what people want to know before they
pay:

* page boxes: a TrimBox and a BleedBox on every page, at least ``min_bleed_mm`` of
  bleed on each side (limited by the BleedBox and by the page itself), the trim size;
* fonts: every font that text is set in is embedded;
* colour: CMYK only — RGB, Lab and the like fail; greys and spot colours warn;
* images: effective resolution of every placed raster image (pixels over the size it
  is drawn at, through every ``cm`` and form matrix);
* QR codes: each page is rendered (pypdfium2) and read (zxing-cpp); every code found
  must decode, its module size is measured; small modules warn;
* text: the smallest size text is set at, through the text matrix and the CTM.

Design choices, in the users' terms:

* **A sheet printed as is.** A page whose TrimBox is its MediaBox is a finished sheet
  (deckprint's print-and-play sheets are made so on purpose): no bleed is expected, so
  it gets an ``info`` finding, not a failure. When the page is not a paper size
  (A4, Letter, A3…) it is more likely a card that lost its bleed, and it warns.
* **Grey.** ``g``/``G`` (and DeviceGray images) print on the black plate only. That is
  right for black text and greys, so it warns instead of failing: a shop that wants
  "CMYK only" converts it without surprise, but it is never a rich black.
* **Spot colours** (Separation/DeviceN other than the process colours) warn: they may be
  deliberate, but most card printers convert them.
* **Fonts used, not fonts listed.** A font counts when a text operator selects it
  (``Tf``), in the page, its forms, tiling patterns and printable annotations; a font
  only listed in a resource dictionary never reaches the press.
* **Undecodable QR codes.** zxing-cpp 2.2+ with ``return_errors=True`` also returns the
  codes it located (finder patterns, format information) but could not decode, with
  ``valid`` false: those fail. A code so damaged that it cannot even be located is not
  seen as a QR code at all. Neither is an error result with no position (all four
  corners at 0, 0): zxing-cpp 3 sometimes adds one ("Invalid symbol size") beside a
  code it reads perfectly well — it located nothing, so there is nothing to fail.

The file's structure (pages, resources, fonts, streams) is read by qpdf, through
pikepdf: it reads the 2,000 pages of a 1,000-card print file in a fifth of the time
pypdf took, in less memory. Content streams are read by a small tokenizer of our own
rather than a content-stream parser: pypdf's parses byte by byte in Python (about 0.9 s
for the 42 pages of a bundled print file), pikepdf's hands every operand to Python as
an object; this regular-expression scanner does the same work ten times faster. Each
stream is parsed once; a Form XObject used on every page is parsed once
per file and only replayed with the CTM of each use.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import zxingcpp

from .errors import UserError, display_path
from .sizes import MM, PAPERS

MAX_RENDER_PIXELS = 5_000_000  # an A3 page at 160 dpi: 0.4 mm modules are still 2.5 px wide
# The QR scan's resolution: a 0.4 mm module is 3.1 px, a 0.25 mm one (to be warned
# about) still 2 px, which zxing reads; 300 dpi would cost 2.3 times the pixels.
SCAN_DPI = 200
_MAX_DEPTH = 24  # nested forms and patterns: deeper is a loop or an attack
_PROCESS = {"/Cyan", "/Magenta", "/Yellow", "/Black", "/All", "/None"}
_EPS_MM = 0.01  # measured lengths are compared to their limits to within this


class PreflightError(UserError):
    """The file cannot be checked at all: not a PDF, unreadable, encrypted."""


@dataclass(frozen=True)
class Finding:
    """One thing found in a file, on the pages listed (empty: the file as a whole).

    ``code`` names the check for machines and tests: ``boxes.missing``, ``boxes.bleed``,
    ``boxes.sheet``, ``boxes.trim``, ``fonts.not-embedded``, ``colour.rgb``,
    ``colour.lab``, ``colour.gray``, ``colour.spot``, ``colour.unknown``,
    ``images.resolution``, ``qr.undecodable``, ``qr.module``, ``text.size``,
    ``content.unreadable``, ``file.repaired``.
    """

    level: str
    code: str
    message: str
    pages: tuple[int, ...] = ()

    @property
    def page(self) -> int | None:
        """The page, when the finding is about exactly one."""
        return self.pages[0] if len(self.pages) == 1 else None

    def where(self) -> str:
        return page_list(self.pages)

    def __str__(self) -> str:
        where = self.where()
        return f"{self.level}: {where + ': ' if where else ''}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "code": self.code, "page": self.page,
                "pages": list(self.pages), "message": self.message}


@dataclass(frozen=True)
class QRCode:
    """A QR code seen on a rendered page. ``text`` is its content when it decodes."""

    page: int
    text: str
    valid: bool
    version: int | None
    module_mm: float | None
    x_mm: float  # top-left corner of the symbol, from the page's top-left corner
    y_mm: float


@dataclass
class FileReport:
    path: Path
    pages: int
    findings: list[Finding] = field(default_factory=list)
    qr_codes: list[QRCode] = field(default_factory=list)
    trim_mm: list[tuple[float, float]] = field(default_factory=list)
    smallest_text_pt: float | None = None

    @property
    def failed(self) -> bool:
        return any(f.level == "fail" for f in self.findings)

    def count(self, level: str) -> int:
        return sum(f.level == level for f in self.findings)

    def summary(self) -> str:
        """``FILE: ok (42 pages, trim 70 × 120 mm, 21 QR codes)`` or ``FILE: 3 problems (…)``."""
        problems, warnings = self.count("fail"), self.count("warn")
        head = f"{problems} problem{'s' * (problems != 1)}" if problems else "ok"
        if warnings:
            head += f", {warnings} warning{'s' * (warnings != 1)}"
        facts = [f"{self.pages} page{'s' * (self.pages != 1)}"]
        if self.trim_mm:
            facts.append("trim " + ", ".join(f"{_mm(w)} × {_mm(h)} mm" for w, h in self.trim_mm))
        decoded = sum(q.valid for q in self.qr_codes)
        facts.append(f"{decoded} QR code{'s' * (decoded != 1)}")
        return f"{display_path(self.path)}: {head} ({', '.join(facts)})"

    def lines(self, *, urls: bool = False) -> list[str]:
        """The readable report: one line per finding, the URLs if asked, the summary."""
        name = display_path(self.path)
        out = [f"{name}: {finding}" for finding in self.findings]
        if urls:
            out += [f"{name}: page {q.page}: QR {q.text}" for q in self.qr_codes if q.valid]
        out.append(self.summary())
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "ok": not self.failed,
            "pages": self.pages,
            "trim_mm": [list(t) for t in self.trim_mm],
            "smallest_text_pt": self.smallest_text_pt,
            "qr_codes": [asdict(q) for q in self.qr_codes],
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
        }


def check_pdf(path: Path, *, min_bleed_mm: float = 3.0, min_module_mm: float = 0.4,
              min_ppi: float = 300, min_text_pt: float = 6.0, qr: bool = True,
              dpi: float = SCAN_DPI) -> FileReport:
    """Preflight one PDF file. Raises :class:`PreflightError` when it cannot be read."""
    path = Path(path)
    return check_pdf_data(_read(path), path, min_bleed_mm=min_bleed_mm, min_module_mm=min_module_mm,
                          min_ppi=min_ppi, min_text_pt=min_text_pt, qr=qr, dpi=dpi)


def check_pdf_data(data: bytes, path: Path, *, min_bleed_mm: float = 3.0, min_module_mm: float = 0.4,
                   min_ppi: float = 300, min_text_pt: float = 6.0, qr: bool = True,
                   dpi: float = SCAN_DPI, qr_once_per_form: bool = False) -> FileReport:
    """:func:`check_pdf` on a PDF in memory (``path`` names it in the report): what
    ``deckprint build`` checks before it writes anything.

    ``qr_once_per_form`` is for PDFs known to draw every QR code as a Form XObject
    placed on the page (deckprint's own): only the region of each form's first
    placement in the file is rendered and read. The bundled deck's 21 cards share one
    source: one small scan instead of 21 pages.
    """
    found = _Findings()
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise PreflightError(f"{display_path(path)}: encrypted; give the printer's copy without a password") from None
    except Exception as exc:  # qpdf refuses broken files in many ways
        raise PreflightError(f"{display_path(path)}: cannot be read as a PDF ({_reason(exc)})") from None
    with pdf:
        try:
            pages = [page.obj for page in pdf.pages]
        except Exception as exc:
            raise PreflightError(f"{display_path(path)}: cannot be read as a PDF ({_reason(exc)})") from None
        if not pages:
            raise PreflightError(f"{display_path(path)}: the PDF has no pages")
        report = FileReport(path, len(pages))
        report.trim_mm = _check_boxes(pages, found, min_bleed_mm)
        content = _Content(found, min_ppi, min_text_pt)
        for number, page in enumerate(pages, 1):
            content.check_page(page, number)
        report.smallest_text_pt = content.report_text()
        # qpdf notes the damage it works around (a wrong xref, a missing EOF marker)
        for message in dict.fromkeys(pdf.get_warnings()):
            found.add("warn", "file.repaired", f"damaged file structure, worked around on reading: {message}")
    if qr:
        readable = [number for number in range(1, len(pages) + 1) if number not in content.unreadable]
        if qr_once_per_form:
            scan, seen = [], set()
            for number in readable:
                for key, box in content.forms[number].items():
                    if key not in seen:
                        seen.add(key)
                        scan.append((number, box))
        else:
            scan = [(number, None) for number in readable]
        report.qr_codes = _check_qr(data, path, found, min_module_mm, dpi, scan)
    report.findings = found.findings()
    return report


def page_list(pages: Iterable[int]) -> str:
    """``page 3``, ``pages 1–42``, ``pages 1–3, 5, 7–9``: runs of pages, compactly."""
    pages = sorted(set(pages))
    if not pages:
        return ""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)
    return f"page{'s' * (len(pages) > 1)} {text}"


# --- collecting findings --------------------------------------------------------------

_ORDER = ("file", "boxes", "fonts", "colour", "images", "qr", "text", "content")


class _Findings:
    """Findings keyed by (level, code, message), with the pages each was seen on: the
    same problem on 42 pages is one line naming ``pages 1–42``."""

    def __init__(self) -> None:
        self._pages: dict[tuple[str, str, str], set[int]] = {}

    def add(self, level: str, code: str, message: str, page: int | None = None) -> None:
        pages = self._pages.setdefault((level, code, message), set())
        if page is not None:
            pages.add(page)

    def findings(self) -> list[Finding]:
        items = [Finding(level, code, message, tuple(sorted(pages)))
                 for (level, code, message), pages in self._pages.items()]
        return sorted(items, key=lambda f: _ORDER.index(f.code.split(".")[0]))  # stable


# --- page boxes -----------------------------------------------------------------------

def _check_boxes(pages: list, found: _Findings, min_bleed_mm: float) -> list[tuple[float, float]]:
    trims: dict[tuple[float, float], None] = {}
    for number, page in enumerate(pages, 1):
        try:
            media = _rect(page.get("/MediaBox"))  # qpdf puts inherited attributes on the page
        except (TypeError, ValueError):
            found.add("fail", "boxes.missing", "no MediaBox (or not a rectangle)", number)
            continue
        try:
            crop = _intersect(_rect(page.get("/CropBox")), media)
        except (TypeError, ValueError):  # none: the MediaBox
            crop = media
        boxes = {}
        for name in ("/TrimBox", "/BleedBox"):
            try:
                boxes[name] = _rect(page[name]) if name in page else None
            except (TypeError, ValueError):
                boxes[name] = None
                found.add("fail", "boxes.missing", f"{name[1:]} is not a rectangle", number)
                continue
            if boxes[name] is None:
                found.add("fail", "boxes.missing", f"no {name[1:]}", number)
        trim = boxes["/TrimBox"]
        if trim is None:
            continue
        size = (round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1))
        trims[size] = None
        found.add("info", "boxes.trim", f"trim {_mm(size[0])} × {_mm(size[1])} mm", number)
        if all(abs(a - b) < 0.5 for a, b in zip(trim, media)):
            if _is_paper(size):
                found.add("info", "boxes.sheet", "trim = page: a sheet printed as is, no bleed", number)
            else:
                found.add("warn", "boxes.sheet", "trim = page: no bleed (fine for a sheet printed "
                          "as is, not for a print shop)", number)
            continue
        by_box = _sides(trim, boxes["/BleedBox"] or crop)
        by_page = _sides(trim, crop)
        sides = [min(a, b) for a, b in zip(by_box, by_page)]
        if min(sides) < min_bleed_mm - _EPS_MM:
            limit = "BleedBox" if min(by_box) <= min(by_page) else ("MediaBox" if crop == media else "CropBox")
            found.add("fail", "boxes.bleed",
                      f"bleed {_describe_sides(sides)}, under {_mm(min_bleed_mm)} mm (set by the {limit})", number)
    return list(trims)


def _rect(box) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _intersect(a, b):
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _sides(trim, outer) -> list[float]:
    """Bleed in mm: left, right, top, bottom."""
    return [(trim[0] - outer[0]) / MM, (outer[2] - trim[2]) / MM,
            (outer[3] - trim[3]) / MM, (trim[1] - outer[1]) / MM]


def _describe_sides(sides: list[float]) -> str:
    rounded = [_mm(round(s, 2)) for s in sides]
    if len(set(rounded)) == 1:
        return f"{rounded[0]} mm on every side"
    return ", ".join(f"{name} {value} mm" for name, value in zip(("left", "right", "top", "bottom"), rounded))


def _is_paper(size: tuple[float, float]) -> bool:
    w, h = sorted(size)
    return any(abs(w - pw) < 1 and abs(h - ph) < 1 for pw, ph in (sorted(p) for p in PAPERS.values()))


def _mm(value: float) -> str:
    """70, 3.2, 0.42: no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


# --- content streams: a tokenizer ---------------------------------------------------

_WS = rb"[ \t\r\n\f\x00]"
_DELIMITER = rb" \t\r\n\f\x00()<>\[\]{}/%"
_NUM = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
_END = rb"(?![^" + _DELIMITER + rb"])"  # the token ends here
_STR = rb"\((?:[^()\\]|\\.)*+\)"
_HEX = rb"<[0-9A-Fa-f \t\r\n\f]*+>"
# an array of strings and numbers (the TJ of every line of text): no check reads it
_FLAT = rb"\[(?:" + _WS + rb"|" + _NUM + rb"|" + _STR + rb"|" + _HEX + rb")*+\]"
# A run of path operators with numeric operands, the bulk of real content, which no
# check needs (a QR code is hundreds of ``re``): skipped in one match.
_PATH_RUN = rb"(?:(?:" + _NUM + _WS + rb"++)*+(?:re|[mlcvyhfFSsnBbW]\*?)" + _END + _WS + rb"*+)"
_PATH = re.compile(_PATH_RUN + rb"++")
# One operation with plain operands (after any path run), or the end of the data. All
# quantifiers are possessive (``*+``), so that no input makes it slow.
_OPERATION = re.compile(
    _WS + rb"*+" + _PATH_RUN + rb"*+"
    rb"(?P<args>(?:" + _WS + rb"*+(?:" + _NUM + _END + rb"|/[^" + _DELIMITER + rb"]*+|" + _STR
    + rb"|" + _HEX + rb"|" + _FLAT + rb"))*+)" + _WS + rb"*+"
    rb"(?:(?P<op>(?!(?:true|false|null)" + _END + rb")[^" + _DELIMITER + rb"+\-.0-9][^" + _DELIMITER
    + rb"]*+)|\Z)")
# _OPERATION's operands, one by one: (number, name, flat array, string)
_OPERAND = re.compile(_WS + rb"*+(?:(" + _NUM + rb")|/([^" + _DELIMITER + rb"]*+)|(" + _FLAT + rb")|("
                      + _STR + rb"|" + _HEX + rb"))")
_TOKEN = re.compile(
    rb"(?P<ws>[ \t\r\n\f\x00]+|%[^\r\n]*)"
    rb"|(?P<word>[^" + _DELIMITER + rb"]+)"
    rb"|(?P<flat>" + _FLAT + rb")"
    rb"|(?P<name>/[^" + _DELIMITER + rb"]*)"
    rb"|(?P<str>" + _STR + rb")"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<hex><[^<>]*>)"
    rb"|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<paren>\()"
    rb"|(?P<bad>.)",
    re.S,
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NUMBER_START = frozenset(b"+-.0123456789")
_EI = re.compile(rb"[ \t\r\n\f\x00]EI(?=[ \t\r\n\f\x00]|$)")
_STRING = "(string)"  # strings' content is never needed here
# Operators the checks use; the others are parsed and dropped.
_KEEP = frozenset(b"q Q cm BT Tm Tf Tr Tj TJ ' \" Do g G rg RG cs CS sc scn SC SCN sh".split())
# ... and those whose operands they read; the others are given none.
_READ = frozenset(b"cm Tm Tf Tr Do cs CS sc scn SC SCN sh".split())
_SHOW = frozenset((b"Tj", b"TJ", b"'", b'"'))


def parse_content(data: bytes) -> list[tuple[bytes, list]]:
    """The operations of a content stream that the checks need, as (operator, operands);
    the operands only for the operators whose operands a check reads (:data:`_READ`).

    Numbers become floats, names ``"/Name"`` strings, strings a placeholder, arrays
    lists, dictionaries dicts. Inline images become one ``BI`` operation whose operand
    is the image dictionary; their data is skipped.

    An operation whose operands are all plain (numbers, names, strings, flat arrays) is
    read in one match of :data:`_OPERATION`: nearly all real content. Anything else (dictionaries, nested
    arrays or parentheses, comments, malformed tokens) is read token by token, one
    operation at a time, by :func:`_parse_operation`.
    """
    ops: list[tuple[bytes, list]] = []
    match = _OPERATION.match
    pos, end = 0, len(data)
    while pos < end:
        m = match(data, pos)
        if m is None:
            pos = _parse_operation(data, pos, ops)
            continue
        pos = m.end()
        op = m.group("op")
        if op is None:  # the end, after a path or operands with no operator
            break
        if op in _KEEP:
            ops.append((op, _operands(m.group("args")) if op in _READ else []))
        elif op == b"ID":
            operands = _operands(m.group("args"))
            image = dict(zip(operands[::2], operands[1::2]))
            pos = _skip_inline_data(data, pos, image)
            ops.append((b"BI", [image]))
    return ops


def _operands(data: bytes) -> list:
    """The operands matched by :data:`_OPERATION`'s ``args``."""
    try:  # numbers only (cm, Tm): the common case, and a quick one
        return [float(number) for number in data.split()]
    except ValueError:
        pass
    operands: list = []
    for number, name, flat, string in _OPERAND.findall(data):
        if number:
            operands.append(float(number))
        elif flat:
            operands.append([_STRING])
        elif string:
            operands.append(_STRING)
        else:
            operands.append(_name(name))
    return operands


def _name(raw: bytes) -> str:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda e: bytes([int(e.group(1), 16)]), raw)
    return "/" + raw.decode("latin-1")


def _parse_operation(data: bytes, pos: int, ops: list[tuple[bytes, list]]) -> int:
    """Read tokens from ``pos`` to the end of the next operation (or of the data);
    returns where it ends."""
    operands: list = []
    outer: list[list] = []
    kinds: list[str] = []
    match, path = _TOKEN.match, _PATH.match
    end = len(data)
    while pos < end:
        if not operands and not outer:
            m = path(data, pos)
            if m:
                pos = m.end()
                continue
        m = match(data, pos)
        pos = m.end()
        kind = m.lastgroup
        if kind == "word":
            word = m.group()
            if word[0] in _NUMBER_START:
                try:
                    operands.append(float(word))
                except ValueError:
                    operands.append(0.0)
                continue
            if word in (b"true", b"false", b"null"):
                operands.append(word == b"true" if word != b"null" else None)
                continue
            while outer:  # an operator inside an array: malformed, recover
                operands = outer.pop()
                kinds.pop()
            if word == b"ID":
                image = dict(zip(operands[::2], operands[1::2]))
                pos = _skip_inline_data(data, pos, image)
                ops.append((b"BI", [image]))
            elif word in _KEEP:
                ops.append((word, operands if word in _READ else []))
            return pos
        elif kind == "ws":
            continue
        elif kind == "name":
            operands.append(_name(m.group()[1:]))
        elif kind in ("str", "hex"):
            operands.append(_STRING)
        elif kind == "flat":
            operands.append([_STRING])
        elif kind == "paren":  # a string with nested parentheses
            pos = _skip_string(data, m.start())
            operands.append(_STRING)
        elif kind in ("aopen", "dopen"):
            outer.append(operands)
            kinds.append(kind)
            operands = []
        elif kind in ("aclose", "dclose"):
            if not outer:
                continue
            value = operands if kinds.pop() == "aopen" else dict(zip(operands[::2], operands[1::2]))
            operands = outer.pop()
            operands.append(value)
    return pos


def _skip_string(data: bytes, start: int) -> int:
    depth, pos, end = 0, start, len(data)
    while pos < end:
        c = data[pos]
        if c == 0x5C:  # backslash
            pos += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    return end


_INLINE_COMPONENTS = {"/G": 1, "/DeviceGray": 1, "/RGB": 3, "/DeviceRGB": 3, "/CMYK": 4,
                      "/DeviceCMYK": 4, "/I": 1, "/Indexed": 1}


def _skip_inline_data(data: bytes, pos: int, image: dict) -> int:
    """Past an inline image's data and its ``EI``. Unfiltered data has a known length;
    filtered data ends at the first ``EI`` between white space."""
    start = pos + 1  # one white-space byte follows ID
    w, h = image.get("/W", image.get("/Width")), image.get("/H", image.get("/Height"))
    bpc = image.get("/BPC", image.get("/BitsPerComponent", 1))
    cs = image.get("/CS", image.get("/ColorSpace"))
    comps = 1 if image.get("/IM", image.get("/ImageMask")) else _INLINE_COMPONENTS.get(cs if isinstance(cs, str) else "")
    if not image.get("/F", image.get("/Filter")) and comps and isinstance(w, float) and isinstance(h, float):
        after = start + int(h) * ((int(w) * comps * int(bpc or 1) + 7) // 8)
        m = re.compile(rb"[ \t\r\n\f\x00]*EI").match(data, after)
        if m:
            return m.end()
    m = _EI.search(data, start)
    return m.end() if m else len(data)


# --- content streams: the checks ----------------------------------------------------

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: tuple, n: tuple) -> tuple:
    """m × n for PDF matrices [a b c d e f] (row vectors: apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _matrix(value) -> tuple | None:
    try:
        m = tuple(map(float, value))
    except (TypeError, ValueError):
        return None
    return m if len(m) == 6 else None


@dataclass(frozen=True)
class _Space:
    """A colour space as the checks see it: ``kind`` is cmyk, gray, rgb, lab, spot,
    pattern or unknown; ``label`` says which, for the message."""

    kind: str
    label: str
    base: "_Space | None" = None  # the colours of an uncoloured pattern


_DEVICE = {
    "/DeviceCMYK": _Space("cmyk", "DeviceCMYK"), "/CMYK": _Space("cmyk", "DeviceCMYK"),
    "/DeviceGray": _Space("gray", "DeviceGray"), "/G": _Space("gray", "DeviceGray"),
    "/DeviceRGB": _Space("rgb", "DeviceRGB"), "/RGB": _Space("rgb", "DeviceRGB"),
    "/Pattern": _Space("pattern", "Pattern"),
}


@dataclass
class _State:
    ctm: tuple = _IDENTITY
    fill: _Space | None = None
    stroke: _Space | None = None
    font_scale: float = 1.0  # 1 for ordinary fonts; a Type3 font's FontMatrix scale
    size: float = 0.0
    render: float = 0.0

    def copy(self) -> "_State":
        return _State(self.ctm, self.fill, self.stroke, self.font_scale, self.size, self.render)


class _Content:
    """Walks every page's content (forms, tiling patterns, printable annotations) once,
    for fonts, colour, image resolution and text size."""

    def __init__(self, found: _Findings, min_ppi: float, min_text_pt: float):
        self.found = found
        self.min_ppi = min_ppi
        self.min_text = min_text_pt
        self._ops: dict[Any, list] = {}  # parsed streams, by object
        self._fonts: dict[Any, tuple[str | None, float]] = {}  # font → (problem, scale)
        self.smallest: tuple[float, int] | None = None
        self.small_pages: set[int] = set()
        # page → {form: where its first placement on the page lands, in page points}
        self.forms: defaultdict[int, dict] = defaultdict(dict)
        self.unreadable: set[int] = set()  # pages not rendered for the QR scan either

    # pages

    def check_page(self, page, number: int) -> None:
        try:
            resources = _get(page, "/Resources") or {}
            ops = self._parse_page(page)
            self._run(ops, resources, _State(), number, 0)
            for annotation in _get(page, "/Annots") or []:
                self._annotation(annotation, number)
        except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError,
                RuntimeError) as exc:  # RuntimeError: also RecursionError, NotImplementedError
            self.found.add("fail", "content.unreadable", f"the page content cannot be read ({_reason(exc)})", number)
            self.unreadable.add(number)

    def _parse_page(self, page) -> list:
        contents = page.get("/Contents")
        if contents is None:
            return []
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        return parse_content(b"\n".join(_data(s) for s in streams))

    def _stream_ops(self, stream) -> list:
        key = _key(stream)
        ops = self._ops.get(key)
        if ops is None:
            ops = parse_content(_data(stream))
            if key is not None:
                self._ops[key] = ops
        return ops

    def _annotation(self, annotation, number: int) -> None:
        flags = int(annotation.get("/F", 0) or 0)
        if not flags & 4 or flags & 2:  # not printed, or hidden
            return
        appearance = _get(annotation, "/AP")
        normal = _get(appearance, "/N") if appearance else None
        if normal is not None and not isinstance(normal, pikepdf.Stream):  # one stream per state
            normal = _get(normal, str(annotation.get("/AS", "")))
        if not isinstance(normal, pikepdf.Stream):
            return
        rect = _rect(annotation["/Rect"])
        bbox = _rect(normal.get("/BBox", rect))
        matrix = _matrix(normal.get("/Matrix", _IDENTITY)) or _IDENTITY
        corners = [_apply(matrix, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        sx = (rect[2] - rect[0]) / ((max(xs) - min(xs)) or 1)
        sy = (rect[3] - rect[1]) / ((max(ys) - min(ys)) or 1)
        fit = (sx, 0.0, 0.0, sy, rect[0] - min(xs) * sx, rect[1] - min(ys) * sy)
        self._form(normal, _State(ctm=fit), number, 1)

    # the interpreter

    def _run(self, ops: list, resources, state: _State, page: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("forms nested too deeply (a loop?)")
        stack: list[_State] = []
        tm = _IDENTITY
        fonts: dict[str, float] = {}  # name → scale, for this content's resources
        for op, args in ops:
            if op == b"cm":
                m = _matrix(args)
                if m:
                    state.ctm = _mul(m, state.ctm)
            elif op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"BT":
                tm = _IDENTITY
            elif op == b"Tm":
                tm = _matrix(args) or tm
            elif op in _SHOW:
                if state.render not in (3.0, 7.0):  # invisible text (OCR layers) does not print
                    trm = _mul(tm, state.ctm)
                    self._text(state.size * state.font_scale * math.hypot(trm[2], trm[3]), page)
            elif op == b"Tf":
                if len(args) == 2 and isinstance(args[1], float):
                    name = args[0]
                    if not isinstance(name, str):
                        state.font_scale = self._font(resources, name, page)
                    else:
                        if name not in fonts:
                            fonts[name] = self._font(resources, name, page)
                        state.font_scale = fonts[name]
                    state.size = abs(args[1])
            elif op == b"Tr":
                if args and isinstance(args[0], float):
                    state.render = args[0]
            elif op in (b"rg", b"RG"):
                what = "fill" if op == b"rg" else "stroke"
                self.found.add("fail", "colour.rgb", f"RGB {what} colour ({op.decode()})", page)
            elif op in (b"g", b"G"):
                self.found.add("warn", "colour.gray", "grey as DeviceGray (g/G): prints on the black "
                               "plate only — right for black and greys, never a rich black", page)
            elif op in (b"cs", b"CS"):
                space = self._space(resources, args[0]) if args else None
                if op == b"cs":
                    state.fill = space
                else:
                    state.stroke = space
            elif op in (b"sc", b"scn", b"SC", b"SCN"):
                space = state.fill if op in (b"sc", b"scn") else state.stroke
                if space is not None:
                    self._colour(space, op.decode(), args, resources, page, depth)
            elif op == b"Do":
                if args and isinstance(args[0], str):
                    self._xobject(resources, args[0], state, page, depth)
            elif op == b"BI":
                self._image(args[0], "inline image", state.ctm, resources, page, inline=True)
            elif op == b"sh":
                shading = _get(_get(resources, "/Shading"), args[0]) if args else None
                if shading is not None:
                    self._use(self._space(resources, shading.get("/ColorSpace")), f"shading {args[0]}", page)

    def _use(self, space: _Space | None, what: str, page: int) -> None:
        """Report a colour space that something is painted in, if it is not CMYK."""
        if space is None or space.kind in ("cmyk", "pattern"):
            return
        if space.kind == "rgb":
            self.found.add("fail", "colour.rgb", f"RGB colour: {what} in {space.label}", page)
        elif space.kind == "lab":
            self.found.add("fail", "colour.lab", f"non-CMYK colour: {what} in {space.label}", page)
        elif space.kind == "gray":
            self.found.add("warn", "colour.gray", f"grey as {space.label} ({what}): prints on the black plate only", page)
        elif space.kind == "spot":
            self.found.add("warn", "colour.spot", f"spot colour {space.label} ({what}): most card printers convert it", page)
        else:
            self.found.add("warn", "colour.unknown", f"colour space {space.label} ({what}) not understood", page)

    def _colour(self, space: _Space, op: str, args: list, resources, page: int, depth: int) -> None:
        if space.kind != "pattern":
            self._use(space, op, page)
            return
        if not args or not isinstance(args[-1], str):
            return
        pattern = _get(_get(resources, "/Pattern"), args[-1])
        if pattern is None:
            return
        if pattern.get("/PatternType") == 2:
            shading = pattern.get("/Shading")
            self._use(self._space(resources, shading.get("/ColorSpace")), f"shading pattern {args[-1]}", page)
        elif pattern.get("/PaintType") == 2:  # uncoloured: the colour comes with scn
            self._use(space.base, f"pattern {args[-1]}", page)
        elif isinstance(pattern, pikepdf.Stream):
            matrix = _matrix(pattern.get("/Matrix", _IDENTITY)) or _IDENTITY
            self._run(self._stream_ops(pattern), _get(pattern, "/Resources") or resources,
                      _State(ctm=matrix), page, depth + 1)

    def _space(self, resources, value) -> _Space | None:
        """The colour space named or given by ``value``, in ``resources``."""
        if value is None:
            return None
        if isinstance(value, pikepdf.Name):
            value = str(value)
        if isinstance(value, str):
            if value in _DEVICE:
                return _DEVICE[value]
            named = _get(_get(resources, "/ColorSpace"), value)
            if named is None:
                return _Space("unknown", f"{value} (missing)")
            return self._space(resources, named)
        if not isinstance(value, (list, pikepdf.Array)) or not value:
            return _Space("unknown", str(value)[:40])
        family = str(value[0])
        if family in _DEVICE and len(value) == 1:
            return _DEVICE[family]
        if family == "/ICCBased":
            n = int(value[1].get("/N", 0))
            kind = {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "unknown")
            return _Space(kind, f"ICCBased {({1: 'grey', 3: 'RGB', 4: 'CMYK'}).get(n, f'N={n}')}")
        if family in ("/CalRGB", "/CalGray", "/CalCMYK"):
            kind = {"/CalRGB": "rgb", "/CalGray": "gray", "/CalCMYK": "cmyk"}[family]
            return _Space(kind, family[1:])
        if family == "/Lab":
            return _Space("lab", "Lab")
        if family in ("/Indexed", "/I"):
            base = self._space(resources, value[1])
            return _Space(base.kind, f"Indexed {base.label}") if base else None
        if family == "/Separation":
            name = str(value[1])
            return _Space("cmyk" if name in _PROCESS else "spot", f"Separation {name[1:]}")
        if family == "/DeviceN":
            names = [str(n) for n in value[1]]
            spots = [n[1:] for n in names if n not in _PROCESS]
            return _Space("spot" if spots else "cmyk", f"DeviceN {', '.join(spots or ['process'])}")
        if family == "/Pattern":
            base = self._space(resources, value[1]) if len(value) > 1 else None
            return _Space("pattern", "Pattern", base)
        return _Space("unknown", family[1:])

    def _font(self, resources, name, page: int) -> float:
        """Check the font selected by ``Tf``; returns its size scale (Type3 fonts)."""
        font = _get(_get(resources, "/Font"), name) if isinstance(name, str) else None
        if font is None:
            self.found.add("fail", "fonts.not-embedded", f"font {name} is used but missing from the file", page)
            return 1.0
        key = _key(font)
        facts = self._fonts.get(key) if key is not None else None
        if facts is None:
            facts = _font_facts(font)
            if key is not None:
                self._fonts[key] = facts
        problem, scale = facts
        if problem:
            self.found.add("fail", "fonts.not-embedded", problem, page)
        return scale

    def _xobject(self, resources, name: str, state: _State, page: int, depth: int) -> None:
        xobject = _get(_get(resources, "/XObject"), name)
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(xobject, f"image {name}", state.ctm, resources, page)
        elif subtype == "/Form":
            self._form(xobject, state, page, depth + 1, resources)

    def _form(self, form, state: _State, page: int, depth: int, parent=None) -> None:
        """A form (or an annotation's appearance) drawn in ``state``; without resources of
        its own it uses those of the content that draws it."""
        inner = state.copy()
        matrix = _matrix(form.get("/Matrix", _IDENTITY)) or _IDENTITY
        inner.ctm = _mul(matrix, state.ctm)
        if depth <= 1:  # placed by the page itself (a form is a stream: always indirect, keyed)
            self.forms[page].setdefault(_key(form), _placed_box(form, inner.ctm))
        resources = _get(form, "/Resources")
        self._run(self._stream_ops(form), resources if resources is not None else parent or {},
                  inner, page, depth)

    def _image(self, image, name: str, ctm: tuple, resources, page: int, inline: bool = False) -> None:
        def get(long: str, short: str):
            value = image.get(long)
            if value is None and inline:
                value = image.get(short)
            return value

        if not get("/ImageMask", "/IM"):
            space = get("/ColorSpace", "/CS")
            if space is not None:
                self._use(self._space(resources, space), name, page)
            # no colour space: a JPX image carries its own; nothing to read here
        width, height = get("/Width", "/W"), get("/Height", "/H")
        if not width or not height:
            return
        drawn_w = math.hypot(ctm[0], ctm[1]) / 72  # inches
        drawn_h = math.hypot(ctm[2], ctm[3]) / 72
        if drawn_w <= 0 or drawn_h <= 0:
            return
        ppi = min(float(width) / drawn_w, float(height) / drawn_h)
        if ppi < self.min_ppi - 0.5:
            self.found.add("fail", "images.resolution",
                           f"{name} ({int(width)} × {int(height)} px) at {ppi:.0f} ppi, under {self.min_ppi:g}", page)

    # text size

    def _text(self, size: float, page: int) -> None:
        size = round(size, 2)
        if size <= 0:
            return
        if self.smallest is None or size < self.smallest[0]:
            self.smallest = (size, page)
        if size < self.min_text - 0.005:
            self.small_pages.add(page)

    def report_text(self) -> float | None:
        """Record the text findings; returns the smallest size."""
        if self.smallest is None:
            return None
        size, page = self.smallest
        if self.small_pages:
            message = f"text under {self.min_text:g} pt (the smallest, {size:g} pt, on page {page})"
            for small in sorted(self.small_pages):
                self.found.add("warn", "text.size", message, small)
        else:
            self.found.add("info", "text.size", f"smallest text {size:g} pt", page)
        return size


def _font_facts(font) -> tuple[str | None, float]:
    """(the problem with this font or None, its size scale)."""
    subtype = font.get("/Subtype")
    base = str(font.get("/BaseFont", font.get("/Name", "?")))[1:] or "?"
    if subtype == "/Type3":  # glyphs drawn by content streams in the file: embedded
        matrix = _matrix(font.get("/FontMatrix", (0.001, 0, 0, 0.001, 0, 0))) or (0.001, 0, 0, 0.001, 0, 0)
        return None, math.hypot(matrix[2], matrix[3]) / 0.001
    described = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        described = descendants[0] if descendants else {}
    descriptor = _get(described, "/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return f"font {base} is not embedded", 1.0
    return None, 1.0


def _placed_box(form, ctm: tuple) -> tuple[float, float, float, float] | None:
    """The form's BBox as it lands on the page (x0, y0, x1, y1), or None if unreadable."""
    try:
        x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
    except (KeyError, TypeError, ValueError):
        return None
    corners = [_apply(ctm, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _get(container, key):
    """``container[key]``, or None: tolerant of missing and odd dictionaries. (qpdf
    resolves indirect objects as they are read.)"""
    if not isinstance(container, (pikepdf.Dictionary, pikepdf.Stream, dict)):
        return None
    return container.get(key)


def _key(obj):
    """A stream's or dictionary's identity in the file, for caches; None for a direct
    object, which has none."""
    try:
        return obj.objgen if obj.is_indirect else None
    except AttributeError:
        return None


# The largest content stream read: a few KB in a card, a few MB in a busy map. A
# stream that inflates beyond this (a decompression bomb) is not read.
MAX_STREAM_BYTES = 64 * 2**20


def _data(stream) -> bytes:
    """A content stream's decoded data. Flate (nearly every stream) is inflated here,
    at most :data:`MAX_STREAM_BYTES`; qpdf decodes the rest."""
    if stream.get("/Filter") == "/FlateDecode" and stream.get("/DecodeParms") is None:
        inflate = zlib.decompressobj()
        try:
            data = inflate.decompress(stream.read_raw_bytes(), MAX_STREAM_BYTES)
        except zlib.error as exc:
            raise ValueError(f"bad Flate data: {exc}") from None
        if inflate.unconsumed_tail:
            raise ValueError(f"a content stream inflates to over {MAX_STREAM_BYTES >> 20} MB")
        return data
    data = stream.read_bytes()
    if len(data) > MAX_STREAM_BYTES:
        raise ValueError(f"a content stream over {MAX_STREAM_BYTES >> 20} MB")
    return data


# --- QR codes -------------------------------------------------------------------------

def _qr_formats():
    """QR codes proper (models 1 and 2). In zxing-cpp 3, ``QRCode`` also means Micro QR
    and rMQR, whose tiny finder patterns turn up in a damaged code as false symbols."""
    fmt = zxingcpp.BarcodeFormat
    if hasattr(fmt, "QRCodeModel2"):
        return [fmt.QRCodeModel1, fmt.QRCodeModel2]
    return fmt.QRCode


def _check_qr(data: bytes, path: Path, found: _Findings, min_module_mm: float, dpi: float,
              scan: Iterable[tuple[int, tuple | None]]) -> list[QRCode]:
    """Render what ``scan`` names — (page number, a region in page points, or None for
    the whole page) — and read every QR code there."""
    codes: list[QRCode] = []
    formats = _qr_formats()
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PreflightError(f"{display_path(path)}: cannot be rendered ({exc})") from None
    try:
        # scan lists a page's regions together: the page is loaded once for all of them
        # (a print-and-play sheet has four cards' codes)
        for number, regions in itertools.groupby(scan, key=lambda item: item[0]):
            page = document[number - 1]
            try:
                for _, region in regions:
                    codes += _read_region(page, number, region, found, formats, min_module_mm, dpi)
            finally:
                page.close()
    finally:
        document.close()
    return codes


def _read_region(page, number: int, region: tuple | None, found: _Findings, formats, min_module_mm: float,
                 dpi: float) -> list[QRCode]:
    w, h = page.get_size()
    crop = _crop(region, w, h)  # points cut off the left, bottom, right, top
    area = (w - crop[0] - crop[2]) * (h - crop[1] - crop[3])
    page_dpi = min(dpi, math.sqrt(MAX_RENDER_PIXELS / max(area / 72 / 72, 1e-6)))
    try:
        # No anti-aliasing: module edges fall on pixels, which is quicker to render and
        # to binarise, and changes a module's measure by < 1 %.
        bitmap = page.render(scale=page_dpi / 72, crop=crop, grayscale=True, no_smoothpath=True,
                             no_smoothtext=True, no_smoothimage=True)
    except pdfium.PdfiumError as exc:
        found.add("fail", "content.unreadable", f"the page cannot be rendered ({exc})", number)
        return []
    try:  # the array is a view of the bitmap's memory: keep the bitmap open meanwhile
        image = bitmap.to_numpy()
        if image.ndim == 3:
            image = image[..., 0]
        # try_downscale is for blurred camera pictures; a rendered page is sharp, and
        # skipping it saves a third of the time.
        barcodes = zxingcpp.read_barcodes(image, formats=formats, return_errors=True, try_downscale=False)
        return [_qr_code(b, image, number, page_dpi, found, min_module_mm, (crop[0], crop[3]))
                for b in barcodes if b.valid or _located(b)]
    finally:
        bitmap.close()


def _crop(region: tuple | None, width: float, height: float) -> tuple[float, float, float, float]:
    """pypdfium2's crop (left, bottom, right, top cut off) for a region, 2 mm around it."""
    if region is None:
        return (0.0, 0.0, 0.0, 0.0)
    margin = 2 * MM
    x0, y0, x1, y1 = region
    left, bottom = max(0.0, x0 - margin), max(0.0, y0 - margin)
    right, top = max(0.0, width - x1 - margin), max(0.0, height - y1 - margin)
    if left + right >= width or bottom + top >= height:  # off the page: the whole page
        return (0.0, 0.0, 0.0, 0.0)
    return (left, bottom, right, top)


def _located(barcode) -> bool:
    """Whether zxing-cpp says where the symbol is (an area, not four corners at 0, 0)."""
    p = barcode.position
    xs = {c.x for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)}
    ys = {c.y for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)}
    return len(xs) > 1 and len(ys) > 1


def _qr_code(barcode, image: np.ndarray, page: int, dpi: float, found: _Findings,
             min_module_mm: float, offset: tuple[float, float] = (0.0, 0.0)) -> QRCode:
    p = barcode.position
    corners = [(c.x, c.y) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)]
    side = sum(math.dist(corners[i], corners[(i + 1) % 4]) for i in range(4)) / 4
    version = _version(barcode)
    modules = 17 + 4 * version if version is not None else _modules_from_timing(image, corners)
    module_px = side / modules if modules else None
    module_mm = round(module_px * 25.4 / dpi, 3) if module_px else None
    x_mm = min(c[0] for c in corners) * 25.4 / dpi + offset[0] / MM  # offset: a crop's left, top
    y_mm = min(c[1] for c in corners) * 25.4 / dpi + offset[1] / MM
    where = f"at {x_mm:.0f}, {y_mm:.0f} mm from the top left"
    if not barcode.valid:
        reason = str(barcode.error).split(" @")[0] or "error"
        found.add("fail", "qr.undecodable", f"a QR code {where} does not decode ({reason})", page)
    elif module_mm is not None and module_mm < min_module_mm - 0.005:
        found.add("warn", "qr.module", f"QR code {where}: modules {_mm(module_mm)} mm, under "
                  f"{_mm(min_module_mm)} mm", page)
    return QRCode(page, barcode.text if barcode.valid else "", bool(barcode.valid), version, module_mm,
                  round(x_mm, 1), round(y_mm, 1))


def _version(barcode) -> int | None:
    """The symbol version (side = 17 + 4 × version modules), from zxing-cpp's ``extra``
    (3.x); None when this zxing-cpp does not say."""
    extra = getattr(barcode, "extra", None)
    try:
        return int(extra["Version"]) if extra else None
    except (KeyError, TypeError, ValueError):
        return None


def _modules_from_timing(image: np.ndarray, corners: list) -> int | None:
    """The side of the symbol in modules, read from the image, for a zxing-cpp that
    does not give the version.

    Row 6 of every QR code is its timing pattern: the 7 dark modules of a finder, one
    light, then dark and light modules in turn up to the other finder. For each possible
    side n (17 + 4 × version), sample the row 6.5 modules down; the right n is the one
    where that row reads exactly so (n − 12 runs, all one module long between the finders).
    """
    tl, tr, br, bl = (np.asarray(c, float) for c in corners)
    length = float(np.linalg.norm(tr - tl))
    samples = max(int(length * 2), 1)
    for n in range(21, 178, 4):
        if length / n < 1.5:  # modules under 1.5 px cannot be told apart
            return None
        depth = 6.5 / n
        start, end = tl + (bl - tl) * depth, tr + (br - tr) * depth
        # a quarter module in from each end: the corners are whole pixels
        along = np.linspace(0.25 / n, 1 - 0.25 / n, samples)
        points = start + (end - start) * along[:, None]
        xs = np.clip(np.rint(points[:, 0]).astype(int), 0, image.shape[1] - 1)
        ys = np.clip(np.rint(points[:, 1]).astype(int), 0, image.shape[0] - 1)
        dark = image[ys, xs] < 128
        bounds = np.concatenate([[0], np.flatnonzero(dark[1:] != dark[:-1]) + 1, [samples]])
        runs = np.diff(bounds) * (n - 0.5) / samples  # in modules
        if (len(runs) == n - 12 and dark[0] and abs(runs[0] - 7) < 1 and abs(runs[-1] - 7) < 1
                and np.all(np.abs(runs[1:-1] - 1) < 0.5)):
            return n
    return None


# --- files ----------------------------------------------------------------------------

def _read(path: Path) -> bytes:
    name = display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PreflightError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise PreflightError(f"{name}: is a folder, not a PDF file") from None
    except OSError as exc:
        raise PreflightError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if b"%PDF-" not in data[:1024]:
        raise PreflightError(f"{name}: not a PDF file (no %PDF- header)")
    return data


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
