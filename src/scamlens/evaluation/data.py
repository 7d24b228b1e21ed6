"""Labelled evaluation items from JSONL or CSV files: single texts or whole conversations.

A row is a text (`--text-field`) or a conversation: `messages` (a list of {sender, text,
timestamp, is_user}) with an optional `me`, or `path` to a chat export relative to the data
file (loaded with the ordinary importers). Labels: the `--positive` value (default `scam`), the
`--negative` value (default `benign`), or `other_fraud` (fraud that is not pig-butchering:
reported apart, neither a hit nor a false positive). Anything else is an error naming the line.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scamlens.errors import InputError
from scamlens.jsonlines import json_objects
from scamlens.model import Conversation, Stage
from scamlens.scoring.engine import quick_language

SCAM, BENIGN, OTHER = "scam", "benign", "other_fraud"
# Stage names as the written set spells them, mapped to the engine's stages.
STAGE_ALIASES = {"hook": Stage.CONTACT, **{s.value: s for s in Stage}}
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled thing to score: `text` or `conversation` (exactly one is set)."""

    id: str
    label: str  # SCAM, BENIGN or OTHER
    lang: str
    group: str  # near-duplicates share a group (bootstrap resamples groups)
    source: str
    text: str | None = None
    conversation: Conversation | None = None
    stage: Stage | None = None  # labelled furthest stage (scams), when known
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def is_conversation(self) -> bool:
        return self.conversation is not None


@dataclass(frozen=True, slots=True)
class Fields:
    text: str = "text"
    label: str = "label"
    lang: str = "lang"
    stage: str = "stage"
    group: str = "group"
    id: str = "id"
    positive: str = SCAM
    negative: str = BENIGN


def parse_stage(value: Any, where: str, line: int | None) -> Stage | None:
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "–", "null")):
        return None
    stage = STAGE_ALIASES.get(str(value).strip().lower())
    if stage is None:
        known = ", ".join(sorted(STAGE_ALIASES))
        raise InputError(f"unknown stage {str(value)[:40]!r} (known: {known})", where, line)
    return stage


def parse_label(value: Any, fields: Fields, where: str, line: int | None) -> str:
    raw = "" if value is None else str(value).strip()
    if raw == fields.positive:
        return SCAM
    if raw == fields.negative:
        return BENIGN
    if raw == OTHER:
        return OTHER
    raise InputError(
        f"unknown label {raw[:40]!r} in field {fields.label!r} "
        f"(expected {fields.positive!r}, {fields.negative!r} or {OTHER!r})",
        where,
        line,
    )


def conversation_text(conv: Conversation) -> str:
    """The other party's messages joined (what a plain text model sees of a chat)."""
    theirs = [m.text for m in conv.messages if m.is_user is not True and m.text.strip()]
    return "\n".join(theirs or [m.text for m in conv.messages])


def _decode(data: bytes, where: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not valid UTF-8 (re-save the file as UTF-8)", where, line) from None
    return text


def _read(path: Path) -> str:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file is over the {MAX_FILE_BYTES:,}-byte limit", where)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where) from exc
    return _decode(data, where)


def _messages_conversation(rec: dict[str, Any], where: str, line: int) -> Conversation:
    from scamlens.ingest import parse_text

    msgs = rec.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise InputError("'messages' must be a non-empty list", where, line)
    me = rec.get("me")
    if me is not None and not isinstance(me, str):
        raise InputError("'me' must be a string", where, line)
    rows = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("text"), str):
            raise InputError(f"messages[{i}] needs a string 'text'", where, line)
        row = {k: m[k] for k in ("sender", "text", "timestamp", "is_user") if k in m}
        if me is not None and "is_user" not in row and row.get("sender") is not None:
            row["is_user"] = row["sender"] == me
        rows.append(json.dumps(row, ensure_ascii=False))
    try:
        convs = parse_text("\n".join(rows) + "\n", fmt="jsonl", me=me, name=f"{where}:{line}")
    except InputError as exc:
        raise InputError(f"bad 'messages': {exc}", where, line) from None
    if len(convs) != 1:
        raise InputError("'messages' must hold one conversation", where, line)
    return convs[0]


def _path_conversation(rec: dict[str, Any], base: Path, where: str, line: int) -> Conversation:
    from scamlens.ingest import load_chat

    rel = rec.get("path")
    if not isinstance(rel, str) or not rel:
        raise InputError("'path' must be a non-empty string", where, line)
    target = (base / rel).resolve()
    if not target.is_file():
        raise InputError(f"chat export {rel!r} not found next to the data file", where, line)
    fmt = rec.get("format")
    me = rec.get("me")
    try:
        return load_chat(
            target,
            fmt=fmt if isinstance(fmt, str) else None,
            me=me if isinstance(me, str) else None,
        )
    except InputError as exc:
        raise InputError(f"could not load chat export: {exc}", where, line) from None


def item_from_record(
    rec: dict[str, Any], fields: Fields, base: Path, where: str, line: int
) -> Item:
    if fields.label not in rec:
        raise InputError(f"missing field {fields.label!r}", where, line)
    label = parse_label(rec.get(fields.label), fields, where, line)
    conv: Conversation | None = None
    text: str | None = None
    if rec.get("messages") not in (None, ""):
        conv = _messages_conversation(rec, where, line)
    elif rec.get("path") not in (None, ""):
        conv = _path_conversation(rec, base, where, line)
    else:
        raw = rec.get(fields.text)
        if raw is None:
            raise InputError(
                f"missing field {fields.text!r} (or 'messages' / 'path' for a conversation)",
                where,
                line,
            )
        if not isinstance(raw, str):
            raise InputError(f"field {fields.text!r} must be a string", where, line)
        text = raw
    lang_raw = rec.get(fields.lang)
    lang = str(lang_raw).strip().lower() if lang_raw not in (None, "") else ""
    if not lang:
        lang = quick_language(text if text is not None else conversation_text(conv))  # type: ignore[arg-type]
    ident = rec.get(fields.id)
    item_id = str(ident) if ident not in (None, "") else f"{Path(where).name}:{line}"
    grp = rec.get(fields.group)
    return Item(
        id=item_id,
        label=label,
        lang=lang,
        group=str(grp) if grp not in (None, "") else item_id,
        source=str(rec.get("source") or Path(where).name),
        text=text,
        conversation=conv,
        stage=parse_stage(rec.get(fields.stage), where, line),
        meta={"kind": str(rec["kind"])} if isinstance(rec.get("kind"), str) else {},
    )


def load_jsonl(path: Path, fields: Fields = Fields()) -> list[Item]:
    where = str(path)
    return [
        item_from_record(rec, fields, path.parent, where, n)
        for n, rec in json_objects(_read(path).splitlines(), where)
    ]


def load_csv(path: Path, fields: Fields = Fields()) -> list[Item]:
    where = str(path)
    reader = csv.DictReader(io.StringIO(_read(path), newline=""))
    if not reader.fieldnames:
        raise InputError("empty CSV (no header row)", where, 1)
    if fields.label not in reader.fieldnames:
        raise InputError(f"missing column {fields.label!r}", where, 1)
    out = []
    try:
        for rec in reader:
            line = reader.line_num
            if None in rec:
                raise InputError("more cells than header columns", where, line)
            out.append(item_from_record(dict(rec), fields, path.parent, where, line))
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", where, reader.line_num) from None
    return out


def load_items(path: Path, fmt: str | None = None, fields: Fields = Fields()) -> list[Item]:
    """Items of a labelled file; the format is taken from the suffix unless given."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind in ("jsonl", "ndjson", "json"):
        items = load_jsonl(path, fields)
    elif kind in ("csv", "tsv"):
        items = load_csv(path, fields)
    else:
        raise InputError(f"unknown format {kind!r}: use --format jsonl or csv", str(path))
    if not items:
        raise InputError("no labelled rows", str(path))
    return items


def written_chat_items(folder: Path) -> list[Item]:
    """The independent written chats: `labels.json` maps each file to label, stage, lang."""
    from scamlens.ingest import load_chat

    labels_path = folder / "labels.json"
    where = str(labels_path)
    try:
        labels = json.loads(_read(labels_path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", where, exc.lineno) from None
    if not isinstance(labels, dict):
        raise InputError("expected an object: file name -> labels", where)
    out = []
    for name in sorted(labels):
        meta = labels[name]
        if not isinstance(meta, dict):
            raise InputError(f"{name}: expected an object", where)
        conv = load_chat(folder / name, fmt="jsonl")
        out.append(
            Item(
                id=name,
                label=parse_label(meta.get("label"), Fields(), where, None),
                lang=str(meta.get("lang") or quick_language(conversation_text(conv))),
                group=name,
                source="written-chats",
                conversation=conv,
                stage=parse_stage(meta.get("stage"), where, None),
            )
        )
    return out


def as_pasted(conv: Conversation) -> Conversation:
    """`conv` with every timestamp removed: what a chat copied from a screen gives."""
    return dataclasses.replace(
        conv, messages=tuple(dataclasses.replace(m, timestamp=None) for m in conv.messages)
    )


def texts_of(items: Sequence[Item]) -> list[str]:
    return [i.text if i.text is not None else conversation_text(i.conversation) for i in items]  # type: ignore[arg-type]
