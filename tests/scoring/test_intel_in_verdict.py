"""Indicators and intelligence hits appear in a conversation's verdict and raise it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from scamlens.api import intel_engine
from scamlens.intel import IntelStore
from scamlens.model import Conversation, Message

WALLET = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"  # USDT-TRC20 treasury-style TRON address format


def _chat(domain: str) -> Conversation:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    lines = [
        ("Lena", "Good morning! How was your weekend?"),
        ("Me", "Good thanks, busy with the kids"),
        ("Lena", f"I opened my account on {domain} last month, the app is very easy"),
        ("Lena", f"You can send the USDT to this address: {WALLET}"),
    ]
    msgs = tuple(
        Message(i, who, text, t0 + timedelta(hours=i), is_user=(who == "Me"))
        for i, (who, text) in enumerate(lines)
    )
    return Conversation(messages=msgs, source_format="test", me="Me")


def test_store_hit_raises_risk_with_named_source(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'intel.db'}"
    conv = _chat("quantum-fx-trade.com")
    before = intel_engine(db).analyze(conv)
    assert any(i.type == "wallet" and i.value == WALLET for i in before.indicators)
    assert not before.intel_hits

    with IntelStore.open(db) as store:
        store.add("domain", "quantum-fx-trade.com", labels=["pig-butchering"], confidence=0.9)
    after = intel_engine(db).analyze(conv)
    assert after.intel_hits and after.intel_hits[0].reason
    # The hit adds its prior to the log-odds; the risk may already be at the top of the
    # calibration (the retrained conversation model is sure of this chat without the store).
    assert after.components["logit_intel"] > 0 and "logit_intel" not in before.components
    assert after.risk >= before.risk
    assert after.components["rules_onboarding"] > before.components["rules_onboarding"]
    sources = {e.source for t in after.tactics for e in t.evidence}
    assert any(s.startswith("intel:") for s in sources)
    ev = next(e for t in after.tactics for e in t.evidence if e.source.startswith("intel:"))
    assert conv.messages[ev.message_index or 0].text[ev.start : ev.end] == ev.quote


def test_wallet_from_contact_is_onboarding_evidence(tmp_path: Path) -> None:
    v = intel_engine(f"sqlite:///{tmp_path / 'i.db'}").analyze(_chat("example.org"))
    ev = [e for t in v.tactics for e in t.evidence if e.source.startswith("indicator:wallet")]
    assert ev and ev[0].tactic == "first_deposit"


def test_allowlisted_domain_is_not_evidence(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with IntelStore.open(db) as store:
        store.add("domain", "coinbase.com", allow=True)
    v = intel_engine(db).analyze(_chat("coinbase.com"))
    assert not any(e.source.startswith("intel:") for t in v.tactics for e in t.evidence)
