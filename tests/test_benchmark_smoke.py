"""The benchmark's deck generator writes valid decks, and its floors draw the pages
they stand for (the benchmark itself is a report, run by hand: python
benchmarks/bench.py; nothing here is timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf

from conftest import decode_qr, render

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def make_deck(n: int, path: Path) -> Path:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synthetic import make_deck
    finally:
        sys.path.remove(str(BENCHMARKS))
    return make_deck(n, path)


def test_generated_deck_is_valid(tmp_path):
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


def test_the_tuned_floor_draws_the_same_pages_without_ascii85(tmp_path):
    from deckprint.load import load_deck

    deck_path = make_deck(2, tmp_path / "synthetique-2.yaml")
    files = {}
    for name, extra in (("plain", []), ("tuned", ["--tuned"])):
        files[name] = tmp_path / f"{name}.pdf"
        subprocess.run([sys.executable, str(BENCHMARKS / "floor.py"), str(deck_path), "--out", str(files[name]),
                        *extra], check=True)

    def filters(path: Path) -> set[str]:
        with pikepdf.open(path) as pdf:
            return {str(f) for page in pdf.pages for stream in [page.obj.Contents]
                    for f in (stream.get("/Filter") if isinstance(stream.get("/Filter"), pikepdf.Array)
                              else [stream.get("/Filter")])}

    assert "/ASCII85Decode" in filters(files["plain"])
    assert "/ASCII85Decode" not in filters(files["tuned"])
    url = load_deck(deck_path).cards[1].source.url
    for path in files.values():
        assert len(pikepdf.open(path).pages) == 4  # front, back, front, back
        assert decode_qr(render(path, 2)) == [url]  # the second card's own source
