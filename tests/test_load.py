"""The resolver (deckprint.load): a deck file becomes the resolved deck of
deckprint.deck, with its lengths converted to points once, when it is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ENGLISH, FRENCH
from deckprint import deck as resolved
from deckprint.load import load_deck
from deckprint.sizes import mm

DECK = """deckprint: 1
deck:
  id: tiny
  title: Tiny
  language: en
  card: {card}
  source:
    url: https://example.org
cards:
  - name: Hao
    role: Miner
    country: CN
    testimony: I dig.
"""


@pytest.mark.parametrize("card, size_mm", [("poker", (63.5, 88.9)), ("70,5 x 110 mm", (70.5, 110.0))])
def test_the_card_size_in_points_once(card: str, size_mm: tuple, tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text(DECK.format(card=card), encoding="utf-8")
    deck = load_deck(path)
    assert deck.card_mm == size_mm
    # The very floats layout computes from card_mm today (mm(w), mm(h)): using card_pt
    # instead changes no byte.
    assert deck.card_pt == (mm(size_mm[0]), mm(size_mm[1]))
    assert deck.card_pt == pytest.approx((size_mm[0] * 72 / 25.4, size_mm[1] * 72 / 25.4))


@pytest.mark.parametrize("path", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_the_bundled_decks_resolve_to_the_resolved_deck(path: Path) -> None:
    deck = load_deck(path)
    assert type(deck) is resolved.Deck
    assert all(type(card) is resolved.Card and type(card.source) is resolved.Source for card in deck.cards)
    assert all(type(category) is resolved.Category for category in deck.categories)
    assert deck.card_pt == (mm(deck.card_mm[0]), mm(deck.card_mm[1]))
