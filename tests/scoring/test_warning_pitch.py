"""A scammer's own warning ("beware of scams, but our platform is licensed") is part of the pitch.

Without the `voids` link, the warning half reads as counter-evidence and every tactic of the
message is weighed as quoted; with it, the pitch counts in full, while a real warning that
quotes the same line, and a real service's notice, keep their discount.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scamlens.api import load_chat
from scamlens.detect.rulepack import load_rulepack
from scamlens.errors import RuleError
from scamlens.model import Conversation, Message, Verdict
from scamlens.scoring.engine import Engine, default_engine
from scamlens.scoring.vouching import DESCRIBED_NOTE, SPLIT_NOTE

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
    # The pitch counts in full; only what the warning half names is weighed as quoted.
    assert all(note in (None, DESCRIBED_NOTE) for _, note in found)
    assert "warning_or_news" not in _counters(v)
    assert v.label == "scam"


def test_what_the_warning_half_names_stays_quoted(engine: Engine) -> None:
    """ "Scammers will ask you to pay a tax before you can withdraw" inside a pitch is what
    scams do, not a demand: weighed as quoted, so the chat is not staged at withdrawal."""
    v = engine.score_text(PITCH_EN)
    tax = [e for f in v.tactics for e in f.evidence if e.tactic == "withdrawal_tax"]
    assert tax and all(e.note == DESCRIBED_NOTE for e in tax)
    assert all(e.score < 0.5 for e in tax)
    pitch = [e for f in v.tactics for e in f.evidence if e.tactic == "platform_link"]
    assert pitch and all(e.note is None for e in pitch)  # after the warning half: in full
    assert v.stage != "withdrawal_block"


@pytest.mark.parametrize(
    "text",
    [
        "Our platform is regulated, not like those scam platforms that make you pay a tax "
        "before you can withdraw",
        "我们平台是正规的，不像外面那些黑平台要你先交税才能提现",
    ],
)
def test_the_warning_half_after_the_pitch_stays_quoted(engine: Engine, text: str) -> None:
    found = _evidence(engine.score_text(text))
    assert ("vouches_against_scams", None) in found
    assert ("withdrawal_tax", DESCRIBED_NOTE) in found


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


SPLIT_WARNING_EN = (
    "There are so many scammers online, be careful. Scammers will ask you to pay a tax before "
    "you can withdraw."
)
SPLIT_PITCH_EN = "But our platform is licensed by FinCEN, your funds are 100% safe."
SPLIT_WARNING_ZH = "现在网上骗子很多，你要小心。骗子会让你先交税才能提现。"
SPLIT_PITCH_ZH = "但是我们这个平台是香港持牌的，很安全，你放心入金"


def _chat(*rows: tuple[str, str]) -> Conversation:
    msgs = [
        Message(i, sender, text, is_user=sender == "Me") for i, (sender, text) in enumerate(rows)
    ]
    return Conversation(messages=tuple(msgs), source_format="test", me="Me")


@pytest.mark.parametrize(
    ("warning", "pitch"), [(SPLIT_WARNING_EN, SPLIT_PITCH_EN), (SPLIT_WARNING_ZH, SPLIT_PITCH_ZH)]
)
def test_a_warning_and_its_pitch_in_two_messages_read_as_one_pitch(
    engine: Engine, warning: str, pitch: str
) -> None:
    conv = _chat(("Me", "Is crypto safe?"), ("Anna", warning), ("Anna", pitch))
    v = engine.analyze(conv)
    assert ("warning_or_news", 1) not in {(e.tactic, e.message_index) for e in v.counter_evidence}
    vouch = [e for f in v.tactics for e in f.evidence if e.tactic == "vouches_against_scams"]
    assert len(vouch) == 1
    e = vouch[0]
    assert e.message_index == 2 and e.note == SPLIT_NOTE and e.counter is False
    assert e.start == 0 and pitch.startswith(e.quote) and e.quote == pitch[e.start : e.end]
    # The warning message's own tactics are still what scams do, weighed as quoted.
    assert all(ev.note is not None for f in v.tactics for ev in f.evidence if ev.message_index == 1)


def test_the_split_link_needs_the_same_sender_next(engine: Engine) -> None:
    for rows in (
        # the pitch comes from someone else (the user answering in kind)
        (("Anna", SPLIT_WARNING_EN), ("Me", SPLIT_PITCH_EN)),
        # another message comes between
        (("Anna", SPLIT_WARNING_EN), ("Me", "ok"), ("Anna", SPLIT_PITCH_EN)),
        # the user warns, then says "but our platform is licensed" (quoting, not pitching)
        (("Me", SPLIT_WARNING_EN), ("Me", SPLIT_PITCH_EN)),
    ):
        v = engine.analyze(_chat(*rows))
        assert ("warning_or_news", 0) in {(e.tactic, e.message_index) for e in v.counter_evidence}
        assert all(e.note != SPLIT_NOTE for f in v.tactics for e in f.evidence), rows


def test_a_real_warning_followed_by_an_unrelated_message_keeps_its_discount(
    engine: Engine,
) -> None:
    conv = _chat(("Anna", SPLIT_WARNING_EN), ("Anna", "Anyway, how was your day?"))
    v = engine.analyze(conv)
    assert ("warning_or_news", 0) in {(e.tactic, e.message_index) for e in v.counter_evidence}


def test_a_pitch_quoted_by_an_article_in_two_paragraphs_is_not_linked(engine: Engine) -> None:
    """Speakerless paragraphs (a pasted article) are never joined."""
    msgs = [Message(0, None, SPLIT_WARNING_EN), Message(1, None, SPLIT_PITCH_EN)]
    v = engine.analyze(Conversation(messages=tuple(msgs), source_format="plain"))
    assert all(e.note != SPLIT_NOTE for f in v.tactics for e in f.evidence)


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
    rules = (
        "    rules:\n      - id: en-p\n        pattern: '(?P<warning>scams) but ours'\n"
        "        match: ['scams but ours']\n"
    )
    ok = load_rulepack(_pack_with(tmp_path / "a", "    voids: [warns]\n" + rules))
    assert ok.tactics["pitch"].voids == ("warns",)
    with pytest.raises(RuleError, match="not a counter tactic"):
        load_rulepack(_pack_with(tmp_path / "b", "    voids: [pitch]\n" + rules))
    with pytest.raises(RuleError, match="not a counter tactic"):
        load_rulepack(_pack_with(tmp_path / "c", "    voids: [missing]\n" + rules))


def test_a_voiding_rule_must_name_its_warning_half(tmp_path: Path) -> None:
    rules = "    rules:\n      - id: en-p\n        pattern: 'scams but ours'\n"
    rules += "        match: ['scams but ours']\n"
    with pytest.raises(RuleError, match=r"\(\?P<warning>"):
        load_rulepack(_pack_with(tmp_path, "    voids: [warns]\n" + rules))


CLUB = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "scam"
    / "04-investment-club-whatsapp-group.txt"
)
FBI_WARNING = (
    "The FBI warned about fake crypto platforms. Scammers ask you to pay a tax before you can "
    "withdraw, be careful."
)


@pytest.mark.xfail(
    strict=True,
    reason="known weakness (docs/evaluation.md): one strong warning line from the scammer, with "
    "no pitch a rule reads as vouching, costs a clear scam chat about 2.4 log-odds (the "
    "investment club: 0.99 scam -> about 0.5 suspicious); a real bank agent's or friend's single "
    "warning (examples 14, 15a) protects a benign chat the same way, and no feature yet tells "
    "the two apart",
)
def test_one_warning_line_from_the_scammer_keeps_a_scam_chat_scam(engine: Engine) -> None:
    conv = load_chat(CLUB, me="Mark Bennett")
    msgs = list(conv.messages)
    scammer = next(m for m in msgs if m.is_user is False and m.sender)
    k = len(msgs) // 10
    warning = replace(scammer, text=FBI_WARNING, timestamp=msgs[k].timestamp)
    new = [replace(m, index=i) for i, m in enumerate([*msgs[:k], warning, *msgs[k:]])]
    assert engine.analyze(conv).label == "scam"
    assert engine.analyze(replace(conv, messages=tuple(new))).label == "scam"
