"""Page boxes: a TrimBox and a BleedBox on every page, enough bleed, the trim size.

Bleed is limited by the BleedBox and by the page itself (its CropBox, else its
MediaBox): a BleedBox past the page's edge makes no bleed. A page whose TrimBox is its
MediaBox is a finished sheet (deckprint's print-and-play sheets are made so on
purpose): no bleed is expected, so it gets an ``info`` finding, not a failure. When the
page is not a paper size (A4, Letter, A3…) it is more likely a card that lost its
bleed, and it warns.
"""

from __future__ import annotations

from ..sizes import MM, PAPERS
from .objects import rect
from .report import Findings, mm_text

_EPS_MM = 0.01  # measured lengths are compared to their limits to within this
_SIDES = ("left", "right", "top", "bottom")


def check_boxes(pages: list, found: Findings, min_bleed_mm: float) -> list[tuple[float, float]]:
    """Check every page's boxes; returns the trim sizes found, in mm, in page order."""
    trims: dict[tuple[float, float], None] = {}
    for number, page in enumerate(pages, 1):
        try:
            media = rect(page.get("/MediaBox"))  # qpdf puts inherited attributes on the page
        except (TypeError, ValueError):
            found.add("fail", "boxes.missing", "no MediaBox (or not a rectangle)", number)
            continue
        try:
            crop = _intersect(rect(page.get("/CropBox")), media)
        except (TypeError, ValueError):  # none: the MediaBox
            crop = media
        trim, bleed = _box(page, "/TrimBox", found, number), _box(page, "/BleedBox", found, number)
        if trim is None:
            continue
        size = (round((trim[2] - trim[0]) / MM, 1), round((trim[3] - trim[1]) / MM, 1))
        trims[size] = None
        found.add("info", "boxes.trim", f"trim {mm_text(size[0])} × {mm_text(size[1])} mm", number)
        if all(abs(a - b) < 0.5 for a, b in zip(trim, media)):
            _sheet(size, found, number)
        else:
            _bleed(trim, bleed, crop, crop == media, found, number, min_bleed_mm)
    return list(trims)


def _box(page, name: str, found: Findings, number: int):
    """The page's box ``name``, or None (and a failure) when it is missing or not a
    rectangle."""
    if name not in page:
        found.add("fail", "boxes.missing", f"no {name[1:]}", number)
        return None
    try:
        return rect(page[name])
    except (TypeError, ValueError):
        found.add("fail", "boxes.missing", f"{name[1:]} is not a rectangle", number)
        return None


def _sheet(size: tuple[float, float], found: Findings, number: int) -> None:
    if _is_paper(size):
        found.add("info", "boxes.sheet", "trim = page: a sheet printed as is, no bleed", number)
    else:
        found.add("warn", "boxes.sheet", "trim = page: no bleed (fine for a sheet printed "
                  "as is, not for a print shop)", number)


def _bleed(trim, bleed, crop, crop_is_media: bool, found: Findings, number: int, min_bleed_mm: float) -> None:
    by_box = _sides(trim, bleed or crop)
    by_page = _sides(trim, crop)
    sides = [min(a, b) for a, b in zip(by_box, by_page)]
    if min(sides) < min_bleed_mm - _EPS_MM:
        limit = "BleedBox" if min(by_box) <= min(by_page) else ("MediaBox" if crop_is_media else "CropBox")
        found.add("fail", "boxes.bleed",
                  f"bleed {_describe_sides(sides)}, under {mm_text(min_bleed_mm)} mm (set by the {limit})", number)


def _intersect(a, b):
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _sides(trim, outer) -> list[float]:
    """Bleed in mm: left, right, top, bottom."""
    return [(trim[0] - outer[0]) / MM, (outer[2] - trim[2]) / MM,
            (outer[3] - trim[3]) / MM, (trim[1] - outer[1]) / MM]


def _describe_sides(sides: list[float]) -> str:
    rounded = [mm_text(round(s, 2)) for s in sides]
    if len(set(rounded)) == 1:
        return f"{rounded[0]} mm on every side"
    return ", ".join(f"{name} {value} mm" for name, value in zip(_SIDES, rounded))


def _is_paper(size: tuple[float, float]) -> bool:
    w, h = sorted(size)
    return any(abs(w - pw) < 1 and abs(h - ph) < 1 for pw, ph in (sorted(p) for p in PAPERS.values()))
