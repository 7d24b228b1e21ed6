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
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain, pairwise
from typing import Any, Protocol

from scamlens.errors import InputError
from scamlens.model import MessageKind

from .common import MEDIA, TEXT, Context, Draft, RawChat, clean_name
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
_ATTACHMENT_COLUMNS = frozenset({"attachments", "attachment"})  # DiscordChatExporter CSV
_EPOCH = datetime.min
_DIGIT = re.compile(r"\d").search
_QUOTE_TRIES = 8  # quotes of one line tried as the stray one
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
    attachments: str | None = None,
) -> list[RawChat]:
    """`attachments`: a CSV column of attachment URLs or file names (DiscordChatExporter's
    "Attachments"), kept in the message's attachments; a row with attachments and no text
    is a MEDIA message, as in the Discord JSON import."""
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
        kind: MessageKind = TEXT
        att: tuple[str, ...] = ()
        if attachments is not None and rec.get(attachments):
            att = _attachment_list(rec[attachments])
            if att and not text:
                kind = MEDIA
        draft: Draft = (sender, text, ts, kind, att, line, hint)
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


def _attachment_list(value: Any) -> tuple[str, ...]:
    """DiscordChatExporter joins a message's attachment URLs with commas; other exports may
    put one a line. Control characters are dropped (the URLs are shown and looked up)."""
    if not isinstance(value, str):
        return ()
    parts = value.replace("\n", ",").replace("\r", ",").split(",")
    return tuple(dict.fromkeys(p for p in (clean_name(x) for x in parts) if p))


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


def _feed(lines: Iterable[tuple[int, str]], held: list[tuple[int, str]]) -> Iterator[str]:
    # Every line is held until its row is done: a row that an unclosed quote ran on into
    # the rows after it can then be read again.
    for item in lines:
        held.append(item)
        yield item[1] + "\n"


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
        dialect = csv.Sniffer().sniff(sample[:4096], delimiters=",;\t|")
    except csv.Error:
        return csv.excel
    # The sniffer says "no doubled quotes" whenever its sample shows none; with no escape
    # character that reads a later `""` in a quoted cell as a closing quote. Every writer
    # doubles quotes (csv.writer, Excel, LinkedIn, DiscordChatExporter): so do we.
    dialect.doublequote = True
    return dialect


Dialect = type[csv.Dialect] | csv.Dialect
Lines = list[tuple[int, str]]

_UNCLOSED = "an unclosed quote (a stray '\"'?) ran on into the rows after it; they were read again"
_CUT_SHORT = "the file ends inside a quoted field (is it cut short?); the field was kept"
_EMPTY_QUOTED = "a row of empty quoted cells was skipped (half of a broken quoted cell?)"
_NOT_WHOLE = "a row spanning lines lacks cells or a timestamp (a stray quote?); kept as read"
_MALFORMED = "a quoted field spanning lines is malformed (a stray '\"'?); it was read as is"


class _Shape:
    """What a row of the file looks like, from its header: the number of cells and where the
    timestamp is. A line that reads on its own as that many cells (or fewer, its last quoted
    field going on to the next line) with a readable timestamp in its place starts a row."""

    def __init__(self, header: list[str], ctx: Context, dialect: Dialect) -> None:
        self.cells = len(header)
        self.ts = _timestamp_index(header, ctx.options.columns)
        self.delimiter = str(dialect.delimiter)
        self.dialect = dialect
        self.tz = ctx.tz
        self.epoch_digits: int | None = None  # the first row's timestamp is an epoch number

    def learn(self, row: list[str]) -> None:
        """The first data row: are its timestamps epoch numbers (then "5" in text is not)?"""
        if self.ts is not None and self.ts < len(row):
            cell = row[self.ts].strip()
            if cell.replace(".", "", 1).isdigit():
                self.epoch_digits = len(cell)

    def cells_of(self, line: str, at_least: int = 2) -> list[str] | None:
        """The line's cells when it reads as a row of the file on its own (None otherwise)."""
        if line.count(self.delimiter) < at_least - 1:  # a quick no, before any parsing
            return None
        cells = _cells_alone(line, self.dialect)  # [] for e.g. a bare CR inside the line
        n = len(cells)
        if n == self.cells or (at_least <= n < self.cells and _open_at_end(line, self.dialect)):
            return cells
        return None

    def starts_row(self, line: str) -> bool:
        ts = self.ts
        if ts is None:
            return False
        cells = self.cells_of(line, ts + 2)
        if cells is None or (len(cells) < self.cells and ts >= len(cells) - 1):
            return False
        return self.timestamp_like(cells[ts])

    def full(self, cells: list[str]) -> bool:
        """A whole row: as many cells as the header, a readable timestamp if there is one."""
        if len(cells) != self.cells:
            return False
        return self.ts is None or self.timestamp_like(cells[self.ts])

    def timestamp_like(self, cell: str) -> bool:
        cell = cell.strip()
        if not cell or len(cell) > 64 or _DIGIT(cell) is None:
            return False
        # A number in text is no epoch time, unless the file's timestamps are such numbers.
        if cell.replace(".", "", 1).isdigit() and (
            self.epoch_digits is None or abs(len(cell) - self.epoch_digits) > 1
        ):
            return False
        return parse_any(cell, self.tz) is not None


def _cells_alone(line: str, dialect: Dialect) -> list[str]:
    """The cells of one physical line read on its own ([] when the csv module refuses it)."""
    try:
        return next(csv.reader([line], dialect), [])
    except csv.Error:
        return []


def _open_at_end(line: str, dialect: Dialect) -> bool:
    try:
        for _ in csv.reader([line], dialect, strict=True):
            pass
    except csv.Error as exc:
        return str(exc).startswith("unexpected end of data")
    return False


def _timestamp_index(header: list[str], given: ColumnMap) -> int | None:
    norms = [_norm(h) for h in header]
    if given.timestamp is not None:
        want = _norm(given.timestamp.split(".", 1)[0])
        return norms.index(want) if want in norms else None
    for g in GUESSES["timestamp"]:
        if g in norms:
            return norms.index(g)
    return None


def _read_alone(
    lines: Lines, dialect: Dialect, name: str
) -> tuple[list[tuple[int, list[str]]], bool]:
    """The rows of `lines` read on their own (a quote still open at the end closes there),
    and whether one was still open. No newline after the last line: the cut is not text."""
    texts = [t + "\n" for _, t in lines]
    texts[-1] = lines[-1][1]
    for strict in (True, False):
        held: list[tuple[int, str]] = []
        numbered = list(zip((n for n, _ in lines), texts, strict=True))
        reader = csv.reader((t for _, t in _tap(numbered, held)), dialect, strict=strict)
        out: list[tuple[int, list[str]]] = []
        try:
            for row in reader:
                out.append((held[0][0], row))
                held.clear()
        except csv.Error as exc:
            if strict and not str(exc).startswith("field larger"):
                continue
            raise InputError(f"malformed CSV: {exc}", name, held[0][0]) from None
        return out, not strict
    raise AssertionError("unreachable")  # pragma: no cover


def _tap(lines: Lines, held: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    for item in lines:
        held.append(item)
        yield item


def _last_open(lines: Lines, dialect: Dialect) -> tuple[int, int] | None:
    """(index in `lines`, position) of the last quote that opened a field in `lines` (one row
    read from its start), None when none did. csv's own rules: a quote opens a field only at
    its start, a doubled quote inside is a quote, any other quote closes the field."""
    q = str(dialect.quotechar or '"')
    d = str(dialect.delimiter)
    space = bool(dialect.skipinitialspace)
    found = None
    inside = False
    for k, (_, text) in enumerate(lines):
        i, start = 0, (-1 if inside else 0)  # start: where the current unquoted field began
        while True:
            if inside:
                j = text.find(q, i)
                if j < 0:
                    break
                if text.startswith(q, j + 1):
                    i = j + 2
                    continue
                inside, i, start = False, j + 1, -1
                continue
            jq, jd = text.find(q, i), text.find(d, i)
            if jq >= 0 and (jd < 0 or jq < jd):
                lead = text[start:jq] if start >= 0 else "x"
                if lead == "" or (space and not lead.strip(" ")):
                    inside, found = True, (k, jq)
                i = jq + 1
                continue
            if jd < 0:
                break
            i = start = jd + 1
    return found


def _quote_line(lines: Lines, dialect: Dialect) -> int:
    """The line where the last quoted field of `lines` opened (the first line if none did)."""
    found = _last_open(lines, dialect)
    return lines[found[0] if found else 0][0]


def csv_rows(
    lines: Iterable[tuple[int, str]], ctx: Context, dialect: Dialect
) -> Iterator[tuple[int, list[str]]]:
    """(first line of the row, row) for every non-blank row, header included.

    Rows are read strictly first. A row the strict reader refuses (a quote still open at the
    end of the file, text after a closing quote) is read again as the lenient reader reads it,
    which is what it gave before; a row that spans lines is then checked: when lines inside it
    look like rows of the file (as many cells as the header, a readable timestamp in the
    timestamp column), an unclosed quote swallowed them, and they are read again as rows, with
    a warning naming the line where the quote opened. When they look like rows but cannot be
    told apart from text (no timestamp column), it is an InputError naming that line.
    """
    _raise_field_limit(ctx)
    src = iter(lines)
    held: Lines = []
    quote = str(dialect.quotechar or '"')
    reader = csv.reader(_feed(src, held), dialect, strict=True)
    shape: _Shape | None = None
    learning = True
    while True:
        refused = at_end = False
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            refused = True
            at_end = str(exc).startswith("unexpected end of data")
            again, held = held, []
            try:
                row = next(csv.reader(_feed(chain(again, src), held), dialect))
            except csv.Error as exc2:  # a field over the size limit: an unclosed quote?
                if shape is None or not _starts(held, shape):
                    line = _quote_line(held, dialect) if len(held) > 1 else held[-1][0]
                    raise InputError(f"malformed CSV: {exc2}", ctx.name, line) from None
                row, at_end = [], False
            reader = csv.reader(_feed(src, held), dialect, strict=True)
        if (refused or len(held) > 1) and shape is not None:
            if learning:  # the first data row: what its timestamp looks like, read alone
                learning = False
                shape.learn(_cells_alone(held[0][1], dialect))
            fixed = _check_row(held, row, at_end, refused, shape, ctx)
            if fixed is not None:
                done, again = fixed
                yield from done
                held.clear()
                if again:
                    reader = csv.reader(_feed(chain(again, src), held), dialect, strict=True)
                continue
        start = held[0][0]
        if row and any(cell.strip() for cell in row):
            held.clear()
            if shape is None:
                shape = _Shape([h.strip().lstrip("\ufeff") for h in row], ctx, dialect)
            elif learning:
                learning = False
                shape.learn(row)
            yield start, row
            continue
        # Skipped as blank; quotes there may be half of a broken quoted cell: say so.
        if row and shape is not None and any(quote in text for _, text in held):
            ctx.notes.count(_EMPTY_QUOTED, start)
        held.clear()


def _starts(held: Lines, shape: _Shape) -> list[int]:
    """Indices of the lines after the first that look like the start of a row."""
    return [i for i in range(1, len(held)) if shape.starts_row(held[i][1])]


def _check_row(
    held: Lines, row: list[str], at_end: bool, refused: bool, shape: _Shape, ctx: Context
) -> tuple[list[tuple[int, list[str]]], Lines] | None:
    """None: keep the row as read. Otherwise (rows to give, lines to read again after them).

    An unclosed quote is recognised by the lines it swallowed that look like rows (`starts`),
    or by its own line reading as a whole row once the quote is dropped while the row as read
    is not whole (the quote ran over the rest of its own row)."""
    dialect = shape.dialect
    multi = len(held) > 1
    starts = _starts(held, shape) if multi else []
    whole = shape.full(row)
    if not (starts or refused or not whole):
        return None  # the common case: a whole row with a quoted cell spanning lines
    found = _last_open(held[: starts[0]] if starts else held, dialect)
    first: list[tuple[int, list[str]]] | None = None
    if found is not None and (starts or not whole):
        first = _without_quote(held[: found[0] + 1], found[1], shape, ctx.name)
    if starts or first is not None:
        cut = found[0] + 1 if found is not None else starts[0]
        line = held[found[0] if found is not None else 0][0]
        if first is None:
            first, _ = _read_alone(held[:cut], dialect, ctx.name)
        ctx.notes.count(_UNCLOSED, line)
        out = [r for r in first if any(c.strip() for c in r[1])]
        points = [cut, *(i for i in starts if i > cut)]
        for a, b in pairwise(points):
            rows, open_at_end = _read_alone(held[a:b], dialect, ctx.name)
            if open_at_end:
                ctx.notes.count(_UNCLOSED, _quote_line(held[a:b], dialect))
            out.extend(r for r in rows if any(c.strip() for c in r[1]))
        # The last row may go on past these lines (its own quoted field, closed by the
        # quote that ended the swallowing one): it is read again with the rest of the file.
        return out, held[points[-1] :]
    if not refused:
        if multi and not whole:  # valid CSV, but cells or the timestamp are missing
            ctx.notes.count(_NOT_WHOLE, _quote_line(held, dialect))
        return None
    if not (at_end or multi):
        return None  # a lenient one-line read ("abc"def): kept as before, quietly
    maybe = [i for i in range(1, len(held)) if shape.cells_of(held[i][1]) is not None]
    if maybe:
        line = _quote_line(held[: maybe[0]], dialect)
        raise InputError(
            f"a quote opened at line {line} does not close where it should, and lines after "
            "it look like rows of the file; without a readable timestamp column they cannot be "
            "told apart from message text. Remove or double the stray '\"' and import again",
            ctx.name,
            line,
        )
    line = _quote_line(held, dialect)
    if at_end:
        ctx.notes.count(_CUT_SHORT, line)
        rows, _ = _read_alone(held, dialect, ctx.name)
        return [r for r in rows if any(c.strip() for c in r[1])], []
    ctx.notes.count(_MALFORMED, line)
    return None


def _without_quote(
    lines: Lines, at: int, shape: _Shape, name: str
) -> list[tuple[int, list[str]]] | None:
    """`lines` (a row up to the line where a quote opened at `at`) read with one quote of
    that line dropped, when that gives one whole row: the quote was a stray in front of or
    inside a cell. The quote at `at` is tried first, then the others from the right."""
    lineno, text = lines[-1]
    q = str(shape.dialect.quotechar or '"')
    spots = [at] + [i for i in range(len(text) - 1, -1, -1) if text[i] == q and i != at]
    for i in spots[:_QUOTE_TRIES]:
        last = (lineno, text[:i] + text[i + 1 :])
        rows, open_at_end = _read_alone([*lines[:-1], last], shape.dialect, name)
        if len(rows) == 1 and not open_at_end and shape.full(rows[0][1]):
            return rows
    return None


def parse_csv(lines: Iterable[tuple[int, str]], ctx: Context, dialect: Dialect) -> list[RawChat]:
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

    att = next((h for h in header if _norm(h) in _ATTACHMENT_COLUMNS), None)
    chats = records_to_chats(records(), mapping, ctx, "csv", att)
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


class MessageFields(Protocol):
    """A message row as the service validates it (`service.fastbody.MessageRow`)."""

    @property
    def sender(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def timestamp(self) -> str | None: ...
    @property
    def is_user(self) -> bool | None: ...


def parse_message_rows(rows: Sequence[MessageFields], ctx: Context) -> list[RawChat]:
    """`parse_json_records` for message rows already validated as the service's messages:
    `text` a str; `sender` and `timestamp` a str or None, `is_user` a bool or None. None
    counts as absent (as in ``model_dump(exclude_none=True)``): a field is read when one of
    the first 50 rows gives it, as the generic importer chooses its columns. Same drafts,
    warnings and errors as the generic path, with no column mapping. Only for the default
    column map (the service's options)."""
    if ctx.options.columns != ColumnMap():
        raise ValueError("parse_message_rows takes only the default column map")
    if not rows:
        raise InputError("the JSON list holds no message objects", ctx.name)
    head = rows[:50]
    has_sender = any(r.sender is not None for r in head)
    has_ts = any(r.timestamp is not None for r in head)
    has_user = any(r.is_user is not None for r in head)
    tz, notes, clean = ctx.tz, ctx.notes, ctx.clean
    cap = ctx.options.max_message_chars
    names: dict[str, str | None] = {}  # raw sender -> cleaned (names repeat)
    drafts: list[Draft] = []
    mine: set[str] = set()
    for line, rec in enumerate(rows, 1):
        text = rec.text
        sender: str | None = None
        if has_sender:
            raw_sender = rec.sender
            if raw_sender:
                if raw_sender in names:
                    sender = names[raw_sender]
                else:
                    sender = names[raw_sender] = clean_name(raw_sender) or None
        ts = None
        if has_ts:
            value = rec.timestamp
            if value is not None:
                ts = parse_any(value, tz)
                if ts is None and value != "":
                    notes.count("a timestamp that could not be read was left out", line)
        hint = rec.is_user if has_user else None
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
