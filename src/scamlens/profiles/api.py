"""Python API for profiles and job ads; the CLI and the service call these.

items = load_items("profiles.jsonl")            # Profile | JobAd, format auto-detected
verdict = score_profile(items[0])              # ItemVerdict with signals and evidence
for out in score_records(rows, "job_ad"): ...  # JSONL contract, one dict per record
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from scamlens.errors import ScamlensError
from scamlens.profiles.jobad_model import JobAdModel
from scamlens.profiles.load import record_to_item
from scamlens.profiles.lookups import IntelLookup
from scamlens.profiles.model import KINDS, ItemVerdict, JobAd, Profile
from scamlens.profiles.photos import PhotoIndex
from scamlens.profiles.scorer import JobAdScorer, ProfileScorer

BATCH = 256  # records scored together (bio templates and shared photos are found per batch)


@lru_cache(maxsize=1)
def default_profile_scorer() -> ProfileScorer:
    """Rules and checks only: no photo folder, no photo index, no intelligence store."""
    return ProfileScorer()


@lru_cache(maxsize=1)
def default_job_ad_scorer() -> JobAdScorer:
    """Rules, checks and the shipped job-ad model; no intelligence store."""
    return JobAdScorer()


def score_profile(
    profile: Profile,
    *,
    photo_root: str | Path | None = None,
    photo_index: PhotoIndex | None = None,
    intel: IntelLookup | None = None,
) -> ItemVerdict:
    if photo_root is None and photo_index is None and intel is None:
        return default_profile_scorer().score(profile)
    scorer = ProfileScorer(photo_root=photo_root, photo_index=photo_index, intel=intel)
    return scorer.score(profile)


def score_job_ad(
    ad: JobAd,
    *,
    model: JobAdModel | None = None,
    use_model: bool = True,
    intel: IntelLookup | None = None,
) -> ItemVerdict:
    if model is None and use_model and intel is None:
        return default_job_ad_scorer().score(ad)
    return JobAdScorer(model=model, use_model=use_model, intel=intel).score(ad)


def score_items(
    items: Sequence[Profile | JobAd],
    *,
    profile_scorer: ProfileScorer | None = None,
    job_ad_scorer: JobAdScorer | None = None,
) -> list[ItemVerdict]:
    """Verdicts in input order; profiles and job ads are each scored as one batch."""
    profiles = [(i, it) for i, it in enumerate(items) if isinstance(it, Profile)]
    ads = [(i, it) for i, it in enumerate(items) if isinstance(it, JobAd)]
    out: list[ItemVerdict | None] = [None] * len(items)
    if profiles:
        ps = profile_scorer or default_profile_scorer()
        for (i, _), v in zip(profiles, ps.score_many([p for _, p in profiles]), strict=True):
            out[i] = v
    if ads:
        js = job_ad_scorer or default_job_ad_scorer()
        for (i, _), v in zip(ads, js.score_many([a for _, a in ads]), strict=True):
            out[i] = v
    return [v for v in out if v is not None]


def verdict_record(
    verdict: ItemVerdict, *, with_evidence: bool = True, rid: Any = None
) -> dict[str, Any]:
    """The JSONL output record: id, kind, risk, label, signals [{id, score}], evidence."""
    rec: dict[str, Any] = {
        "id": verdict.id if verdict.id is not None else rid,
        "kind": verdict.kind,
        "risk": verdict.risk,
        "label": verdict.label,
        "language": verdict.language,
        "signals": [
            {"id": s.id, "score": round(s.score, 4), **({"counter": True} if s.counter else {})}
            for s in verdict.signals
        ],
    }
    if with_evidence:
        rec["evidence"] = [
            {
                "signal": s.id,
                "source": e.source,
                "field": e.note,
                "start": e.start,
                "end": e.end,
                "quote": e.quote,
                "score": e.score,
                "counter": e.counter,
            }
            for s in verdict.signals
            for e in s.evidence
        ]
    if verdict.warnings:
        rec["warnings"] = list(verdict.warnings)
    return rec


def _error(rid: Any, kind: str | None, line: int, message: str) -> dict[str, Any]:
    return {"id": rid, "kind": kind, "line": line, "error": message}


class _Bad:
    """A line that is not a JSON object: it becomes an error record in its place."""

    def __init__(self, message: str) -> None:
        self.message = message


def score_records(
    records: Iterable[Mapping[str, Any]],
    kind: str | None = None,
    *,
    profile_scorer: ProfileScorer | None = None,
    job_ad_scorer: JobAdScorer | None = None,
    with_evidence: bool = True,
    batch_size: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """One output dict per input record, in order. `kind` is "profile", "job_ad", or None /
    "auto" to decide per record. A bad record yields {"id", "kind", "line", "error"} (line:
    the record number) and the run goes on."""
    numbered = ((n, rec) for n, rec in enumerate(records, start=1))
    return _score_numbered(numbered, kind, profile_scorer, job_ad_scorer, with_evidence, batch_size)


def score_lines(
    lines: Iterable[str],
    kind: str | None = None,
    *,
    profile_scorer: ProfileScorer | None = None,
    job_ad_scorer: JobAdScorer | None = None,
    with_evidence: bool = True,
    batch_size: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """`score_records` over JSONL text lines; blank lines are skipped, a line that is not a
    JSON object yields an error record with its line number."""

    def parsed() -> Iterator[tuple[int, Any]]:
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, _Bad(f"invalid JSON: {exc.msg}")
                continue
            yield n, rec if isinstance(rec, dict) else _Bad("each line must be a JSON object")

    return _score_numbered(parsed(), kind, profile_scorer, job_ad_scorer, with_evidence, batch_size)


def _score_numbered(
    numbered: Iterable[tuple[int, Any]],
    kind: str | None,
    profile_scorer: ProfileScorer | None,
    job_ad_scorer: JobAdScorer | None,
    with_evidence: bool,
    batch_size: int,
) -> Iterator[dict[str, Any]]:
    chosen = None if kind in (None, "auto") else kind
    if chosen is not None and chosen not in KINDS:
        raise ScamlensError(f"kind must be one of {KINDS} or 'auto', got {kind!r}")
    chunk: list[tuple[int, Any]] = []
    for item in numbered:
        chunk.append(item)
        if len(chunk) >= max(1, batch_size):
            yield from _score_chunk(chunk, chosen, profile_scorer, job_ad_scorer, with_evidence)
            chunk = []
    if chunk:
        yield from _score_chunk(chunk, chosen, profile_scorer, job_ad_scorer, with_evidence)


def _score_chunk(
    chunk: Sequence[tuple[int, Any]],
    kind: str | None,
    profile_scorer: ProfileScorer | None,
    job_ad_scorer: JobAdScorer | None,
    with_evidence: bool,
) -> Iterator[dict[str, Any]]:
    out: list[dict[str, Any] | None] = [None] * len(chunk)
    items: list[Profile | JobAd] = []
    slots: list[tuple[int, int]] = []
    for pos, (line, rec) in enumerate(chunk):
        if isinstance(rec, _Bad):
            out[pos] = _error(None, kind, line, rec.message)
            continue
        rid = rec.get("id") if isinstance(rec, Mapping) else None
        try:
            item = record_to_item(rec, kind, line=line)
        except ScamlensError as exc:
            out[pos] = _error(rid, kind, line, str(exc))
            continue
        items.append(item)
        slots.append((pos, line))
    verdicts = score_items(items, profile_scorer=profile_scorer, job_ad_scorer=job_ad_scorer)
    for (pos, line), v in zip(slots, verdicts, strict=True):
        out[pos] = verdict_record(v, with_evidence=with_evidence, rid=line)
    for o in out:
        if o is not None:
            yield o
