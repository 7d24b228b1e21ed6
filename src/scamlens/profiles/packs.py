"""The two rule packs (rules_profile/, rules_jobad/) and rule evidence over an item's fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import RulePack, load_rulepack
from scamlens.model import Evidence
from scamlens.profiles.model import Signal
from scamlens.text.normalize import fold

PACK_DIRS = {"profile": "rules_profile", "job_ad": "rules_jobad"}
NEGATED_FACTOR = 0.5  # a negated hit ("we never keep your passport") argues against, softly


@dataclass(frozen=True)
class Pack:
    kind: str
    rules: RulePack
    matcher: Matcher

    @property
    def version(self) -> str:
        return self.rules.version


def pack_root(kind: str) -> Traversable:
    return resources.files("scamlens").joinpath(PACK_DIRS[kind])


@lru_cache(maxsize=2)
def load_pack(kind: str) -> Pack:
    """The compiled rule pack for 'profile' or 'job_ad' (loaded once per process)."""
    rules = load_rulepack(pack_root(kind))
    return Pack(kind, rules, Matcher(rules))


def rule_evidence(pack: Pack, fields: Iterable[tuple[str, str]]) -> list[Evidence]:
    """Evidence of every rule that fires in each (field name, text); spans into that text."""
    out: list[Evidence] = []
    for name, text in fields:
        if not text:
            continue
        for hit in pack.matcher.match(text, fold(text)):
            tactic = pack.rules.tactic_of(hit.rule)
            counter = tactic.counter or hit.negated
            score = tactic.weight * (NEGATED_FACTOR if hit.negated and not tactic.counter else 1.0)
            out.append(
                Evidence(
                    tactic=tactic.id,
                    source=f"rule:{hit.rule.id}",
                    score=round(score, 4),
                    quote=text[hit.start : hit.end],
                    start=hit.start,
                    end=hit.end,
                    counter=counter,
                    note=name,
                )
            )
    return out


def rule_signals(pack: Pack, evidence: Iterable[Evidence]) -> list[Signal]:
    """One signal per tactic (and one per negated tactic), scored by its best evidence."""
    groups: dict[tuple[str, bool], list[Evidence]] = {}
    for ev in evidence:
        groups.setdefault((ev.tactic, ev.counter), []).append(ev)
    out = []
    for (tid, counter), evs in groups.items():
        tactic = pack.rules.tactics[tid]
        name = tactic.name if counter == tactic.counter else f"{tactic.name} (negated)"
        evs.sort(key=lambda e: (-e.score, e.note or "", e.start))
        out.append(Signal(tid, name, max(e.score for e in evs), tuple(evs), counter=counter))
    return out
