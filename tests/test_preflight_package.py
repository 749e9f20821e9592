"""The preflight package as a whole: its modules form layers, none of them is over 500
lines, and no function over 80 (issue 13)."""

from __future__ import annotations

import ast
from pathlib import Path

import deckprint.preflight

PACKAGE = Path(deckprint.preflight.__file__).parent
# Each module's layer: a module imports only from modules of lower layers.
LAYERS = {
    "report": 0, "objects": 0, "decode": 0,
    "parse": 1, "boxes": 1, "fonts": 1, "colour": 1, "qr": 1,
    "content": 2,
    "check": 3,
    "__init__": 4,
}


def modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(), str(path)) for path in sorted(PACKAGE.glob("*.py"))}


def imported(tree: ast.Module) -> set[str]:
    """The package's modules that ``tree`` imports (``from .x import …``, ``from . import x``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module} if node.module else {alias.name for alias in node.names}
    return names


def test_every_module_has_a_layer():
    assert set(modules()) == set(LAYERS)


def test_modules_import_only_from_lower_layers():
    for name, tree in modules().items():
        for other in imported(tree):
            assert LAYERS[other] < LAYERS[name], f"{name} imports {other}"


def test_no_module_over_500_lines_nor_function_over_80():
    for name, tree in modules().items():
        lines = (PACKAGE / f"{name}.py").read_text().count("\n")
        assert lines <= 500, name
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 <= 80, f"{name}.{node.name}"
