"""Every kind of deck mistake gets its own located message: each bad deck in
tests/bad_decks/ sits beside the exact lines `deckprint validate` must print for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

BAD = Path(__file__).parent / "bad_decks"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("name", CASES)
def test_bad_deck_gives_its_located_message(name: str) -> None:
    result = run("validate", f"{name}.yaml", cwd=BAD)
    assert result.exit_code == 1
    expected = (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    printed = [line for line in result.stderr.splitlines() if line and "deck(s) with problems" not in line]
    assert printed == expected
    assert "Traceback" not in result.output


def test_every_case_has_its_expected_message() -> None:
    assert {p.stem for p in BAD.glob("*.expected")} == set(CASES)
    assert len(CASES) >= 18
