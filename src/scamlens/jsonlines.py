"""JSON Lines read with line-numbered errors (blank lines skipped; every line one object)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scamlens.errors import InputError


def json_objects(lines: Iterable[str], where: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; InputError naming `where` and the line
    for a line that is not JSON or not an object."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", where, n) from None
        if not isinstance(rec, dict):
            raise InputError("each line must be a JSON object", where, n)
        yield n, rec
