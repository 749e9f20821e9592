"""Country names: what a deck author may write, and what a card prints.

CLDR (through Babel) is the standard for display names: "Corée du Sud", "Royaume-Uni",
"Taïwan" read well on a card, where ISO's official forms ("Corée, République de") do
not. A deck may give an ISO 3166-1 alpha-2 code, or a name in English or in the deck's
language; matching ignores case, accents and punctuation.

For a few territories CLDR's own alternative form reads better on a card than its
default ("Congo-Kinshasa"): those come from CLDR's ``alt="variant"`` names, which Babel
does not expose, so they are listed here.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

from babel import Locale

from .errors import excerpt

_CARD_NAMES: dict[str, dict[str, str]] = {
    # CLDR alt="variant"/"short" names, preferred on cards.
    "CD": {"fr": "République démocratique du Congo", "en": "Democratic Republic of the Congo"},
    "CG": {"fr": "République du Congo", "en": "Republic of the Congo"},
    "HK": {"fr": "Hong Kong", "en": "Hong Kong"},
    "MO": {"fr": "Macao", "en": "Macao"},
    "PS": {"fr": "Palestine", "en": "Palestine"},
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.split())


@lru_cache(maxsize=8)
def _names(language: str) -> dict[str, str]:
    """ISO code → display name in the language, for real countries only."""
    territories = Locale.parse(language).territories
    names = {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()
             and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}}
    for code, overrides in _CARD_NAMES.items():
        if language in overrides:
            names[code] = overrides[language]
    return names


@lru_cache(maxsize=8)
def _index(language: str) -> dict[str, str]:
    """Folded name (in English and in the language) → ISO code."""
    index: dict[str, str] = {}
    for lang in ("en", language):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                index.setdefault(_fold(name), code)
        for code, name in _names(lang).items():
            index.setdefault(_fold(name), code)
    return index


def resolve_country(value: str, language: str) -> tuple[str, str]:
    """(ISO code, display name in ``language``); :class:`UnknownCountry` otherwise."""
    names = _names(language)
    text = value.strip()
    if len(text) == 2 and text.upper() in names:
        code = text.upper()
        return code, names[code]
    code = _index(language).get(_fold(text))
    if code and code in names:
        return code, names[code]
    raise UnknownCountry(value, language)


class UnknownCountry(ValueError):
    """A country no name or code matches. Its message, with a suggestion, is worked
    out when it is read: the search through 500 names is for the problems shown, not
    for each of 5,000 cards (see errors.Tally)."""

    def __init__(self, value: str, language: str):
        super().__init__(value, language)
        self.value, self.language = value, language

    def __str__(self) -> str:
        names, index, folded = _names(self.language), _index(self.language), _fold(self.value.strip())
        near = [name for name in index if folded and name.startswith(folded + " ")][:2]
        near = near or difflib.get_close_matches(folded, list(index), n=1, cutoff=0.6)
        choices = sorted({names[index[name]] for name in near if index[name] in names})
        hint = " (did you mean " + " or ".join(f'"{c}"' for c in choices) + "?)" if choices else ""
        return f'unknown country "{excerpt(self.value)}"{hint}'
