"""One module per output. Each turns a laid-out deck into files (name → bytes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """A finished file, not yet written: build.py writes it atomically."""

    name: str
    data: bytes
    pages: int
    what: str
