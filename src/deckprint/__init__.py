"""deckprint: persona decks in YAML to print-ready PDF cards and posters."""

__version__ = "0.1.0"
