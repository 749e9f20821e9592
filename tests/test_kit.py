"""deckprint kit: the workshop kit's folder and zip, and the facilitator guide in it,
read back from the real files: names, text, QR codes, fonts, colour, bytes."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import (ENGLISH, FRENCH, RGB_OPERATOR, boxes, content_streams, decode_qr, fonts,
                      page_texts, render, run, squash)
from deckprint.deck import Workshop, WorkshopStep
from deckprint.load import load_deck
from deckprint.text import plain

KIT_PDFS = ("pnp-a4", "pnp-letter", "print", "posters-a3", "guide")
READMES = {"travailleurs-ia": "LISEZ-MOI.txt", "ai-workers": "README.txt"}


def kit_names(deck_id: str) -> set[str]:
    return {f"{deck_id}-{name}.pdf" for name in KIT_PDFS} | {READMES[deck_id]}


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> Path:
    """The kits of both bundled decks, made once, the way a user types it."""
    out = tmp_path_factory.mktemp("kits")
    result = run("kit", str(FRENCH), str(ENGLISH), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def french_guide(kits) -> Path:
    return kits / "travailleurs-ia" / "kit" / "travailleurs-ia-guide.pdf"


@pytest.mark.parametrize("deck_id", sorted(READMES))
def test_kit_folder_and_zip_hold_exactly_the_kit(kits: Path, deck_id: str) -> None:
    folder = kits / deck_id
    assert {p.name for p in folder.iterdir()} == {"kit", f"{deck_id}-kit.zip"}
    files = {p.name: p.read_bytes() for p in (folder / "kit").iterdir()}
    assert set(files) == kit_names(deck_id)
    with zipfile.ZipFile(folder / f"{deck_id}-kit.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(files)  # the same names, sorted
        for info in infos:
            assert archive.read(info) == files[info.filename]  # the same bytes
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_readme_says_what_each_file_is_and_how_to_print_it(kits: Path) -> None:
    french = (kits / "travailleurs-ia" / "kit" / "LISEZ-MOI.txt").read_text(encoding="utf-8")
    for name in kit_names("travailleurs-ia") - {"LISEZ-MOI.txt"}:
        assert name in french
    words = " ".join(french.split())
    assert "« retourner sur le bord long », à 100 %" in words
    assert "Format fini 70 × 120 mm (tarot), fond perdu de 3 mm" in words
    english = (kits / "ai-workers" / "kit" / "README.txt").read_text(encoding="utf-8")
    assert "“flip on long edge”, at 100 %" in " ".join(english.split())
    assert all(len(line) <= 78 for line in english.splitlines()[2:])


def test_kit_pdfs_are_the_builds_pdfs(kits: Path, built: Path) -> None:
    """One pipeline: the kit's cards and posters are deckprint build's, byte for byte."""
    for name in ("travailleurs-ia-pnp-a4.pdf", "travailleurs-ia-print.pdf", "travailleurs-ia-posters-a3.pdf"):
        assert (kits / "travailleurs-ia" / "kit" / name).read_bytes() == (built / "travailleurs-ia" / name).read_bytes()


@pytest.mark.parametrize("deck_path", [FRENCH, ENGLISH], ids=lambda p: p.stem)
def test_guide_lists_every_card_with_its_number(kits: Path, deck_path: Path) -> None:
    deck = load_deck(deck_path)
    text = squash("".join(page_texts(kits / deck.id / "kit" / f"{deck.id}-guide.pdf")))
    for card in deck.cards:  # a table row: number, name, role, country, category
        row = f"{card.number}{plain(card.name)}{plain(card.role)}{card.country}{card.category.label}"
        assert squash(row) in text, card.name


def test_guide_carries_the_decks_workshop_sources_and_printing(french_guide: Path) -> None:
    deck = load_deck(FRENCH)
    text = squash("".join(page_texts(french_guide)))
    for needle in [deck.title, deck.subtitle, "Déroulé de la séance", "2 h", deck.workshop.audience,
                   *deck.workshop.goals, *(s.title for s in deck.workshop.steps),
                   *(s.text for s in deck.workshop.steps), *deck.workshop.questions,
                   *(c.label for c in deck.categories),
                   deck.source.title, "societe.com · par Marine Protais · publié le 11 février 2025",
                   "Cartes 1–21", "travailleurs-ia-print.pdf", "Format fini 70 × 120 mm",
                   "retourner sur le bord long", "Licence : CC BY-SA 4.0", deck.credits]:
        assert squash(plain(needle)) in text, needle
    assert "0:35–1:00" in "".join(page_texts(french_guide))  # the step's place in the session


def test_every_qr_code_in_the_guide_decodes_to_a_source_of_the_deck(french_guide: Path) -> None:
    deck = load_deck(FRENCH)
    pages = len(pypdf.PdfReader(french_guide).pages)
    decoded = [url for page in range(pages) for url in decode_qr(render(french_guide, page, 300))]
    urls = {card.source.url for card in deck.cards} | {deck.source.url}
    assert decoded and set(decoded) == urls
    assert len(decoded) == len(urls)  # one code per distinct source


def test_guide_is_print_clean(french_guide: Path) -> None:
    reader = pypdf.PdfReader(french_guide)
    embedded = fonts(reader)
    assert embedded and all(embedded.values()), embedded
    assert not any("Helvetica" in name for name in embedded)
    for number, stream in content_streams(reader):
        assert not RGB_OPERATOR.search(stream), f"page {number}: RGB operator"
    for page in reader.pages:  # an A4 sheet printed as is: trim = bleed = page
        found = boxes(page)
        assert found["TrimBox"] == found["BleedBox"] == found["MediaBox"] == (0, 0, 595.28, 841.89)


def test_two_runs_give_the_same_zip(kits: Path, tmp_path: Path) -> None:
    result = run("kit", str(FRENCH), "--out", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    name = "travailleurs-ia/travailleurs-ia-kit.zip"
    assert (tmp_path / name).read_bytes() == (kits / name).read_bytes()


def test_kit_lists_each_file_then_the_zip(tmp_path: Path) -> None:
    result = run("kit", str(FRENCH), "--out", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [line[0] for line in lines] == [f"out/travailleurs-ia/kit/travailleurs-ia-{name}.pdf" for name in
                                           ("guide", "pnp-a4", "pnp-letter", "print", "posters-a3")] + [
        "out/travailleurs-ia/kit/LISEZ-MOI.txt", "out/travailleurs-ia/travailleurs-ia-kit.zip"]
    assert lines[3][1:] == ["42 pages", "print shop, tarot + 3 mm bleed, front/back interleaved"]
    assert lines[5][1] == "text"
    assert lines[6][1] == "6 files" and lines[6][2].endswith(" MB")


def test_a_kit_made_again_removes_only_what_an_earlier_kit_left(tmp_path: Path) -> None:
    assert run("kit", str(FRENCH), "--out", str(tmp_path)).exit_code == 0
    folder = tmp_path / "travailleurs-ia" / "kit"
    for name in ("README.txt", "travailleurs-ia-pnp-a3.pdf", "notes.txt", "other-deck.pdf"):
        (folder / name).write_bytes(b"earlier")  # an English read-me: the deck was in English then
    assert run("kit", str(FRENCH), "--out", str(tmp_path)).exit_code == 0
    assert {p.name for p in folder.iterdir()} == kit_names("travailleurs-ia") | {"notes.txt", "other-deck.pdf"}


def test_deck_without_workshop_gets_the_default_outline(tmp_path: Path) -> None:
    # English: the starter deck; French: the bundled deck without its workshop: section.
    assert run("new", "starter.yaml", cwd=tmp_path).exit_code == 0
    text = FRENCH.read_text(encoding="utf-8")
    (tmp_path / "sans-atelier.yaml").write_text(text[:text.index("\nworkshop:")], encoding="utf-8")
    result = run("build", "starter.yaml", "sans-atelier.yaml", "--target", "guide", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    english = squash("".join(page_texts(tmp_path / "out" / "starter" / "starter-guide.pdf")))
    assert squash("Connecting the stories") in english
    assert squash("Who profits from this work, and who pays the price?") in english
    french = squash("".join(page_texts(tmp_path / "out" / "travailleurs-ia" / "travailleurs-ia-guide.pdf")))
    assert squash("Relier les histoires") in french
    assert squash("Placer les cartes sur la chaîne de l’IA") not in french


def test_default_outline_fills_what_the_workshop_section_leaves_out() -> None:
    from deckprint.layout.guide import session_outline

    deck = load_deck(FRENCH)
    shorter = session_outline(dataclasses.replace(deck, workshop=Workshop(90, None, None, None, None)))
    assert shorter.duration == 90 and sum(s.minutes for s in shorter.steps) == 90  # default steps, scaled
    assert shorter.steps[2].title == "Relier les histoires"
    own = (WorkshopStep("Un", 20, "a"), WorkshopStep("Deux", 25, "b"))
    mine = session_outline(dataclasses.replace(deck, workshop=Workshop(None, None, (), own, None)))
    assert mine.steps == own and mine.duration == 45 and mine.goals == ()  # an empty list stays empty
    assert mine.questions[0] == "Quelle carte vous a le plus marqué, et pourquoi\u00a0?"


def test_bad_workshop_section_fails_the_kit_with_located_errors(tmp_path: Path) -> None:
    bad = Path(__file__).parent / "bad_decks" / "workshop.yaml"
    result = run("kit", str(bad), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert 'workshop.yaml:21:3: workshop.questionz: unknown key "questionz" (did you mean "questions"?)' in result.stderr
    assert not any(tmp_path.iterdir())


def test_a_pdf_failing_the_preflight_fails_the_kit_and_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    from deckprint import preflight

    real = preflight.check_pdf_data

    def check_pdf_data(data, path, **options):  # as if the guide had RGB text on page 2
        if not path.name.endswith("-guide.pdf"):
            return real(data, path, **options)
        report = preflight.FileReport(Path(path), 4)
        report.findings = [preflight.Finding("fail", "colour.rgb", "RGB colour (rg) in the page content", (2,))]
        return report

    monkeypatch.setattr(preflight, "check_pdf_data", check_pdf_data)
    result = run("kit", str(FRENCH), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "travailleurs-ia-guide.pdf fails the print checks" in result.stderr
    assert "travailleurs-ia-guide.pdf: fail: page 2: RGB colour (rg) in the page content" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "travailleurs-ia").exists()


SMALL_DECK = """\
deckprint: 1
deck:
  id: small
  title: Small deck
  language: {language}
  source:
    url: https://example.org/
categories:
  one:
    label: Only one
    color: "#336699"
cards:
  - name: Ana
    role: Annotator
    country: Kenya
    category: one
    testimony: I label images all day.
    source:
      url: https://example.org/ana
  - name: Ben
    role: Moderator
    country: Philippines
    testimony: I watch what nobody should.
"""


@pytest.mark.parametrize("language, expected, wrong", [
    ("en", ["2 cards, 1 category.", "1 card: 1", "Card 1", "Card 2", "4 cards a sheet, 1 sheet;", "(4 pages)"],
     ["1 sheets", "1 categories", "1 cards", "Cards 1", "Cards 2"]),
    ("fr", ["2 cartes, 1 catégorie.", "1 carte : 1", "Carte 1", "Carte 2", "4 cartes par feuille, 1 feuille ;",
            "(4 pages)"],
     ["1 feuilles", "1 catégories", "1 cartes", "Cartes 1", "Cartes 2"]),
], ids=["en", "fr"])
def test_guide_counts_agree_with_their_numbers(tmp_path: Path, language: str, expected: list[str],
                                               wrong: list[str]) -> None:
    """Counted words take CLDR's plural form for their number: a two-card deck prints
    on one sheet, has one category of one card, and each source serves one card."""
    (tmp_path / "small.yaml").write_text(SMALL_DECK.format(language=language), encoding="utf-8")
    result = run("build", "small.yaml", "--target", "guide", "--out", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(page_texts(tmp_path / "out" / "small" / "small-guide.pdf")).replace("\u00a0", " ").split())
    for phrase in expected:
        assert phrase in text, phrase
    for phrase in wrong:
        assert phrase not in text, phrase


@pytest.mark.parametrize("deck_id, title", [
    ("travailleurs-ia", "Les travailleurs invisibles de l’IA — Guide d’animation"),
    ("ai-workers", "The Invisible Workers of AI — Facilitator guide"),
])
def test_guide_pdf_title_is_in_the_deck_s_language(kits: Path, deck_id: str, title: str) -> None:
    info = pypdf.PdfReader(kits / deck_id / "kit" / f"{deck_id}-guide.pdf").metadata
    assert info.title == title
