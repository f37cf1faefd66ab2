"""Faster pickling for the frozen, slotted dataclasses the ingest process sends the console.

A committed batch reaches the console as pickled `Changes`: hundreds of cases, each with its
location and deadlines. The `__setstate__` that `dataclass(slots=True)` generates looks the
fields up again for every object, which made unpickling a 500-case batch take ~15 ms, all of it
holding the console's interpreter lock while the GUI thread waited. Here the field names are
looked up once per class, and the state is a plain tuple in field order.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


def quick_pickle(cls: type[T]) -> type[T]:
    """Class decorator (outside `@dataclass(frozen=True, slots=True)`): state as a tuple."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values = attrgetter(*names)
    setter = object.__setattr__  # frozen: the dataclass's own __setattr__ refuses

    def __getstate__(self: Any) -> tuple[Any, ...]:
        state = values(self)
        return state if len(names) > 1 else (state,)

    def __setstate__(self: Any, state: tuple[Any, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            setter(self, name, value)

    setattr(cls, "__getstate__", __getstate__)  # noqa: B010 (mypy: no method assignment)
    setattr(cls, "__setstate__", __setstate__)  # noqa: B010
    return cls
