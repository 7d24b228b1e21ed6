"""Lazy package exports: `scamlens` commands import only what they run.

A package's `__init__` names where each public name lives; the module loads on first use.
Without this every CLI call paid for pandas, scikit-learn and SQLAlchemy at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` resolving `name` from `where[name]` ("module" or "module:attr")."""

    def __getattr__(name: str) -> Any:
        target = where.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = target.partition(":")
        value = getattr(importlib.import_module(module, package), attr or name)
        globals_of(package)[name] = value  # resolve once
        return value

    return __getattr__


def globals_of(package: str) -> dict[str, Any]:
    return importlib.import_module(package).__dict__
