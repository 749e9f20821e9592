#!/usr/bin/env python3
"""The deckprint benchmark: a report, never a timed test.

    python benchmarks/bench.py                    # 21, 1,000 and 5,000 cards, 3 runs each
    python benchmarks/bench.py --sizes 21,1000 --runs 1
    python benchmarks/bench.py --markdown         # the table as Markdown, for the README

It writes synthetic French decks into a temporary folder, then measures
``deckprint build`` on each of them (print-and-play + print-shop, and print-shop alone)
and on the bundled French deck (default targets), each build in its own process:
wall time, CPU time (user + sys of that child), peak RSS (``ru_maxrss`` of that child,
from ``os.wait4``) and PDF bytes per card for each output file. In the same run it
measures the "floor", ``benchmarks/floor.py``: plain ReportLab with library defaults
drawing the same pages. Every figure is the median of ``--runs`` runs.

The exit code is 0 whatever the figures say (budgets are reported, not enforced); 1
when deckprint itself fails (its stderr is shown); 2 when the floor script fails.

``make_deck(n, path)`` is importable: tests/test_benchmark_smoke.py checks that the
generated decks are valid.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLED_FR = ROOT / "decks" / "travailleurs-ia.yaml"
FLOOR = HERE / "floor.py"

# --- synthetic decks --------------------------------------------------------------------

# The bundled French deck's categories, labels and colours.
CATEGORIES = {
    "extraction": ("Extraction des minerais", "#8C3B1F"),
    "fabrication": ("Fabrication du matériel", "#4B5563"),
    "infrastructure": ("Eau, énergie et data centers", "#1F5F8B"),
    "donnees": ("Travail des données", "#00695C"),
    "moderation": ("Modération", "#8E2469"),
    "recherche": ("Recherche", "#5E3C8C"),
    "creation": ("Création", "#7A5A00"),
}

ROLES = {
    "extraction": ["Extractrice de terres rares", "Mineur de cobalt", "Trieuse de déchets électroniques",
                   "Creuseur de lithium", "Porteur de minerai"],
    "fabrication": ["Ouvrière d'assemblage de puces", "Technicien de salle blanche",
                    "Soudeuse de cartes électroniques", "Contrôleur qualité"],
    "infrastructure": ["Technicien de data center", "Agent de maintenance des refroidisseurs",
                       "Riveraine d'un centre de données", "Électricien de réseau"],
    "donnees": ["Annotatrice d'images", "Transcripteur de voix", "Étiqueteuse de données médicales",
                "Évaluateur de réponses d'IA", "Correctrice de traductions automatiques"],
    "moderation": ["Modératrice de contenus", "Modérateur de vidéos", "Vérificatrice de signalements"],
    "recherche": ["Chercheuse en éthique de l'IA", "Doctorant en apprentissage automatique",
                  "Ingénieure de recherche précaire"],
    "creation": ["Illustratrice", "Doubleur de voix", "Traductrice littéraire", "Photographe indépendant"],
}

NAMES = ["Hao", "Koffi", "Aïcha", "Zoë", "Hélène", "José", "Fatoumata", "Noé", "Chloé", "Joël",
         "Léa", "Mégane", "Thérèse", "Raphaël", "Inès", "Anaïs", "Benoît", "Céline", "Dévi",
         "Ngozi", "Priya", "Mamadou", "Lúcia", "Sébastien", "Maëlle", "Amélie", "Jérôme",
         "Grâce", "Nadège", "Ömer", "Tiago", "Ama", "Wanjiru", "Rahim", "Jun", "Mireille",
         "Françoise", "Loïc", "Émilie", "Kwamé"]

COUNTRIES = ["Chine", "Kenya", "Inde", "Tunisie", "Philippines", "Madagascar", "Japon", "France",
             "Finlande", "Espagne", "Corée du Sud", "Colombie", "Canada", "Brésil", "Royaume-Uni",
             "Taïwan", "République démocratique du Congo", "Égypte", "Ouganda", "Mexique", "Maroc",
             "Sénégal", "Nigéria", "Bangladesh", "Viêt Nam", "Pérou", "Côte d'Ivoire", "Indonésie"]

VERBS = ["J'annote", "Je trie", "Je vérifie", "Je modère", "Je démonte", "Je transcris", "Je classe",
         "Je nettoie", "Je surveille", "Je répare", "J'étiquette", "Je corrige"]
OBJECTS = ["des milliers d'images", "des vidéos violentes", "des phrases générées par l'IA",
           "des données médicales", "des câbles et des serveurs", "des déchets électroniques",
           "des enregistrements de voix", "des photos de rues", "des réponses de chatbots",
           "des minerais encore humides", "des cartes mères défectueuses"]
PLACES = ["dans un entrepôt près de Nairobi", "depuis ma cuisine à Manille", "dans une usine à Shenzhen",
          "pour une plateforme américaine", "dans un data center en Irlande", "chez moi, la nuit",
          "à Antananarivo, sous la chaleur", "dans un bureau à Bogotá", "au fond d'une mine à Kolwezi",
          "pour un sous-traitant européen"]
SENTENCES = [
    "On me paie {money} de l'heure, parfois moins.",
    "Personne ne sait que ce travail existe.",
    "Mes journées durent souvent douze heures, sans pause.",
    "Je n'ai ni contrat ni assurance maladie.",
    "Le soir, les images me reviennent en mémoire.",
    "L'algorithme décide seul si mon travail est « correct ».",
    "Ça m'inquiète pour ma santé et celle de ma famille.",
    "Je rêve d'un métier où l'on écoute les travailleurs.",
    "Les entreprises qui en profitent ne me connaissent pas.",
    "Quand je me plains, on me répond qu'il y a dix candidats derrière moi.",
    "Mes enfants croient que je travaille « dans l'informatique ».",
    "Il faut aller vite : chaque tâche est chronométrée.",
    "Nous avons créé un collectif pour être entendus !",
    "Pourquoi mon nom n'apparaît-il nulle part ?",
]
MONEY = ["1,50 $", "2 €", "0,80 $", "3 €", "1 €"]
CONDITIONS = ["Travail mal payé", "Horaires décalés", "Pas de contrat", "Exposition à des contenus violents",
              "Aucune protection sociale", "Cadences imposées par l'algorithme", "Isolement",
              "Pas d'équipement de sécurité", "Chaleur et poussière", "Paiement à la tâche",
              "Surveillance permanente", "Droit syndical refusé", "Stress post-traumatique",
              "Contrats de très courte durée", "Déplacements longs et coûteux", "Évaluation opaque",
              "Licenciement sans préavis", "Écrans toute la journée", "Produits chimiques toxiques",
              "Accords de confidentialité stricts"]
IMPACTS = ["Contact de produits chimiques toxiques.", "Troubles du sommeil et anxiété.",
           "Douleurs au dos et aux poignets.", "Perte d'audition due au bruit des serveurs.",
           "Rivière polluée près du village.", "Vue qui baisse après des années d'écran.",
           "Pénurie d'eau dans le quartier l'été.", "Syndrome de stress post-traumatique reconnu."]
SLUG_WORDS = ["les", "travailleurs", "de", "l", "ombre", "intelligence", "artificielle", "temoignent",
              "donnees", "moderation", "salaires", "plateformes", "sous-traitance", "enquete",
              "minerais", "centres", "sante", "droits", "syndicats", "annotation"]

DECK_SOURCE = {
    "title": "Sommet IA : les travailleurs de l'ombre demandent aux Big Tech d'« arrêter de fuir »",
    "publisher": "societe.com",
    "author": "Marine Protais",
    "date": "2025-02-11",
    "url": "https://www.societe.com/actualites/sommet_ia_les_travailleurs_de_l_ombre_demandent"
           "_aux_big_tech_d_arreter_de_fuir-86440.html",
}


def _testimony(rng: random.Random) -> str:
    """First-person text, 150 to 420 characters, different from card to card."""
    target = rng.randint(150, 420)
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}."
    pool = SENTENCES[:]
    rng.shuffle(pool)
    while len(text) < target:
        if not pool:
            pool = SENTENCES[:]
            rng.shuffle(pool)
        text += " " + pool.pop().format(money=rng.choice(MONEY))
    if len(text) > 420:
        text = text[:419].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _url(n: int, rng: random.Random) -> str:
    """A distinct ~120-character article URL."""
    url = f"https://www.example.org/actualites/article-{n:05d}-"
    words = []
    while len(url) + len("-".join(words)) < 115:
        words.append(rng.choice(SLUG_WORDS))
    return (url + "-".join(words))[:115] + ".html"


def deck_data(n: int, seed: int = 7) -> dict:
    """The deck as plain data (format 1): ``n`` tarot cards, French, half of them with
    their own source URL, the other half with the deck's."""
    rng = random.Random(seed * 1_000_003 + n)
    cards = []
    for i in range(n):
        category = list(CATEGORIES)[i % len(CATEGORIES)]
        card = {
            "id": f"carte-{i + 1:05d}",
            "name": rng.choice(NAMES),
            "role": rng.choice(ROLES[category]),
            "country": rng.choice(COUNTRIES),
            "category": category,
            "testimony": _testimony(rng),
            "conditions": rng.sample(CONDITIONS, rng.randint(3, 6)),
        }
        if i % 2 == 0:
            card["impact"] = rng.choice(IMPACTS)
        if i % 2 == 1:
            card["source"] = {"url": _url(i + 1, rng),
                              "title": f"Enquête n° {i + 1} : les « petites mains » de l'IA",
                              "publisher": "example.org"}
        cards.append(card)
    return {
        "deckprint": 1,
        "deck": {
            "id": f"synthetique-{n}",
            "title": "Les travailleurs invisibles de l'IA",
            "subtitle": f"Deck synthétique de {n} cartes",
            "language": "fr",
            "card": "tarot",
            "source": DECK_SOURCE,
            "credits": "Cartes générées pour le banc d'essai de deckprint",
            "license": "CC BY-SA 4.0",
        },
        "categories": {key: {"label": label, "color": color} for key, (label, color) in CATEGORIES.items()},
        "cards": cards,
    }


def make_deck(n: int, path: Path | str, seed: int = 7) -> Path:
    """Write a synthetic deck of ``n`` cards to ``path`` (YAML); returns the path."""
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(deck_data(n, seed), allow_unicode=True, sort_keys=False, width=100)
    path.write_text("# Synthetic deck written by benchmarks/bench.py\n" + text, encoding="utf-8")
    return path


# --- measuring one process --------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float  # ru_maxrss: the largest single process of the build
    tree_mb: float  # sampled peak of the RSS summed over the build's processes
    files: dict[str, int]  # output file → bytes


@dataclass
class Result:
    label: str  # deck
    cards: int
    target: str
    floor: "Result | None" = None  # what the ratios compare against
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


def run_once(cmd: list[str], out: Path, env: dict[str, str]) -> Sample:
    """Run ``cmd`` in a fresh output folder ``out``; wall, CPU and peak RSS of that
    child (os.wait4 gives its own rusage, which includes the workers it waited for),
    the sampled peak memory of its process tree, and the bytes of every file written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=env)
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
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss, sampler.peak_kb / 1024, files)


# --- the machine ------------------------------------------------------------------------


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


# --- the report -------------------------------------------------------------------------

TARGETS = {  # label → deckprint arguments
    "pnp+print": ["--target", "pnp", "--target", "print"],
    "print": ["--target", "print"],
    "default": [],
}


def _fmt_kb(kb: dict[str, float], deck_id: str) -> str:
    def short(name: str) -> str:
        name = name.removesuffix(".pdf")
        return name.removeprefix(deck_id + "-") if deck_id else name
    return ", ".join(f"{short(n)} {v:.2f}" for n, v in kb.items())


def _ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else "–"


def table(results: list[Result]) -> tuple[list[str], list[list[str]]]:
    head = ["deck", "cards", "target", "wall s", "CPU s", "peak RSS MB", "tree MB", "KB/card per file",
            "wall ×floor", "CPU ×floor", "RSS ×floor", "KB ×floor"]
    rows = []
    for r in results:
        kb = r.kb_per_card()
        deck_id = "travailleurs-ia" if r.label == "bundled fr" else f"synthetique-{r.cards}"
        row = ["bundled fr" if r.label == "bundled fr" else "synthetic", f"{r.cards:,}", r.target, f"{r.median('wall'):.2f}", f"{r.median('cpu'):.2f}",
               f"{r.median('rss_mb'):.0f}", f"{r.median('tree_mb'):.0f}", _fmt_kb(kb, deck_id)]
        f = r.floor
        if f is None:
            row += [""] * 4
        else:
            row += [_ratio(r.median("wall"), f.median("wall")), _ratio(r.median("cpu"), f.median("cpu")),
                    _ratio(r.median("rss_mb"), f.median("rss_mb")),
                    _ratio(max(kb.values(), default=0), max(f.kb_per_card().values(), default=0))]
        rows.append(row)
    return head, rows


LEFT = (0, 1, 2, 7)  # text columns


def render(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join("---" if i in LEFT else "---:" for i in range(len(head))) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    fmt = lambda row: "  ".join(  # noqa: E731
        str(x).ljust(w) if i in LEFT else str(x).rjust(w) for i, (x, w) in enumerate(zip(row, widths)))
    return "\n".join([fmt(head), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def _memory(r: Result) -> float:
    """What a memory budget is checked against: peak RSS (ru_maxrss) of the largest
    process; the summed figure is shown beside it."""
    return r.median("rss_mb")


def _memory_text(r: Result) -> str:
    return (f"{r.median('rss_mb'):.0f} MB (largest process; all processes summed: "
            f"{r.median('tree_mb'):.0f} MB)")


def budgets(results: list[Result]) -> list[str]:
    """Issue 7's budgets, each ok / MISSED (or not measured)."""
    def find(label: str, target: str) -> Result | None:
        return next((r for r in results if r.label == label and r.target == target), None)

    lines = []

    def line(ok: bool | None, text: str) -> None:
        mark = "not measured" if ok is None else ("ok" if ok else "MISSED")
        lines.append(f"[{mark}] {text}")

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
    runs = max(1, args.runs)

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="deckprint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = child_env()
    deckprint = [sys.executable, "-m", "deckprint", "build"]
    floor = [sys.executable, str(FLOOR)]

    # (result, command, output folder) in measuring order. Runs are interleaved, so a
    # slow moment of the machine spreads over all rows instead of hitting one.
    plan: list[tuple[Result, list[str], Path]] = []
    if not args.no_bundled:
        fl = Result("bundled fr", 21, "floor")
        out = work / "out-bundled"
        plan.append((Result("bundled fr", 21, "default", fl), deckprint + [str(BUNDLED_FR), "--out", str(out)], out))
        out = work / "out-bundled-floor"
        plan.append((fl, floor + [str(BUNDLED_FR), "--out", str(out / "floor.pdf")], out))
    for n in sizes:
        deck = make_deck(n, work / f"synthetique-{n}.yaml")
        label = f"synthetic {n}"
        fl = Result(label, n, "floor")
        for target, extra in TARGETS.items():
            if target == "default":
                continue
            out = work / f"out-{n}-{target.replace('+', '-')}"
            plan.append((Result(label, n, target, fl), deckprint + [str(deck), "--out", str(out)] + extra, out))
        out = work / f"out-{n}-floor"
        plan.append((fl, floor + [str(deck), "--out", str(out / "floor.pdf")], out))

    try:
        return _measure_and_report(plan, runs, work, env, args.markdown)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _measure_and_report(plan: list[tuple[Result, list[str], Path]], runs: int, work: Path,
                        env: dict[str, str], md: bool) -> int:
    load_before = _load()
    print(f"deckprint benchmark: {len(plan)} measurements × {runs} run(s) in {work}", file=sys.stderr)
    for run in range(runs):
        for result, cmd, out in plan:
            try:
                sample = run_once(cmd, out, env)
            except ChildFailed as exc:
                who = "the floor script" if cmd[1] == str(FLOOR) else "deckprint"
                print(f"\n{who} failed ({exc}):\n{exc.stderr}", file=sys.stderr)
                return 2 if who == "the floor script" else 1
            result.samples.append(sample)
            print(f"  run {run + 1}/{runs}: {result.label} {result.cards} cards, {result.target}: "
                  f"{sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, {sample.rss_mb:.0f} MB, tree {sample.tree_mb:.0f} MB", file=sys.stderr)

    results = [r for r, _, _ in plan]
    head, rows = table(results)
    print(("### " if md else "") + f"deckprint benchmark — median of {runs} run(s), "
          f"{time.strftime('%Y-%m-%d')}")
    print()
    for line in machine(load_before):
        print(("- " if md else "") + line)
    print()
    print(render(head, rows, md))
    print()
    print("Budgets (issue 7):")
    if md:
        print()
    for line in budgets(results):
        print(("- " if md else "  ") + line)
    print()
    print("KB = 1,000 bytes of PDF per card, for each output file; peak RSS = MiB, ru_maxrss of "
          "the largest single process of the build; tree = MiB, sampled peak of the RSS summed over "
          "the build's processes (forked workers included; pages they share are counted in each, so "
          "an upper bound); ×floor = deckprint's figure over the floor's "
          "(benchmarks/floor.py: plain ReportLab defaults, one file, one card a page); "
          "KB ×floor compares deckprint's largest file.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
