"""Reading an OpenDocument spreadsheet (.ods, LibreOffice's own) for sheets.py.

No reader from PyPI: the maintained one (python-calamine) reads a formula with no
saved value as an empty cell, so a card would silently lose a key, and the ones that
show formulas (odfpy, ezodf, pyexcel-ods3) are unmaintained and build the whole
document in memory. An ODS is a zip holding ``content.xml``; this module streams it
with the standard library's expat parser (no external entity is ever fetched, and
expat ≥ 2.4 refuses entity expansion bombs), bounded like an XLSX: its unzipped size
is checked first (sheets._unzipped_size), rows and cells that a sheet repeats (a
million empty rows after the last card) are counted, not built.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")

# office:value-type → the attribute that holds the cell's value; "string" is its text.
VALUE_ATTRIBUTE = {"float": "value", "percentage": "value", "currency": "value", "date": "date-value",
                   "time": "time-value", "boolean": "boolean-value"}


class OdsError(Exception):
    """The file is not an ODS spreadsheet, or has no such sheet."""


def read_ods(path: Path, wanted: str | None, max_columns: int, max_rows: int,
             refused: Callable[[str], object]) -> tuple[str, list[list[object]]]:
    """The sheet ``wanted`` (the first one when None): its name, and its rows of text
    cells (None: empty; ``refused(message)``: a cell that cannot be read)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            return _read(content, wanted, max_columns, max_rows, refused)
    except (zipfile.BadZipFile, KeyError):
        raise OdsError(f"{path.name} is not an ODS spreadsheet (no content.xml in a zip file)") from None
    except (ElementTree.ParseError, ValueError) as exc:  # ValueError: a malformed number or count
        raise OdsError(f"{path.name} cannot be read as an ODS spreadsheet: {exc}") from None


def _read(content, wanted, max_columns, max_rows, refused) -> tuple[str, list[list[object]]]:
    names: list[str] = []
    rows: list[list[object]] = []
    blank = 0  # empty rows seen since the last row with a value: padded in when one comes
    reading = False
    for event, element in ElementTree.iterparse(content, events=("start", "end")):
        if element.tag == TABLE + "table" and event == "start":
            names.append(element.get(TABLE + "name", ""))
            reading = not rows and (wanted is None and len(names) == 1 or names[-1] == wanted)
        elif element.tag == TABLE + "table-row" and event == "end":
            if reading:
                row = _row(element, max_columns, refused)
                repeat = int(element.get(TABLE + "number-rows-repeated", "1"))
                if any(value is not None for value in row):
                    rows.extend([[]] * blank + [row] * min(repeat, max_rows))
                    blank = 0
                else:
                    blank += repeat
                if len(rows) > max_rows:
                    break
            element.clear()
    if not names:
        raise OdsError("the spreadsheet has no sheet")
    if wanted is not None and wanted not in names:
        raise LookupError(names)
    return wanted or names[0], rows


def _row(element, max_columns: int, refused) -> list[object]:
    cells: list[object] = []
    for cell in element:
        if cell.tag not in CELLS:
            continue
        repeat = int(cell.get(TABLE + "number-columns-repeated", "1"))
        value = _value(cell, refused)
        cells.extend([value] * min(repeat, max_columns - len(cells) + 1))
        if len(cells) > max_columns:
            break
    del cells[max_columns:]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _value(cell, refused) -> object:
    kind = cell.get(OFFICE + "value-type")
    if kind is None:
        formula = cell.get(TABLE + "formula")
        if formula:
            return refused(f"the formula {formula.removeprefix('of:')} has no saved value: open the "
                           "spreadsheet in a spreadsheet application and save it, or type the value")
        return None
    if kind in VALUE_ATTRIBUTE:
        value = cell.get(OFFICE + VALUE_ATTRIBUTE[kind], "")
        if kind == "float" or kind == "percentage" or kind == "currency":
            number = float(value)
            return str(int(number)) if number.is_integer() else repr(number)
        return value.removesuffix("T00:00:00") if kind == "date" else value
    text = cell.get(OFFICE + "string-value")
    if text is None:
        text = "\n".join(_paragraph(p) for p in cell if p.tag == TEXT + "p")
    return text if text.strip() else None


def _paragraph(element) -> str:
    """A text:p's text: its spans' text, text:s as its spaces, text:tab, text:line-break."""
    out = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "s":
            out.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag == TEXT + "tab":
            out.append("\t")
        elif child.tag == TEXT + "line-break":
            out.append("\n")
        else:
            out.append(_paragraph(child))
        out.append(child.tail or "")
    return "".join(out)
