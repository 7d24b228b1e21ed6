"""One contract test over every rule of the profile and job-ad packs: its examples must and
must not match (mirrors tests/detect/test_rule_contract.py)."""

from __future__ import annotations

import pytest

from scamlens.detect.rulepack import Rule, Tactic
from scamlens.profiles.packs import Pack, load_pack

PACKS: dict[str, Pack] = {kind: load_pack(kind) for kind in ("profile", "job_ad")}
RULES = [(kind, r) for kind, p in PACKS.items() for r in p.rules.rules]
TACTICS = [(kind, t) for kind, p in PACKS.items() for t in p.rules.tactics.values()]


def _fired(kind: str, text: str) -> set[str]:
    return {h.rule.id for h in PACKS[kind].matcher.match(text)}


@pytest.mark.parametrize(("kind", "rule"), RULES, ids=lambda x: x if isinstance(x, str) else x.id)
def test_rule_matches_its_examples(kind: str, rule: Rule) -> None:
    for text in rule.match:
        assert rule.id in _fired(kind, text), f"{rule.id} should match: {text!r}"
    for text in rule.no_match:
        assert rule.id not in _fired(kind, text), f"{rule.id} should not match: {text!r}"


@pytest.mark.parametrize(
    ("kind", "tactic"), TACTICS, ids=lambda x: x if isinstance(x, str) else x.id
)
def test_tactic_no_match_examples(kind: str, tactic: Tactic) -> None:
    own = {r.id for r in tactic.rules}
    for text in tactic.no_match:
        assert not (own & _fired(kind, text)), f"{tactic.id} should not fire on: {text!r}"


@pytest.mark.parametrize("kind", list(PACKS))
def test_packs_have_both_languages_and_no_stage(kind: str) -> None:
    pack = PACKS[kind].rules
    assert {r.lang for r in pack.rules} == {"en", "zh"}
    assert all(t.stage is None for t in pack.tactics.values())
    for tactic in pack.tactics.values():
        langs = {r.lang for r in tactic.rules}
        assert langs == {"en", "zh"} or tactic.id in _ENGLISH_ONLY, tactic.id


_ENGLISH_ONLY = {"licensed_agency"}  # licence formats are English acronyms (DMW, EA, POEA)


@pytest.mark.parametrize("kind", list(PACKS))
def test_pack_version_is_content_hash(kind: str) -> None:
    version = PACKS[kind].version
    assert "+" in version
    from scamlens.detect.rulepack import load_rulepack
    from scamlens.profiles.packs import pack_root

    assert load_rulepack(pack_root(kind)).version == version
