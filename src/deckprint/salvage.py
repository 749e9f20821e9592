"""What is valid in a deck file that is not, so that one run reports every problem.

When a deck file fails pydantic's validation, pydantic reports every value that is
wrong but returns nothing. The whole-deck checks of :mod:`deckprint.load` — countries,
categories, duplicate ids, images, glyphs — need values, or a typo in card 0 would hide
an unknown country in card 1 until the typo is fixed. :func:`salvage` validates each
field on its own, down through models, lists and mappings, and puts :data:`INVALID`
where a value failed: its problem is already reported, and the checks pass it over.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

Path_ = tuple


class _Invalid:
    """A value that failed validation (or could not be read): reported already."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


def salvage(model: type[BaseModel], data: Any, unreadable: set[Path_] = frozenset()) -> Any:
    """``data`` as ``model`` as far as it validates: a model built without validation
    whose fields hold their validated value, or INVALID; INVALID if ``data`` is not a
    mapping. Paths in ``unreadable`` (values the YAML reader refused) are INVALID too."""
    return _model(model, data, (), frozenset(unreadable))


def _model(model: type[BaseModel], data: Any, path: Path_, unreadable: frozenset) -> Any:
    if path in unreadable or not isinstance(data, dict):
        return INVALID
    values = {}
    for name, info in model.model_fields.items():
        if name in data:
            values[name] = _value(_field_type(info), data[name], path + (name,), unreadable)
        elif info.is_required():
            values[name] = INVALID  # pydantic reported it missing
        else:
            values[name] = info.get_default(call_default_factory=True)
    return model.model_construct(**values)


def _value(kind: Any, value: Any, path: Path_, unreadable: frozenset) -> Any:
    if path in unreadable:
        return INVALID
    if not any(p[:len(path)] == path for p in unreadable):
        try:
            return _adapter(kind).validate_python(value)
        except ValidationError:
            pass
    kind = _bare(kind)
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _model(kind, value, path, unreadable)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(kind)
        return [_value(item, v, path + (i,), unreadable) for i, v in enumerate(value)]
    if origin is dict and isinstance(value, dict):
        _, item = typing.get_args(kind)
        return {k: _value(item, v, path + (k,), unreadable) for k, v in value.items()}
    return INVALID


def _field_type(info) -> Any:
    """A field's type with its constraints (``min_length=1``…) as pydantic checks it."""
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def _bare(kind: Any) -> Any:
    """``Annotated[X, …]`` and ``X | None`` → X: the shape to descend into."""
    while True:
        if typing.get_origin(kind) is Annotated:
            kind = typing.get_args(kind)[0]
            continue
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
            kind = args[0]
            continue
        return kind


@functools.lru_cache(maxsize=None)
def _adapter(kind: Any) -> TypeAdapter:
    return TypeAdapter(kind)
