"""Everything a user types in the README works: each `deckprint …` line of its ```sh
blocks is run, in a fresh folder holding a copy of the bundled decks."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from conftest import DECKS, ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def sh_lines() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_commands_run(tmp_path: Path) -> None:
    shutil.copytree(DECKS, tmp_path / "decks")
    commands = [line for line in sh_lines() if line.startswith("deckprint ")]
    assert len(commands) >= 6, commands
    for line in commands:
        words = shlex.split(line.split("#")[0])
        redirect = None
        if ">" in words:
            redirect = tmp_path / words[words.index(">") + 1]
            words = words[:words.index(">")]
        result = run(*words[1:], cwd=tmp_path)
        assert result.exit_code == 0, (line, result.output)
        if redirect:
            redirect.write_text(result.stdout, encoding="utf-8")
    assert list((tmp_path / "output").iterdir()), "the README's build wrote nothing"


def test_the_two_setup_commands_are_there() -> None:
    lines = sh_lines()
    assert "pip install . && deckprint build" in lines
    assert "pip install '.[test]' && pytest" in lines


def test_the_error_example_is_what_validate_prints(tmp_path: Path) -> None:
    """The README's example output comes from tests/bad_decks/one-round.yaml, saved as
    decks/x.yaml: one run, three problems, each at its line and column."""
    block = re.search(r"Mistakes are reported all at once.*?```\n(.*?)```", README, flags=re.S)[1]
    (tmp_path / "decks").mkdir()
    shutil.copy(ROOT / "tests" / "bad_decks" / "one-round.yaml", tmp_path / "decks" / "x.yaml")
    result = run("validate", "decks/x.yaml", cwd=tmp_path)
    assert result.exit_code == 1
    printed = [line for line in result.stderr.splitlines() if "deck(s) with problems" not in line]
    assert printed == block.splitlines()
