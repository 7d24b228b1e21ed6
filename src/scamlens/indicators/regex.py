"""RE2 helpers: every regex that runs over untrusted chat text is compiled here (linear time).

`Gate` joins the candidate patterns of several detectors into one RE2 alternation and scans
the UTF-8 bytes of a text once (leftmost-first, like Perl: at one position the earlier
alternative wins). Byte offsets are turned into str offsets as the scan goes, so it stays
linear in the text length; for ASCII text the offsets are used as they are.

Speed: asking RE2 for the groups of a large alternation makes it run its NFA over every match
(several microseconds each). So the scan runs a capture-free copy of the alternation (DFA
only), then works out which branch matched, and its groups, from the matched text alone plus
whether the characters on either side are word characters (see `Gate._identify`): that is all
that decides them. The answer is cached under that key: chat repeats "一", "5k" and "$500".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

import re2

from scamlens.indicators.patterns import check_context_free, split_branches, strip_names
from scamlens.re2raw import full_spans, match_spans

# Large alternations with Unicode classes need more than RE2's default 8 MB to stay on the
# fast DFA path; past the limit RE2 falls back to a slower (still linear) engine.
_MAX_MEM = 256 << 20
# Matches longer than this are identified without the cache (keeps the cache's memory small).
_CACHE_MAX_CHARS = 256
_CACHE_SIZE = 8192
_ANY = "(?s:.)"  # one character of context on each side of a match
_EDGE = "\n"  # stands for the start or end of the text: a non-word character, like them
# RE2's \b is ASCII-only: these are the only characters it counts as word characters.
_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
Groups = Mapping[int, tuple[int, int]]  # gate group number -> span relative to the match


def _options(never_capture: bool = False) -> Any:
    options = re2.Options()
    options.max_mem = _MAX_MEM
    options.never_capture = never_capture
    return options


def compile_re2(pattern: str) -> Any:
    """Compile `pattern` (str) with RE2 (leftmost-first, like Python's re)."""
    return re2.compile(pattern, _options())


class Hit:
    """One gate match: which alternative matched and str spans of any named group.

    `key` is (character before, matched text, character after), "\\n" standing for the start
    or end of the text; None for very long matches. Handlers whose result depends on the
    groups and those characters alone may cache it under the key.
    """

    __slots__ = ("_groups", "_text", "end", "key", "name", "start")

    def __init__(
        self,
        name: str,
        text: str,
        start: int,
        end: int,
        groups: Groups,
        key: tuple[str, str, str] | None = None,
    ) -> None:
        self.name = name
        self._text = text
        self.start = start
        self.end = end
        self._groups = groups
        self.key = key

    def span(self, group: int) -> tuple[int, int] | None:
        """str span of group number `group` (see Gate.ids), None when it did not take part."""
        rel = self._groups.get(group)
        if rel is None:
            return None
        return self.start + rel[0], self.start + rel[1]

    def text(self, group: int) -> str | None:
        """Text of group number `group`."""
        rel = self._groups.get(group)
        if rel is None:
            return None
        return self._text[self.start + rel[0] : self.start + rel[1]]


class _Branch:
    """One top-level branch of one alternative: its pattern, a regex that reads its groups
    from "<before><match><after>" (None when it has none), and where they go in the gate."""

    __slots__ = ("base", "groups", "name", "pattern", "rx")

    def __init__(
        self, name: str, base: int, pattern: str, rx: Any, groups: list[tuple[int, int]]
    ) -> None:
        self.name = name
        self.base = base  # gate group number of the alternative's own group
        self.pattern = pattern
        self.rx = rx
        self.groups = groups  # (group number in rx, group number in the gate)


def _branches(
    name: str, pattern: str, flags: str, base: int, ids: Mapping[str, int]
) -> list[_Branch]:
    """The branches of an alternative (see `split_branches`), each with its own regex:
    reading groups with a small program is several times cheaper than with the whole
    alternative. An alternative with unnamed groups stays whole (its groups go by number)."""
    whole = compile_re2(f"{flags}{_ANY}(?:{pattern}){_ANY}")
    if whole.groups != len(whole.groupindex):
        numbered = [(n, base + n) for n in range(1, whole.groups + 1)]
        return [_Branch(name, base, pattern, whole, numbered)]
    out = []
    for part in split_branches(pattern):
        rx = compile_re2(f"{flags}{_ANY}(?:{part}){_ANY}")
        named = [(n, ids[_text(key)]) for key, n in rx.groupindex.items()]
        out.append(_Branch(name, base, part, rx if named else None, named))
    return out


def _text(key: str | bytes) -> str:
    return key.decode() if isinstance(key, bytes) else key


class Gate:
    """One RE2 pass for many detectors. Each alternative is (name, pattern); the patterns may
    hold named groups of their own (names must be unique across the gate). Patterns must not
    use ^, $, \\A or \\z: a match is identified from its text and its neighbours' kind."""

    def __init__(self, alternatives: list[tuple[str, str]], flags: str = "") -> None:
        self.names = [name for name, _ in alternatives]
        for _, pattern in alternatives:
            check_context_free(pattern)
        # Group numbers as in one capturing alternation of all the alternatives.
        full = compile_re2(
            flags + "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
        )
        self.ids: dict[str, int] = {_text(k): v for k, v in full.groupindex.items()}
        self.groups = int(full.groups)
        self._branches: list[_Branch] = []
        for name, pattern in alternatives:
            self._branches += _branches(name, pattern, flags, self.ids[name], self.ids)
        joined = "|".join(f"(?:{strip_names(pattern)})" for _, pattern in alternatives)
        # Capture-free: RE2 answers from its DFA alone.
        self._rx = re2.compile((flags + joined).encode("utf-8"), _options(never_capture=True))
        assert self._rx.groups == 0
        self._set: Any = None
        if len(self._branches) > 1:
            # Every branch of every alternative, in the gate's order of preference.
            self._set = re2.Set.FullMatchSet(_options(never_capture=True))
            for branch in self._branches:
                self._set.Add(f"{flags}{_ANY}(?:{strip_names(branch.pattern)}){_ANY}")
            self._set.Compile()
        self._cached = lru_cache(maxsize=_CACHE_SIZE)(self._identify)

    def clear_cache(self) -> None:
        self._cached.cache_clear()

    def scan(self, text: str) -> Iterator[Hit]:
        data = text.encode("utf-8")
        ascii_only = len(data) == len(text)
        size = len(text)
        cached = self._cached
        # Byte offsets -> str offsets: matches come in order, so decoding the gap before each
        # match and the match itself walks the text once.
        byte_pos = char_pos = 0
        for b0, b1 in match_spans(self._rx, data):
            if ascii_only:
                start, end = b0, b1
                found = text[b0:b1]
            else:
                start = char_pos + len(data[byte_pos:b0].decode("utf-8"))
                found = data[b0:b1].decode("utf-8")
                end = start + len(found)
                byte_pos, char_pos = b1, end
            before = text[start - 1] if start else _EDGE
            after = text[end] if end < size else _EDGE
            if end - start <= _CACHE_MAX_CHARS:
                key: tuple[str, str, str] | None = (before, found, after)
                name, groups = cached(before in _WORD, found, after in _WORD)
            else:
                key = None
                name, groups = self._identify(before in _WORD, found, after in _WORD)
            yield Hit(name, text, start, end, groups, key)

    def _identify(self, word_before: bool, found: str, word_after: bool) -> tuple[str, Groups]:
        """Which branch matched `found`, and the spans of its groups relative to the match,
        given whether the characters around it are (ASCII) word characters.

        In a leftmost-first alternation the branch that wins at a position is the first that
        matches there at all, and the gate's match is that branch's own leftmost-first match;
        so it is also the first branch to match exactly `found`, and its groups are those of
        its highest-priority match of exactly `found`. With no ^, $, \\A or \\z in the
        patterns, the text around a match counts only through \\b and \\B, which ask whether
        the neighbours are word characters: "a" and "\\n" stand in for them here.
        """
        head = "a" if word_before else _EDGE
        window = f"{head}{found}{'a' if word_after else _EDGE}".encode()
        if self._set is None:
            index = 0
        else:
            matched = self._set.Match(window)
            if not matched:  # cannot happen (see above); fail loudly rather than guess
                raise AssertionError(f"gate match not identified: {found[:40]!r}")
            index = min(matched)
        branch = self._branches[index]
        groups: dict[int, tuple[int, int]] = {branch.base: (0, len(found))}
        if branch.rx is None:
            return branch.name, groups
        spans = full_spans(branch.rx, window)
        if spans is None:
            raise AssertionError(f"gate match not identified: {found[:40]!r}")
        ascii_only = found.isascii()
        for local, number in branch.groups:
            g0, g1 = spans[local]
            if g0 < 0:
                continue
            if ascii_only:
                groups[number] = (g0 - 1, g1 - 1)
            else:
                lo = len(window[1:g0].decode())
                groups[number] = (lo, lo + len(window[g0:g1].decode()))
        return branch.name, groups
