"""The command line: parses options, calls the pipeline, turns failures into exit codes.

Exit codes: 0 success; 1 the user's input is wrong (a message, never a traceback);
2 usage (Click's own); 3 a bug in deckprint (``--debug`` shows the traceback).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .build import build_decks, find_decks
from .deckfile import MAX_FILE_BYTES
from .errors import DeckError, UserError, display_path, visible
from .options import ALL_TARGETS, DEFAULT_TARGETS, KIT, PREVIEW, BuildOptions
from .processes import usable_cores
from .shops import DEFAULT_DPI, DPI_RANGE, SHOPS
from .sizes import PAPERS, POSTER_SIZES


class _Group(click.Group):
    """Turns our exceptions into the documented exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except UserError as exc:
            if _debug(ctx):
                raise
            _error(str(exc))
            ctx.exit(1)
        except Exception as exc:
            if _debug(ctx):
                raise
            click.echo(f"deckprint: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in deckprint; run again with --debug for the traceback.", err=True)
            ctx.exit(3)


class _Range(click.FloatRange):
    """A number in a range, and a number: click.FloatRange lets "nan" through, since
    every comparison with NaN is false."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class _LaterChoice(click.Choice):
    """A choice among the names in a table read only when the option is given or its
    help shown: the table lives with the code that uses it, which may import the
    layout (ReportLab, the deck model), and a build with nothing to do needs none of
    it (see build.py). Click checks the default against the choices too: the default
    is ours, and passes unread."""

    def __init__(self, module: str, table: str):
        self._where = module, table
        self.case_sensitive = True

    def convert(self, value, param, ctx):
        if param is not None and value == param.default:
            return value
        return super().convert(value, param, ctx)

    @property
    def choices(self) -> tuple[str, ...]:
        module, table = self._where
        return tuple(getattr(importlib.import_module(module, __package__), table))


def _error(message: str) -> None:
    """A user error on stderr, each line with its control characters escaped: a message
    may quote a path or a deck's text, and neither may steer the terminal."""
    click.echo("\n".join(visible(line) for line in message.split("\n")), err=True)


def _debug(ctx: click.Context) -> bool:
    return bool((ctx.obj or {}).get("debug")) or os.environ.get("DECKPRINT_DEBUG") == "1"


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="deckprint")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Persona decks in YAML → print-ready PDF cards and posters.

    With no DECK argument, commands use decks/*.yaml in the current folder, or the
    bundled decks when there is none.
    """
    ctx.obj = {"debug": debug}


decks_argument = click.argument("decks", nargs=-1, type=click.Path(path_type=Path))


def out_option(help_text: str):
    """``--out DIR``: where a command writes, each deck in its own OUT/<deck-id>/."""
    return click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
                        show_default=True, help=help_text)


max_size_option = click.option("--max-deck-size", "max_mb", type=_Range(0.01, 500), default=MAX_FILE_BYTES / 1e6,
                               show_default=True, help="Refuse deck files larger than this (MB).")


@cli.command()
@decks_argument
@max_size_option
def validate(decks: tuple[Path, ...], max_mb: float) -> None:
    """Check deck files; print every problem, located at its line and column."""
    from .layout.back import layout_back
    from .layout.card import layout_deck
    from .layout.overview import layout_posters
    from .images import check_print
    from .layout.poster import poster_format
    from .load import load_deck

    failed = 0
    for path in find_decks(decks):
        try:
            deck = load_deck(path, max_bytes=int(max_mb * 1e6))
            # Text that does not fit on a card or poster, and an image the print check
            # will refuse, are deck problems too: laid out here, located at their lines.
            check_print(deck, layout_deck(deck), layout_back(deck), layout_posters(deck, poster_format())[1])
        except DeckError as exc:
            failed += 1
            _error(str(exc))
            continue
        click.echo(visible(f"{display_path(path)}: ok — {len(deck.cards)} cards, {deck.language}, "
                           f"{deck.card_size_label}"))
    if failed:
        raise UserError(f"{failed} deck(s) with problems")


@cli.command(name="list")
@decks_argument
def list_decks(decks: tuple[Path, ...]) -> None:
    """The decks found, with title, language and card count."""
    from .load import load_deck

    for path in find_decks(decks):
        try:
            deck = load_deck(path)
        except DeckError as exc:
            click.echo(f"{display_path(path)}: invalid ({len(exc.problems)} problem(s); "
                       "run deckprint validate)")
            continue
        fields = (display_path(path), deck.id, deck.title, deck.language, f"{len(deck.cards)} cards")
        click.echo("\t".join(visible(field) for field in fields))  # each field: the tabs stay tabs


@cli.command()
def schema() -> None:
    """The JSON Schema of the deck format, for editors (see the README)."""
    from .model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


STARTER = """\
# yaml-language-server: $schema=./deck.schema.json
# A deckprint deck (format 1). Check it with: deckprint validate {name}
# For checks as you type, write the schema beside it: deckprint schema > deck.schema.json
deckprint: 1
deck:
  id: {slug}
  title: My deck
  language: en            # fr or en: labels, typography and hyphenation
  card: tarot             # poker, bridge, tarot, mini, a6, square, or "70x110 mm"
  source:                 # default source for every card (the QR code)
    title: Where these stories come from
    publisher: example.org
    url: https://example.org/
categories:
  example:
    label: Example category
    color: "#1F5F8B"
cards:
  - name: Alex
    role: Data annotator
    country: Kenya
    category: example
    testimony: >
      I label images all day so that a model can learn to see. *Italic* and
      **bold** work here.
    conditions:
      - Low pay
      - Long hours
    impact: One optional extra note.
"""


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--sheet", type=click.Path(path_type=Path), default=None,
              help="Keep the cards in this spreadsheet (.csv or .xlsx) beside the deck: write a starter one.")
def new(path: Path, sheet: Path | None) -> None:
    """Write a starter deck with one example card; never overwrites a file."""
    from .load import slugify

    if path.suffix not in (".yaml", ".yml"):
        raise UserError(f"{path}: a deck file name ends in .yaml")
    slug = slugify(path.stem) or "my-deck"
    text = STARTER.format(name=path, slug=slug)
    if sheet is not None:
        text = _starter_sheet(path, sheet, text)  # cards: personas.xlsx (see the sheet command)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fails if it exists
            handle.write(text)
    except FileExistsError:
        raise UserError(f"{path}: already exists; deckprint new never overwrites a file") from None
    click.echo(f"wrote {path}: edit it, then run deckprint validate {path}")


def _offset(value: str) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter("give two numbers in mm, e.g. 1.5,-0.5", param_hint="--back-offset") from None
    if not (abs(x) <= 20 and abs(y) <= 20):  # NaN fails too
        raise click.BadParameter("each offset must be within ±20 mm", param_hint="--back-offset")
    return x, y


@cli.command()
@decks_argument
@out_option("Folder for the outputs; each deck gets OUT/<deck-id>/.")
@click.option("--target", "targets", multiple=True, type=click.Choice(ALL_TARGETS),
              help=f"Outputs to make (repeatable). Default: {', '.join(DEFAULT_TARGETS)}.")
@click.option("--paper", "papers", multiple=True, type=click.Choice(list(PAPERS)),
              help="Paper for print-and-play sheets (repeatable). Default: a4.")
@click.option("--duplex", type=_LaterChoice(".imposition", "DUPLEX_MODES"), default="long", show_default=True,
              help="How the printer flips the sheet; off = no back sheets.")
@click.option("--back-offset", default="0,0", show_default=True, metavar="X,Y",
              help="Shift back sheets by X,Y mm to make up for a printer's duplex drift.")
@click.option("--bleed", type=_Range(0, 10), default=3.0, show_default=True,
              help="Bleed in mm (3 mm in Europe, 3.175 mm = 1/8 in in the US).")
@click.option("--poster-size", type=click.Choice(list(POSTER_SIZES)), default="a3", show_default=True,
              help="Poster size: the A3 design scaled up as vector for a2 and a1.")
@click.option("--dpi", type=click.IntRange(*DPI_RANGE), default=None,
              help=f"Resolution of the PNG images (--target png). Default: {DEFAULT_DPI}.")
@click.option("--shop", type=click.Choice(list(SHOPS)), default="generic", show_default=True,
              help="For --target png: a print-on-demand service's bleed, pixel size and page "
                   "order (the README lists them); generic = the deck's card, --bleed, --dpi.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Decks built in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Rebuild decks whose outputs are up to date.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--check/--no-check", default=True, show_default=True,
              help="Run deckprint check on every PDF before writing it; fail the deck if it fails.")
@max_size_option
def build(decks: tuple[Path, ...], out: Path, targets: tuple[str, ...], papers: tuple[str, ...],
          duplex: str, back_offset: str, bleed: float, poster_size: str, dpi: int | None, shop: str,
          jobs: int | None, force: bool, quiet: bool, check: bool, max_mb: float) -> None:
    """Build print-ready PDFs of the decks.

    A deck whose outputs are newer than its deck file, images and fonts, made by this
    deckprint with the same options, is skipped (--force rebuilds it).
    """
    options = BuildOptions(out=out, targets=targets or DEFAULT_TARGETS, papers=papers or ("a4",),
                           duplex=duplex, back_offset_mm=_offset(back_offset), bleed_mm=bleed,
                           poster_size=poster_size, dpi=_png_dpi(targets, dpi, shop), shop=shop,
                           check=check, max_bytes=int(max_mb * 1e6))
    paths = find_decks(decks)
    results = build_decks(paths, options, jobs=jobs or usable_cores(), force=force)
    built = skipped = failed = 0
    show_bar = not quiet and len(paths) > 1 and sys.stdout.isatty()
    with click.progressbar(results, length=len(paths), label="Building", file=sys.stderr,
                           hidden=not show_bar, item_show_func=lambda r: r and r.deck_path.name) as bar:
        for result in bar:
            if result.error:
                failed += 1
                _error(result.error)
            elif result.skipped:
                skipped += 1
                if not quiet and not show_bar:
                    click.echo(f"{display_path(result.deck_path)}: up to date, skipped (--force rebuilds)")
            else:
                built += 1
                for item in result.written if not quiet and not show_bar else ():
                    click.echo(f"{display_path(item.path)}\t{item.pages} pages\t{item.what}")
    summary = f"{built} deck(s) built, {skipped} up to date, {failed} failed"
    if failed:
        raise UserError(summary)
    if not quiet and len(paths) > 1:
        click.echo(summary)


def _png_dpi(targets: tuple[str, ...], dpi: int | None, shop: str) -> int:
    """--dpi and --shop are for the PNG target, and a service's preset fixes the dpi."""
    if (dpi is not None or shop != "generic") and "png" not in targets:
        raise click.UsageError("--dpi and --shop are options of --target png")
    fixed = SHOPS[shop].dpi
    if dpi is not None and fixed is not None and dpi != fixed:
        raise click.BadParameter(f"--shop {shop} takes {fixed} dpi images; leave out --dpi",
                                 param_hint="--dpi")
    return dpi or fixed or DEFAULT_DPI


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--min-bleed", type=_Range(0, 20), default=3.0, show_default=True,
              help="Bleed each side must have, in mm (3.175 = 1/8 in).")
@click.option("--urls", is_flag=True, help="Print the URL of every QR code found.")
@click.option("--json", "as_json", is_flag=True, help="Machine output: a list of file reports.")
def check(files: tuple[Path, ...], min_bleed: float, urls: bool, as_json: bool) -> None:
    """Preflight PDFs for print (any PDF, not only deckprint's): page boxes and bleed,
    embedded fonts, CMYK colour, image resolution, QR codes, text size. Exit 1 if
    anything fails."""
    from .preflight import PreflightError, check_pdf

    results: list[dict] = []
    failed = 0
    for path in files:
        try:
            report = check_pdf(path, min_bleed_mm=min_bleed)
        except PreflightError as exc:
            failed += 1
            results.append({"file": str(path), "ok": False, "error": str(exc)})
            _error(str(exc))
            continue
        failed += report.failed
        results.append(report.to_dict())
        if not as_json:
            click.echo("\n".join(report.lines(urls=urls)))
    if as_json:
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    if failed:
        raise UserError(f"{failed} of {len(files)} file(s) failed the preflight")


PREVIEW_BAR_CARDS = 50  # below this a preview takes a moment or two: no bar


@cli.command()
@click.argument("deck", required=False, type=click.Path(path_type=Path))
@out_option("Folder for the outputs; the sheet goes to OUT/<deck-id>/.")
@click.option("--open", "open_it", is_flag=True, help="Open the sheet in the system's image viewer.")
@max_size_option
def preview(deck: Path | None, out: Path, open_it: bool, max_mb: float) -> None:
    """A contact sheet of one deck (with none, the first deck found): its back and every
    front, cut to the trim, in one PNG at screen resolution."""
    from . import pipeline

    options = BuildOptions(out=out, targets=(PREVIEW,), max_bytes=int(max_mb * 1e6), check=False)
    loaded = pipeline.load(find_decks((deck,) if deck else ())[0], options)
    show_bar = len(loaded.cards) >= PREVIEW_BAR_CARDS and sys.stderr.isatty()
    with click.progressbar(length=2 * len(loaded.cards), label=f"Previewing {loaded.id}", file=sys.stderr,
                           hidden=not show_bar) as bar:
        run = pipeline.make(loaded, options, workers=1, progress=bar.update)  # one process: one bar
    [(target, _)] = run.written
    click.echo(display_path(target))
    if open_it:
        _open(target)


def _open(path: Path) -> None:
    """The system's viewer, when there is one; otherwise a note (the sheet is written)."""
    unix = not (sys.platform.startswith(("win", "cygwin")) or sys.platform == "darwin")
    if unix and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        click.echo("no display to open it on: open the file from a desktop session", err=True)
    elif click.launch(str(path)) != 0:
        click.echo("no image viewer found (xdg-open): open the file yourself", err=True)


@cli.command()
@decks_argument
@out_option("Folder for the kits; each deck gets OUT/<deck-id>/kit/ and its zip.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@max_size_option
def kit(decks: tuple[Path, ...], out: Path, quiet: bool, max_mb: float) -> None:
    """Workshop kits: for each deck, OUT/<deck-id>/kit/ with the cards (print-and-play
    A4 and Letter, print shop), the posters, the facilitator guide and a read-me, and
    the same files in OUT/<deck-id>/<deck-id>-kit.zip. Every PDF must pass the
    preflight (deckprint check), or the kit is not written."""
    from . import pipeline

    options = BuildOptions(out=out, targets=(KIT,), max_bytes=int(max_mb * 1e6))
    failed = 0
    for path in find_decks(decks):
        try:
            run = pipeline.run(path, options)
        except UserError as exc:
            failed += 1
            _error(str(exc))
            continue
        for target, output in run.written if not quiet else ():
            if target.suffix == ".zip":
                click.echo(f"{display_path(target)}\t{output.what}\t{target.stat().st_size / 1e6:.1f} MB")
            else:
                pages = f"{output.pages} pages" if output.pages else "text"
                click.echo(f"{display_path(target)}\t{pages}\t{output.what}")
    if failed:
        raise UserError(f"{failed} kit(s) not made")


# -- decks from a spreadsheet (sheets.py) -------------------------------------------------

@cli.command()
@click.argument("deck", type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, type=click.Path(path_type=Path),
              help="The sheet to write: a .csv or .xlsx file (never overwritten).")
@max_size_option
def sheet(deck: Path, to: Path, max_mb: float) -> None:
    """Write a deck's cards as a spreadsheet, one card a row; `cards: SHEET` in the
    deck then reads them back as the same cards."""
    from .load import load_deck
    from .sheets import sheet_rows, write_sheet

    loaded = load_deck(deck, max_bytes=int(max_mb * 1e6))
    write_sheet(sheet_rows(loaded.raw.data["cards"]), to)
    click.echo(f"wrote {to}: {len(loaded.cards)} cards; write `cards: {to.name}` in the deck to read them from it")


def _starter_sheet(deck: Path, sheet_path: Path, text: str) -> str:
    """``new --sheet``: the starter deck's card, in a starter sheet with every column
    (written here, never over a file); the deck's text, its cards naming the sheet."""
    import yaml

    from .images import inside
    from .sheets import sheet_rows, write_sheet

    if not inside(sheet_path, deck.parent):
        raise UserError(f"{sheet_path}: the sheet must be in the deck's folder ({deck.parent})")
    if deck.exists():
        raise UserError(f"{deck}: already exists; deckprint new never overwrites a file")
    write_sheet(sheet_rows(yaml.safe_load(text)["cards"], every_column=True), sheet_path)
    click.echo(f"wrote {sheet_path}: one card a row, row 1 naming the card keys")
    relative = sheet_path.resolve().relative_to(deck.parent.resolve()).as_posix()
    return text[:text.index("\ncards:")] + f"\ncards: {relative}  # one card a row; row 1 names the keys\n"


def main() -> None:
    """The ``deckprint`` command. When it is done, the process ends at once: Python's
    own ending would free every object the command made, one by one (0.15 s of the
    bundled deck's 1.2 s build), and there is nothing left to do: every output is
    written, closed and renamed, and the output processes are joined."""
    code = 0
    try:
        cli.main(prog_name="deckprint")
    except SystemExit as done:  # how click's standalone mode always ends
        code = done.code if isinstance(done.code, int) else int(done.code is not None)
    try:  # click flushes what it echoes; this is for anything else
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can reach it
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
