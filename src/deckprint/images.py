"""Images a deck points at (portraits, the card back): found safely, checked by content.

A deck file is untrusted: its paths must stay inside its folder (no absolute paths,
no ``..``, no symlink leading out), and an image is trusted only once its bytes say
PNG or JPEG and its pixel count is sane (a "decompression bomb" is a tiny file that
claims a huge image).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAX_PIXELS = 40_000_000  # a 6,000 × 6,600 photo; an A3 poster at 300 ppi needs 17 M


@dataclass(frozen=True)
class ImageFile:
    path: Path
    width: int
    height: int


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def open_image(relative: str, deck_dir: Path) -> ImageFile:
    """Check an image path from a deck; ValueError with the user's message otherwise."""
    path = deck_dir / relative
    if not inside(path, deck_dir):
        raise ValueError(f'"{relative}" leads outside the deck\'s folder')
    if not path.is_file():
        raise ValueError(f'image "{relative}" not found beside the deck file')
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ValueError(f'cannot read image "{relative}": {exc.strerror}') from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ValueError(f'"{relative}" is not a PNG or JPEG image')
    too_big = f"more than the limit of {MAX_PIXELS // 1_000_000} million pixels"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=("PNG", "JPEG")) as image:  # reads the header only
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f'image "{relative}" is {width} × {height} pixels, {too_big}')
                # Decode it once, now: a file cut short or corrupt past its header would
                # otherwise fail in the middle of drawing (or be embedded broken).
                image.load()
    except ValueError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own, larger limit: refused before decoding
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f"{int(claimed[1]):,} pixels, " if claimed else ""
        raise ValueError(f'image "{relative}" claims {pixels}{too_big}') from None
    except Exception as exc:
        raise ValueError(f'cannot read image "{relative}": {exc}') from None
    return ImageFile(path.resolve(), width, height)
