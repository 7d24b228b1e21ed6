"""Match every rule of a pack against a text in one linear pass.

An RE2 Set says which rules match anywhere in the folded text; only those rules are then
searched again for their spans. Most messages match nothing, so the common path is one Set scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import re2

from scamlens.detect.rulepack import WARNING_GROUP, Rule, RulePack
from scamlens.re2raw import first_span_finder
from scamlens.text.normalize import fold, to_original_spans

# Negation cues looked for just before a hit, inside the same clause.
_NEGATION = re2.compile(
    r"(?:\b(?:not|never|no|don'?t|won'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|cannot|can'?t|"
    r"without|refuse[sd]?|nobody|neither|nor)\b|不|没|别|未|无需|无须|拒绝)[^.!?\n。！？]{0,24}$"
)
_NEG_WINDOW = 40
# "if you don't pay ..." is a threat, not a negation.
_CONDITIONAL = re2.compile(r"\b(?:if|unless|or|otherwise)\s+(?:you\s+|u\s+|we\s+)?$")
# The whole pack in one Set needs far more than RE2's default 8 MiB, or its lazily built DFA
# keeps being flushed and matching slows ~50x. This is a cap, not an allocation: the DFA grows
# only with the states real text visits (see bench/bench_score.py for the resident memory).
_RE2_MAX_MEM = 256 << 20


_find_negation = first_span_finder(_NEGATION)
_find_conditional = first_span_finder(_CONDITIONAL)


def _negated(window: str) -> bool:
    """A negation cue ends `window` (the text just before a hit) and no "if" precedes it."""
    neg = _find_negation(window, window.encode("utf-8"))
    if neg is None:
        return False
    before = window[: neg[0]]
    return _find_conditional(before, before.encode("utf-8")) is None


def _options() -> re2.Options:
    opts = re2.Options()
    opts.max_mem = _RE2_MAX_MEM
    return opts


# (rule index, start, end, negated): a rule's first match, its span in the original text.
HitSpan = tuple[int, int, int, bool]


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: Rule
    start: int  # span in the ORIGINAL text
    end: int
    negated: bool


class Matcher:
    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self._rules = pack.rules
        opts = _options()
        self._set = re2.Set.SearchSet(opts)
        for rule in self._rules:
            self._set.Add(rule.regex)
        self._set.Compile()
        # The binding's own Set takes UTF-8 bytes and returns a list: calling it directly
        # skips the wrapper's per-call Python (half the cost of matching a short message).
        raw = getattr(self._set, "_set", None)
        self._set_match: Callable[[bytes], list[int] | None] = (
            raw.Match if raw is not None else self._set.Match
        )
        # Single rules run only on texts the Set matched: RE2's defaults suffice there.
        self._compiled = [re2.compile(r.regex) for r in self._rules]
        self._searchers = [first_span_finder(c) for c in self._compiled]

    def match_ids(self, folded: str) -> list[int]:
        """Indices (into pack.rules) of the rules that match the folded text."""
        found = self._set_match(folded.encode("utf-8"))  # empty (or None) when nothing matches
        return sorted(found) if found else []

    def match_ids_many(self, folded: Iterable[str]) -> list[list[int]]:
        """`match_ids` of each folded text (one tight loop: most texts match nothing)."""
        match = self._set_match
        seen: dict[str, list[int]] = {}  # a repeated text is scanned once (lists are shared)
        out = []
        for t in folded:
            ids = seen.get(t)
            if ids is None:
                found = match(t.encode("utf-8"))
                ids = seen[t] = sorted(found) if found else []
            out.append(ids)
        return out

    def match(self, text: str, folded: str | None = None) -> list[RuleHit]:
        """All rules that match `text`, each with the span of its first match."""
        if folded is None:
            folded = fold(text)
        return self.hits(text, folded, self.match_ids(folded))

    def hits(self, text: str, folded: str, ids: Iterable[int]) -> list[RuleHit]:
        """The hits of the rules `ids` (from `match_ids(folded)`) on `text`."""
        rules = self._rules
        return [
            RuleHit(rule=rules[idx], start=start, end=end, negated=negated)
            for idx, start, end, negated in self.hit_spans(text, folded, ids)
        ]

    def hit_spans(self, text: str, folded: str, ids: Iterable[int]) -> list[HitSpan]:
        """`hits` as (rule index, start, end, negated) tuples, spans in `text`."""
        found: list[tuple[int, int, int, bool]] = []  # rule index, span in `folded`, negated
        data = folded.encode("utf-8")
        for idx in ids:
            span = self._searchers[idx](folded, data)
            if span is None:  # pragma: no cover - the Set said it matches
                continue
            fstart, fend = span
            negated = False
            if self._rules[idx].negatable and fstart > 0:
                negated = _negated(folded[max(0, fstart - _NEG_WINDOW) : fstart])
            found.append((idx, fstart, fend, negated))
        if len(folded) == len(text) and text.isascii():  # ASCII folding keeps every index
            return found
        spans = to_original_spans(text, [(f[1], f[2]) for f in found])
        return [
            (idx, start, end, negated)
            for (idx, _, _, negated), (start, end) in zip(found, spans, strict=True)
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
