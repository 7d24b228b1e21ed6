"""Match every rule of a pack against a text, in linear time.

Every match of a rule contains one of a few literals (its OR-set, prefilter.py), so a folded
text is searched only with the rules whose literals it holds, each alone; a rule that matches
keeps the span of its first match. A message holds the literals of a few rules at most (about
5 on chat text). Where the C extension `_trees` is built, one pass of it finds every literal
of the pack, the OR-sets and each rule's whole AND/OR tree of literals (prefilter.py), and
keeps only the rules whose tree holds: fewer than one search a message. Without it an RE2 Set
of the OR-set literals names the rules and each is searched (same result, slower)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

import re2

from scamlens.detect.prefilter import Tree, required_literals, required_tree, tree_holds
from scamlens.detect.rulepack import WARNING_GROUP, Rule, RulePack
from scamlens.re2raw import first_span_finder
from scamlens.text.normalize import fold, to_original_spans

_native: ModuleType | None
try:
    from scamlens.detect import _trees as _native
except ImportError:  # pragma: no cover - built wherever a C compiler was found
    _native = None
if os.environ.get("SCAMLENS_NO_NATIVE"):  # as for the other C extensions: Python paths only
    _native = None

if TYPE_CHECKING:
    from scamlens.detect._trees import Trees

# Negation cues looked for just before a hit, inside the same clause.
_NEGATION = re2.compile(
    r"(?:\b(?:not|never|no|don'?t|won'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|cannot|can'?t|"
    r"without|refuse[sd]?|nobody|neither|nor)\b|不|没|别|未|无需|无须|拒绝)[^.!?\n。！？]{0,24}$"
)
_NEG_WINDOW = 40
# "if you don't pay ..." is a threat, not a negation.
_CONDITIONAL = re2.compile(r"\b(?:if|unless|or|otherwise)\s+(?:you\s+|u\s+|we\s+)?$")
# The literal Set holds thousands of strings, so its lazily built DFA gets room beyond RE2's
# default 8 MiB. A cap, not an allocation: the DFA grows only with the states text visits.
# A single rule's Set keeps the default.
_RE2_MAX_MEM = 64 << 20


_find_negation = first_span_finder(_NEGATION)
_find_conditional = first_span_finder(_CONDITIONAL)


def _negated(window: str) -> bool:
    """A negation cue ends `window` (the text just before a hit) and no "if" precedes it."""
    neg = _find_negation(window, window.encode("utf-8"))
    if neg is None:
        return False
    before = window[: neg[0]]
    return _find_conditional(before, before.encode("utf-8")) is None


# Whether a rule matches a folded text.
Matches = Callable[[str], bool]


def _checked_literals(rule: Rule, matches: Matches) -> frozenset[str] | None:
    """The rule's literals (prefilter.py), None if one of its own examples that it matches
    holds none of them (the derivation would be wrong for this pattern: search it always)."""
    literals = required_literals(rule.regex)
    if literals is None:
        return None
    for example in rule.match:
        folded = fold(example)
        if matches(folded) and not any(lit in folded for lit in literals):
            return None
    return literals


def _checked_tree(rule: Rule, matches: Matches) -> Tree:
    """The rule's literal tree (prefilter.py), None (no test) if one of its own examples that
    it matches does not satisfy it."""
    tree = required_tree(rule.regex)
    for example in rule.match:
        folded = fold(example)
        if matches(folded) and not tree_holds(tree, folded):
            return None
    return tree


def _program(tree: Tree, ids: dict[str, int]) -> list[int]:
    """`tree` as _trees.c reads it: [0, literal] or [1 (and) | 2 (or), children, size, ...]."""
    if tree is None:
        return []
    if isinstance(tree, str):
        if tree not in ids:
            ids[tree] = len(ids)
        return [0, ids[tree]]
    op, kids = tree
    body = [v for k in kids for v in _program(k, ids)]
    return [1 if op == "and" else 2, len(kids), 3 + len(body), *body]


def _native_trees(
    rules: Sequence[Rule],
    set_literals: dict[str, int],
    by_literal: list[list[int]],
    matches: Sequence[Matches],
) -> Trees | None:
    """The C literals and trees of `rules` (None without the extension). The OR-set
    literals come first, with the ids `by_literal` knows them by."""
    if _native is None:
        return None
    ids = dict(set_literals)
    programs = [_program(_checked_tree(r, m), ids) for r, m in zip(rules, matches, strict=True)]
    literals = [lit.encode("utf-8") for lit in ids]  # dicts keep insertion order: ids match
    trees: Trees = _native.Trees(literals, by_literal, programs)
    return trees


def _options() -> re2.Options:
    opts = re2.Options()
    opts.max_mem = _RE2_MAX_MEM
    return opts


# (rule index, start, end): a rule's first match, its span in the FOLDED text.
FoldedSpan = tuple[int, int, int]
# (rule index, start, end, negated): a rule's first match, its span in the original text.
HitSpan = tuple[int, int, int, bool]


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    start: int  # span in the ORIGINAL text
    end: int
    negated: bool


def _set_matcher(patterns: Iterable[str], opts: re2.Options) -> Callable[[bytes], list[int]]:
    """`Match` of an RE2 Set of `patterns` (unanchored): indices of those found in UTF-8 bytes.

    The binding's own Set takes bytes and returns a list: calling it directly skips the
    wrapper's per-call Python (half the cost of scanning a short message)."""
    rx_set = re2.Set.SearchSet(opts)
    for p in patterns:
        rx_set.Add(p)
    rx_set.Compile()
    raw = getattr(rx_set, "_set", None)
    if raw is not None:
        match: Callable[[bytes], list[int]] = raw.Match  # [] for nothing
        return match

    def public(data: bytes) -> list[int]:
        return rx_set.Match(data) or []  # the wrapper gives None for nothing

    return public


class Matcher:
    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self._rules = pack.rules
        self._compiled = [re2.compile(r.regex) for r in self._rules]
        self._searchers = [first_span_finder(c) for c in self._compiled]
        matches = [self._matches(idx) for idx in range(len(self._rules))]
        literal_ids: dict[str, int] = {}
        self._by_literal: list[list[int]] = []  # literal -> the rules it stands for, in order
        self._always: list[int] = []  # rules with no literal known: searched in every text
        for idx, rule in enumerate(self._rules):
            literals = _checked_literals(rule, matches[idx])
            if literals is None:
                self._always.append(idx)
                continue
            for lit in sorted(literals):
                if lit not in literal_ids:
                    literal_ids[lit] = len(self._by_literal)
                    self._by_literal.append([])
                self._by_literal[literal_ids[lit]].append(idx)
        self._literals = _set_matcher(map(re2.escape, literal_ids), _options())
        self._trees = _native_trees(self._rules, literal_ids, self._by_literal, matches)

    def _matches(self, idx: int) -> Matches:
        search = self._searchers[idx]
        return lambda folded: search(folded, folded.encode("utf-8")) is not None

    def folded_spans(self, folded: str) -> list[FoldedSpan]:
        """The rules that match the folded text, in order, each with its first match's span
        in `folded`. One search a rule finds both (a separate "does it match" scan cost a
        second forward pass over the text for every rule that does)."""
        data = folded.encode("utf-8")
        candidates: Iterable[int]
        if self._trees is not None:
            candidates = self._trees.candidates(data)
            if not candidates and not self._always:
                return []
        else:
            found = self._literals(data)
            if not found and not self._always:
                return []
            if len(found) == 1:
                candidates = self._by_literal[found[0]]
            else:
                candidates = sorted({i for f in found for i in self._by_literal[f]})
        if self._always:
            candidates = sorted({*candidates, *self._always})
        search = self._searchers
        return [(i, *span) for i in candidates if (span := search[i](folded, data)) is not None]

    def folded_spans_many(self, folded: Iterable[str]) -> list[list[FoldedSpan]]:
        """`folded_spans` of each folded text (a repeated text is matched once; lists are
        shared)."""
        folded_spans = self.folded_spans
        seen: dict[str, list[FoldedSpan]] = {}
        out = []
        for t in folded:
            spans = seen.get(t)
            if spans is None:
                spans = seen[t] = folded_spans(t)
            out.append(spans)
        return out

    def match_ids(self, folded: str) -> list[int]:
        """Indices (into pack.rules) of the rules that match the folded text, in order."""
        return [s[0] for s in self.folded_spans(folded)]

    def match_ids_many(self, folded: Iterable[str]) -> list[list[int]]:
        """`match_ids` of each folded text."""
        return [[s[0] for s in spans] for spans in self.folded_spans_many(folded)]

    def match(self, text: str, folded: str | None = None) -> list[RuleHit]:
        """All rules that match `text`, each with the span of its first match."""
        if folded is None:
            folded = fold(text)
        rules = self._rules
        return [
            RuleHit(rule=rules[idx], start=start, end=end, negated=negated)
            for idx, start, end, negated in self.in_text(text, folded, self.folded_spans(folded))
        ]

    def hits(self, text: str, folded: str, ids: Iterable[int]) -> list[RuleHit]:
        """The hits of the rules `ids` (from `match_ids(folded)`) on `text`."""
        rules = self._rules
        return [
            RuleHit(rule=rules[idx], start=start, end=end, negated=negated)
            for idx, start, end, negated in self.hit_spans(text, folded, ids)
        ]

    def hit_spans(self, text: str, folded: str, ids: Iterable[int]) -> list[HitSpan]:
        """`hits` as (rule index, start, end, negated) tuples, spans in `text`."""
        data = folded.encode("utf-8")
        search = self._searchers
        spans = [(i, *span) for i in ids if (span := search[i](folded, data)) is not None]
        return self.in_text(text, folded, spans)

    def in_text(self, text: str, folded: str, spans: Iterable[FoldedSpan]) -> list[HitSpan]:
        """`folded_spans(folded)` as `hit_spans`: spans in `text`, and whether a negation
        cue comes just before each."""
        found: list[HitSpan] = []  # spans in `folded` until mapped below
        rules = self._rules
        for idx, fstart, fend in spans:
            negated = False
            if rules[idx].negatable and fstart > 0:
                negated = _negated(folded[max(0, fstart - _NEG_WINDOW) : fstart])
            found.append((idx, fstart, fend, negated))
        if len(folded) == len(text) and text.isascii():  # ASCII folding keeps every index
            return found
        mapped = to_original_spans(text, [(f[1], f[2]) for f in found])
        return [
            (idx, start, end, negated)
            for (idx, _, _, negated), (start, end) in zip(found, mapped, strict=True)
        ]

    def warning_span(self, text: str, folded: str, idx: int) -> tuple[int, int] | None:
        """Span in `text` of the warning half (the `warning` group) of rule `idx`'s first
        match, None when the rule names none or does not match. Voiding hits are rare: the
        public wrapper is fast enough here."""
        rx = self._compiled[idx]
        group = rx.groupindex.get(WARNING_GROUP)
        m = None if group is None else rx.search(folded)
        if m is None or m.start(group) < 0:
            return None
        span = (m.start(group), m.end(group))
        if len(folded) == len(text) and text.isascii():
            return span
        return to_original_spans(text, [span])[0]
