"""REST endpoints under /api/v1. Most handlers are sync (FastAPI runs them in its thread pool);
the analyses are async, see the note above them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from scamlens import __version__
from scamlens.cases.records import (
    SORTS,
    STATUSES,
    AuditEvent,
    CaseRecord,
    CaseSummary,
    FeedbackRecord,
)
from scamlens.cases.store import CaseStore
from scamlens.errors import InputError
from scamlens.ingest import ImportOptions, supported_format
from scamlens.model import Conversation
from scamlens.report.jsonout import evidence_dict, indicator_dict, intel_hit_dict
from scamlens.scoring.engine import Engine
from scamlens.text.language import language_note

from . import core
from .auth import Principal, public, require
from .errors import ApiError
from .fastbody import AnalyzeRoute, Prevalidated, prevalidated
from .models import (
    AnalyzeRequest,
    CampaignRequest,
    CaseCreate,
    CaseUpdate,
    CheckRequest,
    ExtractRequest,
    FeedbackIn,
    PurgeRequest,
    RecordsRequest,
    ScoreRequest,
)
from .responses import FastJSONResponse
from .settings import ServiceSettings
from .turns import LARGE_CHARS, analyze_batched, cpu_turn, in_large_turn, is_large

router = APIRouter(prefix="/api/v1")

Read = Annotated[Principal, Depends(require("read"))]
Write = Annotated[Principal, Depends(require("write"))]
Admin = Annotated[Principal, Depends(require("admin"))]


def _settings(request: Request) -> ServiceSettings:
    s: ServiceSettings = request.app.state.settings
    return s


def _store(request: Request) -> CaseStore:
    s: CaseStore = request.app.state.store
    return s


def _engine(request: Request) -> Engine:
    e: Engine = request.app.state.engine
    return e


def _fields_json(obj: Any, cls: type) -> dict[str, Any]:
    """The fields `cls` declares, read from `obj` (a `cls` or a subclass), times as ISO 8601."""
    out = {}
    for f in fields(cls):
        value = getattr(obj, f.name)
        out[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def summary_json(c: CaseSummary | CaseRecord) -> dict[str, Any]:
    return _fields_json(c, CaseSummary)


def feedback_json(f: FeedbackRecord) -> dict[str, Any]:
    return _fields_json(f, FeedbackRecord)


def audit_json(a: AuditEvent) -> dict[str, Any]:
    return _fields_json(a, AuditEvent)


def case_json(c: CaseRecord) -> dict[str, Any]:
    return summary_json(c) | {
        "verdict": c.verdict,
        "feedback": [feedback_json(f) for f in c.feedback],
    }


# -- meta ---------------------------------------------------------------------------------


@router.get("/health", tags=["meta"], dependencies=[Depends(public)])
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/version", tags=["meta"], dependencies=[Depends(public)])
def version(request: Request) -> dict[str, Any]:
    return {"scamlens": __version__, "api": "v1", "engine": _engine(request).versions}


# -- analysis -----------------------------------------------------------------------------


def _save(
    request: Request,
    principal: Principal,
    analysed: list[tuple[Conversation, dict[str, Any]]],
    title: str | None,
    platform: str | None,
    source_name: str | None,
) -> list[str]:
    if not principal.allows("write"):
        raise ApiError(403, f"save_case needs the 'write' role; your key has {principal.role!r}")
    ids = []
    for conv, doc in analysed:
        rec = _store(request).create_case(
            conv,
            doc,
            title=title or conv.title or source_name or "Untitled conversation",
            source_name=source_name,
            platform=platform,
            actor=principal.name,
        )
        ids.append(rec.id)
    if ids:
        request.state.case_id = ids[0]
    return ids


def _respond(
    analysed: list[tuple[Conversation, dict[str, Any]]], ids: list[str], redact: bool
) -> FastJSONResponse:
    doc = core.combined([d for _, d in analysed])
    if redact:
        doc = core.redact(doc)
    if ids:
        doc["case_id"] = ids[0]
        doc["case_ids"] = ids
    # Already JSON types: skip FastAPI's generic encoder (a third of the request's CPU).
    return FastJSONResponse(doc)


# The analyses run on the event loop, not in the thread pool: they are CPU-bound and hold the
# GIL, so a thread gains no parallelism, costs two hand-offs, and lets dozens of requests share
# the GIL at once (all finish late). On the loop they take FIFO turns, and /analyze requests
# that queued during a turn are analysed together in the next one (turns.py). Large requests
# are the exception: their work would hold the loop for seconds, so it goes to the thread of
# large work (turns.py). Database writes still go to the pool.


async def _saved_and_rendered(
    request: Request,
    principal: Principal,
    analysed: list[tuple[Conversation, dict[str, Any]]],
    *,
    save: bool,
    title: str | None,
    platform: str | None,
    name: str | None,
    redact: bool,
    large: bool,
) -> FastJSONResponse:
    """The cases saved when asked, then the response (a large one rendered off the loop)."""
    ids = []
    if save:
        ids = await run_in_threadpool(_save, request, principal, analysed, title, platform, name)
    if large:
        return await in_large_turn(_respond, analysed, ids, redact)
    return _respond(analysed, ids, redact)


async def _analysed(
    engine: Engine, chats_of: Callable[[], list[Conversation]], lang: str, large: bool
) -> list[tuple[Conversation, dict[str, Any]]]:
    """The chats `chats_of()` gives, each with its scan document: in the loop's next batch, or
    (a large body: its splitting, analysis and documents take seconds) all in the thread of
    large work (turns.py), so the loop keeps serving the others."""
    if large:
        return await in_large_turn(lambda: core.analyze_all(engine, chats_of(), lang))
    chats = chats_of()
    return core.documents(chats, await analyze_batched(engine, chats, lang))


def _chats(body: AnalyzeRequest | CaseCreate, opts: ImportOptions) -> list[Conversation]:
    """The conversations of a request body: its messages, or its pasted text."""
    if body.messages is not None:
        return [core.from_messages(body.messages, body.me, opts)]
    assert body.text is not None
    return core.from_text(body.text, body.me, opts)


def _body_chars(body: AnalyzeRequest | CaseCreate, fast: Prevalidated | None = None) -> int:
    """About how much text a valid body holds (its messages' JSON, or the text)."""
    if fast is not None and fast.rows is not None:
        return fast.encoded_at_most
    if body.text is not None:
        return len(body.text)
    return sum(len(m.text) for m in body.messages or ())


async def analyze(body: AnalyzeRequest, request: Request, principal: Read) -> FastJSONResponse:
    """Analyse a conversation given as messages, or pasted text; returns the scan document."""
    opts = core.options(_settings(request).max_json_bytes)
    fast = prevalidated(request)

    def chats_of_body() -> list[Conversation]:
        if fast is not None and fast.rows is not None:
            return [core.from_rows(fast.rows, body.me, opts, fast.encoded_at_most)]
        return _chats(body, opts)

    large = _body_chars(body, fast) > LARGE_CHARS
    analysed = await _analysed(_engine(request), chats_of_body, body.lang, large)
    return await _saved_and_rendered(
        request,
        principal,
        analysed,
        save=body.save_case,
        title=body.title,
        platform=body.platform,
        name=None,
        redact=body.redact,
        large=large,
    )


# Its route reads a valid body in one pass (fastbody.py); the declaration is as @router.post's.
router.add_api_route(
    "/analyze",
    analyze,
    methods=["POST"],
    tags=["analysis"],
    response_class=FastJSONResponse,
    route_class_override=AnalyzeRoute,
)


@router.post("/analyze/upload", tags=["analysis"], response_class=FastJSONResponse)
async def analyze_upload(
    request: Request,
    principal: Read,
    file: Annotated[UploadFile, File(description="a chat export in any format scamlens reads")],
    me: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
    format: Annotated[str | None, Form(min_length=1, max_length=32)] = None,
    lang: Annotated[str, Form(pattern="^(auto|en|zh)$")] = "auto",
    save_case: Annotated[bool, Form()] = False,
    redact: Annotated[bool, Form()] = False,
    title: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
    platform: Annotated[str | None, Form(min_length=1, max_length=32)] = None,
) -> FastJSONResponse:
    """Analyse an uploaded export (multipart). The file is read in memory; its name is a label
    only and is never used as a path."""
    settings = _settings(request)
    fmt = supported_format(format) if format else None
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ApiError(413, f"the file is over the {settings.max_upload_bytes:,}-byte limit")
    opts = core.options(settings.max_upload_bytes)
    engine = _engine(request)
    # A large export's parsing, analysis and response document take seconds: they run in the
    # thread of large requests (turns.py), so the loop keeps serving the others. Large: by its
    # bytes, or (a small zip can hold a large export) by the text it turns out to hold.
    if len(data) > LARGE_CHARS:
        chats = await in_large_turn(core.from_upload, data, fmt, me, opts)
    else:
        async with cpu_turn():
            chats = core.from_upload(data, fmt, me, opts)
    if not chats:
        raise InputError("no conversation found in the upload", "upload")
    large = is_large(chats)
    if large:
        analysed = await in_large_turn(core.analyze_all, engine, chats, lang)
    else:
        async with cpu_turn():
            analysed = core.analyze_all(engine, chats, lang)
    return await _saved_and_rendered(
        request,
        principal,
        analysed,
        save=save_case,
        title=title,
        platform=platform,
        name=core.display_name(file.filename),
        redact=redact,
        large=large,
    )


@router.post("/score", tags=["analysis"])
def score(body: ScoreRequest, request: Request, _: Read) -> dict[str, Any]:
    """Score independent texts: messages (the chat engine), profiles or job ads."""
    if body.kind != "message":
        field = "bio" if body.kind == "profile" else "description"
        recs = [{"id": i, field: t} for i, t in enumerate(body.texts)]
        return {"kind": body.kind, "results": _score_records(recs, body.kind, True)}
    results = _engine(request).score_batch(body.texts)
    return {
        "kind": "message",
        "results": [
            {
                "index": i,
                "risk": r.risk,
                "label": r.label,
                "stage": r.stage.value if r.stage else None,
                "language": r.language,
                "language_note": language_note(r.language),
                "tactics": [{"id": t, "score": s} for t, s in r.tactics],
                "evidence": [evidence_dict(e) for e in r.evidence],
            }
            for i, r in enumerate(results)
        ],
    }


def _score_records(
    records: list[dict[str, Any]], kind: str, evidence: bool
) -> list[dict[str, Any]]:
    from scamlens.profiles.api import score_records

    return list(score_records(records, kind, with_evidence=evidence))


@router.post("/profiles/score", tags=["analysis"])
def profiles_score(body: RecordsRequest, _: Read) -> dict[str, Any]:
    """Score dating/social profile records (fields as in docs/profiles.md)."""
    return {"results": _score_records(body.records, "profile", body.evidence)}


@router.post("/jobads/score", tags=["analysis"])
def jobads_score(body: RecordsRequest, _: Read) -> dict[str, Any]:
    """Score job-ad records (fields as in docs/profiles.md)."""
    return {"results": _score_records(body.records, "job_ad", body.evidence)}


# -- indicators ---------------------------------------------------------------------------


@router.post("/indicators/extract", tags=["indicators"])
def indicators_extract(body: ExtractRequest, request: Request, _: Read) -> dict[str, Any]:
    """Wallets, sites, contacts and amounts in a text, checked against the intel store."""
    from scamlens.indicators import extract

    found = extract(body.text, region=body.region.upper() if body.region else None)
    hits: dict[tuple[str, str], list[Any]] = {}
    if body.check and found:
        hits = dict(request.app.state.intel.check(found))
    return {
        "indicators": [
            indicator_dict(i)
            | {"intel_hits": [intel_hit_dict(h) for h in hits.get((i.type, i.value), [])]}
            for i in found
        ]
    }


@router.post("/indicators/check", tags=["indicators"])
def indicators_check(body: CheckRequest, request: Request, _: Read) -> dict[str, Any]:
    """Look raw values (wallet, domain, URL, phone, e-mail, handle) up in the intel store."""
    checks = request.app.state.intel.check_values(body.values)
    return {
        "results": [
            {
                "raw": c.raw,
                "type": c.type,
                "value": c.value,
                "chain": c.chain,
                "error": c.error,
                "hits": [intel_hit_dict(h) for h in c.hits],
            }
            for c in (checks[v] for v in dict.fromkeys(body.values))
        ]
    }


# -- campaigns ----------------------------------------------------------------------------


def _campaigns(request: Request, records: list[dict[str, Any]]) -> dict[str, Any]:
    from scamlens.campaigns import find_campaigns

    engine = _engine(request)
    if not records:
        return {"campaigns": [], "scripts": [], "common_indicators": [], "stats": {}}
    report = find_campaigns(records, stage_of=lambda t: core.stage_of(engine, t))
    return report.to_dict()


@router.post("/campaigns", tags=["campaigns"])
def campaigns_post(body: CampaignRequest, request: Request, _: Read) -> dict[str, Any]:
    """Scripts and rings of accounts in the posted (account, text) records."""
    records = []
    for i, r in enumerate(body.records):
        rec: dict[str, Any] = {"id": r.id or str(i), "account": r.account, "text": r.text}
        if r.conversation is not None:
            rec["conversation"] = r.conversation
        if r.timestamp is not None:
            rec["timestamp"] = r.timestamp
        if r.links:
            rec["links"] = r.links
        records.append(rec)
    return _campaigns(request, records)


@router.get("/campaigns", tags=["campaigns"])
def campaigns_get(
    request: Request,
    _: Read,
    max_cases: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> dict[str, Any]:
    """Campaigns across the other party's messages in the stored cases."""
    return _campaigns(request, _store(request).campaign_records(max_cases=max_cases))


# -- cases --------------------------------------------------------------------------------


@router.post("/cases", tags=["cases"], status_code=201)
async def cases_create(body: CaseCreate, request: Request, principal: Write) -> dict[str, Any]:
    """Analyse a conversation and keep it as a case."""
    opts = core.options(_settings(request).max_json_bytes)
    large = _body_chars(body) > LARGE_CHARS
    analysed = await _analysed(_engine(request), lambda: _chats(body, opts), body.lang, large)
    return await run_in_threadpool(_save_case_json, request, principal, analysed, body)


def _save_case_json(
    request: Request,
    principal: Principal,
    analysed: list[tuple[Conversation, dict[str, Any]]],
    body: CaseCreate,
) -> dict[str, Any]:
    ids = _save(request, principal, analysed, body.title, body.platform, None)
    return case_json(_store(request).get_case(ids[0])) | {"case_ids": ids}


@router.get("/cases", tags=["cases"])
def cases_list(
    request: Request,
    _: Read,
    status: Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")] = None,
    label: Annotated[str | None, Query(max_length=16)] = None,
    stage: Annotated[str | None, Query(max_length=32)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    platform: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=200, description="in titles and notes")] = None,
    sort: Annotated[
        str, Query(pattern="^(" + "|".join(SORTS) + ")$", description="newest or riskiest first")
    ] = "newest",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    rows, total = _store(request).list_cases(
        status=status,
        label=label,
        stage=stage,
        language=language,
        platform=platform,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "cases": [summary_json(r) for r in rows],
    }


def _case_id(request: Request, case_id: str) -> str:
    if len(case_id) > 32:
        raise ApiError(404, f"no case {case_id[:40]!r}", code="case_not_found")
    request.state.case_id = case_id
    return case_id


@router.get("/cases/{case_id}", tags=["cases"])
def cases_get(case_id: str, request: Request, _: Read, messages: bool = True) -> dict[str, Any]:
    """A case with its verdict document and feedback (and its messages unless messages=false)."""
    rec = _store(request).get_case(_case_id(request, case_id))
    out = case_json(rec)
    if not messages:
        out["verdict"] = core.redact(rec.verdict) if "results" in rec.verdict else {}
    return out


@router.patch("/cases/{case_id}", tags=["cases"])
def cases_update(
    case_id: str, body: CaseUpdate, request: Request, principal: Write
) -> dict[str, Any]:
    rec = _store(request).update_case(
        _case_id(request, case_id), status=body.status, notes=body.notes, actor=principal.name
    )
    return case_json(rec)


@router.delete("/cases/{case_id}", tags=["cases"], status_code=204)
def cases_delete(case_id: str, request: Request, principal: Write) -> Response:
    """Delete the conversation, verdict and feedback; the audit trail keeps a tombstone."""
    _store(request).delete_case(_case_id(request, case_id), actor=principal.name)
    return Response(status_code=204)


@router.post("/cases/{case_id}/feedback", tags=["cases"], status_code=201)
def feedback_add(
    case_id: str, body: FeedbackIn, request: Request, principal: Write
) -> dict[str, Any]:
    """An analyst's decision on the verdict ("verdict"), a piece of evidence ("evidence:N",
    numbered over tactics' evidence, then counter-evidence, then model evidence) or an
    indicator ("indicator:N")."""
    fb = _store(request).add_feedback(
        _case_id(request, case_id),
        target=body.target,
        decision=body.decision,
        note=body.note,
        actor=principal.name,
    )
    return feedback_json(fb)


@router.get("/cases/{case_id}/feedback", tags=["cases"])
def feedback_list(case_id: str, request: Request, _: Read) -> dict[str, Any]:
    fbs = _store(request).feedback_for(_case_id(request, case_id))
    return {"feedback": [feedback_json(f) for f in fbs]}


@router.get("/cases/{case_id}/audit", tags=["cases"])
def audit_list(case_id: str, request: Request, _: Read) -> dict[str, Any]:
    """The audit trail (kept, content-free, after the case is deleted)."""
    events = _store(request).audit_for(_case_id(request, case_id))
    return {"events": [audit_json(e) for e in events]}


@router.get("/feedback/export", tags=["cases"], response_class=StreamingResponse)
def feedback_export(request: Request, _: Admin) -> StreamingResponse:
    """Analyst feedback as JSONL training rows (they hold message text: admin only)."""
    buf = io.StringIO()
    _store(request).export_feedback(buf)
    data = buf.getvalue().encode("utf-8")

    def body() -> Iterator[bytes]:
        yield data

    return StreamingResponse(
        body(),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="feedback.jsonl"'},
    )


@router.post("/cases/purge", tags=["cases"])
def cases_purge(body: PurgeRequest, request: Request, principal: Admin) -> dict[str, int]:
    """Delete every case created more than `older_than_days` days ago."""
    n = _store(request).purge_older_than(body.older_than_days, actor=principal.name)
    return {"deleted": n}


@router.get("/stats", tags=["cases"])
def stats(request: Request, _: Read) -> dict[str, Any]:
    return _store(request).stats()
