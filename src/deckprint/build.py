"""deck → targets → files. Finding decks, building them, writing outputs atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .deckfile import MAX_FILE_BYTES
from .errors import UserError
from .fonts import package_data
from .layout.back import layout_back
from .layout.card import layout_deck
from .load import Deck, load_deck
from .sizes import BLEED_MM
from .targets import Output

CARD_TARGETS = ("pnp", "print")
ALL_TARGETS = CARD_TARGETS
DEFAULT_TARGETS = CARD_TARGETS


@dataclass(frozen=True)
class BuildOptions:
    out: Path = Path("output")
    targets: tuple[str, ...] = DEFAULT_TARGETS
    papers: tuple[str, ...] = ("a4",)
    duplex: str = "long"
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    bleed_mm: float = BLEED_MM
    max_bytes: int = MAX_FILE_BYTES


@dataclass
class Written:
    path: Path
    pages: int
    what: str


@dataclass
class DeckResult:
    deck_path: Path
    written: list[Written] = field(default_factory=list)
    error: str | None = None


def find_decks(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    """Deck files named on the command line (folders give their *.yaml files); with
    none, ``decks/*.yaml`` in the current folder, or the bundled decks."""
    if not paths:
        local = Path("decks")
        paths = [local if local.is_dir() and any(local.glob("*.yaml")) else package_data("decks")]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"{path}: no such deck file or folder")
    if not found:
        raise UserError("no deck files found (*.yaml)")
    return found


def safe_name(name: str) -> str:
    """Output names come from slugs; this refuses anything that could leave the folder."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise UserError(f"refusing to write a file named {name!r}")
    return name


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it: a reader (or a
    crash) never sees half a file, and a failed build leaves the old file in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render_deck(deck: Deck, options: BuildOptions) -> list[Output]:
    """Every requested output of one deck, in memory: nothing is written unless all
    of them succeed."""
    from .targets.cards import print_and_play, print_shop

    outputs: list[Output] = []
    fronts = layout_deck(deck, options.bleed_mm)
    back = layout_back(deck, options.bleed_mm)
    if "pnp" in options.targets:
        for paper in options.papers:
            outputs.append(print_and_play(deck, fronts, back, paper=paper, duplex=options.duplex,
                                          back_offset_mm=options.back_offset_mm,
                                          bleed_mm=options.bleed_mm))
    if "print" in options.targets:
        outputs.append(print_shop(deck, fronts, back, bleed_mm=options.bleed_mm))
    return outputs


def build_deck(deck_path: Path, options: BuildOptions) -> list[Written]:
    deck = load_deck(deck_path, max_bytes=options.max_bytes)
    outputs = render_deck(deck, options)
    folder = options.out / safe_name(deck.id)
    written = []
    for output in outputs:
        target = folder / safe_name(output.name)
        write_atomic(target, output.data)
        written.append(Written(target, output.pages, output.what))
    return written
