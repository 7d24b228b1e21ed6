"""Telegram Desktop HTML exports: the same chat as the JSON export, parts, zips, hostile HTML."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError, ScamlensError, UnknownFormatError
from scamlens.ingest import ImportOptions, detect_format, load_bytes, load_chat, load_chats
from scamlens.model import Conversation, MessageKind

from . import tg_html
from .helpers import zip_with

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "telegram_html" / "ChatExport_2024-01-05"
UTC8 = timezone(timedelta(hours=8))
K, KID = "Kevin Zhang", "user5012345678"
R, RID = "Rachel Green", "user7001234567"
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"


def _msg(
    mid: int, when: str, who: str | None, parts: list[Any] | str = "", **extra: Any
) -> dict[str, Any]:
    """A message as Telegram Desktop's JSON export writes it (local date + unixtime)."""
    local = datetime.fromisoformat(when)
    epoch = int(local.replace(tzinfo=UTC8).timestamp())
    ents: list[dict[str, Any]] = []
    for p in [parts] if isinstance(parts, str) else parts:
        if isinstance(p, str):
            if p:
                ents.append({"type": "plain", "text": p})
        else:
            kind, shown, *more = p
            ents.append({"type": kind, "text": shown, **(more[0] if more else {})})
    text: Any = [e["text"] if e["type"] == "plain" else e for e in ents]
    if all(e["type"] == "plain" for e in ents):
        text = "".join(e["text"] for e in ents)
    base: dict[str, Any] = {"id": mid, "type": "message", "date": when,
                            "date_unixtime": str(epoch)}  # fmt: skip
    if extra.pop("service", False):
        base.update(type="service", actor=who, actor_id=KID if who == K else RID)
    else:
        base.update({"from": who, "from_id": KID if who == K else RID})
    base.update(extra)
    base["text"] = text
    base["text_entities"] = ents
    return base


def scam_chat() -> dict[str, Any]:
    """A personal chat covering what the HTML export writes differently from JSON."""
    m = _msg
    msgs = [
        m(1, "2024-01-05T20:15:02", K, "Hi Rachel, it's Kevin from the LinkedIn group"),
        m(2, "2024-01-05T20:15:40", K, "Hope I'm not disturbing you 😊"),
        m(3, "2024-01-05T20:16:40", R, "Oh hi Kevin\nHow did you get my number?"),
        m(4, "2024-01-05T20:17:00", K,
          'Returns: 5% < 10% & "guaranteed" > bank <script>alert(1)</script>  '),
        m(5, "2024-01-05T20:30:00", K, service=True, action="phone_call",
          discard_reason="missed"),
        m(6, "2024-01-06T09:00:11", K, ["Register here: ",
                                        ("link", "https://okx-pro.vip/invite?c=8812&r=1"),
                                        " and use my code ", ("bold", "VIP8812")]),
        m(7, "2024-01-06T09:01:00", K, [("bold", "Customer service"), " will guide you: ",
                                        ("text_link", "click here",
                                         {"href": "https://t.me/okx_support_desk"}),
                                        " or ", ("mention", "@okx_helpdesk"), " / ",
                                        ("email", "support@okx-pro.vip"), " / ",
                                        ("phone", "+85291234567")]),
        m(8, "2024-01-06T09:05:30", K, "My profit this week",
          photo="photos/photo_3@06-01-2024_09-05-30.jpg", width=1080, height=1920),
        m(9, "2024-01-06T09:06:00", K, file=NOT_INCLUDED, media_type="voice_message",
          mime_type="audio/ogg", duration_seconds=12),
        m(10, "2024-01-06T10:00:00", R, "BTC to 100k 🚀", forwarded_from="Crypto Signals VIP"),
        m(11, "2024-01-06T10:00:01", R, "ETH next", forwarded_from="Crypto Signals VIP"),
        m(12, "2024-01-06T10:05:00", K, "Trust me, withdraw anytime\nJust pay the 20% tax first",
          reply_to_message_id=10, edited="2024-01-06T10:06:00",
          edited_unixtime="1704506760"),
        m(13, "2024-01-06T10:06:00", K, file="files/USDT_deposit_receipt.pdf",
          file_name="USDT_deposit_receipt.pdf", mime_type="application/pdf"),
        m(14, "2024-01-06T10:07:00", K, file=NOT_INCLUDED, file_name="contract.pdf",
          mime_type="application/pdf"),
        m(15, "2024-01-06T10:08:00", K, photo=NOT_INCLUDED, width=1280, height=960),
        m(16, "2024-01-06T10:09:00", K, file="stickers/sticker.webp", media_type="sticker",
          sticker_emoji="😀"),
        m(17, "2024-01-06T10:30:00", R, ["My wallet: ",
                                         ("code", "TQrZ8X4wMv1Yc7nW9pK3sD2fG6hJ5kL8aB"),
                                         " ok? ", ("spoiler", "secret")]),
        m(18, "2024-01-06T10:31:00", K, service=True, action="pin_message", message_id=17),
        m(19, "2024-01-06T10:32:00", K, "Withdrawal proof",
          file="video_files/video_1@06-01-2024_10-32-00.mp4", media_type="video_file"),
        m(20, "2024-01-06T23:59:59", R, "good night"),
        m(21, "2024-01-07T00:00:30", R, "still awake?"),
        m(22, "2024-01-07T08:00:00", K, ["Great ", ("custom_emoji", "🔥",
                                                   {"document_id": "stickers/fire.tgs"}),
                                         " ", ("hashtag", "#btc")]),
        m(23, "2024-01-07T08:01:00", K, contact_information={
            "first_name": "Li", "last_name": "Wei", "phone_number": "+85298765432"}),
        m(24, "2024-01-07T08:02:00", K, location_information={
            "latitude": 22.28, "longitude": 114.15}),
        m(25, "2024-01-07T08:03:00", K, "Pay 500 USDT here", via_bot="@wallet"),
    ]  # fmt: skip
    return {"name": K, "type": "personal_chat", "id": 5012345678, "messages": msgs}


def write_export(
    folder: Path, chat: dict[str, Any], *, per_file: int = 1000, offset: bool = True
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tg_html.render(chat, per_file=per_file, offset=offset).items():
        (folder / name).write_text(text, encoding="utf-8")
    for sub in ("css", "js", "images", "photos", "files", "video_files", "voice_messages",
                "stickers"):  # fmt: skip
        (folder / sub).mkdir(exist_ok=True)
    (folder / "css" / "style.css").write_text("body { margin: 0 }\n", encoding="utf-8")
    (folder / "js" / "script.js").write_text("function CheckLocation() {}\n", encoding="utf-8")
    (folder / "photos" / "photo_3@06-01-2024_09-05-30.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


def json_conv(tmp_path: Path, chat: dict[str, Any]) -> Conversation:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(chat, ensure_ascii=False), encoding="utf-8")
    return load_chat(path)


def assert_same(html: Conversation, js: Conversation) -> None:
    """Same chat: texts, senders, times (offsets too), kinds, attachments, numbering."""
    assert html.source_format == "telegram-html" and js.source_format == "telegram-json"
    assert (html.title, html.platform) == (js.title, js.platform)
    assert html.participants == js.participants
    assert (html.me, html.me_method) == (js.me, js.me_method)
    assert len(html) == len(js)
    for h, j in zip(html.messages, js.messages, strict=True):
        assert (h.sender, h.kind, h.source_line, h.is_user) == (
            j.sender, j.kind, j.source_line, j.is_user), j  # fmt: skip
        if h.kind is MessageKind.SYSTEM:
            assert h.timestamp is None  # the HTML gives no time for service rows
            continue
        assert h.timestamp == j.timestamp
        if h.timestamp is not None and j.timestamp is not None:
            assert h.timestamp.utcoffset() == j.timestamp.utcoffset()
        if h.kind is MessageKind.CALL:
            continue  # "phone call: Missed" vs the JSON's "phone call: missed"
        assert h.text == j.text
        assert h.attachments == j.attachments


def test_html_export_equals_json_export(tmp_path: Path) -> None:
    chat = scam_chat()
    folder = write_export(tmp_path / "ChatExport_2024-01-07", chat)
    html = load_chat(folder / "messages.html")
    assert_same(html, json_conv(tmp_path, chat))
    assert html.me == R and html.me_method == "heuristic:other-party-named"
    assert html.messages[0].timestamp == datetime(2024, 1, 5, 20, 15, 2, tzinfo=UTC8)
    assert html.messages[1].sender == K  # a joined row
    assert html.messages[3].text.startswith('Returns: 5% < 10% & "guaranteed" > bank <script>')
    assert html.messages[6].attachments == ("https://t.me/okx_support_desk",)
    assert html.messages[9].attachments == ("forwarded_from:Crypto Signals VIP",)
    assert html.messages[10].attachments == ("forwarded_from:Crypto Signals VIP",)
    assert html.messages[17].sender == K and html.messages[17].kind is MessageKind.SYSTEM
    assert html.messages[24].sender == K  # "Kevin Zhang via @wallet"
    assert html.warnings == ()


def test_old_exports_without_utc_offset_stay_naive_like_json_without_unixtime(
    tmp_path: Path,
) -> None:
    chat = scam_chat()
    folder = write_export(tmp_path / "ChatExport", chat, offset=False)
    for msg in chat["messages"]:
        del msg["date_unixtime"]
    html = load_chat(folder)
    assert_same(html, json_conv(tmp_path, chat))
    assert html.messages[0].timestamp == datetime(2024, 1, 5, 20, 15, 2)
    zoned = load_chat(folder, options=ImportOptions(timezone="Asia/Shanghai"))
    assert zoned.messages[0].timestamp == datetime(2024, 1, 5, 20, 15, 2, tzinfo=UTC8)


def test_folder_and_parts_in_numeric_order(tmp_path: Path) -> None:
    chat = scam_chat()
    folder = write_export(tmp_path / "ChatExport_2024-01-07", chat, per_file=2)
    names = sorted(p.name for p in folder.glob("messages*.html"))
    assert "messages10.html" in names and "messages13.html" in names
    js = json_conv(tmp_path, chat)
    for path in (folder, folder / "messages.html"):
        conv = load_chat(path)
        assert_same(conv, js)
        assert conv.warnings == ()
    assert detect_format(folder / "messages.html") == "telegram-html"


def test_later_part_alone_is_refused_beside_the_first(tmp_path: Path) -> None:
    folder = write_export(tmp_path / "ChatExport", scam_chat(), per_file=5)
    with pytest.raises(InputError, match=r"messages2\.html: this is part 2 .*pass messages\.html"):
        load_chats(folder / "messages2.html")
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(folder / "messages3.html", alone / "messages3.html")
    conv = load_chat(alone / "messages3.html")
    assert [m.source_line for m in conv.messages][:2] == [1, 2]  # numbered within what was read
    assert any("parts of the export are missing" in w for w in conv.warnings)


def _joined_across(chat: dict[str, Any]) -> dict[str, str]:
    """Parts split inside a run of one sender, the next file starting with a joined row
    (as older Telegram Desktop versions wrote it)."""
    files = tg_html.render(chat, per_file=1000)
    html = files["messages.html"]
    cut = html.index('<div class="message default clearfix joined" id="message2"')
    start = cut - len("\n     ")
    head = html[: html.index('<div class="message service" id="message-1"') - len("\n     ")]
    tail = "\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n</html>\n"
    link = '\n     <a class="pagination block_link" href="messages2.html">\nNext messages\n'
    link += "     </a>\n"
    return {"messages.html": html[:start] + link + tail, "messages2.html": head + html[start:]}


def test_joined_row_takes_its_sender_from_the_previous_file(tmp_path: Path) -> None:
    chat = scam_chat()
    folder = tmp_path / "ChatExport"
    folder.mkdir()
    for name, text in _joined_across(chat).items():
        (folder / name).write_text(text, encoding="utf-8")
    assert (
        '<div class="message default clearfix joined" id="message2"'
        in (folder / "messages2.html").read_text(encoding="utf-8")[:2000]
    )
    conv = load_chat(folder)
    assert_same(conv, json_conv(tmp_path, chat))
    (folder / "messages.html").unlink()
    (folder / "messages2.html").rename(folder / "messages.html")
    alone = load_chat(folder)
    assert alone.messages[0].sender is None
    assert any("earlier file that was not read" in w for w in alone.warnings)


def test_zip_of_the_export_folder(tmp_path: Path) -> None:
    chat = scam_chat()
    files = tg_html.render(chat, per_file=10)
    members: dict[str, bytes | str] = {f"ChatExport_2024-01-07/{n}": t for n, t in files.items()}
    members["ChatExport_2024-01-07/css/style.css"] = "body {}"
    members["ChatExport_2024-01-07/js/script.js"] = "function CheckLocation() {}"
    members["ChatExport_2024-01-07/photos/photo_3@06-01-2024_09-05-30.jpg"] = b"\xff\xd8\xff"
    path = zip_with(tmp_path / "ChatExport_2024-01-07.zip", members)
    assert detect_format(path) == "telegram-html"
    conv = load_chat(path)
    assert_same(conv, json_conv(tmp_path, chat))
    assert conv.source_path == f"{path}!ChatExport_2024-01-07"
    assert load_bytes(path.read_bytes(), name="upload.zip")[0].messages[2].text == (
        "Oh hi Kevin\nHow did you get my number?"
    )


def test_zip_with_a_missing_last_part_says_so(tmp_path: Path) -> None:
    files = tg_html.render(scam_chat(), per_file=10)
    del files["messages3.html"]
    path = zip_with(tmp_path / "export.zip", files)  # type: ignore[arg-type]
    conv = load_chat(path)
    assert len(conv) == 20
    assert any("links to messages3.html, which was not found" in w for w in conv.warnings)


def test_hand_written_group_export_with_service_rows_and_placeholders() -> None:
    conv = load_chat(FIXTURE)
    assert conv.title == "USDT Earn Club 💰"
    assert conv.participants == ("Amy Lin", "Rachel Green", "Mark Chen", "Deleted Account")
    assert conv.me is None  # a group: its title names no person
    assert [m.source_line for m in conv.messages] == list(range(1, 13))  # no date rows
    kinds = [m.kind.value for m in conv.messages]
    assert kinds == ["system", "system", "text", "media", "text", "system", "text", "system",
                     "media", "media", "text", "media"]  # fmt: skip
    created, joined = conv.messages[0], conv.messages[1]
    assert created.text == "Amy Lin created group «USDT Earn Club»" and created.sender == "Amy Lin"
    assert joined.sender == "Rachel Green" and joined.timestamp is None
    welcome = conv.messages[2]
    assert welcome.timestamp == datetime(2024, 1, 5, 15, 4, 23)  # no offset: naive
    assert welcome.text == (
        "Welcome & congrats! Returns <5% daily> are \"guaranteed\" for 'VIP' members 🚀\n"
        "Register: https://usdt-earn.vip/r?c=77&x=1"
    )
    assert welcome.attachments == ()  # the link shows its own target
    photo = conv.messages[3]
    assert photo.sender == "Amy Lin" and photo.text == "Today's profit screenshot"
    assert photo.attachments == ("photos/photo_1@05-01-2024_15-05-02.jpg",)
    assert conv.messages[4].text == "How do I deposit?"  # the "edited" mark is not text
    steps = conv.messages[6]
    assert steps.text == ("Step 1: send to TQrZ8X4wMv1Yc7nW9pK3sD2fG6hJ5kL8aB today 😀🔥\n"
                          "fee: 20% no refunds support")  # fmt: skip
    assert steps.attachments == ("https://t.me/usdt_earn_support",)
    assert conv.messages[7].text == "Amy Lin pinned this message"
    assert conv.messages[8].attachments == ("wallet_guide.pdf",)
    assert conv.messages[9].attachments == ("voice_message",)
    assert conv.messages[9].sender == "Amy Lin"
    fwd = conv.messages[10]
    assert fwd.text == "Send to my wallet now"
    assert fwd.attachments == ("https://tronscan.org/#/address/TXa9bc",
                               "forwarded_from:Binance Official")  # fmt: skip
    assert conv.messages[11].sender == "Deleted Account" and conv.messages[11].attachments == ()
    assert conv.warnings == ()


def test_detection_and_other_html(tmp_path: Path) -> None:
    page = (FIXTURE / "messages.html").read_bytes()
    assert detect_format(page) == "telegram-html"
    assert load_bytes(page, name="messages.html")[0].title == "USDT Earn Club 💰"
    with pytest.raises(UnknownFormatError, match="not a Telegram Desktop chat export"):
        detect_format(b"<!DOCTYPE html>\n<html><head></head><body>messages</body></html>")
    results = tmp_path / "export_results.html"  # the full export's index page
    results.write_text('<!DOCTYPE html><html><head><title>Exported Data</title></head><body>'
                       '<div class="page_wrap"><div class="page_header">Exported Data</div>'
                       "</div></body></html>", encoding="utf-8")  # fmt: skip
    with pytest.raises(UnknownFormatError):
        load_chats(results)


def _page(rows: str) -> bytes:
    return ('<!DOCTYPE html><html><head><title>Exported Data</title></head><body>'
            '<div class="page_wrap"><div class="page_header"><div class="content">'
            '<div class="text bold">Kevin</div></div></div><div class="page_body chat_page">'
            f'<div class="history">{rows}').encode()  # fmt: skip


_ROW = ('<div class="message default clearfix" id="message{i}"><div class="body">'
        '<div class="pull_right date details" title="05.01.2024 15:04:{s:02d} UTC+08:00">'
        '15:04</div><div class="from_name">Kevin</div><div class="text">hi {i}</div>'
        "</div></div>")  # fmt: skip


def test_cut_short_file_keeps_its_messages(tmp_path: Path) -> None:
    data = _page(_ROW.format(i=1, s=1) + _ROW.format(i=2, s=2)[:-10])
    conv = load_bytes(data, name="messages.html")[0]
    assert [m.text for m in conv.messages] == ["hi 1", "hi 2"]
    assert any("ends inside a message" in w for w in conv.warnings)


def test_unclosed_rows_and_deep_nesting_are_read_with_warnings() -> None:
    unclosed = _ROW.format(i=1, s=1).replace("</div></div></div>", "")
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    data = _page(unclosed + _ROW.format(i=2, s=2) + deep + "<b><i><span>" * 300)
    conv = load_bytes(data, name="messages.html")[0]
    assert [m.text for m in conv.messages] == ["hi 1", "hi 2"]
    assert any("was not closed" in w for w in conv.warnings)
    deeper = _page(_ROW.format(i=1, s=1).replace("hi 1", "<b>" * 400 + "hi" + "</b>" * 400))
    conv = load_bytes(deeper, name="messages.html")[0]
    assert conv.messages[0].text == "hi"
    assert any("nested deeper than 256" in w and "line 1" in w for w in conv.warnings)


def test_hostile_markup_is_a_clear_error_naming_file_and_line() -> None:
    huge = _page(_ROW.format(i=1, s=1) + '\n\n<a href="' + "x" * (5 * 1024 * 1024))
    with pytest.raises(InputError, match=r"^messages\.html:3: a tag .* does not end within"):
        load_bytes(huge, name="messages.html")
    script = _page("\n<script>" + "var a = 1;\n" * 500_000)
    with pytest.raises(InputError, match=r"messages\.html:2: an unclosed <script> element"):
        load_bytes(script, name="messages.html")
    comment = _page("<!--" + "x" * (5 * 1024 * 1024))
    with pytest.raises(InputError, match="an unterminated comment"):
        load_bytes(comment, name="messages.html")
    with pytest.raises(InputError, match=r"messages\.html:1: malformed HTML"):
        load_bytes(_page(_ROW.format(i=1, s=1) + "<![foo bar]>"), name="messages.html")
    short_script = _page(_ROW.format(i=1, s=1) + "<script>" + _ROW.format(i=2, s=2))
    conv = load_bytes(short_script, name="messages.html")[0]
    assert [m.text for m in conv.messages] == ["hi 1"]
    assert any("unclosed <script>" in w and "nothing after it" in w for w in conv.warnings)


def test_long_messages_are_cut_and_nuls_removed() -> None:
    data = _page(_ROW.format(i=1, s=1).replace("hi 1", "a\x00b" + "c" * 500))
    conv = load_bytes(data, name="messages.html", options=ImportOptions(max_message_chars=100))[0]
    assert conv.messages[0].text == "ab" + "c" * 98
    assert any("longer than 100 characters was cut" in w for w in conv.warnings)
    assert any("NUL characters were removed" in w for w in conv.warnings)


def test_no_message_rows_is_an_error() -> None:
    with pytest.raises(InputError, match="no Telegram messages found"):
        load_bytes(_page("<p>nothing</p>"), name="messages.html")


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
    | st.sampled_from("\n\t&<>\"'; #x"),
    max_size=200,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_TEXT, min_size=1, max_size=5))
def test_any_text_survives_the_html_round_trip(texts: list[str]) -> None:
    chat = {"name": "Kevin Zhang", "type": "personal_chat", "messages": [
        _msg(i + 1, f"2024-01-05T10:{i:02d}:00", K if i % 2 else R, t)
        for i, t in enumerate(texts)]}  # fmt: skip
    files = tg_html.render(chat)
    conv = load_bytes(files["messages.html"].encode("utf-8"), name="messages.html")[0]
    assert [m.text for m in conv.messages] == texts
    assert [m.sender for m in conv.messages] == [K if i % 2 else R for i in range(len(texts))]


_FRAGMENTS = st.sampled_from([
    '<div class="message default clearfix" id="message1">', '<div class="message service">',
    '<div class="message default clearfix joined" id="message9">', '<div class="text">',
    '<div class="from_name">', '<div class="body">', "</div>", "</a>", "<br>", "<br/>",
    '<div class="pull_right date details" title="05.01.2024 15:04:23 UTC+08:00">',
    '<div class="pull_right date details" title="99.99.2024 25:61:00 UTC+99:00">',
    '<div class="media_wrap clearfix">', '<a class="photo_wrap" href="photos/p.jpg">',
    '<div class="forwarded body">', '<span class="details">', '<a href="https://x.y/">',
    '<div class="title bold">', '<div class="description">', "<script>", "</script>",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&amp;", "&#x1F600;", "&#0;",
    "&", "<", ">", '"', "'", "\x00", "<img alt='x'>", "<p>", "<![if x]>",
])  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_FRAGMENTS | st.text(max_size=20), max_size=60))
def test_arbitrary_markup_never_crashes(parts: list[str]) -> None:
    data = _page("".join(parts))
    try:
        convs = load_bytes(data, name="messages.html")
    except ScamlensError as exc:
        assert str(exc).startswith("messages.html")
        return
    for conv in convs:
        assert conv.source_format == "telegram-html"


def test_scan_end_to_end_on_an_html_export(tmp_path: Path) -> None:
    from scamlens.cli import main

    folder = write_export(tmp_path / "ChatExport_2024-01-07", scam_chat(), per_file=10)
    out = tmp_path / "r.json"
    path = zip_with(tmp_path / "export.zip", {
        f"ChatExport_2024-01-07/{p.name}": p.read_text(encoding="utf-8")
        for p in folder.glob("messages*.html")})  # fmt: skip
    assert main(["scan", str(folder / "messages.html"), str(path), "--no-intel",
                 "--format", "json", "-o", str(out)]) == 0  # fmt: skip
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["results"]) == 2
    for result in doc["results"]:
        assert result["message_count"] == 25
        texts = [m["text"] for m in result["messages"]]
        assert "Trust me, withdraw anytime\nJust pay the 20% tax first" in texts
