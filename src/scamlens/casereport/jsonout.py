"""to_json: the case report as a JSON-ready dict (schema: schema/casereport.schema.json)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from scamlens.casereport.model import CaseReport

SCHEMA_ID = "https://scamlens.org/schema/casereport/1.0"
SCHEMA_VERSION = "1.0"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(x) for x in value]
    return value


def to_json(report: CaseReport) -> dict[str, Any]:
    """Every field of the report; datetimes as ISO 8601, versions as an object."""
    doc: dict[str, Any] = {"$schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION}
    body = _plain(report)
    body["provenance"]["versions"] = dict(report.provenance.versions)
    doc.update(body)
    return doc


def schema() -> dict[str, Any]:
    """The JSON Schema of to_json's output."""
    import json
    from importlib import resources

    text = resources.files("scamlens.casereport").joinpath("schema", "casereport.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded
