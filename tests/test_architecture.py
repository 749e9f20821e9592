"""The shape of the code, held by tests: the pipeline's stages import only from the
same or earlier stages (read → validate → lay out → draw → target → check → write →
command line), no module is over 500 lines and no function over 80."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "deckprint"

# Each module (or package) of src/deckprint and its stage; a module may import from its
# own stage or an earlier one. A new module must be given its place here.
STAGES: list[tuple[str, ...]] = [
    # 0 — plain data and helpers with no knowledge of decks
    ("__init__", "errors", "sizes", "colors", "countries", "labels", "qr", "images", "fonts", "marks"),
    # 1 — reading and validating the deck file
    ("deckfile", "model", "validation", "schema", "salvage", "sheets", "ods", "options"),
    # 2 — the resolved deck, its words and its typography
    ("deck", "text", "wording", "load"),
    # 3 — layout: positions only
    ("layout", "printing", "imposition", "shops"),
    # 4 — drawing on a canvas
    ("draw",),
    # 5 — one module per output: a laid-out deck to bytes
    ("targets",),
    # 6 — checking a finished PDF
    ("preflight",),
    # 7 — the pipeline and the files it writes
    ("pipeline", "processes", "write", "build"),
    # 8 — the command line
    ("cli", "__main__"),
]
STAGE = {name: number for number, names in enumerate(STAGES) for name in names}


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def dotted(path: Path) -> list[str]:
    return list(path.relative_to(SRC).with_suffix("").parts)


def stage_of(parts: list[str]) -> int:
    for length in range(len(parts), 0, -1):
        name = ".".join(parts[:length])
        if name in STAGE:
            return STAGE[name]
    if parts[-1] == "__init__" and len(parts) > 1:
        return stage_of(parts[:-1])
    raise KeyError(".".join(parts))


def imports_in(text: str, here: list[str]) -> set[tuple[str, ...]]:
    """The deckprint modules a module at ``here`` imports, anywhere in ``text``
    (imports inside functions included)."""
    package = here[:-1]
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                target = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "deckprint":
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                found.add(tuple(target))
            else:  # "from . import x": x is a module of the package, or a name in it
                for alias in node.names:
                    module = package + [alias.name]
                    is_module = (SRC.joinpath(*module).with_suffix(".py").exists()
                                 or SRC.joinpath(*module).is_dir())
                    found.add(tuple(module if is_module else package + ["__init__"]))
        elif isinstance(node, ast.Import):
            found.update(tuple(a.name.split(".")[1:]) for a in node.names
                         if a.name.startswith("deckprint."))
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: "/".join(dotted(p)))
def test_no_module_imports_from_a_later_stage(path: Path) -> None:
    mine = stage_of(dotted(path))
    later = sorted(".".join(t) for t in imports_in(path.read_text(encoding="utf-8"), dotted(path))
                   if stage_of(list(t)) > mine)
    assert not later, f"{'.'.join(dotted(path))} (stage {mine}) imports from later stages: {later}"


def test_every_module_has_its_stage() -> None:
    for path in modules():
        stage_of(dotted(path))  # raises KeyError for a module with no place


@pytest.mark.parametrize("path", modules(), ids=lambda p: "/".join(dotted(p)))
def test_modules_and_functions_are_short(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= 500, f"{path.name}: {text.count(chr(10))} lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > 80]
    assert not long, f"{path.name}: {long}"


def test_the_stage_check_catches_an_upward_import() -> None:
    here = ["layout", "card"]
    later = [t for t in imports_in("from ..build import x\nfrom .back import y\n", here)
             if stage_of(list(t)) > stage_of(here)]
    assert later == [("build",)]
