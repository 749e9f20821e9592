"""PNG faces for print-on-demand services, their presets, DriveThruCards' PDF, and the
preview sheet: read back as a user's service would (pixel size, dpi, colour mode, QR
codes, page order, colour operators)."""

from __future__ import annotations

import re
import shlex
import types
from pathlib import Path

import pytest
import yaml
from PIL import Image

from conftest import FRENCH, RGB_OPERATOR, ROOT, content_streams, decode_qr, normalise, page_texts, run
from deckprint.load import load_deck
from deckprint.shops import SHOPS, page_pixels
from deckprint.sizes import CARD_PRESETS
from deckprint.targets.png import face_names
from deckprint.targets.preview import GAP, MARGIN, sheet_geometry

DECK_ID = "travailleurs-ia"


def small_deck(folder: Path, card: str = "poker", name: str = "poker.yaml", count: int = 3,
               colour: str | None = None) -> Path:
    """The French deck, cards 3–5 (short enough for a poker card at 6.5 pt; cards 1
    and 2 are not), on another card size."""
    data = yaml.safe_load(FRENCH.read_text(encoding="utf-8"))
    data["deck"]["card"] = card
    data["cards"] = data["cards"][2:2 + count]
    if colour:
        for category in data["categories"].values():
            category["color"] = colour
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_png(deck: Path, out: Path, *options: str):
    result = run("build", str(deck), "--out", str(out), "--target", "png", *options)
    assert result.exit_code == 0, result.output
    return out / DECK_ID


@pytest.fixture(scope="module")
def poker(tmp_path_factory) -> Path:
    return small_deck(tmp_path_factory.mktemp("deck"))


@pytest.fixture(scope="module")
def tgc(poker: Path, tmp_path_factory) -> Path:
    return build_png(poker, tmp_path_factory.mktemp("tgc"), "--shop", "thegamecrafter")


# -- the presets -------------------------------------------------------------------------

@pytest.mark.parametrize("shop", [s for s in SHOPS.values() if s.pixels])
def test_each_preset_row_adds_up_to_its_published_pixels(shop) -> None:
    # Trim + bleed at the dpi must land on the service's numbers without any resizing.
    assert page_pixels(CARD_PRESETS[shop.card], shop.bleed_mm, shop.dpi) == shop.pixels
    assert shop.source


@pytest.mark.parametrize("shop, size", [("thegamecrafter", (825, 1125)), ("mpc", (822, 1122))])
def test_preset_gives_the_published_pixel_size(shop: str, size, poker: Path, tgc: Path, tmp_path: Path) -> None:
    folder = tgc if shop == "thegamecrafter" else build_png(poker, tmp_path, "--shop", shop)
    images = sorted((folder / "png" / shop).iterdir())
    assert len(images) == 6
    for path in images:
        with Image.open(path) as image:
            assert image.size == size, path.name
            assert image.mode == "RGB"  # no alpha channel
            assert [round(v) for v in image.info["dpi"]] == [300, 300]
            assert image.info.get("srgb") == 0  # the sRGB chunk


def test_generic_uses_the_decks_card_the_bleed_and_the_dpi(tmp_path: Path) -> None:
    tarot = small_deck(tmp_path, card="tarot", count=1)
    folder = build_png(tarot, tmp_path / "out", "--bleed", "3")
    with Image.open(folder / "png" / "01-fabrice-front.png") as image:  # tarot 70 × 120 mm + 2 × 3 mm
        assert image.size == (round(76 / 25.4 * 300), round(126 / 25.4 * 300))
        assert [round(v) for v in image.info["dpi"]] == [300, 300]
    folder = build_png(tarot, tmp_path / "out150", "--dpi", "150", "--bleed", "0")
    with Image.open(folder / "png" / "01-fabrice-front.png") as image:
        assert image.size == (round(70 / 25.4 * 150), round(120 / 25.4 * 150))
        assert [round(v) for v in image.info["dpi"]] == [150, 150]


def test_a_front_shows_its_card_and_its_qr_code_decodes(poker: Path, tgc: Path) -> None:
    deck = load_deck(poker)
    with Image.open(tgc / "png" / "thegamecrafter" / "01-fabrice-front.png") as image:
        assert decode_qr(image) == [deck.cards[0].source.url]
        corner = image.getpixel((2, 2))  # the category band runs into the bleed
        assert corner != (255, 255, 255)
    with Image.open(tgc / "png" / "thegamecrafter" / "01-fabrice-back.png") as image:
        assert max(image.getpixel((2, image.height - 3))) < 60  # the back's deep ink, to the edge


def test_file_names_two_per_card_in_deck_order(poker: Path, tgc: Path) -> None:
    names = sorted(p.name for p in (tgc / "png" / "thegamecrafter").iterdir())
    assert names == ["01-fabrice-back.png", "01-fabrice-front.png", "02-fara-back.png",
                     "02-fara-front.png", "03-sana-back.png", "03-sana-front.png"]
    many = types.SimpleNamespace(cards=[types.SimpleNamespace(number=n, id=f"c{n}") for n in range(1, 101)])
    assert face_names(many)[0] == ("001-c1-front.png", "001-c1-back.png")
    assert face_names(many)[99] == ("100-c100-front.png", "100-c100-back.png")


def test_the_same_build_gives_the_same_bytes(poker: Path, tgc: Path, tmp_path: Path) -> None:
    again = build_png(poker, tmp_path, "--shop", "thegamecrafter")
    for path in (tgc / "png" / "thegamecrafter").iterdir():
        assert (again / "png" / "thegamecrafter" / path.name).read_bytes() == path.read_bytes(), path.name


def test_up_to_date_and_stale_faces(tmp_path: Path) -> None:
    deck = small_deck(tmp_path, count=3)
    out = tmp_path / "out"
    build_png(deck, out)
    again = run("build", str(deck), "--out", str(out), "--target", "png")
    assert "up to date, skipped" in again.stdout
    (out / DECK_ID / "png" / "02-fara-back.png").unlink()
    assert "02-fara-back.png" in run("build", str(deck), "--out", str(out), "--target", "png").stdout
    small_deck(tmp_path, count=2)  # card 3 removed: its images must not stay to be uploaded
    (out / DECK_ID / "png" / "notes.txt").write_text("mine", encoding="utf-8")
    build_png(deck, out)
    assert sorted(p.name for p in (out / DECK_ID / "png").iterdir()) == [
        "01-fabrice-back.png", "01-fabrice-front.png", "02-fara-back.png", "02-fara-front.png", "notes.txt"]


def test_presets_built_into_one_out_keep_their_own_images(poker: Path, tmp_path: Path) -> None:
    """--shop thegamecrafter then --shop mpc (then generic) into the same --out: each
    preset's images go to its own folder, none replaces another's, and a later build of
    a deck that lost a card removes the stale images from its own preset's folder only."""
    out = tmp_path / "out"
    sizes = {"thegamecrafter": (825, 1125), "mpc": (822, 1122), "generic": (round(69.5 / 25.4 * 300),
                                                                            round(94.9 / 25.4 * 300))}
    folders = {"thegamecrafter": ("png", "thegamecrafter"), "mpc": ("png", "mpc"), "generic": ("png",)}
    for shop in sizes:
        build_png(poker, out, "--shop", shop)
    faces = ["01-fabrice-back.png", "01-fabrice-front.png", "02-fara-back.png", "02-fara-front.png",
             "03-sana-back.png", "03-sana-front.png"]
    for shop, size in sizes.items():
        folder = out.joinpath(DECK_ID, *folders[shop])
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == faces, shop
        for name in faces:
            with Image.open(folder / name) as image:
                assert image.size == size, (shop, name)
    assert sorted(p.name for p in (out / DECK_ID / "png").iterdir() if p.is_dir()) == ["mpc", "thegamecrafter"]

    (tmp_path / "fewer").mkdir()
    fewer = small_deck(tmp_path / "fewer", count=2)
    build_png(fewer, out, "--shop", "mpc")
    assert sorted(p.name for p in (out / DECK_ID / "png" / "mpc").iterdir()) == faces[:4]
    for shop in ("thegamecrafter", "generic"):  # not this build's: left alone
        assert sorted(p.name for p in out.joinpath(DECK_ID, *folders[shop]).iterdir() if p.is_file()) == faces


# -- DriveThruCards ----------------------------------------------------------------------

def test_drivethrucards_is_one_cmyk_pdf_back_front(poker: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    folder = build_png(poker, tmp_path, "--shop", "drivethrucards")
    assert not (folder / "png").exists()
    pdf = folder / f"{DECK_ID}-drivethrucards.pdf"
    texts = [normalise(text) for text in page_texts(pdf)]
    assert len(texts) == 6
    title = "Les travailleurs invisibles de l’IA"
    for back, (front, name) in zip(texts[0::2], zip(texts[1::2], ["Fabrice", "Fara", "Sana"])):
        assert title in back and name not in back
        assert name in front
    reader = PdfReader(pdf)
    for number, stream in content_streams(reader):
        assert not RGB_OPERATOR.search(stream), f"page {number} has an RGB colour"
    page = reader.pages[0]
    inch = 72
    assert [round(float(v), 2) for v in page.mediabox] == [0, 0, 2.75 * inch, 3.75 * inch]
    assert [round(float(v), 2) for v in page.trimbox] == [inch / 8, inch / 8, 2.625 * inch, 3.625 * inch]


def test_drivethrucards_refuses_colours_over_its_ink_limit(tmp_path: Path) -> None:
    deck = small_deck(tmp_path, colour="#000033")  # naive CMYK: 100 100 0 80 = 280 %
    result = run("build", str(deck), "--out", str(tmp_path), "--target", "png", "--shop", "drivethrucards")
    assert result.exit_code == 1
    assert "DriveThruCards prints at most 240% total ink" in result.stderr
    assert "is 280% ink" in result.stderr
    assert not (tmp_path / DECK_ID).exists()


# -- mistakes ----------------------------------------------------------------------------

def test_a_service_preset_with_a_tarot_deck_names_the_size_it_takes(tmp_path: Path) -> None:
    result = run("build", str(FRENCH), "--out", str(tmp_path), "--target", "png", "--shop", "mpc")
    assert result.exit_code == 1
    assert ("--shop mpc makes poker cards (63.5 × 88.9 mm) and this deck's cards are tarot "
            "(70 × 120 mm)") in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args, message", [
    (("--shop", "mpc"), "--dpi and --shop are options of --target png"),
    (("--target", "png", "--shop", "mpc", "--dpi", "600"), "--shop mpc takes 300 dpi images"),
    (("--target", "png", "--dpi", "2400"), "2400 is not in the range 72<=x<=1200"),
])
def test_option_mistakes_are_usage_errors(args, message: str, tmp_path: Path) -> None:
    result = run("build", str(FRENCH), "--out", str(tmp_path), *args)
    assert result.exit_code == 2
    assert message in result.stderr


# -- the preview -------------------------------------------------------------------------

def test_preview_writes_a_contact_sheet_and_prints_its_path(poker: Path, tmp_path: Path) -> None:
    result = run("preview", str(poker), "--out", "sheets", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"sheets/{DECK_ID}/{DECK_ID}-preview.png\n"
    tile_w, tile_h = round(300 * 63.5 / 88.9), 300  # the trim, no bleed
    with Image.open(tmp_path / result.stdout.strip()) as sheet:
        assert sheet.mode == "RGB"
        assert sheet.size == (2 * MARGIN + 4 * tile_w + 3 * GAP, 2 * MARGIN + tile_h)  # back + 3 fronts, one row
        assert sheet_geometry(3, CARD_PRESETS["poker"]).size == sheet.size
        background = sheet.getpixel((MARGIN - 2, MARGIN - 2))
        assert max(sheet.getpixel((MARGIN, MARGIN))) < 60  # the back first, cut at the trim
        assert max(sheet.getpixel((MARGIN + tile_w - 1, MARGIN + tile_h - 1))) < 60
        assert sheet.getpixel((MARGIN + tile_w, MARGIN)) == background  # the gap
        front = sheet.crop((MARGIN + tile_w + GAP, MARGIN, MARGIN + 2 * tile_w + GAP, MARGIN + tile_h))
        assert front.getpixel((0, 0)) != background and front.getpixel((0, 0)) != (255, 255, 255)


def test_preview_with_no_deck_takes_the_first_one_found(tmp_path: Path) -> None:
    (tmp_path / "decks").mkdir()
    small_deck(tmp_path / "decks", name="a.yaml", count=1)
    result = run("preview", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"output/{DECK_ID}/{DECK_ID}-preview.png\n"


def test_geometry_of_large_decks() -> None:
    geometry = sheet_geometry(20, (70, 120))
    assert (geometry.columns, geometry.rows, geometry.tile) == (8, 3, (175, 300))
    huge = sheet_geometry(1000, (70, 120))
    assert huge.columns == 8 and huge.size[1] <= 16384 and huge.tile[1] >= 100


def test_preview_open_without_a_display_says_so(poker: Path, tmp_path: Path, monkeypatch) -> None:
    import click

    launched = []
    monkeypatch.setattr(click, "launch", lambda url, **kw: launched.append(url) or 0)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run("preview", str(poker), "--out", str(tmp_path), "--open")
    assert result.exit_code == 0
    assert "no display to open it on" in result.stderr and not launched
    monkeypatch.setenv("DISPLAY", ":0")
    result = run("preview", str(poker), "--out", str(tmp_path), "--open")
    assert result.exit_code == 0 and launched == [str(tmp_path / DECK_ID / f"{DECK_ID}-preview.png")]


# -- the README --------------------------------------------------------------------------

def test_the_readme_service_commands_work_on_a_poker_deck(tmp_path: Path) -> None:
    """The README shows these on a poker deck (its sh blocks, run by test_readme, use
    the bundled tarot decks, which no service preset takes)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for block in re.findall(r"```text\n(.*?)```", readme, flags=re.S)
             for line in block.splitlines() if "--shop" in line]
    assert {"thegamecrafter", "mpc", "drivethrucards"} <= {w for line in lines for w in shlex.split(line)}
    small_deck(tmp_path, name="my-poker-deck.yaml", count=1)
    for line in lines:
        result = run(*shlex.split(line)[1:], cwd=tmp_path)
        assert result.exit_code == 0, (line, result.output)
    for shop in ("thegamecrafter", "mpc"):  # one after the other, into the same folder: both kept
        assert (tmp_path / "output" / DECK_ID / "png" / shop / "01-fabrice-front.png").exists()
    assert (tmp_path / "output" / DECK_ID / f"{DECK_ID}-drivethrucards.pdf").exists()
