"""One contract test over every rule: its examples must and must not match."""

from __future__ import annotations

import pytest

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import RulePack, load_rulepack

PACK: RulePack = load_rulepack()
MATCHER = Matcher(PACK)


def _fired(text: str) -> set[str]:
    return {h.rule.id for h in MATCHER.match(text)}


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_rule_matches_its_examples(rule: object) -> None:
    from scamlens.detect.rulepack import Rule

    assert isinstance(rule, Rule)
    for text in rule.match:
        assert rule.id in _fired(text), f"{rule.id} should match: {text!r}"
    for text in rule.no_match:
        assert rule.id not in _fired(text), f"{rule.id} should not match: {text!r}"


@pytest.mark.parametrize("tactic", list(PACK.tactics.values()), ids=lambda t: t.id)
def test_tactic_no_match_examples(tactic: object) -> None:
    from scamlens.detect.rulepack import Tactic

    assert isinstance(tactic, Tactic)
    own = {r.id for r in tactic.rules}
    for text in tactic.no_match:
        assert not (own & _fired(text)), f"{tactic.id} should not fire on: {text!r}"


def test_pack_version_is_content_hash() -> None:
    assert "+" in PACK.version
    assert load_rulepack().version == PACK.version


@pytest.mark.parametrize("rule", PACK.victim_voice, ids=lambda r: r.id)
def test_victim_voice_rule_matches_its_examples(rule: object) -> None:
    import re2

    from scamlens.detect.rulepack import Rule
    from scamlens.text.normalize import fold

    assert isinstance(rule, Rule)
    pattern = re2.compile(rule.regex)
    for text in rule.match:
        assert pattern.search(fold(text)), f"{rule.id} should match: {text!r}"
    for text in rule.no_match:
        assert not pattern.search(fold(text)), f"{rule.id} should not match: {text!r}"


def test_the_pack_has_victim_voice_rules_in_both_languages() -> None:
    assert {r.lang for r in PACK.victim_voice} == {"en", "zh"}
