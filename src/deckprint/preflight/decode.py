"""Content streams' data, decoded filter by filter, never beyond a bound.

A content stream is a few KB in a card and a few MB in a busy map; a stream that
decodes to more than :data:`MAX_STREAM_BYTES` (a decompression bomb: 64 MB of path
operators fit in 70 KB of Flate) is refused with :class:`TooLarge` before more than
the bound is held in memory. qpdf decodes a stream in one go, with no bound
(``read_bytes``), so the filters of the stream's ``/Filter`` chain are applied here one
at a time, each one bounded in the way that fits it:

* **FlateDecode** is inflated here by zlib, a megabyte at a time, and stopped as soon
  as its output passes the bound.
* **LZWDecode** can expand a 12-bit code into some 4,000 bytes, and no cheap look at the
  data bounds its output: it is decoded here, code by code, and stopped as soon as its
  output passes the bound. (Pure Python, 2 to 3 MB of LZW data a second; LZW content is
  rare and comes from old writers.)
* **RunLengthDecode** expands two bytes into up to 128: decoded here, run by run, and
  stopped as soon as its output passes the bound. (qpdf's ``read_bytes`` does not
  decode it at all at its default level: such content used to be "unreadable".)
* **ASCIIHexDecode** and **ASCII85Decode** are counted, not decoded: their output size
  follows from their input (two hex digits a byte; five base-85 digits four bytes, a
  ``z`` four zero bytes), so the exact output size is known before qpdf decodes them.
* **Predictors** (``/DecodeParms`` with ``/Predictor`` over 1, after Flate or LZW) never
  make data larger (PNG rows lose their tag byte, TIFF rows keep their size): once the
  stage's output is known to be within the bound, qpdf decodes that stage again, with
  its predictor.
* **Any other filter** (DCT, JBIG2, CCITT fax, JPX, Crypt: image codecs, which no
  content stream is written in) is refused.

Every stage of a chain is bounded, the last one and those before it. A refused stream
has cost at most the bound (and a megabyte) in memory; one within the bound is held
twice for a moment, as it is copied out of the buffer it was decoded into.

qpdf, where it decodes, works on a scratch stream that the caller owns
(:class:`~deckprint.preflight.parse.ContentReader`), never on the file's own objects.
"""

from __future__ import annotations

import zlib

import pikepdf

MAX_STREAM_BYTES = 64 * 2**20
_FLATE = "/FlateDecode"
_CHUNK = 2**20  # Flate is inflated this much at a time
_WHITESPACE = [bytes([c]) for c in b"\x00\t\n\x0c\r "]


class TooLarge(ValueError):
    """A stream decodes to more than the bound; ``filter`` says in which filter."""

    def __init__(self, filter_name: str):
        super().__init__(f"decodes to over the bound ({filter_name})")
        self.filter = filter_name


def decoded(stream: pikepdf.Stream, scratch: pikepdf.Stream, limit: int = MAX_STREAM_BYTES) -> bytes:
    """``stream``'s data with every filter applied, at most ``limit`` bytes at each step.

    Raises :class:`TooLarge` past the bound, ValueError for a filter that is not read or
    for data that does not decode, pikepdf.PdfError for what qpdf cannot decode."""
    data = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters == _FLATE and "/DecodeParms" not in stream:  # nearly every stream
        return _inflate(data, limit)
    filters, parms = _chain(stream, filters)
    if not filters and len(data) > limit:
        raise TooLarge("no filter")
    for name, parm in zip(filters, parms):
        data = _stage(data, name, parm, scratch, limit)
    return data


def _chain(stream, filters) -> tuple[list[str], list]:
    """The stream's filters (its ``/Filter``), and the decode parameters of each (None
    where none)."""
    if filters is None:
        return [], []
    parms = stream.get("/DecodeParms")
    if not isinstance(filters, pikepdf.Array):
        filters, parms = [filters], [parms]
    elif not isinstance(parms, pikepdf.Array):
        parms = [parms] * len(filters) if parms is None else [parms]
    parms = list(parms) + [None] * (len(filters) - len(parms))
    return [str(f) for f in filters], [p if isinstance(p, pikepdf.Dictionary) else None for p in parms]


def _stage(data: bytes, name: str, parm, scratch: pikepdf.Stream, limit: int) -> bytes:
    """One filter's output, bounded as the module's docstring says."""
    if name in _COUNTED:
        if _COUNTED[name](data) > limit:
            raise TooLarge(name[1:])
        return _by_qpdf(data, name, None, scratch)
    if name not in _DECODED:
        raise ValueError(f"a content stream in {name[1:] or 'an unnamed filter'}, which is not read")
    out = _DECODED[name](data, limit, parm)  # raises TooLarge past the limit
    if _predictor(parm) > 1:  # out is within the bound, and predictors never add bytes
        return _by_qpdf(data, name, parm, scratch)
    return out


def _by_qpdf(data: bytes, name: str, parm, scratch: pikepdf.Stream) -> bytes:
    """One filter applied by qpdf, on the scratch stream."""
    scratch.write(data, filter=pikepdf.Name(name), decode_parms=parm)
    return scratch.read_bytes()


def _predictor(parm) -> int:
    try:
        return int(parm.get("/Predictor", 1)) if parm is not None else 1
    except (TypeError, ValueError):
        return 1


def _inflate(data: bytes, limit: int, parm=None) -> bytes:
    """FlateDecode, a megabyte at a time, stopped once the output passes ``limit``."""
    inflate = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        while size <= limit and not inflate.eof:
            wanted = min(_CHUNK, limit + 1 - size)
            parts.append(inflate.decompress(data, wanted))
            size += len(parts[-1])
            data = inflate.unconsumed_tail
            if not data and len(parts[-1]) < wanted:  # all read, and nothing more held back
                break
    except zlib.error as exc:
        raise ValueError(f"bad Flate data: {exc}") from None
    if size > limit:
        raise TooLarge("FlateDecode")
    return parts[0] if len(parts) == 1 else b"".join(parts)  # one part: nearly every stream


def _run_length(data: bytes, limit: int, parm=None) -> bytes:
    """RunLengthDecode, stopped once the output passes ``limit``: a length byte n < 128
    copies the next n + 1 bytes, n > 128 repeats the next byte 257 − n times, 128 ends."""
    out = bytearray()
    at, end = 0, len(data)
    while at < end and len(out) <= limit:
        n = data[at]
        if n < 128:
            out += data[at + 1:at + 2 + n]
            at += n + 2
        elif n > 128:
            out += data[at + 1:at + 2] * (257 - n)
            at += 2
        else:
            break
    if len(out) > limit:
        raise TooLarge("RunLengthDecode")
    return bytes(out)


def _lzw(data: bytes, limit: int, parm=None) -> bytes:
    """LZWDecode as PDF has it (codes of 9 to 12 bits, most significant bit first; 256
    clears the table, 257 ends), stopped once the output passes ``limit``."""
    early = 1 if parm is None else int(parm.get("/EarlyChange", 1))
    out = bytearray()
    table: list[bytes] = []
    previous = b""
    width, buffer, bits = 9, 0, 0
    for byte in data:
        buffer = (buffer << 8) | byte
        bits += 8
        if bits < width:
            continue
        bits -= width
        code = buffer >> bits
        buffer &= (1 << bits) - 1
        if code == 256:
            table, previous, width = [], b"", 9
            continue
        if code == 257:
            break
        if code < 256:
            entry = _BYTES[code]
        elif code - 258 < len(table):
            entry = table[code - 258]
        elif code - 258 == len(table) and previous:  # the entry this code is about to make
            entry = previous + previous[:1]
        else:
            raise ValueError("bad LZW data: a code not yet defined")
        out += entry
        if len(out) > limit:
            break
        if previous and len(table) < 4096 - 258:
            table.append(previous + entry[:1])
        previous = entry
        if width < 12 and len(table) + 258 + early >= 1 << width:
            width += 1
    if len(out) > limit:
        raise TooLarge("LZWDecode")
    return bytes(out)


_BYTES = [bytes([i]) for i in range(256)]


def _hex_size(data: bytes) -> int:
    """ASCIIHexDecode's output size: two digits a byte, up to ``>``, white space aside."""
    end = _end(data, b">")
    return (end - _spaces(data, end) + 1) // 2


def _a85_size(data: bytes) -> int:
    """ASCII85Decode's output size, at most: five digits make four bytes (a last group
    of k digits k − 1), a ``z`` four zero bytes; up to ``~>``, white space aside."""
    end = _end(data, b"~>")
    zeros = data.count(b"z", 0, end)
    digits = end - _spaces(data, end) - zeros
    return 4 * zeros + digits // 5 * 4 + max(digits % 5 - 1, 0)


def _end(data: bytes, marker: bytes) -> int:
    end = data.find(marker)
    return len(data) if end < 0 else end


def _spaces(data: bytes, end: int) -> int:
    """White space in ``data[:end]``, counted without a copy."""
    return sum(data.count(space, 0, end) for space in _WHITESPACE)


_DECODED = {"/FlateDecode": _inflate, "/LZWDecode": _lzw, "/RunLengthDecode": _run_length}
_COUNTED = {"/ASCIIHexDecode": _hex_size, "/ASCII85Decode": _a85_size}
