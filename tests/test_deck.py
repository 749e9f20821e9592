"""The resolved deck (deckprint.deck) stands without the file model: layout, drawing and
the targets read it with no pydantic behind it (issue 13, part 3)."""

from __future__ import annotations

import subprocess
import sys


def test_the_resolved_deck_needs_no_pydantic_and_no_file_model() -> None:
    probe = ("import sys, deckprint.deck; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core') "
             "or m in ('deckprint.model', 'deckprint.load', 'deckprint.validation', 'deckprint.salvage')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
