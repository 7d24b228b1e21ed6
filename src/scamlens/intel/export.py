"""Export the store as a STIX 2.1 bundle (built with the `stix2` library) or as CSV.

STIX: one Identity for scamlens; per source a statement marking with its licence; per record
an Indicator (``[domain-name:value = '...']``, ``[url:value = ...]``,
``[x-crypto-wallet:address = ...]``, ``[email-addr:value = ...]``, ``[x-scamlens-<type>:value
= ...]`` for the rest) with valid_from = first_seen, valid_until = expires, the labels, an
external reference to the source, and ``x_scamlens_*`` properties that let scamlens read it
back losslessly; allow-list entries have indicator_types ``benign``. Domain<->wallet links
become Relationships. Ids are deterministic (UUIDv5), so exporting twice gives the same ids.

The bundle is streamed object by object, so memory does not grow with the store.
"""

from __future__ import annotations

import csv
import uuid
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

import stix2

from .formats.csvfeed import escape_cell
from .formats.stix import escape

if TYPE_CHECKING:
    from .records import IntelRecord
    from .store import IntelStore

NAMESPACE = uuid.UUID("6f2d3c55-2a4e-5a7e-9c61-5ca41e45c0de")
PATTERN_OBJECT = {
    "domain": ("domain-name", "value"),
    "url": ("url", "value"),
    "email": ("email-addr", "value"),
    "wallet": ("x-crypto-wallet", "address"),
}
CSV_COLUMNS = (
    "type",
    "value",
    "chain",
    "action",
    "labels",
    "confidence",
    "first_seen",
    "last_seen",
    "expires",
    "source",
)


def pattern_for(rec: IntelRecord) -> str:
    obj, prop = PATTERN_OBJECT.get(rec.type, (f"x-scamlens-{rec.type.replace('_', '-')}", "value"))
    return f"[{obj}:{prop} = '{escape(rec.value)}']"


def _sid(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join(parts))}"


def record_id(rec: IntelRecord) -> str:
    return _sid("indicator", rec.source, rec.type, rec.value, rec.chain or "", rec.action)


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_stix(store: IntelStore, out: IO[str]) -> int:
    identity = stix2.Identity(
        id=_sid("identity", "scamlens"),
        name="scamlens",
        identity_class="system",
        description="scamlens scam-intelligence store export",
        created="2026-01-01T00:00:00Z",
        modified="2026-01-01T00:00:00Z",
    )
    out.write('{"type": "bundle", "id": "bundle--' + str(uuid.uuid4()) + '", "objects": [\n')
    out.write(identity.serialize())
    sources = {s.name: s for s in store.sources()}
    markings: dict[str, str] = {}
    for s in sources.values():
        if s.licence:
            mark = stix2.MarkingDefinition(
                id=_sid("marking-definition", "licence", s.licence),
                definition_type="statement",
                definition=stix2.StatementMarking(statement=f"Licence: {s.licence}"),
                created="2026-01-01T00:00:00Z",
                created_by_ref=identity.id,
            )
            if mark.id not in markings.values():
                out.write(",\n" + mark.serialize())
            markings[s.name] = mark.id
    n = 0
    for rec in store.records():
        out.write(",\n" + _indicator(rec, identity.id, sources, markings).serialize())
        n += 1
    for link in store.links():
        rel = stix2.Relationship(
            id=_sid("relationship", record_id(link.src), record_id(link.dst), link.relation),
            source_ref=record_id(link.src),
            target_ref=record_id(link.dst),
            relationship_type="related-to",
            created_by_ref=identity.id,
            created=_ts(link.first_seen),
            modified=_ts(link.last_seen),
            allow_custom=True,
            x_scamlens_relation=link.relation,
        )
        out.write(",\n" + rel.serialize())
    out.write("\n]}\n")
    return n


def _indicator(
    rec: IntelRecord, identity_id: str, sources: dict[str, Any], markings: dict[str, str]
) -> stix2.Indicator:
    src = sources.get(rec.source)
    ref: dict[str, str] = {"source_name": rec.source}
    if src is not None:
        ref["description"] = src.title
        if src.url:
            ref["url"] = src.url
    props: dict[str, Any] = {
        "id": record_id(rec),
        "name": f"{rec.type} {rec.value}"[:250],
        "pattern": pattern_for(rec),
        "pattern_type": "stix",
        "indicator_types": ["benign" if rec.action == "allow" else "malicious-activity"],
        "created_by_ref": identity_id,
        "created": _ts(rec.first_seen),
        "modified": _ts(max(rec.last_seen, rec.first_seen)),
        "valid_from": _ts(rec.first_seen),
        "confidence": round(rec.confidence * 100),
        "external_references": [ref],
        "x_scamlens_source": rec.source,
        "x_scamlens_action": rec.action,
        "x_scamlens_confidence": rec.confidence,
        "x_scamlens_first_seen": _ts(rec.first_seen),
        "x_scamlens_last_seen": _ts(rec.last_seen),
    }
    if src is not None:
        props["x_scamlens_source_kind"] = src.kind
    if rec.labels:
        props["labels"] = list(rec.labels)
    if rec.chain:
        props["x_scamlens_chain"] = rec.chain
    if rec.expires is not None:
        # STIX requires valid_until after valid_from; keep odd expiries in a custom property.
        if rec.expires > rec.first_seen:
            props["valid_until"] = _ts(rec.expires)
        else:
            props["x_scamlens_expires"] = _ts(rec.expires)
    if rec.source in markings:
        props["object_marking_refs"] = [markings[rec.source]]
    return stix2.Indicator(allow_custom=True, **props)


def write_csv(store: IntelStore, out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for rec in store.records():
        row = [
            rec.type,
            rec.value,
            rec.chain or "",
            rec.action,
            ";".join(rec.labels),
            f"{rec.confidence:g}",
            _ts(rec.first_seen),
            _ts(rec.last_seen),
            _ts(rec.expires) if rec.expires is not None else "",
            rec.source,
        ]
        writer.writerow([escape_cell(cell) for cell in row])
        n += 1
    return n
