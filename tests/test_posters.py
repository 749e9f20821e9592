"""The posters, read back from the PDFs: boxes, fonts, colour, QR codes, text and its
positions; sizes from the layout numbers; the 60-card overview; errors; determinism."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import yaml
from pypdf import PdfReader

from conftest import FRENCH, MM, RGB_OPERATOR, boxes, content_streams, decode_qr, fonts, run, squash
from deckprint.layout.overview import SUMMARY_LINES, layout_overview, layout_posters
from deckprint.layout.poster import poster_format
from deckprint.load import load_deck
from deckprint.targets.posters import posters
from deckprint.text import plain

QR_DPI = 100  # decodes the 45 mm codes of an A3 page reliably, and renders fast


@pytest.fixture(scope="module")
def deck():
    return load_deck(FRENCH)


@pytest.fixture(scope="module")
def french_pdf(built: Path) -> Path:
    """The French posters as `deckprint build` writes them by default."""
    return built / "travailleurs-ia" / "travailleurs-ia-posters-a3.pdf"


@pytest.fixture(scope="module")
def layout(deck):
    return layout_posters(deck, poster_format("a3"))


# -- reading positions back --------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x: float
    top: float
    size: float  # the largest font size on the line


def lines_of(pdf_path: Path, pages: range | None = None) -> list[Line]:
    """Text lines in content order with their left edge, top and font size (pdfium).

    pdfium's lines are split where the font size changes: it joins a name's line to
    the role under it when a descender (the j of Arjun) reaches the next line."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    out = []
    try:
        for index in pages if pages is not None else range(len(pdf)):
            textpage = pdf[index].get_textpage()
            text = textpage.get_text_range()
            runs: list[list[int]] = []
            size = None
            for i, char in enumerate(text):
                if char in "\r\n":
                    size = None
                    continue
                this = pdfium_raw.FPDFText_GetFontSize(textpage.raw, i)
                if size is None or abs(this - size) > 0.01:
                    runs.append([])
                    size = this
                runs[-1].append(i)
            for run_ in runs:
                chars = [i for i in run_ if not text[i].isspace()]
                if chars:
                    boxes_ = [textpage.get_charbox(i) for i in chars]
                    size = pdfium_raw.FPDFText_GetFontSize(textpage.raw, chars[0])
                    out.append(Line(index, " ".join("".join(text[i] for i in run_).split()),
                                    min(b[0] for b in boxes_), max(b[3] for b in boxes_), size))
    finally:
        pdf.close()
    return out


def read_overview(lines: list[Line], labels: list[str], names: list[str]) -> list[tuple[str, str]]:
    """(name, the group label above it) in reading order: by page, column (clustered
    left edges), then top to bottom. A label is recognised across its wrapped lines."""
    found = []  # (line, kind, text)
    wanted = {" ".join(label.split()) for label in labels}
    i = 0
    while i < len(lines):
        for k in (1, 2, 3):
            joined = " ".join(line.text for line in lines[i:i + k])
            if joined in wanted and len({line.page for line in lines[i:i + k]}) == 1:
                found.append((lines[i], "label", joined))
                i += k
                break
        else:
            if lines[i].text in names:
                found.append((lines[i], "name", lines[i].text))
            i += 1
    xs = sorted({round(line.x) for line, _, _ in found})
    clusters = [[xs[0]]]
    for x in xs[1:]:
        (clusters[-1].append(x) if x - clusters[-1][-1] < 40 else clusters.append([x]))
    column = {x: n for n, cluster in enumerate(clusters) for x in cluster}
    found.sort(key=lambda item: (item[0].page, column[round(item[0].x)], -item[0].top))
    current = None
    out = []
    for _, kind, text in found:
        if kind == "label":
            current = text
        else:
            out.append((text, current))
    return out


def expected_overview(deck) -> list[tuple[str, str]]:
    """Cards grouped by category in the deck's category order, deck order inside."""
    out = []
    for category in deck.categories:
        out += [(plain(c.name), category.label) for c in deck.cards if c.category and c.category.id == category.id]
    out += [(plain(c.name), deck.labels["other"]) for c in deck.cards if c.category is None]
    return out


def qr_urls(pdf_path: Path, pages, dpi: int = QR_DPI) -> dict[int, list[str]]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return {i: decode_qr(pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()) for i in pages}
    finally:
        pdf.close()


# -- the bundled French deck ----------------------------------------------------------

def test_one_overview_then_one_poster_per_card(french_pdf, deck, layout) -> None:
    overview, personas = layout
    reader = PdfReader(french_pdf)
    assert len(overview) == 1  # 21 cards fit one A3 overview
    assert len(reader.pages) == 1 + len(deck.cards)
    assert [p.card.id for p in personas] == [c.id for c in deck.cards]


def test_every_qr_code_decodes_to_its_url(french_pdf, deck) -> None:
    reader = PdfReader(french_pdf)
    expected = [deck.source.url] + [card.source.url for card in deck.cards]
    assert qr_urls(french_pdf, range(len(expected))) == {i: [url] for i, url in enumerate(expected)}
    for page, url in zip(reader.pages, expected):  # and a tap opens it in a PDF viewer
        links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
        assert links == [url]


def test_a3_pages_with_trim_and_bleed_boxes(french_pdf) -> None:
    w, h, b = (297 + 6) * MM, (420 + 6) * MM, 3 * MM
    for page in PdfReader(french_pdf).pages:
        got = boxes(page)
        assert got["MediaBox"] == pytest.approx((0, 0, w, h), abs=0.01)
        assert got["BleedBox"] == pytest.approx((0, 0, w, h), abs=0.01)
        assert got["TrimBox"] == pytest.approx((b, b, w - b, h - b), abs=0.01)


def test_embedded_fonts_and_cmyk_only(french_pdf) -> None:
    reader = PdfReader(french_pdf)
    found = fonts(reader)
    assert found and all(found.values()), found
    assert all("NotoSans" in name for name in found), found
    streams = list(content_streams(reader))
    assert len(streams) > len(reader.pages)  # the QR forms are checked too
    for number, data in streams:
        assert not RGB_OPERATOR.search(data), f"RGB colour on page {number}"
    assert b"/DeviceRGB" not in french_pdf.read_bytes()


def test_overview_lists_every_card_once_under_its_category_in_deck_order(french_pdf, deck) -> None:
    lines = lines_of(french_pdf, range(1))
    names = [plain(c.name) for c in deck.cards]
    assert sorted(line.text for line in lines if line.text in names) == sorted(names)  # each once
    got = read_overview(lines, [c.label for c in deck.categories], names)
    assert got == expected_overview(deck)
    text = " ".join(line.text for line in lines)
    for snippet in ("Les travailleurs", "Qui fait tourner", "societe.com · par Marine Protais · publié le "
                    "11 février 2025", "Sommet IA", "Témoignages", "CC BY-SA 4.0"):
        assert snippet.replace(" ", "") in text.replace(" ", "").replace("\u00a0", ""), snippet


def test_overview_tiles_hold_role_country_and_a_two_line_summary(deck, layout) -> None:
    page = layout[0][0]
    assert page.tile_size >= 14
    for tile in page.tiles:
        assert tile.box.w > 0 and page.safe.contains(tile.box)
    summaries = [t for t in page.texts if t.field == "tile_summary"]
    roles = [t for t in page.texts if t.field == "tile_role"]
    assert len(summaries) == len(roles) == len(deck.cards)
    for placed, card in zip(summaries, [t.card for t in page.tiles]):
        assert 1 <= len(placed.flowable.blPara.lines) <= SUMMARY_LINES
        text = plain(placed.flowable.text) if hasattr(placed.flowable, "text") else ""
        words = plain(card.testimony).split()
        assert words[0] in text and text.rstrip("»\u00a0 ").endswith("…")  # the start, cut with an ellipsis
    for placed in page.texts:
        if placed.field.startswith("tile_"):
            assert placed.flowable.style.fontSize >= 14


def test_persona_posters_hold_the_card(french_pdf, deck) -> None:
    pdf = pdfium.PdfDocument(str(french_pdf))
    try:
        texts = [pdf[i + 1].get_textpage().get_text_range() for i in range(len(deck.cards))]
    finally:
        pdf.close()
    for card, text in zip(deck.cards, texts):
        page = squash(text)
        assert squash(plain(card.name)) in page
        assert squash(plain(card.role)) in page
        assert squash(card.country) in page
        assert squash(card.category.label.upper()) in page
        assert squash(plain(card.testimony)) in page
        for condition in card.conditions:
            assert squash(plain(condition)) in page, condition
        if card.impact:
            assert squash(plain(card.impact)) in page
        assert squash(f"{card.number} / {len(deck.cards)}") in page
        assert "societe.com" in page


def test_persona_sizes_from_the_layout(layout) -> None:
    for poster in layout[1]:
        assert poster.name_size >= 60
        assert poster.testimony_size >= 18 and poster.body_size >= 18
        assert all(t.flowable.style.fontSize >= 18 for t in poster.texts), poster.card.name
        for field in ("testimony", "conditions", "impact"):
            assert all(t.flowable.style.fontSize >= 18 for t in poster.text(field))
        assert poster.text("name")[0].flowable.style.fontSize >= 60
        assert all(poster.safe.contains(t.box) for t in poster.texts)
        side_mm = poster.qr_box.w / MM
        assert side_mm >= 30 and side_mm / (poster.qr.size + 8) >= 0.4


def test_persona_sizes_in_the_pdf(french_pdf, deck) -> None:
    """The same floors, read back from the PDF: 18 pt body, 60 pt names."""
    lines = lines_of(french_pdf, range(1, 1 + len(deck.cards)))
    assert min(line.size for line in lines) >= 18
    names = {line.page: line for line in lines if line.text == plain(deck.cards[line.page - 1].name)}
    assert len(names) == len(deck.cards) and min(line.size for line in names.values()) >= 60


def test_deterministic(tmp_path) -> None:
    for folder in ("one", "two"):
        result = run("build", str(FRENCH), "--out", str(tmp_path / folder), "--target", "posters")
        assert result.exit_code == 0, result.output
    one, two = (tmp_path / f / "travailleurs-ia" / "travailleurs-ia-posters-a3.pdf" for f in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    assert not list((tmp_path / "one" / "travailleurs-ia").glob("*-print.pdf"))  # only posters


def test_a2_scales_the_design(tmp_path, deck) -> None:
    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "posters", "--poster-size", "a2")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "travailleurs-ia" / "travailleurs-ia-posters-a2.pdf"
    reader = PdfReader(pdf)
    b = 3 * MM  # the bleed stays 3 mm on paper
    for page in reader.pages:
        assert boxes(page)["TrimBox"] == pytest.approx((b, b, b + 420 * MM, b + 594 * MM), abs=0.01)
    assert qr_urls(pdf, [0, 1], dpi=72) == {0: [deck.source.url], 1: [deck.cards[0].source.url]}
    name = [line for line in lines_of(pdf, range(1, 2)) if line.text == plain(deck.cards[0].name)]
    assert name and name[0].size >= 60 * 420 / 297 - 0.5


def test_too_long_testimony_is_a_located_error(tmp_path) -> None:
    # A big card, so that the card fits and the poster (18 pt floor) is what fails.
    data = _deck_data(2, categories=True)
    data["deck"]["card"] = "200x280 mm"
    data["cards"][1]["testimony"] = " ".join(["Je trie des images toute la journée pour entraîner un modèle."] * 60)
    path = _write(tmp_path / "long.yaml", data)
    result = run("build", str(path), "--out", str(tmp_path / "out"), "--target", "posters")
    assert result.exit_code == 1
    assert re.search(r"long\.yaml:\d+:\d+: cards\[1\]\.testimony: card 2 \"Persona 2\": .*A3 poster", result.output)
    assert "shorten the testimony" in result.output
    assert not (tmp_path / "out" / "generated" / "generated-posters-a3.pdf").exists()


# -- generated decks -------------------------------------------------------------------

FIRST = ["Ana", "Bilal", "Chidi", "Dana", "Elif", "Farid", "Gita", "Hugo", "Ines", "Jomo", "Kwame", "Lena",
         "Malik", "Nadia", "Omar", "Pita", "Quynh", "Rosa", "Samir", "Tala", "Uma", "Vivek", "Wanjiru",
         "Ximena", "Yusuf", "Zanele", "Aiko", "Bruno", "Carmen", "Dev"]
LAST = ["Okafor", "Silva"]


def _deck_data(count: int, *, categories: bool) -> dict:
    """A deck of ``count`` cards; with categories, the bundled deck's, cycled."""
    bundled = yaml.safe_load(FRENCH.read_text(encoding="utf-8"))
    keys = list(bundled["categories"])
    cards = []
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST)]}" if count > 2 else f"Persona {i + 1}"
        card = {
            "name": name,
            "role": ["Annotatrice", "Modérateur de contenus", "Mineur de cobalt", "Technicienne de data center"][i % 4],
            "country": ["Kenya", "Inde", "Brésil", "Philippines", "Madagascar"][i % 5],
            "testimony": (f"Je travaille pour la carte {i + 1} : j'annote des images et des textes "
                          "pour entraîner des modèles d'IA, à la tâche."),
            "conditions": ["Salaire bas", "Horaires décalés"],
        }
        if categories:
            card["category"] = keys[(i * 3) % len(keys)]
        if i % 10 == 7:
            card["source"] = {"url": f"https://example.org/personas/{i + 1}", "publisher": "example.org"}
        cards.append(card)
    return {
        "deckprint": 1,
        "deck": {"id": "generated", "title": "Un deck généré", "subtitle": "Pour les tests", "language": "fr",
                 "source": bundled["deck"]["source"], "credits": "Tests de deckprint"},
        **({"categories": bundled["categories"]} if categories else {}),
        "cards": cards,
    }


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sixty(tmp_path_factory):
    path = _write(tmp_path_factory.mktemp("sixty") / "sixty.yaml", _deck_data(60, categories=True))
    deck = load_deck(path)
    output = posters(deck)
    pdf = path.parent / output.name
    pdf.write_bytes(output.data)
    return deck, pdf, layout_overview(deck, poster_format("a3"))


def test_sixty_cards_spread_over_several_readable_overview_pages(sixty) -> None:
    deck, pdf, pages = sixty
    assert len(pages) >= 2  # the strategy: more pages, not smaller tiles
    assert all(page.tile_size == 14 for page in pages)
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert len(PdfReader(pdf).pages) == len(pages) + 60
    lines = lines_of(pdf, range(len(pages)))
    tile_lines = [line for line in lines if line.text in {plain(c.name) for c in deck.cards}]
    assert min(line.size for line in tile_lines) >= 14  # names on the tiles
    names = [plain(c.name) for c in deck.cards]
    assert sorted(line.text for line in tile_lines) == sorted(names)  # every card, once
    assert read_overview(lines, [c.label for c in deck.categories], names) == expected_overview(deck)
    for page in range(len(pages)):
        header = " ".join(line.text for line in lines if line.page == page)
        assert f"VUE D’ENSEMBLE {page + 1} / {len(pages)}" in header
    for before, page in zip(pages, pages[1:]):  # a group cut by the page break: its label again
        if before.tiles[-1].group == page.tiles[0].group:
            assert page.headings[0].continued and page.headings[0].label == page.tiles[0].group
            assert page.headings[0].box.top > page.tiles[0].box.top
    urls = qr_urls(pdf, range(len(pages)))
    assert urls == {i: [deck.source.url] for i in range(len(pages))}


def test_sixty_cards_own_sources_decode(sixty) -> None:
    deck, pdf, pages = sixty
    own = [c for c in deck.cards if c.source.url != deck.source.url]
    assert own
    urls = qr_urls(pdf, [len(pages) + c.index for c in own])
    assert list(urls.values()) == [[c.source.url] for c in own]


def test_a_deck_without_categories_is_one_group(tmp_path) -> None:
    deck = load_deck(_write(tmp_path / "flat.yaml", _deck_data(8, categories=False)))
    (page,) = layout_overview(deck, poster_format("a3"))
    assert [h.label for h in page.headings] == ["8 cartes"]  # once, though its tiles fill columns
    assert [t.card.id for t in page.tiles] == [c.id for c in deck.cards]
    output = posters(deck)
    (tmp_path / output.name).write_bytes(output.data)
    lines = lines_of(tmp_path / output.name, range(1))
    names = [plain(c.name) for c in deck.cards]
    assert read_overview(lines, ["8 cartes"], names) == [(n, "8 cartes") for n in names]


def test_cards_without_category_come_last_under_other(tmp_path) -> None:
    data = _deck_data(8, categories=True)
    for i in (1, 4):
        del data["cards"][i]["category"]
    deck = load_deck(_write(tmp_path / "mixed.yaml", data))
    (page,) = layout_overview(deck, poster_format("a3"))
    labels = [h.label for h in page.headings if not h.continued]
    assert labels[-1] == deck.labels["other"] == "Autres"
    assert [t.card.index for t in page.tiles if t.group == "Autres"] == [1, 4]
    used = [c.label for c in deck.categories if any(card.category == c for card in deck.cards)]
    assert labels[:-1] == used  # the deck's category order, empty categories left out


def test_a_one_card_deck_s_overview_says_1_carte(tmp_path) -> None:
    """The card count on the overview takes the plural form of its number (CLDR)."""
    deck = load_deck(_write(tmp_path / "one.yaml", _deck_data(1, categories=False)))
    (page,) = layout_overview(deck, poster_format("a3"))
    assert [h.label for h in page.headings] == ["1 carte"]
    output = posters(deck)
    (tmp_path / output.name).write_bytes(output.data)
    text = " ".join(line.text for line in lines_of(tmp_path / output.name, range(1)))
    assert "1 CARTE" in text and "1 CARTES" not in text
