"""Hostile and broken input that needs more than a bad deck file to show: sizes and
counts, time and memory, symlinks and images, what ends up in the PDF, and output that
must survive a failed build. (The cases that are a deck file alone sit in bad_decks/.)"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from conftest import ROOT, decode_qr, page_texts, render, run

BAD = Path(__file__).parent / "bad_decks"


def deck_data(**deck) -> dict:
    return {
        "deckprint": 1,
        "deck": {"id": "hostile", "title": "Un jeu", "language": "fr",
                 "source": {"url": "https://example.org/article"}, **deck},
        "cards": [{"name": "Hao", "role": "Extractrice", "country": "Chine",
                   "testimony": "Je démonte des smartphones."}],
    }


def write_deck(folder: Path, data: dict, name: str = "deck.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """deckprint in a child process: a crash (or a segfault) cannot take pytest with it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "deckprint", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


# -- YAML: size, count, expansion, nesting ---------------------------------------------

def test_a_deck_file_over_the_size_limit_is_refused_and_the_option_raises_it(tmp_path: Path) -> None:
    path = write_deck(tmp_path, deck_data())
    path.write_text(path.read_text(encoding="utf-8") + "# padding\n" * 2000, encoding="utf-8")  # 20 kB
    result = run("validate", str(path), "--max-deck-size", "0.01")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}: the file is 0.020 MB, more than the limit of 0.010 MB (raise it with --max-deck-size)")
    assert run("validate", str(path), "--max-deck-size", "0.03").exit_code == 0
    assert run("validate", str(path)).exit_code == 0  # 5 MB by default
    build = run("build", str(path), "--max-deck-size", "0.01", "--out", str(tmp_path / "out"))
    assert build.exit_code == 1 and "raise it with --max-deck-size" in build.stderr
    assert not (tmp_path / "out" / "hostile").exists()


def test_more_than_5000_cards_are_refused_quickly(tmp_path: Path) -> None:
    data = deck_data()
    data["cards"] = [{"name": f"Personne {i}", "role": "Annotatrice", "country": "FR",
                      "testimony": "Je travaille."} for i in range(5001)]
    path = write_deck(tmp_path, data)
    start = time.perf_counter()
    result = run("validate", str(path))
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith("cards: a deck holds at most 5,000 cards")
    assert elapsed < 10, f"{elapsed:.1f} s"  # about 1 s here, with libyaml


MEASURE = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from deckprint.errors import DeckError
from deckprint.load import load_deck
trace = sys.argv[2] == "trace"
if trace:
    tracemalloc.start()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.perf_counter()
try:
    load_deck(Path(sys.argv[1]))
    message = None
except DeckError as exc:
    message = str(exc)
seconds = time.perf_counter() - start
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
peak = tracemalloc.get_traced_memory()[1] if trace else grown
print(json.dumps({"seconds": seconds, "peak": peak, "message": message}))
"""


def measure_load(path: Path, *, trace: bool = True) -> dict:
    """Time and peak memory of loading a deck, in a fresh process (deckprint imported
    first): the Python allocations with tracemalloc, or the growth of the resident set."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), "trace" if trace else "rss"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_billion_laughs_is_refused_within_a_second_and_a_few_megabytes() -> None:
    got = measure_load(BAD / "billion-laughs.yaml")
    assert got["message"].endswith(":2:52: aliases repeat more than 10,000 values: refused")
    assert got["seconds"] < 1.0, got
    assert got["peak"] < 5_000_000, got


def test_a_flat_list_of_millions_of_values_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    # 4.8 MB, under the file size limit: as a node tree, its 2.4 million values took
    # 2.5 minutes and 1.7 GB; composing now stops at the value limit.
    path = tmp_path / "flat.yaml"
    path.write_text("deckprint: 1\ndeck: [" + "1," * 2_400_000 + "1]\n", encoding="utf-8")
    got = measure_load(path, trace=False)
    assert got["message"].endswith("flat.yaml:2:599998: the deck holds more than 300,000 values: refused")
    assert got["peak"] < 250_000_000, got
    assert got["seconds"] < 20, got


def test_anchors_and_aliases_for_honest_reuse_are_fine_even_in_a_big_deck(tmp_path: Path) -> None:
    cards = "".join(f"""
  - <<: *person
    name: Personne {i}
    source: *article""" for i in range(5000))
    path = tmp_path / "reuse.yaml"
    path.write_text(f"""deckprint: 1
deck:
  id: reuse
  title: Un jeu
  language: fr
  source: &article
    url: https://example.org/article
    title: Un article
    publisher: example.org
defaults: &person
  role: Annotatrice
  country: FR
  testimony: Je travaille.
  conditions: [Bas salaire, Longues heures]
cards:{cards}
""", encoding="utf-8")
    from deckprint.deckfile import read_deck_file

    # 5,000 cards repeat 18 values each through aliases: 90,000, more than the 10,000
    # a small file may repeat, and less than ten times the 25,000 this one holds.
    raw = read_deck_file(path)
    assert raw.data["cards"][4999]["source"]["publisher"] == "example.org"
    assert raw.data["cards"][4999]["conditions"] == ["Bas salaire", "Longues heures"]
    assert raw.values[("cards", 4999, "source", "url")] == (7, 10)  # where the anchor is written


def deep(opening: str, levels: int) -> str:
    """A deck whose ``deck:`` value is nested ``levels`` deep, in flow or block style."""
    if opening == "- ":  # block style: each level indented by two more spaces
        body = "\n" + "".join("  " * level + "-\n" for level in range(1, levels)) + "  " * levels + "- 1\n"
    else:
        closing = {"[": "]", "{a: ": "}"}[opening]
        body = opening * levels + "1" + closing * levels + "\n"
    return "deckprint: 1\ndeck: " + body


# Where the 41st level opens: flow levels start at column 7 of line 2, block levels at
# line 3 and go down a line each, two columns to the right.
DEEP_AT = {"[": "2:47", "{a: ": "2:167", "- ": "43:83"}


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
@pytest.mark.parametrize("levels", [41, 999, 1001, 10_000])
def test_deep_nesting_is_refused_at_deckprints_own_bound(tmp_path: Path, opening: str, levels: int) -> None:
    # PyYAML 6.0.4's libyaml stops at 1,000 flow levels with its own words, earlier ones
    # never: the bound, its words and its place must be ours on either side of that.
    path = tmp_path / "deep.yaml"
    path.write_text(deep(opening, min(levels, 2000) if opening == "- " else levels), encoding="utf-8")  # 4 MB
    got = measure_load(path)
    assert got["message"] == f"{path}:{DEEP_AT[opening]}: the YAML is nested more than 40 levels deep"
    assert got["seconds"] < 2, got
    assert got["peak"] < 20_000_000, got


def test_forty_levels_of_nesting_are_fine(tmp_path: Path) -> None:
    from deckprint.deckfile import read_deck_file

    for opening in ("[", "{a: ", "- "):
        path = tmp_path / "forty.yaml"
        path.write_text(deep(opening, 39), encoding="utf-8")  # the root mapping is the 40th
        assert read_deck_file(path).data["deck"]


@pytest.mark.parametrize("text", [deep("[", 10_000), "deckprint: 1\ndeck: [1, 2\n", "a: 'open\n",
                                  "a: 1\n a: 2\n", "a: *nowhere\n", "--- 1\n--- 2\n", "a: !!binary x\n"])
def test_libyaml_and_the_pure_python_parser_report_the_same(tmp_path: Path, monkeypatch, text: str) -> None:
    # A machine without libyaml (or with another version of it) says the same words at
    # the same place: a file libyaml refuses is read again by our bounded loader.
    from deckprint import deckfile
    from deckprint.errors import DeckError

    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")

    def problems() -> list[str]:
        try:  # a file that cannot be read at all, or one read with problems kept
            found = deckfile.read_deck_file(path).problems
        except DeckError as caught:
            found = caught.problems
        assert found
        return [str(p) for p in found]

    with_libyaml = problems()
    monkeypatch.setattr(deckfile, "_FAST_LOADER", None)
    assert problems() == with_libyaml


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_ten_thousand_levels_of_nesting_are_a_message(tmp_path: Path, opening: str) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(deep(opening, 2000 if opening == "- " else 10_000), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{path}:{DEEP_AT[opening]}: ")
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


def test_a_million_levels_of_nesting_do_not_crash_the_interpreter(tmp_path: Path) -> None:
    # 2 MB of "[": libyaml's composer recurses in C and dies of a segfault on this.
    path = tmp_path / "deep.yaml"
    path.write_text("deckprint: 1\ndeck: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert result.stderr.startswith(f"{path}:2:47: the YAML is nested more than 40 levels deep")


# -- text: markup printed as typed, scripts that need other fonts ---------------------------

MARKUP = ["<font color=red size=40>", "</font>", "<a href=https://evil.example/x>", "</a>",
          "<img src=/etc/passwd/>", "<img src=x.png width=500/>", "&#65;", "&amp;", "&lt;b&gt;", "<br/>",
          "<![CDATA[x]]>", "<onDraw name=evil/>", "<para>", "<b>"]


def all_objects(reader: PdfReader):
    """Every dictionary in the file, whether reached from the pages or not."""
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, DictionaryObject):
                yield item
                stack.extend(v for v in item.values() if not hasattr(v, "idnum"))
            elif isinstance(item, ArrayObject):
                stack.extend(v for v in item if not hasattr(v, "idnum"))


def links(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            assert annotation["/Subtype"] == "/Link"
            action = annotation["/A"].get_object()
            assert set(action) <= {"/S", "/URI", "/Type"}, action
            assert action["/S"] == "/URI"
            found.append(str(action["/URI"]))
    return found


EXECUTABLE_KEYS = {"/JS", "/JavaScript", "/Launch", "/AA", "/OpenAction", "/EmbeddedFiles", "/EmbeddedFile"}
EXECUTABLE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                      "/Rendition", "/Movie", "/Sound", "/ResetForm"}


def assert_nothing_executable(reader: PdfReader) -> None:
    for obj in all_objects(reader):
        assert not EXECUTABLE_KEYS.intersection(obj.keys()), obj
        assert str(obj.get("/S")) not in EXECUTABLE_ACTIONS, obj
        assert obj.get("/Subtype") != "/Image", "an image the deck never asked for"


def test_markup_looking_text_is_printed_literally(tmp_path: Path) -> None:
    data = deck_data(title="<b>Jeu</b> &amp; co")
    card = data["cards"][0]
    card["name"] = "Hao <font size=40>"
    card["role"] = "<a href=https://evil.example/x>clic</a>"
    card["testimony"] = "Je dis " + " ".join(MARKUP[:8]) + " et *ceci*."
    card["conditions"] = [" ".join(MARKUP[8:])]
    card["impact"] = "&nbsp; &#x41; < > & <unclosed"
    path = write_deck(tmp_path, data)
    result = run("build", str(path), "--out", str(tmp_path / "out"), "--target", "print")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "hostile" / "hostile-print.pdf"
    text = "".join(page_texts(pdf)[0].split())  # lines wrap anywhere in a long "word"
    for piece in MARKUP + ["&nbsp;", "&#x41;", "<unclosed", "Hao<fontsize=40>", "<b>Jeu</b>&amp;co"]:
        assert "".join(piece.split()) in text, piece
    assert "*ceci*" not in text and "ceci" in text  # the two marks of the format still work
    reader = PdfReader(pdf)
    assert links(reader) == ["https://example.org/article"]  # the QR code's, not the <a href>
    assert_nothing_executable(reader)


def test_combining_marks_and_vietnamese_build(tmp_path: Path) -> None:
    data = deck_data()
    card = data["cards"][0]
    card["name"] = "Nguyễn Thị Minh"
    card["role"] = "Cafe\u0301 et cre\u0300me"  # decomposed: e + combining accent
    card["testimony"] = "Tôi làm việc ở nhà máy. Tiếng Việt có nhiều dấu: ắ ằ ẳ ẵ ặ ố ồ ổ ỗ ộ."
    path = write_deck(tmp_path, data)
    result = run("build", str(path), "--out", str(tmp_path / "out"), "--target", "print")
    assert result.exit_code == 0, result.output
    text = unicodedata.normalize("NFC", "".join(page_texts(tmp_path / "out" / "hostile" / "hostile-print.pdf")[0].split()))
    for piece in ("NguyễnThịMinh", "Caféetcrème", "TiếngViệtcónhiềudấu:ắằẳẵặốồổỗộ."):
        assert piece in text, piece


def test_right_to_left_text_is_refused_even_with_a_font_that_has_it(tmp_path: Path) -> None:
    # DejaVu Sans has Hebrew, but ReportLab would draw it in logical order, unshaped and
    # unreordered: printed wrong. Validation says so, located, instead of building.
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    faces = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf", "Italic": "DejaVuSans-Oblique.ttf",
             "BoldItalic": "DejaVuSans-BoldOblique.ttf"}
    if not all((dejavu / f).is_file() for f in faces.values()):
        pytest.skip("DejaVu Sans is not installed")
    (tmp_path / "fonts").mkdir()
    for style, name in faces.items():
        shutil.copy(dejavu / name, tmp_path / "fonts" / f"DejaVuSans-{style}.ttf")
    data = deck_data(font="DejaVu Sans")
    data["cards"][0]["testimony"] = "Je dis : אני מתייגת תמונות כל היום."
    lines = problem_lines(write_deck(tmp_path, data))
    assert len(lines) == 1
    assert "cards[0].testimony: right-to-left text ('א' (U+05D0)" in lines[0]
    assert "is not supported yet" in lines[0]
    data["cards"][0]["testimony"] = "Je dis : bonjour."  # the same deck, left-to-right, builds
    path = write_deck(tmp_path, data)
    assert run("build", str(path), "--out", str(tmp_path / "out"), "--target", "print").exit_code == 0


# -- URLs: what the link and the QR code carry ------------------------------------------------

def test_links_carry_exactly_the_url_and_nothing_executable(tmp_path: Path) -> None:
    urls = {  # as written → as printed (an internationalised URL becomes its ASCII form)
        "https://example.org/a)b(c?q=javascript:alert(1)#x": "https://example.org/a)b(c?q=javascript:alert(1)#x",
        "https://exämple.org/café?q=é": "https://xn--exmple-cua.org/caf%C3%A9?q=%C3%A9",
        "http://example.org/<script>%0A": "http://example.org/%3Cscript%3E%0A",
    }
    data = deck_data()
    data["cards"] = [{"name": f"Personne {i}", "role": "Annotatrice", "country": "FR",
                      "testimony": "Je travaille.", "source": {"url": url}} for i, url in enumerate(urls)]
    path = write_deck(tmp_path, data)
    result = run("build", str(path), "--out", str(tmp_path / "out"), "--target", "print", "--target", "pnp")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "hostile"
    expected = list(urls.values())
    for pdf in (folder / "hostile-print.pdf", folder / "hostile-pnp-a4.pdf"):
        reader = PdfReader(pdf)
        assert sorted(links(reader)) == sorted(expected), pdf.name
        assert_nothing_executable(reader)
    assert decode_qr(render(folder / "hostile-print.pdf", 2, dpi=600)) == [expected[1]]


# -- paths: symlinks, images by content, decompression bombs ------------------------------

def png(width: int, height: int, *, idat: bytes = b"") -> bytes:
    """A PNG that claims ``width`` × ``height`` 1-bit grey pixels, with whatever data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat or zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def deck_with_image(folder: Path, image: str) -> Path:
    data = deck_data()
    data["cards"][0]["image"] = image
    return write_deck(folder, data)


def problem_lines(path: Path) -> list[str]:
    result = run("validate", path.name, cwd=path.parent)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if "deck(s) with problems" not in line]


def test_a_symlink_out_of_the_deck_folder_is_refused_naming_the_card(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    from PIL import Image
    Image.new("L", (800, 800), 90).save(outside / "secret.png")  # one that prints: the link is the point
    deck_dir = tmp_path / "deck"
    (deck_dir / "portraits").mkdir(parents=True)
    (deck_dir / "portraits" / "hao.png").symlink_to(outside / "secret.png")
    (deck_dir / "elsewhere").symlink_to(outside, target_is_directory=True)
    path = deck_with_image(deck_dir, "portraits/hao.png")
    assert problem_lines(path) == [
        'deck.yaml:13:10: cards[0].image: card 1 "Hao": "portraits/hao.png" leads outside the deck\'s folder']
    path = deck_with_image(deck_dir, "elsewhere/secret.png")
    assert problem_lines(path) == [
        'deck.yaml:13:10: cards[0].image: card 1 "Hao": "elsewhere/secret.png" leads outside the deck\'s folder']
    # A symlink that stays inside the folder is honest reuse.
    shutil.copy(outside / "secret.png", deck_dir / "portraits" / "real.png")
    (deck_dir / "portraits" / "alias.png").symlink_to("real.png")
    assert run("validate", str(deck_with_image(deck_dir, "portraits/alias.png"))).exit_code == 0


def test_a_fonts_folder_that_is_a_symlink_out_of_the_deck_folder_is_not_used(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(ROOT / "fonts" / f"NotoSans-{style}.ttf", outside / f"Stolen-{style}.ttf")
    deck_dir = tmp_path / "deck"
    deck_dir.mkdir()
    (deck_dir / "fonts").symlink_to(outside, target_is_directory=True)
    path = write_deck(deck_dir, deck_data(font="Stolen"))
    lines = problem_lines(path)
    assert len(lines) == 1 and lines[0].startswith('deck.yaml:8:9: deck.font: font family "Stolen" not found')


@pytest.mark.parametrize("width, height, message", [
    (30000, 30000, "claims 900,000,000 pixels, more than the limit of 40 million pixels"),
    (7000, 7000, "is 7000 × 7000 pixels, more than the limit of 40 million pixels"),
])
def test_a_decompression_bomb_is_refused_without_decoding(tmp_path: Path, monkeypatch, width, height,
                                                          message) -> None:
    (tmp_path / "bomb.png").write_bytes(png(width, height))
    assert (tmp_path / "bomb.png").stat().st_size < 200
    from PIL import ImageFile

    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    path = deck_with_image(tmp_path, "bomb.png")
    assert problem_lines(path) == [f'deck.yaml:13:10: cards[0].image: card 1 "Hao": image "bomb.png" {message}']


def test_a_truncated_or_corrupt_image_is_refused_at_validation(tmp_path: Path) -> None:
    from PIL import Image
    import io

    for fmt, name in (("PNG", "cut.png"), ("JPEG", "cut.jpg")):
        buffer = io.BytesIO()
        Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, fmt)
        data = buffer.getvalue()
        (tmp_path / name).write_bytes(data[: len(data) // 2])
    (tmp_path / "garbled.png").write_bytes(png(64, 64, idat=b"not zlib data at all"))
    for name in ("cut.png", "cut.jpg", "garbled.png"):
        path = deck_with_image(tmp_path, name)
        [line] = problem_lines(path)
        assert line.startswith(f'deck.yaml:13:10: cards[0].image: card 1 "Hao": cannot read image "{name}": '), line
        # and a build says the same, instead of failing while drawing
        result = run("build", str(path), "--out", str(tmp_path / "out"))
        assert result.exit_code == 1 and f'cannot read image "{name}"' in result.stderr


# -- output: names, and a build that fails part-way -----------------------------------------

@pytest.mark.parametrize("name", ["../x.pdf", "a/b.pdf", "a\\b.pdf", ".hidden", "", "x\0.pdf", "/etc/passwd"])
def test_safe_name_refuses_anything_that_could_leave_the_folder(name: str) -> None:
    from deckprint.write import safe_name
    from deckprint.errors import UserError

    with pytest.raises(UserError, match="refusing to write a file named"):
        safe_name(name)


def test_safe_name_lets_a_slug_through() -> None:
    from deckprint.write import safe_name

    assert safe_name("travailleurs-ia-pnp-a4.pdf") == "travailleurs-ia-pnp-a4.pdf"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_a_failure_while_drawing_the_second_output_changes_no_file(tmp_path: Path, monkeypatch) -> None:
    path = write_deck(tmp_path, deck_data())
    out = tmp_path / "out"
    assert run("build", str(path), "--out", str(out), "--target", "pnp", "--target", "print").exit_code == 0
    folder = out / "hostile"
    before = snapshot(folder)
    assert {"hostile-pnp-a4.pdf", "hostile-print.pdf"} <= set(before)
    import deckprint.targets.cards

    def broken(*args, **kwargs):
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(deckprint.targets.cards, "print_shop", broken)
    result = run("build", str(path), "--out", str(out), "--target", "pnp", "--target", "print", "--bleed", "2")
    assert result.exit_code != 0
    assert "the printer caught fire" in result.output
    assert snapshot(folder) == before  # same names (no temporary left), same bytes, untouched


def test_a_failure_while_writing_the_second_output_changes_no_file(tmp_path: Path, monkeypatch) -> None:
    path = write_deck(tmp_path, deck_data())
    out = tmp_path / "out"
    assert run("build", str(path), "--out", str(out), "--target", "pnp", "--target", "print").exit_code == 0
    folder = out / "hostile"
    before = snapshot(folder)
    import deckprint.write

    real_fsync, calls = os.fsync, []

    def fsync_fails_the_second_time(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(deckprint.write.os, "fsync", fsync_fails_the_second_time)
    result = run("build", str(path), "--out", str(out), "--target", "pnp", "--target", "print", "--bleed", "2")
    assert result.exit_code != 0
    assert len(calls) == 2
    assert snapshot(folder) == before


def test_new_does_not_follow_a_symlink_onto_another_file(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / "deck.yaml").symlink_to(victim)
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.txt")
    for name in ("deck.yaml", "dangling.yaml"):
        result = run("new", str(tmp_path / name))
        assert result.exit_code == 1 and "already exists" in result.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "nowhere.txt").exists()


# -- numbers on the command line ----------------------------------------------------------

@pytest.mark.parametrize("option, value", [
    ("--bleed", "-1"), ("--bleed", "11"), ("--bleed", "nan"), ("--bleed", "inf"), ("--bleed", "abc"),
    ("--back-offset", "30,0"), ("--back-offset", "0,-21"), ("--back-offset", "nan,0"),
    ("--back-offset", "inf,0"), ("--back-offset", "1"), ("--back-offset", "1,2,3"),
    ("--max-deck-size", "0"), ("--max-deck-size", "-5"), ("--max-deck-size", "nan"), ("--max-deck-size", "1e9"),
])
def test_numeric_options_are_range_checked(tmp_path: Path, option: str, value: str) -> None:
    path = write_deck(tmp_path, deck_data())
    result = run("build", str(path), "--out", str(tmp_path / "out"), f"{option}={value}")
    assert result.exit_code == 2, result.output
    assert "Invalid value" in result.output
    assert not (tmp_path / "out").exists()


def test_jobs_is_range_checked_when_the_build_has_it(tmp_path: Path) -> None:
    from deckprint.cli import build

    if not any(p.name == "jobs" for p in build.params):
        pytest.skip("no --jobs option")
    path = write_deck(tmp_path, deck_data())
    for value in ("0", "-1", "1000", "x"):
        result = run("build", str(path), "--out", str(tmp_path / "out"), f"--jobs={value}")
        assert result.exit_code == 2 and "Invalid value" in result.output, value


def test_a_path_on_the_command_line_cannot_steer_the_terminal(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "evil\x1b[2J.yaml"))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr


def test_back_offset_errors_name_the_option() -> None:
    result = run("build", "--back-offset", "99,0")
    assert result.exit_code == 2 and "--back-offset" in result.output


# -- deck files: links, devices, bounded reads (issue 14, point 2) ---------------------------

SECRET = "https://user:ghp_" + "S3cr3tT0k3n" * 4 + "@github.com"


def test_a_deck_file_in_a_folder_that_links_outside_it_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "credentials").write_text(SECRET + "\n", encoding="utf-8")
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "a.yaml").symlink_to(tmp_path / "credentials")
    write_deck(decks, deck_data(), "b.yaml")
    result = run("validate", "decks", cwd=tmp_path)
    assert result.exit_code == 1
    assert "ghp_" not in result.output and "S3cr3t" not in result.output and "credentials" not in result.output
    assert result.stderr.splitlines()[0] == (
        "decks/a.yaml: the file is a link that leads outside its folder: refused (a deck found in a folder "
        "must be in it)")
    assert result.stdout.startswith("decks/b.yaml: ok")


def test_a_link_to_a_deck_inside_the_folder_is_read_and_named_by_the_link(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "editions").mkdir(parents=True)
    write_deck(decks / "editions", deck_data(), "v2.yml")  # not .yaml: the scan finds the link only
    (decks / "current.yaml").symlink_to("editions/v2.yml")
    result = run("validate", "decks", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("decks/current.yaml: ok")


def test_a_pipe_or_a_device_is_refused_without_being_read(tmp_path: Path) -> None:
    # A named pipe blocked the reader for ever; a link to /dev/zero (size 0, so under
    # the size limit) grew to 20 GB a minute.
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero-link.yaml").symlink_to("/dev/zero")
    for name in ("pipe.yaml", "zero-link.yaml", "/dev/zero"):
        start = time.perf_counter()
        result = run_cli("validate", name, cwd=tmp_path, timeout=30)
        assert result.returncode == 1, result.stderr
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"{name}: ") and ": refused" in first, first
        assert time.perf_counter() - start < 10


def test_a_file_is_read_with_a_bound_whatever_its_size_says() -> None:
    from deckprint.deckfile import read_deck_file
    from deckprint.errors import DeckError

    maps = Path("/proc/self/maps")  # a regular file of size 0 that holds kilobytes
    if not maps.is_file() or maps.stat().st_size:
        pytest.skip("no /proc/self/maps of size 0 here")
    with pytest.raises(DeckError) as failure:
        read_deck_file(maps, max_bytes=100)
    assert str(failure.value).endswith("more than its size says: refused")


def test_a_message_quotes_no_more_than_an_excerpt_of_a_value(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text(SECRET + "\n", encoding="utf-8")  # a link beside it would read so
    assert problem_lines(tmp_path / "secret.yaml") == [
        f"secret.yaml:1:1: the deck file must be a mapping of keys to values, not text ({len(SECRET)} characters)"]
    long = "x" * 4000
    data = deck_data(id=long, language="fr-" + long, card=long, bogus=long)
    data["deck"][long] = 1
    data["cards"][0].update(name="Hao" + long, country="Chine" + long, category=long, image=long,
                            conditions=long, source={"url": "https://" + long})
    data["cards"].append({"name": "X", "role": long, "country": "FR", "testimony": 1, long: long})
    lines = problem_lines(write_deck(tmp_path, data))
    assert len(lines) >= 10
    for line in lines:
        assert len(line) < 400, line
        assert "x" * 41 not in line, line


# -- small decks that took minutes (issue 14, point 3) --------------------------------------

def header() -> str:
    return ("deckprint: 1\ndeck:\n  id: x\n  title: T\n  language: fr\n"
            "  source: {url: 'https://example.org/'}\n")


def test_thousands_of_categories_and_five_thousand_unknown_ones_take_seconds(tmp_path: Path) -> None:
    # With 30,000 categories: 1,024 s, 7.75 GB and 1.44 GB of messages, a "did you mean"
    # among all the names for each card, and every message listing them all. 3,000 here
    # (a tenth of the parsing, the same path): 100 s before.
    path = tmp_path / "categories.yaml"
    path.write_text(header() + "categories:\n" + "".join(
        f"  category-{i}: {{label: L{i}, color: '#123456'}}\n" for i in range(3000)) + "cards:\n" + "".join(
        f"  - {{name: N{i}, role: R, country: FR, testimony: T, category: unknown-{i}}}\n" for i in range(5000)),
        encoding="utf-8")
    got = measure_load(path, trace=False)
    assert got["seconds"] < 30 and got["peak"] < 1_000_000_000, got
    lines = got["message"].splitlines()
    assert lines[0] == f"{path}:8:3: categories: a deck holds at most 100 categories"
    assert lines[1] == (f'{path}:3009:62: cards[0].category: unknown category "unknown-0"; known: category-0, '
                        "category-1, category-2, category-3, category-4, category-5, category-6, category-7, "
                        "category-8, category-9 and 2,990 more")
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == (f"{path}:3059:63: cards[50].category: 4,950 more problems like the 50 above "
                         "(unknown category) from here on, not shown: fix these first")


def test_five_thousand_unknown_countries_take_seconds(tmp_path: Path) -> None:
    # A "did you mean" among 500 country names for every card: 20 s; now for those shown.
    path = tmp_path / "countries.yaml"
    path.write_text(header() + "cards:\n" + "".join(
        f"  - {{name: N{i}, role: R, country: Countryland{i}, testimony: T}}\n" for i in range(5000)),
        encoding="utf-8")
    got = measure_load(path, trace=False)
    assert got["seconds"] < 8, got
    lines = got["message"].splitlines()
    assert len(lines) == 51 and 'cards[0].country: unknown country "Countryland0"' in lines[0]
    assert lines[-1].endswith("4,950 more problems like the 50 above (unknown country) from here on, not shown: "
                              "fix these first")


def test_a_megabyte_of_base_60_digits_is_refused_before_it_is_a_number(tmp_path: Path) -> None:
    # PyYAML builds the int of "1:0:0:…" (YAML 1.1's base 60) in quadratic time: 1,006 s.
    path = tmp_path / "base60.yaml"
    path.write_text("deckprint: 1\ndeck: 1" + ":0" * 2_400_000 + "\n", encoding="utf-8")  # 4.8 MB
    got = measure_load(path, trace=False)
    assert got["seconds"] < 10, got
    assert f"{path}:2:7: deck: a number 4,800,001 characters long: deckprint reads numbers of up to 100 " \
           "(put text in quotes)" in got["message"].splitlines()


@pytest.mark.parametrize("number", ["0x" + "f" * 5000, "0b" + "1" * 20_000, "1" * 5000, "1" + ":0" * 3000,
                                    "1." + "5" * 5000, "-0" + "7" * 6000])
def test_a_number_too_long_to_print_is_a_located_problem(tmp_path: Path, number: str) -> None:
    # Python refuses to write an int of more than 4,300 digits: messages crashed (exit 3).
    path = tmp_path / "deck.yaml"
    path.write_text(header() + f"cards:\n  - {{name: {number}, role: R, country: FR, testimony: T}}\n"
                    f"  - ? {number}\n    : 1\n    name: N\n    role: R\n    country: FR\n    testimony: T\n",
                    encoding="utf-8")  # an explicit key: a plain one is 1,024 characters at most
    assert problem_lines(path) == [
        f"deck.yaml:8:12: cards[0].name: a number {len(number):,} characters long: deckprint reads numbers of "
        "up to 100 (put text in quotes)",
        f"deck.yaml:9:7: cards[1].<key>: a number {len(number):,} characters long: deckprint reads numbers of "
        "up to 100 (put text in quotes)"]


def test_five_thousand_cards_aliasing_one_text_of_open_marks_take_seconds(tmp_path: Path) -> None:
    # Each card read the 4,800 characters of "*a *a …" twice: an error is not cached.
    text = "*a " * 1600
    path = tmp_path / "marks.yaml"
    path.write_text(header() + f"cards:\n  - {{name: N0, role: R, country: FR, testimony: &a '{text}'}}\n" + "".join(
        f"  - {{name: N{i}, role: R, country: FR, testimony: *a}}\n" for i in range(1, 5000)), encoding="utf-8")
    got = measure_load(path, trace=False)
    assert got["seconds"] < 10, got
    lines = got["message"].splitlines()
    assert len(lines) == 51
    assert lines[0].endswith('cards[0].testimony: an unclosed `*` in "*a *a *a *a *a *a *…": write \\* for an '
                             "asterisk that is not a mark")


# -- paths the file system refuses (issue 14, point 6) -----------------------------------------

def test_an_image_name_too_long_for_the_file_system_is_a_located_problem(tmp_path: Path) -> None:
    path = deck_with_image(tmp_path, "a" * 300 + ".png")
    assert problem_lines(path) == [
        'deck.yaml:13:10: cards[0].image: card 1 "Hao": cannot read image "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…": '
        "File name too long"]


# -- what reaches the terminal (issue 14, point 7) ----------------------------------------------

def test_a_language_tag_cannot_carry_a_terminal_escape(tmp_path: Path) -> None:
    path = write_deck(tmp_path, deck_data(language="fr-\x1b]0;owned\x07"))
    for command in ("validate", "list"):
        result = run(command, str(path))
        assert "\x1b" not in result.output and "\x07" not in result.output, command
    assert problem_lines(path) == [
        'deck.yaml:5:13: deck.language: the language tag "fr-\\x1b]0;owned\\x07" may only hold letters, digits '
        "and hyphens, at most 32 after the language (e.g. fr-CA)"]


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c", "\u200b", "\u200d", "\u2060"])
def test_names_refuse_bidi_controls_and_zero_width_characters(tmp_path: Path, char: str) -> None:
    data = deck_data(title=f"Un{char} jeu")
    data["categories"] = {"mines": {"label": f"Mi{char}nes", "color": "#8C3B1F"}}
    data["cards"][0].update(name=f"Ha{char}o", category="mines")
    path = write_deck(tmp_path, data)
    lines = problem_lines(path)
    assert [line.split(": ")[1] for line in lines] == ["deck.title", "cards[0].name", "categories.mines.label"]
    code = f"U+{ord(char):04X}"
    assert all(f"the invisible character {code} (" in line and "is not allowed in a name" in line for line in lines)
    assert char not in run("list", str(path)).output
    data["cards"][0]["testimony"] = f"Je dis{char} bonjour."  # not a name: as before
    data["cards"][0]["name"] = data["deck"]["title"] = data["categories"]["mines"]["label"] = "Hao"
    if char in "\u200b\u200d\u2060":  # zero-width, in a text that is not a name: as before
        assert run("validate", str(write_deck(tmp_path, data))).exit_code == 0


# -- images that the print check refuses (issue 14, point 8) -------------------------------------

def print_lines(path: Path) -> list[str]:
    """What images.check_print says of a deck, from its faces laid out as validate does."""
    from deckprint.images import print_problems
    from deckprint.layout.back import layout_back
    from deckprint.layout.card import layout_deck
    from deckprint.layout.overview import layout_posters
    from deckprint.layout.poster import poster_format
    from deckprint.load import load_deck

    deck = load_deck(path)
    posters = layout_posters(deck, poster_format())[1]
    return [str(p).replace(f"{path.parent}/", "") for p in print_problems(deck, layout_deck(deck), layout_back(deck),
                                                                          posters)]


def save(folder: Path, name: str, mode: str, size: tuple[int, int]) -> None:
    from PIL import Image

    Image.new(mode, size, 90 if mode == "L" else (0, 60, 80, 10)[:len(mode)]).save(folder / name)


def test_images_the_print_check_refuses_are_located_at_their_line(tmp_path: Path) -> None:
    from deckprint.errors import DeckError
    from deckprint.images import check_print

    save(tmp_path, "photo.png", "RGB", (900, 900))
    save(tmp_path, "palette.png", "P", (900, 900))
    save(tmp_path, "small.jpg", "CMYK", (500, 400))
    save(tmp_path, "grey.png", "L", (800, 800))
    data = deck_data(back={"image": "small.jpg"})
    data["cards"] = [{"name": f"P{i}", "role": "R", "country": "FR", "testimony": "T", "image": image}
                     for i, image in enumerate(["photo.png", "palette.png", "small.jpg", "grey.png"])]
    path = write_deck(tmp_path, data)
    needs = "printing takes 8-bit greyscale or CMYK images only, for now (save it as a CMYK JPEG, or in 8-bit greyscale)"
    assert print_lines(path) == [
        f'deck.yaml:15:10: cards[0].image: card 1 "P0": image "photo.png" is RGB: {needs}',
        f'deck.yaml:20:10: cards[1].image: card 2 "P1": image "palette.png" is a palette of RGB colours: {needs}',
        'deck.yaml:25:10: cards[2].image: card 3 "P2": image "small.jpg" is 500 × 400 pixels: printed 62 × 62 mm '
        "on its poster, it needs 914 × 732 for 300 ppi",  # 62 mm × 299.5 ppi: 731.06 pixels, the short side
        'deck.yaml:9:12: deck.back.image: image "small.jpg" is 500 × 400 pixels: printed 36 × 36 mm on the card '
        "back, it needs 538 × 430 for 300 ppi"]
    from deckprint.layout.back import layout_back
    from deckprint.layout.card import layout_deck
    from deckprint.layout.overview import layout_posters
    from deckprint.layout.poster import poster_format
    from deckprint.load import load_deck

    deck = load_deck(path)
    with pytest.raises(DeckError) as failure:
        check_print(deck, layout_deck(deck), layout_back(deck), layout_posters(deck, poster_format())[1])
    assert len(failure.value.problems) == 4
    result = run("build", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "fails the print checks" in result.stderr  # what validate now foretells


def test_validate_says_what_build_will_refuse(tmp_path: Path) -> None:
    save(tmp_path, "photo.png", "RGB", (900, 900))
    path = deck_with_image(tmp_path, "photo.png")
    assert problem_lines(path)[0].startswith('deck.yaml:13:10: cards[0].image: card 1 "Hao": image "photo.png" is RGB')


def test_the_pixels_validate_asks_for_are_what_build_needs(tmp_path: Path) -> None:
    """At the number of pixels the message asks for, the build passes the print check;
    one pixel less, it fails, for a portrait (its poster) and for the card back."""
    import re

    save(tmp_path, "portrait.jpg", "CMYK", (100, 100))
    save(tmp_path, "back.jpg", "CMYK", (100, 100))
    data = deck_data(back={"image": "back.jpg"})
    data["cards"][0]["image"] = "portrait.jpg"
    path = write_deck(tmp_path, data)
    needed = {}
    for line in print_lines(path):
        name, wide = re.search(r'image "(\w+)\.jpg" .* it needs (\d+) × \d+ for', line).groups()
        needed[name] = int(wide)
    assert set(needed) == {"portrait", "back"}

    def builds() -> bool:
        result = run("build", str(path), "--out", str(tmp_path / "out"), "--force", "-q")
        assert result.exit_code == 0 or "under 300" in result.stderr, result.output
        return result.exit_code == 0

    for name, side in needed.items():
        save(tmp_path, f"{name}.jpg", "CMYK", (side, side))
    assert print_lines(path) == [] and builds()
    for name, side in needed.items():
        save(tmp_path, f"{name}.jpg", "CMYK", (side - 1, side - 1))
        assert len(print_lines(path)) == 1 and not builds(), name
        save(tmp_path, f"{name}.jpg", "CMYK", (side, side))


def test_no_escape_in_a_file_name_reaches_the_terminal(tmp_path: Path) -> None:
    # A deck's values are refused or escaped; its file name is printed by validate and list.
    evil = tmp_path / "deck\x1b]0;owned\x07.yaml"
    write_deck(tmp_path, deck_data()).rename(evil)
    for command in ("validate", "list"):
        result = run(command, str(evil))
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "\\x1b]0;owned\\x07" in result.output
    fields = run("list", str(evil)).output.rstrip("\n").split("\t")
    assert len(fields) == 5 and fields[-1].endswith("cards")  # the tabs between fields stay tabs


def test_a_deck_named_through_a_link_must_stay_in_its_folder(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    real = write_deck(tmp_path / "elsewhere", deck_data())
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "deck.yaml").symlink_to(real)
    (tmp_path / "here" / "near.yaml").symlink_to(write_deck(tmp_path / "here", deck_data(), "real.yaml"))
    assert run("validate", str(tmp_path / "here" / "near.yaml")).exit_code == 0
    refused = run("validate", str(tmp_path / "here" / "deck.yaml"))
    assert refused.exit_code == 1 and "deckprint: 1" not in refused.output and "Traceback" not in refused.output
