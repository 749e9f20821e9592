"""The command frame: validate, list, schema, new, exit codes, and the installed package."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import deckprint
from conftest import DECKS, ENGLISH, FRENCH, ROOT, run


def test_validate_bundled_decks_from_an_empty_folder(tmp_path: Path) -> None:
    # No decks/ here: the decks bundled with the package are used.
    result = run("validate", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "travailleurs-ia.yaml: ok — 21 cards, fr, tarot" in result.stdout
    assert "ai-workers.yaml: ok — 21 cards, en, tarot" in result.stdout


def test_validate_uses_decks_folder_of_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "decks").mkdir()
    shutil.copy(FRENCH, tmp_path / "decks" / "mine.yaml")
    result = run("validate", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["decks/mine.yaml: ok — 21 cards, fr, tarot"]


def test_validate_reports_all_decks_and_fails_if_one_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FRENCH.read_text(encoding="utf-8").replace("country: Chine", "country: Chinaa", 1), encoding="utf-8")
    result = run("validate", str(FRENCH), str(bad))
    assert result.exit_code == 1
    assert "travailleurs-ia.yaml: ok" in result.stdout
    assert 'cards[0].country: unknown country "Chinaa" (did you mean "Chine"?)' in result.stderr
    assert "1 deck(s) with problems" in result.stderr


def test_list_shows_title_language_and_count() -> None:
    result = run("list", str(DECKS))
    assert result.exit_code == 0
    lines = sorted(result.stdout.splitlines())
    assert lines[0].split("\t")[1:] == ["ai-workers", "The Invisible Workers of AI", "en", "21 cards"]
    assert lines[1].split("\t")[1:] == ["travailleurs-ia", "Les travailleurs invisibles de l’IA", "fr", "21 cards"]


def test_schema_is_json_schema_of_the_format() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"deckprint", "deck", "cards"}
    assert schema["additionalProperties"] is False
    card = schema["$defs"]["Card"]
    assert {"name", "role", "country", "testimony", "conditions", "impact", "source", "image"} <= set(card["properties"])
    assert card["additionalProperties"] is False


def test_schema_accepts_the_bundled_decks() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads(run("schema").stdout)
    for deck in (FRENCH, ENGLISH):
        data = yaml.safe_load(deck.read_text(encoding="utf-8"))
        data["deck"]["source"]["date"] = str(data["deck"]["source"]["date"])
        jsonschema.validate(data, schema)


def test_new_writes_a_deck_that_validates_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "my-deck.yaml"
    assert run("new", str(path)).exit_code == 0
    assert run("validate", str(path)).exit_code == 0
    before = path.read_bytes()
    result = run("new", str(path))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert path.read_bytes() == before


def test_exit_codes(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "missing.yaml")).exit_code == 1
    assert run("build", "--duplex", "sideways").exit_code == 2
    assert run("no-such-command").exit_code == 2
    assert run("build", "--back-offset", "abc").exit_code == 2


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "deckprint", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert deckprint.__version__ in result.stdout


def test_the_command_ends_at_once_with_its_output_and_exit_code(tmp_path: Path) -> None:
    # main() ends the process without Python's teardown: what was printed must still
    # reach a pipe whole, and the exit code must be click's.
    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "deckprint", *args], capture_output=True, text=True)

    schema = command("schema")
    assert schema.returncode == 0
    assert schema.stdout == run("schema").output and len(schema.stdout) > 8192  # more than a buffer
    assert command("build", "--duplex", "sideways").returncode == 2
    missing = command("validate", str(tmp_path / "missing.yaml"))
    assert missing.returncode == 1 and "missing.yaml" in missing.stderr


def test_user_error_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deckprint: 1\ndeck: [\n", encoding="utf-8")
    exe = shutil.which("deckprint")
    command = [exe] if exe else [sys.executable, "-m", "deckprint"]
    result = subprocess.run(command + ["validate", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bad.yaml:" in result.stderr


@pytest.mark.skipif(Path(deckprint.__file__).resolve().is_relative_to(ROOT),
                    reason="deckprint is imported from the checkout, not installed")
def test_installed_package_carries_its_fonts_and_decks() -> None:
    from deckprint.fonts import package_data

    package = Path(deckprint.__file__).resolve().parent
    for name in ("fonts", "decks"):
        folder = package_data(name)
        assert folder.resolve().is_relative_to(package), folder
    assert (package_data("fonts") / "NotoSans-Regular.ttf").is_file()
    assert (package_data("fonts") / "OFL.txt").is_file()
    assert sorted(p.name for p in package_data("decks").glob("*.yaml")) == ["ai-workers.yaml", "travailleurs-ia.yaml"]


def test_readme_commands_are_the_ones_tested() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install . && deckprint build" in readme
    assert "pip install '.[test]' && pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet '.[test]' && pytest" in ci


def test_bundled_schema_file_is_current() -> None:
    # decks/deck.schema.json is what the bundled decks' yaml-language-server line uses.
    assert (DECKS / "deck.schema.json").read_text(encoding="utf-8") == run("schema").stdout
    for deck in (FRENCH, ENGLISH):
        assert deck.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=./deck.schema.json\n")
