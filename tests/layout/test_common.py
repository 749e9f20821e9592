"""What the layouts share: boxes, colours for ReportLab, text styles in the deck's fonts."""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor

from conftest import FRENCH
from deckprint.colors import CMYK
from deckprint.layout.common import Box, cmyk_color, styler
from deckprint.load import load_deck


def test_a_box_contains_what_lies_within_it_give_or_take_a_hundredth_of_a_point() -> None:
    box = Box(10, 20, 100, 50)
    assert (box.right, box.top) == (110, 70)
    assert box.contains(Box(10, 20, 100, 50)) and box.contains(Box(9.995, 20, 100.005, 50))
    assert not box.contains(Box(9.9, 20, 10, 10)) and not box.contains(Box(50, 60, 10, 10.1))


def test_colours_stay_cmyk() -> None:
    assert cmyk_color(CMYK(0.1, 0.2, 0.3, 0.4)) == CMYKColor(0.1, 0.2, 0.3, 0.4)


def test_styles_take_the_deck_s_fonts_and_language_and_are_black_unless_told() -> None:
    deck = load_deck(FRENCH)
    style = styler(deck)
    assert style(12).font == deck.font.regular and style(12, bold=True).font == deck.font.bold
    assert style(12, italic=True).font == deck.font.italic
    assert style(12).color == CMYKColor(0, 0, 0, 1) and style(12).language == deck.lang == "fr"
    white = CMYKColor(0, 0, 0, 0)
    assert style(9.5, color=white, align=2).color == white and style(9.5).size == 9.5
