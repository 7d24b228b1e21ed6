"""RE2 helpers: every regex that runs over untrusted chat text is compiled here (linear time).

`Gate` joins the candidate patterns of several detectors into one RE2 alternation and scans
the UTF-8 bytes of a text once (leftmost-first, like Perl: at one position the earlier
alternative wins). Byte offsets are turned into str offsets incrementally, so a scan stays
linear in the text length; for ASCII text the offsets are used as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2

# Large alternations with Unicode classes need more than RE2's default 8 MB to stay on the
# fast DFA path; past the limit RE2 falls back to a slower (still linear) engine.
_MAX_MEM = 256 << 20


def _options() -> Any:
    options = re2.Options()
    options.max_mem = _MAX_MEM
    return options


def compile_re2(pattern: str) -> Any:
    """Compile `pattern` (str) with RE2 (leftmost-first, like Python's re)."""
    return re2.compile(pattern, _options())


class Hit:
    """One gate match: which alternative matched and str spans of any named group."""

    __slots__ = ("_conv", "_data", "_spans", "end", "name", "start")

    def __init__(
        self,
        name: str,
        spans: list[tuple[int, int]],
        conv: _Offsets,
        data: bytes,
        start: int,
        end: int,
    ) -> None:
        self.name = name
        self._spans = spans
        self._conv = conv
        self._data = data
        self.start = start
        self.end = end

    def span(self, group: int) -> tuple[int, int] | None:
        """str span of group number `group` (see Gate.ids), None when it did not take part."""
        b0, b1 = self._spans[group]
        if b0 < 0:
            return None
        return self._conv.char(b0), self._conv.char(b1)

    def text(self, group: int) -> str | None:
        """Text of group number `group` (cheaper than a span when the position is not needed)."""
        b0, b1 = self._spans[group]
        if b0 < 0:
            return None
        return self._data[b0:b1].decode("utf-8")


class _Offsets:
    """UTF-8 byte offset -> str offset, for offsets that mostly increase."""

    __slots__ = ("_ascii", "_byte", "_char", "_data")

    def __init__(self, data: bytes, ascii_only: bool) -> None:
        self._data = data
        self._ascii = ascii_only
        self._byte = 0
        self._char = 0

    def char(self, b: int) -> int:
        if self._ascii:
            return b
        if b >= self._byte:
            self._char += len(self._data[self._byte : b].decode("utf-8"))
        else:
            self._char -= len(self._data[b : self._byte].decode("utf-8"))
        self._byte = b
        return self._char


class Gate:
    """One RE2 pass for many detectors. Each alternative is (name, pattern); the patterns may
    hold named groups of their own (names must be unique across the gate)."""

    def __init__(self, alternatives: list[tuple[str, str]], flags: str = "") -> None:
        self.names = [name for name, _ in alternatives]
        joined = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
        self._rx = re2.compile((flags + joined).encode("utf-8"), _options())
        ids = dict(self._rx.groupindex)
        self.ids: dict[str, int] = {
            (k.decode() if isinstance(k, bytes) else k): v for k, v in ids.items()
        }
        self._outer = [(self.ids[name], name) for name in self.names]

    def scan(self, text: str) -> Iterator[Hit]:
        ascii_only = text.isascii()
        data = text.encode("utf-8")
        conv = _Offsets(data, ascii_only)
        outer = self._outer
        ngroups = self._rx.groups
        for m in self._rx.finditer(data):
            # re2's match object keeps its byte spans in `_spans`; reading the list once is
            # several times cheaper than one bounds-checked span() call per group.
            spans = getattr(m, "_spans", None)
            if spans is None:
                spans = [m.span(i) for i in range(ngroups + 1)]
            for gid, name in outer:
                b0, b1 = spans[gid]
                if b0 >= 0:
                    start = conv.char(b0)
                    yield Hit(name, spans, conv, data, start, conv.char(b1))
                    break
