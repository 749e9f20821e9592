"""Every file deckprint writes for the bundled decks, byte for byte, against SHA-256
hashes recorded in ``tests/reference-outputs.json``.

The hashes were recorded before the redesign of issue 13 ("one room per job"), so that
moving code between rooms shows up as a changed byte. A change that is meant to change
the output refreshes them with ``pytest --update-reference-outputs`` and says why in its
commit. The bytes also depend on the libraries that write them (ReportLab's PDF, Pillow's
PNG, pdfium's rendering, qrcode's matrix): the record names their versions, and under
other versions the comparison is skipped with a message saying so, rather than failing a
fresh install on a library's release.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import ENGLISH, FRENCH, run

RECORD = Path(__file__).with_name("reference-outputs.json")
LIBRARIES = ("reportlab", "rl_accel", "pillow", "pypdfium2", "qrcode", "pyphen", "babel")

# Every target, the kit, and one PNG shop preset of each kind; PNGs at 72 dpi to keep the
# test quick (they are rendered from the same print-shop PDF at any resolution).
BUILDS = [
    ("build", "--target", "pnp", "--target", "print", "--target", "posters", "--target", "guide",
     "--paper", "a4", "--paper", "letter"),
    ("build", "--target", "png", "--dpi", "72"),
    ("kit",),
]


def produce(out: Path) -> dict[str, str]:
    for command in BUILDS:
        result = run(*command, str(FRENCH), str(ENGLISH), "--out", str(out))
        assert result.exit_code == 0, (command, result.output)
    return {str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*")) if path.is_file() and not path.name.startswith(".")}


def test_outputs_are_the_recorded_bytes(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    versions = {name: version(name) for name in LIBRARIES}
    hashes = produce(tmp_path)
    if request.config.getoption("--update-reference-outputs"):
        RECORD.write_text(json.dumps({"versions": versions, "files": hashes}, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
        return
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    if recorded["versions"] != versions:
        pytest.skip(f"recorded with {recorded['versions']}, running {versions}: "
                    "refresh with --update-reference-outputs after checking the output")
    assert sorted(hashes) == sorted(recorded["files"])
    changed = [name for name in hashes if hashes[name] != recorded["files"][name]]
    assert not changed, f"{len(changed)} of {len(hashes)} files changed: {changed}"
