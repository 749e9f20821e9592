"""Colour: CMYK only. RGB, Lab and the like fail; greys and spot colours warn.

* **Grey.** ``g``/``G`` (and DeviceGray images) print on the black plate only. That is
  right for black text and greys, so it warns instead of failing: a shop that wants
  "CMYK only" converts it without surprise, but it is never a rich black.
* **Spot colours** (Separation/DeviceN other than the process colours) warn: they may be
  deliberate, but most card printers convert them.

This module says what a colour space is (:func:`colour_space`) and reports what is
painted in it (:func:`report_use`); the content interpreter (:mod:`.content`) says
where colour is set and painted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from .objects import get
from .report import Findings

_PROCESS = {"/Cyan", "/Magenta", "/Yellow", "/Black", "/All", "/None"}


@dataclass(frozen=True)
class Space:
    """A colour space as the checks see it: ``kind`` is cmyk, gray, rgb, lab, spot,
    pattern or unknown; ``label`` says which, for the message."""

    kind: str
    label: str
    base: Space | None = None  # the colours of an uncoloured pattern


DEVICE = {
    "/DeviceCMYK": Space("cmyk", "DeviceCMYK"), "/CMYK": Space("cmyk", "DeviceCMYK"),
    "/DeviceGray": Space("gray", "DeviceGray"), "/G": Space("gray", "DeviceGray"),
    "/DeviceRGB": Space("rgb", "DeviceRGB"), "/RGB": Space("rgb", "DeviceRGB"),
    "/Pattern": Space("pattern", "Pattern"),
}
_ICC = {1: ("gray", "grey"), 3: ("rgb", "RGB"), 4: ("cmyk", "CMYK")}  # by /N
_CALIBRATED = {"/CalRGB": "rgb", "/CalGray": "gray", "/CalCMYK": "cmyk"}

# What painting in a space of each kind reports (nothing for CMYK and patterns, whose
# colours are checked where the pattern is drawn).
_REPORT = {
    "rgb": ("fail", "colour.rgb", "RGB colour: {what} in {label}"),
    "lab": ("fail", "colour.lab", "non-CMYK colour: {what} in {label}"),
    "gray": ("warn", "colour.gray", "grey as {label} ({what}): prints on the black plate only"),
    "spot": ("warn", "colour.spot", "spot colour {label} ({what}): most card printers convert it"),
    "unknown": ("warn", "colour.unknown", "colour space {label} ({what}) not understood"),
}


def report_use(found: Findings, space: Space | None, what: str, page: int) -> None:
    """Report a colour space that something (``what``) is painted in, if it is not CMYK."""
    if space is None or space.kind not in _REPORT:
        return
    level, code, message = _REPORT[space.kind]
    found.add(level, code, message.format(what=what, label=space.label), page)


def colour_space(resources, value) -> Space | None:
    """The colour space named or given by ``value``, in ``resources``."""
    if value is None:
        return None
    if isinstance(value, pikepdf.Name):
        value = str(value)
    if isinstance(value, str):
        if value in DEVICE:
            return DEVICE[value]
        named = get(get(resources, "/ColorSpace"), value)
        if named is None:
            return Space("unknown", f"{value} (missing)")
        return colour_space(resources, named)
    if not isinstance(value, (list, pikepdf.Array)) or not value:
        return Space("unknown", str(value)[:40])
    return _family(resources, str(value[0]), value)


def _family(resources, family: str, value) -> Space | None:
    """A colour space given as an array ``[/Family …]``."""
    if family in DEVICE and len(value) == 1:
        return DEVICE[family]
    if family == "/ICCBased":
        n = int(value[1].get("/N", 0))
        kind, label = _ICC.get(n, ("unknown", f"N={n}"))
        return Space(kind, f"ICCBased {label}")
    if family in _CALIBRATED:
        return Space(_CALIBRATED[family], family[1:])
    if family == "/Lab":
        return Space("lab", "Lab")
    if family in ("/Indexed", "/I"):
        base = colour_space(resources, value[1])
        return Space(base.kind, f"Indexed {base.label}") if base else None
    if family == "/Separation":
        name = str(value[1])
        return Space("cmyk" if name in _PROCESS else "spot", f"Separation {name[1:]}")
    if family == "/DeviceN":
        spots = [str(n)[1:] for n in value[1] if str(n) not in _PROCESS]
        return Space("spot" if spots else "cmyk", f"DeviceN {', '.join(spots or ['process'])}")
    if family == "/Pattern":
        base = colour_space(resources, value[1]) if len(value) > 1 else None
        return Space("pattern", "Pattern", base)
    return Space("unknown", family[1:])
