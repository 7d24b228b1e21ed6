"""Feed parsers. Each `parse(path)` returns a `ParsedFeed` or raises `InputError` naming the
line or key path; none of them touches the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from scamlens.errors import InputError

from ..feed import ParsedFeed
from . import cryptoscamdb, csvfeed, metamask, scamsniffer, stix

FORMATS: dict[str, Callable[[Path, bytes], ParsedFeed]] = {
    "metamask": metamask.parse,
    "cryptoscamdb": cryptoscamdb.parse,
    "scamsniffer": scamsniffer.parse,
    "csv": csvfeed.parse,
    "stix": stix.parse,
}


def detect_format(path: Path, data: bytes) -> str:
    """Guess a feed's format from its name and first bytes. Raises InputError."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "cryptoscamdb"
    if suffix in (".csv", ".tsv"):
        return "csv"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"not valid JSON: {exc}", str(path)) from exc
        if isinstance(doc, dict):
            if doc.get("type") == "bundle":
                return "stix"
            if "blacklist" in doc or "fuzzylist" in doc or "whitelist" in doc:
                return "metamask"
            return "scamsniffer"
        if isinstance(doc, list):
            return "scamsniffer"
    raise InputError("cannot tell the feed format: pass --format", str(path))
