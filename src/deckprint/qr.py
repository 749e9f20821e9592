"""QR code modules as plain numbers (no drawing here; see ``deckprint.draw.qr``).

``qr_matrix(data)`` gives exactly the matrix of
``qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)`` + ``add_data(data)`` +
``make(fit=True)``, only about ten times faster.  Why it is rewritten: qrcode builds the
8 mask candidates one by one, scores each with pure-Python loops and computes the
Reed-Solomon codewords with a recursive polynomial class; that cost ~12-20 ms a code,
most of a 1,000-card build.  Here:

* what depends only on the version (function patterns, the zigzag order of the data
  modules, the 8 masks) is computed once per version, by qrcode's own code
  (``makeImpl`` for the patterns, ``util.mask_func`` for the masks);
* Reed-Solomon runs on all blocks at once with numpy;
* the 8 candidates are scored together by a numpy port of qrcode's
  ``util.lost_point`` (same scores, same first-minimum tie break), so the same mask wins.

qrcode keeps the parts whose exact choices matter and are cheap: splitting the data
into numeric / alphanumeric / byte segments and the capacity tables.
"""

from __future__ import annotations

import functools
import math
from array import array
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import qrcode
from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_M

from .sizes import mm

QUIET_MODULES = 4  # light margin required around the code, in modules
MIN_MODULE_MM = 0.4  # the print minimum: a smaller module blurs into its neighbours on paper
_EC = ERROR_CORRECT_M
_OPTIMIZE = 20  # qrcode's add_data() default: segment length that switches mode


@dataclass(frozen=True)
class QRMatrix:
    """A QR code without its quiet zone.

    ``runs`` lists the dark modules merged into horizontal runs, ``(row, first_col,
    length)``, row 0 at the top: that is what gets drawn (one rectangle per run). They
    are kept packed (``packed``, unsigned 16-bit triples): a cache of thousands of codes
    as tuples of tuples would weigh 50 KB a code, packed it is 4 KB.
    """

    size: int
    version: int
    packed: bytes

    @property
    def runs(self) -> tuple[tuple[int, int, int], ...]:
        flat = array("H", self.packed)
        return tuple(zip(flat[0::3], flat[1::3], flat[2::3]))

    @functools.cached_property
    def _dark(self) -> frozenset[tuple[int, int]]:
        return frozenset((r, c) for r, c0, n in self.runs for c in range(c0, c0 + n))

    def is_dark(self, row: int, col: int) -> bool:
        return (row, col) in self._dark

    def to_lists(self) -> list[list[bool]]:
        """Rows of booleans, the shape of qrcode's ``get_matrix()``."""
        rows = [[False] * self.size for _ in range(self.size)]
        for r, c0, n in self.runs:
            rows[r][c0 : c0 + n] = [True] * n
        return rows


def side_in_modules(m: QRMatrix) -> int:
    """Width of the code including its quiet zone, in modules."""
    return m.size + 2 * QUIET_MODULES


def module_size(m: QRMatrix, box_side: float) -> float:
    """Module size when the code plus its quiet zone fills a square of ``box_side``
    (any unit); callers check it against their minimum (0.4 mm for print)."""
    return box_side / side_in_modules(m)


@dataclass(frozen=True)
class QRSize:
    """How an output sizes its QR codes, in millimetres on paper: aim at ``target``,
    keep each module between ``module`` (smallest, largest; None: no largest), and
    the whole code at most ``limit`` (what the output has room for)."""

    target: float
    module: tuple[float, float | None] = (MIN_MODULE_MM, None)
    limit: float = math.inf

    def __post_init__(self) -> None:
        if self.module[0] < MIN_MODULE_MM:
            raise ValueError(f"a QR module under the {MIN_MODULE_MM} mm print minimum: {self.module[0]} mm")


class QRTooSmall(ValueError):
    """The room an output has for a code makes its modules smaller than the print
    minimum; ``module_mm`` is what they would be."""

    def __init__(self, matrix: QRMatrix, module_mm: float):
        self.matrix = matrix
        self.module_mm = module_mm
        super().__init__(f"{matrix.size}×{matrix.size} modules would be {module_mm:.2f} mm wide, "
                         f"under the {MIN_MODULE_MM} mm print minimum")


def qr_side(matrix: QRMatrix, size: QRSize) -> float:
    """The side of the code with its quiet zone, in points: the target, moved into
    the module bounds (a long URL makes a larger code, a short one a smaller one),
    then cut to the limit. QRTooSmall when the limit leaves modules under 0.4 mm
    (within the bounds they never are: the smallest is 0.4 mm or more)."""
    modules = side_in_modules(matrix)
    low, high = size.module
    wanted = max(modules * low, size.target if high is None else min(modules * high, size.target))
    side = min(wanted, size.limit)
    if side < wanted and side / modules < MIN_MODULE_MM:
        raise QRTooSmall(matrix, side / modules)
    return mm(side)


@functools.lru_cache(maxsize=8192)
def qr_matrix(data: str) -> QRMatrix:
    """The QR code of ``data`` (level M, smallest version, standard mask choice).

    Cached: a deck reuses the same URLs, and the same payload always gives the same
    matrix.  Raises ValueError when the data does not fit a version-40 code.
    """
    version, codewords = _encode(data)
    lay = _layout(version)
    bits = np.zeros(len(lay.rows), bool)  # remainder bits past the codewords stay 0
    raw = np.unpackbits(codewords).astype(bool)
    bits[: len(raw)] = raw
    masked = bits ^ lay.masks  # (8, data modules)
    candidates = np.repeat(lay.test_base[None], 8, axis=0)
    candidates[:, lay.rows, lay.cols] = masked
    best = int(np.argmin(_penalties(candidates)))  # first minimum, like qrcode
    final = _skeleton(version, False, best)
    final[lay.rows, lay.cols] = masked[best]
    return QRMatrix(final.shape[0], version, _runs(final))


# --- data codewords ---------------------------------------------------------------


class _Bits:
    """Stand-in for qrcode's BitBuffer (only ``put`` and ``len`` are used by
    ``QRData.write``) that appends to one int instead of bit by bit."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def __len__(self) -> int:
        return self.length


def _encode(data: str) -> tuple[int, np.ndarray]:
    """(version, final interleaved codewords) as qrcode's best_fit + create_data."""
    chunks = list(util.optimal_data_chunks(data, minimum=_OPTIMIZE))
    payloads = []
    for chunk in chunks:
        payloads.append(b := _Bits())
        chunk.write(b)

    # qrcode's best_fit: the length fields grow at versions 10 and 27, so re-fit
    # from the version found until the field sizes agree.
    version = 1
    while True:
        sizes = util.mode_sizes_for_version(version)
        needed = sum(4 + sizes[c.mode] + len(p) for c, p in zip(chunks, payloads))
        found = bisect_left(util.BIT_LIMIT_TABLE[_EC], needed, version)
        if found == 41:
            limit = util.BIT_LIMIT_TABLE[_EC][40]
            raise ValueError(
                f"cannot encode {len(data)} characters as a QR code: they need "
                f"{needed} data bits, the largest code (version 40, level M) holds "
                f"{limit} (2331 bytes of plain URL)"
            )
        if util.mode_sizes_for_version(found) is sizes:
            break
        version = found
    version = found

    lay = _layout(version)
    bits = _Bits()
    for chunk, p in zip(chunks, payloads):
        bits.put(chunk.mode, 4)
        bits.put(len(chunk), sizes[chunk.mode])
        bits.put(p.value, p.length)
    limit = 8 * lay.data_count
    bits.put(0, min(limit - len(bits), 4))  # terminator
    bits.put(0, -len(bits) % 8)  # to a byte boundary
    pad = (limit - len(bits)) // 8
    data = bits.value.to_bytes(len(bits) // 8, "big")
    data += bytes([util.PAD0, util.PAD1]) * (pad // 2) + bytes([util.PAD0]) * (pad % 2)
    data = np.frombuffer(data, np.uint8)

    # Reed-Solomon on every block at once.  Blocks are left-padded with zeros to the
    # same length: leading zeros do not change the remainder.
    blocks = np.append(data, 0)[lay.block_index]
    table = _generator_table(lay.ec_count)
    rem = np.zeros((blocks.shape[0], lay.ec_count), np.uint8)
    for column in blocks.T:
        factor = column ^ rem[:, 0]
        rem[:, :-1] = rem[:, 1:]
        rem[:, -1] = 0
        rem ^= table[factor]
    return version, np.concatenate([data, rem.ravel()])[lay.interleave]


_EXP = base.EXP_TABLE
_LOG = base.LOG_TABLE


def _gmul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[(_LOG[a] + _LOG[b]) % 255]


@functools.cache
def _generator_table(n: int) -> np.ndarray:
    """``table[f]`` = f times the generator polynomial prod(x + a^i, i < n), without
    its leading 1: the XOR applied per data byte by the usual RS shift register."""
    g = [1]
    for i in range(n):
        g = [a ^ _gmul(b, _EXP[i]) for a, b in zip(g + [0], [0] + g)]
    return np.array([[_gmul(f, c) for c in g[1:]] for f in range(256)], np.uint8)


# --- per-version layout -------------------------------------------------------------


class _Skeleton(qrcode.QRCode):
    """qrcode's own module layout with the data modules left as None."""

    def map_data(self, data, mask_pattern):
        pass


def _skeleton_lists(version: int, test: bool, mask: int) -> list[list[bool | None]]:
    q = _Skeleton(version=version, error_correction=_EC, border=0)
    q.data_cache = []  # anything but None: makeImpl then skips create_data
    q.makeImpl(test, mask)
    return q.modules


@functools.cache
def _skeleton_cached(version: int, test: bool, mask: int) -> np.ndarray:
    a = np.array([[bool(v) for v in row] for row in _skeleton_lists(version, test, mask)])
    a.flags.writeable = False
    return a


def _skeleton(version: int, test: bool, mask: int) -> np.ndarray:
    """Function patterns (data modules light); ``test=True`` blanks the format and
    version information, as qrcode does while scoring masks."""
    return _skeleton_cached(version, test, mask).copy()


@dataclass(frozen=True)
class _Layout:
    data_count: int  # data codewords
    ec_count: int  # EC codewords per block (the same for every block)
    block_index: np.ndarray  # (blocks, longest) indices into data + [0], left-padded
    interleave: np.ndarray  # order of data + EC codewords in the symbol
    rows: np.ndarray  # data modules in placement order
    cols: np.ndarray
    masks: np.ndarray  # (8, data modules): qrcode's mask_func at each
    test_base: np.ndarray


@functools.cache
def _layout(version: int) -> _Layout:
    blocks = base.rs_blocks(version, _EC)
    counts = [b.data_count for b in blocks]
    (ec_count,) = {b.total_count - b.data_count for b in blocks}
    data_count, longest = sum(counts), max(counts)
    starts = np.cumsum([0] + counts[:-1])

    block_index = np.full((len(blocks), longest), data_count)  # -> the appended 0
    for i, (s, n) in enumerate(zip(starts, counts)):
        block_index[i, longest - n :] = np.arange(s, s + n)
    data_order = [s + j for j in range(longest) for s, n in zip(starts, counts) if j < n]
    ec_order = [data_count + i * ec_count + j for j in range(ec_count) for i in range(len(blocks))]

    # The zigzag of qrcode's map_data: column pairs from the right, up then down,
    # skipping the timing column, over the modules no pattern claims.
    free = [[v is None for v in row] for row in _skeleton_lists(version, True, 0)]
    size = len(free)
    cells, row, step = [], size - 1, -1
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1
        for _ in range(size):
            cells += [(row, c) for c in (col, col - 1) if free[row][c]]
            row += step
        row, step = row - step, -step
    masks = [[util.mask_func(k)(r, c) for r, c in cells] for k in range(8)]

    rows, cols = np.array(cells).T
    return _Layout(
        data_count,
        ec_count,
        block_index,
        np.array(data_order + ec_order),
        rows,
        cols,
        np.array(masks, bool),
        _skeleton_cached(version, True, 0),
    )


# --- mask scoring -------------------------------------------------------------------

def _penalties(c: np.ndarray) -> list[int]:
    """qrcode's ``util.lost_point`` for a stack of candidates ``c`` (k, n, n) bool.

    Same rules, same numbers (the tests compare them), computed with whole-array
    boolean operations on all rows and columns of all candidates at once.
    """
    k, n, _ = c.shape
    dark = np.concatenate([c, c.transpose(0, 2, 1)], axis=1)  # rows, then columns
    light = ~dark

    # Rule 1: a run of L >= 5 same-colour modules costs L - 2, i.e. one point per
    # uniform window of 5 modules (L - 4 of them) plus 2 per run (its first window).
    eq = dark[..., 1:] == dark[..., :-1]
    five = eq[..., :-3] & eq[..., 1:-2] & eq[..., 2:-1] & eq[..., 3:]
    runs = five[..., 0].sum(axis=1) + (five[..., 1:] & ~eq[..., :-4]).sum(axis=(1, 2))
    p1 = five.sum(axis=(1, 2)) + 2 * runs

    # Rule 2: 3 per 2x2 block of one colour (overlapping blocks all count).
    tl = c[:, :-1, :-1]
    same = (tl == c[:, :-1, 1:]) & (tl == c[:, 1:, :-1]) & (tl == c[:, 1:, 1:])
    p2 = 3 * same.sum(axis=(1, 2))

    # Rule 3: 40 per window of 11 modules reading 1011101 0000 or 0000 1011101.
    m = n - 10
    d, li = dark, light
    light4 = li[..., :-3] & li[..., 1:-2] & li[..., 2:-1] & li[..., 3:]
    core = d[..., :-6] & li[..., 1:-5] & d[..., 2:-4] & d[..., 3:-3] & d[..., 4:-2]
    core &= li[..., 5:-1] & d[..., 6:]
    hits = (core[..., :m] & light4[..., 7 : 7 + m]) | (light4[..., :m] & core[..., 4 : 4 + m])
    p3 = 40 * hits.sum(axis=(1, 2))

    # Rule 4: 10 per full 5 % away from half dark (Python floats, as qrcode).
    p4 = [int(abs(float(x) / n**2 * 100 - 50) / 5) * 10 for x in c.sum(axis=(1, 2)).tolist()]

    return [int(a) + int(b) + int(e) + f for a, b, e, f in zip(p1, p2, p3, p4)]


def _runs(m: np.ndarray) -> bytes:
    """Dark runs per row of a bool matrix, as packed (row, first_col, length) triples."""
    padded = np.zeros((m.shape[0], m.shape[1] + 2), np.int8)
    padded[:, 1:-1] = m
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    return np.stack([rows, starts, ends - starts], axis=1).astype(np.uint16).tobytes()
