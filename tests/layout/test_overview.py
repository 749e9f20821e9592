"""The overview poster on numbers, no PDF: tiles in four columns inside the safe zone,
between the header band and the footer, read top to bottom, left to right, in the
deck's category order, with balanced columns on the last page."""

from __future__ import annotations

import pytest

from conftest import ENGLISH, FRENCH
from deckprint.layout.overview import COLUMNS, layout_overview, overview_groups
from deckprint.layout.poster import poster_format
from deckprint.load import load_deck


@pytest.fixture(scope="module", params=[(FRENCH, "a3"), (ENGLISH, "a1")], ids=["fr-a3", "en-a1"])
def overview(request):
    deck_path, size = request.param
    deck = load_deck(deck_path)
    return deck, layout_overview(deck, poster_format(size))


def test_tiles_and_headings_stay_between_the_band_and_the_footer(overview) -> None:
    _, pages = overview
    for page in pages:
        band = page.fills[0][0]
        rule_y = min(t.box.top for t in page.texts if t.field == "source_heading")
        for item in [*page.tiles, *page.headings]:
            assert page.safe.contains(item.box)
            assert item.box.top <= band.y and item.box.y >= rule_y
        for placed in page.texts:
            if placed.field.startswith("tile_"):
                assert any(t.box.contains(placed.box) for t in page.tiles), placed.field


def test_columns_read_in_the_deck_s_category_order(overview) -> None:
    deck, pages = overview
    reading = [t for page in pages for t in sorted(page.tiles, key=lambda t: (t.column, -t.box.top))]
    expected = [card for group in overview_groups(deck) for card in group.cards]
    assert [t.card.index for t in reading] == [c.index for c in expected]
    for page in pages:
        assert {t.column for t in page.tiles} <= set(range(COLUMNS))
        width = page.tiles[0].box.w
        for a in page.tiles:  # columns side by side, never overlapping
            for b in page.tiles:
                if a.column < b.column:
                    assert a.box.right <= b.box.x - width * 0.05


def test_the_last_page_s_columns_are_balanced(overview) -> None:
    _, pages = overview
    page = pages[-1]
    bottoms = [min(t.box.y for t in page.tiles if t.column == c) for c in range(COLUMNS)
               if any(t.column == c for t in page.tiles)]
    tallest_tile = max(t.box.h for t in page.tiles)
    assert max(bottoms) - min(bottoms) <= tallest_tile * 1.6
