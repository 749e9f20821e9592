"""The deck file format (format 1) as pydantic models: the contract, its docs, its schema.

This is the file model: what a deck file says, as the schema shows it. The whole file
is :class:`DeckFile`; each of its parts is a ``…Entry`` (``DeckEntry`` for ``deck:``,
``SourceEntry``, ``BackEntry``, ``CategoryEntry``, ``CardEntry``, ``WorkshopEntry``,
``WorkshopStepEntry``), so that none shares a name with the resolved deck that layout
reads (:mod:`deckprint.deck`: ``Deck``, ``Card``, ``Source``…). Each entry keeps the
title the schema has always shown ("Card", "DeckInfo"), and :func:`json_schema` names
its definitions by that title.

These models check each value on its own (types, slugs, URLs, colours, sizes); the
wording of their errors is :mod:`deckprint.validation`'s. Checks that need the whole
deck or the file system — unique ids, known categories, countries in the deck's
language, paths inside the deck's folder, glyphs the font has — happen in
:mod:`deckprint.load`, which resolves these models into a :class:`deckprint.deck.Deck`.

Each rule's validator sits beside its JSON Schema form (:class:`JsonRules`), which says
the same for editors; :mod:`deckprint.schema` adds the rules that span the deck. The
patterns are written for both regex dialects that read them, JavaScript's (editors)
and Python's (jsonschema): no ``\\p{…}``, no inline flags, letters of either case as
``[Xx]``. Every value that no page prints (an id, a reference, a path, a setting) is
marked :data:`NOT_PRINTED`; :func:`printed_texts` yields all the others, for the
glyph check.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import typing
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Iterable, Iterator, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from .colors import parse_color
from .errors import excerpt
from .labels import LABELS, base_language
from .sizes import CARD_PRESETS, parse_card_size

MAX_URL_LENGTH = 2000
MAX_TEXT_LENGTH = 5000
MAX_CARDS = 5000
MAX_CATEGORIES = 100  # the card back stripes each one: about 30 fit, whatever the card size
MAX_SETTING_LENGTH = 64  # a colour, a card size: "cmyk(100, 100, 100, 100)" is 25

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
# Characters no text may hold: C0 and C1 controls but tab and newline, line and
# paragraph separators, the byte-order mark, interlinear annotation marks.
CONTROL_CHARS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufff9-\ufffb"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
# Characters a name may not hold: the bidirectional controls (a right-to-left override
# makes a terminal or an editor show the name backwards) and the zero-width ones (two
# names that look the same are not). Names are what a reader tells cards and decks by.
INVISIBLE_CHARS = r"\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")


@dataclass(frozen=True)
class NotPrinted:
    """Marks a value that no page prints — an id, a reference to a category, a file
    path, a setting — so that the glyph check, which checks every other text of the
    deck (:func:`printed_texts`), skips it."""


NOT_PRINTED = NotPrinted()


@dataclass(frozen=True)
class AsTyped:
    """Marks a printed value that takes no inline marks (a URL, an id): printed as
    typed, so its asterisks are not read as marks (:func:`marked_texts` skips it)."""


AS_TYPED = AsTyped()


class JsonRules:
    """What a validator checks, said in JSON Schema for editors (patterns, enums,
    lengths): added to the type's schema. `validate` checks the same with its own code
    and messages; tests/test_schema.py holds the two together."""

    def __init__(self, **rules: Any):
        self.rules = rules

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema.update(self.rules)
        return schema


def anycase(word: str) -> str:
    """A regex for ``word`` in any case, in the dialect both JavaScript and Python read."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else re.escape(c) for c in word)


MAX_LANGUAGE_TAIL = 32  # characters after the base language: "fr-CA", "en-Latn-GB-oxendict"


def language_pattern(languages: Iterable[str]) -> str:
    """The tags whose base language is one of ``languages`` (see labels.base_language),
    in letters, digits, hyphens and underscores: a tag is echoed by ``validate`` and
    ``list``, and must not carry a terminal's escape sequence."""
    return ("^(?:" + "|".join(anycase(lang) for lang in languages)
            + rf")(?:[-_][-_A-Za-z0-9]{{0,{MAX_LANGUAGE_TAIL - 1}}})?$")


def _error(message: str) -> PydanticCustomError:
    return PydanticCustomError("deck", message)


def _text(value: str) -> str:
    match = _CONTROL.search(value)
    if match:
        raise _error(f"control character U+{ord(match.group()):04X} at character "
                     f"{match.start() + 1} is not allowed in text")
    if not value.strip():
        raise _error("must not be empty")
    return value.strip()


def _name(value: str) -> str:
    match = _INVISIBLE.search(value)
    if match:
        char = match.group()
        raise _error(f"the invisible character U+{ord(char):04X} ({unicodedata.name(char, 'unnamed').lower()}) "
                     f"at character {match.start() + 1} is not allowed in a name")
    return value


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value) or len(value) > 64:  # match() lets "abc\n" through
        raise _error(f'"{excerpt(value)}" is not a slug: use lower-case letters, digits and single '
                     "hyphens, at most 64 characters (e.g. \"maria-luz\")")
    return value


# Printable ASCII that a URI may not carry as is (RFC 3986): percent-encoded, like
# everything outside ASCII.
_URI_UNSAFE = set('"<>\\^`{|}')

_PORT = r"0*(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
_HOST = rf"(?:\[[0-9A-Za-z:.]+\]|[^\s{CONTROL_CHARS}/?#@:\[\]]+)"
# What _url accepts but for an IDNA host's validity and the length once encoded.
URL_PATTERN = (rf"^\s*(?=\S{{1,{MAX_URL_LENGTH}}}\s*$){anycase('http')}[Ss]?://{_HOST}(?::(?:{_PORT})?)?"
               rf"(?:[/?#][^\s{CONTROL_CHARS}]*)?\s*$")


def _url(value: str) -> str:
    """An http(s) URL with a host and no credentials, as the ASCII URI that goes into the
    QR code and the PDF link (a PDF URI is 7-bit ASCII): an internationalised host is
    IDNA-encoded, other non-ASCII characters are percent-encoded as UTF-8."""
    value = value.strip()
    if len(value) > MAX_URL_LENGTH:
        raise _error(f"the URL is {len(value)} characters long; the limit is {MAX_URL_LENGTH}")
    if _CONTROL.search(value) or any(c.isspace() for c in value):
        raise _error("the URL contains spaces or control characters")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 — raises on a port that is not a number in 0–65535
    except ValueError as exc:
        raise _error(f'the URL "{excerpt(value)}" is malformed ({exc})') from None
    if not parts.scheme:
        raise _error(f'the URL "{excerpt(value)}" has no scheme: write it in full, with https://')
    if parts.scheme.lower() not in ("http", "https"):
        raise _error(f'only http and https URLs are accepted, not "{excerpt(parts.scheme)}"')
    if not parts.hostname:
        raise _error(f'the URL "{excerpt(value)}" has no host')
    if parts.username is not None or parts.password is not None:
        raise _error("the URL must not carry a user name or password")
    if value.isascii() and not _URI_UNSAFE.intersection(value):
        return value
    host, colon, port = parts.netloc.partition(":")  # no credentials; an IPv6 host is ASCII
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise _error(f'the host "{excerpt(host)}" of the URL is not a valid domain name') from None
    safe = "".join(chr(c) for c in range(33, 127) if chr(c) not in _URI_UNSAFE)  # "%" stays: no double encoding
    uri = urlunsplit((parts.scheme, host + colon + port, quote(parts.path, safe=safe),
                      quote(parts.query, safe=safe), quote(parts.fragment, safe=safe)))
    if len(uri) > MAX_URL_LENGTH:
        raise _error(f"the URL is {len(uri)} characters long once encoded; the limit is {MAX_URL_LENGTH}")
    return uri


def _readable_by(parse: Callable[[str], object]) -> Callable[[str], str]:
    """A validator that keeps the text as written once ``parse`` accepts it; the
    parser's ValueError is the user's message."""
    def check(value: str) -> str:
        try:
            parse(value)
        except ValueError as exc:
            raise _error(str(exc)) from None
        return value
    return check


_PERCENT = r"0*(?:100(?:\.0*)?|[0-9]{1,2}(?:\.[0-9]*)?|\.[0-9]+)"
COLOR_PATTERN = (r"^\s*(?:#(?:[0-9A-Fa-f]{3}){1,2}|" + anycase("cmyk") + r"\(\s*"
                 + r"\s*,\s*".join([_PERCENT + "%?"] * 4) + r"\s*\))\s*$")
_MILLIMETRES = r"0*(?:(?:[3-9][0-9]|[12][0-9]{2})(?:[.,][0-9]+)?|300(?:[.,]0+)?)"  # 30–300: sizes.CARD_MM_RANGE
CARD_SIZE_PATTERN = (r"^\s*(?:" + "|".join(anycase(name) for name in CARD_PRESETS)
                     + rf"|{_MILLIMETRES}\s*[Xx×]\s*{_MILLIMETRES}\s*{anycase('mm')})\s*$")
RELATIVE_PATH_PATTERN = (r"^(?=[\s\S]*\S)(?!\s*(?:[/\\]|[A-Za-z]:))"
                         r"(?![\s\S]*(?:^\s*|[/\\])\.\.(?:[/\\]|\s*$))")


_LANGUAGE = re.compile(language_pattern(LABELS))


def _language(value: str) -> str:
    if not base_language(value):
        known = ", ".join(LABELS)
        raise _error(f'unknown language "{excerpt(value)}": deckprint prints labels in {known}')
    if not _LANGUAGE.fullmatch(value):
        raise _error(f'the language tag "{excerpt(value)}" may only hold letters, digits and hyphens, '
                     f"at most {MAX_LANGUAGE_TAIL} after the language (e.g. fr-CA)")
    return value


def _relative_path(value: str) -> str:
    value = value.strip()
    if not value:
        raise _error("must not be empty")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise _error(f'"{excerpt(value)}" is an absolute path: give a path relative to the deck file')
    if ".." in re.split(r"[/\\]", value):
        raise _error(f'"{excerpt(value)}" leaves the deck\'s folder: paths must stay inside it')
    return value


# patternErrorMessage: what an editor (yaml-language-server) says instead of the pattern.
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), AfterValidator(_text),
                 JsonRules(pattern=rf"^(?=[\s\S]*\S)[^{CONTROL_CHARS}]*$",
                           patternErrorMessage="must not be empty, nor hold control characters")]
SLUG_RULES = JsonRules(pattern=SLUG_PATTERN, maxLength=64,
                       patternErrorMessage='a slug: lower-case letters, digits and single hyphens (e.g. "maria-luz")')
# A name: what a reader tells a card, a category or the deck by.
Name = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), AfterValidator(_text), AfterValidator(_name),
                 JsonRules(pattern=rf"^(?=[\s\S]*\S)[^{CONTROL_CHARS}{INVISIBLE_CHARS}]*$",
                           patternErrorMessage="must not be empty, nor hold control or invisible characters")]
Slug = Annotated[str, AfterValidator(_slug), SLUG_RULES, AS_TYPED]  # printed: the guide lists files named by deck.id
Url = Annotated[str, AfterValidator(_url), AS_TYPED, JsonRules(  # printed in the guide
    pattern=URL_PATTERN, patternErrorMessage="an http or https URL with a host, and no spaces, user name or password")]
Color = Annotated[str, StringConstraints(max_length=MAX_SETTING_LENGTH), AfterValidator(_readable_by(parse_color)),
                  NOT_PRINTED, JsonRules(
    pattern=COLOR_PATTERN, patternErrorMessage='"#RRGGBB" or "cmyk(C, M, Y, K)" with percentages 0–100')]
RelativePath = Annotated[str, AfterValidator(_relative_path), NOT_PRINTED, JsonRules(
    pattern=RELATIVE_PATH_PATTERN, patternErrorMessage="a path relative to the deck file, inside its folder")]
Language = Annotated[str, AfterValidator(_language), NOT_PRINTED,
                     JsonRules(anyOf=[{"enum": list(LABELS)}, {"pattern": language_pattern(LABELS)}])]
CardSize = Annotated[str, StringConstraints(max_length=MAX_SETTING_LENGTH),
                     AfterValidator(_readable_by(parse_card_size)), NOT_PRINTED,
                     JsonRules(anyOf=[{"enum": list(CARD_PRESETS)}, {"pattern": CARD_SIZE_PATTERN}])]
FontName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$"), NOT_PRINTED]
# A card's category: load checks it is a key of categories (so a slug, as the schema says).
CategoryKey = Annotated[str, NOT_PRINTED, JsonRules(pattern=SLUG_PATTERN, patternErrorMessage="a key of categories")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False,
                              str_strip_whitespace=False)


class SourceEntry(_Strict):
    """Where a card's words come from; its URL becomes the card's QR code."""

    model_config = ConfigDict(title="Source")

    url: Url = Field(description="http(s) address of the article or testimony")
    title: Text | None = Field(None, description="title of the article or document")
    publisher: Text | None = Field(None, description="site or publication, printed beside the QR code")
    author: Text | None = None
    date: dt.date | None = Field(None, description="publication date, ISO format (2025-02-11)")


class BackEntry(_Strict):
    """The card back, one design for the whole deck."""

    model_config = ConfigDict(title="Back")

    text: Text | None = Field(None, description="text on the back; default: the deck title")
    image: RelativePath | None = Field(None, description="PNG or JPEG, relative to the deck file")


class DeckEntry(_Strict):
    model_config = ConfigDict(title="DeckInfo")

    id: Slug = Field(description="names the output folder and files")
    title: Name
    subtitle: Text | None = None
    language: Language = Field(
        description="BCP 47 tag (fr, en, fr-CA…): picks labels, typography, hyphenation")
    card: CardSize = Field(
        "tarot", description='a preset (poker, bridge, tarot, mini, a6, square) or "WxH mm"')
    source: SourceEntry | None = Field(None, description="default source for cards without their own")
    credits: Text | None = Field(None, description="one line printed on the backs and posters")
    license: Text | None = None
    font: FontName | None = Field(
        None, description="a font family in fonts/ or beside the deck file (Family-Regular.ttf, -Bold, -Italic, -BoldItalic)")
    back: BackEntry | None = None


class CategoryEntry(_Strict):
    model_config = ConfigDict(title="Category")

    label: Name
    color: Color = Field(description='"#RRGGBB" (converted to CMYK) or "cmyk(C, M, Y, K)"')


class CardEntry(_Strict):
    model_config = ConfigDict(title="Card")

    id: Annotated[Slug, NOT_PRINTED] | None = Field(None, description="unique in the deck; default: made from the name")
    name: Name
    role: Text
    country: Text = Field(description="ISO 3166-1 alpha-2 code, or a name in English or the deck's language")
    category: CategoryKey | None = Field(
        None, description="a key of categories")
    testimony: Text = Field(description="first-person text; *italic* and **bold** allowed")
    conditions: list[Text] = Field(default_factory=list, description="working conditions, one per bullet")
    impact: Text | None = Field(None, description="an extra note (health, environment…)")
    source: SourceEntry | None = Field(None, description="overrides deck.source for this card")
    image: RelativePath | None = Field(None, description="portrait, PNG or JPEG, relative to the deck file")


MAX_SESSION_MINUTES = 24 * 60
MAX_WORKSHOP_ITEMS = 30


def _minutes(value: object) -> object:
    """Minutes are a whole number: "2 h" or 1.5 would be read differently by each
    reader, and the guide prints durations in the deck's language itself."""
    if isinstance(value, bool) or not isinstance(value, int):
        shown = f'"{excerpt(value)}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else repr(value)
        raise _error(f"must be a whole number of minutes (e.g. 120 for 2 hours), not {shown}")
    if not 1 <= value <= MAX_SESSION_MINUTES:
        raise _error(f"must be between 1 and {MAX_SESSION_MINUTES} minutes, not {value}")
    return value


Minutes = Annotated[int, Field(ge=1, le=MAX_SESSION_MINUTES), BeforeValidator(_minutes)]


class WorkshopStepEntry(_Strict):
    """One part of the session, in the order it is run."""

    model_config = ConfigDict(title="WorkshopStep")

    title: Text = Field(description='what the part is called, e.g. "Discovering the cards"')
    minutes: Minutes | None = Field(None, description="how long the part takes, in minutes")
    text: Text = Field(description="what the facilitator and the participants do; *italic* and **bold** allowed")


class WorkshopEntry(_Strict):
    """The session the facilitator guide (deckprint kit) outlines. A key left out
    takes the value of deckprint's default outline for a persona deck."""

    model_config = ConfigDict(title="Workshop")

    duration: Minutes | None = Field(
        None, description="length of the whole session in minutes (120 = 2 hours); default: the "
                          "steps' minutes added up")
    audience: Text | None = Field(None, description='who the session is for, e.g. "15 people, no prior knowledge needed"')
    goals: list[Text] | None = Field(None, max_length=MAX_WORKSHOP_ITEMS,
                                     description="what participants take away, one per bullet")
    steps: list[WorkshopStepEntry] | None = Field(None, min_length=1, max_length=MAX_WORKSHOP_ITEMS,
                                                  description="the session's parts, in order")
    questions: list[Text] | None = Field(None, max_length=MAX_WORKSHOP_ITEMS,
                                         description="questions for the discussion, one per bullet")


class DeckFile(_Strict):
    """A deckprint deck file, format 1."""

    model_config = ConfigDict(title="deckprint deck (format 1)")

    deckprint: Literal[1] = Field(description="format version")
    deck: DeckEntry
    categories: dict[Slug, CategoryEntry] = Field(
        default_factory=dict, max_length=MAX_CATEGORIES, description="id → label and colour; order = display order",
        json_schema_extra={"propertyNames": {"pattern": SLUG_PATTERN, "maxLength": 64}})  # keys: pydantic omits them
    cards: list[CardEntry] = Field(min_length=1, max_length=MAX_CARDS)
    workshop: WorkshopEntry | None = Field(None, description="(opt) the session outline printed in the facilitator guide; default: an outline for a persona deck")


def json_schema() -> dict:
    from .schema import cards_or_a_sheet, whole_deck_rules

    schema = _defs_named_by_title(DeckFile.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["properties"]["cards"] = cards_or_a_sheet(schema["properties"]["cards"])  # sheets.py
    schema.update(whole_deck_rules())
    return _ends_at_the_end(schema)


def _defs_named_by_title(schema: dict) -> dict:
    """The schema's definitions keyed by the title each model shows ("Card"), not by
    the Python class ("CardEntry"): the schema speaks of the file's parts, and its
    names stay the same when a class is renamed."""
    names = {key: definition.get("title", key) for key, definition in schema.get("$defs", {}).items()}
    assert len(set(names.values())) == len(names), f"two models share a title: {names}"
    refs = {f"#/$defs/{old}": f"#/$defs/{new}" for old, new in names.items()}

    def renamed(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: refs[v] if k == "$ref" else renamed(v) for k, v in node.items()}
        if isinstance(node, list):
            return [renamed(v) for v in node]
        return node

    schema = renamed(schema)
    if "$defs" in schema:
        schema["$defs"] = {names[key]: schema["$defs"][key] for key in sorted(names, key=names.get)}
    return schema


def _ends_at_the_end(node: Any) -> Any:
    """Every pattern's closing ``$`` made to mean the end of the text in every engine:
    Python's ``re`` (which jsonschema uses) also lets it match before a final newline,
    so ``"abc\n"`` would pass as a slug there and not in an editor."""
    if isinstance(node, dict):
        return {k: (v[:-1] + r"(?!\n)$" if k == "pattern" and isinstance(v, str) and v.endswith("$")
                    and not v.endswith(r"\$") else _ends_at_the_end(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_ends_at_the_end(v) for v in node]
    return node


# -- the texts that pages print -----------------------------------------------------------

def _metadata(info) -> Iterator[Any]:
    """Everything annotated on a field's values, also inside ``X | None``, ``list[X]``
    and ``dict[K, X]`` (not on K: the keys of a mapping are never printed)."""
    yield from info.metadata
    todo = [info.annotation]
    while todo:
        kind = todo.pop()
        yield from getattr(kind, "__metadata__", ())
        args = typing.get_args(kind)
        todo.extend(args[1:] if typing.get_origin(kind) is dict else args)


@functools.cache
def _printed_fields(model: type[BaseModel], skip: tuple[type, ...]) -> tuple[str, ...]:
    return tuple(name for name, info in model.model_fields.items()
                 if not any(isinstance(m, skip) for m in _metadata(info)))


def printed_texts(value: object, path: tuple = (), skip: tuple[type, ...] = (NotPrinted,)
                  ) -> Iterator[tuple[tuple, str]]:
    """Every text of a deck file that may reach a page, with its path in the file: each
    string in its models, lists and mappings, but for the fields marked NOT_PRINTED.
    No hand list: a field added to the format is walked unless it is marked. Values
    that failed validation (load's INVALID) are not strings and are passed over."""
    if isinstance(value, str):
        yield path, value
        return
    if isinstance(value, BaseModel):
        items: Iterable = ((name, getattr(value, name)) for name in _printed_fields(type(value), skip))
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return
    for key, item in items:
        if isinstance(item, str):  # most values: no call for them (5,000 cards)
            yield path + (key,), item
        elif isinstance(item, (BaseModel, list, tuple, dict)):
            yield from printed_texts(item, path + (key,), skip)


def marked_texts(value: object) -> Iterator[tuple[tuple, str]]:
    """The printed texts whose inline marks are read (all but those marked AS_TYPED)."""
    return printed_texts(value, (), (NotPrinted, AsTyped))
