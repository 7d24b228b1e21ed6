"""fraud-r1 records as evaluation items: single texts, or dialogues split into turns.

Dialogue records read "[Operator] ... [Client] ..." (English) or "【坐席】...【客户】..."
(Chinese). The customer/client side is the user; every other speaker is the other party.
Marriage-and-dating and investment records are the pig-butchering-type positives; other
fraud types are `other_fraud`. English and Chinese records are translations of each other
(id i and i + half): they share a group.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from scamlens.errors import InputError
from scamlens.evaluation.data import OTHER, SCAM, Item
from scamlens.model import Conversation, Message

PB_SUBCATEGORIES = {"marriage and dating", "investment and financial management"}
# A speaker tag: short, no brackets inside (linear-time: one bounded class per alternative).
_TAG = re.compile(r"【([^】\n]{1,12})】|\[([A-Za-z][A-Za-z ]{0,19})\]")
_USER_TAGS = {"客户", "用户", "受害人", "customer", "client", "user", "victim"}


def split_dialogue(raw: str) -> Conversation | None:
    """Turns of a tagged dialogue; None when the text holds fewer than two tags."""
    tags = list(_TAG.finditer(raw))
    if len(tags) < 2:
        return None
    msgs: list[Message] = []
    for i, m in enumerate(tags):
        end = tags[i + 1].start() if i + 1 < len(tags) else len(raw)
        text = raw[m.end() : end].strip()
        if not text:
            continue
        who = (m.group(1) or m.group(2) or "").strip()
        msgs.append(Message(len(msgs), who, text, is_user=who.lower() in _USER_TAGS))
    if len(msgs) < 2:
        return None
    return Conversation(messages=tuple(msgs), source_format="fraud-r1-dialogue")


def _records(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read fraud-r1 records: {exc}", str(path)) from None
    if not isinstance(data, list):
        raise InputError("expected a JSON list of records", str(path))
    return [r for r in data if isinstance(r, dict)]


def _group(rec: dict[str, Any]) -> str:
    # Parallel records share their position within each language's block.
    return f"fraud-r1:{rec.get('category')}:{rec.get('subcategory')}:{rec.get('_pos')}"


def _with_positions(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, Any, Any], int] = {}
    out = []
    for r in records:
        key = (r.get("category"), r.get("subcategory"), r.get("language"))
        seen[key] = seen.get(key, -1) + 1
        out.append({**r, "_pos": seen[key]})
    return out


def fraud_r1_text_items(path: Path) -> list[Item]:
    out = []
    for r in _with_positions(_records(path)):
        raw = r.get("raw_data")
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
        out.append(
            Item(
                id=f"fraud-r1:{r.get('id')}",
                label=SCAM if r.get("subcategory") in PB_SUBCATEGORIES else OTHER,
                lang="zh" if r.get("language") == "Chinese" else "en",
                group=_group(r),
                source=f"fraud-r1-{r.get('data_type')}",
                text=text,
            )
        )
    return out


def fraud_r1_dialogue_items(path: Path) -> list[Item]:
    out = []
    for r in _with_positions(_records(path)):
        raw = r.get("raw_data")
        if r.get("data_type") != "dialogue" or not isinstance(raw, str):
            continue
        conv = split_dialogue(raw)
        if conv is None:
            continue
        out.append(
            Item(
                id=f"fraud-r1:{r.get('id')}",
                label=SCAM if r.get("subcategory") in PB_SUBCATEGORIES else OTHER,
                lang="zh" if r.get("language") == "Chinese" else "en",
                group=_group(r),
                source="fraud-r1-dialogue",
                conversation=conv,
            )
        )
    return out
