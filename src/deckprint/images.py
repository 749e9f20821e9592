"""Images a deck points at (portraits, the card back): found safely, checked by content.

A deck file is untrusted: its paths must stay inside its folder (no absolute paths,
no ``..``, no symlink leading out), and an image is trusted only once its bytes say
PNG or JPEG and its pixel count is sane (a "decompression bomb" is a tiny file that
claims a huge image).

Until deckprint converts colours and checks photos itself, an image must also be one
the print check (``deckprint check``, run by ``build``) lets through: greyscale or
CMYK, and 300 ppi at the size it is printed. :func:`check_print` says so at the
image's line, from the faces laid out, before a build is refused without a place.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from PIL import Image

from .errors import DeckError, Problem, excerpt

MAX_PIXELS = 40_000_000  # a 6,000 × 6,600 photo; an A3 poster at 300 ppi needs 17 M
MIN_PPI = 300  # what the print check asks of every image: it fails under MIN_PPI - 0.5
# Pillow's modes that reach the PDF as they are (DeviceGray, DeviceCMYK): ReportLab
# turns every other one into RGB, which the print check refuses. The others, named.
PRINTABLE_MODES = ("L", "LA", "CMYK")
MODE_NAMES = {"RGB": "RGB", "RGBA": "RGB with transparency", "P": "a palette of RGB colours",
              "PA": "a palette of RGB colours", "1": "1-bit black and white", "I;16": "16-bit greyscale",
              "I": "32-bit greyscale", "F": "floating-point greyscale", "YCbCr": "YCbCr", "LAB": "Lab"}


@dataclass(frozen=True)
class ImageFile:
    path: Path
    width: int
    height: int
    mode: str  # Pillow's: the colours it holds
    written: str  # the path as the deck gives it, for messages


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, its links followed, is in ``folder``. (os.path.realpath does not
    raise on a loop of links, as Path.resolve does before Python 3.13.)"""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def open_image(relative: str, deck_dir: Path) -> ImageFile:
    """Check an image path from a deck; ValueError with the user's message otherwise."""
    shown = excerpt(relative)
    path = deck_dir / relative
    try:
        if not inside(path, deck_dir):
            raise ValueError(f'"{shown}" leads outside the deck\'s folder')
        if not path.is_file():
            raise ValueError(f'image "{shown}" not found beside the deck file')
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:  # a name too long for the file system, a loop of links…
        raise ValueError(f'cannot read image "{shown}": {exc.strerror or exc}') from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValueError(f'"{shown}" is not a PNG or JPEG image')
    width, height, mode = _decoded(path, shown)
    return ImageFile(path.resolve(), width, height, mode, relative)


def _decoded(path: Path, shown: str) -> tuple[int, int, str]:
    too_big = f"more than the limit of {MAX_PIXELS // 1_000_000} million pixels"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=("PNG", "JPEG")) as image:  # reads the header only
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f'image "{shown}" is {width} × {height} pixels, {too_big}')
                # Decode it once, now: a file cut short or corrupt past its header would
                # otherwise fail in the middle of drawing (or be embedded broken).
                image.load()
                mode = image.mode
    except ValueError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit: refused before decoding
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f"{int(claimed[1]):,} pixels, " if claimed else ""
        raise ValueError(f'image "{shown}" claims {pixels}{too_big}') from None
    except Exception as exc:
        raise ValueError(f'cannot read image "{shown}": {excerpt(str(exc), 120)}') from None
    return width, height, mode


# -- what the print check will say ---------------------------------------------------------

def check_print(deck: Any, fronts: Iterable[Any], back: Any, posters: Iterable[Any]) -> None:
    """Raise the DeckError of :func:`print_problems`, if any. ``fronts``, ``back`` and
    ``posters`` are the laid-out faces (layout.card, layout.back, layout.poster)."""
    problems = print_problems(deck, fronts, back, posters)
    if problems:
        raise DeckError(problems)


def print_problems(deck: Any, fronts: Iterable[Any], back: Any, posters: Iterable[Any]) -> list[Problem]:
    """Each image the print check would refuse, located at its ``image:`` line: one
    that is neither greyscale nor CMYK, or that has too few pixels for 300 ppi where it
    is printed largest (a portrait on its poster, as a rule)."""
    largest: dict[tuple, tuple[ImageFile, float, float, str]] = {}
    for at, image, box, where in _placed(deck, fronts, back, posters):
        need = _pixels_needed(image, box.w, box.h)
        if at not in largest or need > _pixels_needed(image, *largest[at][1:3]):
            largest[at] = (image, box.w, box.h, where)
    problems = []
    for at, (image, width, height, where) in largest.items():
        why = _unprintable(image, width, height, where)
        if why:
            problems.append(deck.problem(at, f"{_who(deck, at)}{why}"))
    return problems


def _placed(deck: Any, fronts: Iterable[Any], back: Any, posters: Iterable[Any]) -> Iterator[tuple]:
    """(the image's place in the deck file, the image, the box it covers, where)."""
    for front in fronts:
        if front.image is not None and front.card.image is not None:
            yield ("cards", front.card.index, "image"), front.card.image, front.image, "on its card"
    if back.image is not None and back.image_file is not None:
        yield ("deck", "back", "image"), back.image_file, back.image, "on the card back"
    for poster in posters:
        if poster.image is not None and poster.card.image is not None:
            yield ("cards", poster.card.index, "image"), poster.card.image, poster.image, "on its poster"


def _pixels_needed(image: ImageFile, width_pt: float, height_pt: float) -> float:
    """How many times the image's pixels the print check asks for, to cover a box of
    ``width_pt`` × ``height_pt`` (the image is scaled to cover it: draw.card.image_cover)."""
    scale = max(width_pt / image.width, height_pt / image.height)  # points a pixel
    return scale * (MIN_PPI - 0.5) / 72


def _unprintable(image: ImageFile, width_pt: float, height_pt: float, where: str) -> str | None:
    name = f'image "{excerpt(image.written)}"'
    if image.mode not in PRINTABLE_MODES:
        kind = MODE_NAMES.get(image.mode, image.mode)
        return (f"{name} is {kind}: printing takes 8-bit greyscale or CMYK images only, for now (save it as a "
                "CMYK JPEG, or in 8-bit greyscale)")
    ratio = _pixels_needed(image, width_pt, height_pt)
    if ratio <= 1:
        return None
    wide, high = (math.ceil(side * ratio - 1e-9) for side in (image.width, image.height))
    size = f"{width_pt * 25.4 / 72:.0f} × {height_pt * 25.4 / 72:.0f} mm"
    return (f"{name} is {image.width} × {image.height} pixels: printed {size} {where}, it needs "
            f"{wide} × {high} for {MIN_PPI} ppi")


def _who(deck: Any, at: tuple) -> str:
    if at[0] != "cards":
        return ""
    card = deck.cards[at[1]]
    return f'card {card.number} "{excerpt(card.name)}": '
