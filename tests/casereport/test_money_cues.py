"""Unit tests of casereport.money, one group per cue family and rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.casereport import build_report, money, to_json
from scamlens.casereport.jsonout import schema
from tests.casereport.conftest import chat


def read(text: str, amount: str, *, victim: bool) -> money.Decision:
    start = text.index(amount)
    return money.classify(text, start, start + len(amount), is_user=victim)


def check(text: str, amount: str, victim: bool, direction: str, rule: str | None = None) -> None:
    d = read(text, amount, victim=victim)
    assert d.direction == direction, (text, d)
    if rule is not None:
        assert d.rule == rule, (text, d)


@pytest.mark.parametrize("ex", money.cue_examples(), ids=lambda e: str(e["text"])[:40])
def test_examples_kept_with_the_cue_words(ex: dict[str, Any]) -> None:
    d = read(ex["text"], ex["amount"], victim=bool(ex["victim"]))
    assert d.direction == ex["direction"], d
    assert d.rule == ex["rule"], d


def test_every_family_loads_and_is_used() -> None:
    pats = money._patterns()
    assert set(pats) == {*money.DECIDING, *money.MODIFIERS}
    assert len(money.cue_examples()) >= 10


# --- role: the same verb means different things from the victim and the other party
def test_victim_sent_vs_other_party_sent_you_profit() -> None:
    check("I sent 500 USDT this morning", "500 USDT", True, "sent", "sent")
    check("I sent you 500 USDT this morning", "500 USDT", False, "claimed_profit", "to_victim")
    check("You sent 5,000 USDT, thank you dear", "5,000 USDT", False, "sent", "you_sent")
    check("I have put 200k USDT of my own in it", "200k USDT", False, "mentioned", "own_money")
    check("Did you send the 1,000 USDT yet?", "1,000 USDT", False, "asked")
    check("你那1万U转了吗？", "1万U", False, "asked", "question")


def test_victim_asks_are_plans_unless_quoting_a_demand() -> None:
    check("Deposit 3,000 USDT today", "3,000 USDT", False, "asked", "asked")
    check("I could deposit 3,000 USDT", "3,000 USDT", True, "mentioned", "plan")
    check("He says I have to deposit 3,000 USDT", "3,000 USDT", True, "asked", "reported_ask")
    check("他让我再充5万U", "5万U", True, "asked", "reported_ask")


# --- tense and negation
def test_negation_and_plans_are_not_sent() -> None:
    check("I didn't send the 3,000 USDT yet", "3,000 USDT", True, "mentioned", "negation")
    check("I will send 5,000 USDT tomorrow", "5,000 USDT", True, "mentioned", "plan")
    check("I'm not going to transfer 20k more", "20k", True, "mentioned")
    check("还没转，那2万我明天再转", "2万", True, "mentioned", "plan")
    check("我还没汇那5万", "5万", True, "mentioned", "negation")
    check("My friend lost $40,000 to this", "$40,000", True, "mentioned", "someone_else")


def test_chinese_particles_set_the_tense() -> None:
    check("已经转了2万", "2万", True, "sent")  # 了 after
    check("已转5000U", "5000U", True, "sent")  # 已 before
    check("我把20万都转进平台了", "20万", True, "sent")  # verb after the amount
    check("你先充5000U试试水", "5000U", False, "asked")  # no particle: a demand
    check("请把2万U转到这个地址", "2万U", False, "asked")  # 请
    check("我明天去银行转5万", "5万", True, "mentioned", "plan")  # 明天: a plan
    check("我已經轉了3萬U過去", "3萬U", True, "sent")  # traditional, folded


# --- the nearest verb, not any word in the window
def test_nearest_verb_decides_each_amount() -> None:
    text = "I paid 5,000 USDT tax and they now want 8,000 USDT more for the unfreeze"
    check(text, "5,000 USDT", True, "sent", "paid_fee")
    check(text, "8,000 USDT", True, "fee_or_tax")
    text = "我已经转了5万，他还要我再转3万"
    check(text, "5万", True, "sent")
    check(text, "3万", True, "asked")
    check("Sent 2,000 USDT. Balance now 14,500 USDT", "14,500 USDT", True, "claimed_profit")


def test_empty_clause_reads_the_clause_before_then_after() -> None:
    check("Sent! 2,500 USDT.", "2,500 USDT", True, "sent")
    check("个税交了，19752U，我把车也抵押了", "19752U", True, "sent", "paid_fee")
    check("96,214 USDT!!! I want to take some out", "96,214 USDT", True, "claimed_profit")


# --- fees, taxes, unfreezing
def test_fee_words() -> None:
    check("Your account is frozen. An unfreezing fee of 8,500 USDT is required", "8,500 USDT",
          False, "fee_or_tax", "fee")  # fmt: skip
    check("请缴纳解冻费8000U", "8000U", False, "fee_or_tax", "fee")
    check("风控审核需要缴纳保证金2万U", "2万U", False, "fee_or_tax")
    check("提现需支付手续费1500U", "1500U", False, "fee_or_tax")
    check("Should I pay the 6,000 USDT AML fee?", "6,000 USDT", True, "fee_or_tax")  # head noun
    check("我不会再交那1万的税了", "1万", True, "fee_or_tax")  # refused, still demanded


def test_fee_the_victim_paid_is_sent() -> None:
    check("Paid the unfreezing fee of 6,800 USDT yesterday", "6,800 USDT", True, "sent",
          "paid_fee")  # fmt: skip
    check("解冻费我已经交了8000U", "8000U", True, "sent")
    check("I haven't paid the 5,000 USDT verification deposit", "5,000 USDT", True, "fee_or_tax")
    # only the victim's own "paid" turns a fee into a loss
    check("The 5,000 USDT tax must be paid today", "5,000 USDT", False, "fee_or_tax", "fee")


def test_percentage_of_a_balance_next_to_a_fee() -> None:
    check("Pay 30% of the account balance (28,864.20 USDT) as a guarantee", "28,864.20 USDT",
          False, "fee_or_tax", "percent")  # fmt: skip
    check("按账户余额的20%缴税，也就是19752U", "19752U", False, "fee_or_tax", "percent")
    # a percentage with no fee word is not a fee
    check("Your balance grew 12% to 5,600 USDT", "5,600 USDT", False, "claimed_profit")


def test_deposit_to_withdraw_is_a_fee_but_vip_is_an_ask() -> None:
    check("再充3万才能提现", "3万", False, "fee_or_tax", "unlock")
    check("Deposit 25,000 USDT before the withdrawal can be processed", "25,000 USDT", False,
          "fee_or_tax", "unlock")  # fmt: skip
    check("You need to deposit 10k to unlock VIP", "10k", False, "asked", "asked")
    check("再充3万就能升VIP", "3万", False, "asked")


# --- claimed profits and payouts
def test_profit_balance_and_withdrawal_words() -> None:
    check("Your account now shows 68,420 USDT", "68,420 USDT", False, "claimed_profit", "profit")
    check("收益已经到了12万", "12万", False, "claimed_profit")
    check("帳戶餘額顯示86,500 USDT", "86,500 USDT", False, "claimed_profit")
    check("I withdrew 800 USDT and it arrived", "800 USDT", True, "claimed_profit", "withdraw")
    check("给你返了500U的利润", "500U", False, "claimed_profit")


def test_confirmed_deposit_is_sent() -> None:
    check("已收到您的充值2万U，请耐心等待审核", "2万U", False, "sent", "confirm")
    check("SYSTEM: Deposit of 4,000 USDT confirmed.", "4,000 USDT", False, "sent", "confirm")


def test_neutral_money_is_mentioned() -> None:
    check("My salary is 4,500 dollars a month", "4,500 dollars", True, "mentioned", "neutral")
    check("我妈借给我5万块", "5万块", True, "mentioned", "neutral")
    check("Dinner was $85", "$85", True, "mentioned", "no_cue")


def test_counts_are_not_money() -> None:
    for text, amount in (("I ran 10k this morning", "10k"), ("hit 5k followers", "5k"),
                         ("今天走了3万步", "3万")):  # fmt: skip
        start = text.index(amount)
        assert money.is_count(text, start, start + len(amount), "")
    assert not money.is_count("I ran 10k USDT through it", 7, 16, "USDT")
    assert not money.is_count("send 10k now", 5, 8, "")


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=80),
    st.integers(0, 90),
    st.integers(0, 12),
    st.sampled_from([True, False, None]),
)
def test_any_text_and_span_gives_a_known_direction_and_rule(
    text: str, start: int, length: int, victim: bool | None
) -> None:
    start = min(start, len(text))
    end = min(start + length, len(text))
    d = money.classify(text, start, end, is_user=victim)
    assert d.direction in money.DIRECTIONS and d.rule in money.RULES


# --- totals
def test_totals_count_only_sent_rows_by_currency() -> None:
    lines = [
        ("Karen Mitchell", "I sent 5,000 USDT"),
        ("Karen Mitchell", "Transferred another 2,500 USDT today"),
        ("Karen Mitchell", "Wired $10,000 this morning"),
        ("Lena", "Your account now shows 68,420 USDT"),
        ("Lena", "Pay the 13,684 USDT tax first"),
        ("Lena", "Deposit 30,000 USDT for VIP"),
        ("Karen Mitchell", "I didn't send the 3,000 USDT yet"),
    ]
    report = build_report(chat(lines), {"risk": 0.9, "label": "scam"})
    assert [(t.currency, Decimal(t.amount), t.rows) for t in report.money_sent_totals] == [
        ("USD", Decimal(10000), 1),
        ("USDT", Decimal(7500), 2),
    ]
    doc = to_json(report)
    assert doc["money_sent_totals"][1] == {"currency": "USDT", "amount": "7500", "rows": 2}
    assert {"rule", "cue", "direction", "amount", "raw"} <= set(doc["money"][0])
    import jsonschema

    jsonschema.validate(doc, schema())


def test_a_credited_profit_is_never_a_deposit() -> None:
    check("Profit credited: 2,760 USDT", "2,760 USDT", False, "claimed_profit", "profit")
    check("We have credited your deposit of 9,500 USDT", "9,500 USDT", False, "sent", "confirm")
    check("Sent 3,000 USDT, then another 4,000 USDT", "4,000 USDT", True, "sent", "sent")
