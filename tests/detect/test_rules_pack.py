"""Structural checks on the bundled rule pack: ids, stages, weights, languages, safety."""

from __future__ import annotations

import random
import re
from importlib import resources

import re2

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import RulePack, load_rulepack
from scamlens.model import Stage
from scamlens.text.normalize import fold

PACK: RulePack = load_rulepack()
MATCHER = Matcher(PACK)

# The tactic ids other parts of scamlens (and the learned models) share with this pack.
REQUIRED: dict[str, Stage | None] = {
    "wrong_number_opener": Stage.CONTACT,
    "dating_app_opener": Stage.CONTACT,
    "professional_opener": Stage.CONTACT,
    "group_invite": Stage.CONTACT,
    "move_to_messenger": Stage.OFF_PLATFORM,
    "love_bombing": Stage.GROOMING,
    "future_together": Stage.GROOMING,
    "daily_care": Stage.GROOMING,
    "avoid_video_call": Stage.GROOMING,
    "probe_finances": Stage.GROOMING,
    "persona_wealth": Stage.GROOMING,
    "insider_tip": Stage.INVESTMENT_PIVOT,
    "mentor_or_relative_expert": Stage.INVESTMENT_PIVOT,
    "profit_screenshots": Stage.INVESTMENT_PIVOT,
    "guaranteed_returns": Stage.INVESTMENT_PIVOT,
    "exclusivity_trust": Stage.INVESTMENT_PIVOT,
    "platform_link": Stage.ONBOARDING,
    "buy_usdt_instructions": Stage.ONBOARDING,
    "customer_service_guide": Stage.ONBOARDING,
    "first_deposit": Stage.ONBOARDING,
    "fake_profits_shown": Stage.FATTENING,
    "small_withdrawal_allowed": Stage.FATTENING,
    "vip_tiers_bonus": Stage.FATTENING,
    "limited_window": Stage.FATTENING,
    "borrow_or_loan": Stage.ESCALATION,
    "chip_in_offer": Stage.ESCALATION,
    "urgency_pressure": Stage.ESCALATION,
    "guilt_and_threats": Stage.ESCALATION,
    "withdrawal_tax": Stage.WITHDRAWAL_BLOCK,
    "withdrawal_fee": Stage.WITHDRAWAL_BLOCK,
    "frozen_account": Stage.WITHDRAWAL_BLOCK,
    "unlock_deposit": Stage.WITHDRAWAL_BLOCK,
    "aml_verification_fee": Stage.WITHDRAWAL_BLOCK,
    "fake_regulator_letter": Stage.WITHDRAWAL_BLOCK,
    "credit_score_penalty": Stage.WITHDRAWAL_BLOCK,
    "recovery_scam_offer": Stage.EXIT_RECOVERY,
    "vanished_or_blocked": Stage.EXIT_RECOVERY,
    "warning_or_news": None,
    "user_refusal": None,
    "user_suspicion": None,
    "legit_service_context": None,
}

# How much one hit alone may weigh, per stage (guidance in the rule pack's design notes).
WEIGHT_RANGE = {
    Stage.CONTACT: (0.1, 0.35),
    Stage.OFF_PLATFORM: (0.1, 0.35),
    Stage.GROOMING: (0.1, 0.35),
    Stage.INVESTMENT_PIVOT: (0.4, 0.6),
    Stage.ONBOARDING: (0.5, 0.75),
    Stage.FATTENING: (0.5, 0.75),
    Stage.ESCALATION: (0.3, 0.75),
    Stage.WITHDRAWAL_BLOCK: (0.8, 0.95),
    Stage.EXIT_RECOVERY: (0.8, 0.95),
}


def test_required_tactics_have_their_stage() -> None:
    for tid, stage in REQUIRED.items():
        assert tid in PACK.tactics, f"missing tactic {tid}"
        tactic = PACK.tactics[tid]
        assert tactic.stage == stage, tid
        assert tactic.counter == (stage is None), tid


def test_every_tactic_has_english_and_chinese_rules() -> None:
    for tactic in PACK.tactics.values():
        langs = {r.lang for r in tactic.rules}
        assert {"en", "zh"} <= langs, f"{tactic.id} has rules only in {langs}"


def test_weights_follow_stage_guidance() -> None:
    for tactic in PACK.tactics.values():
        if tactic.stage is None:
            continue
        low, high = WEIGHT_RANGE[tactic.stage]
        assert low <= tactic.weight <= high, f"{tactic.id} weight {tactic.weight}"


def test_speakers() -> None:
    assert PACK.tactics["user_refusal"].speaker == "user"
    assert PACK.tactics["user_suspicion"].speaker == "user"
    # money tactics that victims retell in their own words count from either side
    for tid in (
        "withdrawal_tax",
        "withdrawal_fee",
        "frozen_account",
        "unlock_deposit",
        "chip_in_offer",
    ):
        assert PACK.tactics[tid].speaker == "any"
    for tid in ("love_bombing", "daily_care", "avoid_video_call", "recovery_scam_offer"):
        assert PACK.tactics[tid].speaker == "other"


def test_every_rule_has_several_examples() -> None:
    for rule in PACK.rules:
        assert len(rule.match) >= 1, rule.id
    for tactic in PACK.tactics.values():
        matches = sum(len(r.match) for r in tactic.rules)
        negatives = sum(len(r.no_match) for r in tactic.rules) + len(tactic.no_match)
        assert matches >= 4, f"{tactic.id}: only {matches} match examples"
        assert negatives >= 3, f"{tactic.id}: only {negatives} no_match examples"


# Unbounded wildcard runs let a rule join words far apart; gaps must be bounded. Word and
# separator runs (\w+, \W+, \s+, \d+) are the bounded-word-gap idiom and are allowed.
_CLASS = re.compile(r"\[(\^?)((?:\\.|[^\]\\])*)\]([*+]?)")
_WILD = re.compile(r"(?<!\\)\.[*+]|\\S[*+]")


def _unbounded(pattern: str) -> bool:
    for neg, body, rep in _CLASS.findall(pattern):
        # A negated class repeated without a bound ([^x]*) crosses words, unless it also
        # excludes word characters ([^\w!?]+ is a separator run, like \W+).
        if neg and rep and "\\w" not in body:
            return True
    return _WILD.search(_CLASS.sub("C", pattern)) is not None


def test_unbounded_check_itself() -> None:
    assert _unbounded("a.*b") and _unbounded("a[^x]+b") and _unbounded(r"a\S*b")
    assert not _unbounded(r"a[\s.*-]{0,2}b") and not _unbounded(r"a\W+(?:\w+\W+){0,6}?b")
    assert not _unbounded(r"a(?:[^\w!?\n]+\w+){0,9}?b")


def test_patterns_have_no_unbounded_wildcards() -> None:
    base = resources.files("scamlens").joinpath("rules")
    for node in base.joinpath("tactics").iterdir():
        if not node.name.endswith(".yaml"):
            continue
        for n, line in enumerate(node.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("pattern:"):
                assert not _unbounded(stripped), f"{node.name}:{n} unbounded wildcard"


def test_set_agrees_with_single_rules_on_long_text() -> None:
    # A long text full of triggers makes the Set's DFA reset its cache many times; it must
    # still report exactly what the rules report one by one.
    examples = [t for r in PACK.rules for t in (*r.match, *r.no_match)]
    rng = random.Random(7)
    text = fold(" ".join(rng.choice(examples) for _ in range(1500)))
    from_set = set(MATCHER.match_ids(text))
    single = {i for i, r in enumerate(PACK.rules) if re2.compile(r.regex).search(text)}
    assert from_set == single


def test_benign_chatter_hits_nothing() -> None:
    chatter = [
        "ok see you at 7",
        "lol that's hilarious",
        "Can you pick up milk on the way home?",
        "The meeting got moved to Thursday afternoon",
        "明天几点开会？",
        "我到家了，晚安",
        "",
        "👍",
    ]
    for text in chatter:
        assert MATCHER.match(text) == [], text
