"""Match every rule of a pack against a text in one linear pass.

An RE2 Set says which rules match anywhere in the folded text; only those rules are then
searched again for their spans. Most messages match nothing, so the common path is one Set scan.
"""

from __future__ import annotations

from dataclasses import dataclass

import re2

from scamlens.detect.rulepack import Rule, RulePack
from scamlens.text.normalize import fold, to_original_span

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


def _options() -> re2.Options:
    opts = re2.Options()
    opts.max_mem = _RE2_MAX_MEM
    return opts


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
        # Single rules run only on texts the Set matched: RE2's defaults suffice there.
        self._compiled = [re2.compile(r.regex) for r in self._rules]

    def match_ids(self, folded: str) -> list[int]:
        """Indices (into pack.rules) of the rules that match the folded text."""
        found = self._set.Match(folded)  # None when nothing matches
        return sorted(found) if found else []

    def match(self, text: str, folded: str | None = None) -> list[RuleHit]:
        """All rules that match `text`, each with the span of its first match."""
        if folded is None:
            folded = fold(text)
        hits: list[RuleHit] = []
        for idx in self.match_ids(folded):
            m = self._compiled[idx].search(folded)
            if m is None:  # pragma: no cover - the Set said it matches
                continue
            fstart, fend = m.span()
            rule = self._rules[idx]
            negated = False
            if rule.negatable and fstart > 0:
                window = folded[max(0, fstart - _NEG_WINDOW) : fstart]
                neg = _NEGATION.search(window)
                negated = neg is not None and not _CONDITIONAL.search(window[: neg.start()])
            start, end = to_original_span(text, fstart, fend)
            hits.append(RuleHit(rule=rule, start=start, end=end, negated=negated))
        return hits
