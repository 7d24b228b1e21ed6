"""MetaMask eth-phishing-detect ``config.json``.

``{"version": 2, "tolerance": 2, "fuzzylist": [...], "whitelist": [...], "blacklist": [...]}``
(newer releases say allowlist/blocklist). blacklist -> domain blocks (a listed domain also
covers its subdomains, as in MetaMask's detector); whitelist -> allow-list entries;
fuzzylist + tolerance -> look-alike targets matched by Levenshtein distance.
"""

from __future__ import annotations

from pathlib import Path

from scamlens.errors import InputError
from scamlens.indicators.normalize import normalize_domain

from ..feed import LookalikeTarget, ParsedFeed, SourceInfo, expect_str_list, load_json, type_name

SOURCE = SourceInfo(
    name="metamask",
    title="MetaMask eth-phishing-detect",
    trust=0.9,
    url="https://github.com/MetaMask/eth-phishing-detect",
    licence="DBAD-1.1",
)
DEFAULT_TOLERANCE = 3  # the detector's default when the config gives none


def parse(path: Path, data: bytes) -> ParsedFeed:
    doc = load_json(data, path)
    if not isinstance(doc, dict):
        raise InputError(f"expected a JSON object, got {type_name(doc)}", str(path))
    block_key = "blocklist" if "blocklist" in doc else "blacklist"
    allow_key = "allowlist" if "allowlist" in doc else "whitelist"
    if not any(k in doc for k in (block_key, allow_key, "fuzzylist")):
        raise InputError(
            "no blacklist, whitelist or fuzzylist key: not a MetaMask config", str(path)
        )
    tolerance = doc.get("tolerance", DEFAULT_TOLERANCE)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int) or not 0 <= tolerance <= 10:
        raise InputError(f"tolerance: expected an integer 0..10, got {tolerance!r}", str(path))
    blocks = expect_str_list(doc, block_key, path)
    allows = expect_str_list(doc, allow_key, path)
    fuzzy = expect_str_list(doc, "fuzzylist", path)

    feed = ParsedFeed("metamask", SOURCE)
    for i, raw in enumerate(blocks):
        feed.make("domain", raw, where=f"{block_key}[{i}]", labels=("phishing",))
    for i, raw in enumerate(allows):
        feed.make("domain", raw, where=f"{allow_key}[{i}]", action="allow", labels=("legitimate",))
    if tolerance > 0:
        for i, raw in enumerate(fuzzy):
            where = f"fuzzylist[{i}]"
            try:
                feed.lookalikes.append(LookalikeTarget(normalize_domain(raw), tolerance, where))
            except ValueError:
                feed.skip("invalid fuzzylist domain", where)
    return feed
