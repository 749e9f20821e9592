"""Writing outputs: every file deckprint makes reaches the disk here.

Three promises. A file is never seen half written: each goes to a temporary file
beside its target and is renamed over it, and a set of files (a build's outputs, a
kit and its zip) is renamed only once all of them are written, so a failure (a full
disk on the second file) leaves every old file as it was. Nothing lands outside the
deck's folder: every name on the way passes :func:`safe_name`. And files an earlier
run left that this one no longer makes (the images of a card since removed) are
deleted, but only those named the way the target names its own (:class:`Stale`):
other files in the folder are not ours to touch.

Light to import on purpose: ``build.py`` imports it, and a build with nothing to do
must not pull in the layout and drawing code.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UserError
from .targets import Output, Stale


def safe_name(name: str) -> str:
    """Output names come from slugs; this refuses anything that could leave the folder."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\0" in name:
        raise UserError(f"refusing to write a file named {name!r}")
    return name


def output_path(folder: Path, output: Output) -> Path:
    """Where an output goes: the deck's folder, or a subfolder of it (``png/``,
    ``png/mpc/``, ``kit/``); every name on the way passes :func:`safe_name`, so nothing
    lands outside the deck's folder."""
    return _subfolder(folder, output.folder) / safe_name(output.name)


def _subfolder(folder: Path, relative: str) -> Path:
    for part in relative.split("/") if relative else ():
        folder = folder / safe_name(part)
    return folder


def write_outputs(folder: Path, outputs: list[Output], stale: list[Stale] = ()) -> list[tuple[Path, Output]]:
    """Write ``outputs`` into ``folder`` all together (:func:`write_all_atomic`), then
    remove what the ``stale`` rules name and this run did not write. Returns each
    output with its path, in the order given."""
    targets = [(output_path(folder, output), output) for output in outputs]
    write_all_atomic([(path, output.data) for path, output in targets])
    written = {path for path, _ in targets}
    for rule in stale:
        remove_stale(_subfolder(folder, rule.folder), rule, written)
    return targets


def remove_stale(folder: Path, rule: Stale, keep: set[Path]) -> None:
    """Delete the files in ``folder`` that ``rule`` names and that are not in ``keep``."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path not in keep and rule.names.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)


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
