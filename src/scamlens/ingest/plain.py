"""Pasted text: ``Name: message`` lines, or bare text.

Named: a line starts a message when it reads ``Name: text`` (or ``Name：text``, optionally
after a ``[time]``) and Name is one of the chat's names: a name used on at least two lines,
or, in a short paste where most lines are named, any name. Other lines continue the message
before. Bare: each paragraph (blank-line separated) is a message when paragraphs have
several lines, else each non-empty line is; the sender is unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from scamlens.errors import InputError

from .common import TEXT, Context, Draft, RawChat, clean_name
from .timeutil import parse_any

Lines = Callable[[Context], Iterator[tuple[int, str]]]

_NAMED = re.compile(r"(?:\[([^\]\n]{1,40})\] ?)?([^:：\t\n\[]{1,40})(?::(?:[ \t]|$)|：[ \t]?)(.*)")
_MAX_NAMES = 10_000


def _name(m: re.Match[str]) -> str | None:
    name = clean_name(m.group(2))
    if not name or len(name.split()) > 5:
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
    counts: Counter[str] = Counter()
    named = nonempty = 0
    for line in lines:
        if not line.strip():
            continue
        nonempty += 1
        m = _NAMED.match(line)
        if m:
            n = _name(m)
            if n is not None:
                named += 1
                if n in counts or len(counts) < _MAX_NAMES:
                    counts[n] += 1
    return counts, named, nonempty


def chat_names(counts: Counter[str], named: int, nonempty: int) -> set[str]:
    accepted = {n for n, c in counts.items() if c >= 2}
    if len(accepted) < 2 and nonempty and named * 2 >= nonempty and len(counts) <= 10:
        accepted = set(counts)
    return accepted


def looks_named(lines: list[str]) -> bool:
    counts, named, nonempty = name_stats(lines)
    names = chat_names(counts, named, nonempty)
    if not names or not nonempty:
        return False
    hits = sum(counts[n] for n in names)
    return hits * 3 >= nonempty and (len(names) >= 2 or hits >= 3)


def parse_named(lines: Lines, ctx: Context) -> RawChat:
    counts, named, nonempty = name_stats(line for _, line in lines(ctx.fresh()))
    names = chat_names(counts, named, nonempty)
    if not names:
        raise InputError("no 'Name: message' lines found", ctx.name)
    cap = ctx.options.max_message_chars
    drafts: list[Draft] = []
    interned = {n: n for n in names}
    sender: str | None = None
    cur: list[str] = []
    cur_line = 0
    cur_len = 0
    cur_ts = None

    def flush() -> None:
        while cur and not cur[-1].strip():
            cur.pop()
        if cur:
            drafts.append((sender, "\n".join(cur), cur_ts, TEXT, (), cur_line, None))

    for lineno, line in lines(ctx):
        m = _NAMED.match(line)
        name = _name(m) if m else None
        if m is not None and name in interned:
            flush()
            sender = interned[name]
            cur = [m.group(3)]
            cur_len = len(cur[0])
            cur_line = lineno
            cur_ts = parse_any(m.group(1), ctx.tz) if m.group(1) else None
            continue
        if not cur and not line.strip():
            continue
        if not cur:
            sender, cur_line, cur_ts, cur_len = None, lineno, None, 0
        if cur_len + len(line) < cap:
            cur.append(line)
            cur_len += len(line) + 1
        else:
            ctx.notes.count(f"a message longer than {cap:,} characters was cut", cur_line)
    flush()
    return RawChat(drafts, "plain-named", None)


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
