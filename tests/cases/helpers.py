"""Conversations and scan documents for store tests (no engine needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scamlens.model import Conversation, Message


def conversation(n: int = 3, who: str = "Daniel") -> Conversation:
    msgs = tuple(
        Message(
            index=i,
            sender=who if i % 2 == 0 else "Rachel",
            text=f"message {i}: buy USDT and send it to my platform 你好",
            timestamp=datetime(2024, 1, 1, 9, i, tzinfo=UTC),
            is_user=i % 2 == 1,
        )
        for i in range(n)
    )
    return Conversation(
        messages=msgs,
        source_format="json",
        participants=(who, "Rachel"),
        me="Rachel",
        me_method="--me",
        platform="whatsapp",
        title="chat",
    )


def scan_doc(
    label: str = "scam", stage: str | None = "onboarding", risk: float | None = None
) -> dict[str, Any]:
    verdict = {
        "risk": risk if risk is not None else (0.97 if label == "scam" else 0.1),
        "label": label,
        "stage": stage,
        "language": "en",
        "tactics": [
            {
                "id": "buy_usdt_instructions",
                "name": "Buy USDT",
                "stage": "onboarding",
                "score": 0.6,
                "evidence": [
                    {
                        "tactic": "buy_usdt_instructions",
                        "source": "rule:x",
                        "score": 0.6,
                        "message_index": 0,
                        "start": 0,
                        "end": 5,
                        "quote": "buy USDT",
                        "counter": False,
                        "note": None,
                    },
                ],
            }
        ],
        "counter_evidence": [],
        "model_evidence": [],
        "indicators": [
            {
                "type": "domain",
                "value": "btc-globalpro.net",
                "raw": "btc-globalpro.net",
                "detector": "link.domain",
                "message_index": 2,
                "start": 0,
                "end": 1,
                "chain": None,
                "valid": None,
                "validation": "",
                "attrs": {},
            },
        ],
        "intel_hits": [],
        "versions": {"rules": "2+abc", "text_model": "charngram-lr", "risk_model": "risk-lr"},
    }
    return {"schema_version": "1.0", "results": [{"path": "request", "verdict": verdict}]}
