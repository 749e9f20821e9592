"""The pipeline: each card laid out once per build and shared by every output, in
parallel slices that give the same cards, the outputs in their documented order, and
the failures of a forked slice or job reported like the parent's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FRENCH
from deckprint import pipeline
from deckprint.errors import UserError
from deckprint.layout.back import layout_back
from deckprint.layout.card import Fronts, layout_deck
from deckprint.load import load_deck
from deckprint.options import BuildOptions
from deckprint.processes import can_fork
from deckprint.targets.cards import print_shop

CARD = """\
  - name: Person {n}
    role: Annotator
    country: Kenya
    category: one
    testimony: I label images all day, number {n} of many, for a model I will never use.
    conditions: [Low pay, Long hours]
    source:
      url: https://example.org/people/{n}
"""


def many_cards(folder: Path, count: int, *, too_long: int | None = None) -> Path:
    """A deck of ``count`` cards, each with its own source; card ``too_long`` has a
    testimony that fits no card."""
    cards = "".join(CARD.format(n=n) for n in range(1, count + 1))
    if too_long is not None:
        cards = cards.replace(f"number {too_long} of many", f"number {too_long} " + "of many " * 400, 1)
    path = folder / "many.yaml"
    path.write_text("deckprint: 1\ndeck:\n  id: many\n  title: Many cards\n  language: en\n"
                    "categories:\n  one:\n    label: One\n    color: \"#336699\"\ncards:\n" + cards,
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    return load_deck(many_cards(tmp_path_factory.mktemp("many"), 2 * pipeline.LAYOUT_SLICE + 7))


def test_every_card_is_laid_out_once_for_both_card_files(monkeypatch) -> None:
    """Before, each output laid out the cards it drew: print-and-play + print shop
    meant every card twice."""
    import deckprint.layout.card as card_layout

    deck = load_deck(FRENCH)
    real, calls = card_layout.layout_front, []

    def counted(deck, card, *args, **kwargs):
        calls.append(card.number)
        return real(deck, card, *args, **kwargs)

    monkeypatch.setattr(card_layout, "layout_front", counted)
    outputs = pipeline.render_deck(deck, BuildOptions(targets=("pnp", "print"), check=False), workers=1)
    assert [o.name for o in outputs] == ["travailleurs-ia-pnp-a4.pdf", "travailleurs-ia-print.pdf"]
    assert sorted(calls) == [card.number for card in deck.cards]


@pytest.mark.skipif(not can_fork(), reason="slices are laid out in forked processes")
def test_slices_laid_out_in_parallel_are_the_cards_laid_out_here(deck) -> None:
    progress: list[int] = []
    parallel = pipeline.lay_out_fronts(Fronts.checked(deck, 3.0), workers=2, progress=progress.append)
    serial = layout_deck(deck, 3.0)
    assert [front.card.number for front in parallel] == [card.number for card in deck.cards]
    assert sum(progress) == len(deck.cards)  # a bar reaches its end
    back = layout_back(deck, 3.0)
    assert print_shop(deck, parallel, back, bleed_mm=3.0).data == print_shop(deck, serial, back, bleed_mm=3.0).data


@pytest.mark.skipif(not can_fork(), reason="slices are laid out in forked processes")
def test_a_card_that_does_not_fit_in_a_forked_slice_is_a_located_error(tmp_path: Path) -> None:
    count = 2 * pipeline.LAYOUT_SLICE
    deck = load_deck(many_cards(tmp_path, count, too_long=count))  # in the second slice
    with pytest.raises(UserError) as caught:
        pipeline.render_deck(deck, BuildOptions(out=tmp_path / "out", targets=("print",), check=False), workers=2)
    assert re.search(rf'many\.yaml:\d+:\d+: cards\[{count - 1}\]\.testimony: card {count} "Person {count}": '
                     "the testimony, conditions and impact need", str(caught.value))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_outputs_come_in_target_order_whatever_order_they_are_made_in(workers: int) -> None:
    # posters and guide draw no card: they start first, in forked processes.
    deck = load_deck(FRENCH)
    options = BuildOptions(targets=("guide", "posters", "print", "pnp"), papers=("a4", "letter"), check=False)
    names = [o.name for o in pipeline.render_deck(deck, options, workers=workers)]
    assert names == ["travailleurs-ia-pnp-a4.pdf", "travailleurs-ia-pnp-letter.pdf", "travailleurs-ia-print.pdf",
                     "travailleurs-ia-posters-a3.pdf", "travailleurs-ia-guide.pdf"]


def test_make_writes_into_the_decks_folder_and_says_what_it_wrote(tmp_path: Path) -> None:
    deck = load_deck(FRENCH)
    run = pipeline.make(deck, BuildOptions(out=tmp_path, targets=("print", "posters"), check=False), workers=1)
    assert run.folder == tmp_path / "travailleurs-ia"
    assert [(path.name, output.pages) for path, output in run.written] == [
        ("travailleurs-ia-print.pdf", 42), ("travailleurs-ia-posters-a3.pdf", 22)]
    for path, output in run.written:
        assert path.read_bytes() == output.data
