"""Measuring one command in its own process: wall time, CPU time, peak memory, and the
bytes of the files it wrote; and the machine the figures come from.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float  # ru_maxrss: the largest single process of the build
    tree_mb: float  # sampled peak of the RSS summed over the build's processes
    files: dict[str, int]  # output file → bytes
    others: float = 0.0  # CPU seconds the rest of the machine used meanwhile (/proc/stat)


@dataclass
class Result:
    label: str  # deck
    cards: int
    target: str
    floor: Result | None = None  # the plain floor: issue 7's ratios compare against it
    tuned: Result | None = None  # the tuned floor, run alike (one core or not): issue 13's
    samples: list[Sample] = field(default_factory=list)

    def median(self, name: str) -> float:
        return statistics.median(getattr(s, name) for s in self.samples)

    def kb_per_card(self) -> dict[str, float]:
        """Median bytes of each output file, per card, in KB (1,000 bytes)."""
        names = self.samples[0].files
        return {n: statistics.median(s.files.get(n, 0) for s in self.samples) / self.cards / 1000
                for n in names}


class ChildFailed(Exception):
    def __init__(self, cmd: list[str], code: int, stderr: str):
        super().__init__(f"{' '.join(cmd)} exited with {code}")
        self.cmd, self.code, self.stderr = cmd, code, stderr


def child_env() -> dict[str, str]:
    """The environment for the children: src/ on the path when deckprint is not
    installed (a plain checkout)."""
    env = dict(os.environ)
    if importlib.util.find_spec("deckprint") is None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    return env


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc/PID/task/TID/children (cheap: no scan
    of every process)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except (OSError, ValueError):
            pass
    return found


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


class TreeMemory(threading.Thread):
    """Samples, every 100 ms, the RSS summed over a process and its descendants:
    deckprint draws outputs in forked workers, and ``ru_maxrss`` only gives the largest
    single process. The sum counts pages a fork shares with its parent once per
    process, so it is an upper bound; sampling can miss a short peak. (PSS would count
    shared pages once, but reading smaps_rollup costs ~17 ms for a 200 MB process,
    too much to sample on a 2-core machine.) Without /proc it reports 0."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        if not Path(f"/proc/{self.pid}/statm").exists():
            return
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in _tree(self.pid)))
            self.done.wait(0.1)


def run_once(cmd: list[str], out: Path, env: dict[str, str], *, core: int | None = None,
             fresh: bool = True) -> Sample:
    """Run ``cmd`` in a fresh output folder ``out`` (with ``fresh=False``, in the folder
    as it is: a build with nothing to do); wall, CPU and peak RSS of that child (os.wait4
    gives its own rusage, which includes the workers it waited for), the sampled peak
    memory of its process tree, and the bytes of every PDF in ``out``. With ``core``,
    the child and its workers run on that one core only (as ``taskset -c``)."""
    if fresh and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    pin = None if core is None else (lambda: os.sched_setaffinity(0, {core}))
    busy_before = _machine_busy()
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env,
                                 preexec_fn=pin)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            stderr.seek(0)
            raise ChildFailed(cmd, child.returncode, stderr.read().decode("utf-8", "replace"))
    files = {p.name: p.stat().st_size for p in sorted(out.rglob("*.pdf"))}
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, rss, sampler.peak_kb / 1024, files, max(0.0, _machine_busy() - busy_before - cpu))


def _machine_busy() -> float:
    """CPU seconds every core has been busy since boot (user, nice, system, irq,
    softirq, steal), from /proc/stat; 0 without it."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "?"


def _load() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine(load_before: str = "") -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    commit = ""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=10)
        commit = f" (git {head.stdout.strip()})" if head.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        pass
    return [
        f"CPU: {cpu}, {os.cpu_count()} logical cores ({usable} usable){memory}",
        f"OS: {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, ReportLab {_version('reportlab')}, qrcode {_version('qrcode')}, "
        f"deckprint {_version('deckprint') if importlib.util.find_spec('deckprint') else 'from src/'}{commit}",
        f"Load average (1/5/15 min) before: {load_before or '?'}, after: {_load()} "
        "(other work on the machine inflates wall times more than CPU times)",
    ]
