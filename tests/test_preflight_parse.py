"""Content streams parsed by qpdf (preflight/parse.py): the same operations as an
independent parser (pypdf's), the same findings on a built deck, linear time on
hostile input, and content with nothing to check left unparsed."""

from __future__ import annotations

import time
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import (
    BooleanObject,
    ContentStream,
    DecodedStreamObject,
    NameObject,
    NullObject,
)

import deckprint.preflight.check as check_module
from deckprint.preflight import check_pdf_data
from deckprint.preflight.parse import (
    KEEP,
    READ,
    SIGNS,
    STRING,
    ContentReader,
    Parsed,
    parse_content,
)

# Operators that change nothing a check reads unless another operator follows in the
# same content: the ones that content without SIGNS may hold.
INERT = {b"q", b"Q", b"cm", b"BT", b"Tm", b"Tr"}


@pytest.fixture(scope="module")
def print_file(built) -> Path:
    return next(p for p in sorted(built.glob("*/*.pdf")) if p.name.endswith("-print.pdf"))


def built_streams(path: Path, pages: int = 6) -> list[bytes]:
    """The decoded content of the first pages of a built file and of the forms they place."""
    reader = pypdf.PdfReader(path)
    streams = []
    for page in reader.pages[:pages]:
        streams.append(page.get_contents().get_data())
        for xobject in page["/Resources"].get("/XObject", {}).values():
            streams.append(xobject.get_object().get_data())
    return streams


HAND_MADE = (b"q 1 0 0 1 5 5 cm BT /F#31 9 Tf (a (nested) \\) string) Tj [(x) -20 <41>] TJ ET Q "
             b"BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff\x10 EI /CS0 cs 0.5 scn [1 /a true false null] 0 Tr")


def pypdf_operations(data: bytes, reader=None) -> list[tuple[bytes, list]]:
    """What pypdf's content parser finds in ``data``, as :func:`parse_content` gives it."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    ops = []
    for args, op in ContentStream(stream, reader).operations:
        if op == b"INLINE IMAGE":
            ops.append((b"BI", [{str(k): _plain(v) for k, v in args["settings"].items()}]))
        elif op in KEEP:
            ops.append((op, [_plain(a) for a in args] if op in READ else []))
    return ops


def _plain(value):
    """A pypdf operand as :mod:`deckprint.preflight.parse` gives operands."""
    if isinstance(value, NullObject):
        return None
    if isinstance(value, BooleanObject):
        return value.value
    if isinstance(value, NameObject):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return STRING


def rounded(ops):
    return [(op, [round(a, 4) if isinstance(a, float) else a for a in args]) for op, args in ops]


def test_operations_agree_with_pypdf(print_file):
    """qpdf's parse, as deckprint reads it, sees the same operators and operands as
    pypdf's: in the pages and forms deckprint writes, and in awkward hand-made content
    (escaped names, nested parentheses, an inline image whose data holds ``EI``)."""
    for data in built_streams(print_file) + [HAND_MADE]:
        ours = [(op, args) for op, args in parse_content(data) if op != b"BI"]
        theirs = [(op, args) for op, args in pypdf_operations(data) if op != b"BI"]
        assert rounded(ours) == rounded(theirs)
    (ours,) = [args for op, args in parse_content(HAND_MADE) if op == b"BI"]
    assert ours == [{"/Width": 2.0, "/Height": 2.0, "/ColorSpace": "/DeviceGray", "/BitsPerComponent": 8.0}]


def test_both_readings_of_qpdf_agree():
    """Operations are read from qpdf's writing of them, or, when an inline image spans
    lines, from its objects: the two give the same operations."""
    content = (b"q 1 0 0 1 5.25 -.5 cm BT /F#31 9 Tf /Caf#C3#A9 7 Tf /A#20B cs 0.5 /P0 scn "
               b"(a\nb) Tj [1 2] 3 Tf true 1 Tf ET Q")
    plain = parse_content(content)
    with_image = parse_content(content + b" BI /W 1 /H 1 /BPC 8 /CS /G ID \n EI")
    assert with_image[:-1] == plain and with_image[-1][0] == b"BI"
    assert plain[1] == (b"cm", [1.0, 0.0, 0.0, 1.0, 5.25, -0.5])
    assert [args for op, args in plain if op == b"Tf"] == [["/F1", 9.0], ["/Café", 7.0], [[1.0, 2.0], 3.0],
                                                            [True, 1.0]]
    assert (b"cs", ["/A B"]) in plain and (b"scn", [0.5, "/P0"]) in plain


def test_the_same_findings_as_an_independent_parser_on_a_built_deck(print_file, monkeypatch):
    """The report on a bundled deck's print file is the same when every content stream
    (all of them: none is left unparsed) is parsed by pypdf instead of qpdf."""

    class PypdfReader(ContentReader):
        def _checked(self, data: bytes) -> Parsed:
            return Parsed(pypdf_operations(data), None)

    data = print_file.read_bytes()
    ours = check_pdf_data(data, print_file, qr=False)
    monkeypatch.setattr(check_module, "ContentReader", PypdfReader)
    theirs = check_pdf_data(data, print_file, qr=False)
    assert ours.to_dict() == theirs.to_dict()
    assert ours.smallest_text_pt and any(f.code == "boxes.trim" for f in ours.findings)


def test_content_with_nothing_to_check_is_not_parsed(print_file):
    """Every operator a check reads holds one of SIGNS, so content without them holds no
    such operator: in deckprint's files, the QR codes' forms (paths and fills)."""
    assert all(any(sign in op for sign in SIGNS) for op in KEEP - INERT | {b"BI"})
    skipped = 0
    with ContentReader() as reader:
        for data in built_streams(print_file):
            if reader._checked(data) == Parsed([], None):
                skipped += 1
                assert {op for op, _ in pypdf_operations(data)} <= INERT
            else:
                assert reader._checked(data) == reader.parse(data)
    assert skipped >= 3  # the QR codes of the first three fronts


def test_parsing_stays_linear_on_hostile_input():
    started = time.perf_counter()
    assert parse_content(b"1 " * 300_000 + b"0 Tf") == [(b"Tf", [1.0] * 300_000 + [0.0])]
    parse_content(b"[" + b"1" * 200_000 + b" /x] TJ")
    parse_content(b"[" * 100_000 + b" /x] TJ")
    assert time.perf_counter() - started < 5


def test_damage_is_told():
    with ContentReader() as reader:
        assert reader.parse(b"/F1 9 Tf (a) Tj").damage is None
        damaged = reader.parse(b"1 2 ] 3 Tf")
        assert damaged.damage and damaged.ops  # what qpdf reads of it is still there
        assert reader.parse(b"/F1 9 Tf").damage is None  # each parse tells its own
