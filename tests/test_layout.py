"""Layout on numbers, no PDF: the safe zone, the QR module size, the sheet grid and
the duplex mirror."""

from __future__ import annotations

import pytest

from conftest import ENGLISH, FRENCH
from deckprint.imposition import sheet_layout
from deckprint.layout.back import layout_back
from deckprint.layout.card import layout_deck
from deckprint.load import load_deck
from deckprint.qr import module_size
from deckprint.sizes import CARD_PRESETS, PAPERS, mm

MM = mm(1)


@pytest.fixture(scope="module", params=[FRENCH, ENGLISH], ids=["fr", "en"])
def laid_out(request):
    deck = load_deck(request.param)
    return deck, layout_deck(deck)


def test_everything_but_the_band_stays_in_the_safe_zone(laid_out) -> None:
    deck, fronts = laid_out
    w, h = mm(70), mm(120)
    for front in fronts:
        safe = front.safe
        assert (safe.x, safe.y, safe.right, safe.top) == pytest.approx((3 * MM, 3 * MM, w - 3 * MM, h - 3 * MM))
        for placed in front.texts:
            assert safe.contains(placed.box), (front.card.id, placed.field, placed.box)
        assert safe.contains(front.qr_box)
        # the colour band is the only thing that runs past the trim, into the bleed
        band = front.band
        assert band.x == pytest.approx(-3 * MM) and band.right == pytest.approx(w + 3 * MM)
        assert band.top == pytest.approx(h + 3 * MM)


def test_texts_do_not_overlap(laid_out) -> None:
    _, fronts = laid_out
    for front in fronts:
        stacked = sorted((p for p in front.texts if p.field not in ("number", "deck_title", "source", "source_heading")),
                         key=lambda p: -p.box.top)
        for upper, lower in zip(stacked, stacked[1:]):
            assert lower.box.top <= upper.box.y + 0.01, (front.card.id, upper.field, lower.field)
        assert stacked[-1].box.y >= front.qr_box.top  # the body ends above the footer


def test_body_text_is_at_least_the_floor_and_qr_modules_at_least_0_4_mm(laid_out) -> None:
    _, fronts = laid_out
    for front in fronts:
        assert 6.5 <= front.body_size <= 9.5
        assert module_size(front.qr, front.qr_box.w) >= 0.4 * MM


def test_back_texts_stay_in_the_safe_zone() -> None:
    deck = load_deck(FRENCH)
    back = layout_back(deck)
    assert back.page.w == pytest.approx(mm(76))
    safe_x, safe_top = 3 * MM, mm(117)
    for placed in back.texts:
        assert placed.box.x >= safe_x - 0.01 and placed.box.top <= safe_top + 0.01
    assert [c for _, c in back.stripes] == [c.color for c in deck.categories]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("card", CARD_PRESETS)
def test_sheet_grid_is_centred_inside_the_printer_margin(paper, card) -> None:
    sheet = sheet_layout(PAPERS[paper], CARD_PRESETS[card], 3.0)
    pw, ph = sheet.paper
    cw, ch = sheet.card
    xs = [s.x for s in sheet.slots]
    ys = [s.y for s in sheet.slots]
    left, right = min(xs) - sheet.bleed, pw - (max(xs) + cw + sheet.bleed)
    bottom, top = min(ys) - sheet.bleed, ph - (max(ys) + ch + sheet.bleed)
    assert left == pytest.approx(right) and bottom == pytest.approx(top)
    assert min(left, bottom) >= 5 * MM
    for x0, y0, x1, y1 in sheet.marks:  # crop marks inside the printable area too
        for x, y in ((x0, y0), (x1, y1)):
            assert 5 * MM - 0.01 <= x <= pw - 5 * MM + 0.01 and 5 * MM - 0.01 <= y <= ph - 5 * MM + 0.01


def test_known_sheet_counts() -> None:
    assert sheet_layout(PAPERS["a4"], CARD_PRESETS["poker"], 3).per_sheet == 9  # the classic 3 × 3, butted
    assert sheet_layout(PAPERS["a4"], CARD_PRESETS["poker"], 3).bleed == 0
    assert sheet_layout(PAPERS["a4"], CARD_PRESETS["tarot"], 3).per_sheet == 4  # with bleed
    assert sheet_layout(PAPERS["a4"], CARD_PRESETS["tarot"], 3).bleed == pytest.approx(3 * MM)
    assert sheet_layout(PAPERS["a3"], CARD_PRESETS["tarot"], 3).per_sheet == 9


@pytest.mark.parametrize("card", CARD_PRESETS)
@pytest.mark.parametrize("duplex", ["long", "short"])
def test_each_back_lands_behind_its_own_front(card, duplex) -> None:
    sheet = sheet_layout(PAPERS["a4"], CARD_PRESETS[card], 3.0)
    pw, ph = sheet.paper
    cw, ch = sheet.card
    backs = sheet.back_slots(duplex)
    for front, back in zip(sheet.slots, backs):
        # Turn the printed back sheet over the way the printer does, and see where the
        # back's corners land in front-page coordinates.
        if duplex == "long":
            seen = (pw - (back.x + cw), back.y)
            assert back.col == sheet.cols - 1 - front.col and back.row == front.row
        else:
            seen = (back.x, ph - (back.y + ch))
            assert back.row == sheet.rows - 1 - front.row and back.col == front.col
        assert seen == pytest.approx((front.x, front.y))


def test_back_offset_shifts_every_back() -> None:
    sheet = sheet_layout(PAPERS["a4"], CARD_PRESETS["tarot"], 3.0)
    plain = sheet.back_slots("long")
    shifted = sheet.back_slots("long", (2 * MM, -1 * MM))
    for a, b in zip(plain, shifted):
        assert (b.x - a.x, b.y - a.y) == pytest.approx((2 * MM, -1 * MM))
