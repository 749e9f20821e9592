"""The card outputs, read back from the PDFs: sizes and boxes, fonts, colour, text, QR codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import (ENGLISH, FRENCH, MM, RGB_OPERATOR, boxes, content_streams, decode_qr, fonts, normalise,
                      page_texts, render, run, squash)
from deckprint.load import load_deck

URL = ("https://www.societe.com/actualites/sommet_ia_les_travailleurs_de_l_ombre_demandent_"
       "aux_big_tech_d_arreter_de_fuir-86440.html")


@pytest.fixture(scope="module")
def french(built: Path) -> dict[str, Path]:
    folder = built / "travailleurs-ia"
    return {"print": folder / "travailleurs-ia-print.pdf", "pnp": folder / "travailleurs-ia-pnp-a4.pdf"}


def test_print_shop_pages_are_trim_plus_bleed_with_boxes(french) -> None:
    reader = PdfReader(french["print"])
    assert len(reader.pages) == 42
    w, h = 76 * MM, 126 * MM  # tarot 70 × 120 mm + 2 × 3 mm
    b = 3 * MM
    for page in reader.pages:
        got = boxes(page)
        assert got["MediaBox"] == pytest.approx((0, 0, w, h), abs=0.01)
        assert got["BleedBox"] == pytest.approx((0, 0, w, h), abs=0.01)
        assert got["TrimBox"] == pytest.approx((b, b, w - b, h - b), abs=0.01)


def test_pnp_sheets_are_a4_with_the_sheet_as_trim(french) -> None:
    reader = PdfReader(french["pnp"])
    # 21 cards, 4 to an A4 sheet: 6 sheets of fronts, each followed by its backs.
    assert len(reader.pages) == 12
    for page in reader.pages:
        assert boxes(page)["MediaBox"] == pytest.approx((0, 0, 210 * MM, 297 * MM), abs=0.01)
        assert boxes(page)["TrimBox"] == boxes(page)["MediaBox"]


@pytest.mark.parametrize("kind", ["print", "pnp"])
def test_only_embedded_subset_fonts_and_no_rgb(french, kind) -> None:
    reader = PdfReader(french[kind])
    found = fonts(reader)
    assert found and all(found.values()), found
    assert all("+" in name and "NotoSans" in name for name in found), found
    for number, data in content_streams(reader):
        assert not RGB_OPERATOR.search(data), f"RGB colour on page {number}"


def test_metadata(french) -> None:
    reader = PdfReader(french["print"])
    info = reader.metadata
    assert info.title.startswith("Les travailleurs invisibles de l’IA")
    assert "Marine Protais" in info.author
    assert info.subject == "Qui fait tourner l’intelligence artificielle ?"
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_every_front_decodes_to_its_source_and_links_to_it(french) -> None:
    deck = load_deck(FRENCH)
    reader = PdfReader(french["print"])
    for card in deck.cards:
        page_index = 2 * card.index
        assert decode_qr(render(french["print"], page_index)) == [card.source.url]
        annotations = [a.get_object() for a in reader.pages[page_index].get("/Annots", [])]
        assert [a["/A"]["/URI"] for a in annotations] == [card.source.url]
        assert all(a["/A"]["/S"] == "/URI" for a in annotations)
    assert all(card.source.url == URL for card in deck.cards)


def test_pnp_sheet_codes_decode(french) -> None:
    assert decode_qr(render(french["pnp"], 0, dpi=300)) == [URL] * 4


@pytest.mark.parametrize("deck_path", [FRENCH, ENGLISH])
def test_every_card_text_is_on_its_front(built: Path, deck_path: Path) -> None:
    deck = load_deck(deck_path)
    texts = page_texts(built / deck.id / f"{deck.id}-print.pdf")
    for card in deck.cards:
        front = squash(texts[2 * card.index])
        plain = squash
        assert plain(card.name) in front
        assert plain(card.role) in front
        assert plain(card.country) in front
        assert plain(card.testimony) in front, card.id
        for condition in card.conditions:
            assert plain(condition) in front, (card.id, condition)
        if card.impact:
            assert plain(card.impact) in front
        assert f"{card.number}/21" in front
        assert squash(deck.labels["conditions"].upper()) in front
    back = normalise(texts[1])
    assert normalise(deck.title) in back


def test_build_is_deterministic(tmp_path: Path, built: Path) -> None:
    again = tmp_path / "again"
    assert run("build", str(FRENCH), "--out", str(again)).exit_code == 0
    for path in (again / "travailleurs-ia").iterdir():
        assert path.read_bytes() == (built / "travailleurs-ia" / path.name).read_bytes(), path.name


def test_build_prints_one_line_per_file_with_pages(tmp_path: Path) -> None:
    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "print", "--target", "pnp")
    lines = result.stdout.splitlines()
    assert any(l.endswith("travailleurs-ia-print.pdf\t42 pages\tprint shop, tarot + 3 mm bleed, "
                          "front/back interleaved") for l in lines)
    assert any("travailleurs-ia-pnp-a4.pdf\t12 pages" in l for l in lines)


def test_targets_paper_and_duplex_off(tmp_path: Path) -> None:
    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "pnp", "--paper", "letter",
                 "--paper", "a3", "--duplex", "off")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "travailleurs-ia").glob("*.pdf"))
    assert names == ["travailleurs-ia-pnp-a3.pdf", "travailleurs-ia-pnp-letter.pdf"]
    letter = PdfReader(tmp_path / "travailleurs-ia" / "travailleurs-ia-pnp-letter.pdf")
    assert boxes(letter.pages[0])["MediaBox"] == pytest.approx((0, 0, 612, 792), abs=0.01)
    assert len(letter.pages) == 6  # fronts only, 4 a sheet


def test_crop_marks_are_drawn_in_black_outside_the_cards(french) -> None:
    image = render(french["pnp"], 0, dpi=300).convert("L")
    from deckprint.imposition import sheet_layout

    sheet = sheet_layout((210, 297), (70, 120), 3)
    px = lambda pt: int(round(pt / 72 * 300))
    assert len(sheet.marks) == 16  # 4 vertical cut lines, 4 horizontal, marks at both ends
    for x0, y0, x1, y1 in sheet.marks:
        mid_x, mid_y = px((x0 + x1) / 2), image.height - px((y0 + y1) / 2)
        window = [image.getpixel((mid_x + dx, mid_y + dy)) for dx in (-2, -1, 0, 1, 2) for dy in (-2, -1, 0, 1, 2)]
        assert min(window) < 180  # a 0.25 pt hairline covers half a pixel at 300 dpi
        # ... and outside every card: white paper around the mark
        for slot in sheet.slots:
            assert not (slot.x - 8.5 < (x0 + x1) / 2 < slot.x + sheet.card[0] + 8.5
                        and slot.y - 8.5 < (y0 + y1) / 2 < slot.y + sheet.card[1] + 8.5)


def test_too_much_text_fails_the_build_naming_card_and_field(tmp_path: Path) -> None:
    # Cards are laid out as they are drawn, in each output's process: the build still
    # names every card that does not fit, once.
    deck = tmp_path / "long.yaml"
    text = FRENCH.read_text(encoding="utf-8").replace(
        "testimony: >-\n", "testimony: >-\n      " + "Je travaille sans relâche pour des salaires de misère. " * 14 + "\n", 2)
    deck.write_text(text, encoding="utf-8")
    result = run("build", str(deck), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "long.yaml:" in result.stderr
    for card in ('card 1 "Hao"', 'card 2 "Koffi"'):
        assert result.stderr.count(f"{card}: the testimony, conditions and impact need") == 1
    assert "mm too much" in result.stderr and "use a larger card" in result.stderr
    assert not (tmp_path / "out").exists()


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch) -> None:
    assert run("build", str(FRENCH), "--out", str(tmp_path), "--target", "print").exit_code == 0
    target = tmp_path / "travailleurs-ia" / "travailleurs-ia-print.pdf"
    before = target.read_bytes()
    import deckprint.write

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deckprint.write.os, "fsync", broken_fsync)
    from deckprint.cli import cli
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["build", str(FRENCH), "--out", str(tmp_path), "--target", "print", "--bleed", "2"])
    assert result.exit_code != 0
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [".deckprint-build.json", "travailleurs-ia-print.pdf"]


def test_back_sheets_carry_the_crop_marks_behind_the_fronts(tmp_path: Path) -> None:
    from deckprint.imposition import sheet_layout

    sheet = sheet_layout((210, 297), (70, 120), 3)
    for offset in ("0,0", "2,-1"):
        out = tmp_path / offset
        assert run("build", str(FRENCH), "--out", str(out), "--target", "pnp", "--back-offset", offset,
                   "--no-check").exit_code == 0
        image = render(out / "travailleurs-ia" / "travailleurs-ia-pnp-a4.pdf", 1, dpi=300).convert("L")
        dx, dy = (float(v) * MM for v in offset.split(","))
        px = lambda pt: int(round(pt / 72 * 300))
        for x0, y0, x1, y1 in sheet.marks:
            # the marks are symmetric: their mirror image is where the back draws them
            mid_x, mid_y = px((x0 + x1) / 2 + dx), image.height - px((y0 + y1) / 2 + dy)
            window = [image.getpixel((mid_x + i, mid_y + j)) for i in range(-2, 3) for j in range(-2, 3)]
            assert min(window) < 180


NO_PUBLISHER = """\
deckprint: 1
deck:
  id: hosts
  title: Hosts
  language: en
  source:
    url: https://www.example.org/long/path/to/the/article.html
cards:
  - name: Ana
    role: Annotator
    country: Kenya
    testimony: I label images all day.
  - name: Ben
    role: Moderator
    country: Philippines
    testimony: I watch what nobody should.
    source:
      url: https://xn--caf-dma.example/story
      title: A story
"""


def test_a_source_without_publisher_prints_the_host_it_leads_to(tmp_path: Path) -> None:
    """Under the "Source" label, a card whose source has no publisher says where its QR
    code leads — the URL's host without "www.", an internationalised host as written
    — instead of a lone "Source" label; the persona poster says the same."""
    deck = tmp_path / "hosts.yaml"
    deck.write_text(NO_PUBLISHER, encoding="utf-8")
    result = run("build", str(deck), "--out", str(tmp_path / "out"), "--target", "print", "--target", "posters")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "hosts"
    fronts = page_texts(folder / "hosts-print.pdf")[0::2]
    for text, host in zip(fronts, ["example.org", "café.example"]):
        words = normalise(text).split()
        assert words[words.index("Source") + 1] == host, text
        assert "www." not in text
    posters = [normalise(t) for t in page_texts(folder / "hosts-posters-a3.pdf")[1:]]
    assert "SOURCE example.org" in posters[0] and "SOURCE café.example" in posters[1]


def test_a_footer_too_tall_is_reported_at_the_title_and_publisher(tmp_path: Path) -> None:
    """A long deck title and a long publisher overflow the footer beside the QR code:
    the problem is located at the fields that cause it, the deck title and the
    source's publisher (here the deck's, shared by every card: said once each), not at
    the first card's name."""
    deck = tmp_path / "footer.yaml"
    text = FRENCH.read_text(encoding="utf-8")
    text = text.replace("title: \"Les travailleurs invisibles de l'IA\"",
                        "title: Les travailleurs invisibles de l’intelligence artificielle", 1)
    text = text.replace("publisher: societe.com", "publisher: Société des journaux, revues et publications "
                        "économiques et financières réunies de Paris, de Lyon, de Marseille et de la France entière", 1)
    deck.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    title_line = lines.index("  title: Les travailleurs invisibles de l’intelligence artificielle") + 1
    publisher_line = next(i for i, line in enumerate(lines, 1) if line.startswith("    publisher: Société"))
    result = run("validate", str(deck))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()[:-1]  # the last line counts the decks with problems
    assert [e.split(": ", 2)[:2] for e in errors] == [[f"{deck}:{title_line}:10", "deck.title"],
                                                      [f"{deck}:{publisher_line}:16", "deck.source.publisher"]]
    assert "cards[0].name" not in result.stderr


def test_a_footer_too_tall_for_a_card_s_own_publisher_is_reported_there(tmp_path: Path) -> None:
    """Only the publisher wraps: only it is blamed, in the card's own source."""
    deck = tmp_path / "footer.yaml"
    publisher = "The Very Long Publisher Name of a Syndicate of Newspapers " * 3
    text = NO_PUBLISHER.replace("      title: A story\n", f"      title: A story\n      publisher: {publisher}\n")
    deck.write_text(text, encoding="utf-8")
    line = next(i for i, line in enumerate(text.splitlines(), 1) if "publisher:" in line)
    result = run("validate", str(deck))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()[:-1]
    assert [e.split(": ", 2)[:2] for e in errors] == [[f"{deck}:{line}:18", "cards[1].source.publisher"]]


def test_every_pdf_title_is_in_the_deck_s_language(built) -> None:
    import pikepdf

    titles = {}
    for deck in ("travailleurs-ia", "ai-workers"):
        for path in sorted((built / deck).glob("*.pdf")):
            with pikepdf.open(path) as pdf:
                titles[path.name] = str(pdf.docinfo["/Title"])
    assert titles["travailleurs-ia-pnp-a4.pdf"].endswith(" — planches à imprimer A4")
    assert titles["travailleurs-ia-print.pdf"].endswith(" — fichier pour l’imprimeur")
    assert titles["travailleurs-ia-posters-a3.pdf"].endswith(" — affiches A3")
    assert titles["ai-workers-print.pdf"].endswith(" — print shop")
