"""The record importer's hot functions as they were before they were sped up: the tests
check that the fast versions give the same drafts, warnings and timestamps."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any

from scamlens.ingest.common import TEXT, Context, Draft, RawChat, clean_name
from scamlens.ingest.tabular import Mapping, _bool, _scalar_text
from scamlens.ingest.timeutil import _FORMATS, UTC, from_epoch

_UTC_SUFFIX = re.compile(r" ?(?:UTC|GMT|Z)$")


def parse_any(value: object, tz: tzinfo | None = None) -> datetime | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if text.replace(".", "", 1).isdigit():
        return from_epoch(text)
    aware = False
    m = _UTC_SUFFIX.search(text)
    if m and not text[: m.start()].endswith(("+", "-")):
        text = text[: m.start()]
        aware = True
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _FORMATS:
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if dt is None:
        return None
    if aware and dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    elif dt.tzinfo is None and tz is not None:
        dt = dt.replace(tzinfo=tz)
    return dt


def records_to_chats(
    records: Iterable[tuple[int, dict[str, Any]]], mapping: Mapping, ctx: Context, fmt: str
) -> list[RawChat]:
    groups: dict[str, list[Draft]] = {}
    for line, rec in records:
        text = _scalar_text(mapping.get(rec, "text"))
        if text is None:
            ctx.notes.count("a record without message text was skipped", line)
            continue
        sender = _scalar_text(mapping.get(rec, "sender"))
        sender = clean_name(sender) or None if sender else None
        ts = parse_any(mapping.get(rec, "timestamp"), ctx.tz)
        if ts is None and mapping.get(rec, "timestamp") not in (None, ""):
            ctx.notes.count("a timestamp that could not be read was left out", line)
        hint = _bool(mapping.get(rec, "is_user"))
        conv = _scalar_text(mapping.get(rec, "conversation")) or ""
        draft: Draft = (sender, ctx.clean(text, line), ts, TEXT, (), line, hint)
        groups.setdefault(conv, []).append(draft)
    mine = {d[0] for drafts in groups.values() for d in drafts if d[6] is True and d[0]}
    out = []
    for conv, drafts in groups.items():
        raw = RawChat(_oldest_first(drafts, ctx), fmt, None, title=conv or None)
        if len(mine) == 1:
            raw.owner, raw.owner_method = next(iter(mine)), "heuristic:is-user-column"
        out.append(raw)
    return out


def _oldest_first(drafts: list[Draft], ctx: Context) -> list[Draft]:
    stamps = [d[2] for d in drafts]
    if len(stamps) >= 2 and all(s is not None for s in stamps):
        try:
            desc = all(a >= b for a, b in pairwise(stamps))  # type: ignore[operator]
        except TypeError:
            return drafts
        if desc and stamps[0] != stamps[-1]:
            ctx.notes.add("records were newest first; reversed to oldest first")
            drafts.reverse()
    return drafts
