"""Cards from a spreadsheet: ``cards: personas.csv``, ``personas.xlsx`` or ``personas.ods``.

NGO teams keep their personas in a spreadsheet. A deck's ``cards:`` may name one (a
path inside the deck's folder, or ``{file: personas.xlsx, sheet: Cartes}``); its first
row names the card keys, dotted for nested ones (``source.url``), and each row below is
a card. :func:`read_sheet_cards` puts the cards into the deck's raw data with the
position of every cell, so that every rule of the deck format applies unchanged and
every problem points at its cell (``personas.xlsx:Cartes!C7: …``, ``personas.csv:7:3:
…``). :func:`write_sheet` writes a deck's cards the other way, for the round trip.

A sheet is untrusted like the deck file: its path stays inside the deck's folder, its
size is bounded like the deck file's (and an XLSX's unzipped size too), no formula is
evaluated (a formula cell is read as the value the spreadsheet saved with it, or
refused), and no external link is followed.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import typing
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic_core import PydanticCustomError

from . import model
from .deckfile import MAX_FILE_BYTES, Path_, RawDeck
from .errors import SheetCell, UserError, display_path
from .images import inside

UNZIP_RATIO = 20  # an XLSX may unzip to 20 × the deck size limit (text zips ~5–10×)
MAX_COLUMNS = 100


class SheetError(Exception):
    """A sheet that cannot be read: located at its row (and column) when given, else
    at ``path`` in the deck file (the ``cards:`` that names the sheet)."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None,
                 path: Path_ = ("cards",)):
        super().__init__(message)
        self.row, self.column, self.path = row, column, path


@dataclass(frozen=True)
class Refused:
    """A cell whose value cannot be used (a formula with no saved value, an error)."""

    message: str


@dataclass
class Table:
    """A sheet as read: its rows of text cells (None: empty), and its name if any."""

    rows: list[list[str | None | Refused]]
    sheet: str | None = None  # a workbook's sheet: cells are named "Sheet!C7"


# -- the columns: the card keys, from the file model -----------------------------------

@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # ("source", "url")
    is_list: bool  # one item per line in the cell


def _is_list(annotation: Any) -> bool:
    return any(typing.get_origin(a) is list for a in (annotation, *typing.get_args(annotation)))


def _columns(entry: type = model.CardEntry, prefix: tuple[str, ...] = ()) -> dict[str, Column]:
    """Every column a card sheet may have, in the format's order: a nested model's keys
    are dotted (``source.url``). No hand list: a key added to the format is a column."""
    out: dict[str, Column] = {}
    for name, info in entry.model_fields.items():
        nested = next((a for a in typing.get_args(info.annotation) if hasattr(a, "model_fields")), None)
        if nested is not None:
            out.update(_columns(nested, prefix + (name,)))
        else:
            out[".".join(prefix + (name,))] = Column(prefix + (name,), _is_list(info.annotation))
    return out


COLUMNS = _columns()


# -- the hook: a deck whose cards name a sheet ---------------------------------------------

def read_sheet_cards(raw: RawDeck, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """When the deck's ``cards`` names a sheet, read its cards into ``raw`` (data and
    positions); a sheet that cannot be read is a problem of the deck, its cards then
    unreadable, so that the rest of the deck is still checked in the same run."""
    if not isinstance(raw.data, dict) or not isinstance(raw.data.get("cards"), (str, dict)):
        return
    path = None
    try:
        path, sheet = _reference(raw, raw.data["cards"])
        table = read_table(path, sheet, max_bytes)
    except SheetError as exc:
        if exc.row is not None:
            raw.problems.append(SheetCell(display_path(path), exc.row, exc.column or 1).problem(str(exc)))
        else:
            raw.problems.append(raw.problem(exc.path, str(exc)))
        raw.unreadable.add(("cards",))
        raw.data["cards"] = None
        return
    except OSError as exc:
        raw.problems.append(raw.problem(("cards",), f"cannot read the sheet: {exc.strerror or exc}"))
        raw.unreadable.add(("cards",))
        raw.data["cards"] = None
        return
    raw.files.append(path)
    raw.data["cards"] = _Reader(raw, display_path(path), table).cards()


def _reference(raw: RawDeck, value: str | dict) -> tuple[Path, str | None]:
    """The sheet's path, checked like an image's, and the sheet's name if given."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"file", "sheet"}, key=str)
        if unknown:
            near = difflib.get_close_matches(str(unknown[0]), ["file", "sheet"], n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else "; known keys: file, sheet"
            raise SheetError(f'unknown key "{unknown[0]}"{hint}', path=("cards", unknown[0]))
        relative, sheet = value.get("file"), value.get("sheet")
        if not isinstance(relative, str) or (sheet is not None and not isinstance(sheet, str)):
            raise SheetError("a sheet of cards is {file: NAME.xlsx, sheet: NAME}, with text values")
    else:
        relative, sheet = value, None
    try:
        model._relative_path(relative)  # the rule an image's path follows, and its words
    except PydanticCustomError as exc:
        raise SheetError(exc.message()) from None
    folder = raw.path.parent
    path = folder / relative.strip()
    if path.suffix.lower() not in READERS:
        raise SheetError(f'"{relative}": cards are a list, or a sheet ending in '
                         f"{', '.join(READERS)}")
    if not inside(path, folder):
        raise SheetError(f'"{relative}" leads outside the deck\'s folder')
    if not path.is_file():
        raise SheetError(f'sheet "{relative}" not found beside the deck file')
    if sheet is not None and path.suffix.lower() == ".csv":
        raise SheetError(f'"{relative}" is a CSV file: it has one sheet, name none')
    return path, sheet


# -- reading the cards off a table ---------------------------------------------------------

class _Reader:
    """A table's rows as card mappings, each value's cell kept in ``raw``'s positions."""

    def __init__(self, raw: RawDeck, name: str, table: Table):
        self.raw, self.name, self.table = raw, name, table

    def cell(self, row: int, column: int) -> SheetCell:
        label = None
        if self.table.sheet is not None:
            sheet = self.table.sheet
            quoted = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
            label = f"{quoted}!{column_letter(column)}{row}"
        return SheetCell(self.name, row, column, label)

    def fail(self, row: int, column: int, message: str) -> None:
        self.raw.problems.append(self.cell(row, column).problem(message))

    def header(self) -> dict[int, Column]:
        """Column index → the card key it holds; unknown and doubled names reported."""
        rows = self.table.rows
        names = rows[0] if rows else []
        out: dict[int, Column] = {}
        seen: dict[str, int] = {}
        for j, name in enumerate(names):
            if isinstance(name, Refused):
                self.fail(1, j + 1, name.message)
            elif name is None:
                if any(j < len(row) and row[j] is not None for row in rows[1:]):
                    self.fail(1, j + 1, f"this column has no name: name it with a card key ({', '.join(COLUMNS)})")
            elif name.strip() in seen:
                self.fail(1, j + 1, f'the column "{name.strip()}" appears twice (column {seen[name.strip()]} too)')
            elif name.strip() not in COLUMNS:
                near = difflib.get_close_matches(name.strip(), list(COLUMNS), n=1, cutoff=0.6)
                hint = f' (did you mean "{near[0]}"?)' if near else f"; known columns: {', '.join(COLUMNS)}"
                self.fail(1, j + 1, f'unknown column "{name.strip()}"{hint}')
            else:
                seen[name.strip()] = j + 1
                out[j] = COLUMNS[name.strip()]
        return out

    def cards(self) -> list[dict]:
        columns = self.header()
        cards: list[dict] = []
        for r, row in enumerate(self.table.rows[1:], start=2):
            if all(value is None for value in row):
                continue  # blank rows between or after the cards
            at: Path_ = ("cards", len(cards))
            self.raw.values[at] = self.cell(r, 1)
            card: dict = {}
            for j, column in columns.items():
                if j < len(row) and row[j] is not None:
                    self._put(card, at, column, row[j], self.cell(r, j + 1))
            cards.append(card)
        return cards

    def _put(self, card: dict, at: Path_, column: Column, value: str | Refused, cell: SheetCell) -> None:
        path = at + column.path
        for i in range(len(at) + 1, len(path)):  # the enclosing mappings (source)
            self.raw.values.setdefault(path[:i], cell)
        self.raw.values[path] = self.raw.keys[path] = cell
        if isinstance(value, Refused):
            self.raw.problems.append(cell.problem(value.message))
            self.raw.unreadable.add(path)
            return
        target = card
        for key in column.path[:-1]:
            target = target.setdefault(key, {})
        if column.is_list:
            items = [line.strip() for line in value.splitlines() if line.strip()]
            for k in range(len(items)):
                self.raw.values[path + (k,)] = cell
            target[column.path[-1]] = items
        else:
            target[column.path[-1]] = value


def column_letter(column: int) -> str:
    """1 → A, 27 → AA: a column as spreadsheets name it."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- the readers: CSV and XLSX -----------------------------------------------------------

def read_table(path: Path, sheet: str | None, max_bytes: int = MAX_FILE_BYTES) -> Table:
    size = path.stat().st_size
    if size > max_bytes:
        raise SheetError(f"the sheet is {size / 1e6:.1f} MB, more than the limit of {max_bytes / 1e6:.1f} MB "
                         "(raise it with --max-deck-size)")
    return READERS[path.suffix.lower()](path, sheet, max_bytes)


def _empty(text: str) -> str | None:
    return text if text.strip() else None


def _read_csv(path: Path, sheet: str | None, max_bytes: int) -> Table:
    """UTF-8 with or without a byte-order mark, comma or semicolon (whichever the
    header row holds more of: spreadsheets in French or German save with ";")."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"{path.name}: the file is not UTF-8 text (byte {exc.start}): save it as "
                         "\"CSV UTF-8\"") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise SheetError(f"more than {MAX_COLUMNS} columns", len(rows) + 1, MAX_COLUMNS + 1)
            rows.append([_empty(value) for value in record])
    except csv.Error as exc:
        raise SheetError(f"this CSV cannot be read: {exc}", reader.line_num) from None
    return Table(rows)


def _unzipped_size(path: Path, max_bytes: int, kind: str = "an XLSX workbook") -> None:
    """Refuse a zip bomb before it is unzipped: a small file that claims a lot."""
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise SheetError(f"{path.name} is not {kind} (not a zip file)") from None
    if unzipped > UNZIP_RATIO * max_bytes:
        raise SheetError(f"{path.name} unzips to {unzipped / 1e6:.0f} MB, more than the limit of "
                         f"{UNZIP_RATIO * max_bytes / 1e6:.0f} MB")


def _read_xlsx(path: Path, sheet: str | None, max_bytes: int) -> Table:
    """Read-only, links not followed, no formula evaluated: each cell's value is what
    the spreadsheet saved; a formula with no saved value is refused. The workbook is
    read twice, for the saved values and for which cells are formulas."""
    import openpyxl

    _unzipped_size(path, max_bytes)
    books = []
    try:
        for data_only in (True, False):
            books.append(openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False))
        name = _sheet_name(books[0].sheetnames, sheet)
        rows = [_xlsx_row(values, cells) for values, cells in
                zip(books[0][name].iter_rows(), books[1][name].iter_rows())]
    except SheetError:
        raise
    except Exception as exc:  # openpyxl's and zipfile's and XML's words for a broken file
        raise SheetError(f"{path.name} cannot be read as an XLSX workbook: {exc}") from None
    finally:
        for book in books:
            book.close()
    return Table(rows, name)


def _sheet_name(names: list[str], wanted: str | None) -> str:
    if not names:
        raise SheetError("the workbook has no sheet")
    if wanted is None:
        return names[0]
    if wanted not in names:
        near = difflib.get_close_matches(wanted, names, n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else f"; its sheets: {', '.join(names)}"
        raise SheetError(f'the workbook has no sheet "{wanted}"{hint}', path=("cards", "sheet"))
    return wanted


def _xlsx_row(values, cells) -> list[str | None | Refused]:
    if len(cells) > MAX_COLUMNS:
        cells = cells[:MAX_COLUMNS]
    out: list[str | None | Refused] = []
    for j, cell in enumerate(cells):
        value = values[j].value if j < len(values) else None
        if getattr(cell, "data_type", None) == "f" and value is None:
            out.append(Refused(f"the formula {cell.value} has no saved value: open the workbook in a "
                               "spreadsheet application and save it, or type the value"))
        elif getattr(values[j] if j < len(values) else None, "data_type", None) == "e":
            out.append(Refused(f"the cell holds the error {value}: type the value instead"))
        else:
            out.append(_text(value))
    return out


_AS_TEXT: tuple[tuple[type, Callable[[Any], str]], ...] = (  # the first row a value is an instance of
    (bool, lambda v: "TRUE" if v else "FALSE"),
    (dt.datetime, lambda v: v.date().isoformat() if v.time() == dt.time() else v.isoformat()),
    (dt.date, lambda v: v.isoformat()),
    (float, lambda v: str(int(v)) if v.is_integer() else repr(v)),
    (object, str),
)


def _text(value: Any) -> str | None:
    """A cell's value as the text a CSV cell would hold: the deck format's values are
    text (a date, ISO), and one reading for both kinds of sheet."""
    if value is None:
        return None
    text = next(convert(value) for kind, convert in _AS_TEXT if isinstance(value, kind))
    return _empty(text)


def _read_ods(path: Path, sheet: str | None, max_bytes: int) -> Table:
    from .ods import OdsError, read_ods

    _unzipped_size(path, max_bytes, "an ODS spreadsheet")
    try:
        name, rows = read_ods(path, sheet, MAX_COLUMNS, model.MAX_CARDS + 1, Refused)
    except OdsError as exc:
        raise SheetError(str(exc)) from None
    except LookupError as missing:
        _sheet_name(missing.args[0], sheet)  # raises: no such sheet, with a suggestion
        raise
    return Table(rows, name)


READERS: dict[str, Callable[[Path, str | None, int], Table]] = {
    ".csv": _read_csv, ".xlsx": _read_xlsx, ".ods": _read_ods}


# -- writing a deck's cards as a sheet (deckprint sheet, deckprint new --sheet) ------------

def sheet_rows(cards: list[dict], *, every_column: bool = False) -> list[list[str]]:
    """Cards as rows under a header of the columns they use (``every_column``: all the
    format has, for a starter sheet), in the format's order, each value as the reader
    reads it back: a list one item per line, a date ISO."""
    used = [name for name, column in COLUMNS.items()
            if every_column or any(_get(card, column.path) is not None for card in cards)]
    rows = [used]
    for i, card in enumerate(cards):
        row = []
        for name in used:
            value = _get(card, COLUMNS[name].path)
            if isinstance(value, list):
                if any("\n" in str(item) for item in value):
                    raise UserError(f"cards[{i}].{name}: an item holds a line break, and a sheet's cell "
                                    "holds one item per line: write the item on one line")
                value = "\n".join(str(item) for item in value) or None
            row.append("" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value).strip())
        rows.append(row)
    return rows


def _get(card: dict, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(card, dict):
            return None
        card = card.get(key)
    return card


def write_sheet(rows: list[list[str]], path: Path) -> None:
    """Write rows as a CSV (UTF-8 with a byte-order mark, which spreadsheet applications
    need to read it as UTF-8) or an XLSX workbook, by the file's suffix; never over a file."""
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        raise UserError(f"{path}: a sheet's name ends in {', '.join(WRITERS)}")
    if path.exists():
        raise UserError(f"{path}: already exists; deckprint never overwrites a sheet")
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[suffix](rows, path)


def _write_csv(rows: list[list[str]], path: Path) -> None:
    with path.open("x", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _write_xlsx(rows: list[list[str]], path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment
    from openpyxl.writer.excel import ExcelWriter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cards"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value:
                cell = sheet.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    saved = io.BytesIO()
    # Not book.save(), which dates the workbook now; and openpyxl dates each zip entry
    # now: fixed dates make the same deck the same bytes.
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(saved) as made, path.open("xb") as handle, \
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in made.infolist():
            out.writestr(zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                         made.read(entry), compress_type=zipfile.ZIP_DEFLATED)


WRITERS: dict[str, Callable[[list[list[str]], Path], None]] = {".csv": _write_csv, ".xlsx": _write_xlsx}

