"""The workshop kit: everything a facilitator needs, in one folder and one zip.

``OUT/<deck-id>/kit/`` holds the print-and-play PDFs for A4 and Letter, the print-shop
PDF, the posters, the facilitator guide and a short read-me in the deck's language
(``LISEZ-MOI.txt``, ``README.txt``); ``OUT/<deck-id>/<deck-id>-kit.zip`` holds the
same files, to send or put online.

This module only packs: the pipeline draws the kit's PDFs (:data:`PARTS` on
:data:`PAPERS`) as it draws any build's, so a kit's cards are byte for byte those of
``deckprint build``, and checks each one (``deckprint check``, always on for a kit);
:func:`package` then adds the read-me and the zip, and the pipeline writes the folder's
files and the zip together, or nothing when a PDF fails.

The zip is deterministic: entries sorted by name, dated 1980-01-01 (the earliest date
a zip can hold), permissions rw-r--r--, made on "Unix", deflated at level 9. With the
PDFs' own invariance, the same deck gives the same zip bytes.
"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile

from .. import __version__
from ..labels import GUIDE
from ..deck import Deck
from ..options import BuildOptions
from ..printing import FileNote, kit_notes
from ..text import escape_marks, plain
from ..wording import typography
from . import Output, Stale

PARTS = ("pnp", "print", "posters", "guide")  # the targets a kit holds
PAPERS = ("a4", "letter")
FOLDER = "kit"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o100644  # a regular file, rw-r--r--
ZIP_LEVEL = 9
README_WIDTH = 78


def package(deck: Deck, outputs: list[Output], options: BuildOptions) -> list[Output]:
    """The kit's files, from the PDFs drawn with ``options``: the PDFs and the read-me
    in reading order, in ``kit/``, then the zip of them, in the deck's folder."""
    notes = kit_notes(deck, papers=options.papers, duplex=options.duplex, bleed_mm=options.bleed_mm,
                      poster_size=options.poster_size)
    made = {output.name: output for output in outputs}
    if set(made) != {note.name for note in notes}:  # the notes must describe what was made
        raise RuntimeError(f"kit files {sorted(made)} differ from their notes {[n.name for n in notes]}")
    files = [made[note.name] for note in notes]
    files.append(readme(deck, notes, files))
    data = kit_zip([(f.name, f.data) for f in files])
    return [Output(f.name, f.data, f.pages, f.what, folder=FOLDER) for f in files] + [
        Output(f"{deck.id}-kit.zip", data, 0, f"{len(files)} files")]


def stale(deck: Deck) -> Stale:
    """What an earlier kit of this deck may have left in ``kit/`` that this one does
    not make (a read-me in the deck's former language): our read-me names and the
    deck's PDFs. Other files in the folder are not ours to touch."""
    readmes = "|".join(re.escape(labels["readme_name"]) for labels in GUIDE.values())
    return Stale(FOLDER, re.compile(rf"^(?:{readmes}|{re.escape(deck.id)}-.*\.pdf)$", re.DOTALL))


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
