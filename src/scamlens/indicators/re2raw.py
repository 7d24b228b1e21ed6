"""Two matching loops on re2's compiled object, for the gate's hot path.

re2's Python wrapper builds a match object (and a generator step) per match; the compiled
RE2 object it wraps returns the same byte spans for half the cost. That object is not part
of re2's documented API, so both functions fall back to the wrapper if a release renames it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2

_ANCHOR: Any = getattr(getattr(getattr(re2, "_re2", None), "RE2", None), "Anchor", None)
_UNANCHORED = getattr(_ANCHOR, "UNANCHORED", None)
_ANCHOR_BOTH = getattr(_ANCHOR, "ANCHOR_BOTH", None)


def match_spans(rx: Any, data: bytes) -> Iterator[tuple[int, int]]:
    """Byte spans of the matches of `rx.finditer(data)`, in order."""
    raw = getattr(rx, "_regexp", None)
    if raw is None or _UNANCHORED is None:
        for m in rx.finditer(data):
            yield m.span()
        return
    pos, end = 0, len(data)
    while True:
        span: tuple[int, int] = raw.Match(_UNANCHORED, data, pos, end)[0]
        if span[0] < 0:
            return
        yield span
        if pos == end:
            return
        # As the wrapper does: step one byte past an empty match.
        pos = span[1] if span[1] != pos else pos + 1


def full_spans(rx: Any, data: bytes) -> list[tuple[int, int]] | None:
    """Byte spans of every group of `rx.fullmatch(data)` ((-1, -1) for a group that took no
    part), None when it does not match."""
    raw = getattr(rx, "_regexp", None)
    if raw is None or _ANCHOR_BOTH is None:
        m = rx.fullmatch(data)
        return None if m is None else [m.span(i) for i in range(rx.groups + 1)]
    spans: list[tuple[int, int]] = raw.Match(_ANCHOR_BOTH, data, 0, len(data))
    return None if spans[0][0] < 0 else spans
