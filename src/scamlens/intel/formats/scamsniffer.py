"""ScamSniffer scam-database blacklist files.

- ``address.json`` / ``domains.json``: a JSON array of EVM addresses or domains;
- ``combined.json``: ``{domain: [address, ...]}``: domains, wallets and domain->wallet links;
- ``archive/YYYY-MM-DD.json``: ``{"domains": [...], "address": [...]}`` added that day (the date
  in the file name becomes first_seen).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scamlens.errors import InputError

from ..feed import FeedRecord, ParsedFeed, SourceInfo, expect_str_list, load_json, type_name

SOURCE = SourceInfo(
    name="scamsniffer",
    title="ScamSniffer",
    trust=0.85,
    url="https://github.com/scamsniffer/scam-database",
    licence="GPL-3.0",
)
LABELS = ("phishing",)
_DATE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _looks_evm(s: str) -> bool:
    return len(s.strip()) == 42 and s.strip()[:2].lower() == "0x"


def _add_value(feed: ParsedFeed, raw: str, where: str, seen: datetime | None) -> FeedRecord | None:
    if _looks_evm(raw):
        return feed.make("wallet", raw, where=where, chain="eth", labels=LABELS, first_seen=seen)
    return feed.make("domain", raw, where=where, labels=LABELS, first_seen=seen)


def _archive_date(path: Path) -> datetime | None:
    m = _DATE_NAME.match(path.stem)
    if not m:
        return None
    try:
        return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
    except ValueError:
        return None


def parse(path: Path, data: bytes) -> ParsedFeed:
    doc: Any = load_json(data, path)
    feed = ParsedFeed("scamsniffer", SOURCE)
    if isinstance(doc, list):
        for i, raw in enumerate(expect_str_list({"$": doc}, "$", path)):
            _add_value(feed, raw, f"$[{i}]", None)
        return feed
    if not isinstance(doc, dict):
        raise InputError(f"expected a JSON array or object, got {type_name(doc)}", str(path))
    if doc and set(doc) <= {"domains", "address"}:
        seen = _archive_date(path)
        for i, raw in enumerate(expect_str_list(doc, "domains", path)):
            feed.make("domain", raw, where=f"domains[{i}]", labels=LABELS, first_seen=seen)
        for i, raw in enumerate(expect_str_list(doc, "address", path)):
            feed.make(
                "wallet", raw, where=f"address[{i}]", chain="eth", labels=LABELS, first_seen=seen
            )
        return feed
    for domain, addresses in doc.items():
        where = f"{domain[:100]!r}"
        if not isinstance(addresses, list):
            raise InputError(f"{where}: expected an array, got {type_name(addresses)}", str(path))
        site = feed.make("domain", domain, where=where, labels=LABELS)
        for j, raw in enumerate(addresses):
            if not isinstance(raw, str):
                raise InputError(
                    f"{where}[{j}]: expected a string, got {type_name(raw)}", str(path)
                )
            wallet = feed.make("wallet", raw, where=f"{where}[{j}]", chain="eth", labels=LABELS)
            if site is not None and wallet is not None:
                feed.link(site, wallet)
    return feed
