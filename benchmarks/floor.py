#!/usr/bin/env python3
"""The benchmark's floor: the pages deckprint's print-shop file draws, made the way a
plain ReportLab script would, with the library's defaults.

    python benchmarks/floor.py DECK.yaml --out floor.pdf
    python benchmarks/floor.py DECK.yaml --out floor.pdf --tuned

One card a page (trim + bleed), front then back. The front: a band in the category
colour with the category label, name, role and country; the testimony, a bulleted list
of conditions, the impact, as plain Paragraphs at fixed sizes; a QR code of the card's
source, from qrcode's plain defaults, drawn as one rectangle per dark module; the
source label, card number and deck title. The back: a dark page, the category stripes,
the deck title, the credits, drawn again on every back page.

On purpose there is nothing of what deckprint adds: no fitting (fixed sizes, whatever
the text), no hyphenation, no typography, no checks (of fit, of URL, of fonts), no
caching (a new QRCode per card, the back redrawn on every page), no Form XObject,
ASCII85 left on (``rl_config.useA85`` default), RGB colours (the default colour space),
the default Helvetica left in place as the canvas's initial font and the list bullets'
font. The text font is the Noto Sans TTF that deckprint embeds (``--font helvetica``
uses the built-in Helvetica instead), so both files carry the same glyphs.

``--tuned`` is the same script with the three settings anyone who times ReportLab
turns first, and nothing else: the C accelerator (``rl_accel``, required: the script
fails without it), ASCII85 off, and one fixed QR mask (``mask_pattern=0``; qrcode
otherwise makes the code eight times to score each mask). It is the floor deckprint's
speed budgets are measured against: what a careful plain script costs.

It reads the deck with ``yaml.safe_load`` and imports nothing from deckprint.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
import yaml
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ListFlowable, ListItem, Paragraph

FONTS = Path(__file__).resolve().parents[1] / "fonts"
PRESETS = {"poker": (63.5, 88.9), "bridge": (57.15, 88.9), "tarot": (70.0, 120.0),
           "mini": (44.0, 63.0), "a6": (105.0, 148.0), "square": (70.0, 70.0)}
BLEED, SAFE = 3 * mm, 3 * mm
TUNED_MASK = 0  # --tuned: any fixed mask does; the code is made once instead of eight times
LABELS = {"fr": ("Conditions de travail", "Impact", "Source"),
          "en": ("Working conditions", "Impact", "Source")}


def card_size(value: str | None) -> tuple[float, float]:
    value = (value or "tarot").strip().lower()
    if value in PRESETS:
        w, h = PRESETS[value]
    else:
        w, h = (float(x.replace(",", ".")) for x in re.findall(r"\d+(?:[.,]\d+)?", value)[:2])
    return w * mm, h * mm


def fonts(choice: str) -> tuple[str, str]:
    if choice == "helvetica":
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont("Floor-Regular", str(FONTS / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("Floor-Bold", str(FONTS / "NotoSans-Bold.ttf")))
    return "Floor-Regular", "Floor-Bold"


def tune() -> int:
    """The --tuned settings; returns the QR mask to use."""
    from reportlab.lib import rl_accel

    if rl_accel.fp_str.__module__ != "_rl_accel":  # the pure-Python fallback
        raise SystemExit("--tuned needs ReportLab's C accelerator: pip install rl_accel")
    rl_config.useA85 = 0
    return TUNED_MASK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", type=Path)
    parser.add_argument("--out", type=Path, default=Path("floor.pdf"))
    parser.add_argument("--font", choices=("noto", "helvetica"), default="noto")
    parser.add_argument("--tuned", action="store_true",
                        help="rl_accel (required), no ASCII85, a fixed QR mask")
    args = parser.parse_args()
    mask = tune() if args.tuned else None

    data = yaml.safe_load(args.deck.read_text(encoding="utf-8"))
    deck, cards = data["deck"], data["cards"]
    categories = data.get("categories") or {}
    conditions_label, impact_label, source_label = LABELS.get(deck.get("language", "en")[:2], LABELS["en"])
    regular, bold = fonts(args.font)

    w, h = card_size(deck.get("card"))
    page_w, page_h = w + 2 * BLEED, h + 2 * BLEED
    x0, y0 = BLEED + SAFE, BLEED + SAFE  # the safe zone, in page coordinates
    safe_w, top = w - 2 * SAFE, BLEED + h - SAFE
    white = colors.white

    def style(size: float, font: str = regular, **kw) -> ParagraphStyle:
        return ParagraphStyle("s", fontName=font, fontSize=size, leading=size * 1.2, **kw)

    st_category = style(6.5, bold, textColor=white)
    st_name = style(20, bold, textColor=white)
    st_role = style(9.5, textColor=white)
    st_country = style(8, textColor=white)
    st_body = style(8)
    st_heading = style(6.5, bold)
    st_small = style(6.5)
    st_number = style(8, bold, alignment=TA_RIGHT)
    st_title = style(6, alignment=TA_RIGHT)
    st_back_title = style(19, bold, textColor=white, alignment=TA_CENTER)
    st_back_sub = style(9.5, textColor=white, alignment=TA_CENTER)
    st_credits = style(6, textColor=white, alignment=TA_CENTER)

    c = Canvas(str(args.out), pagesize=(page_w, page_h))
    c.setTitle(deck.get("title", ""))
    c.setBleedBox((0, 0, page_w, page_h))
    c.setTrimBox((BLEED, BLEED, BLEED + w, BLEED + h))

    def put(flowable, x: float, y_top: float, width: float) -> float:
        """Draw ``flowable`` with its top at ``y_top``; returns its bottom."""
        _, fh = flowable.wrapOn(c, width, page_h)
        flowable.drawOn(c, x, y_top - fh)
        return y_top - fh

    total = len(cards)
    for number, card in enumerate(cards, 1):
        category = categories.get(card.get("category")) or {}
        # Front: the band, drawn after its text has been measured.
        header = []
        if category:
            header.append(Paragraph(escape(category["label"].upper()), st_category))
        header += [Paragraph(escape(card["name"]), st_name), Paragraph(escape(card["role"]), st_role),
                   Paragraph(escape(str(card["country"])), st_country)]
        heights = [p.wrapOn(c, safe_w, page_h)[1] for p in header]
        band_bottom = top - sum(heights) - 3 * mm - 2.5 * mm
        c.setFillColor(colors.HexColor(category.get("color", "#555555")))
        c.rect(0, band_bottom, page_w, page_h - band_bottom, stroke=0, fill=1)
        y = top
        for p in header:
            y = put(p, x0, y, safe_w) - 0.6 * mm

        # Body: testimony as a quote with a rule, conditions as a list, impact.
        y = band_bottom - 2.8 * mm
        quote = Paragraph("« " + escape(" ".join(card["testimony"].split())) + " »", st_body)
        bottom = put(quote, x0 + 2.6 * mm, y, safe_w - 2.6 * mm)
        c.setFillColor(colors.HexColor(category.get("color", "#555555")))
        c.rect(x0, bottom, 0.7 * mm, y - bottom, stroke=0, fill=1)
        c.setFillColor(colors.black)
        y = bottom - 3 * mm
        if card.get("conditions"):
            y = put(Paragraph(escape(conditions_label.upper()), st_heading), x0, y, safe_w) - 1 * mm
            items = ListFlowable([ListItem(Paragraph(escape(t), st_body)) for t in card["conditions"]],
                                 bulletType="bullet")
            y = put(items, x0, y, safe_w) - 3 * mm
        if card.get("impact"):
            y = put(Paragraph(escape(impact_label.upper()), st_heading), x0, y, safe_w) - 1 * mm
            put(Paragraph(escape(card["impact"]), st_body), x0, y, safe_w)

        # Footer: the QR code (qrcode's plain defaults, no cache), labels, number.
        source = card.get("source") or deck.get("source") or {}
        url = source["url"]
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=mask)
        qr.add_data(url)
        qr.make(fit=True)
        matrix = qr.get_matrix()
        n = len(matrix)
        side = max((n + 8) * 0.42 * mm, 0.3 * min(w, h))
        module = side / (n + 8)
        left, qr_top = x0 + 4 * module, y0 + side - 4 * module
        path = c.beginPath()
        for r, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(left + col * module, qr_top - (r + 1) * module, module, module)
        c.drawPath(path, stroke=0, fill=1)
        c.linkURL(url, (x0, y0, x0 + side, y0 + side), relative=0, thickness=0)
        col_x = x0 + side + 2.5 * mm
        col_w = x0 + safe_w - col_x
        y = put(Paragraph(escape(source_label), st_small), col_x, y0 + side, col_w)
        put(Paragraph(escape(source.get("publisher") or source_label), st_heading), col_x, y, col_w)
        num = Paragraph(f"{number} / {total}", st_number)
        _, nh = num.wrapOn(c, col_w, page_h)
        num.drawOn(c, col_x, y0)
        title = Paragraph(escape(deck.get("title", "")), st_title)
        title.wrapOn(c, col_w, page_h)
        title.drawOn(c, col_x, y0 + nh)
        c.showPage()

        # Back: redrawn every time.
        c.setFillColor(colors.HexColor("#0B2236"))
        c.rect(0, 0, page_w, page_h, stroke=0, fill=1)
        stripe = 2.2 * mm
        for i, cat in enumerate(categories.values()):
            c.setFillColor(colors.HexColor(cat["color"]))
            c.rect(0, BLEED + 0.3 * h + (len(categories) - 1 - i) * stripe, page_w, stripe, stroke=0, fill=1)
        y = put(Paragraph(escape(deck.get("title", "")), st_back_title), x0, BLEED + 0.8 * h, safe_w) - 4 * mm
        if deck.get("subtitle"):
            put(Paragraph(escape(deck["subtitle"]), st_back_sub), x0, y, safe_w)
        foot = " · ".join(filter(None, [deck.get("credits"), deck.get("license")]))
        if foot:
            put(Paragraph(escape(foot), st_credits), x0, BLEED + 0.25 * h, safe_w)
        c.showPage()
    c.save()


if __name__ == "__main__":
    main()
