"""What a run of the pipeline is asked to make: the targets and their options.

A module of its own, light to import, because ``deckprint build`` reads it before it
knows whether there is anything to do: an up-to-date deck is skipped without
importing the layout and drawing code (see ``build.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .deckfile import MAX_FILE_BYTES
from .sizes import BLEED_MM

CARD_TARGETS = ("pnp", "print")
ALL_TARGETS = CARD_TARGETS + ("posters", "png", "guide")  # guide: the facilitator guide (deckprint kit)
DEFAULT_TARGETS = CARD_TARGETS + ("posters",)
# What the other commands make, through the same pipeline: deckprint kit, deckprint preview.
KIT, PREVIEW = "kit", "preview"


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("output")
    targets: tuple[str, ...] = DEFAULT_TARGETS
    papers: tuple[str, ...] = ("a4",)
    duplex: str = "long"
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    bleed_mm: float = BLEED_MM
    poster_size: str = "a3"
    max_bytes: int = MAX_FILE_BYTES
    dpi: int = 300  # png target
    shop: str = "generic"  # png target: a print-on-demand service's preset (shops.py)
    check: bool = True  # preflight every PDF before writing it (deckprint check)
