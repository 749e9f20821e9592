"""Reading a deck file: safe YAML, with the line and column of every key and value.

A deck file is untrusted input. PyYAML's safe loader is the starting point, but we do
not let it build the Python objects: we compose the node tree and walk it ourselves, so
that we can

- keep the position of every node (errors point at ``FILE:LINE:COL``);
- refuse any tag that is not plain YAML data (``!!python/object`` and friends);
- bound the nesting depth and the number of values while the file is parsed, and
  count the values while aliases are expanded, so that a "billion laughs" deck or ten
  thousand ``[`` are refused after a bounded amount of work instead of filling the
  memory or the stack;
- refuse duplicate keys, which YAML would otherwise resolve silently to the last one;
- refuse a number too long to be one before it is built (PyYAML turns a megabyte of
  base-60 digits, ``1:0:0:…``, into an int in quadratic time, and Python cannot print
  an int of more than 4,300 digits).

The file itself is opened with the care an image gets (:func:`read_deck_file`): a
regular file, inside the folder it was found in, read with a bound whatever its size
claims to be.

A file that YAML cannot read at all (a syntax error, too big) raises at once. Problems
with values of a readable file (a refused tag, a duplicate key, an alias loop) are
kept in ``RawDeck.problems`` and reading goes on, so that validation reports them with
every other problem of the deck in one run.
"""

from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DeckError, Problem, SheetCell, display_path, excerpt, shape_of

MAX_FILE_BYTES = 5_000_000  # --max-deck-size, in MB (10⁶ bytes)
MAX_VALUES = 300_000  # 5,000 cards of 21 values (the bundled decks) are 105,000; 60 a card fit
MAX_ALIAS_VALUES = 10_000  # values repeated through aliases: this many, or ten times the file's values
ALIAS_RATIO = 10
MAX_DEPTH = 40
MAX_NUMBER_CHARS = 100  # a number longer than this is text without quotes, or an attack

_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}

Path_ = tuple[str | int, ...]



class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, refusing flow nesting deeper than ours.

    The scanner reads up to 1,024 characters ahead of the events in a flow collection,
    so a bound kept on events alone comes after whatever the scanner does with
    ``[[[[…``: libyaml 0.2.6 (PyYAML 6.0.4) stops at its own limit of 1,000 levels with
    its own words, older versions did not stop at all. Counting here makes the bound,
    its message and its position deckprint's, whatever version is installed.
    """

    def fetch_flow_collection_start(self, TokenClass):  # noqa: N803 (PyYAML's name)
        if self.flow_level >= MAX_DEPTH:
            raise _TooBig(self.get_mark(), f"the YAML is nested more than {MAX_DEPTH} levels deep")
        super().fetch_flow_collection_start(TokenClass)


# libyaml's parser when PyYAML has it (10 × faster on a 5,000-card deck) for a file that
# parses; any file it refuses is parsed again by the pure-Python loader, so that every
# problem is found and worded by the same code on every machine.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def format_path(path: Path_) -> str:
    """``("cards", 3, "country")`` → ``cards[3].country``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{excerpt(part)}" if out else excerpt(part)  # a key may be 5 MB long
    return out


@dataclass
class RawDeck:
    """The deck file's data as plain Python values, and where each piece came from."""

    path: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # found while reading; see read_deck_file
    unreadable: set[Path_] = field(default_factory=set)  # their values, refused: None in data
    files: list[Path] = field(default_factory=list)  # other files read into data (a sheet of cards)

    def reported(self, path: Path_) -> bool:
        """Whether reading refused the value at ``path`` or one around it: validation
        says nothing more about it (not "must be text, not nothing")."""
        return any(path[:i] in self.unreadable for i in range(len(path) + 1))

    @functools.cached_property
    def name(self) -> str:  # every problem names the file: worked out once
        return display_path(self.path)

    def problem(self, path: Path_, message: str, *, at_key: bool = False, kind: str = "") -> Problem:
        """A problem located at ``path``, or at the nearest enclosing node we know."""
        table = self.keys if at_key and path in self.keys else self.values
        probe = path
        while probe and probe not in table:
            probe = probe[:-1]
            table = self.values
        position = table.get(probe, (None, None))
        if isinstance(position, SheetCell):  # a card read from a spreadsheet (sheets.py)
            return position.problem(message, kind or shape_of(format_path(path)))
        line, col = position
        return Problem(self.name, line, col, format_path(path), message, kind)


class _Walker:
    def __init__(self, raw: RawDeck, alias_budget: int = MAX_ALIAS_VALUES):
        self.raw = raw
        self.count = 0
        self.repeated = 0
        self.alias_budget = alias_budget
        self.seen: set[int] = set()
        self.open: set[int] = set()  # the sequences and mappings being walked
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()

    def _mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: Node, path: Path_, message: str, *, refused: bool = True) -> None:
        """A problem at ``node``; ``refused``: its value is dropped (None in the data)."""
        line, col = self._mark(node)
        self.problems.append(Problem(self.raw.name, line, col, format_path(path), message))
        if refused:
            self.raw.unreadable.add(path)

    def walk(self, node: Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if id(node) in self.seen:
            self.repeated += 1
        self.seen.add(id(node))
        if self.repeated > self.alias_budget:
            raise _TooBig(node.start_mark, f"aliases repeat more than {self.alias_budget:,} values: refused")
        if self.count > MAX_VALUES:
            raise _TooBig(node.start_mark, f"the deck holds more than {MAX_VALUES:,} values once its "
                                           "aliases are expanded: refused")
        if depth > MAX_DEPTH:
            self._fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        self.raw.values.setdefault(path, self._mark(node))
        if isinstance(node, ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                self._fail(node, path, f"the YAML tag {_short_tag(node.tag)} is not allowed in a deck")
                return None
            if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
                self._fail(node, path, f"a number {len(node.value):,} characters long: deckprint reads "
                                       f"numbers of up to {MAX_NUMBER_CHARS} (put text in quotes)")
                return None
            try:
                return self._scalars.construct_object(node)
            except Exception as exc:  # a malformed int, date, ...
                self._fail(node, path, f"cannot read this value: {excerpt(str(exc), 120)}")
                return None
        if id(node) in self.open:  # "a: &x [*x]"
            self._fail(node, path, "this alias points at a value that contains it (a loop)")
            return None
        self.open.add(id(node))
        try:
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
        finally:
            self.open.discard(id(node))
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
                        self._fail(value_node, path, "'<<' must merge a mapping", refused=False)
                continue
            said = len(self.problems)
            key = self.walk(key_node, path + ("<key>",), depth + 1)
            if key is None and len(self.problems) > said:  # refused, and said so
                continue
            if not isinstance(key, str):
                self._fail(key_node, path, f"keys must be text, not {excerpt(key)}", refused=False)
                continue
            if key in out:
                self._fail(key_node, path + (key,), f"the key '{excerpt(key)}' appears twice", refused=False)
                continue
            self.raw.keys[path + (key,)] = self._mark(key_node)
            out[key] = self.walk(value_node, path + (key,), depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out


class _TooBig(Exception):
    """Too much work: refused where the parser or the walk got to."""

    def __init__(self, mark, message: str):
        self.mark = mark
        self.message = message


def _compose(text: str) -> tuple[Node | None, int]:
    """The node tree of ``text``: libyaml's parser first, ours where it refuses."""
    if _FAST_LOADER is not None:
        try:
            return _compose_with(_FAST_LOADER, text)
        except yaml.YAMLError:
            pass  # found again, and worded, by the loader below
    return _compose_with(_BoundedLoader, text)


def _compose_with(loader_class, text: str) -> tuple[Node | None, int]:
    """YAML text → the node tree of its one document (None when empty), and its size.

    What ``yaml.compose`` does, but in a loop rather than by recursion, and bounded: a
    document nested deeper than :data:`MAX_DEPTH` or with more than :data:`MAX_VALUES`
    nodes is refused as soon as the parser gets there. (libyaml's own composer recurses
    in C: ten thousand ``[`` crash the interpreter; PyYAML's raises RecursionError
    after building a huge tree.) Aliases point at the anchored node, as in PyYAML;
    :class:`_Walker` bounds their expansion.
    """
    loader = loader_class(text)
    try:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            return None, 0
        loader.get_event()  # document start
        anchors: dict[str, Node] = {}
        stack: list[Node] = []  # the open sequences and mappings
        keys: list[Node | None] = []  # per open mapping, the key waiting for its value
        count = 0
        root = None
        while root is None:
            event = loader.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                node = stack.pop()
                keys.pop()
                node.end_mark = event.end_mark
                if not stack:
                    root = node
                continue
            if isinstance(event, AliasEvent):
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(
                        None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
                node = anchors[event.anchor]
            else:
                count += 1
                if count > MAX_VALUES:
                    raise _TooBig(event.start_mark, f"the deck holds more than {MAX_VALUES:,} values: refused")
                tag = event.tag
                if isinstance(event, ScalarEvent):
                    if tag is None or tag == "!":
                        tag = loader.resolve(ScalarNode, event.value, event.implicit)
                    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                      style=event.style)
                else:
                    kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
                    assert isinstance(event, (SequenceStartEvent, MappingStartEvent)), event
                    if tag is None or tag == "!":
                        tag = loader.resolve(kind, None, event.implicit)
                    node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                if event.anchor is not None:
                    anchors[event.anchor] = node  # a later anchor of that name wins
            if stack:
                parent = stack[-1]
                if isinstance(parent, SequenceNode):
                    parent.value.append(node)
                elif keys[-1] is None:
                    keys[-1] = node
                else:
                    parent.value.append((keys[-1], node))
                    keys[-1] = None
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                stack.append(node)
                keys.append(None)
                if len(stack) > MAX_DEPTH + 1:
                    raise _TooBig(event.start_mark, f"the YAML is nested more than {MAX_DEPTH} levels deep")
            elif not stack:
                root = node
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the file", root.start_mark,
                "but found another document", loader.get_event().start_mark)
        return root, count
    finally:
        loader.dispose()


def _short_tag(tag: str) -> str:
    return excerpt(tag.replace("tag:yaml.org,2002:", "!!"))


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.{1 if size >= 1e6 else 3}f} MB"


def read_deck_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES, within: Path | None = None) -> RawDeck:
    """Read and parse a deck file; raise :class:`DeckError` when it cannot be read, and
    keep the problems of a readable one in ``problems`` (see the module's docstring).

    The file must be a regular file in ``within`` (by default the folder its path
    names) once links are followed: a deck found by scanning a folder cannot be a link
    to ``~/.git-credentials``, whose text a message would then quote; nor can a link
    named on the command line lead out of its folder (name the file itself instead).
    """
    raw = RawDeck(path=path, data=None)

    def refuse(message: str) -> DeckError:
        return DeckError([Problem(raw.name, None, None, "", message)])

    try:
        data = _read_regular_file(path, path.parent if within is None else within, max_bytes)
        text = data.decode("utf-8")
    except _Refused as refused:
        raise refuse(refused.message) from None
    except UnicodeDecodeError as exc:
        raise refuse(f"the file is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None
    return parse_deck_text(text, raw)


class _Refused(Exception):
    def __init__(self, message: str):
        self.message = message


# Open without following a link (the path is resolved already), without waiting for a
# writer (a named pipe), and without handing the descriptor to a child process.
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, name, 0) for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC", "O_BINARY"))


def _read_regular_file(path: Path, within: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path`` leads to, inside ``within``: at most
    ``max_bytes``, whatever its size says (a link to ``/dev/zero`` has size 0 and no
    end). A device is never opened: opening some does something."""
    real = os.path.realpath(path)  # never raises on a loop: the open below does
    if not Path(real).is_relative_to(os.path.realpath(within)):
        raise _Refused("the file is a link that leads outside its folder: refused (a deck found in a "
                       "folder must be in it)")
    if os.path.exists(real) and not stat.S_ISREG(os.stat(real).st_mode):
        raise _Refused("not a regular file (a device, a pipe or a folder): refused")
    too_big = "the file is {}, more than the limit of {} (raise it with --max-deck-size)"
    with os.fdopen(os.open(real, _OPEN_FLAGS), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # changed since it was looked at
            raise _Refused("not a regular file (a device, a pipe or a folder): refused")
        if info.st_size > max_bytes:
            raise _Refused(too_big.format(_megabytes(info.st_size), _megabytes(max_bytes)))
        chunks = [handle.read(info.st_size + 1)]  # the whole file, as a rule
        read = len(chunks[0])
        while read <= max_bytes:  # more than its size said (a file in /proc), or it grows
            chunks.append(handle.read(min(1 << 16, max_bytes + 1 - read)))
            if not chunks[-1]:
                break
            read += len(chunks[-1])
    if read > max_bytes:
        raise _Refused(f"the file holds more than the limit of {_megabytes(max_bytes)}, more than its size "
                       "says: refused")
    return chunks[0] if len(chunks) <= 2 else b"".join(chunks)


def parse_deck_text(text: str, raw: RawDeck) -> RawDeck:
    # YAML refuses these characters anywhere in the file, even in quotes; its own error
    # has no line and column.
    unreadable = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if unreadable:
        start = unreadable.start()
        line, col = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        raise DeckError([Problem(raw.name, line, col, "",
                                 f"control character U+{ord(unreadable.group()):04X} is not allowed "
                                 "in a YAML file")])
    try:
        node, size = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in str(exc.problem):
            mark = exc.context_mark  # an unclosed quote: point where it opens
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(filter(None, [exc.context, exc.problem]))
        raise DeckError([Problem(raw.name, line, col, "", f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as exc:
        raise DeckError([Problem(raw.name, None, None, "", f"YAML error: {exc}")]) from None
    except _TooBig as big:
        raise DeckError([Problem(raw.name, big.mark.line + 1, big.mark.column + 1, "", big.message)]) from None
    if node is None:
        raise DeckError([Problem(raw.name, 1, 1, "", "the file is empty")])
    # Aliases may repeat ten times the values the file holds (a 5,000-card deck whose
    # cards all say "source: *article"), but not blow it up a thousandfold.
    walker = _Walker(raw, alias_budget=max(MAX_ALIAS_VALUES, ALIAS_RATIO * size))
    try:
        raw.data = walker.walk(node, ())
    except _TooBig as big:
        raise DeckError([Problem(raw.name, big.mark.line + 1, big.mark.column + 1, "", big.message)]) from None
    raw.problems.extend(walker.problems)
    return raw
