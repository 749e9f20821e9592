"""Writing outputs: into the deck's folder and nowhere else, all files or none, and
an earlier run's files removed only when a target's own naming rule says they are its."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deckprint.errors import UserError
from deckprint.targets import Output, Stale
from deckprint.write import output_path, write_outputs


def test_an_output_subfolder_cannot_leave_the_deck_folder(tmp_path: Path) -> None:
    assert output_path(tmp_path, Output("a.png", b"", 1, "", folder="png")) == tmp_path / "png" / "a.png"
    assert output_path(tmp_path, Output("a.png", b"", 1, "", folder="png/mpc")) == tmp_path / "png" / "mpc" / "a.png"
    for folder in ("..", "png/..", "/tmp", ".png", "png/", "png//mpc", "png/../mpc"):
        with pytest.raises(UserError):
            output_path(tmp_path, Output("a.png", b"", 1, "", folder=folder))


def test_outputs_are_written_where_they_say_and_listed_in_order(tmp_path: Path) -> None:
    outputs = [Output("b.pdf", b"B", 2, "bee"), Output("a.png", b"A", 1, "ay", folder="png/mpc")]
    written = write_outputs(tmp_path, outputs)
    assert written == [(tmp_path / "b.pdf", outputs[0]), (tmp_path / "png" / "mpc" / "a.png", outputs[1])]
    assert [path.read_bytes() for path, _ in written] == [b"B", b"A"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.png", "b.pdf", "mpc", "png"]  # no temporary left


def test_stale_files_are_the_rules_own_names_in_its_own_folder(tmp_path: Path) -> None:
    faces = re.compile(r"^\d{2}-[a-z]+\.png$")
    for name in ("01-old.png", "02-kept.png", "notes.txt"):
        (tmp_path / "png").mkdir(exist_ok=True)
        (tmp_path / "png" / name).write_bytes(b"earlier")
    (tmp_path / "03-elsewhere.png").write_bytes(b"not in the rule's folder")
    write_outputs(tmp_path, [Output("02-kept.png", b"new", 1, "", folder="png")], [Stale("png", faces)])
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["02-kept.png", "notes.txt"]
    assert (tmp_path / "png" / "02-kept.png").read_bytes() == b"new"
    assert (tmp_path / "03-elsewhere.png").exists()
    write_outputs(tmp_path, [], [Stale("gone", faces)])  # a rule for a folder never made: nothing to do
