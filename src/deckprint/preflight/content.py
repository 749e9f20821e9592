"""The content interpreter: walks every page's content once — the page, the forms it
places, tiling patterns and printable annotations — keeping the graphics state the
checks need (the CTM, the text matrix, the colour spaces, the font and its size).

What it checks on the way: fonts (:mod:`.fonts`) and colour (:mod:`.colour`) where
they are used; the effective resolution of every placed raster image (pixels over the
size it is drawn at, through every ``cm`` and form matrix); the smallest size text is
set at, through the text matrix and the CTM (invisible text, render mode 3 or 7, as in
OCR layers, does not count).

Each stream is parsed once (:mod:`.parse`): a Form XObject used on every page is parsed
once per file and only replayed with the CTM of each use. Where each form is first
placed on each page is kept (:attr:`Content.forms`), for a QR scan of only those
regions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pikepdf

from .colour import Space, colour_space, report_use
from .fonts import FontCheck
from .objects import IDENTITY, apply, get, key, matrix, mul, rect
from .parse import SHOW, ContentReader, Parsed
from .report import Findings, reason

_MAX_DEPTH = 24  # nested forms and patterns: deeper is a loop or an attack
_INVISIBLE = (3.0, 7.0)  # text render modes that paint nothing
_GREY_OPERATOR = "grey as DeviceGray (g/G): prints on the black plate only — right for black and greys, never a rich black"


@dataclass(slots=True)
class _State:
    ctm: tuple = IDENTITY
    fill: Space | None = None
    stroke: Space | None = None
    font_scale: float = 1.0  # 1 for ordinary fonts; a Type3 font's FontMatrix scale
    size: float = 0.0
    render: float = 0.0

    def copy(self) -> _State:
        return _State(self.ctm, self.fill, self.stroke, self.font_scale, self.size, self.render)


class Content:
    """Walks every page's content once, for fonts, colour, image resolution and text
    size; ``reader`` reads the streams."""

    def __init__(self, found: Findings, reader: ContentReader, min_ppi: float, min_text_pt: float):
        self.found = found
        self.reader = reader
        self.min_ppi = min_ppi
        self.min_text = min_text_pt
        self.fonts = FontCheck(found)
        self._parsed: dict[Any, Parsed] = {}  # parsed streams, by object
        self._bboxes: dict[Any, tuple | None] = {}  # forms' BBoxes, by object
        self.smallest: tuple[float, int] | None = None
        self.small_pages: set[int] = set()
        # page → {form: where its first placement on the page lands, in page points}
        self.forms: defaultdict[int, dict] = defaultdict(dict)
        self.unreadable: set[int] = set()  # pages not rendered for the QR scan either

    # pages

    def check_page(self, page, number: int) -> None:
        try:
            resources = get(page, "/Resources") or {}
            self._run(self.reader.page(page), resources, _State(), number, 0)
            for annotation in get(page, "/Annots") or []:
                self._annotation(annotation, number)
        except (pikepdf.PdfError, ValueError, KeyError, TypeError, AttributeError,
                RuntimeError) as exc:  # RuntimeError: also RecursionError, NotImplementedError
            self.found.add("fail", "content.unreadable", f"the page content cannot be read ({reason(exc)})", number)
            self.unreadable.add(number)

    def _stream(self, stream) -> Parsed:
        stream_key = key(stream)
        parsed = self._parsed.get(stream_key)
        if parsed is None:
            parsed = self.reader.stream(stream)
            if stream_key is not None:
                self._parsed[stream_key] = parsed
        return parsed

    def _annotation(self, annotation, number: int) -> None:
        flags = int(annotation.get("/F", 0) or 0)
        if not flags & 4 or flags & 2:  # not printed, or hidden
            return
        appearance = get(annotation, "/AP")
        normal = get(appearance, "/N") if appearance else None
        if normal is not None and not isinstance(normal, pikepdf.Stream):  # one stream per state
            normal = get(normal, str(annotation.get("/AS", "")))
        if not isinstance(normal, pikepdf.Stream):
            return
        area = rect(annotation["/Rect"])
        bbox = rect(normal.get("/BBox", area))
        m = matrix(normal.get("/Matrix", IDENTITY)) or IDENTITY
        corners = [apply(m, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        sx = (area[2] - area[0]) / ((max(xs) - min(xs)) or 1)
        sy = (area[3] - area[1]) / ((max(ys) - min(ys)) or 1)
        fit = (sx, 0.0, 0.0, sy, area[0] - min(xs) * sx, area[1] - min(ys) * sy)
        self._form(normal, _State(ctm=fit), number, 1)

    # the interpreter

    def _run(self, parsed: Parsed, resources, state: _State, page: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise ValueError("forms nested too deeply (a loop?)")
        if parsed.damage:
            self.found.add("warn", "content.damaged", "damaged content, read as qpdf repairs it "
                           f"(what follows the damage may be missed): {parsed.damage}", page)
        stack: list[_State] = []
        tm = IDENTITY
        fonts: dict[str, float] = {}  # name → scale, for this content's resources
        for op, args in parsed.ops:
            if op == b"cm":
                m = matrix(args)
                if m:
                    state.ctm = mul(m, state.ctm)
            elif op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"BT":
                tm = IDENTITY
            elif op == b"Tm":
                tm = matrix(args) or tm
            elif op in SHOW:
                if state.render not in _INVISIBLE:  # invisible text (OCR layers) does not print
                    self._text(state.size * state.font_scale * _text_scale(tm, state.ctm), page)
            elif op == b"Tf":
                if len(args) == 2 and isinstance(args[1], float):
                    state.font_scale = self._font(fonts, resources, args[0], page)
                    state.size = abs(args[1])
            elif op == b"Tr":
                if args and isinstance(args[0], float):
                    state.render = args[0]
            else:
                state = self._paint(op, args, resources, state, page, depth)

    def _font(self, fonts: dict[str, float], resources, name, page: int) -> float:
        """The scale of the font ``Tf`` selects, checked once per content stream."""
        if not isinstance(name, str):  # not a name: reported as missing, every time
            return self.fonts.select(resources, name, page)
        if name not in fonts:
            fonts[name] = self.fonts.select(resources, name, page)
        return fonts[name]

    def _paint(self, op: bytes, args: list, resources, state: _State, page: int, depth: int) -> _State:
        """The operators of colour, forms, images and shadings."""
        if op in (b"rg", b"RG"):
            what = "fill" if op == b"rg" else "stroke"
            self.found.add("fail", "colour.rgb", f"RGB {what} colour ({op.decode()})", page)
        elif op in (b"g", b"G"):
            self.found.add("warn", "colour.gray", _GREY_OPERATOR, page)
        elif op in (b"cs", b"CS"):
            space = colour_space(resources, args[0]) if args else None
            if op == b"cs":
                state.fill = space
            else:
                state.stroke = space
        elif op in (b"sc", b"scn", b"SC", b"SCN"):
            space = state.fill if op in (b"sc", b"scn") else state.stroke
            if space is not None:
                self._colour(space, op.decode(), args, resources, page, depth)
        elif op == b"Do":
            if args and isinstance(args[0], str):
                self._xobject(resources, args[0], state, page, depth)
        elif op == b"BI":
            self._image(args[0], "inline image", state.ctm, resources, page, inline=True)
        elif op == b"sh":
            shading = get(get(resources, "/Shading"), args[0]) if args else None
            if shading is not None:
                report_use(self.found, colour_space(resources, shading.get("/ColorSpace")), f"shading {args[0]}", page)
        return state

    def _colour(self, space: Space, op: str, args: list, resources, page: int, depth: int) -> None:
        if space.kind != "pattern":
            report_use(self.found, space, op, page)
            return
        if not args or not isinstance(args[-1], str):
            return
        pattern = get(get(resources, "/Pattern"), args[-1])
        if pattern is None:
            return
        if pattern.get("/PatternType") == 2:
            shading = pattern.get("/Shading")
            report_use(self.found, colour_space(resources, shading.get("/ColorSpace")),
                       f"shading pattern {args[-1]}", page)
        elif pattern.get("/PaintType") == 2:  # uncoloured: the colour comes with scn
            report_use(self.found, space.base, f"pattern {args[-1]}", page)
        elif isinstance(pattern, pikepdf.Stream):
            m = matrix(pattern.get("/Matrix", IDENTITY)) or IDENTITY
            self._run(self._stream(pattern), get(pattern, "/Resources") or resources,
                      _State(ctm=m), page, depth + 1)

    def _xobject(self, resources, name: str, state: _State, page: int, depth: int) -> None:
        xobject = get(get(resources, "/XObject"), name)
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(xobject, f"image {name}", state.ctm, resources, page)
        elif subtype == "/Form":
            self._form(xobject, state, page, depth + 1, resources)

    def _form(self, form, state: _State, page: int, depth: int, parent=None) -> None:
        """A form (or an annotation's appearance) drawn in ``state``; without resources of
        its own it uses those of the content that draws it."""
        inner = state.copy()
        m = matrix(form.get("/Matrix", IDENTITY)) or IDENTITY
        inner.ctm = mul(m, state.ctm)
        if depth <= 1:  # placed by the page itself (a form is a stream: always indirect, keyed)
            form_key = key(form)
            if form_key not in self.forms[page]:
                if form_key not in self._bboxes:
                    self._bboxes[form_key] = _bbox(form)
                self.forms[page][form_key] = _placed_box(self._bboxes[form_key], inner.ctm)
        resources = get(form, "/Resources")
        self._run(self._stream(form), resources if resources is not None else parent or {},
                  inner, page, depth)

    def _image(self, image, name: str, ctm: tuple, resources, page: int, inline: bool = False) -> None:
        def value(long: str, short: str):
            found = image.get(long)
            if found is None and inline:
                found = image.get(short)
            return found

        if not value("/ImageMask", "/IM"):
            space = value("/ColorSpace", "/CS")
            if space is not None:
                report_use(self.found, colour_space(resources, space), name, page)
            # no colour space: a JPX image carries its own; nothing to read here
        width, height = value("/Width", "/W"), value("/Height", "/H")
        if not width or not height:
            return
        drawn_w = math.hypot(ctm[0], ctm[1]) / 72  # inches
        drawn_h = math.hypot(ctm[2], ctm[3]) / 72
        if drawn_w <= 0 or drawn_h <= 0:
            return
        ppi = min(float(width) / drawn_w, float(height) / drawn_h)
        if ppi < self.min_ppi - 0.5:
            self.found.add("fail", "images.resolution",
                           f"{name} ({int(width)} × {int(height)} px) at {ppi:.0f} ppi, under {self.min_ppi:g}", page)

    # text size

    def _text(self, size: float, page: int) -> None:
        size = round(size, 2)
        if size <= 0:
            return
        if self.smallest is None or size < self.smallest[0]:
            self.smallest = (size, page)
        if size < self.min_text - 0.005:
            self.small_pages.add(page)

    def report_text(self) -> float | None:
        """Record the text findings; returns the smallest size."""
        if self.smallest is None:
            return None
        size, page = self.smallest
        if self.small_pages:
            message = f"text under {self.min_text:g} pt (the smallest, {size:g} pt, on page {page})"
            for small in sorted(self.small_pages):
                self.found.add("warn", "text.size", message, small)
        else:
            self.found.add("info", "text.size", f"smallest text {size:g} pt", page)
        return size


def _text_scale(tm: tuple, ctm: tuple) -> float:
    """How much the text matrix and the CTM scale a glyph's height: the length of the
    second row of tm × ctm (only that row of the product is computed)."""
    c, d = tm[2], tm[3]
    return math.hypot(c * ctm[0] + d * ctm[2], c * ctm[1] + d * ctm[3])


def _bbox(form) -> tuple[float, float, float, float] | None:
    """The form's BBox, or None if unreadable."""
    try:
        x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
    except (KeyError, TypeError, ValueError):
        return None
    return x0, y0, x1, y1


def _placed_box(bbox, ctm: tuple) -> tuple[float, float, float, float] | None:
    """A form's BBox as it lands on the page (x0, y0, x1, y1), or None if unreadable."""
    if bbox is None:
        return None
    x0, y0, x1, y1 = bbox
    corners = [apply(ctm, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)
