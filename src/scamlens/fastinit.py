"""Positional constructors for the frozen slot dataclasses made by the thousand per request
(messages, indicators, evidence).

A frozen dataclass's generated __init__ sets each field through ``object.__setattr__``: about
half of the cost of an 11-field `Indicator` (1.6 -> 0.85 us). `positional(cls)` returns a
function that takes every field positionally, in the class's field order, and fills the slots
directly through their descriptors, giving an object equal to ``cls(*args)``. A class it does
not know how to build that way (no slots, other slots than its fields, a ``__post_init__``)
gets ``cls`` itself back, so a change to the class can only cost speed, never correctness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def positional(cls: type[T]) -> Callable[..., T]:
    """``cls(*args)`` (every field given, in field order) without the frozen __init__."""
    if not is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return cls
    names = tuple(f.name for f in fields(cls))
    if tuple(getattr(cls, "__slots__", ())) != names:
        return cls
    params = ", ".join(f"a{i}" for i in range(len(names)))
    body = "".join(f"    s{i}(m, a{i})\n" for i in range(len(names)))
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    scope |= {f"s{i}": cls.__dict__[name].__set__ for i, name in enumerate(names)}
    # Generated as dataclasses generates __init__: one call per field, nothing looked up.
    exec(f"def make({params}):\n    m = new(cls)\n{body}    return m\n", scope)
    make: Callable[..., T] = scope["make"]
    make.__qualname__ = make.__name__ = f"new_{cls.__name__.lower()}"
    return make
