from __future__ import annotations

from scamlens.campaigns.rings import (
    IndicatorSummary,
    RingParams,
    ScriptSummary,
    Variant,
    build_campaigns,
)


def script(sid: str, accounts: list[str], n: int | None = None, text: str = "x") -> ScriptSummary:
    n = n or len(accounts)
    return ScriptSummary(
        id=sid,
        message_ids=tuple(f"{sid}-m{i}" for i in range(n)),
        accounts=tuple(sorted(accounts)),
        conversations=tuple(f"{a}/c" for a in sorted(accounts)),
        platforms=("whatsapp",),
        representative=text,
        variants=(Variant(text, n, 1.0),),
        forms=1,
        languages=("en",),
        first_seen="2025-01-01T00:00:00Z",
        last_seen="2025-02-01T00:00:00Z",
    )


def indicator(kind: str, value: str, accounts: list[str], convs: int = 0) -> IndicatorSummary:
    return IndicatorSummary(
        type=kind,
        value=value,
        accounts=tuple(sorted(accounts)),
        conversations=tuple(f"conv{i}" for i in range(convs or len(accounts))),
        message_ids=tuple(f"{value}-m{i}" for i in range(max(convs, len(accounts)))),
        first_seen="2025-01-05T00:00:00Z",
        last_seen="2025-03-01T00:00:00Z",
    )


RING_A = [f"a{i}" for i in range(10)]
RING_B = [f"b{i}" for i in range(8)]


def test_scripts_used_by_the_same_accounts_make_one_campaign() -> None:
    camps, _ = build_campaigns(
        [script("s1", RING_A), script("s2", RING_A[:7]), script("s3", RING_B)], [], 100
    )
    assert len(camps) == 2
    a = camps[0]
    assert a.accounts == tuple(sorted(RING_A))
    assert [t.key for t in a.ties] == ["s1", "s2"]
    assert a.first_seen == "2025-01-01T00:00:00Z" and a.size == 17


def test_one_wallet_behind_many_conversations_is_a_campaign() -> None:
    camps, _ = build_campaigns([], [indicator("wallet", "TXabc", ["solo"], convs=40)], 100)
    assert len(camps) == 1
    assert camps[0].ties[0].type == "wallet" and camps[0].ties[0].conversations == 40


def test_a_chain_letter_does_not_glue_two_rings() -> None:
    strangers = [f"user{i}" for i in range(100)]
    chain = script("s9", [*strangers, *RING_A[:2], *RING_B[:2]])
    camps, _ = build_campaigns(
        [script("s1", RING_A), script("s2", RING_A), script("s3", RING_B), chain], [], 200
    )
    rings = {frozenset(c.accounts) for c in camps}
    assert frozenset(RING_A) in rings and frozenset(RING_B) in rings


def test_a_wallet_joins_two_script_groups() -> None:
    camps, _ = build_campaigns(
        [script("s1", RING_A[:5]), script("s2", RING_A[5:])],
        [indicator("wallet", "0xabc", [RING_A[0], RING_A[1], RING_A[6], RING_A[7]])],
        10_000,
    )
    assert len(camps) == 1 and len(camps[0].accounts) == 10


def test_common_and_allow_listed_indicators_tie_nothing() -> None:
    everyone = [f"u{i}" for i in range(60)]
    camps, common = build_campaigns(
        [],
        [
            indicator("domain", "binance.com", everyone[:10]),
            indicator("domain", "popular.example", everyone),
            indicator("amount", "$500", everyone[:5]),
        ],
        100,
        RingParams(max_indicator_share=0.5, max_indicator_floor=10),
    )
    assert camps == []
    assert [c.value for c in common] == ["popular.example"]


def test_stage_plug_in_orders_stages() -> None:
    stages = {"tax": "withdrawal_block", "hello": "contact"}
    camps, _ = build_campaigns(
        [script("s1", RING_A, text="tax"), script("s2", RING_A, text="hello")],
        [],
        100,
        stage_of=lambda t: stages.get(t),
    )
    assert camps[0].stages == ("contact", "withdrawal_block")
    assert {s.stage for s in camps[0].scripts} == {"contact", "withdrawal_block"}


def test_a_chance_overlap_does_not_join() -> None:
    # Two accounts of a 10-account script also sent one 3-account near-duplicate: with only
    # 30 accounts in all, that overlap is what chance gives, so the two stay apart.
    camps, _ = build_campaigns(
        [script("s1", RING_A), script("s2", [RING_A[0], RING_A[1], "zz"])], [], 30
    )
    assert sorted(len(c.accounts) for c in camps) == [3, 10]
