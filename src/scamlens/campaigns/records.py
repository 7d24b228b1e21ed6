"""Input for campaign discovery: many messages, one record each.

A record has `id`, `account` and `text`, and optionally `conversation`, `timestamp` and
`platform`; `FieldMap` renames them. Files: JSON Lines (.jsonl, .ndjson), a JSON array
(.json), CSV or TSV (.csv, .tsv) and Parquet (.parquet, needs pyarrow). A folder is read as
chat exports with the core importers (`scamlens.ingest.load_chats` on each of
`scamlens.ingest.folder_inputs`, so a Telegram HTML export folder is one chat and its css, js
and photos are never read), one account per sender; the owner's own messages (is_user) and
system lines are left out. Chat messages also keep their
hidden link targets (a Telegram text_link's target, an <a href> whose text differs, a shared
web link kept in attachments) in `MessageTable.links`, so their indicators count for the
sender like visible ones. Flat records give them in an optional `links` field: a list of web
links (JSON, Parquet) or one string of them separated by spaces (CSV, or JSON too).

Messages are held column-wise (plain lists), which costs far less memory than one object per
message when there are millions.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scamlens.errors import InputError
from scamlens.model import Conversation, MessageKind

_JSONL = {".jsonl", ".ndjson"}
_CSV = {".csv": ",", ".tsv": "\t"}
_PARQUET = {".parquet", ".pq"}


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Names of the record fields in the input."""

    id: str = "id"
    account: str = "account"
    text: str = "text"
    conversation: str = "conversation"
    timestamp: str = "timestamp"
    platform: str = "platform"
    links: str = "links"


@dataclass(slots=True)
class MessageTable:
    """Messages, column by column. Row i of every list is message i."""

    ids: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    conversations: list[str | None] = field(default_factory=list)
    timestamps: list[str | None] = field(default_factory=list)
    platforms: list[str | None] = field(default_factory=list)
    # Hidden link targets of each message (web links not in its text); () for most.
    links: list[tuple[str, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def append(
        self,
        id: str,
        account: str,
        text: str,
        conversation: str | None = None,
        timestamp: str | None = None,
        platform: str | None = None,
        links: tuple[str, ...] = (),
    ) -> None:
        self.ids.append(id)
        self.accounts.append(account)
        self.texts.append(text)
        self.conversations.append(conversation)
        self.timestamps.append(timestamp)
        self.platforms.append(platform)
        self.links.append(links)

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], fields: FieldMap | None = None, source: str = ""
    ) -> MessageTable:
        table = cls()
        for n, rec in enumerate(records, 1):
            table.add_record(rec, fields or FieldMap(), source or "<records>", n)
        return table

    def add_record(
        self,
        rec: Mapping[str, Any],
        fields: FieldMap,
        source: str,
        line: int,
        require_account: bool = True,
    ) -> None:
        if not isinstance(rec, Mapping):
            raise InputError(f"record is a {type(rec).__name__}, expected an object", source, line)
        account = _value(rec, fields.account, source, line)
        if not account:
            if require_account:
                raise InputError(f"missing the account field {fields.account!r}", source, line)
            account = ""
        text = _value(rec, fields.text, source, line)
        ident = _value(rec, fields.id, source, line)
        self.append(
            ident if ident else f"line-{line}",
            account,
            text or "",
            _value(rec, fields.conversation, source, line),
            _value(rec, fields.timestamp, source, line),
            _value(rec, fields.platform, source, line),
            _links(rec, fields.links, source, line),
        )

    def add_conversation(self, conv: Conversation, conv_id: str) -> None:
        """The messages of one imported chat: every sender other than the owner (is_user) is an
        account; text and media messages with text or a hidden link target are kept, ids are
        `conv_id:index`. Web-link attachments (see `scamlens.indicators.extract.is_web_link`)
        become the message's `links`."""
        from scamlens.indicators.extract import is_web_link

        for m in conv.messages:
            if m.is_user or m.kind not in (MessageKind.TEXT, MessageKind.MEDIA):
                continue
            links = tuple(dict.fromkeys(a for a in m.attachments if is_web_link(a)))
            if not m.text and not links:
                continue
            self.append(
                f"{conv_id}:{m.index}",
                m.sender or "(unknown sender)",
                m.text or "",
                conv_id,
                m.timestamp.isoformat() if m.timestamp else None,
                conv.platform,
                links,
            )

    def check_unique_ids(self, source: str = "<records>") -> None:
        seen: set[str] = set()
        for n, ident in enumerate(self.ids, 1):
            if ident in seen:
                raise InputError(f"duplicate message id {ident!r}", source, n)
            seen.add(ident)


def _value(rec: Mapping[str, Any], key: str, source: str, line: int) -> str | None:
    value = rec.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise InputError(f"field {key!r} is a boolean, expected text", source, line)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise InputError(f"field {key!r} is a {type(value).__name__}, expected text", source, line)


MAX_LINKS = 64  # link targets per record; more is refused, not cut


def _links(rec: Mapping[str, Any], key: str, source: str, line: int) -> tuple[str, ...]:
    """A record's hidden link targets (see `parse_links`), or an InputError at its line."""
    try:
        return parse_links(rec.get(key))
    except ValueError as exc:
        raise InputError(f"field {key!r}: {exc}", source, line) from None


def parse_links(value: Any) -> tuple[str, ...]:
    """Hidden link targets from a `links` value: a list of strings, or one string of them
    separated by whitespace; each must be a web link (as chat exports keep them), duplicates
    dropped. ValueError says what is wrong ("is a int, ...", "item 2 is not a web link")."""
    from scamlens.indicators.extract import is_web_link

    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split()
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValueError(f"is a {type(value).__name__}, expected a list of web links")
    if len(items) > MAX_LINKS:
        raise ValueError(f"holds {len(items)} links, at most {MAX_LINKS}")
    for n, item in enumerate(items, 1):
        if not isinstance(item, str) or len(item) > 4096 or not is_web_link(item.strip()):
            raise ValueError(f"item {n} is not a web link (http://, https://, www. or t.me/)")
    return tuple(dict.fromkeys(item.strip() for item in items))


def load_messages(
    path: str | Path, fields: FieldMap | None = None, require_account: bool = True
) -> MessageTable:
    """Read messages from a file or a folder of chat exports (see the module docstring)."""
    p = Path(path)
    fm = fields or FieldMap()
    req = require_account
    if p.is_dir():
        table = _load_chat_folder(p)
    elif not p.is_file():
        raise InputError("no such file or folder", str(p))
    else:
        suffix = p.suffix.lower()
        if suffix in _JSONL:
            table = _load_jsonl(p, fm, req)
        elif suffix == ".json":
            table = _load_json(p, fm, req)
        elif suffix in _CSV:
            table = _load_csv(p, fm, _CSV[suffix], req)
        elif suffix in _PARQUET:
            table = _load_parquet(p, fm, req)
        else:
            raise InputError(
                "unknown input type (use .jsonl, .json, .csv, .tsv, .parquet or a folder of "
                "chat exports)",
                str(p),
            )
    table.check_unique_ids(str(p))
    return table


def _load_jsonl(path: Path, fields: FieldMap, req: bool) -> MessageTable:
    table = MessageTable()
    with _open(path) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON ({exc.msg})", str(path), n) from None
            table.add_record(rec, fields, str(path), n, req)
    return table


def _load_json(path: Path, fields: FieldMap, req: bool) -> MessageTable:
    with _open(path) as fh:
        try:
            doc = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg})", str(path), exc.lineno) from None
    if isinstance(doc, Mapping) and isinstance(doc.get("messages"), list):
        doc = doc["messages"]
    if not isinstance(doc, list):
        raise InputError("expected a JSON array of message records", str(path))
    table = MessageTable()
    for n, rec in enumerate(doc, 1):
        table.add_record(rec, fields, f"{path} record", n, req)
    return table


def _load_csv(path: Path, fields: FieldMap, delimiter: str, req: bool) -> MessageTable:
    csv.field_size_limit(min(sys.maxsize, 64 * 1024 * 1024))
    table = MessageTable()
    with _open(path) as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        header = reader.fieldnames or []
        for needed in (fields.account, fields.text) if req else (fields.text,):
            if needed not in header:
                raise InputError(f"the header has no {needed!r} column", str(path), 1)
        try:
            for rec in reader:
                if None in rec:
                    raise InputError("more values than header columns", str(path), reader.line_num)
                table.add_record(rec, fields, str(path), reader.line_num, req)
        except csv.Error as exc:
            raise InputError(f"bad CSV ({exc})", str(path), reader.line_num) from None
    return table


def _load_parquet(path: Path, fields: FieldMap, req: bool) -> MessageTable:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow (pip install 'scamlens[spark]')", str(path)
        ) from None
    try:
        schema = pq.read_schema(path)
        names = (fields.id, fields.account, fields.text, fields.conversation, fields.timestamp)
        wanted = [f for f in (*names, fields.platform, fields.links) if f in schema.names]
        data = pq.read_table(path, columns=wanted).to_pydict()
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read Parquet ({exc})", str(path)) from None
    for needed in (fields.account, fields.text) if req else (fields.text,):
        if needed not in data:
            raise InputError(f"no {needed!r} column", str(path))
    n = len(data[fields.text])
    table = MessageTable()
    for i in range(n):
        rec = {k: v[i] for k, v in data.items()}
        table.add_record(rec, fields, str(path), i + 1, req)
    return table


def _load_chat_folder(folder: Path) -> MessageTable:
    """Each input of the folder (`scamlens.ingest.folder_inputs`, as `scamlens scan` reads it:
    a Telegram HTML export folder is one chat) becomes conversations `REL#N`. Media, page
    assets and documents are never opened; a file no importer recognises is skipped, like a
    stray README, and so is text with no sender names (an account is a sender); any other
    import error stops the run, naming the file."""
    from scamlens.errors import UnknownFormatError
    from scamlens.ingest import folder_inputs, load_chats

    table = MessageTable()
    for path in folder_inputs(folder, chats_only=True):
        rel = path.relative_to(folder).as_posix() if path != folder else folder.resolve().name
        try:
            chats = load_chats(path)
        except UnknownFormatError:
            continue
        for c, conv in enumerate(chats):
            if conv.source_format != "plain":
                table.add_conversation(conv, f"{rel}#{c}")
    if not table.ids:
        raise InputError("found no chat messages in this folder", str(folder))
    return table


def _open(path: Path) -> Any:
    try:
        return path.open(encoding="utf-8-sig", newline="" if path.suffix.lower() in _CSV else None)
    except OSError as exc:
        raise InputError(f"cannot open ({exc.strerror})", str(path)) from None


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 (a trailing Z allowed) or Unix seconds/milliseconds; None when unreadable."""
    if not value:
        return None
    v = value.strip()
    try:
        if v.replace(".", "", 1).isdigit():
            number = float(v)
            if number > 1e11:  # milliseconds
                number /= 1000.0
            return datetime.fromtimestamp(number, tz=UTC)
        ts = datetime.fromisoformat(v[:-1] + "+00:00" if v.endswith(("Z", "z")) else v)
    except (ValueError, OverflowError, OSError):
        return None
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def iso(ts: datetime | None) -> str | None:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if ts else None
