"""STIX 2.1 bundles: Indicator objects with STIX patterns, and Relationships between them.

Supported comparisons (``=`` only; several joined by OR give several records):
``domain-name:value``, ``url:value``, ``email-addr:value``,
``x-crypto-wallet:address`` / ``cryptocurrency-wallet:address`` (or ``:value``), and
``x-scamlens-<type>:value`` for phone, handle, txhash, app_lure and amount. A wallet's chain comes
from ``x_scamlens_chain``, a ``...:x_chain``/``:chain``/``:currency`` comparison, or the address
format. ``indicator_types`` containing ``benign`` makes an allow-list entry.

Patterns are parsed with a strict linear-time matcher for the common single-comparison form and
with stix2-patterns (an ANTLR grammar) otherwise; nothing in a bundle is executed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import re2

from scamlens.errors import InputError

from ..feed import (
    FeedLink,
    FeedRecord,
    ParsedFeed,
    RecordKey,
    SourceInfo,
    clean_labels,
    load_json,
    parse_time,
    type_name,
)

SOURCE = SourceInfo(name="stix", title="STIX import", trust=0.6)

OBJECT_TYPES = {
    "domain-name": "domain",
    "url": "url",
    "email-addr": "email",
    "x-crypto-wallet": "wallet",
    "cryptocurrency-wallet": "wallet",
    "x-cryptocurrency-wallet": "wallet",
    "x-scamlens-phone": "phone",
    "x-scamlens-handle": "handle",
    "x-scamlens-txhash": "txhash",
    "x-scamlens-app_lure": "app_lure",
    "x-scamlens-app-lure": "app_lure",
    "x-scamlens-amount": "amount",
}
VALUE_PATHS = frozenset({"value", "address"})
CHAIN_PATHS = frozenset({"x_chain", "chain", "currency", "x_scamlens_chain"})

_SIMPLE = re2.compile(r"^\[([a-z0-9-]+):([a-z0-9_]+) = '((?:[^'\\]|\\.)*)'\]$")

Comparison = tuple[str, str, str, str]  # object type, property, operator, value


class PatternError(ValueError):
    pass


def unescape(literal: str) -> str:
    out = []
    it = iter(literal)
    for ch in it:
        out.append(next(it, "") if ch == "\\" else ch)
    return "".join(out)


def escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def comparisons(pattern: str) -> tuple[list[Comparison], bool]:
    """The comparisons in a pattern and whether it is compound (AND / FOLLOWEDBY)."""
    m = _SIMPLE.match(pattern.strip())
    if m:
        return [(m.group(1), m.group(2), "=", unescape(m.group(3)))], False
    return _antlr_comparisons(pattern)


def _antlr_comparisons(pattern: str) -> tuple[list[Comparison], bool]:
    from stix2patterns.exceptions import ParseException
    from stix2patterns.v21.inspector import InspectionListener
    from stix2patterns.v21.pattern import Pattern

    class _Listener(InspectionListener):  # type: ignore[misc]
        has_and = False

        def exitComparisonExpressionAnd(self, ctx: Any) -> None:  # ANTLR listener API
            if ctx.AND():
                self.has_and = True

    try:
        parsed = Pattern(pattern)
    except ParseException as exc:
        raise PatternError(str(exc)[:200]) from exc
    listener = _Listener()
    parsed.walk(listener)
    data = listener.pattern_data()
    out: list[Comparison] = []
    for obj_type, tests in data.comparisons.items():
        for path, op, literal in tests:
            prop = ".".join(str(p) for p in path)
            value = unescape(literal[1:-1]) if literal.startswith("'") else literal
            out.append((obj_type, prop, op, value))
    compound = listener.has_and or bool(data.observation_ops & {"AND", "FOLLOWEDBY"})
    return out, compound or bool(data.qualifiers)


class _Bundle:
    def __init__(self, path: Path, feed: ParsedFeed) -> None:
        self.path = path
        self.feed = feed
        self.identities: dict[str, str] = {}
        self.markings: dict[str, str] = {}
        self.records: dict[str, list[FeedRecord]] = defaultdict(list)

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{where}: {message}", str(self.path))

    def opt_str(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"expected a string, got {type_name(value)}")
        return value

    def opt_list(self, obj: dict[str, Any], key: str, where: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", f"expected an array, got {type_name(value)}")
        return value

    def time(self, obj: dict[str, Any], key: str, where: str) -> datetime | None:
        return parse_time(obj.get(key), f"{where}.{key}", self.path)

    def str_list(self, obj: dict[str, Any], key: str, where: str) -> list[str]:
        items = self.opt_list(obj, key, where)
        for j, item in enumerate(items):
            if not isinstance(item, str):
                raise self.fail(f"{where}.{key}[{j}]", f"expected a string, got {type_name(item)}")
        return items


def parse(path: Path, data: bytes) -> ParsedFeed:
    doc = load_json(data, path)
    if isinstance(doc, dict) and doc.get("type") == "bundle":
        objects = doc.get("objects", [])
        prefix = "objects"
    elif isinstance(doc, list):
        objects, prefix = doc, "$"
    else:
        raise InputError("expected a STIX bundle ({'type': 'bundle', ...})", str(path))
    if not isinstance(objects, list):
        raise InputError(f"objects: expected an array, got {type_name(objects)}", str(path))
    feed = ParsedFeed("stix", SOURCE)
    b = _Bundle(path, feed)
    for i, obj in enumerate(objects):
        where = f"{prefix}[{i}]"
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            raise b.fail(where, "expected a STIX object with a 'type'")
        kind = obj["type"]
        if kind == "identity":
            b.identities[str(obj.get("id"))] = str(obj.get("name") or "")[:64]
        elif kind == "marking-definition":
            statement = (obj.get("definition") or {}).get("statement")
            if isinstance(statement, str):
                b.markings[str(obj.get("id"))] = statement[:200]
    for i, obj in enumerate(objects):
        where = f"{prefix}[{i}]"
        if obj["type"] == "indicator":
            _indicator(b, obj, where)
        elif obj["type"] == "relationship":
            continue
        elif obj["type"] not in ("identity", "marking-definition"):
            feed.skip(f"unsupported object type {obj['type'][:40]}", where)
    for i, obj in enumerate(objects):
        if obj["type"] == "relationship":
            _relationship(b, obj, f"{prefix}[{i}]")
    return feed


def _source(b: _Bundle, obj: dict[str, Any], where: str) -> str | None:
    """Who the indicator says it came from, registering that source's details."""
    name = b.opt_str(obj, "x_scamlens_source", where)
    refs = b.opt_list(obj, "external_references", where)
    ref = next((r for r in refs if isinstance(r, dict) and r.get("source_name")), None)
    if name is None and ref is not None:
        name = str(ref["source_name"])
    if name is None:
        name = b.identities.get(str(obj.get("created_by_ref"))) or None
    if not name:
        return None
    name = name.strip()[:64]
    if name not in b.feed.sources:
        licence = next(
            (
                b.markings[m]
                for m in b.str_list(obj, "object_marking_refs", where)
                if m in b.markings
            ),
            None,
        )
        own = ref if ref is not None and ref.get("source_name") == name else None
        url = own.get("url") if own is not None else None
        title = own.get("description") if own is not None else None
        kind = obj.get("x_scamlens_source_kind")
        b.feed.sources[name] = SourceInfo(
            name=name,
            title=str(title or name)[:200],
            kind=kind if kind in ("feed", "analyst", "exchange") else "exchange",
            trust=SOURCE.trust,
            url=str(url)[:1000] if url else None,
            licence=licence.removeprefix("Licence: ") if licence else None,
        )
    return name


def _indicator(b: _Bundle, obj: dict[str, Any], where: str) -> None:
    pattern = obj.get("pattern")
    if not isinstance(pattern, str):
        raise b.fail(f"{where}.pattern", f"expected a string, got {type_name(pattern)}")
    if not isinstance(obj.get("id"), str):
        raise b.fail(f"{where}.id", "expected a string")
    if obj.get("pattern_type", "stix") != "stix":
        b.feed.skip("non-STIX pattern type", where)
        return
    try:
        tests, compound = comparisons(pattern)
    except PatternError as exc:
        raise b.fail(f"{where}.pattern", f"invalid STIX pattern: {exc}") from exc
    if compound:
        b.feed.skip("compound pattern (AND, FOLLOWEDBY or qualifiers)", where)
        return
    confidence = obj.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool)
        or not isinstance(confidence, int)
        or not 0 <= confidence <= 100
    ):
        raise b.fail(f"{where}.confidence", "expected an integer 0..100")
    exact = obj.get("x_scamlens_confidence")
    if exact is not None and (not isinstance(exact, int | float) or not 0 <= exact <= 1):
        raise b.fail(f"{where}.x_scamlens_confidence", "expected a number 0..1")
    types = b.str_list(obj, "indicator_types", where)
    labels = clean_labels(b.str_list(obj, "labels", where))
    valid_from = b.time(obj, "valid_from", where)
    first_seen = b.time(obj, "x_scamlens_first_seen", where) or valid_from
    last_seen = b.time(obj, "x_scamlens_last_seen", where) or b.time(obj, "modified", where)
    expires = b.time(obj, "valid_until", where) or b.time(obj, "x_scamlens_expires", where)
    action = b.opt_str(obj, "x_scamlens_action", where) or (
        "allow" if "benign" in types else "block"
    )
    if action not in ("block", "allow"):
        raise b.fail(f"{where}.x_scamlens_action", "expected block or allow")
    chain = b.opt_str(obj, "x_scamlens_chain", where)
    source = _source(b, obj, where)
    for _obj_type, prop, op, value in tests:
        if prop in CHAIN_PATHS and op == "=":
            chain = chain or value
    conf = float(exact) if exact is not None else None
    if conf is None and confidence is not None:
        conf = confidence / 100
    for obj_type, prop, op, value in tests:
        type_ = OBJECT_TYPES.get(obj_type)
        if prop in CHAIN_PATHS:
            continue
        if type_ is None or prop not in VALUE_PATHS:
            b.feed.skip(f"unsupported pattern object {obj_type[:40]}:{prop[:20]}", where)
            continue
        if op != "=":
            b.feed.skip(f"unsupported operator {op[:12]}", where)
            continue
        rec = b.feed.make(
            type_,
            value,
            where=where,
            chain=chain if type_ == "wallet" else None,
            action=action,
            labels=labels,
            confidence=conf,
            first_seen=first_seen,
            last_seen=last_seen,
            expires=expires,
            source=source,
        )
        if rec is not None:
            b.records[obj["id"]].append(rec)


def _relationship(b: _Bundle, obj: dict[str, Any], where: str) -> None:
    src = b.records.get(str(obj.get("source_ref")))
    dst = b.records.get(str(obj.get("target_ref")))
    if not src or not dst:
        b.feed.skip("relationship between objects not imported from this bundle", where)
        return
    relation = obj.get("x_scamlens_relation") or obj.get("relationship_type") or "related-to"
    relation = str(relation)[:32]
    seen: set[tuple[RecordKey, RecordKey]] = set()
    for s in src:
        for d in dst:
            if (s.key, d.key) not in seen:
                seen.add((s.key, d.key))
                b.feed.links.append(FeedLink(s.key, d.key, relation, s.source, d.source))
