"""Chats copied out of WhatsApp Web/Desktop and Telegram Desktop and pasted as text.

WhatsApp Web: ``[21:41, 20/02/2024] Name: text`` lines; Telegram Desktop: a
``Name, [20.02.2024 21:41]`` header, the text lines, a blank line. Both are "plain-named",
with senders and timestamps; the day/month order is settled once per paste.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.ingest import ImportOptions, detect_format, load_chat, load_chats, parse_text
from scamlens.model import Conversation, Message

from .helpers import senders

PASTE = Path(__file__).resolve().parent / "fixtures" / "paste"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LAYOUTS = ("whatsapp", "whatsapp-us", "telegram", "telegram-us")


def _h12(ts: datetime) -> str:
    return f"{ts.hour % 12 or 12}:{ts.minute:02d} {'PM' if ts.hour >= 12 else 'AM'}"


def render(messages: list[Message], layout: str) -> str:
    """The messages as the app would put them on the clipboard."""
    us = layout.endswith("-us")
    out = []
    for m in messages:
        ts = m.timestamp
        assert ts is not None and m.sender
        if layout.startswith("whatsapp"):
            at = f"{_h12(ts)}, {ts.month}/{ts.day}/{ts.year}" if us else f"{ts:%H:%M, %d/%m/%Y}"
            out.append(f"[{at}] {m.sender}: {m.text}\n")
        else:
            at = f"{ts.month}/{ts.day}/{ts.year} {_h12(ts)}" if us else f"{ts:%d.%m.%Y %H:%M}"
            out.append(f"{m.sender}, [{at}]\n{m.text}\n\n")
    return "".join(out)


def copyable(conv: Conversation) -> list[Message]:
    """What a user can select and copy: messages with a sender, a text and a time."""
    return [m for m in conv.messages if m.sender and m.text.strip() and m.timestamp]


def _minute(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts.replace(tzinfo=None, second=0, microsecond=0)


def same_chat(original: list[Message], pasted: Conversation) -> None:
    assert [(m.sender, m.text, _minute(m.timestamp)) for m in pasted.messages] == [
        (m.sender, m.text, _minute(m.timestamp)) for m in original
    ]


# --- the two fixtures ------------------------------------------------------------------------


def test_whatsapp_web_copy() -> None:
    path = PASTE / "whatsapp_web_copy.txt"
    assert detect_format(path) == "plain-named"
    conv = load_chat(path, me="Rachel Owens")
    assert conv.source_format == "plain-named" and conv.platform == "whatsapp"
    assert (
        senders(conv)
        == ["Olivia Chen", "Rachel Owens", "Olivia Chen", "Rachel Owens"] + ["Olivia Chen"] * 2
    )
    assert [m.timestamp for m in conv.messages] == [
        datetime(2024, 2, 3, 21, 41),
        datetime(2024, 2, 3, 21, 43),
        datetime(2024, 2, 3, 21, 44),
        datetime(2024, 2, 4, 9, 5),
        datetime(2024, 2, 4, 9, 7),
        datetime(2024, 2, 15, 18, 30),  # 15/02 says day-first for the whole paste
    ]
    assert (
        conv.messages[2].text == "Oh I'm so sorry!\nMaybe it's fate though 😊 Where are you based?"
    )
    assert conv.messages[4].text == (
        "Hong Kong, I work in [crypto] arbitrage\n"
        "[link] my uncle's platform: https://example.invalid/x"
    )
    assert conv.messages[4].source_line == 6
    assert [m.is_user for m in conv.messages] == [False, True, False, True, False, False]
    assert conv.warnings == ()


def test_telegram_desktop_copy_chinese() -> None:
    path = PASTE / "telegram_desktop_copy.txt"
    assert detect_format(path) == "plain-named"
    conv = load_chat(path, me="王丽")
    assert conv.source_format == "plain-named" and conv.platform == "telegram"
    assert senders(conv) == ["张伟", "王丽", "张伟", "王丽"]
    assert [m.text for m in conv.messages] == [
        "你好，请问是王姐吗？",
        "不是，你打错了",
        "不好意思打扰了\n交个朋友吧 [微笑]",
        "好的",
    ]
    assert [m.timestamp for m in conv.messages] == [
        datetime(2024, 2, 3, 21, 41),
        datetime(2024, 2, 3, 21, 43),
        datetime(2024, 2, 3, 21, 44),
        datetime(2024, 2, 15, 9, 5),
    ]
    assert [m.source_line for m in conv.messages] == [1, 4, 7, 11]
    assert [m.is_user for m in conv.messages] == [False, True, False, True]
    assert conv.warnings == ()


# --- stamps: locales, clocks, date orders ------------------------------------------------------

GUESS = "no day above 12 in any date, so the order is a guess"

WHATSAPP_CASES = [
    # (first stamp, second stamp, first time, second time, the order was guessed)
    ("21:41, 20/02/2024", "9:05, 21/02/2024", (2024, 2, 20, 21, 41), (2024, 2, 21, 9, 5), False),
    ("21:41, 03/02/2024", "9:05, 04/02/2024", (2024, 2, 3, 21, 41), (2024, 2, 4, 9, 5), True),
    ("9:41 PM, 2/20/2024", "12:05 AM, 2/21/2024",
     (2024, 2, 20, 21, 41), (2024, 2, 21, 0, 5), False),
    ("9:41 PM, 2/3/2024", "12:05 PM, 2/4/2024", (2024, 2, 3, 21, 41), (2024, 2, 4, 12, 5), True),
    ("9:41\u202fpm, 20/02/2024", "10:00\u202fam, 2/3/2024",
     (2024, 2, 20, 21, 41), (2024, 3, 2, 10, 0), False),
    ("21:41, 20.02.2024", "21:42, 20.02.2024", (2024, 2, 20, 21, 41), (2024, 2, 20, 21, 42), False),
    ("21:41, 03.02.24", "21:42, 03.02.24", (2024, 2, 3, 21, 41), (2024, 2, 3, 21, 42), True),
    ("21:41, 2024-02-03", "21:42, 2024-02-04", (2024, 2, 3, 21, 41), (2024, 2, 4, 21, 42), False),
    ("21:41:05, 20/02/2024", "21:42:59, 20/02/2024",
     (2024, 2, 20, 21, 41, 5), (2024, 2, 20, 21, 42, 59), False),
    ("下午9:41, 2024/2/3", "上午12:05, 2024/2/4", (2024, 2, 3, 21, 41), (2024, 2, 4, 0, 5), False),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "ta", "tb", "guessed"), WHATSAPP_CASES)
@pytest.mark.parametrize(("one", "two"), [("Olivia", "Rachel Owens"), ("小雨", "阿杰")])
def test_whatsapp_web_stamps(
    a: str, b: str, ta: tuple[int, ...], tb: tuple[int, ...], guessed: bool, one: str, two: str
) -> None:
    text = f"[{a}] {one}: hello\nsecond line\n[{b}] {two}: hi\n"
    (conv,) = parse_text(text, me=two)
    assert senders(conv) == [one, two]
    assert [m.text for m in conv.messages] == ["hello\nsecond line", "hi"]
    assert [m.timestamp for m in conv.messages] == [datetime(*ta), datetime(*tb)]
    assert [m.is_user for m in conv.messages] == [False, True]
    assert any(GUESS in w for w in conv.warnings) == guessed


TELEGRAM_CASES = [
    ("20.02.2024 21:41", "21.02.2024 9:05", (2024, 2, 20, 21, 41), (2024, 2, 21, 9, 5), False),
    ("03.02.2024 21:41", "04.02.2024 09:05", (2024, 2, 3, 21, 41), (2024, 2, 4, 9, 5), True),
    ("20.02.24 21:41", "20.02.24 21:42", (2024, 2, 20, 21, 41), (2024, 2, 20, 21, 42), False),
    ("2/20/2024 9:41 PM", "2/21/2024 12:05 AM", (2024, 2, 20, 21, 41), (2024, 2, 21, 0, 5), False),
    ("2/3/2024 9:41 PM", "2/4/2024 9:05 AM", (2024, 2, 3, 21, 41), (2024, 2, 4, 9, 5), True),
    ("20/02/2024 21:41:05", "21/02/2024 9:05:00",
     (2024, 2, 20, 21, 41, 5), (2024, 2, 21, 9, 5), False),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "ta", "tb", "guessed"), TELEGRAM_CASES)
@pytest.mark.parametrize(("one", "two"), [("Olivia", "Rachel Owens"), ("张伟", "王丽")])
def test_telegram_desktop_stamps(
    a: str, b: str, ta: tuple[int, ...], tb: tuple[int, ...], guessed: bool, one: str, two: str
) -> None:
    text = f"{one}, [{a}]\nhello\n\nsecond paragraph\n\n{two}, [{b}]\nhi\n"
    (conv,) = parse_text(text, me=two)
    assert conv.platform == "telegram"
    assert senders(conv) == [one, two]
    assert [m.text for m in conv.messages] == ["hello\n\nsecond paragraph", "hi"]
    assert [m.timestamp for m in conv.messages] == [datetime(*ta), datetime(*tb)]
    assert [m.is_user for m in conv.messages] == [False, True]
    assert any(GUESS in w for w in conv.warnings) == guessed


def test_date_order_option_overrides_the_guess() -> None:
    wa = "[21:41, 03/02/2024] Amy: hi\n[21:42, 03/02/2024] Ben: ho\n"
    tg = "Amy, [03.02.2024 21:41]\nhi\n\nBen, [03.02.2024 21:42]\nho\n"
    for text in (wa, tg):
        (conv,) = parse_text(text, options=ImportOptions(date_order="mdy"))
        assert conv.messages[0].timestamp == datetime(2024, 3, 2, 21, 41)
        assert not any(GUESS in w for w in conv.warnings)


def test_timezone_option_applies() -> None:
    (conv,) = parse_text(
        "[21:41, 20/02/2024] Amy: hi\n[21:42, 20/02/2024] Ben: ho\n",
        options=ImportOptions(timezone="+08:00"),
    )
    ts = conv.messages[0].timestamp
    assert ts is not None and ts.utcoffset() is not None and ts.hour == 21


def test_impossible_dates_and_times_get_no_timestamp() -> None:
    text = "[21:41, 31/02/2024] Amy: hi\n[25:99, 20/02/2024] Ben: ho\n[21:43, 20/02/2024] Amy: ok\n"
    (conv,) = parse_text(text)
    assert senders(conv) == ["Amy", "Ben", "Amy"]
    assert [m.timestamp for m in conv.messages] == [None, None, datetime(2024, 2, 20, 21, 43)]
    assert any("impossible date" in w for w in conv.warnings)


# --- what must not change -------------------------------------------------------------------


def test_brackets_that_are_not_stamps() -> None:
    text = "Amy: hi\n[link] something\nBen: [sic] ok [1]\n[link] Amy: look\nBen: fine\n"
    (conv,) = parse_text(text)
    assert senders(conv) == ["Amy", "Ben", "Amy", "Ben"]
    assert conv.messages[0].text == "hi\n[link] something"
    assert conv.messages[1].text == "[sic] ok [1]"
    assert conv.messages[2].text == "look"
    assert all(m.timestamp is None for m in conv.messages)
    assert conv.platform is None


def test_iso_bracket_prefix_still_reads() -> None:
    text = "Amy: hi\n[2024-01-01T10:05:00+08:00] Zoe: hello\n[2024-01-01 10:06] Amy: ok\n"
    (conv,) = parse_text(text)
    assert conv.source_format == "plain-named" and conv.platform is None
    assert senders(conv) == ["Amy", "Zoe", "Amy"]
    ts = conv.messages[1].timestamp
    assert ts is not None and ts.utcoffset() is not None and ts.minute == 5
    assert conv.messages[2].timestamp == datetime(2024, 1, 1, 10, 6)
    assert conv.warnings == ()


def test_phone_and_long_names_after_a_stamp() -> None:
    long_name = "Michael Grant | Sentinel Chain Recovery Services Ltd"
    text = (
        "[21:41, 20/02/2024] +1 213-555-0147: Hi Jennifer, this is Olivia\n"
        "[21:42, 20/02/2024] Me: wrong number\n"
        f"[21:43, 20/02/2024] {long_name}: we recover funds\n"
    )
    (conv,) = parse_text(text, me="me")
    assert senders(conv) == ["+1 213-555-0147", "Me", long_name]
    # Without the stamp, a 7-word label before a colon is text, as before.
    (plain,) = parse_text("Amy: hi\nBen: ho\nAmy: so\nmy friend said to me this: buy\n")
    assert plain.messages[-1].text == "so\nmy friend said to me this: buy"


def test_a_single_telegram_message_and_text_before_the_first_header() -> None:
    (one,) = parse_text("Olivia, [20.02.2024 21:41]\nhello: there\n")
    assert senders(one) == ["Olivia"] and one.messages[0].text == "hello: there"
    (conv,) = parse_text(
        "...and then she wrote\n\nOlivia, [20.02.2024 21:41]\nhi\n\nBen, [20.02.2024 21:42]\n"
        "Amy, what [20.02.2024 21:41] means\nOlivia: quoted\n"
    )
    assert senders(conv) == [None, "Olivia", "Ben"]
    assert conv.messages[2].text == "Amy, what [20.02.2024 21:41] means\nOlivia: quoted"


def test_hostile_pastes_stay_cheap() -> None:
    # Long runs of the characters the patterns look for; must finish at once (no timing here,
    # but super-linear patterns would hang the test run).
    evil = [
        "[" * 200_000,
        "[1" * 100_000 + "] A: x",
        ", [" * 100_000 + "]",
        "A, [" + "1/" * 100_000 + "]",
        "[21:41, " + "1" * 100_000 + "] A: x",
        "1" * 200_000 + ": x",
    ]
    text = "\n".join(["[21:41, 20/02/2024] Amy: hi", *evil, "[21:42, 20/02/2024] Ben: ho"])
    (conv,) = parse_text(text, fmt="plain-named")
    assert senders(conv) == ["Amy", "Ben"]


def test_a_large_paste() -> None:
    lines = [
        f"[{i // 60 % 24}:{i % 60:02d}, {i // 1440 % 28 + 1}/{i // 40320 % 12 + 1}/2024] "
        f"{'Amy' if i % 2 else 'Ben'}: message {i}"
        for i in range(60_000)
    ]
    (conv,) = parse_text("\n".join(lines))
    assert len(conv) == 60_000
    assert conv.messages[-1].timestamp == datetime(2024, 2, 14, 15, 59)


# --- round trips through the bundled examples ---------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_of_an_example_chat(layout: str) -> None:
    export = load_chat(EXAMPLES / "scam" / "02-hinge-romance-whatsapp-ios.txt", me="Rachel Owens")
    original = copyable(export)
    assert len(original) >= 80
    (pasted,) = parse_text(render(original, layout), me="Rachel Owens")
    assert pasted.source_format == "plain-named"
    assert pasted.platform == layout.split("-")[0]
    same_chat(original, pasted)
    assert [m.is_user for m in pasted.messages] == [m.is_user for m in original]
    assert pasted.warnings == ()


_MANIFEST: list[dict[str, Any]] = yaml.safe_load((EXAMPLES / "MANIFEST.yaml").read_text())["files"]
_CHATS = [e for e in _MANIFEST if not str(e["path"]).startswith("texts/")]


@pytest.mark.parametrize("entry", _CHATS, ids=lambda e: str(e["path"]))
def test_pasted_examples_get_the_export_label(entry: dict[str, Any]) -> None:
    from scamlens.api import analyze

    (export,) = load_chats(EXAMPLES / entry["path"], me=entry.get("me"))
    original = copyable(export)
    if not original:
        pytest.skip("the example has no timestamps")
    want = analyze(export).label
    for layout in LAYOUTS:
        (pasted,) = parse_text(render(original, layout), me=entry.get("me"))
        same_chat(original, pasted)
        assert analyze(pasted).label == want, layout


# --- property: any chat rendered in either layout reads back ----------------------------------

_NAMES = st.sampled_from(["Olivia", "Rachel Owens", "小雨", "阿杰", "+1 213-555-0147", "Dr. Li"])
_WORDS = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        exclude_characters=":：[]\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e",
    ),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s != "")
_TEXT = st.lists(_WORDS, min_size=1, max_size=3).map("\n".join)
_TIMES = st.datetimes(datetime(2001, 1, 1), datetime(2099, 12, 31)).map(
    lambda t: t.replace(second=0, microsecond=0)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(_NAMES, _TEXT, _TIMES), min_size=1, max_size=12),
    st.sampled_from(LAYOUTS),
)
def test_any_chat_round_trips(msgs: list[tuple[str, str, datetime]], layout: str) -> None:
    original = [Message(i, s, t, timestamp=ts) for i, (s, t, ts) in enumerate(msgs)]
    (pasted,) = parse_text(render(original, layout))
    same_chat(original, pasted)
