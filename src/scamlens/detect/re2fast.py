"""First-match spans from an RE2 regex without the `re2` module's per-call Python.

`re2`'s `search` encodes the text, builds a generator, a character-offset table and a match
object for every call; the matcher only needs the span of the first match in a text whose UTF-8
bytes it already has. The binding's RE2 object answers in bytes: for ASCII text those are the
character offsets, otherwise the prefix is decoded to count characters (RE2 matches whole UTF-8
sequences, so the offsets fall on character boundaries). If the binding's internals are not
there (another google-re2 version), the public `search` is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import re2

SpanFinder = Callable[[str, bytes], tuple[int, int] | None]


def first_span_finder(regex: Any) -> SpanFinder:
    """A function (text, text.encode('utf-8')) -> span of the first match of `regex`, or None.

    `regex`: a compiled `re2` pattern.
    """
    raw = getattr(regex, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
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
