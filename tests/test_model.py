"""The file model (deckprint.model): its classes have names of their own, and the JSON
Schema it gives keeps the names it has always shown."""

from __future__ import annotations

import dataclasses
import inspect

from pydantic import BaseModel

from deckprint import deck, model


def classes(module, kind) -> set[str]:
    return {name for name, value in vars(module).items()
            if inspect.isclass(value) and value.__module__ == module.__name__ and kind(value)}


def test_no_file_model_class_shares_a_name_with_the_resolved_deck() -> None:
    file_model = classes(model, lambda c: issubclass(c, BaseModel))
    resolved = classes(deck, dataclasses.is_dataclass)
    assert {"DeckFile", "CardEntry", "SourceEntry"} <= file_model
    assert {"Deck", "Card", "Source", "Category", "Workshop", "WorkshopStep"} <= resolved
    assert file_model & resolved == set()


def test_the_schema_names_each_part_by_its_title_as_before_the_rename() -> None:
    schema = model.json_schema()
    definitions = schema["$defs"]
    assert list(definitions) == ["Back", "Card", "Category", "DeckInfo", "Source", "Workshop", "WorkshopStep"]
    assert all(definition["title"] == name for name, definition in definitions.items())

    def refs(node):
        if isinstance(node, dict):
            yield from (v for k, v in node.items() if k == "$ref")
            for v in node.values():
                yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    found = set(refs(schema))
    assert found == {f"#/$defs/{name}" for name in definitions}
