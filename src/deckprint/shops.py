"""Print-on-demand services as data: what each one wants for a card face.

A row says what the service publishes — the card it applies to, the bleed, the
resolution, the pixel size of one face (bleed included), the files and their order —
and where each number comes from. ``generic`` has no numbers of its own: the deck's
card, ``--bleed`` and ``--dpi``.

The pixel sizes are not used to resize anything: the page is made at trim + bleed and
rendered at the dpi, and :func:`face_format` checks that this gives the published size
exactly (a test does too). A poker card (2.5 × 3.5 in) at 300 dpi is 750 × 1050 px at
trim, so 825 × 1125 px is 0.125 in (3.175 mm) of bleed each side, and MakePlayingCards'
822 × 1122 px is 0.12 in (3.048 mm) each side — the same on all four sides, so the
template is hit without cropping or padding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import UserError
from .sizes import CARD_PRESETS, mm

if TYPE_CHECKING:  # the command line reads the table; the deck model is not needed for it
    from .deck import Deck

DPI_RANGE = (72, 1200)
DEFAULT_DPI = 300


@dataclass(frozen=True)
class Shop:
    name: str
    title: str
    files: str  # "png": one sRGB image per card face; "pdf": one CMYK PDF for the deck
    folder: str  # where the images go in the deck's folder: each preset its own, so that
    # two presets built into one --out do not replace each other's (same names, other sizes)
    order: str  # "front-back": front 1, back 1, front 2, …; "back-front": back, front 1, back, …
    card: str | None  # the card preset the numbers are for; None: any card (the deck's)
    bleed_mm: float | None  # each side; None: --bleed
    dpi: int | None  # None: --dpi
    pixels: tuple[int, int] | None  # one face, bleed included, at dpi; None: computed
    max_ink: float | None  # total area coverage allowed (2.4 = 240 %); None: not stated
    source: str  # where each number comes from


# Sources. print-notes.md is the project's design notes (/work/shared/design/print-notes.md),
# which record what these services publish; each service's own template page is named
# beside it. A service can change its numbers: check its current template before a large
# order, and change the row here, not code.
SHOPS: dict[str, Shop] = {shop.name: shop for shop in (
    Shop("generic", "generic", files="png", folder="png", order="front-back", card=None, bleed_mm=None,
         dpi=None, pixels=None, max_ink=None,
         source="no service: the deck's card size, --bleed (default 3 mm) and --dpi (default 300)"),
    Shop("thegamecrafter", "The Game Crafter", files="png", folder="png/thegamecrafter", order="front-back", card="poker",
         bleed_mm=25.4 / 8, dpi=300, pixels=(825, 1125), max_ink=None,
         source="poker card 825 × 1125 px at 300 dpi with 1/8 in bleed: print-notes.md "
                "(\"what The Game Crafter and DriveThruCards take\"), and The Game Crafter's "
                "Poker Deck PNG template (825 × 1125 px)"),
    Shop("mpc", "MakePlayingCards", files="png", folder="png/mpc", order="front-back", card="poker",
         bleed_mm=0.12 * 25.4, dpi=300, pixels=(822, 1122), max_ink=None,
         source="poker card template 822 × 1122 px: print-notes.md (\"MakePlayingCards "
                "templates are 822 × 1122 px\") and MakePlayingCards' poker-size template; "
                "300 dpi is the resolution the template is drawn at; the bleed, 0.12 in "
                "(3.048 mm) each side, follows: (822 − 750) / 2 = (1122 − 1050) / 2 = 36 px"),
    Shop("drivethrucards", "DriveThruCards", files="pdf", folder="", order="back-front", card="poker",
         bleed_mm=25.4 / 8, dpi=300, pixels=(825, 1125), max_ink=2.4,
         source="poker card 825 × 1125 px at 300 dpi with 1/8 in bleed, one PDF per deck, "
                "CMYK, ink ≤ 240 %, pages ordered back, front, back, front…: print-notes.md, "
                "from DriveThruCards' card file guidelines"),
)}


@dataclass(frozen=True)
class FaceFormat:
    """A shop's numbers settled for one deck: what the PNG job makes."""

    shop: Shop
    bleed_mm: float
    dpi: int
    pixels: tuple[int, int]


def page_pixels(card_mm: tuple[float, float], bleed_mm: float, dpi: float) -> tuple[int, int]:
    """A face's size in pixels: trim plus bleed, in points, × dpi / 72, rounded."""
    return tuple(round((mm(side) + 2 * mm(bleed_mm)) * dpi / 72) for side in card_mm)  # type: ignore[return-value]


def face_format(shop_name: str, deck: Deck, *, bleed_mm: float, dpi: int) -> FaceFormat:
    """The shop's bleed, dpi and pixel size for this deck, or a user error saying why
    the deck cannot go to that service as it is (a card size it does not print, a dpi
    it does not take)."""
    try:
        shop = SHOPS[shop_name]
    except KeyError:
        raise UserError(f'unknown print service "{shop_name}": use one of {", ".join(SHOPS)}') from None
    low, high = DPI_RANGE
    if not low <= dpi <= high:
        raise UserError(f"--dpi {dpi}: use {low}–{high} dpi")
    if shop.card is not None:
        w, h = CARD_PRESETS[shop.card]
        dw, dh = deck.card_mm
        if abs(dw - w) > 0.01 or abs(dh - h) > 0.01:
            raise UserError(
                f"{deck.id}: --shop {shop.name} makes {shop.card} cards ({w:g} × {h:g} mm) and this "
                f"deck's cards are {deck.card_size_label} ({dw:g} × {dh:g} mm): set deck.card: "
                f"{shop.card} in the deck, or use --shop generic for its own size")
    if shop.dpi is not None and dpi not in (DEFAULT_DPI, shop.dpi):
        raise UserError(f"--shop {shop.name} takes {shop.dpi} dpi files: leave out --dpi {dpi}")
    bleed = shop.bleed_mm if shop.bleed_mm is not None else bleed_mm
    resolution = shop.dpi or dpi
    pixels = page_pixels(deck.card_mm, bleed, resolution)
    if shop.pixels is not None and pixels != shop.pixels:  # the table is wrong, not the user
        raise RuntimeError(f"shop {shop.name}: {pixels} px computed, {shop.pixels} published")
    return FaceFormat(shop, bleed, resolution, pixels)
