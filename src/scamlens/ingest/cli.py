"""``scamlens ingest``: read an export and show what was imported (no analysis).

scamlens ingest chat.txt                    # one summary line per conversation
scamlens ingest export.zip --json           # conversations as JSON lines
scamlens ingest --formats                   # the supported formats
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from scamlens.errors import ScamlensError
from scamlens.model import Conversation

from . import FORMATS, ImportOptions, load_chats


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="read a chat export and show what was imported",
        description="Read a chat export (WhatsApp, Telegram, Messenger, Instagram, LINE, SMS, "
        "Discord, LinkedIn, CSV/JSONL, plain text) and show the conversations found.",
    )
    p.add_argument("path", nargs="?", help="export file or .zip archive")
    p.add_argument("--format", dest="fmt", help="skip detection (see --formats)")
    p.add_argument("--me", help="your name in the chat (which side is you)")
    p.add_argument("--timezone", help="zone for exports without one, e.g. Asia/Shanghai, +08:00")
    p.add_argument("--date-order", choices=("auto", "dmy", "mdy", "ymd"), default="auto")
    p.add_argument("--encoding", help="force a text encoding, e.g. utf-16, gb18030")
    p.add_argument("--json", action="store_true", help="print conversations as JSON lines")
    p.add_argument("--formats", action="store_true", help="list the supported formats")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    if args.formats:
        width = max(len(k) for k in FORMATS)
        for fid, desc in FORMATS.items():
            print(f"{fid:<{width}}  {desc}")
        return 0
    if not args.path:
        print("scamlens ingest: give an export file (or --formats)", file=sys.stderr)
        return 2
    options = ImportOptions(
        timezone=args.timezone, date_order=args.date_order, encoding=args.encoding
    )
    try:
        chats = load_chats(args.path, fmt=args.fmt, me=args.me, options=options)
    except ScamlensError as exc:
        print(f"scamlens ingest: {exc}", file=sys.stderr)
        return 2
    for conv in chats:
        if args.json:
            print(json.dumps(to_json(conv), ensure_ascii=False))
        else:
            print(summary(conv))
    return 0


def summary(conv: Conversation) -> str:
    first = next((m.timestamp for m in conv.messages if m.timestamp), None)
    last = next((m.timestamp for m in reversed(conv.messages) if m.timestamp), None)
    span = f", {first:%Y-%m-%d} to {last:%Y-%m-%d}" if first and last else ""
    me = f", you: {conv.me} ({conv.me_method})" if conv.me else ", you: unknown"
    lines = [
        f"{conv.title or '(untitled)'} [{conv.source_format}]: {len(conv)} messages, "
        f"{len(conv.participants)} participants{span}{me}"
    ]
    lines.extend(f"  warning: {w}" for w in conv.warnings)
    return "\n".join(lines)


def to_json(conv: Conversation) -> dict[str, Any]:
    return {
        "title": conv.title,
        "source_format": conv.source_format,
        "platform": conv.platform,
        "source_path": conv.source_path,
        "participants": list(conv.participants),
        "me": conv.me,
        "me_method": conv.me_method,
        "warnings": list(conv.warnings),
        "messages": [
            {
                "index": m.index,
                "sender": m.sender,
                "text": m.text,
                "timestamp": m.timestamp.isoformat() if m.timestamp else None,
                "is_user": m.is_user,
                "kind": m.kind.value,
                "attachments": list(m.attachments),
                "source_line": m.source_line,
            }
            for m in conv.messages
        ],
    }
