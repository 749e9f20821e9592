"""The face layout on numbers, no PDF: both formats (card and wall) keep every text,
portrait and QR code inside the safe zone, put the same fields in the same order,
keep their floors, and size QR codes within the format's module bounds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ENGLISH, FRENCH
from deckprint.errors import DeckError, excerpt
from deckprint.layout.card import CARD_BODY_FLOOR, CARD_SMALL_FLOOR, card_face
from deckprint.layout.face import Face, FaceFormat, layout_face
from deckprint.layout.ink import ink
from deckprint.layout.poster import WALL_BODY_FLOOR, WALL_NAME_FLOOR, poster_format, wall_face
from deckprint.load import load_deck
from deckprint.qr import MIN_MODULE_MM, side_in_modules
from deckprint.sizes import to_mm

PORTRAIT = Path(__file__).parents[1] / "good_decks" / "zqx-portraits" / "zqx-alex.png"


def _deck(tmp_path: Path, source: Path, card: str, portraits: bool = False):
    """A bundled deck on another card size, a portrait on every other card."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["deck"]["card"] = card
    if portraits:
        (tmp_path / "alex.png").write_bytes(PORTRAIT.read_bytes())
        for card_data in data["cards"][::2]:
            card_data["image"] = "alex.png"
    path = tmp_path / f"deck-{card}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_deck(path)


CASES = [(FRENCH, "tarot", False), (ENGLISH, "tarot", False), (FRENCH, "a6", True), (ENGLISH, "200x280 mm", True)]


@pytest.fixture(scope="module", params=CASES, ids=["fr-tarot", "en-tarot", "fr-a6-portraits", "en-large-portraits"])
def faces(request, tmp_path_factory) -> list[tuple[FaceFormat, list[Face]]]:
    """Every card of a deck in the card format and in the wall format at each size."""
    source, card, portraits = request.param
    deck = _deck(tmp_path_factory.mktemp("deck"), source, card, portraits)
    formats = [card_face(deck)] + [wall_face(poster_format(size)) for size in ("a3", "a2", "a1")]
    return [(fmt, [layout_face(deck, c, fmt) for c in deck.cards]) for fmt in formats]


def test_texts_portraits_and_qr_codes_stay_in_the_safe_zone(faces) -> None:
    for fmt, laid_out in faces:
        for face in laid_out:
            m = fmt.margin
            assert (face.safe.x, face.safe.y, face.safe.right, face.safe.top) == pytest.approx(
                (m, m, fmt.width - m, fmt.height - m))
            for placed in face.texts:
                assert face.safe.contains(placed.box), (fmt.where, face.card.id, placed.field, placed.box)
            assert face.safe.contains(face.qr_box)
            assert face.image is None or face.safe.contains(face.image)
            assert (face.image is not None) == (face.card.image is not None)


def test_on_a_card_the_ink_stays_in_the_safe_zone_too(faces) -> None:
    """A card's margin is 3 mm: the glyphs' outlines, not only their boxes, stay inside."""
    fmt, laid_out = faces[0]
    assert fmt.ink_inside
    for face in laid_out:
        for placed in face.texts:
            x0, y0, x1, y1 = ink(placed.flowable)
            box = placed.box
            inked = (box.x + x0, box.y + y0, box.x + x1, box.y + y1)
            safe = face.safe
            assert (inked[0] >= safe.x - 0.01 and inked[1] >= safe.y - 0.01 and inked[2] <= safe.right + 0.01
                    and inked[3] <= safe.top + 0.01), (face.card.id, placed.field, inked)


def test_the_band_runs_into_the_bleed_on_three_sides_and_the_rest_is_white(faces) -> None:
    for fmt, laid_out in faces:
        for face in laid_out:
            band = face.band
            assert band.x == pytest.approx(-fmt.bleed) and band.right == pytest.approx(fmt.width + fmt.bleed)
            assert band.top == pytest.approx(fmt.height + fmt.bleed)
            for placed in face.texts:
                on_band = placed.field in ("category", "name", "role", "country")
                assert (placed.box.y >= band.y - 0.01) == on_band, (face.card.id, placed.field)


def test_both_formats_set_the_same_fields_in_the_same_order(faces) -> None:
    """One walk: a card and its poster differ in sizes, not in what they say or where."""
    orders = {tuple(t.field for t in face.texts if t.field != "scan")
              for _, laid_out in faces for face in laid_out if face.card.index == 0}
    assert len(orders) == 1
    (order,) = orders
    assert order[:8] == ("category", "name", "role", "country", "source_heading", "source", "number", "deck_title")
    assert order[8] == "testimony" and set(order[9:]) == {"conditions", "impact"}


def test_the_texts_stack_without_overlap_and_the_body_ends_above_the_footer(faces) -> None:
    for fmt, laid_out in faces:
        for face in laid_out:
            band = [t for t in face.texts if t.box.y >= face.band.y]
            body = [t for t in face.texts if t.field in ("testimony", "conditions", "impact")]
            for column in (band, body):
                for upper, lower in zip(column, column[1:]):
                    assert lower.box.top <= upper.box.y + 0.01, (face.card.id, upper.field, lower.field)
            footer_top = max(face.qr_box.top, *(t.box.top for t in face.texts if t not in band + body))
            assert body[-1].box.y >= footer_top
            assert face.quote_rule.top == pytest.approx(body[0].box.top)
            assert face.quote_rule.y == pytest.approx(body[0].box.y)
            if face.footer_rule is not None:
                assert footer_top <= face.footer_rule.y <= body[-1].box.y


def test_every_text_keeps_its_format_s_floor(faces) -> None:
    for fmt, laid_out in faces:
        for face in laid_out:
            sizes = [t.flowable.style.fontSize for t in face.texts]
            if fmt.ink_inside:  # a card
                assert face.body_size == face.testimony_size >= CARD_BODY_FLOOR
                assert min(sizes) >= CARD_SMALL_FLOOR
            else:
                assert face.body_size >= WALL_BODY_FLOOR and face.testimony_size >= WALL_BODY_FLOOR
                assert face.name_size >= WALL_NAME_FLOOR and min(sizes) >= WALL_BODY_FLOOR
            assert [t.flowable.style.fontSize for t in face.text("testimony")] == [face.testimony_size]
            for field in ("conditions", "impact"):
                lines = face.text(field)[1:]  # under the heading, at the body size
                assert all(t.flowable.style.fontSize == face.body_size for t in lines)


def test_qr_modules_are_within_the_format_s_bounds(faces) -> None:
    for fmt, laid_out in faces:
        low, high = fmt.qr.module
        for face in laid_out:
            side_mm = to_mm(face.qr_box.w)
            module = side_mm / side_in_modules(face.qr)
            assert module >= MIN_MODULE_MM and side_mm <= fmt.qr.limit + 1e-9
            assert module >= low - 1e-9 or side_mm == pytest.approx(fmt.qr.limit)  # only the room cuts it
            assert high is None or module <= high + 1e-9
            assert side_mm >= min(fmt.qr.target, fmt.qr.limit) - 1e-9


@pytest.mark.parametrize("fmt_of, message", [
    (card_face, 'card 1 "{name}": the name does not fit in 2 lines at 10 pt on a tarot card: shorten it'),
    (lambda deck: wall_face(poster_format("a3")),
     'card 1 "{name}": the name does not fit in 3 lines at 60 pt on the A3 poster: shorten it'),
])
def test_a_title_too_long_is_a_located_problem_in_either_format(tmp_path, fmt_of, message) -> None:
    data = yaml.safe_load(FRENCH.read_text(encoding="utf-8"))
    name = " ".join(["Maria-Fernanda de los Ángeles"] * 6)
    data["cards"][0]["name"] = name
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    deck = load_deck(path)
    with pytest.raises(DeckError) as caught:
        layout_face(deck, deck.cards[0], fmt_of(deck))
    (problem,) = caught.value.problems
    assert problem.path == "cards[0].name"
    assert problem.message == message.format(name=excerpt(name))  # a name is quoted, not copied whole

