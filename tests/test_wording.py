"""Text in the deck's language (wording.py): typography, and the words deckprint writes
itself — labels, counts, dates, durations, lists, sizes, the source line."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from conftest import normalise, page_texts
from deckprint.labels import COUNTS, GUIDE, LABELS
from deckprint.wording import (PRINT_UNITS, counted, format_clock, format_duration, format_mm, format_size,
                               keep_units, long_date, number_runs, page_list, phrase, quote_marks, source_line,
                               typeset_phrase, typography)

NB = "\u00a0"


# -- typography ---------------------------------------------------------------------------

def test_french_spaces_quotes_and_apostrophes() -> None:
    assert typography('Je les classe comme "utiles" ou "nocives" : l\'IA !', "fr") == \
        f"Je les classe comme «{NB}utiles{NB}» ou «{NB}nocives{NB}»{NB}: l’IA{NB}!"
    assert typography("« terres rares »", "fr") == f"«{NB}terres rares{NB}»"
    assert typography("des IA: analyse ; pourquoi?", "fr") == f"des IA{NB}: analyse{NB}; pourquoi{NB}?"
    # no space inserted in times, URLs or ratios
    assert typography("à 18:00 sur https://example.org", "fr") == "à 18:00 sur https://example.org"
    assert typography("1,50 $/heure et 0,3 kWh", "fr") == f"1,50{NB}$/heure et 0,3{NB}kWh"


def test_english_quotes_and_apostrophes() -> None:
    assert typography('They are "helpful"; it\'s fine!', "en") == "They are “helpful”; it’s fine!"


# -- quotations inside quotations (CLDR's alternate marks) --------------------------------

def test_a_quote_inside_a_quote_takes_the_alternate_marks() -> None:
    assert typography('They are "helpful"', "en", level=1) == "They are ‘helpful’"
    assert typography("They are “helpful”", "en", level=1) == "They are ‘helpful’"  # typed curly
    assert typography('“a "b" c”', "en") == "“a ‘b’ c”"
    assert typography('"a “b” c"', "en", level=1) == "‘a “b” c’"  # and primary again below
    # French: “ ” inside « » (Imprimerie nationale), with no spaces inside them.
    assert typography('les "utiles"', "fr", level=1) == "les “utiles”"
    assert typography('« des « terres rares » »', "fr") == f"«{NB}des “terres rares”{NB}»"
    assert quote_marks("fr") == (f"«{NB}", f"{NB}»") and quote_marks("en", 1) == ("‘", "’")
    assert quote_marks("fr", 1) == ("“", "”") and quote_marks("fr", 2) == (f"«{NB}", f"{NB}»")


def test_the_testimony_quotes_are_one_level_down_on_the_built_card(built) -> None:
    texts = page_texts(built / "ai-workers" / "ai-workers-print.pdf")
    amina = normalise(next(t for t in texts if "Amina" in t))
    assert "“On a micro-task platform" in amina
    assert "I label them ‘helpful’ or ‘harmful’ to fine-tune the language model.”" in amina
    texts = page_texts(built / "travailleurs-ia" / "travailleurs-ia-print.pdf")
    amina = normalise(next(t for t in texts if "Amina" in t))
    assert "Je les classe comme “utiles” ou “nocives”" in amina


def test_a_number_keeps_its_unit() -> None:
    assert typography("18 heures et 360 degrés", "fr") == f"18{NB}heures et 360{NB}degrés"
    assert keep_units("200 à 300 g/m², 80–110 lb, 3 mm", PRINT_UNITS) == f"200 à 300{NB}g/m², 80–110{NB}lb, 3{NB}mm"
    assert keep_units("3 mm") == "3 mm"  # deck texts: only the units of TEXT_UNITS


# -- deckprint's own words ----------------------------------------------------------------

def test_a_key_names_one_phrase_whichever_table_holds_it() -> None:
    for lang in LABELS:
        assert not set(LABELS[lang]) & set(GUIDE[lang])
    assert phrase("fr", "by", author="Ada") == "par Ada"
    assert phrase("en", "card_of", n=3, total=21) == "3 / 21"
    assert phrase("fr", "guide") == "Guide d'animation"  # as written


def test_a_typeset_phrase_is_typeset_then_filled() -> None:
    assert typeset_phrase("fr", "guide") == "Guide d’animation"
    # the template's spaces are typeset; the field keeps its no-break spaces
    assert typeset_phrase("fr", "license_text", license=f"CC{NB}BY") == f"Licence{NB}: CC{NB}BY."
    assert typeset_phrase("en", "readme_intro", title="X").startswith("This folder")


def test_counted_follows_each_language_s_plural_rules() -> None:
    assert [counted("en", "sheets", n) for n in (0, 1, 2)] == ["0 sheets", "1 sheet", "2 sheets"]
    assert [counted("fr", "sheets", n) for n in (0, 1, 2)] == ["0 feuille", "1 feuille", "2 feuilles"]
    assert counted("fr", "cards", 1_000_000) == "1000000 de cartes"
    assert counted("en", "source_cards", 2, numbers="1–2") == "Cards 1–2"
    assert all(set(COUNTS[lang]) == set(COUNTS["en"]) for lang in COUNTS)


def test_number_runs_and_page_lists() -> None:
    assert number_runs((7, 1, 2, 3, 5, 9, 8, 2)) == "1–3, 5, 7–9"
    assert number_runs([4]) == "4" and number_runs([]) == ""
    # deckprint check's pages (its reports are in English): what preflight.page_list gives
    assert page_list([3]) == "page 3"
    assert page_list(range(1, 43)) == "pages 1–42"
    assert page_list([9, 1, 2, 3, 5, 7, 8]) == "pages 1–3, 5, 7–9"
    assert page_list([]) == ""


def test_durations_and_clock_times() -> None:
    assert [format_duration(m, "fr") for m in (45, 120, 90, 65)] == ["45 min", "2 h", "1 h 30", "1 h 05"]
    assert format_duration(150, "en") == "2 h 30"
    assert [format_clock(m) for m in (0, 10, 75)] == ["0:00", "0:10", "1:15"]


def test_sizes_in_the_language_s_numbers_with_no_break_spaces() -> None:
    assert format_mm(215.94, "fr") == f"215,9{NB}mm" and format_mm(3, "en") == f"3{NB}mm"
    assert format_size(63.5, 88, "fr") == f"63,5{NB}×{NB}88{NB}mm"


@pytest.mark.parametrize("tag, expected", [
    ("fr", "12 mars 2024"), ("fr-CA", "12 mars 2024"), ("en", "March 12, 2024"),
    ("en-GB", "12 March 2024"),  # the tag's region, when Babel knows it
    ("fr-XX", "12 mars 2024"), ("en-foo", "March 12, 2024"),  # else the base language
])
def test_long_dates_in_the_deck_s_language(tag: str, expected: str) -> None:
    assert long_date(dt.date(2024, 3, 12), tag) == expected


def test_the_source_line() -> None:
    deck = SimpleNamespace(language="en-GB", lang="en")
    source = SimpleNamespace(publisher="The Verge", author="Ada Lovelace", date=dt.date(2024, 3, 12))
    assert source_line(source, deck) == "The Verge · by Ada Lovelace · published 12 March 2024"
    french = SimpleNamespace(language="fr", lang="fr")
    assert source_line(SimpleNamespace(publisher=None, author="Ada", date=dt.date(2024, 3, 1)), french) == \
        "par Ada · publié le 1 mars 2024"
    assert source_line(SimpleNamespace(publisher=None, author=None, date=None), french) == ""
