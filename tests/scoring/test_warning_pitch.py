"""A scammer's own warning ("beware of scams, but our platform is licensed") is part of the pitch.

Without the `voids` link, the warning half reads as counter-evidence and every tactic of the
message is weighed as quoted; with it, the pitch counts in full, while a real warning that
quotes the same line, and a real service's notice, keep their discount.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.detect.rulepack import load_rulepack
from scamlens.errors import RuleError
from scamlens.model import Conversation, Message, Verdict
from scamlens.scoring.engine import Engine, default_engine

PITCH_EN = (
    "There are so many scammers online, be careful. Scammers will ask you to pay a tax before "
    "you can withdraw. But our platform is licensed by FinCEN, your funds are 100% safe."
)
PITCH_ZH = "现在网上骗子很多，你要小心。但是我们这个平台是香港持牌的，很安全，你放心入金"
ARTICLE = (
    'Police warn that scammers say "our platform is licensed by FinCEN, your funds are 100% '
    'safe". Scammers will ask you to pay a tax before you can withdraw.'
)
EXCHANGE_NOTICE = (
    "Beware of scams, but rest assured our app is safe: we will never ask for your password. "
    "Never send crypto to anyone who asks you to pay a tax to withdraw."
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return default_engine()


def _evidence(v: Verdict) -> list[tuple[str, str | None]]:
    return [(e.tactic, e.note) for f in v.tactics for e in f.evidence]


def _counters(v: Verdict) -> set[str]:
    return {e.tactic for e in v.counter_evidence}


@pytest.mark.parametrize("text", [PITCH_EN, PITCH_ZH])
def test_a_pitch_that_warns_is_not_read_as_quoting(engine: Engine, text: str) -> None:
    v = engine.score_text(text)
    found = _evidence(v)
    assert ("vouches_against_scams", None) in found
    assert all(note is None for _, note in found)  # nothing weighed as quoted
    assert "warning_or_news" not in _counters(v)
    assert v.label == "scam"


def test_the_same_warning_without_the_pitch_still_discounts(engine: Engine) -> None:
    v = engine.score_text(
        "There are so many scammers online, be careful. Scammers will ask you to pay a tax "
        "before you can withdraw."
    )
    assert "warning_or_news" in _counters(v)
    assert all(note == "quoted in a warning or report" for _, note in _evidence(v))
    assert v.label == "benign"


def test_an_article_quoting_the_pitch_stays_a_warning(engine: Engine) -> None:
    v = engine.score_text(ARTICLE)
    assert "vouches_against_scams" not in {t for t, _ in _evidence(v)}
    assert "warning_or_news" in _counters(v)
    assert v.label == "benign"


def test_a_real_service_notice_keeps_its_counter_evidence(engine: Engine) -> None:
    v = engine.score_text(EXCHANGE_NOTICE)
    assert "legit_service_context" in _counters(v)
    assert all(note == "quoted in a warning or report" for _, note in _evidence(v))
    assert v.label == "benign"


def test_in_a_chat_only_the_pitch_message_loses_its_warning(engine: Engine) -> None:
    msgs = [
        Message(0, "Anna", "Good morning dear, did you sleep well?", is_user=False),
        Message(1, "Anna", PITCH_EN, is_user=False),
        Message(2, "Me", "Scammers will ask you to pay a tax, be careful", is_user=True),
    ]
    conv = Conversation(messages=tuple(msgs), source_format="test")
    v = engine.analyze(conv)
    counters = {(e.tactic, e.message_index) for e in v.counter_evidence}
    assert ("warning_or_news", 1) not in counters
    assert any(e.tactic == "vouches_against_scams" and e.message_index == 1
               for f in v.tactics for e in f.evidence)  # fmt: skip


def _pack_with(tmp_path: Path, tactic_yaml: str) -> Path:
    root = tmp_path / "rules"
    (root / "tactics").mkdir(parents=True)
    (root / "lexicon.yaml").write_text("version: 1\ngroups: {}\n", encoding="utf-8")
    counter = (
        "tactics:\n"
        "  - id: warns\n    counter: true\n    weight: 0.5\n    speaker: any\n"
        "    rules:\n      - id: en-w\n        pattern: 'beware'\n        match: ['beware']\n"
        "  - id: pitch\n    stage: onboarding\n    weight: 0.5\n" + tactic_yaml
    )
    (root / "tactics" / "a.yaml").write_text(counter, encoding="utf-8")
    return root


def test_voids_must_name_a_counter_tactic(tmp_path: Path) -> None:
    rules = "    rules:\n      - id: en-p\n        pattern: 'ours'\n        match: ['ours']\n"
    ok = load_rulepack(_pack_with(tmp_path / "a", "    voids: [warns]\n" + rules))
    assert ok.tactics["pitch"].voids == ("warns",)
    with pytest.raises(RuleError, match="not a counter tactic"):
        load_rulepack(_pack_with(tmp_path / "b", "    voids: [pitch]\n" + rules))
    with pytest.raises(RuleError, match="not a counter tactic"):
        load_rulepack(_pack_with(tmp_path / "c", "    voids: [missing]\n" + rules))
