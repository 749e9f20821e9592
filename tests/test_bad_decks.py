"""Every kind of deck mistake gets its own located message: each bad deck in
tests/bad_decks/ sits beside the exact lines `deckprint validate` must print for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run

BAD = Path(__file__).parent / "bad_decks"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


@pytest.mark.parametrize("name", CASES)
def test_bad_deck_gives_its_located_message(name: str, request: pytest.FixtureRequest) -> None:
    result = run("validate", f"{name}.yaml", cwd=BAD)
    assert result.exit_code == 1
    printed = [line for line in result.stderr.splitlines() if line and "deck(s) with problems" not in line]
    if request.config.getoption("--update-expected"):  # pytest --update-expected, then read the diff
        (BAD / f"{name}.expected").write_text("".join(f"{line}\n" for line in printed), encoding="utf-8")
    expected = (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert printed == expected
    assert "Traceback" not in result.output


def test_every_case_has_its_expected_message() -> None:
    assert {p.stem for p in BAD.glob("*.expected")} == set(CASES)
    assert len(CASES) >= 18


def every_path(node, at: tuple = ()):
    yield at
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, item in items:
        yield from every_path(item, at + (key,))


def test_a_wrong_value_anywhere_hides_no_problem_elsewhere(tmp_path: Path) -> None:
    """One run, every problem (issue 12, point 4): each value of the full deck in turn
    is made a wrong one — a mapping where text, a list or a number belongs, or the
    reverse — beside an unknown country in another card. Both are reported, at their
    places, and nothing crashes."""
    import shutil

    import yaml

    from deckprint.deckfile import format_path
    from deckprint.errors import DeckError
    from deckprint.load import load_deck

    good = Path(__file__).parent / "good_decks"
    shutil.copytree(good, tmp_path, dirs_exist_ok=True)
    data = yaml.safe_load((good / "full.yaml").read_text(encoding="utf-8"))
    data["cards"].append({"name": "Koffi", "role": "Miner", "country": "Chinaa", "testimony": "I dig."})
    planted = "cards[1].country"
    paths = [p for p in every_path(data) if p and p[:2] != ("cards", 1) and p != ("cards",)]
    assert len(paths) > 50
    for path in paths:
        broken = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
        parent = broken
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = [] if isinstance(parent[path[-1]], dict) else {"wrong": "value"}
        deck = tmp_path / "broken.yaml"
        deck.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with pytest.raises(DeckError) as failure:
            load_deck(deck)
        where = [p.path for p in failure.value.problems]
        assert planted in where, (path, where)
        here = format_path(path)
        assert any(w.startswith(here) or here.startswith(w) for w in where if w != planted), (path, where)
