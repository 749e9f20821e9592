"""One pipeline for every command that makes files: load → lay out → draw → check → write.

``deckprint build``, ``kit`` and ``preview`` all go through :func:`make` (``build`` and
``kit`` through :func:`run`, which loads the deck first; ``preview`` loads it itself to
size its progress bar). What differs is only the targets asked for
(:class:`~deckprint.options.BuildOptions`): a kit is its PDFs packed with a read-me
and a zip (``targets/kit.py``), a preview one contact sheet (``targets/preview.py``).
The targets turn laid-out cards into bytes; checking and writing happen here and in
``write.py``, for all of them alike.

How the work is shared between the cores, and why (measured with
``benchmarks/bench.py`` on a 1,000-card deck, print-and-play + print shop, 2 cores):

1. **Load**, here: the deck file read and resolved (0.45 s), then every card's QR
   code (``Fronts.checked``, 0.2 s), so that every process forked below has them.
2. **Lay out once**, in parallel: the cards in one slice per core, the first slice
   here, the others in forked children that send their cards back pickled (ReportLab's
   wrapped paragraphs pickle: 0.1 s a 500-card slice to send, 0.1 s to read, against
   0.55 s to lay it out). Before, each output process laid out every card it drew, so
   two files meant the layout twice (2.3 s of CPU for 1.1 s); laying out here alone
   before forking would leave the second core idle for that time.
3. **Draw and check**: one job per file (the PNG faces: per slice of cards), forked
   from this process once every card is laid out, so each job reads the same layouts
   through copy-on-write memory, with nothing copied. Each job preflights the PDFs it
   drew (``deckprint check``) in its own process, so the two cores share that too, and
   a file that fails is never written.
4. **Write** (``write.py``): every file together, or none.

On one core (``taskset``, a container) nothing is forked: the same steps run one
after the other, with nothing laid out twice and nothing pickled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from .errors import UserError
from .layout.back import CardBack, layout_back
from .layout.card import CardFront, Fronts
from .load import Deck, load_deck
from .options import KIT, PREVIEW, BuildOptions
from .processes import Forked, can_fork, collector_paused, run_jobs, usable_cores
from .targets import Output, Stale
from .write import safe_name, write_outputs

Job = Callable[[], "Output | list[Output]"]
Progress = Callable[[int], None]
LAYOUT_SLICE = 100  # cards: below this a slice costs more to fork and send than it saves


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

    The jobs that draw no card (posters, guide) are forked first, to run while the
    cards are laid out here; then the jobs that draw cards. Outputs are listed in
    :data:`TARGETS` order whatever order they were made in."""
    if KIT in options.targets:
        return _kit(deck, options, workers)
    plan = _Plan(deck, options, workers or usable_cores(), progress)
    plan.fronts(options.bleed_mm)  # every QR code, whatever the targets: a deck problem
    if options.check:
        from . import preflight  # noqa: F401 -- imported once here, not in each forked job
    wanted = [name for name in TARGETS if name in options.targets]
    early = {name: _jobs(plan, name) for name in wanted if not TARGETS[name].cards}
    parallel = plan.workers > 1 and can_fork() and len(early) < len(wanted)
    with Forked() as children:
        for job in _flat(early) if parallel else ():
            children.start(job)
        late = {name: _jobs(plan, name) for name in wanted if name not in early}  # lays out the cards
        made = iter(run_jobs(_flat(late), plan.workers))
        made_early = iter(children.results() if parallel else [job() for job in _flat(early)])
    outputs: list[Output] = []
    for name in wanted:
        for _ in (early if name in early else late)[name]:
            result = next(made_early if name in early else made)
            outputs += result if isinstance(result, list) else [result]
    return outputs


def _jobs(plan: _Plan, name: str) -> list[Job]:
    """A target's jobs, each followed by the preflight of what it draws (when asked)."""
    jobs = TARGETS[name].jobs(plan)
    if plan.options.check:
        jobs = [partial(_checked, job, plan.deck, plan.options.bleed_mm) for job in jobs]
    return jobs


def _flat(jobs: dict[str, list[Job]]) -> list[Job]:
    return [job for group in jobs.values() for job in group]


@dataclass
class _Plan:
    """One deck's run: the cards laid out at most once per bleed, before any job is
    forked, and shared by every job that draws them."""

    deck: Deck
    options: BuildOptions
    workers: int
    progress: Progress | None = None
    _fronts: dict[float, Fronts] = field(default_factory=dict)
    _laid_out: dict[float, tuple[list[CardFront], CardBack]] = field(default_factory=dict)

    def fronts(self, bleed_mm: float) -> Fronts:
        """The fronts to lay out; their QR codes are made (and known to print) here."""
        if bleed_mm not in self._fronts:
            self._fronts[bleed_mm] = Fronts.checked(self.deck, bleed_mm)
        return self._fronts[bleed_mm]

    def cards(self, bleed_mm: float) -> tuple[list[CardFront], CardBack]:
        """Every front and the back, laid out with ``bleed_mm``: the first time, in
        parallel (:func:`lay_out_fronts`); then the same objects."""
        if bleed_mm not in self._laid_out:
            fronts = lay_out_fronts(self.fronts(bleed_mm), self.workers, self.progress)
            self._laid_out[bleed_mm] = fronts, layout_back(self.deck, bleed_mm)
        return self._laid_out[bleed_mm]


def lay_out_fronts(fronts: Fronts, workers: int, progress: Progress | None = None) -> list[CardFront]:
    """Every front, laid out in one slice per worker (see the module's doc); a
    DeckError naming every card that does not fit."""
    count = len(fronts)
    slices = max(1, min(workers, count // LAYOUT_SLICE))
    bounds = [count * i // slices for i in range(slices + 1)]
    jobs = [partial(_lay_out_slice, fronts, start, stop, progress if i == 0 else None)
            for i, (start, stop) in enumerate(pairwise(bounds))]
    laid_out: list[CardFront] = []
    for i, part in enumerate(run_jobs(jobs, workers)):
        laid_out += part
        if progress is not None and i > 0:
            progress(len(part))
    return laid_out


def _lay_out_slice(fronts: Fronts, start: int, stop: int, progress: Progress | None) -> list[CardFront]:
    laid_out = []
    for index in range(start, stop):
        laid_out.append(fronts[index])
        if progress is not None:
            progress(1)
    return laid_out


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
