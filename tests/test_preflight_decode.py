"""Bounded decoding of content streams (preflight/decode.py): every filter decodes as
qpdf decodes it, and a stream that decodes past the bound is refused — in any filter,
alone or in a chain — without its output being held in memory."""

from __future__ import annotations

import base64
import binascii
import random
import time
import tracemalloc
import zlib
from pathlib import Path

import pikepdf
import pytest
from preflight_helpers import fails, finding, text_card

from deckprint.preflight import MAX_STREAM_BYTES, check_pdf
from deckprint.preflight.decode import TooLarge, decoded
from deckprint.preflight.parse import ContentReader

MB = 2**20


# --- encoders, for the tests' data -----------------------------------------------------

def lzw_pack(codes: list[int], early: int = 1) -> bytes:
    """LZW codes as bits, each as wide as a PDF LZW decoder expects it: 9 bits after a
    clear (256), one more once the table reaches 511, 1023, 2047 entries (less
    ``early``)."""
    value, bits, width, entries, first = 0, 0, 9, 0, True
    for code in codes:
        value, bits = (value << width) | code, bits + width
        if code == 256:
            width, entries, first = 9, 0, True
            continue
        if not first:
            entries += 1
            if 258 + entries - 1 + early in (511, 1023, 2047):
                width += 1
        first = False
    value <<= -bits % 8
    return value.to_bytes((bits + 7) // 8, "big")


def lzw(data: bytes, early: int = 1) -> bytes:
    """LZWDecode's encoding of ``data`` (no more than 3,800 codes: no table reset)."""
    table = {bytes([i]): i for i in range(256)}
    codes, word = [256], b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        codes.append(table[word])
        table[longer] = 258 + len(table) - 256
        word = bytes([byte])
    codes += [table[word], 257]
    assert len(table) < 4096 - 2
    return lzw_pack(codes, early)


def lzw_zeros(cycles: int) -> bytes:
    """An LZW bomb: codes 258, 259, … each one zero longer than the last, to the end of
    the table, then a clear, ``cycles`` times: about 7.4 MB of zeros a cycle, from 5.8 KB."""
    cycle = [256, 0] + list(range(258, 4095))
    return lzw_pack(cycle * cycles + [257])


def run_length(data: bytes) -> bytes:
    """RunLengthDecode's encoding: runs of a repeated byte, literals for the rest."""
    out, at = bytearray(), 0
    while at < len(data):
        run = 1
        while at + run < len(data) and run < 128 and data[at + run] == data[at]:
            run += 1
        if run > 1:
            out += bytes([257 - run, data[at]])
        else:
            literal = data[at:at + 128]
            out += bytes([len(literal) - 1]) + literal
            run = len(literal)
        at += run
    return bytes(out + b"\x80")


ENCODE = {
    "/FlateDecode": zlib.compress,
    "/LZWDecode": lzw,
    "/RunLengthDecode": run_length,
    "/ASCIIHexDecode": lambda data: binascii.hexlify(data) + b">",
    "/ASCII85Decode": lambda data: base64.a85encode(data) + b"~>",
}


def encoded(data: bytes, filters: list[str]) -> bytes:
    """``data`` encoded so that decoding ``filters`` in order gives it back."""
    for name in reversed(filters):
        data = ENCODE[name](data)
    return data


def sample_content() -> bytes:
    rng = random.Random(13)
    words = [b"q", b"Q", b"BT", b"ET", b"/F1 9 Tf", b"(Bonjour) Tj", b"0 0 0 1 k", b"1 0 0 1 17.5 3 cm"]
    return b"\n".join(rng.choice(words) + b" %d" % rng.randrange(10**6) for _ in range(600))


@pytest.fixture()
def pdf():
    with pikepdf.new() as pdf:
        yield pdf


def stream(pdf, raw: bytes, filters: list[str], parms=None) -> pikepdf.Stream:
    s = pikepdf.Stream(pdf, raw)
    s.Filter = pikepdf.Array([pikepdf.Name(f) for f in filters]) if len(filters) != 1 else pikepdf.Name(filters[0])
    if parms is not None:
        s.DecodeParms = parms
    return s


# --- decoding as qpdf decodes ----------------------------------------------------------

CHAINS = [["/FlateDecode"], ["/LZWDecode"], ["/RunLengthDecode"], ["/ASCIIHexDecode"], ["/ASCII85Decode"],
          ["/ASCII85Decode", "/FlateDecode"], ["/ASCIIHexDecode", "/RunLengthDecode"],
          ["/ASCII85Decode", "/LZWDecode"], ["/FlateDecode", "/ASCIIHexDecode"]]


@pytest.mark.parametrize("filters", CHAINS, ids=lambda f: "+".join(n[1:-6] for n in f))
def test_every_filter_decodes_as_qpdf_does(pdf, filters):
    data = sample_content()
    s = stream(pdf, encoded(data, filters), filters)
    scratch = pikepdf.Stream(pdf, b"")
    assert s.read_bytes(pikepdf.StreamDecodeLevel.specialized) == data  # the encoders are right, by qpdf
    assert decoded(s, scratch) == data


def test_lzw_codes_of_every_width_and_both_early_changes(pdf):
    data = random.Random(7).randbytes(3000)  # ~2,700 codes: 9 to 12 bits wide
    for early in (0, 1):
        s = stream(pdf, lzw(data, early), ["/LZWDecode"], pikepdf.Dictionary(EarlyChange=early))
        assert s.read_bytes() == data
        assert decoded(s, pikepdf.Stream(pdf, b"")) == data
    bomb = stream(pdf, lzw_zeros(1), ["/LZWDecode"])
    assert decoded(bomb, pikepdf.Stream(pdf, b"")) == bomb.read_bytes()


def test_predictors_are_applied_by_qpdf_once_the_size_is_known(pdf):
    rows = [bytes([2]) + bytes(range(i % 200, i % 200 + 8)) for i in range(0, 800, 8)]  # PNG "up" rows of 8
    raw = b"".join(rows)
    parms = pikepdf.Dictionary(Predictor=12, Columns=8)
    for name, encode in (("/FlateDecode", zlib.compress), ("/LZWDecode", lzw)):
        s = stream(pdf, encode(raw), [name], parms)
        expected = s.read_bytes()
        assert len(expected) == 800 < len(raw)
        assert decoded(s, pikepdf.Stream(pdf, b"")) == expected


def test_the_bound_is_exact(pdf):
    """At most ``limit`` bytes out of each filter (and so of each stage of a chain)."""
    data = b"0 0 m\n" * 1000
    scratch = pikepdf.Stream(pdf, b"")
    for filters in CHAINS:
        if len(filters) > 1:
            continue
        s = stream(pdf, encoded(data, filters), filters)
        assert decoded(s, scratch, limit=len(data)) == data
        with pytest.raises(TooLarge):
            decoded(s, scratch, limit=len(data) - 1)
    plain = pikepdf.Stream(pdf, data)
    assert decoded(plain, scratch, limit=len(data)) == data
    with pytest.raises(TooLarge):
        decoded(plain, scratch, limit=len(data) - 1)


def test_image_codecs_are_not_read_as_content(pdf):
    s = stream(pdf, b"\xff\xd8\xff", ["/DCTDecode"])
    with pytest.raises(ValueError, match="DCTDecode"):
        decoded(s, pikepdf.Stream(pdf, b""))


# --- bombs -----------------------------------------------------------------------------

BOMBS = {  # filters → data that decodes to 64 MB or more
    "LZW": (["/LZWDecode"], lambda: lzw_zeros(9)),
    "RunLength": (["/RunLengthDecode"], lambda: b"\x81\x00" * (MB // 2)),
    "ASCII85": (["/ASCII85Decode"], lambda: b"z" * (16 * MB) + b"~>"),
    "ASCIIHex+RunLength": (["/ASCIIHexDecode", "/RunLengthDecode"],
                           lambda: binascii.hexlify(b"\x81\x00" * (MB // 2)) + b">"),
    "ASCII85+Flate": (["/ASCII85Decode", "/FlateDecode"],
                      lambda: base64.a85encode(zlib.compress(bytes(64 * MB), 9)) + b"~>"),
    "Flate+LZW": (["/FlateDecode", "/LZWDecode"], lambda: zlib.compress(lzw_zeros(9), 9)),
}


@pytest.mark.parametrize("name", BOMBS)
def test_a_bomb_is_refused_in_any_filter_without_being_held(pdf, name):
    """Decoded with a bound of 1 MB, a stream that would decode to 64 MB is refused, and
    no more than a few MB are ever allocated for it (beyond its own data)."""
    filters, make = BOMBS[name]
    raw = make()
    s = stream(pdf, raw, filters)
    scratch = pikepdf.Stream(pdf, b"")
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(TooLarge) as refused:
            decoded(s, scratch, limit=MB)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.filter == filters[-1][1:] or name == "ASCII85+Flate"
    assert peak < 2 * len(raw) + 4 * MB
    assert elapsed < 5


def test_a_page_of_many_streams_is_bounded_as_a_whole(pdf):
    page = pdf.add_blank_page().obj
    page.Contents = pikepdf.Array([pdf.make_indirect(stream(pdf, zlib.compress(b"0 0 m\n" * 100_000), ["/FlateDecode"]))
                                   for _ in range(4)])  # 600 KB each
    with ContentReader(limit=MB) as reader, pytest.raises(ValueError, match="the page's content streams inflate to over 1 MB"):
        reader.page(page)
    with ContentReader(limit=3 * MB) as reader:
        assert reader.page(page).ops == []  # paths only: nothing to check


# --- the check, with its own bound --------------------------------------------------------

def card_with_content(path: Path, raw: bytes, filters: list[str]) -> Path:
    text_card(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        names = [pikepdf.Name(f) for f in filters]
        pdf.pages[0].obj.Contents = pikepdf.Stream(pdf, raw, Filter=names[0] if len(names) == 1 else names)
        pdf.save(path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)  # as is
    return path


def test_a_content_stream_bomb_is_not_inflated(tmp_path):
    # 72 MB of path operators in 70 KB of Flate: refused at 64 MB, and the page is not
    # rendered for the QR scan either.
    bomb = zlib.compress(b"0 0 m\n" * (12 << 20), 9)
    assert len(bomb) < 200_000
    path = card_with_content(tmp_path / "bomb.pdf", bomb, ["/FlateDecode"])
    started = time.perf_counter()
    report = check_pdf(path)
    assert time.perf_counter() - started < 10
    assert fails(report) == {"content.unreadable"}
    assert "inflates to over 64 MB" in finding(report, "content.unreadable").message
    assert report.qr_codes == []


@pytest.mark.parametrize("filters, raw, last", [
    (["/FlateDecode", "/RunLengthDecode"], lambda: zlib.compress(b"\x81\x00" * (2 * MB), 9), "RunLengthDecode"),
    (["/LZWDecode"], lambda: lzw_zeros(28), "LZWDecode"),
    (["/ASCII85Decode", "/FlateDecode"], lambda: base64.a85encode(zlib.compress(bytes(200 * MB), 9)) + b"~>",
     "FlateDecode"),
], ids=["Flate+RunLength", "LZW", "ASCII85+Flate"])
def test_a_bomb_in_other_filters_is_refused_by_the_check_holding_at_most_the_bound(tmp_path, filters, raw, last):
    """Content that decodes to 200 MB or more: the check refuses it at 64 MB, with the
    filter named, and holds no more than the bound while it does (qpdf would decode all
    of it, and hand it over whole)."""
    path = card_with_content(tmp_path / "bomb.pdf", raw(), filters)
    tracemalloc.start()
    try:
        report = check_pdf(path, qr=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fails(report) == {"content.unreadable"}
    message = finding(report, "content.unreadable").message
    assert f"inflates to over {MAX_STREAM_BYTES >> 20} MB ({last})" in message
    assert peak < 1.5 * MAX_STREAM_BYTES
