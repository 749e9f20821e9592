"""The rules of the deck format that span more than one value, in JSON Schema.

model.py gives each value's rule its JSON Schema form beside its validator; the rules
here need more of the deck: the country names a card may give depend on the deck's
language, and a card needs a source of its own when the deck has none. They are built
when ``deckprint schema`` asks, from the data ``validate`` uses (Babel's names, through
:func:`deckprint.countries.resolve_country`).

Country names. ``validate`` ignores case, accents and punctuation in a name. The pattern
accepts each code, and each name CLDR gives in English and in the deck's language, in
any case, with or without the accents such names carry, and with the punctuation of
:data:`PUNCTUATION` where a name has punctuation or a space. A spelling with
punctuation elsewhere ("Ch-ina") or an accent no name has ("Chïna") reads for
``validate`` but is flagged by the editor: the pattern is already some 20 kB a language,
and no editor user types those.

What only ``validate`` checks is listed in the README ("The deck format").
"""

from __future__ import annotations

import re
import unicodedata

from babel import Locale

from .countries import resolve_country
from .labels import LABELS
from .model import RELATIVE_PATH_PATTERN, anycase, language_pattern

PUNCTUATION = "'’‘.,&()/-"  # "-" last: a literal in a character class
_PUNCT = f"[{PUNCTUATION}]"
_SPACE = rf"[\s{PUNCTUATION}]"
_END = "\0"  # marks the end of a name in the trie


def whole_deck_rules() -> dict:
    return {"allOf": [_source_rule()] + [_country_rule(lang) for lang in LABELS]}


SHEET_SUFFIXES = (".csv", ".xlsx", ".ods")  # sheets.READERS: tests/test_sheets.py holds them together


def cards_or_a_sheet(cards: dict) -> dict:
    """``cards:`` is the list of cards, or names a sheet that holds them (sheets.py):
    ``personas.csv``, or ``{file: personas.xlsx, sheet: Cartes}``. One schema for the
    three types, not an anyOf: each keyword applies to its own type only (``items`` to
    a list, ``pattern`` to text, ``properties`` to a mapping), so that a wrong card is
    reported at the card, and not also as "not text, not a mapping" at ``cards``."""
    path = {"allOf": [{"pattern": RELATIVE_PATH_PATTERN},
                      {"pattern": r"(?:" + "|".join(anycase(s) for s in SHEET_SUFFIXES) + r")\s*$"}]}
    return {**cards, "type": ["array", "string", "object"], **path,
            "required": ["file"], "additionalProperties": False,
            "properties": {"file": {"type": "string", **path, "description": "the sheet, beside the deck file"},
                           "sheet": {"type": "string", "description": "the sheet's name in a workbook"}},
            "description": "the cards, or a sheet (.csv, .xlsx, .ods) beside the deck file whose row 1 "
                           "names the card keys"}


def _source_rule() -> dict:
    """Every card has a source when the deck has none (load: "no source URL")."""
    deck_source = {"required": ["source"], "properties": {"source": {"not": {"type": "null"}}}}
    card_source = {"required": ["source"], "properties": {"source": {"type": "object"}}}
    return {"if": {"required": ["deck"], "properties": {"deck": {"not": deck_source}}},
            "then": {"properties": {"cards": {"items": card_source}}}}


def _country_rule(language: str) -> dict:
    deck_language = {"required": ["language"],
                     "properties": {"language": {"type": "string", "pattern": language_pattern([language])}}}
    country = {"pattern": country_pattern(language),
               "patternErrorMessage": "unknown country: an ISO 3166-1 code (CN) or a country name "
                                      "in English or in the deck's language"}
    return {"if": {"required": ["deck"], "properties": {"deck": deck_language}},
            "then": {"properties": {"cards": {"items": {"properties": {"country": country}}}}}}


def accepted_countries(language: str) -> tuple[list[str], list[str]]:
    """(codes, names) that resolve_country accepts in a deck of ``language``, as CLDR
    spells them: the candidates are Babel's territory names, each kept if it resolves."""
    codes, names = [], set()
    territories = {lang: Locale.parse(lang).territories for lang in ("en", language)}
    for code in territories["en"]:
        if len(code) != 2 or not code.isalpha():
            continue
        try:
            resolve_country(code, language)
        except ValueError:
            continue
        codes.append(code)
        names.update(resolve_country(code, lang)[1] for lang in territories)
    for lang_names in territories.values():
        names.update(lang_names.values())
    return sorted(codes), sorted(n for n in names if _resolves(n, language))


def _resolves(name: str, language: str) -> bool:
    try:
        resolve_country(name, language)
    except ValueError:
        return False
    return True


def country_pattern(language: str) -> str:
    codes, names = accepted_countries(language)
    first_letters: dict[str, list[str]] = {}
    for code in codes:
        first_letters.setdefault(code[0], []).append(code[1])
    code_rx = "|".join(anycase(first) + "[" + "".join(s + s.lower() for s in seconds) + "]"
                       for first, seconds in first_letters.items())
    return rf"^(?:\s*(?:{code_rx})\s*|{_SPACE}*{_names_regex(names)}{_SPACE}*)$"


def _tokens(name: str) -> list[tuple[str, str | None]]:
    """A name as ``countries._fold`` reads it: (letter, the character written) pairs,
    with " " for a space and "~" for punctuation that joins two letters."""
    out: list[tuple[str, str | None]] = []
    for char in name:
        letters = [c for c in unicodedata.normalize("NFKD", char.casefold()) if c.isalnum()]
        if letters:
            out += [(letter, char if len(letters) == 1 else None) for letter in letters]
            continue
        mark = " " if char.isspace() else "~"
        if out and out[-1][0] in " ~":
            mark = " " if " " in (mark, out[-1][0]) else "~"
            out.pop()
        out.append((mark, None))
    while out and out[0][0] in " ~":
        out.pop(0)
    while out and out[-1][0] in " ~":
        out.pop()
    return out


def _names_regex(names: list[str]) -> str:
    """One alternation for all names, as a trie: names that share a beginning share
    its regex, which keeps the pattern at a third of the names written out."""
    spellings: dict[str, set[str]] = {}
    trie: dict = {}
    for name in names:
        node = trie
        for letter, written in _tokens(name):
            if written:
                spellings.setdefault(letter, set()).update({written, written.upper(), written.lower()})
            node = node.setdefault(letter, {})
        node[_END] = {}

    def unit(letter: str) -> str:
        if letter == " ":
            return rf"{_SPACE}*\s{_SPACE}*"
        if letter == "~":
            return f"{_PUNCT}*"
        chars = sorted(spellings.get(letter, set()) | {letter, letter.upper()})
        return "[" + "".join(chars) + "]" if len(chars) > 1 else re.escape(chars[0])

    def regex(node: dict) -> str:
        branches = ["" if key == _END else unit(key) + regex(child)
                    for key, child in sorted(node.items(), key=lambda item: item[0] == _END)]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return regex(trie)
