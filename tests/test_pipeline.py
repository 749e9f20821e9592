"""The pipeline: each card laid out once per build and shared by every output (on
several cores, streamed to the forked jobs that draw it, with the bytes of one
process), the outputs in their documented order, and a failure stopping every job."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FRENCH

from deckprint import pipeline
from deckprint.errors import UserError
from deckprint.load import load_deck
from deckprint.options import BuildOptions
from deckprint.processes import can_fork

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


@pytest.mark.parametrize("workers", [1, 2])
def test_every_card_is_laid_out_once_for_both_card_files(workers: int, tmp_path: Path, monkeypatch) -> None:
    """Before, each output laid out the cards it drew (in its own process, on two
    cores): print-and-play + print shop meant every card twice."""
    import multiprocessing

    import deckprint.layout.card as card_layout

    deck = load_deck(many_cards(tmp_path, pipeline.STREAM_CARDS))  # on two cores, streamed
    real, calls = card_layout.layout_front, multiprocessing.Value("i", 0)  # counted across processes

    def counted(deck, card, *args, **kwargs):
        with calls.get_lock():
            calls.value += 1
        return real(deck, card, *args, **kwargs)

    monkeypatch.setattr(card_layout, "layout_front", counted)
    outputs = pipeline.render_deck(deck, BuildOptions(targets=("pnp", "print"), check=False), workers=workers)
    assert [o.name for o in outputs] == ["many-pnp-a4.pdf", "many-print.pdf"]
    assert calls.value == len(deck.cards)


@pytest.mark.skipif(not can_fork(), reason="the cards are streamed to forked jobs")
def test_cards_streamed_to_forked_jobs_give_the_bytes_of_one_process(tmp_path: Path) -> None:
    deck = load_deck(many_cards(tmp_path, pipeline.STREAM_CARDS + 4))  # several chunks, the last one short
    options = BuildOptions(targets=("pnp", "print", "png"), dpi=72, check=False)
    streamed = pipeline.render_deck(deck, options, workers=3)  # the PNG faces in three jobs, each a part
    serial = pipeline.render_deck(deck, options, workers=1)
    assert [(o.name, o.data) for o in streamed] == [(o.name, o.data) for o in serial]
    assert len(streamed) == 2 + 2 * len(deck.cards)


@pytest.mark.skipif(not can_fork(), reason="the cards are streamed to forked jobs")
def test_a_card_that_does_not_fit_stops_the_jobs_waiting_for_it(tmp_path: Path) -> None:
    count = pipeline.STREAM_CARDS
    deck = load_deck(many_cards(tmp_path, count, too_long=count))  # the last card: its jobs have drawn the rest
    with pytest.raises(UserError) as caught:
        pipeline.render_deck(deck, BuildOptions(out=tmp_path / "out", targets=("pnp", "print")), workers=2)
    assert re.search(rf'many\.yaml:\d+:\d+: cards\[{count - 1}\]\.testimony: card {count} "Person {count}": '
                     "the testimony, conditions and impact need", str(caught.value))
    assert not (tmp_path / "out").exists()


def test_a_small_decks_cards_are_drawn_here_while_the_posters_are_forked(monkeypatch) -> None:
    """Below STREAM_CARDS the card files are made in this process (forking and feeding
    one costs more than drawing 21 cards); only the posters and guide are forked."""
    import os

    from deckprint.targets import cards

    real, pids = cards.print_shop, []
    monkeypatch.setattr(cards, "print_shop", lambda *a, **k: pids.append(os.getpid()) or real(*a, **k))
    deck = load_deck(FRENCH)
    assert len(deck.cards) < pipeline.STREAM_CARDS
    outputs = pipeline.render_deck(deck, BuildOptions(targets=("print", "posters"), check=False), workers=2)
    assert [o.name for o in outputs] == ["travailleurs-ia-print.pdf", "travailleurs-ia-posters-a3.pdf"]
    assert pids == [os.getpid()]


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
