"""The engine on hand-written conversations: verdicts, evidence spans, speakers, time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scamlens.api import analyze, score_text
from scamlens.model import Conversation, Message, Stage
from scamlens.scoring.engine import default_engine

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def conv(lines: list[tuple[str, str]], days: float = 0.5) -> Conversation:
    msgs = tuple(
        Message(
            index=i,
            sender=who,
            text=text,
            timestamp=T0 + timedelta(days=days * i),
            is_user=(who == "Me"),
        )
        for i, (who, text) in enumerate(lines)
    )
    return Conversation(messages=msgs, source_format="test", participants=("Me", "Kevin"), me="Me")


SCAM = [
    ("Kevin", "Hi, is this Linda? We were supposed to meet for golf on Sunday"),
    ("Me", "Sorry, wrong number"),
    ("Kevin", "Oh I'm so sorry! Maybe it is fate. I'm Kevin, I run a wine business in Hong Kong"),
    ("Kevin", "Can we chat on WhatsApp? This app is not convenient"),
    ("Kevin", "Good morning dear, did you have breakfast? I made coffee and thought of you"),
    ("Kevin", "My uncle is a senior analyst, he has insider data on crypto. I made 30% this week"),
    (
        "Kevin",
        "Register on coinbitex-vip.com and buy USDT on Coinbase, then send it to the platform",
    ),
    ("Me", "Ok I deposited 5000 USDT"),
    ("Kevin", "You see, your account shows 12,000 profit already!"),
    ("Me", "I want to withdraw my money now"),
    ("Kevin", "To withdraw you must first pay the 20% personal income tax, 2400 USDT"),
]
BENIGN = [
    ("Kevin", "Hey, are we still on for dinner Friday?"),
    ("Me", "Yes! 7pm at the Thai place"),
    ("Kevin", "Great. Btw I sold some of my Vanguard index fund, need to pay capital gains tax"),
    ("Me", "Ugh taxes. I filed mine last week"),
    ("Kevin", "See you Friday"),
]


def test_scam_conversation_is_flagged_with_evidence() -> None:
    c = conv(SCAM)
    v = analyze(c)
    assert v.label in ("scam", "suspicious")
    assert v.risk >= 0.5
    assert v.stage is not None and v.stage.order >= Stage.ONBOARDING.order
    ids = {t.id for t in v.tactics}
    assert "withdrawal_tax" in ids
    for t in v.tactics:
        for ev in t.evidence:
            assert ev.message_index is not None
            msg = c.messages[ev.message_index]
            assert msg.text[ev.start : ev.end] == ev.quote
            assert ev.source.startswith(("rule:", "model:"))
    stages = [s.stage for s in v.timeline]
    assert stages == sorted(stages, key=lambda s: s.order)
    assert v.versions["rules"] and v.versions["text_model"] and v.versions["risk_model"]
    assert v.advice is not None and "recover" in v.advice.recovery_warning.lower()


def test_benign_conversation_is_benign() -> None:
    v = analyze(conv(BENIGN))
    assert v.label == "benign"
    assert v.stage is None
    assert not any(t.stage == Stage.WITHDRAWAL_BLOCK for t in v.tactics)


def test_time_features() -> None:
    v = analyze(conv(SCAM, days=1.0))
    assert v.time.days_span == pytest.approx(10.0)
    assert v.time.messages_to_money is not None
    assert v.time.days_to_money is not None and v.time.days_to_money > 0


def test_user_quoting_counts_less_than_the_contact() -> None:
    line = "To withdraw you must first pay the 20% personal income tax"
    other = analyze(conv([("Kevin", line)]))
    mine = analyze(conv([("Me", "They said: " + line)]))
    t_other = {t.id: t.score for t in other.tactics}
    t_mine = {t.id: t.score for t in mine.tactics}
    assert "withdrawal_tax" in t_other
    # withdrawal_tax counts for anyone (victims describe it), so compare a scammer-only tactic
    assert t_mine.get("withdrawal_tax", 0) <= t_other["withdrawal_tax"]


def test_score_text_victim_account() -> None:
    v = score_text(
        "I met a man on Hinge who moved our chat to WhatsApp. His uncle was an analyst and he "
        "got me to buy USDT and deposit it on a trading platform. When I tried to withdraw, "
        "they said I had to pay 20% tax first. I paid and they asked for more fees."
    )
    assert v.label == "scam"
    assert v.stage == Stage.WITHDRAWAL_BLOCK


def test_score_text_chinese() -> None:
    v = score_text(
        "他让我在平台充值USDT，后来说提现前必须先交20%的个人所得税，账户被冻结了要交保证金解冻"
    )
    assert v.label == "scam"
    assert v.language == "zh"


def test_empty_conversation() -> None:
    v = analyze(Conversation(messages=(), source_format="test"))
    assert v.label == "benign" and v.tactics == ()


def test_engine_is_shared() -> None:
    assert default_engine() is default_engine()
