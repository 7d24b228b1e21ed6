"""The service's calls into the core: ingest, analysis, JSON documents. No detection here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from scamlens.errors import InputError
from scamlens.ingest import ImportOptions, load_bytes, load_records, parse_text
from scamlens.model import Conversation, Verdict
from scamlens.report.jsonout import conversation_result, scan_document
from scamlens.scoring.engine import Engine

from .fastbody import MessageRow
from .models import MessageIn

DOC_PATH = "request"  # the "path" of every result: never a client-supplied file name


def options(max_bytes: int) -> ImportOptions:
    return ImportOptions(max_bytes=max_bytes, max_json_bytes=max_bytes)


def from_messages(
    messages: Sequence[MessageIn], me: str | None, opts: ImportOptions
) -> Conversation:
    """A conversation from API messages, by the core's JSON importer's rules (timestamps,
    which participant is the user, warnings, errors) without encoding them to JSON first."""
    rows, chars = message_rows(messages)
    return from_rows(rows, me, opts, 2 + len(rows) * _ROW_FRAME + 6 * chars)


def from_rows(
    rows: Sequence[MessageRow], me: str | None, opts: ImportOptions, encoded_at_most: int
) -> Conversation:
    """`from_messages` for messages already validated as rows (`MessageIn` fields; a None
    value counts as absent). `encoded_at_most` bounds the bytes of their JSON encoding."""
    if encoded_at_most > opts.max_json_bytes:
        # Near the cap only the real encoding can say whether the importer's limit is hit.
        data = json.dumps(present(rows), ensure_ascii=False).encode("utf-8")
        return _single(load_bytes(data, name=DOC_PATH, fmt="json", me=me, options=opts))
    return _single(load_records(rows, name=DOC_PATH, me=me, options=opts, messages=True))


def present(rows: Sequence[MessageRow]) -> list[dict[str, Any]]:
    """Each row as ``model_dump(exclude_none=True)`` of its `MessageIn` gives it."""
    return [{k: getattr(r, k) for k in _FIELDS if getattr(r, k) is not None} for r in rows]


# Bytes of json.dumps(rows, ensure_ascii=False), at most: per row, the frame with every field
# `false` (longer than an empty string) and ", "; per string character 6 (\u00XX for controls).
_ROW_FRAME = len(json.dumps(dict.fromkeys(MessageIn.model_fields, False))) + 2
_FIELDS = tuple(MessageIn.model_fields)  # MessageRow's fields, in the models' order
_HUGE = 1 << 62


def message_rows(messages: Sequence[MessageIn]) -> tuple[list[MessageRow], int]:
    """Each message as the row `fastbody` would read from its JSON, and the characters in
    their strings. A plain loop: model_dump costs ~3x more per message."""
    rows = []
    chars = 0
    for m in messages:
        fields = m.__dict__
        for v in fields.values():
            if type(v) is str:
                chars += len(v)
            elif v is not None and type(v) is not bool:
                chars = _HUGE  # not a field type the size bound knows: measure for real
        rows.append(MessageRow(**fields))
    return rows, chars


def from_text(text: str, me: str | None, opts: ImportOptions) -> list[Conversation]:
    return parse_text(text, me=me, name=DOC_PATH, options=opts)


def from_upload(
    data: bytes, fmt: str | None, me: str | None, opts: ImportOptions
) -> list[Conversation]:
    if not data:
        raise InputError("the uploaded file is empty", DOC_PATH)
    return load_bytes(data, name="upload", fmt=fmt, me=me, options=opts)


def _single(chats: list[Conversation]) -> Conversation:
    if len(chats) != 1:
        raise InputError(f"expected one conversation, found {len(chats)}", DOC_PATH)
    return chats[0]


def display_name(filename: str | None) -> str | None:
    """The client's file name kept as a label only (never used as a path)."""
    if not filename:
        return None
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    return name or None


def analyze_all(
    engine: Engine, chats: Sequence[Conversation], lang: str
) -> list[tuple[Conversation, dict[str, Any]]]:
    """Each conversation with its scan document (one result each); the chats of one upload
    (a Telegram account export holds hundreds) are analysed as one batch."""
    return documents(chats, engine.analyze_many(chats, [lang] * len(chats)))


def documents(
    chats: Sequence[Conversation], verdicts: Sequence[Verdict]
) -> list[tuple[Conversation, dict[str, Any]]]:
    """Each conversation with the scan document of its verdict."""
    return [
        (conv, scan_document([conversation_result(conv, v, DOC_PATH)], []))
        for conv, v in zip(chats, verdicts, strict=True)
    ]


def combined(docs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return scan_document([r for d in docs for r in d["results"]], [])


def redact(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without message text, quoted spans or raw indicator text."""
    out: dict[str, Any] = json.loads(json.dumps(doc))
    for res in out["results"]:
        res["messages"] = []
        res["participants"] = []
        res["me"] = None
        res["title"] = None
        v = res["verdict"]
        evs = [e for t in v["tactics"] for e in t["evidence"]]
        for ev in [*evs, *v["counter_evidence"], *v["model_evidence"]]:
            ev["quote"] = ""
        for ind in v["indicators"]:
            ind["raw"] = ""
    return out


def stage_of(engine: Engine, text: str) -> str | None:
    """The latest stage a text shows, for naming campaign scripts (as `scamlens campaigns`)."""
    result = engine.score_batch([text])[0]
    stages = [engine.pack.tactics[t].stage for t, _ in result.tactics]
    known = [s for s in stages if s is not None]
    return max(known, key=lambda s: s.order).value if known else None
