"""Links hidden behind link text (Telegram text_link, <a href> with other text) reach extraction,
the verdict, the scan JSON and the reports, marked as link targets with an empty span."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from rich.console import Console

from scamlens.api import intel_engine
from scamlens.casereport import build_report, to_html
from scamlens.indicators import extract_conversation, is_link_target
from scamlens.ingest import load_chat
from scamlens.intel import IntelStore
from scamlens.model import Conversation, Indicator, Message
from scamlens.report.html import render_html
from scamlens.report.jsonout import conversation_result, scan_document
from scamlens.report.text import render

from ..ingest import tg_html
from ..ingest.test_telegram_html import json_conv, write_export

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (ROOT / "src/scamlens/resources/schema/scan.schema.json").read_text(encoding="utf-8")
)
SITE = "coinbase-pro-vip.com"
WALLET = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"
TARGET = f"https://{SITE}/register?ref=88&address={WALLET}"
SHOWN = "https://okx-pro-vip.com/join"


def _msg(mid: int, who: str, parts: list[Any], **extra: Any) -> dict[str, Any]:
    ents = [
        {"type": "plain", "text": p} if isinstance(p, str) else {"type": p[0], "text": p[1], **p[2]}
        for p in parts
    ]
    text: Any = [e["text"] if e["type"] == "plain" else e for e in ents]
    if all(e["type"] == "plain" for e in ents):
        text = "".join(e["text"] for e in ents)
    when = f"2024-05-01T10:{mid:02d}:00"
    return {"id": mid, "type": "message", "date": when, "date_unixtime": str(1714557600 + mid * 60),
            "from": who, "from_id": "user1" if who == "Lena" else "user2", "text": text,
            "text_entities": ents, **extra}  # fmt: skip


def _chat() -> dict[str, Any]:
    m = _msg
    msgs = [
        m(1, "Lena", ["Good morning! How was your weekend?"]),
        m(2, "Me", ["Good thanks, busy with the kids"]),
        m(3, "Lena", ["My uncle trades on a platform with guaranteed profit, 30% a week"]),
        m(4, "Lena", ["Register here: ", ("text_link", "Register", {"href": TARGET}),
                      " and deposit USDT, I will guide you"]),
        m(5, "Lena", ["Or the other one ", ("text_link", SHOWN, {"href": SHOWN})]),
        m(6, "Lena", ["My profit this week"], photo="photos/photo_1@01-05-2024_10-06-00.jpg",
          width=1080, height=1920),
        m(7, "Lena", ["From my mentor"], forwarded_from="Crypto Signals VIP"),
    ]  # fmt: skip
    return {"name": "Lena", "type": "personal_chat", "id": 1, "messages": msgs}


def _hidden(inds: list[Indicator]) -> dict[tuple[str, str], Indicator]:
    return {(i.type, i.value): i for i in inds if is_link_target(i)}


def _check_extraction(conv: Conversation) -> None:
    assert TARGET in conv.messages[3].attachments and TARGET not in conv.messages[3].text
    inds = extract_conversation(conv)
    hidden = _hidden(inds)
    url = next(i for (t, v), i in hidden.items() if t == "url")
    assert url.attrs["domain"] == SITE and url.message_index == conv.messages[3].index
    assert url.start == url.end == 0 and url.raw == TARGET
    assert ("wallet", WALLET) in hidden
    # Only message 4 hides a link: media paths and forwarded_from give nothing.
    assert {i.message_index for i in hidden.values()} == {conv.messages[3].index}
    # A link whose visible text is its target is read once, from the text.
    shown = [i for i in inds if i.type == "url" and "okx-pro-vip.com" in i.value]
    assert len(shown) == 1 and not is_link_target(shown[0])
    m5 = conv.messages[4]
    assert m5.text[shown[0].start : shown[0].end] == SHOWN


def test_json_text_link_target_is_extracted(tmp_path: Path) -> None:
    _check_extraction(json_conv(tmp_path, _chat()))


def test_html_export_link_target_is_extracted(tmp_path: Path) -> None:
    conv = load_chat(write_export(tmp_path / "ChatExport", _chat()))
    assert conv.source_format.startswith("telegram")
    _check_extraction(conv)
    js = json_conv(tmp_path, _chat())
    assert [(i.type, i.value) for i in extract_conversation(conv)] == [
        (i.type, i.value) for i in extract_conversation(js)
    ]
    assert tg_html.render(_chat())


def test_media_path_and_placeholders_give_nothing() -> None:
    msgs = (
        Message(0, "Lena", "look", attachments=("photos/photo_1.jpg", "voice_message",
                                                "forwarded_from:coinbase-pro-vip.com",
                                                "files/www.report.pdf", "sticker.webp")),
        Message(1, "Lena", "pic", attachments=("https://cdn.discordapp.com/attachments/1/2/a.png",)),
    )  # fmt: skip
    assert extract_conversation(Conversation(messages=msgs, source_format="test")) == []


def test_attachment_only_message_and_text_duplicate() -> None:
    msgs = (
        Message(0, "Lena", "", attachments=("t.me/okx_support_desk",)),
        Message(1, "Lena", f"go to {SITE} now", attachments=(f"https://{SITE}/",)),
        Message(2, "Lena", "here", attachments=(f"https://{SITE}/", f"https://{SITE}/")),
    )
    inds = extract_conversation(Conversation(messages=msgs, source_format="test"))
    by_msg = [[(i.type, i.value) for i in inds if i.message_index == k] for k in range(3)]
    assert ("handle", "okx_support_desk") in by_msg[0]
    assert by_msg[1] == [("domain", SITE)]  # the hidden https://SITE/ is the same site
    assert by_msg[2] == [("url", f"https://{SITE}/")]
    assert all(is_link_target(i) for i in inds if i.message_index in (0, 2))


def test_intel_hit_on_hidden_link_reaches_verdict_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCAMLENS_HOME", str(tmp_path / "home"))
    conv = json_conv(tmp_path, _chat())
    db = f"sqlite:///{tmp_path / 'intel.db'}"
    with IntelStore.open(db) as store:
        store.add("domain", SITE, labels=["pig-butchering"], confidence=0.9)
    v = intel_engine(db).analyze(conv)
    assert ("wallet", WALLET) in _hidden(list(v.indicators))
    assert any(h.value == SITE for h in v.intel_hits)
    assert v.components.get("logit_intel", 0) > 0
    intel_ev = [e for t in v.tactics for e in t.evidence if e.source.startswith("intel:")]
    assert intel_ev
    for ev in (e for t in v.tactics for e in t.evidence):
        msg = conv.messages[ev.message_index or 0]
        assert msg.text[ev.start : ev.end] == ev.quote  # the span invariant holds
    hidden_ev = [e for e in intel_ev if e.message_index == conv.messages[3].index]
    assert hidden_ev and hidden_ev[0].quote == "" and TARGET in (hidden_ev[0].note or "")

    doc = scan_document([conversation_result(conv, v, "result.json")], [])
    jsonschema.validate(json.loads(json.dumps(doc)), SCHEMA)
    rendered = {i["value"]: i for i in doc["results"][0]["verdict"]["indicators"]}
    assert rendered[WALLET]["attrs"]["where"] == "link_target"

    page = render_html([("result.json", conv, v)])
    assert "<mark></mark>" not in page and SITE in page
    console = Console(record=True, width=200)
    render(console, "result.json", conv, v)
    assert SITE in console.export_text()

    report = build_report(conv, v)
    sites = {r.domain for r in report.sites}
    assert SITE in sites and any(w.address == WALLET for w in report.wallets)
    site = next(r for r in report.sites if r.domain == SITE)
    assert site.message_indices == (conv.messages[3].index,)
    # The hit is recorded against the domain; every row of that site (url too) shows it.
    assert all(r.intel for r in report.sites if r.domain == SITE)
    assert SITE in to_html(report)
