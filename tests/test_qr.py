"""deckprint.qr must reproduce qrcode's matrices exactly, and draw_qr must give a
vector, CMYK-only, scannable code with an exact link."""

from __future__ import annotations

import io
import math
import random

import numpy as np
import pypdf
import pypdfium2
import pytest
import qrcode
import zxingcpp
from pypdf.generic import ContentStream
from qrcode import util
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from deckprint import qr as dq
from deckprint.draw.qr import draw_qr
from deckprint.qr import QUIET_MODULES, module_size, qr_matrix, side_in_modules

SOCIETE = (
    "https://www.societe.com/actualites/sommet_ia_les_travailleurs_de_l_ombre_"
    "demandent_aux_big_tech_d_arreter_de_fuir-86440.html"
)


def _filler(prefix: str, length: int) -> str:
    text = prefix + "abcdefghij-klmnop_qrstuvwxyz/0123456789" * 10
    return text[:length]


PAYLOADS = [
    SOCIETE,
    "http://a.b",  # 10, version 1
    "https://x.io/",
    "https://example.com",
    "https://example.com/?q=1&r=2#top",
    "https://en.wikipedia.org/wiki/Mask_(computing)?a=1&b=%20c",
    "https://fr.wikipedia.org/wiki/Café_crème",  # UTF-8 bytes
    "https://www.lemonde.fr/pixels/article/2024/02/10/intelligence-artificielle_6215.html",
    "https://example.com/track/12345678901234567890123456789",  # numeric segment
    "HTTPS://EXAMPLE.COM/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",  # alphanumeric mode
    "HTTPS://EXAMPLE.COM/CARDS/00012345678901234567890/DECK-ONE",  # mixed segments
    "https://shop.example.org/p/ABCDEFGHIJKLMNOPQRSTUVW/x?id=00000000000000000000001",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "https://github.com/lincolnloop/python-qrcode/blob/main/qrcode/util.py#L200",
    "https://docs.python.org/3/library/functools.html#functools.lru_cache",
    "mailto:someone@example.com?subject=Deck%20print",
    "https://a.co/d/0aBcDeF",
    "https://example.com/" + "%E2%80%AF" * 12,
]
PAYLOADS += [_filler("https://example.com/", n) for n in (
    26, 34, 47, 62, 78, 97, 106, 122, 134, 154, 155, 180, 181, 200, 213, 250, 279, 300
)]


def _reference(data: str) -> qrcode.QRCode:
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    q.add_data(data)
    q.make(fit=True)
    return q


def _rows(matrix) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in matrix]


# (a) identity with qrcode ---------------------------------------------------------


@pytest.mark.parametrize("data", PAYLOADS)
def test_identical_to_qrcode(data):
    q = _reference(data)
    m = qr_matrix(data)
    assert m.version == q.version
    assert m.size == q.modules_count == len(q.get_matrix())
    assert m.to_lists() == _rows(q.get_matrix())


def test_payloads_are_varied():
    """The identity test only proves the mask choice if the payloads pick many masks
    and several versions."""
    assert min(map(len, PAYLOADS)) == 10 and max(map(len, PAYLOADS)) == 300
    masks = {_reference(d).best_mask_pattern() for d in PAYLOADS}
    versions = {qr_matrix(d).version for d in PAYLOADS}
    assert len(masks) >= 5, masks
    assert len(versions) >= 8, versions


def test_societe_url_is_version_8():
    m = qr_matrix(SOCIETE)
    assert len(SOCIETE) == 124
    assert (m.version, m.size) == (8, 49)
    assert side_in_modules(m) == 57
    assert module_size(m, 57 * 0.4 * mm) == pytest.approx(0.4 * mm)


@pytest.mark.parametrize("data", [SOCIETE, "http://a.b", PAYLOADS[9], PAYLOADS[-1]])
def test_mask_scores_equal_qrcode_lost_point(data):
    """Every candidate gets qrcode's score, not only the winner."""
    q = _reference(data)
    candidates, expected = [], []
    for mask in range(8):
        q.makeImpl(True, mask)
        candidates.append(_rows(q.modules))
        expected.append(util.lost_point(q.modules))
    assert dq._penalties(np.array(candidates)) == expected


def _random_payloads(count: int, seed: int = 7) -> list[str]:
    """Numeric, alphanumeric and mixed payloads of many lengths: these exercise the
    segment modes, the terminator and byte padding, which URLs alone rarely do."""
    rng = random.Random(seed)
    alphabets = [
        "0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:",
        "abcdefghijklmnopqrstuvwxyz0123456789-_./?=&%:ABCDEFGHIJ",
        "0123456789ABCDEFGHIJKLMNOP/:.-abcé",
    ]
    return [
        "".join(rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(0, 420)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("data", _random_payloads(60))
def test_identical_to_qrcode_random(data):
    q = _reference(data)
    m = qr_matrix(data)
    assert (m.version, m.to_lists()) == (q.version, _rows(q.get_matrix()))


@pytest.mark.parametrize("size", [21, 25, 45, 57])
def test_penalties_on_random_matrices(size):
    """All four rules, at densities from nearly light to nearly dark (rule 4 scores
    0 on real candidates, which sit near 50 % dark)."""
    rng = np.random.default_rng(size)
    stack = np.array([rng.random((size, size)) < p for p in np.linspace(0.05, 0.95, 12)])
    expected = [util.lost_point([list(map(bool, row)) for row in c]) for c in stack]
    assert dq._penalties(stack) == expected


def test_version_40_limit():
    fits = "h" * 2331  # byte-mode capacity of version 40 at level M
    m = qr_matrix(fits)
    assert (m.version, m.size) == (40, 177)
    assert m.to_lists() == _rows(_reference(fits).get_matrix())
    with pytest.raises(ValueError, match="version 40"):
        qr_matrix(fits + "h")
    with pytest.raises(ValueError):  # qrcode agrees it does not fit
        _reference(fits + "h")


# (b) runs ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [SOCIETE, "http://a.b", PAYLOADS[-1]])
def test_runs_rebuild_the_matrix(data):
    m = qr_matrix(data)
    expected = _rows(_reference(data).get_matrix())
    rebuilt = [[False] * m.size for _ in range(m.size)]
    for row, col, length in m.runs:
        assert length >= 1 and 0 <= col and col + length <= m.size
        assert not any(rebuilt[row][col : col + length])  # no overlap
        rebuilt[row][col : col + length] = [True] * length
    assert rebuilt == expected
    # maximal runs: never two runs touching on one row
    ends = {(r, c + n) for r, c, n in m.runs}
    assert not any((r, c) in ends for r, c, _ in m.runs)
    assert all(m.is_dark(r, c) == expected[r][c] for r in range(m.size) for c in range(m.size))


# (e) cache -----------------------------------------------------------------------


def test_cached_per_payload():
    assert qr_matrix(SOCIETE) is qr_matrix(SOCIETE)
    assert qr_matrix.cache_info().maxsize >= 1000


# (c, d) real PDF output ------------------------------------------------------------

PRINTED = [SOCIETE, PAYLOADS[5], PAYLOADS[9], PAYLOADS[-1]]


def _page(module_mm: float) -> tuple[bytes, list[tuple[str, tuple[float, ...]]]]:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, enforceColorSpace="cmyk", invariant=1)
    placed = []
    for i, url in enumerate(PRINTED):
        m = qr_matrix(url)
        side = side_in_modules(m) * module_mm * mm
        x = 15 * mm + (i % 2) * 95 * mm
        y = A4[1] - 15 * mm - (i // 2 + 1) * 100 * mm
        draw_qr(canvas, m, x, y, side, link=url)
        placed.append((url, (x, y, x + side, y + side)))
    canvas.showPage()
    canvas.save()
    return buf.getvalue(), placed


@pytest.mark.parametrize("module_mm", [0.4, 0.5])
def test_rendered_codes_decode_to_their_urls(module_mm):
    pdf, _ = _page(module_mm)
    doc = pypdfium2.PdfDocument(pdf)
    image = doc[0].render(scale=300 / 72).to_pil()
    barcodes = zxingcpp.read_barcodes(image)
    assert sorted(b.text for b in barcodes) == sorted(PRINTED)
    assert {b.ec_level for b in barcodes} == {"M"}


def test_rendered_modules_match_matrix():
    """Sample the rendered page at every module centre: catches a mirrored or shifted
    drawing, which a scanner would still read."""
    scale = 300 / 72
    pdf, placed = _page(0.4)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=scale).to_pil().convert("L")
    pixels = np.asarray(image)
    for url, (x, y, _, top) in placed:
        m = qr_matrix(url)
        module = module_size(m, top - y)
        centres = (np.arange(m.size) + QUIET_MODULES + 0.5) * module
        cols = np.floor((x + centres) * scale).astype(int)
        rows = np.floor((A4[1] - (top - centres)) * scale).astype(int)
        seen = pixels[np.ix_(rows, cols)] < 128
        assert (seen == np.array(m.to_lists())).all(), url


def test_pdf_is_vector_cmyk_with_exact_links():
    pdf, placed = _page(0.4)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    data = page.get_contents().get_data()
    assert b" rg" not in data and b" RG" not in data
    ops = [op for _, op in ContentStream(page.get_contents(), None).operations]
    assert b"rg" not in ops and b"RG" not in ops and b"g" not in ops
    assert b"k" in ops
    assert sum(op in (b"f", b"f*") for op in ops) == len(PRINTED)  # one fill per code
    assert ops.count(b"re") == sum(len(qr_matrix(u).runs) for u in PRINTED)
    assert b"Do" not in ops  # no image

    annots = [a.get_object() for a in page["/Annots"]]
    assert len(annots) == len(placed)
    for annot, (url, rect) in zip(annots, placed):
        assert annot["/Subtype"] == "/Link"
        assert annot["/A"]["/S"] == "/URI"
        assert str(annot["/A"]["/URI"]) == url
        assert [float(v) for v in annot["/Border"]] == [0, 0, 0]
        assert [float(v) for v in annot["/Rect"]] == pytest.approx(rect)


def test_quiet_zone_is_left_empty():
    """The code starts exactly QUIET_MODULES modules inside the square, in 100 % K
    even on a canvas that would accept RGB."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1)
    m = qr_matrix(SOCIETE)
    side = side_in_modules(m) * 0.5 * mm
    draw_qr(canvas, m, 100, 200, side)
    canvas.showPage()
    canvas.save()
    page = pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    ops = ContentStream(page.get_contents(), None).operations
    fills = [[float(v) for v in args] for args, op in ops if op == b"k"]
    assert fills == [[0, 0, 0, 1]]
    assert not {b"rg", b"RG", b"g", b"G"} & {op for _, op in ops}
    rects = [args for args, op in ContentStream(page.get_contents(), None).operations if op == b"re"]
    xs = [float(a[0]) for a in rects]
    ys = [float(a[1]) for a in rects]
    tops = [float(a[1]) + float(a[3]) for a in rects]
    rights = [float(a[0]) + float(a[2]) for a in rects]
    q = QUIET_MODULES * module_size(m, side)
    assert min(xs) == pytest.approx(100 + q) and max(rights) == pytest.approx(100 + side - q)
    assert min(ys) == pytest.approx(200 + q) and max(tops) == pytest.approx(200 + side - q)
    assert "/Annots" not in page


# -- sizing: one qr_side for every output, bounded by the output's QRSize ---------------

def _matrix_of(modules: int) -> dq.QRMatrix:
    """A code whose side with its quiet zone is ``modules`` modules (only its size counts)."""
    return dq.QRMatrix(modules - 2 * QUIET_MODULES, 1, b"")


SIZES = [dq.QRSize(45.0), dq.QRSize(30.0, (0.4, 0.6)), dq.QRSize(21.0, (0.42, None), 31.5),
         dq.QRSize(19.05, (0.42, None), 26.67)]  # a poster's, the guide's, a tarot and a poker card's


@pytest.mark.parametrize("size", SIZES, ids=["wall", "guide", "tarot", "poker"])
def test_qr_side_keeps_modules_within_the_bounds_and_the_side_within_the_limit(size) -> None:
    low, high = size.module
    for modules in range(25, 185, 4):  # versions 1 to 40
        try:
            side = dq.qr_side(_matrix_of(modules), size) / mm
        except dq.QRTooSmall as exc:
            assert size.limit / modules < dq.MIN_MODULE_MM and exc.module_mm == pytest.approx(size.limit / modules)
            continue
        module = side / modules
        assert module >= dq.MIN_MODULE_MM - 1e-12 and side <= size.limit + 1e-9
        assert module >= low - 1e-12 or side == pytest.approx(size.limit)  # only the room makes it smaller
        assert high is None or module <= high + 1e-12
        # the target, when the bounds and the room allow it
        if modules * low <= size.target <= (modules * high if high else math.inf) and size.target <= size.limit:
            assert side == pytest.approx(size.target)


def test_qr_side_of_known_codes() -> None:
    """The sizes each output had before it shared qr_side: 45 mm on a wall, 0.4 mm
    modules past that; 30 mm in the guide between 0.4 and 0.6 mm modules; a tarot
    card's 21 mm (30 % of 70 mm) unless 0.42 mm modules need more, up to 31.5 mm."""
    assert dq.qr_side(_matrix_of(57), SIZES[0]) == 45.0 * mm
    assert dq.qr_side(_matrix_of(129), SIZES[0]) == pytest.approx(129 * 0.4 * mm)
    assert dq.qr_side(_matrix_of(57), SIZES[1]) == 30.0 * mm
    assert dq.qr_side(_matrix_of(41), SIZES[1]) == pytest.approx(41 * 0.6 * mm)
    assert dq.qr_side(_matrix_of(37), SIZES[2]) == pytest.approx(21.0 * mm)
    assert dq.qr_side(_matrix_of(57), SIZES[2]) == pytest.approx(57 * 0.42 * mm)
    assert dq.qr_side(_matrix_of(77), SIZES[2]) == pytest.approx(31.5 * mm)  # 0.41 mm modules: the room
    with pytest.raises(dq.QRTooSmall):
        dq.qr_side(_matrix_of(81), SIZES[2])  # 0.39 mm
