"""Campaign and ring discovery: one script behind many accounts, one wallet behind many chats.

`find_campaigns` clusters messages into scripts (surviving synonym spinning, rewording and
obfuscation, in English and Chinese), ties accounts into rings through shared scripts and
indicators, and returns a CampaignReport whose `to_dict()` is the documented JSON
(`schema()`); `similar` links one new text to the known scripts it was reworded from. The
Spark job (`scamlens.campaigns.spark_job`) runs the same steps on a cluster. See
docs/campaigns.md.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from scamlens.lazy import lazy_getattr

if TYPE_CHECKING:
    from scamlens.campaigns.api import SCHEMA_ID, CampaignReport, find_campaigns
    from scamlens.campaigns.html import render as render_html
    from scamlens.campaigns.params import Params
    from scamlens.campaigns.records import FieldMap, MessageTable, load_messages
    from scamlens.campaigns.rings import (
        Campaign,
        IndicatorSummary,
        RingParams,
        ScriptSummary,
        Tie,
        Variant,
    )
    from scamlens.campaigns.similar import Aligned, Match, load_corpus, similar

_WHERE = {
    "SCHEMA_ID": "scamlens.campaigns.api",
    "CampaignReport": "scamlens.campaigns.api",
    "find_campaigns": "scamlens.campaigns.api",
    "render_html": "scamlens.campaigns.html:render",
    "Params": "scamlens.campaigns.params",
    "FieldMap": "scamlens.campaigns.records",
    "MessageTable": "scamlens.campaigns.records",
    "load_messages": "scamlens.campaigns.records",
    "Campaign": "scamlens.campaigns.rings",
    "IndicatorSummary": "scamlens.campaigns.rings",
    "RingParams": "scamlens.campaigns.rings",
    "ScriptSummary": "scamlens.campaigns.rings",
    "Tie": "scamlens.campaigns.rings",
    "Variant": "scamlens.campaigns.rings",
    "Aligned": "scamlens.campaigns.similar",
    "Match": "scamlens.campaigns.similar",
    "load_corpus": "scamlens.campaigns.similar",
    "similar": "scamlens.campaigns.similar",
}
__getattr__ = lazy_getattr(__name__, _WHERE)


@cache
def _schema_text() -> str:
    return (
        resources.files("scamlens.campaigns")
        .joinpath("schema/campaigns.schema.json")
        .read_text(encoding="utf-8")
    )


def schema() -> dict[str, Any]:
    """The JSON Schema of the campaigns document."""
    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded


__all__ = [
    "SCHEMA_ID",
    "Aligned",
    "Campaign",
    "CampaignReport",
    "FieldMap",
    "IndicatorSummary",
    "Match",
    "MessageTable",
    "Params",
    "RingParams",
    "ScriptSummary",
    "Tie",
    "Variant",
    "find_campaigns",
    "load_corpus",
    "load_messages",
    "render_html",
    "schema",
    "similar",
]
