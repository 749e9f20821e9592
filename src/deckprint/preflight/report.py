"""What a preflight reports: findings, QR codes, a file's report, and the collector the
checks add their findings to.

The bottom layer of the package: it imports nothing from it, and every other module
may import it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError, display_path
from ..wording import page_list


class PreflightError(UserError):
    """The file cannot be checked at all: not a PDF, unreadable, encrypted."""


@dataclass(frozen=True)
class Finding:
    """One thing found in a file, on the pages listed (empty: the file as a whole).

    ``code`` names the check for machines and tests: ``boxes.missing``, ``boxes.bleed``,
    ``boxes.sheet``, ``boxes.trim``, ``fonts.not-embedded``, ``colour.rgb``,
    ``colour.lab``, ``colour.gray``, ``colour.spot``, ``colour.unknown``,
    ``images.resolution``, ``qr.undecodable``, ``qr.module``, ``text.size``,
    ``content.unreadable``, ``content.damaged``, ``file.repaired``.
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
            facts.append("trim " + ", ".join(f"{mm_text(w)} × {mm_text(h)} mm" for w, h in self.trim_mm))
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




# The order of the report: by the first part of a finding's code.
_ORDER = ("file", "boxes", "fonts", "colour", "images", "qr", "text", "content")


class Findings:
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


def mm_text(value: float) -> str:
    """70, 3.2, 0.42: no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def reason(exc: BaseException) -> str:
    """An exception as a report quotes it: its type, and its message if it has one."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
