"""Text in the deck's language: how the language sets what authors type (typography),
and the words deckprint writes itself (labels, counts, dates, durations, lists, sizes).

One place for both, so that every card, poster, guide page and read-me says a thing
the same way. The words are data in :mod:`.labels`; here they are looked up, counted
(CLDR's plural rules, through Babel), filled in and typeset. Nothing here knows
ReportLab: :mod:`.text` sets what this module writes.

Typography turns what an author types into what a typesetter would set: apostrophes
become ’, quotes become the language's quotation marks (« » in French, “ ” in English,
and the alternate marks for a quote inside a quote), and French gets its no-break
spaces before ; : ! ? » and after «. ReportLab's Paragraph treats U+202F (the narrow
no-break space French typesetters use) as a breaking space, so we use U+00A0, which it
keeps unbroken. The inline marks (*italic*, **bold**) are read by :mod:`.marks`.

This module sits below the deck loader (which typesets with it), so it reads a deck and
a source by the few attributes it needs (:class:`HasLanguage`, :class:`HasReference`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterable, Protocol

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from .labels import COUNTS, GUIDE, LABELS, base_language
from .marks import escape_markup, to_markup

NBSP = "\u00a0"
APOSTROPHE = "\u2019"

# -- typography -------------------------------------------------------------------------

# The quotation marks of each language, primary then alternate (a quote inside a quote):
# CLDR's <delimiters> (common/main/en.xml), which Babel does not carry, hence the table.
# French departs from CLDR, whose fr.xml gives « » at both levels — the « … « … » … »
# readers noticed: the Imprimerie nationale's Lexique des règles typographiques puts
# “ ” inside « ».
QUOTES = {"fr": ("«", "»", "“", "”"), "en": ("“", "”", "‘", "’")}
# What goes between a French guillemet (the primary marks) and the words it quotes.
QUOTE_SPACE = {"fr": NBSP}
_OPENS, _CLOSES = "\ue000", "\ue001"  # a quotation's two ends while typography runs

# Units a number keeps on its line (a no-break space between them): in deck texts
# ("1,50 $", "0,3 kWh", "18 heures", "360 degrés"), and in the kit's printing notes
# ("300 g/m²", "110 lb", "3 mm").
TEXT_UNITS = r"[%$€£]|kWh|h\b|heures?\b|hours?\b|degrés\b|cents?\b|centimes\b"
PRINT_UNITS = r"g/m²|lb\b|mm\b"


def quote_marks(language: str, level: int = 0) -> tuple[str, str]:
    """The opening and closing marks (with their spaces) of a quote ``level`` deep."""
    marks = QUOTES.get(language, QUOTES["en"])
    first = 2 * (level % 2)
    space = "" if first else QUOTE_SPACE.get(language, "")
    return marks[first] + space, space + marks[first + 1]


def _quotations(text: str, language: str, level: int) -> str:
    """Straight double quotes (paired in order) and the language's own primary marks →
    the marks of each quotation's depth: primary, alternate inside, primary again."""
    text = re.sub(r'"([^"]*)"', lambda m: f"{_OPENS}{m.group(1).strip()}{_CLOSES}", text)
    opening, closing = QUOTES.get(language, QUOTES["en"])[:2]
    space = "[ \u00a0\u202f]*" if language in QUOTE_SPACE else ""
    text = re.sub(f"{re.escape(opening)}{space}", _OPENS, text)
    text = re.sub(f"{space}{re.escape(closing)}", _CLOSES, text)
    out, depth = [], level
    for piece in re.split(f"([{_OPENS}{_CLOSES}])", text):
        if piece == _OPENS:
            out.append(quote_marks(language, depth)[0])
            depth += 1
        elif piece == _CLOSES:
            depth = max(level, depth - 1)
            out.append(quote_marks(language, depth)[1])
        else:
            out.append(piece)
    return "".join(out)


def keep_units(text: str, units: str = TEXT_UNITS) -> str:
    """A number kept with its unit: the space between them made no-break."""
    return re.sub(f"(\\d) (?={units})", "\\1" + NBSP, text)


@lru_cache(maxsize=4096)  # validation checks the glyphs of the same typeset texts
def typography(text: str, language: str, level: int = 0) -> str:
    """Plain text as typed → typeset text (still plain; marks are kept).

    ``level``: how many quotations the text is printed inside (a testimony is printed
    as a quote: 1), so that its own quotes take the next level's marks.
    """
    text = " ".join(text.split())
    text = text.replace("...", "…")
    text = _quotations(text, language, level)
    if language == "fr":
        # A no-break space before ; : ! ? when they close a word (not in 18:00 or URLs).
        text = re.sub(r"(?<=[^\s;:!?])[ \u00a0\u202f]*([;:!?])(?=\s|$|[!?»)\]*])", NBSP + r"\1", text)
    text = re.sub(r"(^|[\s(«“])'", "\\1‘", text)
    text = text.replace("'", APOSTROPHE)
    return keep_units(text)


def unbreakable(text: str) -> str:
    """A name that must stay on one line ("CC BY-SA 4.0"): its spaces made no-break.
    Its hyphens hold too: ReportLab hyphenates only words made of letters (and hyphens),
    and a name joined by no-break spaces is not one."""
    return text.replace(" ", NBSP)


def quoted(text: str, language: str) -> str:
    """Markup of a typeset text printed as a quotation (typeset it at ``level=1``)."""
    opening, closing = quote_marks(language)
    return escape_markup(opening) + to_markup(text) + escape_markup(closing)


# -- deckprint's own words ----------------------------------------------------------------

def phrase(lang: str, key: str, **fields) -> str:
    """deckprint's words for ``key`` in ``lang`` (the card labels, then the guide's and
    the kit's), their ``{fields}`` filled in; as written, not typeset."""
    template = LABELS[lang][key] if key in LABELS[lang] else GUIDE[lang][key]
    return template.format(**fields) if fields else template


def typeset_phrase(lang: str, key: str, **fields) -> str:
    """:func:`phrase` typeset. The template is typeset, then filled: typography makes
    every space a plain one, and the fields keep their no-break spaces (sizes, names)."""
    text = typography(phrase(lang, key), lang)
    return text.format(**fields) if fields else text


def counted(lang: str, key: str, n: int, **fields) -> str:
    """``COUNTS[lang][key]`` in the form CLDR's plural rules give for ``n``: "1 sheet"
    and "2 sheets", but "0 feuille" and "1 000 000 de feuilles" in French."""
    forms = COUNTS[lang][key]
    return forms.get(_plural_rule(lang)(n), forms["other"]).format(n=n, **fields)


@lru_cache(maxsize=None)
def _plural_rule(lang: str):
    return Locale.parse(lang).plural_form


def number_runs(numbers: Iterable[int]) -> str:
    """``1–3, 5, 7–9``: numbers (cards, pages), compactly."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def page_list(pages: Iterable[int]) -> str:
    """``page 3``, ``pages 1–42``, ``pages 1–3, 5, 7–9``: the pages a finding of
    ``deckprint check`` was seen on (its reports are in English); empty for none."""
    pages = set(pages)
    return counted("en", "page_list", len(pages), numbers=number_runs(pages)) if pages else ""


def format_duration(minutes: int, lang: str) -> str:
    """``45 min``, ``2 h``, ``1 h 30`` (the guide's words say how, per language)."""
    h, m = divmod(minutes, 60)
    if not h:
        return phrase(lang, "minutes", n=m)
    return phrase(lang, "hours", h=h) if not m else phrase(lang, "hours_minutes", h=h, m=m)


def format_clock(minutes: int) -> str:
    """``0:10``: time from the start of the session, as on a stopwatch."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_mm(value: float, lang: str) -> str:
    """``3 mm``, ``215,9 mm`` in French: one decimal at most, the language's comma."""
    return f"{format_decimal(round(value, 1), locale=lang)}{NBSP}mm"


def format_size(width: float, height: float, lang: str) -> str:
    """``70 × 120 mm``, no-break spaces so that a size never splits across lines."""
    w, h = (format_decimal(round(v, 1), locale=lang) for v in (width, height))
    return f"{w}{NBSP}×{NBSP}{h}{NBSP}mm"


def long_date(date: dt.date, language: str) -> str:
    """``12 mars 2024``: Babel's long date for the deck's language tag (``fr-CA``), or
    for its base language when Babel does not know the tag."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse(base_language(language))
    return format_date(date, format="long", locale=locale)


class HasLanguage(Protocol):
    """What the words read of a deck: its language tag and the base language."""

    language: str  # the tag as written (fr, fr-CA)
    lang: str  # the base language deckprint knows (fr, en)


class HasReference(Protocol):
    """What the source line reads of a source."""

    publisher: str | None
    author: str | None
    date: dt.date | None


def source_line(source: HasReference, deck: HasLanguage) -> str:
    """Publisher · by author · published date, in the deck's language."""
    parts = []
    if source.publisher:
        parts.append(source.publisher)
    if source.author:
        parts.append(phrase(deck.lang, "by", author=source.author))
    if source.date:
        parts.append(phrase(deck.lang, "published", date=long_date(source.date, deck.language)))
    return " · ".join(parts)
