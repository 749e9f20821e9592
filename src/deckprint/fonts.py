"""Font families: found in the deck's folder or in the bundled ``fonts/``, embedded as TTF.

ReportLab only loads TrueType-outline fonts and embeds (subsets) every registered TTF.
We never use its built-in Helvetica: the canvas gets ``initialFontName`` set to our
regular face, so no non-embedded font sneaks into a PDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import UserError

DEFAULT_FAMILY = "Noto Sans"
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


def package_data(name: str) -> Path:
    """A folder shipped inside the wheel (``fonts``, ``decks``).

    Installed, it sits inside the package; run from a checkout (editable install or
    ``PYTHONPATH=src``) it is the folder at the top of the repository.
    """
    inside = resources.files("deckprint") / name
    if inside.is_dir():
        return Path(str(inside))
    return Path(__file__).resolve().parents[2] / name


@dataclass(frozen=True)
class FontFamily:
    """Four registered faces; the names are what ReportLab knows them by."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    files: tuple[Path, ...]

    def missing_glyphs(self, text: str) -> set[str]:
        """Characters of ``text`` that some face of the family cannot draw."""
        return set(text) - _covered(self.files) - {"\n", "\t", "\r"}


@lru_cache(maxsize=None)
def _covered(files: tuple[Path, ...]) -> frozenset[str]:
    """The characters every face of the family has a glyph for."""
    cmaps = [set(pdfmetrics.getFont(_face_name(f)).face.charToGlyph) for f in files]
    return frozenset(chr(c) for c in set.intersection(*cmaps))


def _face_name(path: Path) -> str:
    # Registered names must be unique per file: two decks may ship different fonts
    # under the same family name.
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    return f"{path.stem}-{digest}"


def _find_files(family: str, folders: list[Path]) -> list[Path] | None:
    stem = family.replace(" ", "")
    for folder in folders:
        files = [folder / f"{stem}-{style}.ttf" for style in STYLES]
        # resolve(): a symlink must not lead out of the folder it was found in, and a
        # deck's fonts/ folder must not itself be a symlink out of the deck's folder.
        root = folder.parent if folder.name == "fonts" and folder.parent in folders else folder
        if all(f.is_file() and f.resolve().is_relative_to(root.resolve()) for f in files):
            return files
    return None


def font_search_folders(deck_dir: Path | None) -> list[Path]:
    folders = [deck_dir / "fonts", deck_dir] if deck_dir else []
    return folders + [package_data("fonts")]


@lru_cache(maxsize=32)
def load_family(family: str, folders: tuple[Path, ...]) -> FontFamily:
    """Find and register a family; UserError if its four TTF files are not there."""
    files = _find_files(family, list(folders))
    if files is None:
        stem = family.replace(" ", "")
        raise UserError(f'font family "{family}" not found: expected {stem}-Regular.ttf, '
                        f"-Bold, -Italic and -BoldItalic (.ttf) in "
                        + ", ".join(str(f) for f in folders))
    names = []
    for path in files:
        name = _face_name(path)
        if name not in pdfmetrics.getRegisteredFontNames():
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # a CFF .otf renamed, a corrupt file
                raise UserError(f"cannot load font {path}: {exc} (only TrueType-outline .ttf files work)") from None
        names.append(name)
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1],
                                  italic=names[2], boldItalic=names[3])
    return FontFamily(family, *names, files=tuple(files))
