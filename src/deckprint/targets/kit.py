"""The workshop kit: everything a facilitator needs, in one folder and one zip.

``OUT/<deck-id>/kit/`` holds the print-and-play PDFs for A4 and Letter, the print-shop
PDF, the posters, the facilitator guide and a short read-me in the deck's language
(``LISEZ-MOI.txt``, ``README.txt``); ``OUT/<deck-id>/<deck-id>-kit.zip`` holds the
same files, to send or put online.

The PDFs come from the build pipeline itself (``build.render_deck`` with the kit's
targets), so a kit's cards are byte for byte those of ``deckprint build``, and so is
their preflight: the pipeline checks every PDF (``deckprint check``) as it is made,
and a PDF that fails stops the kit with the file and the findings named; nothing is
written then. The folder's files and the zip are replaced together
(``build.write_all_atomic``).

The zip is deterministic: entries sorted by name, dated 1980-01-01 (the earliest date
a zip can hold), permissions rw-r--r--, made on "Unix", deflated at level 9. With the
PDFs' own invariance, the same deck gives the same zip bytes.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..build import BuildOptions, render_deck, safe_name, write_all_atomic
from ..deckfile import MAX_FILE_BYTES
from ..labels import GUIDE
from ..deck import Deck
from ..load import load_deck
from ..printing import FileNote, kit_notes
from ..text import escape_marks, plain
from ..wording import typography
from . import Output

KIT_TARGETS = ("pnp", "print", "posters", "guide")
KIT_PAPERS = ("a4", "letter")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o100644  # a regular file, rw-r--r--
ZIP_LEVEL = 9
README_WIDTH = 78


@dataclass
class KitResult:
    deck: Deck
    folder: Path  # OUT/<deck-id>/kit
    zip_path: Path
    files: list[Output]  # in the kit's reading order, the read-me last


def build_kit(deck_path: Path, out: Path, *, workers: int = 0, max_bytes: int = MAX_FILE_BYTES) -> KitResult:
    """Make, check and write one deck's kit. UserError when the deck is wrong or a PDF
    fails the preflight; nothing is written then."""
    deck = load_deck(deck_path, max_bytes=max_bytes)
    options = BuildOptions(out=out, targets=KIT_TARGETS, papers=KIT_PAPERS, check=True)  # check: always
    notes = kit_notes(deck, papers=options.papers, duplex=options.duplex, bleed_mm=options.bleed_mm,
                      poster_size=options.poster_size)
    outputs = {output.name: output for output in render_deck(deck, options, workers=workers)}
    if set(outputs) != {note.name for note in notes}:  # the notes must describe what was made
        raise RuntimeError(f"kit files {sorted(outputs)} differ from their notes {[n.name for n in notes]}")
    files = [outputs[note.name] for note in notes]
    files.append(readme(deck, notes, files))

    deck_folder = out / safe_name(deck.id)
    folder = deck_folder / "kit"
    zip_path = deck_folder / safe_name(f"{deck.id}-kit.zip")
    data = kit_zip([(f.name, f.data) for f in files])
    write_all_atomic([(folder / safe_name(f.name), f.data) for f in files] + [(zip_path, data)])
    _remove_stale(folder, deck, {f.name for f in files})
    return KitResult(deck, folder, zip_path, files)


def readme(deck: Deck, notes: list[FileNote], files: list[Output]) -> Output:
    """``LISEZ-MOI.txt`` / ``README.txt``: what each file is and how to print it, as
    plain UTF-8 text that any computer opens."""
    text = GUIDE[deck.lang]

    def t(value: str) -> str:
        return plain(typography(value, deck.lang))

    def para(value: str, indent: str = "") -> list[str]:
        lines = textwrap.wrap(value, README_WIDTH, initial_indent=indent, subsequent_indent=indent,
                              break_long_words=False, break_on_hyphens=False)
        return [line.replace("\u00a0", " ") for line in lines]

    title = f"{plain(deck.title)} — {t(text['kit'])}"
    lines = [title.replace("\u00a0", " "), "=" * len(title), ""]
    lines += para(t(text["readme_intro"].format(title=escape_marks(plain(deck.title))))) + [""]
    heading = t(text["readme_files"])
    lines += [heading, "-" * len(heading), ""]
    pages = {f.name: f.pages for f in files}
    for note in notes:
        lines.append(f"{note.name}  ({pages[note.name]} pages)")
        lines += para(plain(note.what), "    ")
        lines += para(f"{t(text['how'])} {plain(note.how)}", "    ")
        lines.append("")
    heading = t(text["license"])
    lines += [heading, "-" * len(heading), ""]
    if deck.license:
        lines += para(t(text["license_text"].format(license=deck.license)))
    if deck.credits:
        lines += para(plain(deck.credits))
    lines += para(t(text["made_with"].format(version=__version__)))
    data = ("\n".join(lines).rstrip() + "\n").encode("utf-8")
    return Output(text["readme_name"], data, 0, "read-me: what each file is and how to print it")


def kit_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A zip of ``(name, data)`` that depends on nothing but them (see the module's doc)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix: the permissions below are read as such
            info.external_attr = ZIP_MODE << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def _remove_stale(folder: Path, deck: Deck, keep: set[str]) -> None:
    """Files an earlier kit of this deck left that this one does not make (a read-me
    in the deck's former language); other files in the folder are not ours to touch."""
    ours = {labels["readme_name"] for labels in GUIDE.values()}
    for path in folder.iterdir():
        if path.name in keep or not path.is_file():
            continue
        if path.name in ours or (path.name.startswith(f"{deck.id}-") and path.suffix == ".pdf"):
            path.unlink()
