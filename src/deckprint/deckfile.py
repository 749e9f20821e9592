"""Reading a deck file: safe YAML, with the line and column of every key and value.

A deck file is untrusted input. PyYAML's safe loader is the starting point, but we do
not let it build the Python objects: we compose the node tree and walk it ourselves, so
that we can

- keep the position of every node (errors point at ``FILE:LINE:COL``);
- refuse any tag that is not plain YAML data (``!!python/object`` and friends);
- count the values while aliases are expanded, so that a "billion laughs" deck is
  refused after a bounded amount of work instead of filling the memory;
- refuse duplicate keys, which YAML would otherwise resolve silently to the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DeckError, Problem, display_path

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 500_000  # a 5,000-card deck has about 100,000
MAX_ALIAS_VALUES = 10_000  # values reached again through aliases: honest reuse is small
MAX_DEPTH = 40

_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    """``("cards", 3, "country")`` → ``cards[3].country``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class RawDeck:
    """The deck file's data as plain Python values, and where each piece came from."""

    path: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return display_path(self.path)

    def problem(self, path: Path_, message: str, *, at_key: bool = False) -> Problem:
        """A problem located at ``path``, or at the nearest enclosing node we know."""
        table = self.keys if at_key and path in self.keys else self.values
        probe = path
        while probe and probe not in table:
            probe = probe[:-1]
            table = self.values
        line, col = table.get(probe, (None, None))
        return Problem(self.name, line, col, format_path(path), message)


class _Walker:
    def __init__(self, raw: RawDeck):
        self.raw = raw
        self.count = 0
        self.repeated = 0
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()

    def _mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: Node, path: Path_, message: str) -> None:
        line, col = self._mark(node)
        self.problems.append(Problem(self.raw.name, line, col, format_path(path), message))

    def walk(self, node: Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if id(node) in self.seen:
            self.repeated += 1
        self.seen.add(id(node))
        if self.count > MAX_VALUES or self.repeated > MAX_ALIAS_VALUES:
            raise _TooBig(node)
        if depth > MAX_DEPTH:
            self._fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        self.raw.values.setdefault(path, self._mark(node))
        if isinstance(node, ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                self._fail(node, path, f"the YAML tag {_short_tag(node.tag)} is not allowed in a deck")
                return None
            try:
                return self._scalars.construct_object(node)
            except Exception as exc:  # a malformed int, date, ...
                self._fail(node, path, f"cannot read this value: {exc}")
                return None
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                self._fail(node, path, f"the YAML tag {_short_tag(node.tag)} is not allowed in a deck")
                return None
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                self._fail(node, path, f"the YAML tag {_short_tag(node.tag)} is not allowed in a deck")
                return None
            return self._mapping(node, path, depth)
        raise AssertionError(f"unknown YAML node {node!r}")

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                # "<<: *defaults": honest reuse of a mapping; explicit keys win.
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    value = self.walk(source, path, depth + 1)
                    if isinstance(value, dict):
                        merged.update({k: v for k, v in value.items() if k not in merged})
                    else:
                        self._fail(value_node, path, "'<<' must merge a mapping")
                continue
            key = self.walk(key_node, path + ("<key>",), depth + 1)
            if not isinstance(key, str):
                self._fail(key_node, path, f"keys must be text, not {key!r}")
                continue
            if key in out:
                self._fail(key_node, path + (key,), f"the key '{key}' appears twice")
                continue
            self.raw.keys[path + (key,)] = self._mark(key_node)
            out[key] = self.walk(value_node, path + (key,), depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out


class _TooBig(Exception):
    def __init__(self, node: Node):
        self.node = node


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def read_deck_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> RawDeck:
    """Read and parse a deck file; raise :class:`DeckError` with every problem found."""
    raw = RawDeck(path=path, data=None)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DeckError([Problem(raw.name, None, None, "",
                                     f"the file is {size / 1e6:.1f} MB, more than the limit of "
                                     f"{max_bytes / 1e6:.1f} MB (raise it with --max-deck-size)")])
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError([Problem(raw.name, None, None, "",
                                 f"the file is not UTF-8 text (byte {exc.start})")]) from None
    except OSError as exc:
        raise DeckError([Problem(raw.name, None, None, "",
                                 f"cannot read the file: {exc.strerror or exc}")]) from None
    return parse_deck_text(text, raw)


def parse_deck_text(text: str, raw: RawDeck) -> RawDeck:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):
            mark = exc.context_mark  # an unclosed quote: point where it opens
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(filter(None, [exc.context, exc.problem]))
        raise DeckError([Problem(raw.name, line, col, "", f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        raise DeckError([Problem(raw.name, None, None, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DeckError([Problem(raw.name, None, None, "", "the YAML is nested too deeply")]) from None
    if node is None:
        raise DeckError([Problem(raw.name, 1, 1, "", "the file is empty")])
    walker = _Walker(raw)
    try:
        raw.data = walker.walk(node, ())
    except _TooBig as big:
        line, col = walker._mark(big.node)
        raise DeckError([Problem(raw.name, line, col, "",
                                 "the deck expands to too many values (more than "
                                 f"{MAX_VALUES:,}, or {MAX_ALIAS_VALUES:,} through aliases): refused")]) from None
    if walker.problems:
        raise DeckError(walker.problems)
    return raw
