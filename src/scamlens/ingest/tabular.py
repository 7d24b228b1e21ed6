"""Record formats: LinkedIn ``messages.csv``, generic CSV/TSV, JSON Lines and JSON arrays.

Generic records map fields to message parts through ``ImportOptions.columns`` or, when a
field is not given, the first common name present (text/message/content/body,
sender/from/author/name, timestamp/time/date/datetime, conversation/chat/thread). A
conversation field splits one file into several conversations. Rows are kept in file order,
except that files written newest first are reversed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from scamlens.errors import InputError

from .common import TEXT, Context, Draft, RawChat, clean_name
from .options import ColumnMap
from .timeutil import parse_any

GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "content", "body", "msg", "message_text", "message_body"),
    "sender": ("sender", "from", "author", "sender_name", "name", "user", "username",
               "from_name", "speaker", "role"),
    "timestamp": ("timestamp", "time", "date", "datetime", "date_time", "created_at",
                  "sent_at", "date_sent", "ts", "created"),
    "id": ("id", "message_id", "msg_id", "uuid"),
    "conversation": ("conversation", "conversation_id", "chat", "chat_id", "thread",
                     "thread_id", "channel", "dialog", "session"),
    "is_user": ("is_user", "from_me", "is_from_me", "outgoing", "is_outgoing", "direction",
                "is_sent", "sent_by_me"),
}  # fmt: skip
LINKEDIN_COLUMNS = ("CONVERSATION ID", "FROM", "DATE", "CONTENT")
_EPOCH = datetime.min
_TRUE = frozenset({"1", "true", "yes", "y", "sent", "outgoing", "out", "me", "self", "user"})
_FALSE = frozenset({"0", "false", "no", "n", "received", "incoming", "in", "inbox", "them"})


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        v = value.strip().lower()
        return True if v in _TRUE else False if v in _FALSE else None
    return None


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "display_name", "username", "text"):
            v = value.get(key)
            if isinstance(v, str):
                return v
        return None
    if isinstance(value, list):
        parts = [p for p in (_scalar_text(v) for v in value) if p]
        return "".join(parts) if parts else None
    return None


class Mapping:
    """Field names for one file, chosen from the options or guessed from its columns."""

    def __init__(self, columns: Iterable[str], given: ColumnMap, name: str) -> None:
        cols = list(columns)
        by_norm: dict[str, str] = {}
        for c in cols:
            by_norm.setdefault(_norm(c), c)
        self.fields: dict[str, str | None] = {}
        for part, guesses in GUESSES.items():
            chosen: str | None = getattr(given, part)
            if chosen is not None:
                head = chosen.split(".", 1)[0]
                if head not in cols and _norm(head) not in by_norm:
                    raise InputError(
                        f"column {chosen!r} (for {part}) is not in the file; columns are: "
                        + ", ".join(repr(c) for c in cols[:40]),
                        name,
                    )
                if head not in cols:
                    chosen = by_norm[_norm(head)] + chosen[len(head) :]
            else:
                chosen = next((by_norm[g] for g in guesses if g in by_norm), None)
            self.fields[part] = chosen
        if self.fields["text"] is None:
            raise InputError(
                "no message text column found (looked for "
                + "/".join(GUESSES["text"][:4])
                + "); columns are: "
                + ", ".join(repr(c) for c in cols[:40])
                + ". Set ImportOptions.columns.text",
                name,
            )
        if self.fields["sender"] == self.fields["text"]:
            self.fields["sender"] = None

    def get(self, record: dict[str, Any], part: str) -> Any:
        key = self.fields.get(part)
        if key is None:
            return None
        if key in record:
            return record[key]
        value: Any = record
        for piece in key.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(piece)
        return value


def records_to_chats(
    records: Iterable[tuple[int, dict[str, Any]]],
    mapping: Mapping,
    ctx: Context,
    fmt: str,
) -> list[RawChat]:
    # Hot loop (every record of every CSV/JSON import): `rec[key] if key in rec` is
    # Mapping.get's own first step, so it only falls back to it for dotted or absent keys.
    f = mapping.fields
    k_text, k_sender, k_ts = f["text"], f["sender"], f["timestamp"]
    k_user, k_conv = f["is_user"], f["conversation"]
    get, tz, notes, clean = mapping.get, ctx.tz, ctx.notes, ctx.clean
    cap = ctx.options.max_message_chars
    names: dict[str, str | None] = {}  # raw sender -> cleaned (names repeat)
    groups: dict[str, list[Draft]] = {}
    mine: set[str] = set()  # senders of records marked as the user's
    for line, rec in records:
        value = rec[k_text] if k_text in rec else get(rec, "text")
        text = value if type(value) is str else _scalar_text(value)
        if text is None:
            notes.count("a record without message text was skipped", line)
            continue
        sender: str | None = None
        if k_sender is not None:
            value = rec[k_sender] if k_sender in rec else get(rec, "sender")
            raw_sender = value if type(value) is str else _scalar_text(value)
            if raw_sender:
                if raw_sender in names:
                    sender = names[raw_sender]
                else:
                    sender = names[raw_sender] = clean_name(raw_sender) or None
        ts = None
        if k_ts is not None:
            value = rec[k_ts] if k_ts in rec else get(rec, "timestamp")
            ts = parse_any(value, tz)
            if ts is None and value not in (None, ""):
                notes.count("a timestamp that could not be read was left out", line)
        hint = None
        if k_user is not None:
            value = rec[k_user] if k_user in rec else get(rec, "is_user")
            hint = value if type(value) is bool else _bool(value)
        conv = ""
        if k_conv is not None:
            value = rec[k_conv] if k_conv in rec else get(rec, "conversation")
            conv = _scalar_text(value) or ""
        if "\x00" in text or len(text) > cap:  # after the timestamp: warnings keep their order
            text = clean(text, line)
        draft: Draft = (sender, text, ts, TEXT, (), line, hint)
        if hint is True and sender:
            mine.add(sender)
        if conv in groups:
            groups[conv].append(draft)
        else:
            groups[conv] = [draft]
    out = []
    for conv, drafts in groups.items():
        raw = RawChat(_oldest_first(drafts, ctx), fmt, None, title=conv or None)
        if len(mine) == 1:
            raw.owner, raw.owner_method = next(iter(mine)), "heuristic:is-user-column"
        out.append(raw)
    return out


def _oldest_first(drafts: list[Draft], ctx: Context) -> list[Draft]:
    stamps = [d[2] for d in drafts]
    if len(stamps) >= 2 and None not in stamps:
        try:
            if stamps[0] < stamps[-1]:  # type: ignore[operator]  # oldest first: no full pass
                return drafts
            desc = all(a >= b for a, b in pairwise(stamps))  # type: ignore[operator]
        except TypeError:  # naive and aware mixed: leave the order alone
            return drafts
        if desc and stamps[0] != stamps[-1]:
            ctx.notes.add("records were newest first; reversed to oldest first")
            drafts.reverse()
    return drafts


def _feed(lines: Iterable[tuple[int, str]], at: list[int]) -> Iterator[str]:
    for lineno, line in lines:
        at[0] = lineno
        yield line + "\n"


def _raise_field_limit(ctx: Context) -> None:
    # csv's per-field limit (128 KiB) is process-wide; only ever raise it, to our message cap.
    want = ctx.options.max_message_chars * 4 + 16
    if csv.field_size_limit() < want:
        csv.field_size_limit(want)


def sniff_dialect(sample: str, filename: str) -> type[csv.Dialect] | csv.Dialect:
    if filename.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        # A short sample: the sniffer's quote search is quadratic on hostile input.
        return csv.Sniffer().sniff(sample[:4096], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def csv_rows(
    lines: Iterable[tuple[int, str]], ctx: Context, dialect: type[csv.Dialect] | csv.Dialect
) -> Iterator[tuple[int, list[str]]]:
    """(first line of the row, row) for every non-blank row, header included."""
    _raise_field_limit(ctx)
    at = [0]
    reader = csv.reader(_feed(lines, at), dialect)
    prev_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", ctx.name, at[0]) from None
        start = prev_end + 1
        prev_end = at[0]
        if row and any(cell.strip() for cell in row):
            yield start, row


def parse_csv(
    lines: Iterable[tuple[int, str]], ctx: Context, dialect: type[csv.Dialect] | csv.Dialect
) -> list[RawChat]:
    rows = csv_rows(lines, ctx, dialect)
    first = next(rows, None)
    if first is None:
        raise InputError("the CSV file has no rows", ctx.name)
    header = [h.strip().lstrip("\ufeff") for h in first[1]]
    upper = [h.upper() for h in header]
    if all(c in upper for c in LINKEDIN_COLUMNS):
        return _linkedin(rows, upper, ctx)
    mapping = Mapping(header, ctx.options.columns, ctx.name)

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for line, row in rows:
            if len(row) > len(header):
                ctx.notes.count("a row had more cells than the header; extras ignored", line)
            yield line, dict(zip(header, row, strict=False))

    chats = records_to_chats(records(), mapping, ctx, "csv")
    if not chats:
        raise InputError("the CSV file has a header but no message rows", ctx.name)
    return chats


def _linkedin(
    rows: Iterator[tuple[int, list[str]]], upper: list[str], ctx: Context
) -> list[RawChat]:
    col = {name: i for i, name in reversed(list(enumerate(upper)))}

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    convs: dict[str, list[tuple[datetime | None, int, Draft]]] = {}
    titles: dict[str, str] = {}
    urls: dict[str, set[str]] = {}
    url_names: dict[str, str] = {}
    sent_by: dict[str, str] = {}
    for line, row in rows:
        cid = cell(row, "CONVERSATION ID")
        sender = clean_name(cell(row, "FROM")) or None
        content = cell(row, "CONTENT") or cell(row, "SUBJECT")
        ts = parse_any(cell(row, "DATE"), ctx.tz)
        if cell(row, "DATE") and ts is None:
            ctx.notes.count("a DATE that could not be read was left out", line)
        sender_url = cell(row, "SENDER PROFILE URL")
        seen = urls.setdefault(cid, set())
        if sender_url:
            seen.add(sender_url)
            if sender:
                url_names.setdefault(sender_url, sender)
        for u in cell(row, "RECIPIENT PROFILE URLS").split(","):
            if u.strip():
                seen.add(u.strip())
        if cell(row, "FOLDER").upper() == "SENT" and sender:
            sent_by[cid] = sender
        if cell(row, "CONVERSATION TITLE"):
            titles.setdefault(cid, cell(row, "CONVERSATION TITLE"))
        bucket = convs.setdefault(cid, [])
        draft: Draft = (sender, ctx.clean(content, line), ts, TEXT, (), line, None)
        bucket.append((ts, len(bucket), draft))
    if not convs:
        raise InputError("the LinkedIn messages.csv has no messages", ctx.name)
    owner_url = None
    if len(urls) >= 2:
        common = set.intersection(*urls.values())
        if len(common) == 1:
            owner_url = next(iter(common))
    out = []
    for cid, items in convs.items():
        if all(ts is not None for ts, _, _ in items):
            items.sort(key=lambda t: (t[0] or _EPOCH, t[1]))
        else:
            items.reverse()  # LinkedIn writes newest first
        raw = RawChat([d for _, _, d in items], "linkedin-csv", "linkedin",
                      title=titles.get(cid) or None)  # fmt: skip
        if cid in sent_by:
            raw.owner, raw.owner_method = sent_by[cid], "heuristic:linkedin-folder-sent"
        elif owner_url and owner_url in url_names:
            raw.owner = url_names[owner_url]
            raw.owner_method = "heuristic:linkedin-profile-in-every-conversation"
        out.append(raw)
    return out


def parse_jsonl(lines: Iterable[tuple[int, str]], ctx: Context) -> list[RawChat]:
    buffered: list[tuple[int, dict[str, Any]]] = []
    it = iter(lines)
    bad = 0

    def objects() -> Iterator[tuple[int, dict[str, Any]]]:
        nonlocal bad
        for lineno, line in it:
            s = line.strip()
            if not s:
                continue
            try:
                obj = json.loads(s)
            except (ValueError, RecursionError):
                bad += 1
                ctx.notes.count("a line that is not valid JSON was skipped", lineno)
                continue
            if not isinstance(obj, dict):
                ctx.notes.count("a JSON line that is not an object was skipped", lineno)
                continue
            yield lineno, obj

    gen = objects()
    keys: dict[str, None] = {}
    for item in gen:  # look at the first records to choose the fields
        buffered.append(item)
        keys.update(dict.fromkeys(item[1]))
        if len(buffered) >= 50:
            break
    if not buffered:
        raise InputError("no JSON objects found (one per line expected)", ctx.name)
    mapping = Mapping(keys, ctx.options.columns, ctx.name)

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        yield from buffered
        yield from gen

    chats = records_to_chats(records(), mapping, ctx, "jsonl")
    if not chats:
        raise InputError("no record had message text", ctx.name)
    return chats


def parse_json_records(doc: Any, ctx: Context) -> list[RawChat]:
    """A JSON array of message objects, or an object whose "messages" is one."""
    items = doc.get("messages") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise InputError("expected a list of message objects", ctx.name)
    records = [(i + 1, r) for i, r in enumerate(items) if isinstance(r, dict)]
    if len(records) < len(items):
        ctx.notes.count(f"{len(items) - len(records)} item(s) that are not objects were skipped")
    if not records:
        raise InputError("the JSON list holds no message objects", ctx.name)
    keys: dict[str, None] = {}
    for _, r in records[:50]:
        keys.update(dict.fromkeys(r))
    mapping = Mapping(keys, ctx.options.columns, ctx.name)
    chats = records_to_chats(records, mapping, ctx, "json")
    if not chats:
        raise InputError("no record had message text", ctx.name)
    return chats


MESSAGE_KEYS = ("sender", "text", "timestamp", "is_user")


def parse_message_rows(rows: Sequence[dict[str, Any]], ctx: Context) -> list[RawChat]:
    """`parse_json_records` for message rows already validated as the service's messages:
    "text" a str; "sender" and "timestamp" a str, "is_user" a bool, each absent or None; no
    other key. A None value counts as absent (as in ``model_dump(exclude_none=True)``): a
    field is read when one of the first 50 rows gives it, as the generic importer chooses its
    columns. Same drafts, warnings and errors as the generic path, with no column mapping.
    Only for the default column map (the service's options)."""
    if ctx.options.columns != ColumnMap():
        raise ValueError("parse_message_rows takes only the default column map")
    if not rows:
        raise InputError("the JSON list holds no message objects", ctx.name)
    head = rows[:50]
    has_sender = any(r.get("sender") is not None for r in head)
    has_ts = any(r.get("timestamp") is not None for r in head)
    has_user = any(r.get("is_user") is not None for r in head)
    tz, notes, clean = ctx.tz, ctx.notes, ctx.clean
    cap = ctx.options.max_message_chars
    names: dict[str, str | None] = {}  # raw sender -> cleaned (names repeat)
    drafts: list[Draft] = []
    mine: set[str] = set()
    for line, rec in enumerate(rows, 1):
        text = rec["text"]
        sender: str | None = None
        if has_sender:
            raw_sender = rec.get("sender")
            if raw_sender:
                if raw_sender in names:
                    sender = names[raw_sender]
                else:
                    sender = names[raw_sender] = clean_name(raw_sender) or None
        ts = None
        if has_ts:
            value = rec.get("timestamp")
            if value is not None:
                ts = parse_any(value, tz)
                if ts is None and value != "":
                    notes.count("a timestamp that could not be read was left out", line)
        hint = rec.get("is_user") if has_user else None
        if "\x00" in text or len(text) > cap:
            text = clean(text, line)
        drafts.append((sender, text, ts, TEXT, (), line, hint))
        if hint is True and sender:
            mine.add(sender)
    raw = RawChat(_oldest_first(drafts, ctx), "json", None, title=None)
    if len(mine) == 1:
        raw.owner, raw.owner_method = next(iter(mine)), "heuristic:is-user-column"
    return [raw]


def header_is_chat(header: list[str], given: ColumnMap) -> bool:
    """Does a CSV header look like messages (a text column, given or guessable)?"""
    norms = {_norm(h) for h in header}
    upper = {h.strip().upper() for h in header}
    if all(c in upper for c in LINKEDIN_COLUMNS):
        return True
    if given.text is not None:
        return _norm(given.text.split(".", 1)[0]) in norms
    return any(g in norms for g in GUESSES["text"]) and len(header) >= 2


def is_linkedin(header: list[str]) -> bool:
    upper = {h.strip().lstrip("\ufeff").upper() for h in header}
    return all(c in upper for c in LINKEDIN_COLUMNS)
