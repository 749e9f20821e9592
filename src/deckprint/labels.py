"""The words deckprint prints itself, per language: data, not branches."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "conditions": "Conditions de travail",
        "impact": "Impact",
        "source": "Source",
        "testimony": "Témoignage",
        "card_of": "{n} / {total}",
        "category": "Catégorie",
        "country": "Pays",
        "overview": "Vue d’ensemble",
        "published": "publié le {date}",
        "by": "par {author}",
        "scan": "Scannez pour lire la source",
        "cards": "cartes",
        "other": "Autres",
    },
    "en": {
        "conditions": "Working conditions",
        "impact": "Impact",
        "source": "Source",
        "testimony": "Testimony",
        "card_of": "{n} / {total}",
        "category": "Category",
        "country": "Country",
        "overview": "Overview",
        "published": "published {date}",
        "by": "by {author}",
        "scan": "Scan to read the source",
        "cards": "cards",
        "other": "Other",
    },
}

# Hyphenation dictionaries (pyphen) per language.
HYPHENATION = {"fr": "fr_FR", "en": "en_GB"}


def base_language(tag: str) -> str | None:
    """``fr-CA`` → ``fr`` when deckprint knows the language, else None."""
    base = tag.replace("_", "-").split("-")[0].lower()
    return base if base in LABELS else None
