"""Shared fixtures: the repository's paths, a built copy of the bundled decks, and
helpers that read real output back (page boxes, fonts, colour operators, text, QR codes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "decks"
FRENCH = DECKS / "travailleurs-ia.yaml"
ENGLISH = DECKS / "ai-workers.yaml"
MM = 72 / 25.4


def run(*args: str, cwd: Path | None = None):
    """Run the CLI in-process, the way a user types it; returns Click's Result."""
    from deckprint.cli import cli

    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), catch_exceptions=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Both bundled decks built once, with the default targets, into a temporary folder."""
    out = tmp_path_factory.mktemp("built")
    result = run("build", str(FRENCH), str(ENGLISH), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


# -- reading PDFs back -----------------------------------------------------------------

def boxes(page) -> dict[str, tuple[float, ...]]:
    return {name: tuple(round(float(v), 2) for v in page[f"/{name}"])
            for name in ("MediaBox", "TrimBox", "BleedBox") if f"/{name}" in page}


def content_streams(reader):
    """Every content stream of every page, Form XObjects included, as bytes."""
    for number, page in enumerate(reader.pages, 1):
        yield number, page.get_contents().get_data() if page.get_contents() else b""
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for name in xobjects:
            xobject = xobjects[name].get_object()
            if xobject.get("/Subtype") == "/Form":
                yield number, xobject.get_data()


RGB_OPERATOR = re.compile(rb"(^|\s)(rg|RG)(\s|$)|/DeviceRGB")


def fonts(reader) -> dict[str, bool]:
    """Font name → embedded?, over all pages and forms."""
    found: dict[str, bool] = {}

    def visit(resources):
        for name, ref in ((resources or {}).get("/Font") or {}).items():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font.get("/BaseFont"))] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for ref in ((resources or {}).get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def render(pdf_path: Path, page_index: int, dpi: int = 300):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return pdf[page_index].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()


def decode_qr(image) -> list[str]:
    import zxingcpp

    return [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


def page_texts(pdf_path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def squash(text: str) -> str:
    """Only the letters, digits and punctuation other than hyphens: a line broken at a
    hyphen ("micro-|task") and one hyphenated by the typesetter ("plat-|form") both
    compare equal to the text as written (a typed hyphen that ends a line is U+2010)."""
    text = text.replace("*", "").replace("\u00ad", "")
    return "".join(c for c in text if not c.isspace() and c not in "-\u2010\ufffe\x02")


def normalise(text: str) -> str:
    """Text as extracted → comparable words: no soft hyphens, line-end hyphens joined,
    no-break spaces as spaces, one space between words; a typed hyphen that ends a
    line (U+2010) is kept, as "-"."""
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"\u2010\s*", "-", text)
    text = re.sub(r"-\s*[\r\n]+\s*", "", text)
    text = text.replace("\ufffe", "").replace("\x02", "")
    return " ".join(text.split())


def pytest_report_header(config) -> str:
    """The versions of what deckprint runs on, at the top of every test run: pip takes
    the newest the pins allow, so a library that changed under us shows here, beside
    the failure it causes (CI's log included)."""
    from importlib.metadata import PackageNotFoundError, requires, version

    names = sorted({re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in requires("deckprint") or ()})
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return "deckprint runs on: " + ", ".join(found)


def pytest_addoption(parser) -> None:
    parser.addoption("--update-expected", action="store_true",
                     help="rewrite tests/bad_decks/*.expected from what validate prints (then read the diff)")
    parser.addoption("--update-reference-outputs", action="store_true",
                     help="record the bundled decks' output hashes in tests/reference-outputs.json")
