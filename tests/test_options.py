"""What a run is asked for: the targets, and a module the command line reads before it
knows whether anything is to be done."""

from __future__ import annotations

import subprocess
import sys

from deckprint.options import ALL_TARGETS, CARD_TARGETS, DEFAULT_TARGETS, KIT, PREVIEW, BuildOptions
from deckprint.pipeline import TARGETS


def test_every_target_the_command_line_offers_is_one_the_pipeline_makes() -> None:
    assert set(CARD_TARGETS) <= set(DEFAULT_TARGETS) <= set(ALL_TARGETS) <= set(TARGETS)
    assert PREVIEW in TARGETS and KIT not in ALL_TARGETS  # the other commands' targets
    assert BuildOptions().targets == DEFAULT_TARGETS


def test_reading_the_options_imports_neither_reportlab_nor_the_deck_model() -> None:
    code = ("import sys, deckprint.options, deckprint.build, deckprint.cli; "
            "print(sorted(m for m in ('reportlab', 'pydantic', 'numpy', 'pikepdf') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
