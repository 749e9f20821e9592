"""deck → targets → files. Finding decks, building them, writing outputs atomically."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import tempfile
import traceback
from dataclasses import asdict, dataclass, field
from functools import partial, wraps
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .deckfile import MAX_FILE_BYTES
from .errors import UserError
from .fonts import package_data
from .layout.back import layout_back
from .layout.card import Fronts
from .deck import Deck
from .load import load_deck
from .sizes import BLEED_MM
from .targets import Output

CARD_TARGETS = ("pnp", "print")
ALL_TARGETS = CARD_TARGETS + ("posters", "png", "guide")  # guide: the facilitator guide (deckprint kit)
DEFAULT_TARGETS = CARD_TARGETS + ("posters",)


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


def output_path(folder: Path, output: Output) -> Path:
    """Where an output goes: the deck's folder, or a subfolder of it (``png/``,
    ``png/mpc/``); every name on the way passes :func:`safe_name`, so nothing lands
    outside the deck's folder."""
    for part in output.folder.split("/") if output.folder else ():
        folder = folder / safe_name(part)
    return folder / safe_name(output.name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it: a reader (or a
    crash) never sees half a file, and a failed build leaves the old file in place."""
    write_all_atomic([(path, data)])


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """:func:`write_atomic` for a set of files: all are written to temporaries first and
    renamed over their targets only once every one is written, so that a failure (a
    full disk on the second file) leaves all the old files as they were, not half of
    them new. Renames within a folder need no space. No temporary is left behind."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared files
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)  # gone once renamed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render_deck(deck: Deck, options: BuildOptions, *, workers: int = 0) -> list[Output]:
    """Every requested output of one deck, in memory: nothing is written unless all
    of them succeed. The outputs are drawn in parallel processes, each laying out the
    cards it draws as it draws them (:class:`Fronts`)."""
    from .targets.cards import print_and_play, print_shop

    fronts = Fronts.checked(deck, options.bleed_mm)
    back = layout_back(deck, options.bleed_mm)
    jobs: list[Callable[[], Output | list[Output]]] = []
    if "pnp" in options.targets:
        for paper in options.papers:
            jobs.append(partial(print_and_play, deck, fronts, back, paper=paper, duplex=options.duplex,
                                back_offset_mm=options.back_offset_mm, bleed_mm=options.bleed_mm))
    if "print" in options.targets:
        jobs.append(partial(print_shop, deck, fronts, back, bleed_mm=options.bleed_mm))
    if "posters" in options.targets:
        from .targets.posters import posters

        jobs.append(partial(posters, deck, size=options.poster_size, bleed_mm=options.bleed_mm))
    if "guide" in options.targets:
        from .targets.guide import guide

        jobs.append(partial(guide, deck, papers=options.papers, duplex=options.duplex,
                            bleed_mm=options.bleed_mm, poster_size=options.poster_size))
    if "png" in options.targets:
        from .shops import face_format
        from .targets.png import png_jobs

        fmt = face_format(options.shop, deck, bleed_mm=options.bleed_mm, dpi=options.dpi)
        if fmt.bleed_mm != options.bleed_mm:  # a service's own bleed: the band and back reach it
            fronts, back = Fronts(deck, fmt.bleed_mm), layout_back(deck, fmt.bleed_mm)
        jobs += png_jobs(deck, fronts, back, fmt, workers or os.cpu_count() or 1)
    if options.check:
        from . import preflight  # noqa: F401 -- imported once here, not in each forked job

        jobs = [partial(_checked, job, deck, options.bleed_mm) for job in jobs]
    results = run_jobs(jobs, workers or os.cpu_count() or 1)
    return [output for result in results for output in (result if isinstance(result, list) else [result])]


def _checked(job: Callable[[], Output | list[Output]], deck: Deck, bleed_mm: float) -> Output | list[Output]:
    """Run an output job, then the preflight on each PDF it made, in the same process:
    a file that fails the checks is never written."""
    from .preflight import check_pdf_data

    result = job()
    for output in result if isinstance(result, list) else [result]:
        if output.name.endswith(".pdf"):
            report = check_pdf_data(output.data, Path(output.name), min_bleed_mm=min(bleed_mm, 3.0),
                                    qr_once_per_form=True)
            if report.failed:
                findings = "\n".join(f"  {line}" for line in report.lines())
                raise UserError(f"{deck.raw.name}: {output.name} fails the print checks, so it was not "
                                f"written:\n{findings}")
    return result


def run_jobs(jobs: list[Callable[[], Output | list[Output]]], workers: int) -> list[Output | list[Output]]:
    """Run jobs, the first in this process and the others in forked children.

    A child's user error comes back as a UserError; any other failure as a RuntimeError
    carrying the child's traceback. Without fork (or with one worker), one by one.
    """
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [job() for job in jobs]
    context = multiprocessing.get_context("fork")
    children = []
    for job in jobs[1:]:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(job, send), daemon=True)
        process.start()
        send.close()
        children.append((process, receive))
    try:
        results = [jobs[0]()]
        for process, receive in children:
            try:
                kind, value = receive.recv()
            except EOFError:
                kind, value = "bug", f"an output process died (exit code {process.exitcode})"
            if kind == "user":
                raise UserError(value)
            if kind == "bug":
                raise RuntimeError(f"an output process failed:\n{value}")
            results.append(value)
        return results
    finally:
        for process, receive in children:
            receive.close()
            process.join(timeout=1)
            if process.is_alive():
                process.kill()


def _child(job: Callable[[], Output], send) -> None:
    try:
        send.send(("ok", job()))
    except UserError as exc:
        send.send(("user", str(exc)))
    except BaseException:  # reported, with its traceback, by the parent
        send.send(("bug", traceback.format_exc()))
    finally:
        send.close()


def _cycle_collector_paused(function: Callable) -> Callable:
    """Python's cycle collector off while ``function`` runs (and in the processes it
    forks). Nearly everything a build makes lives until the build ends, and none of it
    is left for the collector to free (the peak memory is the same without it), but
    each of its passes walks the whole growing heap: 5.9 s of a 43 s build of 5,000
    cards, most of it in the layout, before the parallel part."""
    @wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()
    return paused


@_cycle_collector_paused
def build_deck(deck_path: Path, options: BuildOptions, *, workers: int = 0,
               force: bool = True) -> DeckResult:
    """Build one deck; a user error becomes the result's ``error``, not an exception.

    Without ``force``, a deck whose outputs are all newer than its inputs (the deck
    file, its images and fonts) and were made by this deckprint with the same options
    is skipped.
    """
    result = DeckResult(deck_path)
    try:
        deck = load_deck(deck_path, max_bytes=options.max_bytes)
        folder = options.out / safe_name(deck.id)
        stamp = _stamp(deck, options)
        if not force and _up_to_date(folder, stamp):
            result.skipped = True
            return result
        outputs = render_deck(deck, options, workers=workers)
        targets = [(output_path(folder, output), output) for output in outputs]
        write_all_atomic([(target, output.data) for target, output in targets])
        result.written.extend(Written(target, output.pages, output.what) for target, output in targets)
        if "png" in options.targets:
            from .targets.png import remove_stale_faces

            remove_stale_faces(folder, outputs)
        stamp["outputs"] = sorted(str(target.relative_to(folder)) for target, _ in targets)
        write_atomic(folder / STAMP, json.dumps(stamp, indent=1, sort_keys=True).encode())
    except UserError as exc:
        result.error = str(exc)
    return result


def build_decks(paths: list[Path], options: BuildOptions, *, jobs: int, force: bool) -> Iterator[DeckResult]:
    """Build many decks, ``jobs`` at a time in worker processes; results in deck order.

    One deck's error does not stop the others. With one deck, its outputs are drawn
    in parallel instead.
    """
    if jobs <= 1 or len(paths) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for path in paths:
            yield build_deck(path, options, workers=jobs, force=force)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(paths))) as pool:
        yield from pool.imap(partial(_build_one, options=options, force=force), paths)


def _build_one(path: Path, *, options: BuildOptions, force: bool) -> DeckResult:
    return build_deck(path, options, workers=1, force=force)


# -- skipping decks that are up to date ------------------------------------------------

STAMP = ".deckprint-build.json"


def _stamp(deck: Deck, options: BuildOptions) -> dict:
    """What the outputs were made from: this deckprint, the options, the input files."""
    inputs = [deck.path] + list(deck.font.files) + deck.raw.files  # raw.files: a sheet of cards
    inputs += [image.path for image in (deck.back_image, *(card.image for card in deck.cards)) if image]
    return {
        "deckprint": __version__,
        "options": {k: str(v) for k, v in asdict(options).items() if k != "out"},
        "inputs": sorted([str(p.resolve()), p.stat().st_mtime_ns] for p in set(inputs)),
    }


def _up_to_date(folder: Path, stamp: dict) -> bool:
    """The last build had the same deckprint, options and inputs, and every file it
    wrote (listed in its stamp) is still there, newer than every input."""
    try:
        previous = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        outputs = previous.pop("outputs")
        newest_input = max(mtime for _, mtime in stamp["inputs"])
        return previous == stamp and all(
            (folder / name).stat().st_mtime_ns >= newest_input for name in outputs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
