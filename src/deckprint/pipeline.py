"""One pipeline for every command that makes files: load → lay out → draw → check → write.

``deckprint build``, ``kit`` and ``preview`` all go through :func:`make` (``build`` and
``kit`` through :func:`run`, which loads the deck first; ``preview`` loads it itself to
size its progress bar). What differs is only the targets asked for
(:class:`~deckprint.options.BuildOptions`): a kit is its PDFs packed with a read-me
and a zip (``targets/kit.py``), a preview one contact sheet (``targets/preview.py``).
The targets turn laid-out cards into bytes; checking and writing happen here and in
``write.py``, for all of them alike.

How the work is shared between the cores, and why (measured with
``benchmarks/bench.py`` on a 1,000-card deck, print-and-play + print shop):

1. **Load**, here: the deck read and resolved (0.45 s), every card's QR code made and
   checked (``Fronts.checked``, 0.2 s), so that every process forked below has them.
2. **Fork every job**: one per file (the PNG faces: per slice of cards), each
   followed by the preflight of what it drew (``deckprint check``), so that a file
   that fails is never written. Those that draw no card (posters, guide) start at once.
3. **Lay out every card once, here, and stream it** (:class:`~.processes.Feed`) to
   the jobs that draw cards, which draw each card as it comes: the layout (1.1 s)
   overlaps the drawing, and both cores are busy from the first card to the last
   check. A card travels pickled, 25 at a time, the same bytes to every job (0.15 s
   to pickle the deck's cards once, 0.12 s for each job to read them back).
4. **Write** (``write.py``): every file together, or none.

Why streamed, not shared: laid out here and kept for forked jobs to read (copy-on-
write), the cards of a 5,000-card deck stay in memory in every process, 520 MB for the
largest (issue 7's budget is 500 MB); streamed, each job holds a few chunks, 350 MB.
Before, each job laid out the cards it drew, so two card files meant the layout twice
(12.4 s of CPU for 7 s of wall). On one core (``taskset``, a container) nothing is
forked or pickled: the cards are laid out once into a list that each job reads in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .errors import UserError
from .layout.back import CardBack, layout_back
from .layout.card import CardFront, Fronts
from .deck import Deck
from .load import load_deck
from .options import KIT, PREVIEW, BuildOptions
from .processes import Feed, Forked, can_fork, collector_paused, usable_cores
from .targets import Output, Stale
from .write import safe_name, write_outputs

Job = Callable[[], "Output | list[Output]"]
Progress = Callable[[int], None]
# Below this many cards, the jobs that draw them run in this process, one after the
# other, while the others (posters, guide) run forked: the bundled 21-card deck's card
# files take 0.05 s each, less than forking and feeding a process costs.
STREAM_CARDS = 100


@dataclass
class Run:
    """What one run wrote, for one deck."""

    deck: Deck
    folder: Path  # OUT/<deck-id>
    written: list[tuple[Path, Output]] = field(default_factory=list)


def load(path: Path, options: BuildOptions) -> Deck:
    return load_deck(path, max_bytes=options.max_bytes)


@collector_paused
def run(path: Path, options: BuildOptions, *, workers: int = 0) -> Run:
    """Load the deck at ``path`` and :func:`make` its outputs."""
    return make(load(path, options), options, workers=workers)


@collector_paused
def make(deck: Deck, options: BuildOptions, *, workers: int = 0, progress: Progress | None = None) -> Run:
    """Lay out, draw, check and write every output ``options`` asks for, into
    ``OUT/<deck-id>/``: all of them, or (on a UserError) none. ``progress(n)`` is told
    of cards laid out and, for a preview, rendered."""
    folder = options.out / safe_name(deck.id)
    outputs = render_deck(deck, options, workers=workers, progress=progress)
    stale = [rule for target, rules in STALE.items() if target in options.targets
             for rule in rules(deck, outputs)]
    return Run(deck, folder, write_outputs(folder, outputs, stale))


def render_deck(deck: Deck, options: BuildOptions, *, workers: int = 0,
                progress: Progress | None = None) -> list[Output]:
    """Every requested output of one deck, in memory: nothing is written here.
    Outputs are listed in :data:`TARGETS` order, whatever order they are made in."""
    if KIT in options.targets:
        return _kit(deck, options, workers)
    plan = _Plan(deck, options, workers or usable_cores(), progress)
    plan.fronts(options.bleed_mm)  # every QR code, whatever the targets: a deck problem
    if options.check:
        from . import preflight  # noqa: F401 -- imported once here, not in each forked job
    wanted = [name for name in TARGETS if name in options.targets]
    if plan.forks:
        made = _in_parallel(plan, wanted)
    else:
        made = {name: [job() for job in _jobs(plan, name)] for name in wanted}
    return [output for name in wanted for result in made[name]
            for output in (result if isinstance(result, list) else [result])]


def _in_parallel(plan: _Plan, wanted: list[str]) -> dict[str, list]:
    """The jobs that draw no card forked first; then those that draw cards, forked and
    fed the cards as they are laid out here (see the module's doc), or, for a deck of
    few cards, run here once they are laid out."""
    here: dict[str, list[Job]] = {}
    forked: list[str] = []
    with Forked() as children:
        for name in sorted(wanted, key=lambda name: TARGETS[name].cards):
            plan.asked.clear()
            for job in _jobs(plan, name):  # the cards laid out here now, unless streamed
                if TARGETS[name].cards and not plan.streams:
                    here.setdefault(name, []).append(job)
                else:
                    forked.append(name)
                    children.start(plan.reading(job) if plan.asked else job)
        plan.produce()
        made = {name: [job() for job in here.get(name, [])] for name in wanted}
        for name, result in zip(forked, children.results()):
            made[name].append(result)
    return made


def _jobs(plan: _Plan, name: str) -> list[Job]:
    """A target's jobs, each followed by the preflight of what it draws (when asked)."""
    jobs = TARGETS[name].jobs(plan)
    if plan.options.check:
        jobs = [partial(_checked, job, plan.deck, plan.options.bleed_mm) for job in jobs]
    return jobs


@dataclass
class _Plan:
    """One deck's run: the cards of each bleed laid out once, here. On one core, into a
    list every job reads in turn; with more, into a :class:`Feed` that streams them to
    the forked jobs that draw them."""

    deck: Deck
    options: BuildOptions
    workers: int
    progress: Progress | None = None
    _fronts: dict[float, Fronts] = field(default_factory=dict)
    _cards: dict[float, tuple[list[CardFront] | Feed, CardBack]] = field(default_factory=dict)
    asked: set[float] = field(default_factory=set)  # the bleeds whose cards were asked for

    @property
    def forks(self) -> bool:
        return self.workers > 1 and can_fork()

    @property
    def streams(self) -> bool:
        """The cards go to forked jobs (a :class:`Feed`), not into a list read here."""
        return self.forks and len(self.deck.cards) >= STREAM_CARDS

    def fronts(self, bleed_mm: float) -> Fronts:
        """The fronts to lay out; their QR codes are made (and known to print) here."""
        if bleed_mm not in self._fronts:
            self._fronts[bleed_mm] = Fronts.checked(self.deck, bleed_mm)
        return self._fronts[bleed_mm]

    def cards(self, bleed_mm: float) -> tuple[Sequence[CardFront], CardBack]:
        """Every front laid out with ``bleed_mm`` (a list, or the feed that will bring
        them), and the back."""
        if bleed_mm not in self._cards:
            fronts = self.fronts(bleed_mm)
            laid_out = Feed(len(fronts)) if self.streams else list(self._lay_out(fronts))
            self._cards[bleed_mm] = laid_out, layout_back(self.deck, bleed_mm)
        self.asked.add(bleed_mm)
        return self._cards[bleed_mm]

    def reading(self, job: Job) -> Job:
        """``job``, to be forked, reading the feeds :meth:`cards` gave out since
        :attr:`asked` was last cleared: a reader's end of each is made now. (A feed
        written to a job that never reads it would fill and stall.)"""
        ends = [(self._cards[bleed_mm][0], self._cards[bleed_mm][0].connect()) for bleed_mm in self.asked]
        return partial(_reading, job, ends, [fronts for fronts, _ in self._cards.values()])

    def produce(self) -> None:
        """Lay out every card once, here, into the feeds (their readers are forked)."""
        for bleed_mm, (fronts, _) in self._cards.items():
            if isinstance(fronts, Feed):
                fronts.produce(self._lay_out(self.fronts(bleed_mm)))

    def _lay_out(self, fronts: Fronts) -> Iterator[CardFront]:
        for index in range(len(fronts)):
            yield fronts[index]  # a DeckError naming every card that does not fit
            if self.progress is not None:
                self.progress(1)


def _reading(job: Job, ends: list[tuple[Feed, object]], feeds: list[Feed]) -> Output | list[Output]:
    """In the forked job: its ends of the feeds it reads; the writers' ends it inherited closed."""
    for feed in feeds:
        feed.close()
    for feed, end in ends:
        feed.attach(end)
    return job()


# -- the targets: each a function from the run's plan to its jobs ----------------------

def _pnp(plan: _Plan) -> list[Job]:
    from .targets import cards

    o = plan.options
    fronts, back = plan.cards(o.bleed_mm)
    return [partial(cards.print_and_play, plan.deck, fronts, back, paper=paper, duplex=o.duplex,
                    back_offset_mm=o.back_offset_mm, bleed_mm=o.bleed_mm) for paper in o.papers]


def _print(plan: _Plan) -> list[Job]:
    from .targets import cards

    fronts, back = plan.cards(plan.options.bleed_mm)
    return [partial(cards.print_shop, plan.deck, fronts, back, bleed_mm=plan.options.bleed_mm)]


def _posters(plan: _Plan) -> list[Job]:
    from .targets.posters import posters

    return [partial(posters, plan.deck, size=plan.options.poster_size, bleed_mm=plan.options.bleed_mm)]


def _guide(plan: _Plan) -> list[Job]:
    from .targets.guide import guide

    o = plan.options
    return [partial(guide, plan.deck, papers=o.papers, duplex=o.duplex, bleed_mm=o.bleed_mm,
                    poster_size=o.poster_size)]


def _png(plan: _Plan) -> list[Job]:
    """The faces at a print service's own bleed when it has one: the band and the
    back reach it, so the cards are laid out at that bleed."""
    from .shops import face_format
    from .targets.png import png_jobs

    o = plan.options
    fmt = face_format(o.shop, plan.deck, bleed_mm=o.bleed_mm, dpi=o.dpi)
    fronts, back = plan.cards(fmt.bleed_mm)
    return png_jobs(plan.deck, fronts, back, fmt, plan.workers)


def _preview(plan: _Plan) -> list[Job]:
    from .targets.preview import contact_sheet

    fronts, back = plan.cards(plan.options.bleed_mm)
    return [partial(contact_sheet, plan.deck, fronts, back, bleed_mm=plan.options.bleed_mm,
                    progress=plan.progress)]


class Target(NamedTuple):
    jobs: Callable[[_Plan], list[Job]]
    cards: bool  # draws the cards: its jobs wait for the layout


# In the order their outputs are listed.
TARGETS: dict[str, Target] = {
    "pnp": Target(_pnp, True), "print": Target(_print, True), "posters": Target(_posters, False),
    "guide": Target(_guide, False), "png": Target(_png, True), PREVIEW: Target(_preview, True),
}


def _kit(deck: Deck, options: BuildOptions, workers: int) -> list[Output]:
    """The kit's PDFs, drawn and checked (always) like a build's, then packed."""
    from .targets import kit

    parts = replace(options, targets=kit.PARTS, papers=kit.PAPERS, check=True)
    return kit.package(deck, render_deck(deck, parts, workers=workers), parts)


def _kit_stale(deck: Deck, outputs: list[Output]) -> list[Stale]:
    from .targets import kit

    return [kit.stale(deck)]


def _png_stale(deck: Deck, outputs: list[Output]) -> list[Stale]:
    from .targets import png

    return png.stale(outputs)


# What an earlier run may have left that this one replaces (write.remove_stale).
STALE: dict[str, Callable[[Deck, list[Output]], list[Stale]]] = {"png": _png_stale, KIT: _kit_stale}


def _checked(job: Job, deck: Deck, bleed_mm: float) -> Output | list[Output]:
    """Run an output job, then the preflight on each PDF it made, in the same process:
    a file that fails the checks is never written."""
    from .preflight import check_pdf_data

    result = job()
    for output in result if isinstance(result, list) else [result]:
        if output.name.endswith(".pdf"):
            report = check_pdf_data(output.data, Path(output.name), min_bleed_mm=min(bleed_mm, 3.0),
                                    qr_once_per_form=True)
            if report.failed:
                findings = "\n".join(f"  {line}" for line in report.lines())
                raise UserError(f"{deck.raw.name}: {output.name} fails the print checks, so it was not "
                                f"written:\n{findings}")
    return result
