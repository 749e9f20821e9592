#!/usr/bin/env python3
"""The deckprint benchmark: a report, never a timed test.

    python benchmarks/bench.py                    # 21, 1,000 and 5,000 cards, 3 runs each
    python benchmarks/bench.py --sizes 21,1000 --runs 1
    python benchmarks/bench.py --markdown         # the table as Markdown, for the README

It writes synthetic French decks (``synthetic.py``) into a temporary folder, then
measures ``deckprint build`` on each of them (print-and-play + print-shop, on every
core and on one; and print-shop alone) and on the bundled French deck (default
targets, then again with nothing to do), each build in its own process: wall time,
CPU time (user + sys of that child), peak RSS (``ru_maxrss`` of that child, from
``os.wait4``) and PDF bytes per card for each output file (``measure.py``). In the
same run it measures two floors, ``benchmarks/floor.py`` drawing the same pages with
plain ReportLab: with the library's defaults (issue 7's budgets compare against it),
and tuned (``--tuned``: rl_accel, no ASCII85, a fixed QR mask; issue 13's budgets),
the tuned one also on one core. Every figure is the median of ``--runs`` runs.

The exit code is 0 whatever the figures say (budgets are reported, not enforced); 1
when deckprint itself fails (its stderr is shown); 2 when the floor script fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from measure import (
    ChildFailed,
    Result,
    Sample,
    _load,
    _version,
    child_env,
    machine,
    run_once,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLED_FR = ROOT / "decks" / "travailleurs-ia.yaml"
FLOOR = HERE / "floor.py"

def _fmt_kb(kb: dict[str, float], deck_id: str) -> str:
    def short(name: str) -> str:
        name = name.removesuffix(".pdf")
        return name.removeprefix(deck_id + "-") if deck_id else name
    return ", ".join(f"{short(n)} {v:.2f}" for n, v in kb.items())


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else "–"


def table(results: list[Result]) -> tuple[list[str], list[list[str]]]:
    head = ["deck", "cards", "target", "wall s", "CPU s", "others s", "peak RSS MB", "tree MB", "KB/card per file",
            "wall ×floor", "CPU ×floor", "RSS ×floor", "KB ×floor", "wall ×tuned", "CPU ×tuned"]
    rows = []
    for r in results:
        kb = r.kb_per_card()
        deck_id = "travailleurs-ia" if r.label == "bundled fr" else f"synthetique-{r.cards}"
        row = ["bundled fr" if r.label == "bundled fr" else "synthetic", f"{r.cards:,}", r.target,
               f"{r.median('wall'):.2f}", f"{r.median('cpu'):.2f}", f"{r.median('others'):.1f}",
               f"{r.median('rss_mb'):.0f}",
               f"{r.median('tree_mb'):.0f}", _fmt_kb(kb, deck_id)]
        f, t = r.floor, r.tuned
        row += [""] * 4 if f is None else [
            _ratio(r.median("wall"), f.median("wall")), _ratio(r.median("cpu"), f.median("cpu")),
            _ratio(r.median("rss_mb"), f.median("rss_mb")),
            _ratio(max(kb.values(), default=0), max(f.kb_per_card().values(), default=0))]
        row += [""] * 2 if t is None else [_ratio(r.median("wall"), t.median("wall")),
                                           _ratio(r.median("cpu"), t.median("cpu"))]
        rows.append(row)
    return head, rows


LEFT = (0, 1, 2, 8)  # text columns


def render(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join("---" if i in LEFT else "---:" for i in range(len(head))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    fmt = lambda row: "  ".join(
        str(x).ljust(w) if i in LEFT else str(x).rjust(w) for i, (x, w) in enumerate(zip(row, widths)))
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def _memory(r: Result) -> float:
    """What a memory budget is checked against: peak RSS (ru_maxrss) of the largest
    process; the summed figure is shown beside it."""
    return r.median("rss_mb")


def _memory_text(r: Result) -> str:
    return (f"{r.median('rss_mb'):.0f} MB (largest process; all processes summed: "
            f"{r.median('tree_mb'):.0f} MB)")


def _finder(results: list[Result]):
    def find(label: str, target: str) -> Result | None:
        return next((r for r in results if r.label == label and r.target == target), None)
    return find


def _liner(lines: list[str]):
    def line(ok: bool | None, text: str) -> None:
        mark = "not measured" if ok is None else ("ok" if ok else "MISSED")
        lines.append(f"[{mark}] {text}")
    return line


def budgets(results: list[Result]) -> list[str]:
    """Issue 7's budgets, each ok / MISSED (or not measured)."""
    find, lines = _finder(results), []
    line = _liner(lines)

    fr = find("bundled fr", "default")
    line(None if fr is None else fr.median("wall") < 1.5,
         "bundled French deck, default targets: < 1.5 s wall"
         + ("" if fr is None else f" — {fr.median('wall'):.2f} s"))
    k = find("synthetic 1000", "pnp+print")
    if k is None:
        line(None, "1,000 cards, pnp + print: < 8 s wall, < 300 MB peak RSS, < 5 KB per card per file")
    else:
        kb = max(k.kb_per_card().values())
        line(k.median("wall") < 8, f"1,000 cards, pnp + print: < 8 s wall — {k.median('wall'):.2f} s")
        line(_memory(k) < 300, f"1,000 cards, pnp + print: < 300 MB peak RSS — {_memory_text(k)}")
        line(kb < 5, f"1,000 cards, pnp + print: < 5 KB per card per file — largest {kb:.2f} KB")
    f = find("synthetic 5000", "pnp+print")
    if f is None or k is None:
        line(None, "5,000 cards, pnp + print: ≤ 5.5 × the 1,000-card wall time, < 500 MB peak RSS")
    else:
        times = f.median("wall") / k.median("wall")
        cpu = f.median("cpu") / k.median("cpu")
        line(times <= 5.5, f"5,000 cards, pnp + print: ≤ 5.5 × the 1,000-card wall time — {times:.2f} × "
                           f"(CPU time: {cpu:.2f} ×)")
        line(_memory(f) < 500, f"5,000 cards, pnp + print: < 500 MB peak RSS — {_memory_text(f)}")
    p = find("synthetic 1000", "print")
    fl = p.floor if p is not None else None
    if p is None or fl is None:
        line(None, "1,000 cards, print alone: ≤ 0.5 × the floor's wall time")
    else:
        times = p.median("wall") / fl.median("wall")
        line(times <= 0.5, f"1,000 cards, print alone: ≤ 0.5 × the floor's wall time — {times:.2f} × "
                           f"({p.median('wall'):.2f} s against {fl.median('wall'):.2f} s; "
                           f"CPU time: {p.median('cpu') / fl.median('cpu'):.2f} ×)")
    return lines




def budgets_13(results: list[Result]) -> list[str]:
    """Issue 13's budgets, against the tuned floor measured in the same run."""
    find, lines = _finder(results), []
    line = _liner(lines)
    one = find("synthetic 1000", ONE_CORE)
    t = one.tuned if one else None
    line(None if t is None else one.median("cpu") <= 1.3 * t.median("cpu"),
         "1,000 cards, pnp + print, one core: CPU time ≤ 1.3 × the tuned floor's (one core)"
         + ("" if t is None else f" — {one.median('cpu'):.2f} s against {t.median('cpu'):.2f} s = "
                                 f"{one.median('cpu') / t.median('cpu'):.2f} × (wall {one.median('wall'):.2f} s)"))
    two = find("synthetic 1000", "pnp+print")
    t = two.tuned if two else None
    line(None if t is None else two.median("wall") <= 0.8 * t.median("wall"),
         f"1,000 cards, pnp + print, {CORES} cores: wall time ≤ 0.8 × the tuned floor's"
         + ("" if t is None else f" — {two.median('wall'):.2f} s against {t.median('wall'):.2f} s = "
                                 f"{two.median('wall') / t.median('wall'):.2f} ×"))
    idle = find("bundled fr", UP_TO_DATE)
    line(None if idle is None else idle.median("wall") <= 0.3,
         "an up-to-date deck (nothing to do): ≤ 0.3 s wall for deckprint build"
         + ("" if idle is None else f" — {idle.median('wall'):.2f} s"))
    fr = find("bundled fr", "default")
    line(None if fr is None else fr.median("wall") <= 0.8,
         "bundled deck, default targets: ≤ 0.8 s wall" + ("" if fr is None else f" — {fr.median('wall'):.2f} s"))
    return lines


# --- the plan ---------------------------------------------------------------------------

TARGETS = {  # label → deckprint arguments
    "pnp+print": ["--target", "pnp", "--target", "print"],
    "print": ["--target", "print"],
}
ONE_CORE = "pnp+print, 1 core"
UP_TO_DATE = "up to date"
TUNED = "floor tuned"
try:
    CORE = min(os.sched_getaffinity(0))  # the one core of the one-core rows (taskset -c CORE)
    CORES = len(os.sched_getaffinity(0))
except AttributeError:
    CORE, CORES = None, os.cpu_count()


@dataclass
class Measure:
    result: Result
    cmd: list[str]
    out: Path
    core: int | None = None  # run on this core only
    fresh: bool = True  # False: into the folder the measure before it built


def _make_deck(n: int, path: Path) -> Path:
    """synthetic.make_deck in a child process: this one stays small, and so does every
    measured child when it starts (a child's peak RSS counts what it was forked with:
    a 5,000-card deck made here showed as 64 MB in the 21-card floor's row)."""
    code = "import sys; from synthetic import make_deck; make_deck(int(sys.argv[1]), sys.argv[2])"
    subprocess.run([sys.executable, "-c", code, str(n), str(path)], cwd=HERE, check=True)
    return path


def plan_for(sizes: list[int], bundled: bool, work: Path) -> list[Measure]:
    """What to measure, in measuring order. Runs are interleaved, so a slow moment of
    the machine spreads over all rows instead of hitting one."""
    deckprint = [sys.executable, "-m", "deckprint", "build"]
    floor = [sys.executable, str(FLOOR)]
    decks = ([("bundled fr", 21, BUNDLED_FR)] if bundled else []) + [
        (f"synthetic {n}", n, _make_deck(n, work / f"synthetique-{n}.yaml")) for n in sizes]
    plan: list[Measure] = []
    for label, n, deck in decks:
        out = work / f"out-{n}"
        fl, tu, tu1 = Result(label, n, "floor"), Result(label, n, TUNED), Result(label, n, f"{TUNED}, 1 core")
        floors = [Measure(fl, floor + [str(deck), "--out", str(out / "floor" / "floor.pdf")], out / "floor"),
                  Measure(tu, floor + [str(deck), "--out", str(out / "tuned" / "floor.pdf"), "--tuned"],
                          out / "tuned")]
        if label == "bundled fr":
            built = Measure(Result(label, n, "default", fl, tu), deckprint + [str(deck), "--out", str(out / "d")],
                            out / "d")
            idle = Measure(Result(label, n, UP_TO_DATE), built.cmd, built.out, fresh=False)
            plan += [built, idle] + floors
            continue
        for target, extra in TARGETS.items():
            cmd = deckprint + [str(deck), "--out", str(out / target)] + extra
            plan.append(Measure(Result(label, n, target, fl, tu), cmd, out / target))
        cmd = deckprint + [str(deck), "--out", str(out / "one")] + TARGETS["pnp+print"]
        plan.append(Measure(Result(label, n, ONE_CORE, None, tu1), cmd, out / "one", core=CORE))
        tuned1 = floor + [str(deck), "--out", str(out / "tuned1" / "floor.pdf"), "--tuned"]
        plan += floors + [Measure(tu1, tuned1, out / "tuned1", core=CORE)]
    return plan


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="21,1000,5000", help="synthetic deck sizes (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown (default: 3)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled French deck")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the decks and outputs in DIR")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="deckprint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        plan = plan_for(sizes, not args.no_bundled, work)
        return _measure_and_report(plan, max(1, args.runs), work, child_env(), args.markdown)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _measure_and_report(plan: list[Measure], runs: int, work: Path, env: dict[str, str], md: bool) -> int:
    load_before = _load()
    print(f"deckprint benchmark: {len(plan)} measurements × {runs} run(s) in {work}", file=sys.stderr)
    # Untimed, once: the smallest deck's measurements, so that no row pays for a cold
    # disk cache (the modules and libraries read for the first time: +0.2 s).
    for m in plan:
        if m.result.label == plan[0].result.label and m.fresh:
            run_once(m.cmd, m.out, env, core=m.core)
    for run in range(runs):
        for m in plan:
            try:
                sample: Sample = run_once(m.cmd, m.out, env, core=m.core, fresh=m.fresh)
            except ChildFailed as exc:
                who = "the floor script" if m.cmd[1] == str(FLOOR) else "deckprint"
                print(f"\n{who} failed ({exc}):\n{exc.stderr}", file=sys.stderr)
                return 2 if who == "the floor script" else 1
            m.result.samples.append(sample)
            r = m.result
            print(f"  run {run + 1}/{runs}: {r.label} {r.cards} cards, {r.target}: {sample.wall:.2f} s wall, "
                  f"{sample.cpu:.2f} s CPU, others {sample.others:.1f} s, {sample.rss_mb:.0f} MB, "
                  f"tree {sample.tree_mb:.0f} MB", file=sys.stderr)
    results = [m.result for m in plan]
    head, rows = table(results)
    print(("### " if md else "") + f"deckprint benchmark — median of {runs} run(s), {time.strftime('%Y-%m-%d')}")
    print()
    for line in machine(load_before) + [f"rl_accel {_version('rl_accel')}; one-core rows pinned to core {CORE}"]:
        print(("- " if md else "") + line)
    print()
    print(render(head, rows, md))
    for title, lines in (("Budgets (issue 7):", budgets(results)),
                         ("Budgets (issue 13, against the tuned floor):", budgets_13(results))):
        print()
        print(title)
        if md:
            print()
        for line in lines:
            print(("- " if md else "  ") + line)
    print()
    print("KB = 1,000 bytes of PDF per card, for each output file; peak RSS = MiB, ru_maxrss of "
          "the largest single process of the build; tree = MiB, sampled peak of the RSS summed over "
          "the build's processes (forked workers included; pages they share are counted in each, so "
          "an upper bound); ×floor = deckprint's figure over the plain floor's (benchmarks/floor.py: "
          "ReportLab defaults, one file, one card a page), KB ×floor comparing deckprint's largest file; "
          "×tuned = over the tuned floor's (floor.py --tuned: rl_accel, no ASCII85, a fixed QR mask), "
          "the one-core row over the tuned floor on the same core; others = CPU seconds the rest of "
          "the machine used during the measurement (a busy second core slows the parallel builds "
          "down to one core's speed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
