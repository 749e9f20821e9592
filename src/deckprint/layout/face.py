"""A persona's face: the one layout of a card's front and of its poster. No drawing.

A card and a poster say the same things in the same places, at two distances: a band
of the category's colour (the category's label, the name, the role, the country, and
the portrait at its right), the testimony as a quote beside a rule of that colour, the
conditions and the impact under their headings, and a footer with the QR code to the
card's source, the source's name, the deck title and the card number. How large each
part is, how far apart, the floors under which text may not go, the margin and the QR
code's bounds are the format's: a :class:`FaceFormat`, a row of numbers
(``card.card_face`` for a card in the hand, ``poster.wall_face`` for a poster read
from two metres). The walk below reads them and decides nothing of its own.

Two choices are more than numbers, and the format names them:

* ``ink_inside``: a card's margin is 3 mm, so a glyph's ink that hangs past its text
  box (the "J" of "Japon") is moved in (see ``ink.py``); a poster's 20 mm margin has
  room for it, and its text is set as plain paragraphs.
* ``footer_columns``: on a card the source and the card number share one column
  beside the QR code, which sets the footer's height (text that does not fit there is
  a deck problem); on a poster they stand in two columns, and the footer is as tall
  as the tallest of them and the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from reportlab.platypus import Flowable

from ..colors import BLACK, CMYK, WHITE
from ..errors import DeckError, Problem, excerpt
from ..deck import Card, Deck, Source
from ..qr import QRMatrix, QRSize, qr_matrix, qr_side
from ..sizes import to_mm
from ..text import Fitted, TextDoesNotFit, TextStyle, fit, fit_lines, paragraph, plain, to_markup, wrapped
from ..wording import quoted
from .common import NEUTRAL, Box, PlacedText, cmyk_color, styler
from .ink import Inside, drop, fit_lines_inside, rise, wrapped_inside

Styler = Callable[..., TextStyle]


@dataclass(frozen=True)
class Role:
    """How a format sets one text of the face. Sizes and gaps in points."""

    field: str
    size: float  # its size; for a fitted title, the largest it may take
    floor: float = 0.0  # the smallest a fitted title may take
    lines: tuple[int, ...] = ()  # a title's line counts, tried in turn; () = set at ``size``, unfitted
    bold: bool = False
    leading: float = 1.25  # of the size
    hyphenate: bool = True
    upper: bool = False
    accent: bool = False  # in the category's colour
    align: int = 0  # 0 left, 2 right
    gap: float = 0.0  # above it
    descent: float = 0.0  # more room above it: this share of the size of the text above
    after: float = 0.0  # below it


@dataclass(frozen=True)
class BodyFormat:
    """The testimony, the conditions and the impact."""

    sizes: tuple[tuple[float, float, float], ...]  # the testimony's (largest, smallest, step), searched in turn
    sections: Callable[[float], float]  # the conditions' and impact's size, for a testimony size
    testimony_leading: float
    heading: float  # a heading's size, of the sections' size
    heading_hyphenate: bool
    heading_gap: float  # above a heading, of the sections' size
    line_leading: float
    line_gaps: tuple[float, float]  # above a section's first line, above the next ones, of the size
    top: float  # from the band down to the testimony, pt
    bottom: float  # from the footer (or its rule) up to the body, pt
    least: float | None  # a smaller body blames the header; None: the fitting says what is too long
    quote_indent: float
    quote_rule: float  # the rule's width

    @property
    def floor(self) -> float:
        return self.sizes[-1][1]


@dataclass(frozen=True)
class FaceFormat:
    """One format of the face, laid out in its own units (points of the trim: a card's,
    or an A3 poster's for every poster size). See the module's docstring."""

    width: float
    height: float
    bleed: float
    margin: float  # the safe zone's, from the trim
    where: str  # in messages: "on a tarot card", "on the A3 poster"
    room: str  # in messages: "the card", "the A3 poster"
    hint: str  # added to a body that does not fit: ", or use a larger card (…)"
    ink_inside: bool
    title_step: float  # pt: the size grid of the title searches
    titles: tuple[Role, ...]  # the band's texts, top down: category, name, role, country
    image: tuple[float, float]  # the portrait's side, and its gap to the titles
    band_pad: float  # from the band's last text (or the portrait) to its bottom
    qr: QRSize
    footer_columns: int  # 1: source and card number share a column; 2: side by side
    footer_gap: float  # between the code and a column, and between columns
    source: tuple[Role, ...]  # top down, from the footer's top
    number: Role  # at the footer's bottom, right
    deck_title: Role  # above the number
    footer_rule: tuple[float, float] | None  # (gap above the footer, thickness) of a rule
    body: BodyFormat


@dataclass(frozen=True)
class Face:
    """A laid-out face, a card's front or a persona poster: boxes in the format's units,
    and the wrapped paragraphs (measured, not drawn) that go in them."""

    card: Card
    width: float
    height: float
    safe: Box
    band: Box  # reaches past the trim into the bleed on three sides
    band_color: CMYK
    accent: CMYK  # headings and the rules, on white
    image: Box | None
    quote_rule: Box
    footer_rule: Box | None
    texts: tuple[PlacedText, ...]
    name_size: float
    role_size: float
    testimony_size: float
    body_size: float  # the conditions and impact (on a card, the testimony's too)
    qr: QRMatrix
    qr_box: Box
    url: str

    def text(self, field: str) -> list[PlacedText]:
        return [t for t in self.texts if t.field == field]

    @property
    def fills(self) -> tuple[tuple[Box, CMYK], ...]:
        """The band and the rules, in the order a poster paints them."""
        rules = (self.footer_rule,) if self.footer_rule is not None else ()
        return ((self.band, self.band_color), *((rule, self.accent) for rule in rules),
                (self.quote_rule, self.accent))


def layout_face(deck: Deck, card: Card, fmt: FaceFormat) -> Face:
    """The face of ``card`` in ``fmt``; a DeckError naming what does not fit."""
    m = fmt.margin
    safe = Box(m, m, fmt.width - 2 * m, fmt.height - 2 * m)
    base = styler(deck)

    def style(size: float, **kw) -> TextStyle:
        return base(round(size * 4) / 4, **kw)  # a card's sizes scale: back onto a quarter-point grid

    category = card.category
    accent = category.color if category else BLACK
    texts, sizes, band_bottom, image = _band(deck, card, fmt, style, safe)
    band = Box(-fmt.bleed, band_bottom, fmt.width + 2 * fmt.bleed, fmt.height + fmt.bleed - band_bottom)
    footer, qr_box, footer_top = _footer(deck, card, fmt, style, safe, accent)
    texts += footer
    footer_rule = None
    if fmt.footer_rule is not None:
        gap, thickness = fmt.footer_rule
        footer_rule = Box(safe.x, footer_top + gap, safe.w, thickness)
        footer_top += gap
    body_top = band_bottom - fmt.body.top
    body, quote_bottom, fitted = _body(deck, card, fmt, style, safe, accent, body_top,
                                       footer_top + fmt.body.bottom)
    texts += body
    return Face(card=card, width=fmt.width, height=fmt.height, safe=safe, band=band,
                band_color=category.color if category else NEUTRAL, accent=accent, image=image,
                quote_rule=Box(safe.x, quote_bottom, fmt.body.quote_rule, body_top - quote_bottom),
                footer_rule=footer_rule, texts=tuple(texts), name_size=sizes["name"], role_size=sizes["role"],
                testimony_size=fitted, body_size=fmt.body.sections(fitted), qr=qr_matrix(card.source.url),
                qr_box=qr_box, url=card.source.url)


def _card_problem(deck: Deck, card: Card, field: str, message: str) -> DeckError:
    return DeckError([deck.problem(("cards", card.index, field), f'card {card.number} "{excerpt(card.name)}": {message}')])


def _wrap(fmt: FaceFormat, markup: str, style: TextStyle, width: float, left: bool = True) -> tuple[Flowable, float]:
    """A paragraph wrapped in ``width`` and its height (cached: cards repeat their
    labels and conditions); its ink kept inside when the format says so (``left``:
    on the left too)."""
    if fmt.ink_inside:
        return wrapped_inside(markup, style, width, left)
    return wrapped(markup, style, width)


# -- the band: category, name, role, country, portrait --------------------------------

def _band(deck: Deck, card: Card, fmt: FaceFormat, style: Styler, safe: Box):
    """(texts, the size of each, the band's bottom, the portrait's box)."""
    category = card.category
    on_band = cmyk_color(category.text_color if category else WHITE)
    image_side, image_gap = fmt.image if card.image else (0.0, 0.0)
    text_w = safe.w - (image_side + image_gap)
    texts: list[PlacedText] = []
    sizes: dict[str, float] = {}
    y, above = safe.top, 0.0
    for role in fmt.titles:
        if role.field == "category" and category is None:
            continue
        text = category.label.upper() if role.field == "category" else getattr(card, role.field)
        flow, fh = _title(deck, card, fmt, role, text, lambda s, r=role: style(
            s, bold=r.bold, color=on_band, leading_ratio=r.leading, hyphenate=r.hyphenate), text_w)
        lift = rise(flow) if fmt.ink_inside and not texts else 0.0  # an accent above a capital: inside too
        y -= role.gap + role.descent * above + fh + lift
        texts.append(PlacedText(role.field, flow, Box(safe.x, y, text_w, fh)))
        y -= role.after
        sizes[role.field] = above = flow.style.fontSize
    image = None
    if card.image:
        image = Box(safe.right - image_side, safe.top - image_side, image_side, image_side)
        y = min(y, image.y)
    return texts, sizes, y - fmt.band_pad, image


def _title(deck: Deck, card: Card, fmt: FaceFormat, role: Role, text: str,
           style_at: Callable[[float], TextStyle], width: float) -> tuple[Flowable, float]:
    """A band text at the largest size (on the format's grid) that sets it in the
    role's lines, trying each line count in turn; a DeckError when none does."""
    markup = to_markup(text)
    if not role.lines:
        flow = paragraph(markup, style_at(role.size))
        return flow, flow.wrap(width, 1e6)[1]
    fitter = fit_lines_inside if fmt.ink_inside else fit_lines
    for lines in role.lines:
        try:
            _, flow, height = fitter(markup, plain(text), style_at, width, lines, role.size, role.floor,
                                     step=fmt.title_step)
            return flow, height
        except TextDoesNotFit:
            continue
    what = "label" if role.field == "category" else role.field
    message = f"the {what} does not fit in {role.lines[-1]} lines at {role.floor:g} pt {fmt.where}: shorten it"
    if role.field == "category":  # said once, at the category, for all its cards
        raise DeckError([deck.problem(("categories", card.category.id, "label"), message)])
    raise _card_problem(deck, card, role.field, message)


# -- the footer: QR code, source, deck title, card number -------------------------------

def _footer(deck: Deck, card: Card, fmt: FaceFormat, style: Styler, safe: Box,
            accent: CMYK) -> tuple[list[PlacedText], Box, float]:
    """(texts, the QR code's box, the footer's top)."""
    side = qr_side(qr_matrix(card.source.url), fmt.qr)
    x = safe.x + side + fmt.footer_gap
    if fmt.footer_columns == 1:
        col_w, right_x = safe.right - x, x
    else:
        col_w = (safe.w - side - 2 * fmt.footer_gap) / 2
        right_x = x + col_w + fmt.footer_gap

    def set_role(role: Role, markup: str) -> tuple[Flowable, float]:
        return _wrap(fmt, markup, style(role.size, bold=role.bold, color=cmyk_color(accent) if role.accent else None,
                                       align=role.align, leading_ratio=role.leading, hyphenate=role.hyphenate),
                    col_w, left=False)  # beside the QR code

    words = {"source_heading": deck.labels["source"], "source": source_name(card.source, deck),
             "scan": deck.labels["scan"]}
    column = [(role, *set_role(role, to_markup(words[role.field].upper() if role.upper else words[role.field])))
              for role in fmt.source]
    number, nh = set_role(fmt.number, deck.labels["card_of"].format(n=card.number, total=len(deck.cards)))
    title, th = set_role(fmt.deck_title, to_markup(deck.title))
    if fmt.footer_columns == 1:
        top = safe.y + side
        qr_box = Box(safe.x, safe.y, side, side)
    else:
        column_h = sum(h for _, _, h in column)
        for role in fmt.source:
            column_h += role.gap
        top = safe.y + max(side, column_h, nh + th + fmt.deck_title.gap)
        qr_box = Box(safe.x, top - side, side, side)
    texts, y = [], top
    for role, flow, h in column:
        y -= role.gap + h
        texts.append(PlacedText(role.field, flow, Box(x, y, col_w, h)))
    bottom = safe.y + (drop(number) if fmt.ink_inside else 0.0)  # a descender stays in the safe zone
    title_y = bottom + nh + fmt.deck_title.gap
    texts.append(PlacedText("number", number, Box(right_x, bottom, col_w, nh)))
    texts.append(PlacedText("deck_title", title, Box(right_x, title_y, col_w, th)))
    if fmt.footer_columns == 1 and title_y + th > y:
        source_lines = len(next(f for r, f, _ in column if r.field == "source").blPara.lines)
        raise DeckError(footer_problems(deck, card, fmt.where, len(title.blPara.lines), source_lines))
    return texts, qr_box, top


def source_path(deck: Deck, card: Card, key: str) -> tuple:
    """Where a card's source ``key`` (url, publisher) is written: in the card's own
    source, or in the deck's, which the card shares."""
    own = ("cards", card.index, "source", key)
    return own if own in deck.raw.values else ("deck", "source", key)


def source_name(source: Source, deck: Deck) -> str:
    """What a face prints under its "Source" label: the publisher, or else the host the
    QR code leads to, without "www." (an internationalised host as its reader writes
    it, when the deck's font can draw it)."""
    if source.publisher:
        return source.publisher
    host = (urlsplit(source.url).hostname or "").removeprefix("www.")
    try:
        readable = host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
    return host if deck.font.missing_glyphs(readable) else readable


def footer_problems(deck: Deck, card: Card, where: str, title_lines: int, source_lines: int) -> list[Problem]:
    """The footer beside the QR code (source, deck title, card number) is too tall: a
    problem at the deck title when it wraps, and at the source's publisher (or URL,
    whose host is printed) when that wraps; at the title when neither does. Worded
    without the card, so that a title or a source many cards share is said once."""
    where = f"in the card footer beside the QR code {where}"
    problems = []
    if source_lines > 1:
        key = "publisher" if card.source.publisher else "url"
        what = f'the publisher "{card.source.publisher}"' if card.source.publisher else \
            f'the URL\'s host "{source_name(card.source, deck)}"'
        problems.append(deck.problem(source_path(deck, card, key),
                                     f"{what}, set in {source_lines} lines {where}, leaves no room there "
                                     "for the deck title: shorten it"))
    if title_lines > 1 or not problems:
        problems.append(deck.problem(("deck", "title"),
                                     f"the deck title, set in {title_lines} line(s) {where}, leaves no room "
                                     "there for the source: shorten it"))
    return problems


# -- the body: the testimony as a quote, conditions, impact ------------------------------

def _body(deck: Deck, card: Card, fmt: FaceFormat, style: Styler, safe: Box, accent: CMYK, top: float,
          bottom: float) -> tuple[list[PlacedText], float, float]:
    """(texts, the quote's bottom, the testimony's size), from ``top`` down to
    ``bottom`` at most."""
    spec = fmt.body
    if spec.least is not None and top - bottom < spec.least:
        raise _card_problem(deck, card, "name", "the name, role and country leave no room for the testimony: "
                                                "shorten them")
    testimony = quoted(card.testimony, deck.lang)
    heading_color = cmyk_color(accent)
    width = safe.w - spec.quote_indent  # everything in the body wraps to the quote's width
    sections = (("conditions", deck.labels["conditions"], card.conditions),
                ("impact", deck.labels["impact"], (card.impact,) if card.impact else ()))

    def body(size: float) -> list[tuple]:
        quote = paragraph(testimony, style(size, leading_ratio=spec.testimony_leading))
        items: list[tuple] = [("testimony", Inside(quote, left=False) if fmt.ink_inside else quote, 0.0)]
        s = spec.sections(size)
        for field, heading, lines in sections:
            if not lines:
                continue
            flow, fh = _wrap(fmt, to_markup(heading.upper()), style(s * spec.heading, bold=True, color=heading_color,
                                                                    hyphenate=spec.heading_hyphenate), width)
            items.append((field, flow, s * spec.heading_gap, fh))
            bullet = "•" if field == "conditions" else None
            for j, line in enumerate(lines):  # cached: decks repeat their conditions
                flow, fh = _wrap(fmt, to_markup(line), style(s, leading_ratio=spec.line_leading, bullet=bullet), width)
                items.append((field, flow, s * spec.line_gaps[0 if j == 0 else 1], fh))
        return items

    try:
        fitted = _fit_body(body, width, top - bottom, spec.sizes)
    except TextDoesNotFit as over:
        field, message = body_overflow(over, spec.floor, fmt.room)
        raise _card_problem(deck, card, field, message + fmt.hint) from None
    placed, quote_bottom = stack_body(fitted, safe, top, spec.quote_indent)
    return placed, quote_bottom, fitted.size


def _fit_body(body: Callable[[float], list[tuple]], width: float, height: float,
              sizes: tuple[tuple[float, float, float], ...]) -> Fitted:
    """:func:`deckprint.text.fit` over each range of sizes in turn, until one fits.

    A poster's body is searched in two ranges: most testimonies land between 30 and
    48 pt, so that range is searched first and the floor half only when 30 pt is too
    large (each measure wraps every paragraph: about six measures a poster instead of
    eight). TextDoesNotFit from the last range.
    """
    for largest, smallest, step in sizes[:-1]:
        try:
            return fit(body, width, height, largest=largest, smallest=smallest, step=step)
        except TextDoesNotFit:
            continue
    largest, smallest, step = sizes[-1]
    return fit(body, width, height, largest=largest, smallest=smallest, step=step)


def body_overflow(over: TextDoesNotFit, floor: float, room: str) -> tuple[str, str]:
    """(the longest field, the message) when a card's or poster's body does not fit."""
    longest = max(over.heights, key=over.heights.get)
    return longest, (f"the testimony, conditions and impact need {to_mm(over.needed):.0f} mm at "
                     f"{floor:g} pt but {room} has {to_mm(over.available):.0f} mm "
                     f"({to_mm(over.needed - over.available):.0f} mm too much): shorten the {longest} "
                     f"({to_mm(over.heights[longest]):.0f} mm)")


def stack_body(fitted: Fitted, safe: Box, top: float, quote_indent: float) -> tuple[list[PlacedText], float]:
    """The fitted body, top down from ``top``: the testimony indented beside its quote
    rule, the rest at the safe margin. Returns the placed texts and the quote's bottom."""
    placed, y, quote_bottom = [], top, top
    for field, flow, gap_before, height in fitted.flowables:
        y -= gap_before + height
        x = safe.x + (quote_indent if field == "testimony" else 0.0)
        placed.append(PlacedText(field, flow, Box(x, y, safe.right - x, height)))
        if field == "testimony":
            quote_bottom = y
    return placed, quote_bottom
