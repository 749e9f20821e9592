"""Fonts: every font that text is set in is embedded.

A font counts when a text operator selects it (``Tf``) in content that prints: the
page, its forms, tiling patterns and printable annotations (the content interpreter,
:mod:`.content`, calls :meth:`FontCheck.select`). A font only listed in a resource
dictionary never reaches the press. A Type3 font's glyphs are content streams in the
file: embedded by nature; its FontMatrix scales the text size.
"""

from __future__ import annotations

import math

from .objects import get, key, matrix
from .report import Findings

_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_TYPE3_MATRIX = (0.001, 0, 0, 0.001, 0, 0)  # the usual one: text size as given


class FontCheck:
    """Checks each font once per file (by its object), reporting it on every page that
    selects it."""

    def __init__(self, found: Findings):
        self.found = found
        self._facts: dict = {}  # font object → (problem, scale)

    def select(self, resources, name, page: int) -> float:
        """The font named by ``Tf`` in ``resources``, on ``page``: report it if it is
        missing or not embedded; returns its size scale (Type3 fonts)."""
        font = get(get(resources, "/Font"), name) if isinstance(name, str) else None
        if font is None:
            self.found.add("fail", "fonts.not-embedded", f"font {name} is used but missing from the file", page)
            return 1.0
        font_key = key(font)
        facts = self._facts.get(font_key) if font_key is not None else None
        if facts is None:
            facts = font_facts(font)
            if font_key is not None:
                self._facts[font_key] = facts
        problem, scale = facts
        if problem:
            self.found.add("fail", "fonts.not-embedded", problem, page)
        return scale


def font_facts(font) -> tuple[str | None, float]:
    """(the problem with this font or None, its size scale)."""
    subtype = font.get("/Subtype")
    base = str(font.get("/BaseFont", font.get("/Name", "?")))[1:] or "?"
    if subtype == "/Type3":  # glyphs drawn by content streams in the file: embedded
        m = matrix(font.get("/FontMatrix", _TYPE3_MATRIX)) or _TYPE3_MATRIX
        return None, math.hypot(m[2], m[3]) / 0.001
    described = font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        described = descendants[0] if descendants else {}
    descriptor = get(described, "/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in _FONT_FILES):
        return f"font {base} is not embedded", 1.0
    return None, 1.0
