"""``deckprint build``: finding decks, skipping those that are up to date, building the
others (through ``pipeline.py``), many decks at once.

Light to import on purpose: a deck is found up to date from its build record alone
(:data:`STAMP`, the file's times), before the deck is read, so that ``deckprint build``
with nothing to do imports neither the deck model nor ReportLab (0.85 s before, most
of it imports). The pipeline is imported when there is something to build.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from . import __version__
from .errors import UserError
from .options import BuildOptions
from .processes import can_fork, collector_paused
from .write import write_atomic

STAMP = ".deckprint-build.json"  # in OUT/<deck-id>/: what the last build was made from


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
    skipped: bool = False


def find_decks(paths: tuple[Path, ...] | list[Path]) -> list[Path]:
    """Deck files named on the command line (folders give their *.yaml files); with
    none, ``decks/*.yaml`` in the current folder, or the bundled decks."""
    if not paths:
        local = Path("decks")
        if local.is_dir() and any(local.glob("*.yaml")):
            paths = [local]
        else:
            from .fonts import (
                package_data,  # imports ReportLab's font code: only when needed
            )

            paths = [package_data("decks")]
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


@collector_paused
def build_deck(deck_path: Path, options: BuildOptions, *, workers: int = 0, force: bool = True,
               stamps: dict | None = None) -> DeckResult:
    """Build one deck; a user error becomes the result's ``error``, not an exception.

    Without ``force``, a deck whose last build (its :data:`STAMP`, found among
    ``stamps``, by default read from ``options.out``) was made by this deckprint with
    the same options from inputs (the deck file, its images and fonts) that have not
    changed since, and whose outputs are all still there, is skipped.
    """
    result = DeckResult(deck_path)
    try:
        if not force and up_to_date(deck_path, options, read_stamps(options.out) if stamps is None else stamps):
            result.skipped = True
            return result
        from . import pipeline

        deck = pipeline.load(deck_path, options)
        stamp = _stamp(deck, options)  # the inputs' times as read, before the build
        run = pipeline.make(deck, options, workers=workers)
        result.written.extend(Written(path, output.pages, output.what) for path, output in run.written)
        stamp["outputs"] = sorted(str(path.relative_to(run.folder)) for path, _ in run.written)
        write_atomic(run.folder / STAMP, json.dumps(stamp, indent=1, sort_keys=True).encode())
    except UserError as exc:
        result.error = str(exc)
    return result


def build_decks(paths: list[Path], options: BuildOptions, *, jobs: int, force: bool) -> Iterator[DeckResult]:
    """Build many decks, ``jobs`` at a time in worker processes; results in deck order.

    One deck's error does not stop the others. Up-to-date decks are skipped first,
    here. With one deck to build, its outputs are drawn in parallel instead.
    """
    stamps = {} if force else read_stamps(options.out)
    todo = [i for i, path in enumerate(paths) if force or not up_to_date(path, options, stamps)]
    built = _build_all([paths[i] for i in todo], options, jobs)
    todo_set = set(todo)
    for i, path in enumerate(paths):
        yield next(built) if i in todo_set else DeckResult(path, skipped=True)


def _build_all(paths: list[Path], options: BuildOptions, jobs: int) -> Iterator[DeckResult]:
    if jobs <= 1 or len(paths) <= 1 or not can_fork():
        for path in paths:
            yield build_deck(path, options, workers=jobs)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        yield from pool.imap(partial(_build_one, options=options), paths)


def _build_one(path: Path, *, options: BuildOptions) -> DeckResult:
    return build_deck(path, options, workers=1)


# -- skipping decks that are up to date ------------------------------------------------


def _stamp(deck, options: BuildOptions) -> dict:
    """What the outputs were made from: this deckprint, the options, the deck file and
    every input file with its modification time."""
    inputs = [deck.path] + list(deck.font.files) + deck.raw.files  # raw.files: a sheet of cards
    inputs += [image.path for image in (deck.back_image, *(card.image for card in deck.cards)) if image]
    return {
        "deckprint": __version__,
        "options": _options(options),
        "deck": str(deck.path.resolve()),
        "inputs": sorted([str(p.resolve()), p.stat().st_mtime_ns] for p in set(inputs)),
    }


def _options(options: BuildOptions) -> dict[str, str]:
    return {k: str(v) for k, v in asdict(options).items() if k != "out"}


def read_stamps(out: Path) -> dict[str, list[tuple[Path, dict]]]:
    """The build records in ``out``'s deck folders, by the deck file they were made
    from: one small file a deck, read once for a whole batch."""
    stamps: dict[str, list[tuple[Path, dict]]] = {}
    for path in out.glob(f"*/{STAMP}"):
        try:
            stamp = json.loads(path.read_text(encoding="utf-8"))
            stamps.setdefault(stamp["deck"], []).append((path.parent, stamp))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return stamps


def up_to_date(deck_path: Path, options: BuildOptions, stamps: dict[str, list[tuple[Path, dict]]]) -> bool:
    """One build record of this deck file is current: same deckprint, same options,
    every input file as it was then, every output it lists still there and newer than
    every input. An unchanged deck file has the same id, so the record's folder is
    this deck's. (Two current records of one file: not trusted, the deck is built.)"""
    found = stamps.get(str(deck_path.resolve()), [])
    return sum(_current(folder, stamp, options) for folder, stamp in found) == 1


def _current(folder: Path, stamp: dict, options: BuildOptions) -> bool:
    try:
        if stamp["deckprint"] != __version__ or stamp["options"] != _options(options):
            return False
        inputs = stamp["inputs"]
        if any(Path(name).stat().st_mtime_ns != mtime for name, mtime in inputs):
            return False
        newest_input = max(mtime for _, mtime in inputs)
        return all((folder / name).stat().st_mtime_ns >= newest_input for name in stamp["outputs"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
