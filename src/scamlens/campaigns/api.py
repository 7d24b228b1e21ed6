"""Campaign discovery, the Python API.

    from scamlens.campaigns import find_campaigns
    report = find_campaigns("messages.jsonl")
    report.to_dict()            # the JSON document (schema/campaigns.schema.json)

`find_campaigns` takes a path, a MessageTable or an iterable of record mappings, clusters the
messages into scripts, finds rings of accounts tied by shared scripts and indicators, and
returns a CampaignReport. Plug-ins: `stage_of(text) -> stage id | None` (the rule engine),
`indicators` (which extractor to use, or a callable returning (type, value) pairs) and
`extra_indicators` ((account, type, value) tuples from elsewhere). The same extractor reads
the hidden link targets of chat messages (`MessageTable.links`), which count like visible
indicators.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scamlens.campaigns import pipeline
from scamlens.campaigns.ioc import IndicatorFn, Source
from scamlens.campaigns.params import Params
from scamlens.campaigns.records import FieldMap, MessageTable, load_messages
from scamlens.campaigns.rings import (
    Campaign,
    IndicatorSummary,
    RingParams,
    ScriptSummary,
    StageFn,
    Tie,
    Variant,
    build_campaigns,
)
from scamlens.text.normalize import display_safe

SCHEMA_ID = "scamlens.campaigns/1"


@dataclass(frozen=True, slots=True)
class CampaignReport:
    campaigns: tuple[Campaign, ...]
    scripts: tuple[ScriptSummary, ...]  # every script cluster, in campaigns or not
    common_indicators: tuple[IndicatorSummary, ...]
    params: Params
    ring_params: RingParams
    stats: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON document (see schema/campaigns.schema.json)."""
        return report_dict(self)

    def script_of(self) -> dict[str, str]:
        """Message id -> script id, for storing cluster membership."""
        return {m: s.id for s in self.scripts for m in s.message_ids}


def as_table(
    source: str | Path | MessageTable | Iterable[Mapping[str, Any]], fields: FieldMap | None
) -> MessageTable:
    if isinstance(source, MessageTable):
        return source
    if isinstance(source, str | Path):
        return load_messages(source, fields)
    table = MessageTable.from_records(source, fields)
    table.check_unique_ids()
    return table


def find_campaigns(
    source: str | Path | MessageTable | Iterable[Mapping[str, Any]],
    *,
    params: Params | None = None,
    rings: RingParams | None = None,
    stage_of: StageFn | None = None,
    indicators: Source | IndicatorFn = "auto",
    extra_indicators: Iterable[tuple[str, str, str]] = (),
    fields: FieldMap | None = None,
    variants: int = 5,
    workers: int = 1,
) -> CampaignReport:
    """Scripts and campaigns in many messages (see the module docstring).

    `workers` > 1 forks that many processes for the per-text work (preparing texts and
    extracting indicators) on large inputs; the result is the same.
    """
    params = params or Params()
    rp = rings or RingParams()
    t0 = time.perf_counter()
    table = as_table(source, fields)
    load = time.perf_counter() - t0
    cl = pipeline.cluster_table(table, params, workers)
    timings = {"load": load, **cl.timings}
    t0 = time.perf_counter()
    scripts = pipeline.script_summaries(cl, variants)
    timings["scripts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    per_text = pipeline.text_indicators(cl, indicators, workers)
    hidden = pipeline.link_indicators(table, indicators, workers)
    inds = pipeline.indicator_summaries(table, cl.text_of, per_text, extra_indicators, hidden)
    timings["indicators"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_accounts = len(set(table.accounts))
    campaigns, common = build_campaigns(scripts, inds, n_accounts, rp, stage_of)
    timings["rings"] = time.perf_counter() - t0
    in_campaigns = {s.id for c in campaigns for s in c.scripts}
    stats = {
        "messages": len(table),
        "accounts": n_accounts,
        "distinct_texts": len(cl.texts),
        "documents": len(cl.docs.keys),
        "comparable_documents": int(cl.features.usable.sum()),
        "clustered_messages": int((cl.message_cluster >= 0).sum()),
        "scripts": len(scripts),
        "scripts_outside_campaigns": sum(1 for s in scripts if s.id not in in_campaigns),
        "campaigns": len(campaigns),
        "indicators": len(inds),
        "common_indicators": len(common),
    }
    # Scripts carry their stage once build_campaigns has asked stage_of.
    staged = {s.id: s for c in campaigns for s in c.scripts}
    scripts = [staged.get(s.id, s) for s in scripts]
    return CampaignReport(
        tuple(campaigns), tuple(scripts), tuple(common), params, rp, stats, timings
    )


def _variant(v: Variant) -> dict[str, Any]:
    return {"text": display_safe(v.text), "count": v.count, "similarity": v.similarity}


def _script(s: ScriptSummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "size": s.size,
        "message_ids": list(s.message_ids),
        "accounts": list(s.accounts),
        "conversation_count": len(s.conversations),
        "representative": display_safe(s.representative),
        "variants": [_variant(v) for v in s.variants],
        "forms": s.forms,
        "languages": list(s.languages),
        "stage": s.stage,
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
    }


def _indicator(ind: IndicatorSummary, tied: set[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": ind.type,
        "value": ind.value,
        "ties": (ind.type, ind.value) in tied,
        "accounts": list(ind.accounts),
        "conversation_count": len(ind.conversations),
        "message_ids": list(ind.message_ids),
        "first_seen": ind.first_seen,
        "last_seen": ind.last_seen,
    }
    if ind.hidden_message_ids:  # only then, so documents without hidden links are unchanged
        out["link_target_message_ids"] = list(ind.hidden_message_ids)
    return out


def _tie(t: Tie) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "type": t.type,
        "key": t.key,
        "weight": t.weight,
        "accounts": list(t.accounts),
        "conversation_count": t.conversations,
        "message_count": t.message_count,
    }


def campaign_dict(c: Campaign) -> dict[str, Any]:
    rep = c.representative
    tied = {(t.type, t.key) for t in c.ties if t.kind == "indicator"}
    return {
        "id": c.id,
        "size": c.size,
        "message_ids": list(c.message_ids),
        "accounts": list(c.accounts),
        "conversations": list(c.conversations),
        "platforms": list(c.platforms),
        "representative": (
            {"script": rep.id, "text": display_safe(rep.representative)} if rep else None
        ),
        "variants": [_variant(v) for v in rep.variants] if rep else [],
        "scripts": [_script(s) for s in c.scripts],
        "indicators": [_indicator(i, tied) for i in c.indicators],
        "ties": [_tie(t) for t in c.ties],
        "first_seen": c.first_seen,
        "last_seen": c.last_seen,
        "languages": list(c.languages),
        "stages": list(c.stages),
    }


def report_dict(r: CampaignReport) -> dict[str, Any]:
    rp = r.ring_params
    return {
        "schema": SCHEMA_ID,
        "parameters": {
            **r.params.as_dict(),
            "rings": {
                "min_accounts": rp.min_accounts,
                "min_conversations": rp.min_conversations,
                "min_tie_weight": rp.min_tie_weight,
                "max_indicator_share": rp.max_indicator_share,
                "tie_weights": dict(sorted(rp.tie_weights.items())),
            },
        },
        "stats": dict(r.stats),
        "campaigns": [campaign_dict(c) for c in r.campaigns],
        "common_indicators": [
            {"type": i.type, "value": i.value, "accounts": len(i.accounts)}
            for i in r.common_indicators
        ],
    }
