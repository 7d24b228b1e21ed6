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

`required_tree` keeps the whole AND/OR structure instead of the one best OR-set: "withdraw"
and then, within 14 words, one of the fee words. A message holds a rule's OR-set literal far
more often than it holds the whole tree (on new chat text ~5.4 rules a message against ~0.6),
so where the C pass (_trees.c) is built the matcher searches only the rules whose tree holds.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Sequence
from itertools import product
from typing import Any, Literal

_MAX_STRINGS = 64  # strings in an exact set (products of alternatives grow fast)
# Tree literals shorter than this (in UTF-8 bytes) are dropped: nearly every message holds a
# single letter, so testing it costs more than it rejects.
_MIN_TREE_BYTES = 2

Strings = frozenset[str]
# A tree: a literal, ("and" | "or", children), or None for "nothing required".
Tree = str | tuple[Literal["and", "or"], tuple["Tree", ...]] | None
# (exact, required, tree): exact = every string the piece can match (None: unknown or too
# many); required = literals one of which every match of the piece contains (None: none
# known); tree = what every match contains, as a tree.
Info = tuple[Strings | None, Strings | None, Tree]


def required_literals(pattern: str) -> Strings | None:
    """An OR-set of literals every match of `pattern` contains, or None."""
    return _pattern(pattern)[1]


def required_tree(pattern: str) -> Tree:
    """What every match of `pattern` contains, as an AND/OR tree of literals (None: nothing
    known). AND children come cheapest first (fewest literals), so a test stops early."""
    return _pattern(pattern)[2]


def _pattern(pattern: str) -> Info:
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return _NOTHING
    if tree.state.flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE):
        return _NOTHING
    return _sequence(list(tree))


def tree_holds(tree: Tree, text: str) -> bool:
    """Whether `text` contains what `tree` requires (the reference for _trees.c)."""
    if tree is None:
        return True
    if isinstance(tree, str):
        return tree in text
    op, kids = tree
    if op == "and":
        return all(tree_holds(k, text) for k in kids)
    return any(tree_holds(k, text) for k in kids)


def tree_size(tree: Tree) -> int:
    """Literals in `tree`: the most tests it can cost."""
    if tree is None:
        return 0
    if isinstance(tree, str):
        return 1
    return sum(tree_size(k) for k in tree[1])


def _any_of(strings: Strings) -> Tree:
    if any(len(s.encode("utf-8")) < _MIN_TREE_BYTES for s in strings):
        return None
    return _join("or", sorted(strings))


def _join(op: Literal["and", "or"], kids: Sequence[Tree]) -> Tree:
    """AND / OR of `kids`, flattened; None (nothing required) absorbs an OR, drops from an AND."""
    if op == "or" and any(k is None for k in kids):
        return None
    flat: list[Tree] = []
    for k in kids:
        if k is None:
            continue
        if isinstance(k, tuple) and k[0] == op:
            flat.extend(k[1])
        elif k not in flat:
            flat.append(k)
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    if op == "and":
        flat.sort(key=tree_size)
    return (op, tuple(flat))


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
    trees: list[Tree] = []
    run: Strings = frozenset({""})  # exact strings of the current run of exact pieces
    exact = True
    for ex, rq, tree in infos:
        if rq is not None:
            options.append(rq)
        if ex is None:  # an exact piece is in a run, whose strings hold its own
            trees.append(tree)
        if ex is not None and len(run) * len(ex) <= _MAX_STRINGS:
            run = frozenset(a + b for a, b in product(run, ex))
            continue
        options.append(run)
        trees.append(_any_of(run))
        exact = False  # the run is cut: the whole piece's exact strings are no longer known
        run = ex if ex is not None else frozenset({""})
    options.append(run)
    trees.append(_any_of(run))
    return (run if exact else None), _best(options), _join("and", trees)


_NOTHING: Info = (None, None, None)


def _item(op: Any, av: Any) -> Info:
    if op is sre.LITERAL:
        s = frozenset({chr(av)})
        return s, s, _any_of(s)
    if op is sre.AT:  # ^, $, \b: zero width, so literals on both sides stay adjacent
        return frozenset({""}), None, None
    if op is sre.IN:  # a class of plain characters is a set of one-character strings
        chars = []
        for o, a in av:
            if o is not sre.LITERAL:
                return _NOTHING
            chars.append(chr(a))
        s = frozenset(chars)
        return (s, s, _any_of(s)) if len(s) <= _MAX_STRINGS else _NOTHING
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & sre.SRE_FLAG_IGNORECASE:
            return _NOTHING
        return _sequence(list(sub))
    if op is sre.BRANCH:
        parts = [_sequence(list(b)) for b in av[1]]
        exacts = [e for e, _, _ in parts]
        ex: Strings | None = None
        if all(e is not None for e in exacts):
            ex = frozenset().union(*[e for e in exacts if e is not None])
            ex = ex if len(ex) <= _MAX_STRINGS else None
        reqs = [r for _, r, _ in parts]
        rq = None
        if all(r is not None for r in reqs):
            rq = frozenset().union(*[r for r in reqs if r is not None])
        return ex, rq, _join("or", [t for _, _, t in parts])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, hi, sub = av
        ex, rq, tree = _sequence(list(sub))
        if lo == hi == 1:
            return ex, rq, tree
        return (None, rq, tree) if lo >= 1 else _NOTHING
    return _NOTHING  # any character, categories, anything else: no literal known
