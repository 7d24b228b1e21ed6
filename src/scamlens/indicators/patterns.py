"""Small rewrites of RE2 pattern text: named groups made plain, top-level branches split.

Both walk the pattern token by token, skipping escapes and character classes, so a literal
``\\(`` or ``[(|]`` is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FLAGS_GROUP = re.compile(r"\(\?[a-zA-Z]*:")  # "(?:" or "(?i:"
_FLAGS_SET = re.compile(r"\(\?-?[a-zA-Z]+(?:-[a-zA-Z]+)?\)")  # "(?i)": flags to the group's end


def strip_names(pattern: str) -> str:
    """`pattern` with every named group ``(?P<name>`` (or ``(?<name>``) made ``(?:``.

    RE2's never_capture option drops plain groups but keeps named ones; a capture-free pattern
    lets RE2 answer from its DFA alone.
    """
    out: list[str] = []
    skip_to = -1
    for i, token in _tokens(pattern):
        if i <= skip_to:
            continue  # the "?P<name>" of a group just rewritten
        if token == "(" and _named_at(pattern, i):
            out.append("(?:")
            skip_to = pattern.index(">", i)
        else:
            out.append(token)
    return "".join(out)


def check_context_free(pattern: str) -> None:
    """Raise ValueError if `pattern` uses ^, $, \\A or \\z: assertions about where the text
    starts or ends, which a match read without its surroundings cannot answer."""
    for i, token in _tokens(pattern):
        if token in ("^", "$", "\\A", "\\z", "\\Z"):
            raise ValueError(f"{token!r} at {i} in {pattern[:40]!r}: not allowed in a gate")


def split_branches(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern`, each a pattern of its own, in order.

    A pattern that is one non-capturing group (``(?i:a|b)``) is split inside it, keeping its
    flags on each part (``(?i:a)``, ``(?i:b)``). Returns [pattern] when there is nothing to
    split, or when a flag directive such as ``(?i)`` would reach across the parts.
    """
    if _FLAGS_SET.search(pattern):
        return [pattern]
    parts = _top_level(pattern)
    if len(parts) > 1:
        return parts
    head = _FLAGS_GROUP.match(pattern)
    if head is None or _group_end(pattern, 0) != len(pattern):
        return [pattern]
    prefix = head.group()
    inner = pattern[len(prefix) : -1]
    return [f"{prefix}{part})" for part in split_branches(inner)]


def _tokens(pattern: str) -> Iterator[tuple[int, str]]:
    """(index, token): an escape, a whole character class, or one character."""
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith("\\Q", i):
                raise ValueError("\\Q...\\E quoting is not supported here")
            j = i + 2
        elif ch == "[":
            j = _class_end(pattern, i)
        else:
            j = i + 1
        yield i, pattern[i:j]
        i = j


def _named_at(pattern: str, i: int) -> bool:
    return pattern.startswith("(?P<", i) or (
        pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!")
    )


def _top_level(pattern: str) -> list[str]:
    parts: list[str] = []
    depth, last = 0, 0
    for i, token in _tokens(pattern):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    parts.append(pattern[last:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group that opens at pattern[start]."""
    depth = 0
    for i, token in _tokens(pattern[start:]):
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                return start + i + 1
    raise ValueError(f"unbalanced group in {pattern[start : start + 40]!r}")


def _class_end(pattern: str, i: int) -> int:
    """Index just past the character class that opens at pattern[i] == '['."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1  # a leading ']' is a literal
    while j < len(pattern):
        ch = pattern[j]
        if ch == "\\":
            j += 2
            continue
        if pattern.startswith("[:", j):  # POSIX class such as [:alpha:]
            end = pattern.find(":]", j + 2)
            if end >= 0:
                j = end + 2
                continue
        if ch == "]":
            return j + 1
        j += 1
    raise ValueError(f"unterminated character class in {pattern[i : i + 40]!r}")
