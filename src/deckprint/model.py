"""The deck file format (format 1) as pydantic models: the contract, its docs, its schema.

These models check each value on its own (types, slugs, URLs, colours, sizes). Checks
that need the whole deck or the file system — unique ids, known categories, countries
in the deck's language, paths inside the deck's folder, glyphs the font has — happen
in :mod:`deckprint.load`, which turns these models into the resolved :class:`Deck`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from .colors import parse_color
from .labels import LABELS, base_language
from .sizes import parse_card_size

MAX_URL_LENGTH = 2000
MAX_TEXT_LENGTH = 5000
MAX_CARDS = 5000

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufff9-\ufffb]")


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


def _slug(value: str) -> str:
    if not _SLUG.match(value) or len(value) > 64:
        raise _error(f'"{value}" is not a slug: use lower-case letters, digits and single '
                     "hyphens, at most 64 characters (e.g. \"maria-luz\")")
    return value


def _url(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_URL_LENGTH:
        raise _error(f"the URL is {len(value)} characters long; the limit is {MAX_URL_LENGTH}")
    if _CONTROL.search(value) or any(c.isspace() for c in value):
        raise _error("the URL contains spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise _error(f'only http and https URLs are accepted, not "{parts.scheme or value}"')
    if not parts.hostname:
        raise _error(f'the URL "{value}" has no host')
    if parts.username is not None or parts.password is not None:
        raise _error("the URL must not carry a user name or password")
    return value


def _color(value: str) -> str:
    try:
        parse_color(value)
    except ValueError as exc:
        raise _error(str(exc)) from None
    return value


def _card_size(value: str) -> str:
    try:
        parse_card_size(value)
    except ValueError as exc:
        raise _error(str(exc)) from None
    return value


def _language(value: str) -> str:
    if not base_language(value):
        known = ", ".join(LABELS)
        raise _error(f'unknown language "{value}": deckprint prints labels in {known}')
    return value


def _relative_path(value: str) -> str:
    value = value.strip()
    if not value:
        raise _error("must not be empty")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise _error(f'"{value}" is an absolute path: give a path relative to the deck file')
    if ".." in re.split(r"[/\\]", value):
        raise _error(f'"{value}" leaves the deck\'s folder: paths must stay inside it')
    return value


Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), AfterValidator(_text)]
Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, AfterValidator(_url)]
Color = Annotated[str, AfterValidator(_color)]
RelativePath = Annotated[str, AfterValidator(_relative_path)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False,
                              str_strip_whitespace=False)


class Source(_Strict):
    """Where a card's words come from; its URL becomes the card's QR code."""

    url: Url = Field(description="http(s) address of the article or testimony")
    title: Text | None = Field(None, description="title of the article or document")
    publisher: Text | None = Field(None, description="site or publication, printed beside the QR code")
    author: Text | None = None
    date: dt.date | None = Field(None, description="publication date, ISO format (2025-02-11)")


class Back(_Strict):
    """The card back, one design for the whole deck."""

    text: Text | None = Field(None, description="text on the back; default: the deck title")
    image: RelativePath | None = Field(None, description="PNG or JPEG, relative to the deck file")


class DeckInfo(_Strict):
    id: Slug = Field(description="names the output folder and files")
    title: Text
    subtitle: Text | None = None
    language: Annotated[str, AfterValidator(_language)] = Field(
        description="BCP 47 tag (fr, en, fr-CA…): picks labels, typography, hyphenation")
    card: Annotated[str, AfterValidator(_card_size)] = Field(
        "tarot", description='a preset (poker, bridge, tarot, mini, a6, square) or "WxH mm"')
    source: Source | None = Field(None, description="default source for cards without their own")
    credits: Text | None = Field(None, description="one line printed on the backs and posters")
    license: Text | None = None
    font: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,63}$")] | None = Field(
        None, description="a font family in fonts/ or beside the deck file (Family-Regular.ttf, -Bold, -Italic, -BoldItalic)")
    back: Back | None = None


class Category(_Strict):
    label: Text
    color: Color = Field(description='"#RRGGBB" (converted to CMYK) or "cmyk(C, M, Y, K)"')


class Card(_Strict):
    id: Slug | None = Field(None, description="unique in the deck; default: made from the name")
    name: Text
    role: Text
    country: Text = Field(description="ISO 3166-1 alpha-2 code, or a name in English or the deck's language")
    category: str | None = Field(None, description="a key of categories")
    testimony: Text = Field(description="first-person text; *italic* and **bold** allowed")
    conditions: list[Text] = Field(default_factory=list, description="working conditions, one per bullet")
    impact: Text | None = Field(None, description="an extra note (health, environment…)")
    source: Source | None = Field(None, description="overrides deck.source for this card")
    image: RelativePath | None = Field(None, description="portrait, PNG or JPEG, relative to the deck file")


class DeckFile(_Strict):
    """A deckprint deck file, format 1."""

    model_config = ConfigDict(title="deckprint deck (format 1)")

    deckprint: Literal[1] = Field(description="format version")
    deck: DeckInfo
    categories: dict[Slug, Category] = Field(default_factory=dict,
                                             description="id → label and colour; order = display order")
    cards: list[Card] = Field(min_length=1, max_length=MAX_CARDS)


def json_schema() -> dict:
    schema = DeckFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
