"""Literals a rule's match must contain, so a message is searched only with the rules it can hit.

RE2 builds its DFA lazily and keeps the states it has met. One Set of every rule has a vast
state space (each rule's bounded gaps, "(?:\\W+\\w+){0,14}?", count words, and the Set tracks
every rule's count at once), so text the process has not seen before builds new states at
almost every byte: ~200 µs a message against ~3 µs for a message seen before. The literals of
all rules make a Set whose states are those of a plain multi-string search (few, met again and
again); a message is then searched only with the rules one of whose literals it contains,
each in a Set of its own (a single rule's states are few too).

`required_literals` reads the pattern's syntax tree (Python's parser: the rule patterns use
the syntax both engines share) and returns an OR-set of literal strings: every match of the
pattern contains at least one of them. Where it cannot tell, it returns None (the rule is then
searched in every message). It may only err towards None: the matcher checks each rule's own
examples and the tests compare it with one Set of every rule on a large corpus.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from itertools import product
from typing import Any

_MAX_STRINGS = 64  # strings in an exact set (products of alternatives grow fast)

Strings = frozenset[str]
# (exact, required): exact = every string the piece can match (None: unknown or too many);
# required = literals one of which every match of the piece contains (None: none known).
Info = tuple[Strings | None, Strings | None]


def required_literals(pattern: str) -> Strings | None:
    """An OR-set of literals every match of `pattern` contains, or None."""
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    if tree.state.flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE):
        return None
    return _sequence(list(tree))[1]


def _best(options: list[Strings]) -> Strings | None:
    """The most selective requirement: the longest shortest literal, then the fewest. Length
    in UTF-8 bytes: one Chinese character (3 bytes) is rarer in chat text than one Latin
    letter, which nearly every English message holds ("u" for USDT)."""
    usable = [o for o in options if o and "" not in o]
    if not usable:
        return None
    return max(usable, key=lambda o: (min(len(s.encode("utf-8")) for s in o), -len(o)))


def _sequence(items: list[tuple[Any, Any]]) -> Info:
    infos = [_item(op, av) for op, av in items]
    options: list[Strings] = []
    run: Strings = frozenset({""})  # exact strings of the current run of exact pieces
    exact = True
    for ex, rq in infos:
        if rq is not None:
            options.append(rq)
        if ex is not None and len(run) * len(ex) <= _MAX_STRINGS:
            run = frozenset(a + b for a, b in product(run, ex))
            continue
        options.append(run)
        exact = False  # the run is cut: the whole piece's exact strings are no longer known
        run = ex if ex is not None else frozenset({""})
    options.append(run)
    return (run if exact else None), _best(options)


def _item(op: Any, av: Any) -> Info:
    if op is sre.LITERAL:
        s = frozenset({chr(av)})
        return s, s
    if op is sre.AT:  # ^, $, \b: zero width, so literals on both sides stay adjacent
        return frozenset({""}), None
    if op is sre.IN:  # a class of plain characters is a set of one-character strings
        chars = []
        for o, a in av:
            if o is not sre.LITERAL:
                return None, None
            chars.append(chr(a))
        s = frozenset(chars)
        return (s, s) if len(s) <= _MAX_STRINGS else (None, None)
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & sre.SRE_FLAG_IGNORECASE:
            return None, None
        return _sequence(list(sub))
    if op is sre.BRANCH:
        parts = [_sequence(list(b)) for b in av[1]]
        exacts = [e for e, _ in parts]
        ex: Strings | None = None
        if all(e is not None for e in exacts):
            ex = frozenset().union(*[e for e in exacts if e is not None])
            ex = ex if len(ex) <= _MAX_STRINGS else None
        reqs = [r for _, r in parts]
        rq = None
        if all(r is not None for r in reqs):
            rq = frozenset().union(*[r for r in reqs if r is not None])
        return ex, rq
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, hi, sub = av
        ex, rq = _sequence(list(sub))
        if lo == hi == 1:
            return ex, rq
        return None, (rq if lo >= 1 else None)
    return None, None  # any character, categories, anything else: no literal known
