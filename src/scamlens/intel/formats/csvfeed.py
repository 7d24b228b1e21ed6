"""Generic CSV (or TSV) indicator lists, e.g. an analyst's spreadsheet or `intel export`.

A header row names the columns; ``type`` and ``value`` are required, the rest optional:

    type,value,labels,confidence,first_seen,last_seen,source,chain,expires,action

- type: wallet | txhash | url | domain | app_lure | phone | email | handle | amount
- labels: separated by ``;`` (or ``|``); confidence: 0..1; dates: ISO 8601
- source: the source name for that row (default: the import's source)
- chain: for wallets (eth, btc, tron, ... or a feed code such as TRX); action: block | allow

Other columns are ignored. A row with the wrong number of fields, an unknown type, a bad number
or date rejects the whole file (naming the line); a value that is not valid for its type is
skipped and counted.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scamlens.errors import InputError

from ..feed import ParsedFeed, SourceInfo, clean_labels, decode_text, parse_time
from ..keys import TYPES

SOURCE = SourceInfo(name="csv", title="CSV import", trust=0.5)
COLUMNS = (
    "type",
    "value",
    "labels",
    "confidence",
    "first_seen",
    "last_seen",
    "source",
    "chain",
    "expires",
    "action",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def unescape_cell(text: str) -> str:
    """Undo the spreadsheet-formula guard `intel export` adds (a leading apostrophe)."""
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def escape_cell(text: str) -> str:
    """Stop spreadsheets from running a value as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def parse(path: Path, data: bytes) -> ParsedFeed:
    text = decode_text(data, path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    feed = ParsedFeed("csv", SOURCE)
    header: list[str] | None = None
    where = str(path)
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].startswith("#"):
                continue
            if header is None:
                header = [h.strip().lower() for h in row]
                missing = [c for c in ("type", "value") if c not in header]
                if missing:
                    raise InputError(f"header lacks column(s) {', '.join(missing)}", where, line)
                continue
            if len(row) != len(header):
                msg = f"expected {len(header)} fields, got {len(row)}"
                raise InputError(msg, where, line)
            _row(feed, dict(zip(header, row, strict=True)), path, line)
    except csv.Error as exc:
        raise InputError(f"bad CSV: {exc}", where, reader.line_num) from exc
    if header is None:
        raise InputError("no header row (type,value,...)", where)
    return feed


def _row(feed: ParsedFeed, cells: dict[str, str], path: Path, line: int) -> None:
    where = str(path)
    get = {k: unescape_cell(v.strip()) for k, v in cells.items() if k in COLUMNS}
    type_ = get.get("type", "").lower()
    if type_ not in TYPES:
        raise InputError(f"type: unknown indicator type {type_[:30]!r}", where, line)
    if not get.get("value"):
        raise InputError("value is empty", where, line)
    confidence: float | None = None
    if get.get("confidence"):
        try:
            confidence = float(get["confidence"])
        except ValueError:
            confidence = -1.0
        if not 0.0 <= confidence <= 1.0:
            raise InputError(
                f"confidence: expected 0..1, got {get['confidence'][:20]!r}", where, line
            )
    action = get.get("action", "").lower() or "block"
    if action not in ("block", "allow"):
        raise InputError(f"action: expected block or allow, got {action[:20]!r}", where, line)
    labels = clean_labels(get.get("labels", "").replace("|", ";").split(";"))
    source = get.get("source") or None
    if source is not None and (len(source) > 64 or not source.isprintable()):
        raise InputError("source: at most 64 printable characters", where, line)
    times = {
        k: parse_time(get.get(k), k, path, line) for k in ("first_seen", "last_seen", "expires")
    }
    feed.make(
        type_,
        get["value"],
        where=f"line {line}",
        chain=get.get("chain") or None,
        action=action,
        labels=labels,
        confidence=confidence,
        source=source,
        **times,
    )
