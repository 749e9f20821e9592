"""One module per output. Each turns a laid-out deck into files (name → bytes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """A finished file, not yet written: build.py writes it atomically, into the
    deck's folder or, with ``folder``, into that subfolder of it (the PNG faces go to
    ``png/``, or ``png/<shop>/`` for a print service's preset)."""

    name: str
    data: bytes
    pages: int
    what: str
    folder: str = ""
