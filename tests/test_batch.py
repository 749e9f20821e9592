"""Batch builds: many decks, one failing deck does not stop the others, parallel jobs
give the same bytes, up-to-date decks are skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENGLISH, FRENCH, run


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    shutil.copy(FRENCH, decks / "fr.yaml")
    shutil.copy(ENGLISH, decks / "en.yaml")
    bad = FRENCH.read_text(encoding="utf-8").replace("id: travailleurs-ia", "id: broken").replace(
        "country: Chine", "country: Chinaa", 1)
    (decks / "broken.yaml").write_text(bad, encoding="utf-8")
    return decks


def test_one_bad_deck_does_not_stop_the_others(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", str(folder), "--out", str(out), "--target", "print")
    assert result.exit_code == 1
    assert 'broken.yaml:55:14: cards[0].country: unknown country "Chinaa"' in result.stderr
    assert "2 deck(s) built, 0 up to date, 1 failed" in result.stderr
    assert (out / "travailleurs-ia" / "travailleurs-ia-print.pdf").is_file()
    assert (out / "ai-workers" / "ai-workers-print.pdf").is_file()
    assert not (out / "broken").exists()


def test_parallel_jobs_give_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").unlink()
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert run("build", str(folder), "--out", str(serial), "--jobs", "1", "--target", "pnp", "--target", "print").exit_code == 0
    assert run("build", str(folder), "--out", str(parallel), "--jobs", "2", "--target", "pnp", "--target", "print").exit_code == 0
    files = sorted(p.relative_to(serial) for p in serial.rglob("*.pdf"))
    assert len(files) == 4
    for name in files:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_up_to_date_decks_are_skipped_until_an_input_or_option_changes(tmp_path: Path) -> None:
    deck = tmp_path / "fr.yaml"
    shutil.copy(FRENCH, deck)
    out = tmp_path / "out"
    args = ("build", str(deck), "--out", str(out), "--target", "print")
    first = run(*args)
    assert "fr-print.pdf" not in first.stdout and "travailleurs-ia-print.pdf\t42 pages" in first.stdout
    pdf = out / "travailleurs-ia" / "travailleurs-ia-print.pdf"
    stamp = pdf.stat().st_mtime_ns
    again = run(*args)
    assert again.exit_code == 0
    assert again.stdout.strip().endswith("fr.yaml: up to date, skipped (--force rebuilds)")
    assert pdf.stat().st_mtime_ns == stamp
    assert "42 pages" in run(*args, "--force").stdout  # --force rebuilds
    assert "42 pages" in run(*args, "--bleed", "2").stdout  # other options: rebuilt
    assert "up to date" in run(*args, "--bleed", "2").stdout
    later = pdf.stat().st_mtime_ns + 10**9
    os.utime(deck, ns=(later, later))  # the deck file changed
    assert "42 pages" in run(*args, "--bleed", "2").stdout
    pdf.unlink()  # an output went missing
    assert "42 pages" in run(*args, "--bleed", "2").stdout


def test_an_up_to_date_build_reads_no_deck_and_imports_no_drawing_code(tmp_path: Path) -> None:
    """Nothing to do should cost next to nothing: the build record is checked before
    the deck is read, with neither ReportLab nor the deck model imported."""
    deck = tmp_path / "fr.yaml"
    shutil.copy(FRENCH, deck)
    command = [sys.executable, "-X", "importtime", "-m", "deckprint", "build", str(deck), "--out", str(tmp_path / "out")]
    heavy = {"reportlab", "pydantic", "numpy", "pikepdf", "pypdfium2"}

    def imported(stderr: str) -> set[str]:
        return {line.split("|")[-1].strip().split(".")[0] for line in stderr.splitlines()
                if line.startswith("import time:")}

    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "travailleurs-ia-print.pdf" in first.stdout and heavy <= imported(first.stderr)
    again = subprocess.run(command, capture_output=True, text=True, check=True)
    assert again.stdout.endswith("fr.yaml: up to date, skipped (--force rebuilds)\n")
    assert not imported(again.stderr) & heavy, imported(again.stderr) & heavy


def test_a_deck_whose_id_changed_is_built_into_its_new_folder(tmp_path: Path) -> None:
    deck = tmp_path / "fr.yaml"
    shutil.copy(FRENCH, deck)
    out = tmp_path / "out"
    assert "travailleurs-ia-print.pdf" in run("build", str(deck), "--out", str(out), "--target", "print").stdout
    deck.write_text(FRENCH.read_text(encoding="utf-8").replace("id: travailleurs-ia", "id: renamed"), encoding="utf-8")
    assert "renamed-print.pdf" in run("build", str(deck), "--out", str(out), "--target", "print").stdout
    assert "up to date" in run("build", str(deck), "--out", str(out), "--target", "print").stdout


def test_quiet_prints_nothing_but_errors(folder: Path, tmp_path: Path) -> None:
    result = run("build", str(folder), "--out", str(tmp_path / "out"), "--target", "print", "--quiet")
    assert result.stdout == ""
    assert "unknown country" in result.stderr
    (folder / "broken.yaml").unlink()
    result = run("build", str(folder), "--out", str(tmp_path / "out2"), "--target", "print", "-q")
    assert result.exit_code == 0 and result.output == ""


def test_plain_lines_when_not_a_terminal(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").unlink()
    result = run("build", str(folder), "--out", str(tmp_path / "out"), "--target", "print")
    lines = result.stdout.splitlines()
    assert lines[-1] == "2 deck(s) built, 0 up to date, 0 failed"
    assert all("\r" not in line and "Building" not in line for line in lines)
