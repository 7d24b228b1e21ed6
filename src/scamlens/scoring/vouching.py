"""A scammer's warning about "other scams" as the set-up of their own pitch.

"There are so many scammers online, be careful. Scammers ask you to pay a tax to withdraw. But
our platform is licensed": a voiding tactic (`vouches_against_scams`) cancels the message's
warning counter-evidence, while the tactics its warning half names (the tax) are what scams
do, not a demand, and stay weighed as quoted. Each rule of such a tactic names that half
`(?P<warning>...)` (checked when the pack loads).

In a chat the same pitch is often two bubbles: the warning, then "But our platform is
licensed". `link_split_pitches` reads each warning message of the other party together with
the same sender's next message and, when a voiding rule matches across the two, moves the
hit to the pitch and cancels the warning's counter-evidence there too.
"""

from __future__ import annotations

from collections.abc import Sequence

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import RulePack, Tactic
from scamlens.model import Evidence, Message
from scamlens.text.normalize import fold

SPLIT_NOTE = "set up by the warning in the message before"
DESCRIBED_NOTE = "named in a warning about other scams that sets up the pitch"
_JOINER = " "


def voiding_rules(pack: RulePack) -> frozenset[int]:
    """Indices (into pack.rules) of the rules of tactics that void others."""
    return frozenset(i for i, r in enumerate(pack.rules) if pack.tactic_of(r).voids)


def described_spans(
    matcher: Matcher, text: str, folded: str, ids: Sequence[int], voiding: frozenset[int]
) -> list[tuple[int, int]]:
    """Warning halves (spans in `text`) of the voiding rules among `ids`."""
    out = []
    for idx in ids:
        if idx in voiding and (span := matcher.warning_span(text, folded, idx)) is not None:
            out.append(span)
    return out


def inside(start: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start < e for s, e in spans)


def _voided_counters(tactics: Sequence[Tactic]) -> set[str]:
    return {v for t in tactics for v in t.voids}


def voidable_counters(pack: RulePack) -> frozenset[str]:
    """Counter tactics that some tactic of the pack voids."""
    return frozenset(_voided_counters(list(pack.tactics.values())))


def link_split_pitches(
    matcher: Matcher,
    pack: RulePack,
    msgs: Sequence[Message],
    per_message: list[list[Evidence]],
    voidable: frozenset[str],
) -> None:
    """Rewrite `per_message` (evidence of each of `msgs`) where a warning message of the
    other party and the same sender's next message form one vouching pitch. `voidable`:
    `voidable_counters(pack)`, computed once per engine."""
    if not voidable:
        return
    for i in range(len(msgs) - 1):
        evs = per_message[i]
        if not evs or not any(e.counter and e.tactic in voidable for e in evs):
            continue  # most messages: no evidence at all
        m, n = msgs[i], msgs[i + 1]
        if m.is_user or m.sender is None or n.sender != m.sender:
            continue
        joined = m.text + _JOINER + n.text
        cut = len(m.text) + len(_JOINER)
        hits = [
            h
            for h in matcher.match(joined, fold(joined))
            if pack.tactic_of(h.rule).voids and not h.negated and h.start < cut < h.end
        ]
        if not hits:
            continue
        cancelled = _voided_counters([pack.tactic_of(h.rule) for h in hits])
        per_message[i] = [e for e in per_message[i] if not (e.counter and e.tactic in cancelled)]
        have = {e.tactic for e in per_message[i + 1]}
        for h in hits:
            tactic = pack.tactic_of(h.rule)
            if tactic.id in have:  # the pitch vouches on its own too
                continue
            have.add(tactic.id)
            per_message[i + 1] = [
                *per_message[i + 1],
                Evidence(
                    tactic=tactic.id,
                    source=f"rule:{h.rule.id}",
                    score=round(tactic.weight, 4),
                    quote=n.text[: h.end - cut],
                    message_index=n.index,
                    start=0,
                    end=h.end - cut,
                    note=SPLIT_NOTE,
                ),
            ]
