"""One module per output. Each turns a laid-out deck into files (name → bytes); none
of them lays out, checks or writes anything (``pipeline.py`` and ``write.py`` do)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """A finished file, not yet written: ``write.py`` writes it atomically, into the
    deck's folder or, with ``folder``, into that subfolder of it (the PNG faces go to
    ``png/``, or ``png/<shop>/`` for a print service's preset; the kit to ``kit/``)."""

    name: str
    data: bytes
    pages: int
    what: str
    folder: str = ""


@dataclass(frozen=True)
class Stale:
    """How a target names its own files in one subfolder of the deck's folder: after a
    run, those of them the run did not write are an earlier run's (a card since
    removed, a read-me in the deck's former language) and are deleted."""

    folder: str
    names: re.Pattern[str]
