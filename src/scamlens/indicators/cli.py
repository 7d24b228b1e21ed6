"""``scamlens indicators PATH|-``: list the wallets, links, contacts and amounts in a text.

PATH may be any text file or a chat export: a recognised export (see ``scamlens.ingest``) is
read message by message and every indicator names its message; anything else is read as one
plain text. Values come from untrusted input, so the table prints them as plain text with bidi
controls removed (no rich markup).

Intelligence hits are added by passing a `checker` to `run` (the lead wires the store in).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from scamlens.errors import InputError, ScamlensError
from scamlens.indicators.extract import extract, extract_conversation
from scamlens.model import Conversation, Indicator, IntelHit
from scamlens.text.normalize import display_safe

Checker = Callable[[Sequence[Indicator]], Sequence[IntelHit]]
MAX_PLAIN_BYTES = 512 * 1024 * 1024
_NOTE_KEYS = (
    "lookalike_reason",
    "reason",
    "platform",
    "registered_domain",
    "chains",
    "region",
    "confidence",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "indicators",
        help="extract wallets, tx hashes, links, app lures, contacts and amounts",
        description="Extract and validate indicators (wallets with checksums, links with "
        "look-alike scores, app-install lures, phones, handles, e-mails, amounts) from a text "
        "file or a chat export.",
    )
    p.add_argument("path", metavar="PATH", help="text file or chat export; - reads stdin")
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="output (default: table)"
    )
    p.add_argument(
        "--region",
        metavar="CC",
        help="default phone region for national numbers (ISO 3166 code, e.g. US, GB, CN)",
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    try:
        return run(args.path, output=args.format, region=args.region)
    except ScamlensError as exc:
        print(f"scamlens indicators: {exc}", file=sys.stderr)
        return 2


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise InputError("cannot tell the text encoding", name)
    return data.decode(best.encoding, errors="replace")


def _read_plain(path: str | None, stdin: TextIO | None) -> str:
    if path is None:
        text = (stdin or sys.stdin).read(MAX_PLAIN_BYTES + 1)
        if len(text) > MAX_PLAIN_BYTES:
            raise InputError("standard input is over the 512 MiB limit", "<stdin>")
        return text
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PLAIN_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from exc
    if len(data) > MAX_PLAIN_BYTES:
        raise InputError("the file is over the 512 MiB limit for plain text", path)
    return _decode(data, path)


def load_input(
    path: str, *, stdin: TextIO | None = None
) -> tuple[str, list[Conversation] | None, str | None]:
    """(format id, conversations, plain text): an export gives conversations, else the text."""
    try:
        from scamlens import ingest
    except ImportError:
        ingest = None  # type: ignore[assignment]
    if path == "-":
        text = _read_plain(None, stdin)
        if ingest is not None:
            try:
                convs = ingest.parse_text(text, name="<stdin>")
            except ScamlensError:
                convs = []
            if convs and convs[0].source_format != "plain":
                return convs[0].source_format, convs, None
        return "plain", None, text
    if not Path(path).is_file():
        raise InputError("no such file", path)
    if ingest is not None:
        try:
            fmt = ingest.detect_format(path)
        except ScamlensError:
            fmt = "plain"
        if fmt != "plain":
            return fmt, ingest.load_chats(path), None
    return "plain", None, _read_plain(path, None)


def collect(
    path: str, *, region: str | None = None, stdin: TextIO | None = None
) -> tuple[str, list[tuple[str | None, Indicator]]]:
    """(format, [(conversation title or None, indicator)]) for one input."""
    fmt, convs, text = load_input(path, stdin=stdin)
    found: list[tuple[str | None, Indicator]] = []
    if convs is not None:
        for conv in convs:
            title = conv.title or (", ".join(conv.participants[:3]) if conv.participants else None)
            found.extend((title, ind) for ind in extract_conversation(conv, region=region))
    else:
        found.extend((None, ind) for ind in extract(text or "", region=region))
    return fmt, found


def indicator_record(ind: Indicator, hits: Sequence[IntelHit] = ()) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "type": ind.type,
        "value": ind.value,
        "raw": display_safe(ind.raw),
        "detector": ind.detector,
        "message_index": ind.message_index,
        "start": ind.start,
        "end": ind.end,
        "chain": ind.chain,
        "valid": ind.valid,
        "validation": ind.validation,
        "attrs": dict(ind.attrs),
    }
    if hits:
        rec["intel"] = [
            {
                "source": h.source,
                "labels": list(h.labels),
                "confidence": h.confidence,
                "allowlisted": h.allowlisted,
                "reason": h.reason,
            }
            for h in hits
        ]
    return rec


def run(
    path: str,
    *,
    output: str = "table",
    region: str | None = None,
    checker: Checker | None = None,
    out: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Extract, optionally check against intelligence (`checker`), print. Returns exit code."""
    stream = out or sys.stdout
    fmt, found = collect(path, region=region, stdin=stdin)
    hits_by_key: dict[tuple[str, str], list[IntelHit]] = {}
    if checker is not None and found:
        for hit in checker([ind for _, ind in found]):
            hits_by_key.setdefault((hit.type, hit.value), []).append(hit)
    if output == "json":
        doc = {
            "source": path,
            "format": fmt,
            "count": len(found),
            "indicators": [
                dict(
                    indicator_record(ind, hits_by_key.get((ind.type, ind.value), ())),
                    conversation=title,
                )
                for title, ind in found
            ],
        }
        json.dump(doc, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return 0
    _print_table(path, fmt, found, hits_by_key, stream, checker is not None)
    return 0


def _notes(ind: Indicator) -> str:
    parts = []
    for key in _NOTE_KEYS:
        value = ind.attrs.get(key)
        if value:
            parts.append(value if key.endswith("reason") else f"{key}={value}")
    if ind.attrs.get("obfuscated") == "1":
        parts.append("obfuscated")
    return "; ".join(parts)


def _print_table(
    path: str,
    fmt: str,
    found: list[tuple[str | None, Indicator]],
    hits_by_key: dict[tuple[str, str], list[IntelHit]],
    stream: TextIO,
    with_intel: bool,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Piped output gets a wide table so wallets and URLs stay on one line.
    width = None if stream.isatty() else 200
    console = Console(file=stream, highlight=False, soft_wrap=False, width=width)
    table = Table(title=Text(f"{display_safe(path)} ({fmt}): {len(found)} indicators"))
    for col in ("msg", "type", "value", "check", "detector", "notes"):
        table.add_column(col, overflow="fold")
    if with_intel:
        table.add_column("intel", overflow="fold")
    for _, ind in found:
        check = ind.validation
        if ind.chain:
            check = f"{ind.chain} {check}".strip()
        if ind.valid is False:
            check = f"INVALID {check}"
        row = [
            Text("" if ind.message_index is None else str(ind.message_index)),
            Text(ind.type),
            Text(display_safe(ind.value)),
            Text(check),
            Text(ind.detector),
            Text(display_safe(_notes(ind))),
        ]
        if with_intel:
            hits = hits_by_key.get((ind.type, ind.value), [])
            row.append(Text(display_safe("; ".join(h.reason or h.source for h in hits))))
        table.add_row(*row)
    console.print(table)
