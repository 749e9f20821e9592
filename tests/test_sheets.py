"""Decks from a spreadsheet (sheets.py): cards read from CSV and XLSX with every rule of
the deck format, problems located at the cell, and the round trip deck → sheet → deck."""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import ENGLISH, normalise, page_texts, run
from deckprint.errors import DeckError
from deckprint.load import load_deck

HEAD = """\
deckprint: 1
deck:
  id: sheet-deck
  title: Sheet deck
  language: en
  source:
    url: https://example.org/article
categories:
  data:
    label: Data work
    color: "#1F5F8B"
"""

ROWS = [
    ["name", "role", "country", "category", "testimony", "conditions", "source.url", "source.title"],
    ["Ana", "Annotator", "Kenya", "data", "I label images,\nall day; every day.", "Low pay\nLong hours",
     "https://example.org/ana", "Ana's story"],
    ["Bo", "Moderator", "PH", "", "I watch what nobody should see.", "", "", ""],
]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files as the user would type them: relative to the current folder."""
    monkeypatch.chdir(tmp_path)


def deck_with(folder: Path, cards: str) -> Path:
    path = folder / "deck.yaml"
    path.write_text(HEAD + f"cards: {cards}\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> None:
    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if re.search(r'[,;"\n]', value) else value
    text = "\r\n".join(delimiter.join(quoted(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Cartes") -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    book.save(path)


def problems(deck: Path) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(deck)
    return [str(p) for p in caught.value.problems]


def assert_the_two_cards(deck: Path) -> None:
    loaded = load_deck(deck)
    cards = loaded.cards
    assert [c.name for c in cards] == ["Ana", "Bo"]
    assert cards[0].conditions == ("Low pay", "Long hours")  # one item per line in the cell
    assert loaded.raw.data["cards"][0]["testimony"] == "I label images,\nall day; every day."  # multi-line
    assert cards[0].source.url == "https://example.org/ana" and cards[0].source.title == "Ana\u2019s story"
    assert cards[1].conditions == () and cards[1].category is None  # empty cells: absent keys
    assert cards[1].source.url == "https://example.org/article"  # no source.url: the deck's
    assert cards[1].country_code == "PH"


@pytest.mark.parametrize("delimiter, bom", [(",", False), (";", False), (",", True), (";", True)])
def test_csv_comma_or_semicolon_with_or_without_bom(tmp_path: Path, delimiter: str, bom: bool) -> None:
    write_csv(tmp_path / "personas.csv", ROWS, delimiter, bom)
    assert_the_two_cards(deck_with(tmp_path, "personas.csv"))


def test_xlsx_first_sheet_or_the_one_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["not cards"])
    cards = book.create_sheet("Cartes")
    for row in ROWS:
        cards.append([v or None for v in row])
    book.save(tmp_path / "personas.xlsx")
    assert_the_two_cards(deck_with(tmp_path, "{file: personas.xlsx, sheet: Cartes}"))
    write_xlsx(tmp_path / "first.xlsx", ROWS)
    assert_the_two_cards(deck_with(tmp_path, "first.xlsx"))
    assert any('no sheet "Carte" (did you mean "Cartes"?)' in p
               for p in problems(deck_with(tmp_path, "{file: personas.xlsx, sheet: Carte}")))


def test_errors_are_located_at_the_cell(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], ["Chen", "Assembler", "Chinaa", "data", "I build phones.", "", "", ""]]
    write_csv(tmp_path / "personas.csv", rows)
    found = problems(deck_with(tmp_path, "personas.csv"))
    assert found == ['personas.csv:3:3: unknown country "Chinaa" (did you mean "China"?)']
    write_xlsx(tmp_path / "personas.xlsx", rows)
    found = problems(deck_with(tmp_path, "personas.xlsx"))
    assert found == ['personas.xlsx:Cartes!C3: unknown country "Chinaa" (did you mean "China"?)']


def test_every_rule_of_the_format_applies_at_its_cell(tmp_path: Path) -> None:
    rows = [ROWS[0] + ["id"],
            ["Ana", "Annotator", "KE", "dat", "Text", "", "ftp://example.org", "", "Not A Slug"],
            ["", "Moderator", "KE", "", "Text", "", "", "", ""]]
    write_xlsx(tmp_path / "personas.xlsx", rows, title="My cards")
    found = "\n".join(problems(deck_with(tmp_path, "personas.xlsx")))
    assert "personas.xlsx:'My cards'!D2: unknown category \"dat\"" in found
    assert "personas.xlsx:'My cards'!G2: only http and https URLs" in found
    assert "personas.xlsx:'My cards'!I2: \"Not A Slug\" is not a slug" in found
    assert "personas.xlsx:'My cards'!A3: the required key \"name\" is missing" in found  # at the row


def test_an_unknown_column_is_one_problem_with_a_suggestion(tmp_path: Path) -> None:
    rows = [["name", "role", "contry", "country", "testimony"]] + [[f"P{i}", "R", "x", "KE", "T"] for i in range(5)]
    write_csv(tmp_path / "personas.csv", rows)
    assert problems(deck_with(tmp_path, "personas.csv")) == [
        'personas.csv:1:3: unknown column "contry" (did you mean "country"?)']


def test_the_sheet_stays_inside_the_deck_folder(tmp_path: Path) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    write_csv(tmp_path / "outside.csv", ROWS)
    assert any("leaves the deck's folder" in p for p in problems(deck_with(folder, "../outside.csv")))
    os.symlink(tmp_path / "outside.csv", folder / "link.csv")
    assert any("leads outside the deck's folder" in p for p in problems(deck_with(folder, "link.csv")))
    assert any("not found beside the deck file" in p for p in problems(deck_with(folder, "missing.csv")))


def test_a_sheet_that_cannot_be_read_is_a_located_problem_beside_the_others(tmp_path: Path) -> None:
    (tmp_path / "personas.xlsx").write_text("name,role\n")  # not a workbook
    deck = deck_with(tmp_path, "personas.xlsx")
    deck.write_text(deck.read_text().replace("language: en", "language: xx"))
    found = problems(deck)
    assert any(p.startswith("deck.yaml:12:8: cards: personas.xlsx is not an XLSX workbook") for p in found), found
    assert any("unknown language" in p for p in found)
    result = run("validate", str(deck))
    assert result.exit_code == 1 and "Traceback" not in result.output


def _cache_formula_values(path: Path, cached: str) -> None:
    """openpyxl writes no saved value for a formula; a spreadsheet application does:
    give every formula of the workbook ``cached`` as its saved value."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    xml = files["xl/worksheets/sheet1.xml"].decode()
    xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                 rf'<c r="\1" t="str"><f>\3</f><v>{cached}</v>', xml)
    files["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_a_formula_cell_is_its_saved_value_or_refused(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1], ["Bo", "Moderator", '=UPPER("ph")', "", "Text", "", "", ""]]
    write_xlsx(tmp_path / "personas.xlsx", rows)
    found = problems(deck_with(tmp_path, "personas.xlsx"))
    assert len(found) == 1 and found[0].startswith('personas.xlsx:Cartes!C3: the formula =UPPER("ph") has no saved value')
    write_xlsx(tmp_path / "errors.xlsx", [ROWS[0], ROWS[1][:4] + ["#N/A"]])  # an error cell: refused too
    assert problems(deck_with(tmp_path, "errors.xlsx")) == [
        "errors.xlsx:Cartes!E2: the cell holds the error #N/A: type the value instead"]
    _cache_formula_values(tmp_path / "personas.xlsx", "PH")
    assert load_deck(deck_with(tmp_path, "personas.xlsx")).cards[1].country_code == "PH"


def test_a_deck_built_from_a_sheet_prints_the_sheet_text(tmp_path: Path) -> None:
    write_csv(tmp_path / "personas.csv", ROWS, ";", bom=True)
    deck = deck_with(tmp_path, "personas.csv")
    result = run("build", str(deck), "--out", str(tmp_path / "out"), "--target", "print")
    assert result.exit_code == 0, result.output
    text = normalise(" ".join(page_texts(tmp_path / "out" / "sheet-deck" / "sheet-deck-print.pdf")))
    assert "I label images, all day; every day." in text and "I watch what nobody should see." in text
    assert "Long hours" in text


def test_a_changed_sheet_is_built_again(tmp_path: Path) -> None:
    write_csv(tmp_path / "personas.csv", ROWS)
    deck = deck_with(tmp_path, "personas.csv")
    args = ("build", str(deck), "--out", str(tmp_path / "out"), "--target", "print", "--no-check")
    assert run(*args).exit_code == 0
    assert "up to date" in run(*args).output
    stat = (tmp_path / "personas.csv").stat()
    os.utime(tmp_path / "personas.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert "up to date" not in run(*args).output


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_deck_to_sheet_to_deck(tmp_path: Path, suffix: str) -> None:
    result = run("sheet", str(ENGLISH), "--to", str(tmp_path / f"cards.{suffix}"))
    assert result.exit_code == 0, result.output
    text = ENGLISH.read_text(encoding="utf-8")
    deck = tmp_path / "deck.yaml"
    deck.write_text(text[:text.index("\ncards:")] + f"\ncards: cards.{suffix}\n", encoding="utf-8")
    assert load_deck(deck).cards == load_deck(ENGLISH).cards
    assert run("sheet", str(ENGLISH), "--to", str(tmp_path / f"cards.{suffix}")).exit_code == 1  # never overwrites
    time.sleep(2.1)  # zip entries are dated to 2 s: a second export in another 2 s is the same bytes
    assert run("sheet", str(ENGLISH), "--to", str(tmp_path / f"again.{suffix}")).exit_code == 0
    assert (tmp_path / f"again.{suffix}").read_bytes() == (tmp_path / f"cards.{suffix}").read_bytes()


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    rows = [ROWS[0], ROWS[1][:4] + ["=1+1 is what I type", "", "", ""]]
    write_csv(tmp_path / "in.csv", rows)
    assert run("sheet", str(deck_with(tmp_path, "in.csv")), "--to", str(tmp_path / "out.xlsx")).exit_code == 0
    assert load_deck(deck_with(tmp_path, "out.xlsx")).cards[0].testimony == "=1+1 is what I type"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_new_with_a_sheet_writes_a_deck_and_its_sheet(tmp_path: Path, suffix: str) -> None:
    deck = tmp_path / "my-deck.yaml"
    result = run("new", str(deck), "--sheet", str(tmp_path / f"personas.{suffix}"))
    assert result.exit_code == 0, result.output
    assert f"cards: personas.{suffix}" in deck.read_text()
    assert run("validate", str(deck)).exit_code == 0
    assert [c.name for c in load_deck(deck).cards] == ["Alex"]
    assert run("new", str(tmp_path / "other.yaml"), "--sheet", str(tmp_path / f"personas.{suffix}")).exit_code == 1
    assert not (tmp_path / "other.yaml").exists()


def test_the_schema_lets_cards_name_a_sheet() -> None:
    import jsonschema

    from deckprint.model import json_schema
    from deckprint.schema import SHEET_SUFFIXES
    from deckprint.sheets import READERS

    assert set(SHEET_SUFFIXES) == set(READERS)
    schema = json_schema()
    deck = {"deckprint": 1, "deck": {"id": "d", "title": "T", "language": "en",
                                     "source": {"url": "https://example.org/"}}}
    for cards in ["personas.csv", "sheets/personas.XLSX", {"file": "p.ods", "sheet": "Cartes"}]:
        jsonschema.validate({**deck, "cards": cards}, schema)
    for cards in ["personas.txt", "../personas.csv", {"file": "p.xlsx", "shet": "Cartes"}, {"sheet": "Cartes"}]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**deck, "cards": cards}, schema)
