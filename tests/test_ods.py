"""Cards from an OpenDocument spreadsheet (ods.py): written here as LibreOffice writes
them (content.xml in a zip, repeated rows and cells, saved formula values)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from deckprint.errors import DeckError
from deckprint.load import load_deck
from test_sheets import HEAD, ROWS, _in_tmp  # noqa: F401 (the fixture: problems name files from tmp_path)

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')
EMPTY_TAIL = ('<table:table-row table:number-rows-repeated="1048000">'
              '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')


class Formula:
    def __init__(self, formula: str, saved: str | None):
        self.formula, self.saved = formula, saved


def cell(value: object) -> str:
    if value in (None, ""):
        return "<table:table-cell/>"
    if isinstance(value, Formula):
        saved = (f' office:value-type="string" office:string-value={quoteattr(value.saved)}'
                 if value.saved is not None else "")
        return f"<table:table-cell table:formula={quoteattr(value.formula)}{saved}/>"
    if isinstance(value, float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    body = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(cell(v) for v in row)
                  + '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>' for row in rows)
        + EMPTY_TAIL + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body>'
               f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)


def deck_with(folder: Path, cards: str) -> Path:
    path = folder / "deck.yaml"
    path.write_text(HEAD + f"cards: {cards}\n", encoding="utf-8")
    return path


def problems(deck: Path) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(deck)
    return [str(p) for p in caught.value.problems]


def test_ods_cards_read_like_a_csv(tmp_path: Path) -> None:
    rows = [row + [""] for row in ROWS]
    rows[0][-1], rows[1][-1] = "source.date", "2025-02-11"
    rows[2][1] = Formula('of:=UPPER("moderator")', "MODERATOR")  # a formula: its saved value
    write_ods(tmp_path / "personas.ods", {"Notes": [["not cards"]], "Cartes": rows})
    started = time.perf_counter()
    deck = load_deck(deck_with(tmp_path, "{file: personas.ods, sheet: Cartes}"))
    assert time.perf_counter() - started < 5  # a million repeated empty rows are counted, not built
    ana, bo = deck.cards
    assert (ana.name, bo.name, bo.role) == ("Ana", "Bo", "MODERATOR")
    assert ana.conditions == ("Low pay", "Long hours")  # one item per line (text:p) in the cell
    assert str(ana.source.date) == "2025-02-11" and bo.category is None


def test_ods_problems_are_located_at_the_cell(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], ["Chen", Formula("of:=1+1", None), "Chinaa", "data", 12.0, "", "", ""]]
    write_ods(tmp_path / "personas.ods", {"Cartes": rows})
    assert problems(deck_with(tmp_path, "personas.ods")) == [
        "personas.ods:Cartes!B3: the formula =1+1 has no saved value: open the spreadsheet in a "
        "spreadsheet application and save it, or type the value",
        'personas.ods:Cartes!C3: unknown country "Chinaa" (did you mean "China"?)',
    ]  # the number 12.0 is the text "12": a testimony, valid


def test_an_ods_that_is_not_one_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "personas.ods").write_bytes(b"PK\x03\x04 not really")
    found = problems(deck_with(tmp_path, "personas.ods"))
    assert len(found) == 1 and found[0].startswith("deck.yaml:12:8: cards: personas.ods is not an ODS spreadsheet")
    with zipfile.ZipFile(tmp_path / "broken.ods", "w") as archive:
        archive.writestr("content.xml", "<office:document-content")
    assert "cannot be read as an ODS spreadsheet" in problems(deck_with(tmp_path, "broken.ods"))[0]
