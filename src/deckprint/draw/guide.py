"""The facilitator guide set with platypus: the story of flowables and the page furniture.

Platypus flows the guide onto as many A4 pages as it needs, so no text is ever cut:
tables split between rows (and inside a row too tall for a page), paragraphs between
lines. Every style names the deck's font, bullets included, and every colour is CMYK:
the canvas refuses anything else (``draw/pdf.new_canvas``).

A4 portrait, 20 mm margins. The first page opens with a band in the deck's ink
(as on the card backs): the guide's name, the deck's title and subtitle. Headings are
in the ink too; the categories' colours appear where the categories do: a swatch per
category, and the category cell of each card in the cards table.
"""

from __future__ import annotations

from reportlab.lib.colors import CMYKColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, KeepTogether, Spacer, Table, TableStyle

from .. import __version__
from ..fonts import DEFAULT_FAMILY
from ..layout.back import BACK_INK
from ..layout.common import cmyk_color
from ..layout.guide import GuideContent, timeline
from ..sizes import mm
from ..text import DeckParagraph, hyphenator, to_markup
from ..wording import (counted, format_clock, format_duration, number_runs, phrase, source_line, typeset_phrase,
                       typography, unbreakable)
from .qr import place_qr

PAGE = (mm(210), mm(297))
MARGIN = mm(20)
BOTTOM = mm(22)  # room for the footer
WIDTH = PAGE[0] - 2 * MARGIN
INK = cmyk_color(BACK_INK)
TINT = CMYKColor(0.04, 0.02, 0.01, 0.06)  # a light wash of the ink, for panels and stripes
RULE = CMYKColor(0, 0, 0, 0.25)
BLACK = CMYKColor(0, 0, 0, 1)
MUTED = CMYKColor(0, 0, 0, 0.65)
WHITE = CMYKColor(0, 0, 0, 0)


class Styles:
    """Paragraph styles of one guide: the deck's font and hyphenation in every one."""

    def __init__(self, content: GuideContent):
        font = content.deck.font
        self.regular, self.bold, self.italic = font.regular, font.bold, font.italic
        self.hyphenate = hyphenator(content.deck.lang, font.regular) or ""

    def __call__(self, size: float, *, bold: bool = False, italic: bool = False, color=BLACK,
                 leading: float = 1.3, align: int = 0, indent: float = 0, before: float = 0,
                 after: float = 0, keep: bool = False, hyphenate: bool = True) -> ParagraphStyle:
        name = self.bold if bold else self.italic if italic else self.regular
        return ParagraphStyle(
            name="guide", fontName=name, fontSize=size, leading=size * leading, textColor=color,
            alignment=align, leftIndent=indent, bulletIndent=0, bulletFontName=name,
            bulletFontSize=size, bulletColor=color, spaceBefore=before, spaceAfter=after,
            keepWithNext=int(keep), hyphenationLang=self.hyphenate if hyphenate else "",
            hyphenationMinWordLength=5, splitLongWords=1, embeddedHyphenation=1,
        )


def P(text: str, style: ParagraphStyle, bullet: str | None = None) -> DeckParagraph:
    """A paragraph of deck text (typeset, with its *italic* and **bold** marks)."""
    return DeckParagraph(to_markup(text), style, bulletText=bullet)


class Band(Flowable):
    """The first page's head: a band of the deck's ink to the page's top and sides, its
    foot striped with the categories' colours in the deck's order (the supply chain at
    a glance, as on the overview poster)."""

    STRIPE = mm(2.5)

    def __init__(self, lines: list[DeckParagraph], pad: float, stripes: list[CMYKColor]):
        super().__init__()
        self.lines, self.pad, self.stripes = lines, pad, stripes

    def wrap(self, available_width, available_height):
        self.heights = [p.wrap(WIDTH, 1e6)[1] for p in self.lines]
        self.height = sum(self.heights) + mm(3) * (len(self.lines) - 1) + self.pad
        return WIDTH, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(INK)
        c.rect(-MARGIN, 0, PAGE[0], self.height + MARGIN, stroke=0, fill=1)
        step = PAGE[0] / max(len(self.stripes), 1)
        for i, color in enumerate(self.stripes):
            c.setFillColor(color)
            c.rect(-MARGIN + i * step, 0, step, self.STRIPE, stroke=0, fill=1)
        c.restoreState()
        y = self.height
        for paragraph, h in zip(self.lines, self.heights):
            y -= h
            paragraph.drawOn(c, 0, y)
            y -= mm(3)


class Swatch(Flowable):
    """A square of a category's colour."""

    def __init__(self, color: CMYKColor, side: float):
        super().__init__()
        self.color, self.side = color, side

    def wrap(self, available_width, available_height):
        return self.side, self.side

    def draw(self):
        self.canv.saveState()
        self.canv.setFillColor(self.color)
        self.canv.roundRect(0, 0, self.side, self.side, self.side * 0.12, stroke=0, fill=1)
        self.canv.restoreState()


class QRFlowable(Flowable):
    """A source's QR code (quiet zone included), with a link to the URL."""

    def __init__(self, matrix, side: float, url: str):
        super().__init__()
        self.matrix, self.side, self.url = matrix, side, url

    def wrap(self, available_width, available_height):
        return self.side, self.side

    def draw(self):
        place_qr(self.canv, self.matrix, 0, 0, self.side)
        self.canv.linkURL(self.url, (0, 0, self.side, self.side), relative=1, thickness=0)


def story(content: GuideContent) -> list[Flowable]:
    """The guide's flowables, section by section."""
    s = Styles(content)
    return [flowable for section in (_head, _session, _categories, _cards, _sources, _printing, _credits)
            for flowable in section(content, s)]


def _heading(s: Styles, lang: str, key: str, *, with_block: list[Flowable] | None = None) -> list[Flowable]:
    """A section heading; ``with_block`` goes on the same page as it when it fits one."""
    head = [P(typeset_phrase(lang, key), s(16, bold=True, color=INK, before=mm(7), after=mm(1.5),
                                           keep=True, hyphenate=False)),
            HRFlowable(width="100%", thickness=1.2, color=INK, spaceBefore=0, spaceAfter=mm(3),
                       hAlign="LEFT")]
    # a heading never ends a page
    return [CondPageBreak(mm(45)), KeepTogether(head + with_block) if with_block else KeepTogether(head)]


def _subheading(s: Styles, lang: str, key: str) -> list[Flowable]:
    """Nor does a subheading: it asks for room for itself and a few lines."""
    return [CondPageBreak(mm(30)),
            P(typeset_phrase(lang, key), s(11.5, bold=True, color=INK, before=mm(4), after=mm(1.5),
                                           keep=True, hyphenate=False))]  # with the first item


def _head(content: GuideContent, s: Styles) -> list[Flowable]:
    """The band (the guide's name, the deck's title and subtitle) and what the deck is."""
    deck, lang = content.deck, content.deck.lang
    kicker = P(f"{typeset_phrase(lang, 'guide')} · {typeset_phrase(lang, 'kit')}".upper(),
               s(9, bold=True, color=WHITE, hyphenate=False))
    lines = [kicker, P(deck.title, s(26, bold=True, color=WHITE, leading=1.15, hyphenate=False))]
    if deck.subtitle:
        lines.append(P(deck.subtitle, s(13, color=WHITE, hyphenate=False)))
    band = Band(lines, mm(8) + (Band.STRIPE if content.categories else 0),
                [cmyk_color(entry.category.color) for entry in content.categories])
    if band.wrap(WIDTH, PAGE[1])[1] < 0.4 * (PAGE[1] - MARGIN - BOTTOM):
        out: list[Flowable] = [band, Spacer(1, mm(4))]
    else:  # a title too long for a band: set as text, never cut
        out = [P(line_text, s(16, bold=True, color=INK)) for line_text in
               filter(None, (phrase(lang, "guide"), deck.title, deck.subtitle))]
    out += _heading(s, lang, "about")
    out.append(P(typeset_phrase(lang, "about_text", cards=counted(lang, "cards", len(deck.cards)),
                                categories=counted(lang, "categories", len(content.categories))),
                 s(10.5, after=mm(1.5))))
    out.append(P(typeset_phrase(lang, "about_guide"), s(10.5)))
    return out


def _session(content: GuideContent, s: Styles) -> list[Flowable]:
    """The session outline: duration, audience and materials; goals; steps; questions."""
    outline, lang = content.outline, content.deck.lang
    out = _heading(s, lang, "session")
    facts = []
    if outline.duration:
        facts.append(("duration", format_duration(outline.duration, lang)))
    if outline.audience:
        facts.append(("audience", outline.audience))
    facts.append(("material", typeset_phrase(lang, "material_text")))
    label_w = mm(28)
    table = Table([[P(typeset_phrase(lang, key), s(9.5, bold=True, color=INK, hyphenate=False)), P(v, s(9.5))]
                   for key, v in facts], colWidths=[label_w, WIDTH - label_w], splitInRow=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), TINT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (0, -1), mm(3)),
        ("TOPPADDING", (0, 0), (-1, 0), mm(2.5)), ("BOTTOMPADDING", (0, -1), (-1, -1), mm(2.5)),
        ("FONT", (0, 0), (-1, -1), s.regular),
    ]))
    out.append(KeepTogether([table]))
    if outline.goals:
        out += _subheading(s, lang, "goals")
        out += [P(goal, s(10, indent=mm(4), after=2), bullet="•") for goal in outline.goals]
    out += _subheading(s, lang, "steps")
    out += _steps(content, s)
    if outline.questions:
        out += _subheading(s, lang, "questions")
        out += [P(q, s(10.5, indent=mm(6), after=3), bullet=f"{i}.") for i, q in enumerate(outline.questions, 1)]
    return out


def _steps(content: GuideContent, s: Styles) -> list[Flowable]:
    """A table a step: a step moves whole to the next page, unless it is taller than a
    page: then it splits."""
    steps, lang = content.outline.steps, content.deck.lang
    rows = []
    for step, span in zip(steps, timeline(steps)):
        when = [P(format_duration(step.minutes, lang), s(11, bold=True, color=INK, hyphenate=False))] \
            if step.minutes else []
        if span:
            when.append(P(f"{format_clock(span[0])}–{format_clock(span[1])}", s(8, color=MUTED)))
        rows.append([when, [P(step.title, s(11, bold=True, hyphenate=False, after=2)), P(step.text, s(10))]])
    time_w = mm(24)
    out: list[Flowable] = []
    for i, row in enumerate(rows):
        table = Table([row], colWidths=[time_w, WIDTH - time_w], splitInRow=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBEFORE", (1, 0), (1, -1), 2, INK),
            ("TOPPADDING", (0, 0), (-1, -1), mm(2)), ("BOTTOMPADDING", (0, 0), (-1, -1), mm(2.2)),
            ("LEFTPADDING", (0, 0), (0, -1), 0), ("LEFTPADDING", (1, 0), (1, -1), mm(3)),
            ("FONT", (0, 0), (-1, -1), s.regular),
        ] + ([("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)] if i < len(rows) - 1 else [])))
        out.append(KeepTogether([table]))
    return out


def _categories(content: GuideContent, s: Styles) -> list[Flowable]:
    """A swatch a category, with its cards' numbers; one block: a lone category atop a
    page reads as lost."""
    if not content.categories:
        return []
    lang = content.deck.lang
    cells = []
    for entry in content.categories:
        count = counted(lang, "cards", len(entry.numbers))
        cells.append([Swatch(cmyk_color(entry.category.color), mm(9)),
                      [P(entry.category.label, s(10, bold=True, hyphenate=False)),
                       P(phrase(lang, "category_cards", count=count, numbers=number_runs(entry.numbers)),
                         s(8.5, color=MUTED))]])
    half = WIDTH / 2
    grid = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", ""]) for i in range(0, len(cells), 2)]
    table = Table(grid, colWidths=[mm(12), half - mm(12)] * 2, splitInRow=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), mm(1.2)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), mm(1.2)),
        ("FONT", (0, 0), (-1, -1), s.regular),
    ]))
    return _heading(s, lang, "categories") + [KeepTogether([table])]


def _cards(content: GuideContent, s: Styles) -> list[Flowable]:
    """The cards at a glance: number, name, role, country, category."""
    deck, lang = content.deck, content.deck.lang
    head = s(8.5, bold=True, color=WHITE, hyphenate=False)
    cell = s(9, leading=1.25)
    data = [[P(typeset_phrase(lang, key), head) for key in ("number", "name", "role", "country", "category")]]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, TINT]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("FONT", (0, 0), (-1, -1), s.regular),
    ]
    for row, card in enumerate(deck.cards, 1):
        category = card.category
        data.append([P(str(card.number), s(9, bold=True, color=INK)), P(card.name, s(9, bold=True, hyphenate=False)),
                     P(card.role, cell), P(card.country, cell),
                     P(category.label, s(8.5, bold=True, leading=1.2, hyphenate=False,
                                         color=cmyk_color(category.text_color))) if category else ""])
        if category:
            style.append(("BACKGROUND", (4, row), (4, row), cmyk_color(category.color)))
    widths = [mm(11), mm(30), mm(56), mm(32)]
    # Rows split between rows only: a card's name, role and country are short (they fit
    # the card's band, which the build checks before it draws the guide).
    table = Table(data, colWidths=widths + [WIDTH - sum(widths)], repeatRows=1)
    table.setStyle(TableStyle(style))
    return _heading(s, lang, "cards_heading", with_block=[table])  # on one page, to have at hand, when it fits


def _sources(content: GuideContent, s: Styles) -> list[Flowable]:
    """Each source: its reference, its URL, the cards that point to it, its QR code."""
    deck, lang = content.deck, content.deck.lang
    out = _heading(s, lang, "sources")
    for entry in content.sources:
        src = entry.source
        lines = []
        if src.title:
            lines.append(P(src.title, s(11, bold=True, after=2)))
        reference = source_line(src, deck)
        if reference:
            lines.append(P(reference, s(9.5, after=2)))
        lines.append(DeckParagraph(_escape(src.url), s(8, color=MUTED, hyphenate=False, after=3)))
        if entry.numbers:
            lines.append(P(counted(lang, "source_cards", len(entry.numbers), numbers=number_runs(entry.numbers)),
                           s(9.5, bold=True, color=INK)))
        lines.append(P(typeset_phrase(lang, "scan"), s(8.5, italic=True, color=MUTED)))
        gap = mm(5)
        table = Table([[QRFlowable(entry.qr, entry.side, src.url), lines]],
                      colWidths=[entry.side + gap, WIDTH - entry.side - gap], splitInRow=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), mm(1.5)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), mm(3)),
            ("FONT", (0, 0), (-1, -1), s.regular),
        ]))
        out.append(KeepTogether([table]))
    return out


def _printing(content: GuideContent, s: Styles) -> list[Flowable]:
    """What each file of the kit is and how to print it (:mod:`deckprint.printing`)."""
    lang = content.deck.lang
    out = _heading(s, lang, "printing")
    for note in content.files:
        out.append(KeepTogether([
            DeckParagraph(_escape(note.name), s(10.5, bold=True, color=INK, hyphenate=False, after=2)),
            P(note.what, s(9.5, after=2)),
            DeckParagraph(f"<b>{to_markup(typeset_phrase(lang, 'how'))}</b> {to_markup(note.how)}",
                          s(9.5, after=mm(3.5))),
        ]))
    return out


def _credits(content: GuideContent, s: Styles) -> list[Flowable]:
    """The licence, the credits, the typeface, and deckprint."""
    deck, lang = content.deck, content.deck.lang
    out = _heading(s, lang, "license")
    if deck.license:
        out.append(P(typeset_phrase(lang, "license_text", license=unbreakable(deck.license)), s(10, after=3)))
    if deck.credits:
        out.append(P(deck.credits, s(10, after=3)))
    font = deck.font.family + (" (SIL Open Font License 1.1)" if deck.font.family == DEFAULT_FAMILY else "")
    out.append(P(typeset_phrase(lang, "font_text", font=typography(font, lang)), s(10, after=3)))
    out.append(P(typeset_phrase(lang, "made_with", version=__version__), s(10, color=MUTED)))
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page_furniture(content: GuideContent, total: int | None):
    """The footer of every page: the deck's title and the guide's name, the page number."""
    deck = content.deck
    styles = Styles(content)
    left_style = styles(7.5, color=MUTED, hyphenate=False)
    right_style = styles(7.5, bold=True, color=MUTED, align=2, hyphenate=False)
    left_text = to_markup(f"{deck.title} — {typeset_phrase(deck.lang, 'guide')}")

    def draw(canvas, doc) -> None:
        number = canvas.getPageNumber()
        right = DeckParagraph(phrase(deck.lang, "page", n=number, total=total) if total else str(number),
                              right_style)
        _, rh = right.wrap(mm(20), 1e6)
        left = DeckParagraph(left_text, left_style)
        _, lh = left.wrap(WIDTH - mm(24), 1e6)
        y = mm(12)
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + max(lh, rh) + mm(1.5), PAGE[0] - MARGIN, y + max(lh, rh) + mm(1.5))
        canvas.restoreState()
        left.drawOn(canvas, MARGIN, y + max(lh, rh) - lh)
        right.drawOn(canvas, PAGE[0] - MARGIN - mm(20), y + max(lh, rh) - rh)

    return draw
