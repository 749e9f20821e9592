"""The command line: parses options, calls the pipeline, turns failures into exit codes.

Exit codes: 0 success; 1 the user's input is wrong (a message, never a traceback);
2 usage (Click's own); 3 a bug in deckprint (``--debug`` shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .build import ALL_TARGETS, DEFAULT_TARGETS, BuildOptions, build_deck, find_decks
from .deckfile import MAX_FILE_BYTES
from .errors import DeckError, UserError, display_path
from .imposition import DUPLEX_MODES
from .sizes import PAPERS


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
            click.echo(str(exc), err=True)
            ctx.exit(1)
        except Exception as exc:
            if _debug(ctx):
                raise
            click.echo(f"deckprint: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in deckprint; run again with --debug for the traceback.", err=True)
            ctx.exit(3)


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
max_size_option = click.option("--max-deck-size", "max_mb", type=click.FloatRange(0.01, 500), default=MAX_FILE_BYTES / 1e6,
                               show_default=True, help="Refuse deck files larger than this (MB).")


@cli.command()
@decks_argument
@max_size_option
def validate(decks: tuple[Path, ...], max_mb: float) -> None:
    """Check deck files; print every problem, located at its line and column."""
    from .layout.back import layout_back
    from .layout.card import layout_deck
    from .load import load_deck

    failed = 0
    for path in find_decks(decks):
        try:
            deck = load_deck(path, max_bytes=int(max_mb * 1e6))
            layout_deck(deck)  # text that does not fit is a deck problem too
            layout_back(deck)
        except DeckError as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        click.echo(f"{display_path(path)}: ok — {len(deck.cards)} cards, {deck.language}, "
                   f"{deck.card_size_label}")
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
        click.echo(f"{display_path(path)}\t{deck.id}\t{deck.title}\t{deck.language}\t{len(deck.cards)} cards")


@cli.command()
def schema() -> None:
    """The JSON Schema of the deck format, for editors (see the README)."""
    from .model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


STARTER = """\
# yaml-language-server: $schema=https://deckprint.invalid/schema/deck-1.json
# A deckprint deck (format 1). Check it with: deckprint validate {name}
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
def new(path: Path) -> None:
    """Write a starter deck with one example card; never overwrites a file."""
    from .load import slugify

    if path.suffix not in (".yaml", ".yml"):
        raise UserError(f"{path}: a deck file name ends in .yaml")
    slug = slugify(path.stem) or "my-deck"
    text = STARTER.format(name=path, slug=slug)
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
        raise click.BadParameter("give two numbers in mm, e.g. 1.5,-0.5") from None
    if abs(x) > 20 or abs(y) > 20:
        raise click.BadParameter("each offset must be within ±20 mm")
    return x, y


@cli.command()
@decks_argument
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Folder for the outputs; each deck gets OUT/<deck-id>/.")
@click.option("--target", "targets", multiple=True, type=click.Choice(ALL_TARGETS),
              help=f"Outputs to make (repeatable). Default: {', '.join(DEFAULT_TARGETS)}.")
@click.option("--paper", "papers", multiple=True, type=click.Choice(list(PAPERS)),
              help="Paper for print-and-play sheets (repeatable). Default: a4.")
@click.option("--duplex", type=click.Choice(DUPLEX_MODES), default="long", show_default=True,
              help="How the printer flips the sheet; off = no back sheets.")
@click.option("--back-offset", default="0,0", show_default=True, metavar="X,Y",
              help="Shift back sheets by X,Y mm to make up for a printer's duplex drift.")
@click.option("--bleed", type=click.FloatRange(0, 10), default=3.0, show_default=True,
              help="Bleed in mm (3 mm in Europe, 3.175 mm = 1/8 in in the US).")
@max_size_option
def build(decks: tuple[Path, ...], out: Path, targets: tuple[str, ...], papers: tuple[str, ...],
          duplex: str, back_offset: str, bleed: float, max_mb: float) -> None:
    """Build print-ready PDFs of the decks."""
    options = BuildOptions(out=out, targets=targets or DEFAULT_TARGETS, papers=papers or ("a4",),
                           duplex=duplex, back_offset_mm=_offset(back_offset), bleed_mm=bleed,
                           max_bytes=int(max_mb * 1e6))
    paths = find_decks(decks)
    failed = 0
    for path in paths:
        try:
            written = build_deck(path, options)
        except UserError as exc:
            failed += 1
            click.echo(str(exc), err=True)
            continue
        for item in written:
            click.echo(f"{display_path(item.path)}\t{item.pages} pages\t{item.what}")
    if failed:
        raise UserError(f"{len(paths) - failed} deck(s) built, {failed} failed")


def main() -> None:
    cli(prog_name="deckprint")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
