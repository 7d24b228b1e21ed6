"""Loading JSON exports whole (up to a cap) with errors that say where, and typed field access."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from scamlens.errors import InputError

from .common import Context
from .source import Source
from .textio import read_text


def load(src: Source, ctx: Context) -> Any:
    text = read_text(src, ctx, ctx.options.max_json_bytes, "max_json_bytes")
    return loads(text, src.name)


def loads(text: str, name: str, line: int | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        stripped_len = len(text.rstrip())
        truncated = exc.pos >= stripped_len - 1 or exc.msg.startswith("Unterminated")
        hint = ""
        if truncated:
            hint = " (the file looks truncated: was the export or download cut short?)"
        where = line if line is not None else exc.lineno
        col = f"column {exc.colno}: " if line is None else ""
        raise InputError(f"invalid JSON at {col}{exc.msg}{hint}", name, where) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply to be a chat export", name, line) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python allows
        raise InputError(f"invalid JSON: {exc}", name, line) from None


def key_path(*parts: str | int) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def as_list(value: Any, name: str, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"at {path}: expected a list, found {type_name(value)}", name)
    return value


def as_dict(value: Any, name: str, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"at {path}: expected an object, found {type_name(value)}", name)
    return value


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def get_str(obj: dict[str, Any], key: str) -> str | None:
    """obj[key] if it is a non-empty string (numbers are turned into strings), else None."""
    value = obj.get(key)
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def get_dict(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def get_num(obj: dict[str, Any], key: str) -> float | None:
    value = obj.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def dicts(items: list[Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(position, item) for the items that are objects."""
    for i, item in enumerate(items):
        if isinstance(item, dict):
            yield i, item
