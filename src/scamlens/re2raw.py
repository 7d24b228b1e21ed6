"""RE2 matching on the compiled object under `re2`'s Python wrapper, for hot paths.

The wrapper builds a match object, a generator step and a character-offset table per call; the
compiled RE2 object it wraps returns the same byte spans for about half the cost. That object
is not part of re2's documented API, so every function here falls back to the public wrapper
when a release renames it (the fallbacks are tested).

- `first_span_finder`: the rule matcher's first-match spans, in characters.
- `match_spans` / `full_spans`: the indicator gate's match loop and group spans, in bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


SpanFinder = Callable[[str, bytes], tuple[int, int] | None]


def first_span_finder(regex: Any) -> SpanFinder:
    """A function (text, text.encode('utf-8')) -> span of the first match of `regex`, or None.

    `regex`: a compiled `re2` pattern.
    """
    raw = getattr(regex, "_regexp", None)
    anchor = _UNANCHORED
    if raw is None or anchor is None or not hasattr(raw, "Match"):
        return _public(regex)
    match = raw.Match

    def find(text: str, data: bytes) -> tuple[int, int] | None:
        bstart, bend = match(anchor, data, 0, len(data))[0]
        if bstart < 0:
            return None
        if len(data) == len(text):  # ASCII: bytes are characters
            return bstart, bend
        start = len(data[:bstart].decode("utf-8"))
        return start, start + len(data[bstart:bend].decode("utf-8"))

    return find


def _public(regex: Any) -> SpanFinder:
    def find(text: str, data: bytes) -> tuple[int, int] | None:
        m = regex.search(text)
        return None if m is None else (int(m.start()), int(m.end()))

    return find
