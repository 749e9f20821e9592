"""The benchmark's deck generator writes valid decks (the benchmark itself is a report,
run by hand: python benchmarks/bench.py; nothing here is timed)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_generated_deck_is_valid(tmp_path):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from bench import make_deck
    finally:
        sys.path.remove(str(BENCHMARKS))
    from deckprint.load import load_deck

    deck = load_deck(make_deck(6, tmp_path / "synthetique-6.yaml"))

    assert len(deck.cards) == 6
    assert deck.language == "fr"
    own = [c for c in deck.cards if c.source.url != deck.source.url]
    assert len(own) == 3  # half the cards carry their own, distinct URL
    assert len({c.source.url for c in own}) == 3
    assert all(100 <= len(c.source.url) <= 130 for c in own)
    for card in deck.cards:
        assert 150 <= len(card.testimony) <= 460  # typography may add no-break spaces
        assert 3 <= len(card.conditions) <= 6
