"""Posters: their sizes on paper, and the persona poster — a card's face in the wall
format. No drawing. (The overview poster is ``overview.py``.)

Everything is laid out once, in *A3 units*: points of an A3 portrait trim (297 mm wide).
A2 and A1 are the same design scaled up as vector (``PosterFormat.scale`` = 1.41 and
2.0); only their height in A3 units differs by a hair (A1 is 594 × 841 mm, not exactly
twice A3), so the layout takes the page height from the format. The bleed stays 3 mm on
paper at every size, so in A3 units it is ``bleed / scale``. Coordinates are the trim
box, origin bottom-left, y up, as for the cards.

Posters are read from two metres away, so sizes are in wall terms: names at 60 pt or
more (up to 104), the role at 24–40 pt, every other text of a persona poster at 18 pt
or more — the testimony up to 48 pt when it is short, the conditions and the impact at
three quarters of it (18–28 pt) — and QR codes of 45 mm (more for a long URL: modules
never under 0.4 mm). A persona poster is the card's face (``face.py``): a band of the
category's colour (label, name, role, country), the testimony as a quote with a rule
of that colour, the conditions and the impact under their headings, and a footer with
the QR code to the card's source, its label, the deck title and the card number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..deck import Card, Deck
from ..qr import QRSize
from ..sizes import BLEED_MM, POSTER_SIZES, mm
from .common import Box
from .face import BodyFormat, Face, FaceFormat, Role, layout_face

DESIGN_SIZE = "a3"  # the layout's units: points on an A3 poster
MARGIN_MM = 20.0  # safe margin: generous on a wall, and clear of any trimming drift
STEP = 0.5  # pt: the size grid of the title searches
WALL_QR = QRSize(45.0)  # mm: scanned from arm's length off a wall; modules of 0.4 mm or more
NAME_LARGEST, WALL_NAME_FLOOR = 104.0, 60.0
ROLE_LARGEST, WALL_ROLE_FLOOR = 40.0, 24.0  # "title size"
COUNTRY_SIZE = 28.0
DESCENT = 0.22  # of the size: below the baseline of g, j, p, y in Noto Sans and its kin
TESTIMONY_LARGEST = 48.0
TESTIMONY_USUAL = 30.0  # where the search for the testimony size splits
WALL_BODY_FLOOR = 18.0  # pt: every text of a persona poster but its name and role
SECTIONS_LARGEST = 28.0  # conditions and impact, when the testimony is short
SECTIONS_RATIO = 0.75  # conditions and impact beside the testimony's size
FOOTER_SIZE = 18.0


# -- formats ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PosterFormat:
    """A poster size on paper, and how the A3 design maps onto it."""

    size: str
    trim: tuple[float, float]  # page points
    bleed: float  # page points
    scale: float  # page points per layout unit

    @property
    def width(self) -> float:
        """Trim width in layout (A3) units."""
        return self.trim[0] / self.scale

    @property
    def height(self) -> float:
        return self.trim[1] / self.scale

    @property
    def bleed_units(self) -> float:
        return self.bleed / self.scale

    @property
    def media(self) -> tuple[float, float]:
        return self.trim[0] + 2 * self.bleed, self.trim[1] + 2 * self.bleed

    def to_page(self, box: Box) -> Box:
        """A layout box in page points (for what is drawn without the scale: QR links)."""
        s = self.scale
        return Box(self.bleed + box.x * s, self.bleed + box.y * s, box.w * s, box.h * s)


def poster_format(size: str = DESIGN_SIZE, bleed_mm: float = BLEED_MM) -> PosterFormat:
    if size not in POSTER_SIZES:
        raise ValueError(f"unknown poster size {size!r}: {', '.join(POSTER_SIZES)}")
    w_mm, h_mm = POSTER_SIZES[size]
    return PosterFormat(size, (mm(w_mm), mm(h_mm)), mm(bleed_mm), w_mm / POSTER_SIZES[DESIGN_SIZE][0])


# -- one poster per card ---------------------------------------------------------------

def sections_size(testimony: float) -> float:
    """Conditions and impact: three quarters of the testimony, within 18–28 pt."""
    return min(SECTIONS_LARGEST, max(WALL_BODY_FLOOR, round(testimony * SECTIONS_RATIO * 2) / 2))


@lru_cache(maxsize=8)
def wall_face(fmt: PosterFormat) -> FaceFormat:
    """The wall format: the face in A3 units for a poster of ``fmt``'s size."""
    return FaceFormat(
        width=fmt.width, height=fmt.height, bleed=fmt.bleed_units, margin=mm(MARGIN_MM),
        where=f"on the {fmt.size.upper()} poster", room=f"the {fmt.size.upper()} poster", hint="",
        ink_inside=False, title_step=STEP,
        # A name takes two lines at most, or three when two would need less than 60 pt
        # ("Maria de los Ángeles Fernández" beside a portrait); a display name's leading
        # leaves no room for its descenders (Arjun's j), so the role keeps off them.
        titles=(Role("category", 22.0, bold=True, hyphenate=False, after=10.0),
                Role("name", NAME_LARGEST, WALL_NAME_FLOOR, (2, 3), bold=True, leading=1.02, hyphenate=False),
                Role("role", ROLE_LARGEST, WALL_ROLE_FLOOR, (3,), leading=1.12, hyphenate=False, gap=2.0,
                     descent=DESCENT),
                Role("country", COUNTRY_SIZE, WALL_BODY_FLOOR, (2,), leading=1.15, hyphenate=False, gap=10.0)),
        image=(mm(62), mm(8)), band_pad=mm(13),
        qr=WALL_QR, footer_columns=2, footer_gap=mm(7),
        source=(Role("source_heading", FOOTER_SIZE, bold=True, upper=True, accent=True),
                Role("source", 26.0, bold=True, hyphenate=False, gap=4.0),
                Role("scan", FOOTER_SIZE, gap=8.0)),
        number=Role("number", 40.0, bold=True, align=2, leading=1.0),
        deck_title=Role("deck_title", FOOTER_SIZE, align=2, hyphenate=False, gap=6.0),
        footer_rule=(mm(9), 1.5),
        body=BodyFormat(sizes=((TESTIMONY_LARGEST, TESTIMONY_USUAL, 1.0),
                               (TESTIMONY_USUAL - 1.0, WALL_BODY_FLOOR, 1.0)),
                        sections=sections_size, testimony_leading=1.25, heading=1.0, heading_hyphenate=False,
                        heading_gap=1.6, line_leading=1.2, line_gaps=(0.45, 0.3), top=mm(16), bottom=mm(11),
                        least=None, quote_indent=mm(10), quote_rule=mm(2.2)))


def layout_persona(deck: Deck, card: Card, fmt: PosterFormat) -> Face:
    return layout_face(deck, card, wall_face(fmt))
