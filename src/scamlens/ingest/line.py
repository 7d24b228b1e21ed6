"""LINE "Send chat history" text files (English, Japanese and Chinese headers).

    [LINE] Chat history with Bob          | [LINE] Bobとのトーク履歴 | [LINE] 與Bob的聊天記錄
    Saved on: 2024/01/01 12:00            | 保存日時：2024/01/01 12:00
    (blank)
    2023/12/31(Sun)                       | 2023.12.31 Sunday | Sun, 12/31/2023
    21:41<TAB>Bob<TAB>Hello
    21:42<TAB>Alice<TAB>"first line
    second line"
    21:43<TAB>Bob unsent a message.

A message that spans lines is written in double quotes; the quotes are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from scamlens.errors import InputError
from scamlens.model import MessageKind

from .common import CALL, DELETED, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name

_HEADER = re.compile(r"\ufeff?\[LINE\] ?(.*)")
_WITH = (
    re.compile(r"Chat history with (.+)"),
    re.compile(r"Chat history in (.+)"),
    re.compile(r"(.+)とのトーク履歴"),
    re.compile(r"(.+)のトーク履歴"),
    re.compile(r"與(.+)的聊天記錄"),
    re.compile(r"与(.+)的聊天记录"),
    re.compile(r"(.+)的聊天記錄"),
    re.compile(r"(.+)的聊天记录"),
    re.compile(r"ประวัติการแชทกับ ?(.+)"),
    re.compile(r"ประวัติการแชทใน ?(.+)"),
)
_SAVED = re.compile(r"(?:Saved on|保存日時|儲存日期|保存日期|儲存時間|保存时间|บันทึกเมื่อ) ?[:：]")
_DATE_YMD = re.compile(r"(\d{4})[./年-](\d{1,2})[./月-](\d{1,2})日?(?:[ (（,][^\t]{0,24})?")
# "Sun, 12/31/2023", "31/12/2023 (Sun)", Thai "05/01/2024 ศุกร์" or "วันศุกร์, 05/01/2024".
_DATE_US = re.compile(
    r"(?:[^\s\d,]{2,16},? )?(\d{1,2})/(\d{1,2})/(\d{4})"
    r"(?: ?[(（][^\t]{0,12}[)）]| [^\s\d]{2,16})?"
)
_TIME = r"(?:(AM|PM|午前|午後|上午|下午) ?)?(\d{1,2}):(\d{2})(?: ?(AM|PM))?\t"
_MSG = re.compile(_TIME + r"([^\t]*)\t(.*)")
_EVENT = re.compile(_TIME + r"(.*)")
_PM = frozenset({"PM", "午後", "下午"})
_AM = frozenset({"AM", "午前", "上午"})
_MEDIA = frozenset(
    {
        "[Photo]", "[Photos]", "[Sticker]", "[Video]", "[File]", "[Voice message]", "[Audio]",
        "[Location]", "[Contact]", "[Album]", "[GIF]", "[写真]", "[スタンプ]", "[動画]",
        "[ファイル]", "[ボイスメッセージ]", "[位置情報]", "[連絡先]", "[アルバム]", "[照片]",
        "[貼圖]", "[影片]", "[檔案]", "[語音訊息]", "[位置資訊]", "[聯絡資訊]", "[相簿]",
        "[图片]", "[贴图]", "[视频]", "[文件]", "[语音消息]", "[位置信息]", "[联系人]",
    }
)  # fmt: skip
_CALL_WORDS = ("☎", "Missed call", "Canceled call", "Call time", "不在着信", "通話時間",
               "未接來電", "通話時間", "未接来电", "通话时间")  # fmt: skip
_UNSENT = (" unsent a message.", "がメッセージの送信を取り消しました", "已收回訊息", "已收回讯息")


def header_title(first_line: str) -> str | None:
    m = _HEADER.match(first_line)
    if not m:
        return None
    rest = m.group(1).strip()
    for rx in _WITH:
        hit = rx.fullmatch(rest)
        if hit:
            return hit.group(1).strip()
    return rest or None


def detect(lines: list[str]) -> bool:
    first = next((x for x in lines if x.strip()), "")
    if _HEADER.match(first):
        return True
    dates = sum(1 for x in lines if _date(x) is not None)
    msgs = sum(1 for x in lines if _MSG.fullmatch(x))
    return dates >= 1 and msgs >= 2


# A date line as found: (year, month, day) for year-first dates, else (a, b, year) with the
# day/month order of a and b settled once the whole file is read (see _order).
_Day = tuple[bool, int, int, int]


def _date(line: str) -> _Day | None:
    m = _DATE_YMD.fullmatch(line.strip())
    if m:
        return True, int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = _DATE_US.fullmatch(line.strip())
    if m:
        return False, int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def _order(days: list[_Day], option: str, ctx: Context) -> str:
    """'dmy' or 'mdy' for the slash dates of one file (like WhatsApp: any first field over
    12 means day-first, any second field over 12 month-first; otherwise month-first)."""
    if option in ("dmy", "mdy"):
        return option
    short = [(a, b) for ymd, a, b, _ in days if not ymd]
    if not short:
        return "mdy"
    if any(a > 12 for a, _ in short):
        return "dmy"
    if not any(b > 12 for _, b in short):
        ctx.notes.add(
            "no day above 12 in any date, so the order is a guess: read as month/day; set "
            "ImportOptions.date_order to change it"
        )
    return "mdy"


def _resolve(day: _Day, order: str) -> date | None:
    ymd, a, b, c = day
    if ymd and a >= 2400:
        a -= 543  # Thai Buddhist-era year (2567 = 2024)
    elif not ymd and c >= 2400:
        c -= 543
    try:
        if ymd:
            return date(a, b, c)
        return date(c, b, a) if order == "dmy" else date(c, a, b)
    except ValueError:
        return None


def parse(lines: Iterable[tuple[int, str]], ctx: Context) -> RawChat:
    cap = ctx.options.max_message_chars
    title: str | None = None
    days: list[_Day] = []  # date lines seen; a draft's timestamp is (days index, minutes)
    day = -1
    drafts: list[Draft] = []
    names: dict[str, str] = {}
    cur: list[str] = []
    cur_head: tuple[str | None, int | None, int, bool] | None = None  # sender, ts code, line
    cur_len = 0
    in_quote = False
    found = False

    def flush() -> None:
        assert cur_head is not None
        sender, ts, line, event = cur_head
        while len(cur) > 1 and not cur[-1].strip():
            cur.pop()  # the blank line before a date line
        text = cur[0] if len(cur) == 1 else "\n".join(cur)
        if len(cur) > 1 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1].replace('""', '"')
        drafts.append(_classify(sender, text, ts, line, event))

    for lineno, line in lines:
        if lineno <= 3 and not found:
            if title is None and _HEADER.match(line):
                title = header_title(line)
                continue
            if _SAVED.match(line):
                continue
        m = _MSG.fullmatch(line)
        if in_quote and cur_head is not None:
            if m is None and _EVENT.fullmatch(line) is None:
                if cur_len + len(line) < cap:
                    cur.append(line)
                    cur_len += len(line) + 1
                else:
                    ctx.notes.count(f"a message longer than {cap:,} characters was cut",
                                    cur_head[2])  # fmt: skip
                if line.endswith('"') and not line.endswith('""'):
                    in_quote = False
                continue
            # A message line inside an open quote: the quote was only a message starting
            # with '"' ("Hi" she said), not a multi-line message. Date lines swallowed on
            # the way still count.
            in_quote = False
            while len(cur) > 1 and (not cur[-1].strip() or _date(cur[-1]) is not None):
                d = _date(cur.pop())
                if d is not None and not (days and days[-1] == d):
                    days.append(d)
                    day = len(days) - 1
        event = False
        if m is None:
            m = _EVENT.fullmatch(line)
            event = m is not None
        if m is None:
            d = _date(line)
            if d is not None:
                if cur_head is not None:
                    flush()
                    cur_head = None
                if not days or days[-1] != d:
                    days.append(d)
                day = len(days) - 1
            elif cur_head is not None and cur_len + len(line) < cap:
                cur.append(line)
                cur_len += len(line) + 1
            elif cur_head is not None:
                ctx.notes.count(f"a message longer than {cap:,} characters was cut", cur_head[2])
            elif line.strip():
                ctx.notes.count("a line before the first message was skipped", lineno)
            continue
        if cur_head is not None:
            flush()
        found = True
        pre, hh, mm, post, *rest = m.groups()
        hour, minute = int(hh), int(mm)
        ap = pre or post
        if ap in _PM and hour < 12:
            hour += 12
        elif ap in _AM and hour == 12:
            hour = 0
        ts = day * 1440 + hour * 60 + minute if day >= 0 and hour < 24 and minute < 60 else None
        if event:
            sender, text = None, rest[0]
        else:
            name = clean_name(rest[0])
            sender = names.setdefault(name, name) if name else None
            text = rest[1]
        text = ctx.clean(text, lineno) if len(text) > cap else text
        cur_head = (sender, ts, lineno, event)
        cur = [text]
        cur_len = len(text)
        in_quote = text.startswith('"') and not (len(text) > 1 and text.endswith('"'))
    if cur_head is not None:
        flush()
    if not found:
        raise InputError("no LINE message lines (time<TAB>name<TAB>text) found", ctx.name)
    _timestamps(drafts, days, ctx)
    raw = RawChat(drafts, "line-txt", "line", title=title)
    raw.other_party = title
    return raw


def _timestamps(drafts: list[Draft], days: list[_Day], ctx: Context) -> None:
    """Turn the (day index, minutes) codes of `drafts` into datetimes, in place."""
    order = _order(days, ctx.options.date_order.lower(), ctx)
    dates = [_resolve(d, order) for d in days]
    bad = 0
    for i, d in enumerate(drafts):
        code: Any = d[2]
        ts = None
        if code is not None:
            day = dates[code // 1440]
            if day is None:
                bad += 1
            else:
                mins = code % 1440
                ts = datetime(day.year, day.month, day.day, mins // 60, mins % 60, tzinfo=ctx.tz)
        drafts[i] = (d[0], d[1], ts, d[3], d[4], d[5], d[6])
    if bad:
        ctx.notes.add(f"{bad} message(s) fell under an impossible date and got no timestamp")


def _classify(sender: str | None, text: str, ts: Any, line: int, event: bool) -> Draft:
    kind: MessageKind = TEXT
    stripped = text.strip()
    if event:
        kind = SYSTEM
        for suffix in _UNSENT:
            if stripped.endswith(suffix):
                kind = DELETED
                sender = clean_name(stripped[: -len(suffix)]) or None
                break
    elif stripped in _MEDIA:
        kind = MEDIA
    elif stripped.endswith(_UNSENT):
        kind = DELETED
    elif stripped.startswith(_CALL_WORDS):
        kind = CALL
    return (sender, text, ts, kind, (), line, None)
