"""`Engine.analyze_many` gives each conversation the verdict `analyze` gives it alone.

The batch shares its per-message work (folding, the rule Set scan, both models, indicator
extraction) across conversations; nothing of one conversation may leak into another's verdict.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from scamlens.api import intel_engine as make_intel_engine
from scamlens.api import load_chat
from scamlens.intel import IntelStore
from scamlens.model import Conversation, Message, MessageKind
from scamlens.scoring.engine import Engine, default_engine

REPO = Path(__file__).resolve().parents[2]
WALLET = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"
DOMAIN = "quantum-fx-trade.com"


def _examples() -> list[Conversation]:
    manifest = yaml.safe_load((REPO / "examples" / "MANIFEST.yaml").read_text())
    return [
        load_chat(REPO / "examples" / f["path"], fmt=f.get("format"), me=f.get("me"))
        for f in manifest["files"]
    ]


def _msg(i: int, text: str, user: bool | None, kind: MessageKind = MessageKind.TEXT) -> Message:
    when = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(minutes=i)
    sender = None if user is None else ("Me" if user else "Lena")
    return Message(index=i, timestamp=when, sender=sender, text=text, kind=kind, is_user=user)


def _conv(messages: list[Message], title: str) -> Conversation:
    return Conversation(messages=tuple(messages), source_format="plain", title=title)


def _edge_cases() -> list[Conversation]:
    pitch = f"My uncle is an analyst, open an account on {DOMAIN} and send 500 USDT to {WALLET}"
    return [
        _conv([], "empty"),
        _conv([_msg(0, "   ", False), _msg(1, "", True)], "blank"),
        _conv([_msg(0, "ok", True), _msg(1, pitch, True)], "user only"),
        _conv([_msg(0, pitch, False)], "one pitch"),
        _conv([_msg(0, pitch, None), _msg(1, "ok", None)], "speakerless"),
        # the same text said by both sides: its model scores must still be per side
        _conv([_msg(0, pitch, True), _msg(1, pitch, False)], "both"),
        _conv([_msg(0, "photo", False, MessageKind.MEDIA), _msg(1, "稳赚不赔", False)], "media"),
    ]


@pytest.fixture(scope="module")
def intel_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The shipped engine with extraction and an intel store holding one of the wallets."""
    url = f"sqlite:///{tmp_path_factory.mktemp('intel') / 'intel.db'}"
    with IntelStore.open(url) as store:
        store.add("domain", DOMAIN, labels=["pig-butchering"], confidence=0.9)
    return make_intel_engine(url)


def test_equals_analyze_one_by_one_on_every_example(intel_engine: Engine) -> None:
    convs = _examples() + _edge_cases()
    alone = [intel_engine.analyze(c) for c in convs]
    assert any(v.intel_hits for v in alone) and any(v.indicators for v in alone)
    assert intel_engine.analyze_many(convs) == alone
    # ... in any order and any grouping, the same conversation twice included
    backwards = intel_engine.analyze_many(convs[::-1] + convs[:2])
    assert backwards == alone[::-1] + alone[:2]


def test_language_settings_apply_per_conversation() -> None:
    engine = default_engine()
    convs = _examples()[:3]
    langs = ["en", "zh", "auto"]
    assert engine.analyze_many(convs, langs) == [
        engine.analyze(c, lang=lang) for c, lang in zip(convs, langs, strict=True)
    ]
    with pytest.raises(ValueError, match="one language setting per conversation"):
        engine.analyze_many(convs, ["en"])


def test_a_batch_of_none_or_one() -> None:
    engine = default_engine()
    conv = _examples()[0]
    assert engine.analyze_many([]) == []
    assert engine.analyze_many([conv]) == [engine.analyze(conv)]


def test_one_intel_look_up_for_the_whole_batch(intel_engine: Engine) -> None:
    convs = _examples() + _edge_cases()
    alone = [intel_engine.analyze(c) for c in convs]
    check = intel_engine.intel
    assert check is not None
    calls: list[int] = []

    def counted(indicators: Any) -> Any:
        calls.append(len(indicators))
        return check(indicators)

    batched = intel_engine.with_intel(intel_engine.extractor, counted)
    assert batched.analyze_many(convs) == alone
    assert len(calls) == 1 and calls[0] == sum(len(v.indicators) for v in alone)
