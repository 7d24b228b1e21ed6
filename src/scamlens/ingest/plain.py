"""Pasted text: ``Name: message`` lines, chats copied from WhatsApp Web or Telegram Desktop,
or bare text.

Named: a line starts a message when it reads ``Name: text`` (or ``Name：text``, optionally
after a ``[time]``) and Name is one of the chat's names: a name used on at least two lines,
or, in a short paste where most lines are named, any name, or any name after a stamp as
WhatsApp Web/Desktop copies it (``[21:41, 20/02/2024] Name: text``). Other lines continue the
message before. Telegram Desktop copies (``Name, [20.02.2024 21:41]`` header lines, the text
below, blank lines between messages) are read as such when the paste opens with a header or
has two, and has at least half as many headers as named lines. Stamps with a numeric date
are read with one day/month order for the whole paste (`dateorder.Dates`, as for WhatsApp
exports); other ``[...]`` prefixes go through `parse_any` (ISO strings), or give no time.
Both layouts keep the format id "plain-named".

Bare: each paragraph (blank-line separated) is a message when paragraphs have several lines,
else each non-empty line is; the sender is unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from scamlens.errors import InputError

from .common import TEXT, Context, Draft, RawChat, clean_name
from .dateorder import AP, DATE, PRE, TIME, Dates, clock, stamp
from .timeutil import parse_any

Lines = Callable[[Context], Iterator[tuple[int, str]]]

_NAMED = re.compile(r"(?:\[([^\]\n]{1,40})\] ?)?([^:：\t\n\[]{1,80})(?::(?:[ \t]|$)|：[ \t]?)(.*)")
_MAX_NAME = 40  # longer (up to 80) or wordier (over 5 words) only after a "[time, date]" stamp
_MAX_NAMES = 10_000
# Stamps pasted from chat apps, read with one day/month order for the whole paste:
# WhatsApp Web/Desktop "[21:41, 20/02/2024]" (time first), Telegram Desktop
# "[20.02.2024 21:41]" (date first). Groups: the date string is the key for Dates.
_TIME_DATE = re.compile(PRE + TIME + AP + r", ?(" + DATE + ")")
_DATE_TIME = re.compile("(" + DATE + ")" + r",? " + PRE + TIME + AP)
_MAX_HEADER = 200  # a Telegram copy header: name (at most _MAX_TG_NAME) and stamp
_MAX_TG_NAME = 80


def _name(m: re.Match[str]) -> str | None:
    raw = m.group(2)
    bracket = m.group(1)
    if (len(raw) > _MAX_NAME or len(raw.split()) > 5) and not (bracket and _is_stamp(bracket)):
        return None  # a sentence before a colon; an app's stamp says it is a name
    name = clean_name(raw)
    if not name:
        return None
    low = name.lower()
    if low.startswith(("http", "www", "note", "ps", "p.s")) or "//" in name:
        return None
    if not any(ch.isalpha() for ch in name):
        # "21:41", "1.", "--" are not names; a phone number is (an unsaved contact, an SMS).
        return name if _phone_like(name) else None
    return name


_PHONE_CHARS = frozenset("0123456789+-.() ")


def _phone_like(name: str) -> bool:
    """'+1 213-555-0147', '+8613800138000', '(213) 555-0147': 7-15 digits, with a leading '+'
    or at least 10 digits (so a date such as 2024-01-20 or a short count is not a sender)."""
    if not set(name) <= _PHONE_CHARS or "+" in name[1:]:
        return False
    digits = sum(ch.isdigit() for ch in name)
    return 7 <= digits <= 15 and (name.startswith("+") or digits >= 10)


def name_stats(lines: Iterable[str]) -> tuple[Counter[str], int, int]:
    """(name counts, named lines, non-empty lines)."""
    survey = _survey(lines)
    return survey.counts, survey.named, survey.nonempty


class _Survey:
    """What a first pass over a paste found: names, stamped names, Telegram copy headers."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.stamped: set[str] = set()  # names on lines with a "[time, date]" prefix
        self.stamped_lines = 0
        self.named = self.nonempty = 0
        self.headers = 0  # "Name, [20.02.2024 21:41]" lines
        self.first_is_header = False

    def names(self) -> set[str]:
        return chat_names(self.counts, self.named, self.nonempty) | self.stamped

    def telegram_copy(self) -> bool:
        """The paste is a Telegram Desktop copy: it opens with a header, or has two, and
        has at least half as many headers as 'Name: text' lines."""
        if not self.headers or not (self.first_is_header or self.headers >= 2):
            return False
        names = self.names()
        hits = sum(self.counts[n] for n in names)
        return self.headers * 2 >= hits


def _survey(lines: Iterable[str]) -> _Survey:
    s = _Survey()
    for line in lines:
        if not line.strip():
            continue
        s.nonempty += 1
        if _telegram_header(line, None) is not None:
            s.headers += 1
            s.first_is_header = s.first_is_header or s.nonempty == 1
            continue
        m = _NAMED.match(line)
        if m:
            n = _name(m)
            if n is not None:
                s.named += 1
                if n in s.counts or len(s.counts) < _MAX_NAMES:
                    s.counts[n] += 1
                    bracket = m.group(1)
                    if bracket and _is_stamp(bracket):
                        s.stamped_lines += 1
                        if len(s.stamped) < _MAX_NAMES:
                            s.stamped.add(n)
    return s


def _is_stamp(bracket: str) -> bool:
    text = bracket.strip()
    return bool(_TIME_DATE.fullmatch(text) or _DATE_TIME.fullmatch(text))


def chat_names(counts: Counter[str], named: int, nonempty: int) -> set[str]:
    accepted = {n for n, c in counts.items() if c >= 2}
    if len(accepted) < 2 and nonempty and named * 2 >= nonempty and len(counts) <= 10:
        accepted = set(counts)
    return accepted


def looks_named(lines: list[str]) -> bool:
    survey = _survey(lines)
    if survey.telegram_copy():
        return True
    if survey.stamped_lines and survey.stamped_lines * 3 >= survey.nonempty:
        return True  # "[21:41, 20/02/2024] Name: text", even from one sender
    names = survey.names()
    if not names or not survey.nonempty:
        return False
    hits = sum(survey.counts[n] for n in names)
    return hits * 3 >= survey.nonempty and (len(names) >= 2 or hits >= 3)


class _Messages:
    """Messages as they are read: a start line opens one, other lines continue it (up to
    `max_message_chars`), and trailing blank lines are dropped when it closes. A time may be
    a date code until `_settle_dates`."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cap = ctx.options.max_message_chars
        self.drafts: list[Draft] = []
        self.sender: str | None = None
        self.ts: datetime | int | None = None
        self.cur: list[str] = []
        self.line = 0
        self.size = 0

    def start(self, sender: str | None, ts: datetime | int | None, lineno: int) -> None:
        self.flush()
        self.sender, self.ts, self.line = sender, ts, lineno
        self.cur, self.size = [], 0

    def add(self, line: str) -> None:
        if self.size + len(line) < self.cap:
            self.cur.append(line)
            self.size += len(line) + 1
        else:
            self.ctx.notes.count(
                f"a message longer than {self.cap:,} characters was cut", self.line
            )

    def flush(self) -> None:
        cur = self.cur
        while cur and not cur[-1].strip():
            cur.pop()
        if cur:
            draft = (self.sender, "\n".join(cur), self.ts, TEXT, (), self.line, None)
            self.drafts.append(draft)  # type: ignore[arg-type]  # a date code until settled
        self.cur = []


def parse_named(lines: Lines, ctx: Context) -> RawChat:
    survey = _survey(line for _, line in lines(ctx.fresh()))
    if survey.telegram_copy():
        return _parse_telegram_copy(lines, ctx)
    names = survey.names()
    if not names:
        raise InputError("no 'Name: message' lines found", ctx.name)
    out = _Messages(ctx)
    interned = {n: n for n in names}
    dates = Dates()
    whatsapp_web = 0  # lines stamped "[21:41, 20/02/2024]", as WhatsApp Web copies them
    for lineno, line in lines(ctx):
        m = _NAMED.match(line)
        name = _name(m) if m else None
        if m is not None and name in interned:
            ts: datetime | int | None = None
            bracket = m.group(1)
            if bracket:
                ts = _bracket_time(bracket, dates, ctx)
                if isinstance(ts, int) and _TIME_DATE.fullmatch(bracket.strip()):
                    whatsapp_web += 1
            out.start(interned[name], ts, lineno)
            out.cur, out.size = [m.group(3)], len(m.group(3))
            continue
        if not out.cur and not line.strip():
            continue
        if not out.cur:
            out.start(None, None, lineno)
        out.add(line)
    out.flush()
    if dates.keys:
        _settle_dates(out.drafts, dates, ctx)
    return RawChat(out.drafts, "plain-named", "whatsapp" if whatsapp_web else None)


def _parse_telegram_copy(lines: Lines, ctx: Context) -> RawChat:
    """Telegram Desktop's "Copy selected as text": ``Name, [20.02.2024 21:41]`` then the text
    lines; a blank line before the next header only separates messages."""
    out = _Messages(ctx)
    dates = Dates()
    names: dict[str, str] = {}
    started = False  # a header (or nameless text before the first one) is open
    for lineno, line in lines(ctx):
        head = _telegram_header(line, dates)
        if head is not None:
            name, ts = head
            out.start(names.setdefault(name, name), ts, lineno)
            started = True
            continue
        if not out.cur and not line.strip():
            continue  # blank lines between messages, or between a header and its text
        if not started:
            out.start(None, None, lineno)
            started = True
        out.add(line)
    out.flush()
    if not out.drafts:
        raise InputError("no message text under the 'Name, [date time]' lines", ctx.name)
    _settle_dates(out.drafts, dates, ctx)
    return RawChat(out.drafts, "plain-named", "telegram")


def _bracket_time(bracket: str, dates: Dates, ctx: Context) -> datetime | int | None:
    """A ``[time]`` prefix: a date code (``time, date`` or ``date time``, resolved once the
    whole paste is read), else whatever `parse_any` reads (ISO strings and such), else None."""
    text = bracket.strip()
    m = _TIME_DATE.fullmatch(text)
    if m:
        pre, hh, mi, ss, ap, key = m.group(1, 2, 3, 4, 5, 6)
    else:
        m = _DATE_TIME.fullmatch(text)
        if m is None:
            return parse_any(text, ctx.tz)
        key, pre, hh, mi, ss, ap = m.group(1, 6, 7, 8, 9, 10)
    return _code(dates, key, pre, hh, mi, ss, ap)


def _code(
    dates: Dates, key: str, pre: str | None, hh: str, mi: str, ss: str | None, ap: str | None
) -> int | None:
    """Date code * 86400 + seconds into the day, for `_settle_dates`; None if the time is
    impossible."""
    if ap or pre:
        dates.twelve_hour = True
    secs = clock(pre, hh, mi, ss, ap)
    return None if secs is None else dates.code(key) * 86400 + secs


def _settle_dates(drafts: list[Draft], dates: Dates, ctx: Context) -> None:
    """Turn date codes into datetimes now that the day/month order can be decided."""
    resolved = dates.resolve(ctx)
    bad = 0
    for i, d in enumerate(drafts):
        code = d[2]
        if isinstance(code, int):
            ts = stamp(resolved[code // 86400], code % 86400, ctx.tz)
            bad += ts is None
            drafts[i] = (d[0], d[1], ts, d[3], d[4], d[5], d[6])
    if bad:
        ctx.notes.count(f"{bad} message(s) had an impossible date and got no timestamp")


def _telegram_header(line: str, dates: Dates | None) -> tuple[str, int | None] | None:
    """(sender, date code or None) when `line` reads ``Name, [20.02.2024 21:41]``."""
    line = line.rstrip()
    if not line.endswith("]") or len(line) > _MAX_HEADER:
        return None
    at = line.rfind(", [")
    if at <= 0:
        return None
    m = _DATE_TIME.fullmatch(line, at + 3, len(line) - 1)
    if m is None:
        return None
    name = clean_name(line[:at])
    if not name or len(name) > _MAX_TG_NAME or name[0] == "[":
        return None
    if dates is None:
        return name, None
    key, pre, hh, mi, ss, ap = m.group(1, 6, 7, 8, 9, 10)
    return name, _code(dates, key, pre, hh, mi, ss, ap)


def parse_bare(lines: Lines, ctx: Context) -> RawChat:
    paragraphs = _has_paragraphs(line for _, line in lines(ctx.fresh()))
    cap = ctx.options.max_message_chars
    drafts: list[Draft] = []
    cur: list[str] = []
    cur_line = 0
    cur_len = 0
    for lineno, line in lines(ctx):
        if not line.strip():
            if cur:
                drafts.append((None, "\n".join(cur), None, TEXT, (), cur_line, None))
                cur = []
            continue
        if not paragraphs:
            drafts.append((None, line, None, TEXT, (), lineno, None))
            continue
        if not cur:
            cur_line, cur_len = lineno, 0
        if cur_len + len(line) < cap:
            cur.append(line)
            cur_len += len(line) + 1
        else:
            ctx.notes.count(f"a message longer than {cap:,} characters was cut", cur_line)
    if cur:
        drafts.append((None, "\n".join(cur), None, TEXT, (), cur_line, None))
    if not drafts:
        raise InputError("the input holds no text", ctx.name)
    return RawChat(drafts, "plain", None)


def _has_paragraphs(lines: Iterable[str]) -> bool:
    run = 0
    blank_seen = False
    multi = False
    for line in lines:
        if line.strip():
            run += 1
            if run >= 2:
                multi = True
        else:
            blank_seen = blank_seen or run > 0
            run = 0
        if multi and blank_seen:
            return True
    return False
