"""The analyst pages: upload, cases, case review, campaigns, statistics, scoring, login.

Handlers are plain `def` so the core's CPU work runs in the server's thread pool. They hold
no detection logic: they call scamlens.ingest, the engine on app.state, the case store on
app.state and the casereport / campaigns / profiles modules, and render the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scamlens.errors import ScamlensError
from scamlens.model import Conversation, Stage
from scamlens.report.percent import risk_percent
from scamlens.service.turns import LARGE_CHARS, in_large_turn_blocking, is_large
from scamlens.text.language import language_note
from scamlens.text.normalize import display_safe
from scamlens.web import charts, views
from scamlens.web.auth import Principal, authorize
from scamlens.web.security import (
    check_csrf,
    clear_session,
    csrf_token,
    finish,
    safe_next,
    set_session,
)

STATIC_DIR = Path(__file__).parent / "static"
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}\.(css|js)")
PAGE_SIZE = 25
MAX_UPLOAD = 20 * 1024 * 1024
MAX_CASES_PER_UPLOAD = 20
MAX_CAMPAIGNS_SHOWN = 20
LABELS = ("scam", "suspicious", "benign")
# "other": mostly a language scamlens does not read (see text.language.is_other_language).
LANGUAGES = ("en", "zh", "mixed", "unknown", "other")
REPORT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}
PROFILE_FIELDS = (
    ("display_name", "Display name"),
    ("headline", "Headline"),
    ("job", "Job"),
    ("location", "Location"),
    ("bio", "Bio"),
    ("links", "Links (one a line)"),
)
JOB_FIELDS = (
    ("title", "Job title"),
    ("company", "Company"),
    ("location", "Location"),
    ("salary", "Salary"),
    ("description", "Description"),
    ("requirements", "Requirements"),
    ("benefits", "Benefits"),
    ("contact", "Contact"),
)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("scamlens.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        label_words=views.LABEL_WORDS,
        status_words=views.STATUS_WORDS,
        stage_title=views.stage_title,
        language_note=language_note,
        risk_percent=risk_percent,
    )
    return env


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def page(
    request: Request,
    template: str,
    *,
    title: str,
    nav: str = "",
    status: int = 200,
    who: Principal | None = None,
    **ctx: Any,
) -> Response:
    html = (
        _env()
        .get_template(template)
        .render(
            title=title,
            nav=nav,
            csrf=csrf_token(request),
            base=_base(request),
            actor=who.name if who else "",
            show_logout=bool(who and who.via_key),
            **ctx,
        )
    )
    return finish(request, HTMLResponse(html, status_code=status))


def _redirect(request: Request, path: str) -> Response:
    return finish(request, RedirectResponse(_base(request) + path, status_code=303))


def _store(request: Request) -> Any:
    return request.app.state.store


_ERROR_TITLES = {401: "Sign in first", 403: "Not allowed", 404: "Not found", 413: "Too large"}


def error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """The HTML page for an HTTP error raised under a web-UI route (the API answers JSON)."""
    resp = page(
        request,
        "error.html",
        title=_ERROR_TITLES.get(status, "Something went wrong"),
        status=status,
        message=message,
    )
    resp.headers.update(headers or {})
    return resp


def _not_found(request: Request, who: Principal | None, what: str = "case") -> Response:
    return page(
        request,
        "error.html",
        title="Not found",
        status=404,
        who=who,
        message=f"There is no such {what}. It may have been deleted.",
    )


def _get_case(request: Request, case_id: str) -> Any:
    from scamlens.cases.store import CaseNotFound

    try:
        return _store(request).get_case(case_id)
    except CaseNotFound:
        return None


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _opt(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def reader(request: Request) -> Principal:
    return authorize(request, "read")


def writer(request: Request) -> Principal:
    return authorize(request, "write")


def admin(request: Request) -> Principal:
    return authorize(request, "admin")


Reader = Annotated[Principal, Depends(reader)]
Writer = Annotated[Principal, Depends(writer)]
Admin = Annotated[Principal, Depends(admin)]


def build_ui_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    _static(router)
    _auth_routes(router)
    _upload_routes(router)
    _case_routes(router)
    _campaign_routes(router)
    _stats_routes(router)
    _score_routes(router)
    return router


# -- static files and login -------------------------------------------------------------------


def _static(router: APIRouter) -> None:
    @router.get("/static/{name}")
    def static_file(request: Request, name: str) -> Response:
        path = STATIC_DIR / name
        if not _STATIC_NAME.fullmatch(name) or not path.is_file():
            raise HTTPException(404)
        resp = Response(path.read_bytes(), media_type=_STATIC_TYPES[path.suffix])
        resp.headers["Cache-Control"] = "public, max-age=300"
        return finish(request, resp)


def _auth_routes(router: APIRouter) -> None:
    @router.get("/login")
    def login_form(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", title="Sign in", next=safe_next(next), error="")

    @router.post("/login")
    def login(
        request: Request,
        key: str = Form(""),
        next: str = Form("/"),
        csrf_token: str = Form(""),
    ) -> Response:
        from scamlens.web.auth import session_for_key

        check_csrf(request, csrf_token)
        token = session_for_key(request, key)
        if token is None:
            return page(
                request,
                "login.html",
                title="Sign in",
                status=401,
                next=safe_next(next),
                error="That key is not valid.",
            )
        resp = _redirect(request, safe_next(next))
        set_session(request, resp, token)
        return resp

    @router.post("/logout")
    def logout(request: Request, csrf_token: str = Form("")) -> Response:
        check_csrf(request, csrf_token)
        resp = _redirect(request, "/login")
        clear_session(resp)
        return resp

    @router.get("/")
    def home(request: Request, who: Reader) -> Response:
        return _redirect(request, "/cases")


# -- upload -----------------------------------------------------------------------------------


def _upload_limit(request: Request) -> int:
    return int(getattr(request.app.state.settings, "max_upload_bytes", MAX_UPLOAD))


def _read_upload(file: UploadFile | None, limit: int) -> bytes:
    """The uploaded bytes, at most `limit` + 1 of them (more means too large; never spooled)."""
    return file.file.read(limit + 1) if file is not None else b""


def _parse_upload(data: bytes, name: str, text: str, me: str | None) -> list[Conversation]:
    from scamlens.ingest import load_bytes, parse_text

    if data:
        return load_bytes(data, name=name or "upload", me=me)
    if text.strip():
        return parse_text(text, me=me, name="pasted text")
    raise ScamlensError("give a chat export file or paste the chat text")


def _analyse_and_store(
    request: Request, conv: Conversation, name: str, title: str | None, actor: str
) -> Any:
    from scamlens.service.core import analyze_all

    engine = request.app.state.engine
    if is_large([conv]):  # one large analysis at a time per process, as on the API's routes
        [(_, doc)] = in_large_turn_blocking(analyze_all, engine, [conv], "auto")
    else:
        [(_, doc)] = analyze_all(engine, [conv], "auto")
    default = conv.title or (name if name != "pasted text" else "Pasted chat")
    return _store(request).create_case(
        conv,
        doc,
        title=(title or default)[:200],
        source_name=name[:200],
        platform=conv.platform,
        actor=actor,
    )


def _upload_routes(router: APIRouter) -> None:
    def form(request: Request, who: Principal, status: int = 200, **ctx: Any) -> Response:
        values = {"error": "", "text": "", "me": "", "case_title": ""} | ctx
        return page(
            request,
            "upload.html",
            title="Upload a chat",
            nav="upload",
            status=status,
            who=who,
            **values,
        )

    @router.get("/upload")
    def upload_form(request: Request, who: Writer) -> Response:
        return form(request, who)

    @router.post("/upload")
    def upload(
        request: Request,
        who: Writer,
        file: Annotated[UploadFile | None, File()] = None,
        text: str = Form(""),
        me: str = Form(""),
        title: str = Form(""),
        csrf_token: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf_token)
        limit = _upload_limit(request)
        data = _read_upload(file, limit)
        name = (file.filename or "upload") if file is not None and data else "pasted text"
        if len(data) > limit or len(text.encode("utf-8", "replace")) > limit:
            return form(request, who, 413, error=f"The chat is larger than {limit:,} bytes.")
        try:
            if max(len(data), len(text)) > LARGE_CHARS:
                convs = in_large_turn_blocking(_parse_upload, data, name, text, _opt(me))
            else:
                convs = _parse_upload(data, name, text, _opt(me))
            if not convs:
                raise ScamlensError("no conversation found in this input")
            records = [
                _analyse_and_store(request, c, name, _opt(title), who.name)
                for c in convs[:MAX_CASES_PER_UPLOAD]
            ]
        except ScamlensError as exc:
            return form(
                request,
                who,
                400,
                error=display_safe(str(exc)),
                text=text,
                me=me,
                case_title=title,
            )
        if len(records) == 1:
            return _redirect(request, f"/cases/{records[0].id}")
        return _redirect(request, "/cases?" + urlencode({"q": _opt(title) or ""}))


# -- cases ------------------------------------------------------------------------------------


def _case_routes(router: APIRouter) -> None:
    @router.get("/cases")
    def case_list(
        request: Request,
        who: Reader,
        status: str = "",
        label: str = "",
        stage: str = "",
        language: str = "",
        platform: str = "",
        q: str = "",
        sort: str = "",
        page_no: int = 1,
    ) -> Response:
        from scamlens.cases.store import SORTS, STATUSES

        f = {
            "status": status if status in STATUSES else "",
            "label": label,
            "stage": stage,
            "language": language,
            "platform": platform.strip(),
            "q": q.strip(),
            "sort": sort if sort in SORTS and sort != "newest" else "",
        }
        page_no = max(1, min(page_no, 100_000))
        offset = (page_no - 1) * PAGE_SIZE
        filters = {k: (v or None) for k, v in f.items() if k != "sort"}
        rows, total = _store(request).list_cases(
            **filters, sort=f["sort"] or "newest", limit=PAGE_SIZE, offset=offset
        )

        def link(n: int) -> str:
            query = {k: v for k, v in f.items() if v} | {"page_no": str(n)}
            return f"{_base(request)}/cases?{urlencode(query)}"

        return page(
            request,
            "cases.html",
            title="Cases",
            nav="cases",
            who=who,
            rows=rows,
            total=total,
            offset=offset,
            f=f,
            statuses=STATUSES,
            labels=LABELS,
            stages=[(s.value, s.display) for s in Stage],
            languages=LANGUAGES,
            prev_url=link(page_no - 1) if page_no > 1 else "",
            next_url=link(page_no + 1) if offset + len(rows) < total else "",
        )

    @router.get("/cases/{case_id}")
    def case_page(
        request: Request, who: Reader, case_id: str, page_no: int = Query(1, ge=1, alias="page")
    ) -> Response:
        from scamlens.cases.store import STATUSES

        case = _get_case(request, case_id)
        if case is None:
            return _not_found(request, who)
        verdict = views.verdict_of(case.verdict)
        decisions = views.latest_decisions(case.feedback)
        findings = views.findings_of(verdict, decisions)
        conv = case.conversation
        pages = views.Pages.of(conv, page_no)
        shown = conv.messages[(pages.current - 1) * views.MAX_MESSAGES :][: views.MAX_MESSAGES]
        return page(
            request,
            "case.html",
            title=case.title or case.id,
            nav="cases",
            who=who,
            case=case,
            conv=conv,
            verdict=verdict,
            decisions=decisions,
            findings=findings,
            me=display_safe(conv.me or ""),
            indicators=views.indicators_of(verdict, decisions),
            bands=views.bands_of(conv, verdict, findings, pages.current),
            strip=views.stage_strip(conv, verdict, pages),
            pages=pages,
            shown=(shown[0].index, shown[-1].index) if shown else None,
            why=views.explanation(verdict, findings),
            audit=_store(request).audit_for(case.id),
            statuses=STATUSES,
        )

    @router.post("/cases/{case_id}/feedback")
    def feedback(
        request: Request,
        who: Writer,
        case_id: str,
        target: str = Form(...),
        decision: str = Form(...),
        note: str = Form(""),
        csrf_token: str = Form(""),
        page_no: int = Form(1, ge=1, alias="page"),
    ) -> Response:
        check_csrf(request, csrf_token)
        if _get_case(request, case_id) is None:
            return _not_found(request, who)
        try:
            rec = _store(request).add_feedback(
                case_id, target=target, decision=decision, note=_opt(note), actor=who.name
            )
        except ScamlensError as exc:
            raise HTTPException(400, display_safe(str(exc))) from exc
        if _wants_json(request):
            return finish(
                request,
                JSONResponse({"target": rec.target, "decision": rec.decision, "actor": rec.actor}),
            )
        anchor = "" if target == "verdict" else "#f" + target.partition(":")[2]
        if target.startswith("indicator:"):
            anchor = "#indicators-h"
        at = f"?page={page_no}" if page_no > 1 and target.startswith("evidence:") else ""
        return _redirect(request, f"/cases/{case_id}{at}{anchor}")

    @router.post("/cases/{case_id}/status")
    def set_status(
        request: Request,
        who: Writer,
        case_id: str,
        status: str = Form(""),
        notes: str = Form(""),
        csrf_token: str = Form(""),
    ) -> Response:
        check_csrf(request, csrf_token)
        if _get_case(request, case_id) is None:
            return _not_found(request, who)
        try:
            _store(request).update_case(
                case_id, status=_opt(status), notes=notes.replace("\r\n", "\n"), actor=who.name
            )
        except ScamlensError as exc:
            raise HTTPException(400, display_safe(str(exc))) from exc
        return _redirect(request, f"/cases/{case_id}#review-h")

    @router.get("/cases/{case_id}/report")
    def report(
        request: Request,
        who: Reader,
        case_id: str,
        fmt: str = "pdf",
        redact: str = "",
    ) -> Response:
        if fmt not in REPORT_TYPES:
            raise HTTPException(400, "fmt must be pdf, html or json")
        case = _get_case(request, case_id)
        if case is None:
            return _not_found(request, who)
        data = _render_report(case, fmt, redact in ("1", "on", "true", "yes"))
        resp = Response(data, media_type=REPORT_TYPES[fmt])
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="scamlens-case-{case.id[:12]}.{fmt}"'
        )
        return finish(request, resp)

    @router.get("/cases/{case_id}/delete")
    def delete_form(request: Request, who: Admin, case_id: str) -> Response:
        case = _get_case(request, case_id)
        if case is None:
            return _not_found(request, who)
        return page(request, "delete.html", title="Delete case", nav="cases", who=who, case=case)

    @router.post("/cases/{case_id}/delete")
    def delete(
        request: Request,
        who: Admin,
        case_id: str,
        csrf_token: str = Form(""),
    ) -> Response:
        from scamlens.cases.store import CaseNotFound

        check_csrf(request, csrf_token)
        try:
            _store(request).delete_case(case_id, actor=who.name)
        except CaseNotFound:
            return _not_found(request, who)
        return _redirect(request, "/cases")


def _render_report(case: Any, fmt: str, redact: bool) -> bytes:
    try:
        from scamlens.casereport import build_report, render
        from scamlens.casereport.model import CaseInfo
    except ImportError as exc:  # the casereport renderers are not installed
        raise HTTPException(501, "victim reports are not available in this build") from exc
    info = CaseInfo(
        case_id=case.id, status=case.status, notes=case.notes or None, created=case.created_at
    )
    report = build_report(
        case.conversation, views.verdict_of(case.verdict), case=info, redact=redact
    )
    out: bytes = render(report, fmt)
    return out


# -- campaigns --------------------------------------------------------------------------------

_SVG_OPEN = re.compile(r"^<svg width='(\d+)' height='(\d+)'")


def _network_svg(campaign: dict[str, Any]) -> str:
    """The campaigns module's network picture, made scalable (a viewBox) for small screens."""
    from scamlens.campaigns.html import _network

    svg = _network(campaign)
    return _SVG_OPEN.sub(
        lambda m: f"<svg viewBox='0 0 {m[1]} {m[2]}' width='{m[1]}' height='{m[2]}'", svg, 1
    )


def _read_jsonl(data: bytes, name: str) -> list[dict[str, Any]]:
    from scamlens.jsonlines import json_objects

    text = data.decode("utf-8-sig", errors="replace")
    return [rec for _, rec in json_objects(text.splitlines(), name)]


def _campaign_routes(router: APIRouter) -> None:
    def show(request: Request, who: Principal, **ctx: Any) -> Response:
        values: dict[str, Any] = {"error": "", "report": None} | ctx
        status = 400 if values["error"] else 200
        return page(
            request,
            "campaigns.html",
            title="Campaigns",
            nav="campaigns",
            status=status,
            who=who,
            **values,
        )

    @router.get("/campaigns")
    def campaigns_form(request: Request, who: Reader) -> Response:
        return show(request, who)

    @router.post("/campaigns")
    def campaigns(
        request: Request,
        who: Reader,
        source: str = Form("cases"),
        file: Annotated[UploadFile | None, File()] = None,
        csrf_token: str = Form(""),
    ) -> Response:
        from scamlens.campaigns import find_campaigns

        check_csrf(request, csrf_token)
        settings = request.app.state.settings
        max_records = int(getattr(settings, "max_campaign_records", 20_000))
        limit = _upload_limit(request)
        try:
            if source == "file":
                data = _read_upload(file, limit)
                if not data:
                    raise ScamlensError("choose a JSONL file of messages")
                if len(data) > limit:
                    raise ScamlensError(f"the file is larger than {limit:,} bytes")
                records = _read_jsonl(data, file.filename or "upload" if file else "upload")
            else:
                records = _store(request).campaign_records()
            if len(records) > max_records:
                raise ScamlensError(f"more than {max_records:,} messages; use the CLI for these")
            doc = find_campaigns(records).to_dict() if records else {"campaigns": [], "stats": {}}
        except ScamlensError as exc:
            return show(request, who, error=display_safe(str(exc)))
        found = doc.get("campaigns", [])
        shown = [
            c | {"svg": _markup(_network_svg(c)), "anchor": f"campaign-{i}"}
            for i, c in enumerate(found[:MAX_CAMPAIGNS_SHOWN])
        ]
        return show(
            request,
            who,
            report=doc,
            stats=doc.get("stats", {}),
            campaigns=shown,
            more=max(0, len(found) - len(shown)),
        )


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)  # built by scamlens.campaigns.html, which escapes every input text


# -- statistics -------------------------------------------------------------------------------


def _stats_routes(router: APIRouter) -> None:
    @router.get("/stats")
    def stats(request: Request, who: Reader) -> Response:
        data = _store(request).stats()
        specs: list[tuple[str, str, str, Callable[[str, charts.Pairs, str], Any]]] = [
            ("per_day", "Cases per day", "Day", charts.column_chart),
            ("by_stage", "Cases by stage reached", "Stage", charts.bar_chart),
            ("by_tactic", "Cases by tactic", "Tactic", charts.bar_chart),
            ("by_platform", "Cases by platform", "Platform", charts.bar_chart),
            ("by_language", "Cases by language", "Language", charts.bar_chart),
            ("by_status", "Cases by status", "Status", charts.bar_chart),
            ("by_label", "Cases by label", "Label", charts.bar_chart),
        ]
        out = []
        for key, title, col, draw in specs:
            raw = data.get(key, {})
            rows = charts.pairs(raw, top=60 if key == "per_day" else 20)
            if key == "per_day":
                rows.sort()
            elif key == "by_stage":
                rows = [(views.stage_title(k), v) for k, v in rows]
            elif key == "by_status":
                rows = [(views.STATUS_WORDS.get(k, k), v) for k, v in rows]
            elif key == "by_language":
                rows = [(views.LANGUAGE_WORDS.get(k, k), v) for k, v in rows]
            cid = "chart-" + key.replace("_", "-")
            out.append(
                {"id": cid, "title": title, "key": col, "rows": rows, "svg": draw(title, rows, cid)}
            )
        return page(
            request,
            "stats.html",
            title="Statistics",
            nav="stats",
            who=who,
            charts=out,
            total=int(data.get("total", 0)),
        )


# -- scoring ----------------------------------------------------------------------------------


def _field_segments(text: str, evidence: list[Any]) -> list[views.Segment]:
    spans = [
        (int(e.start), int(e.end), "counter" if e.counter else "ev", str(e.tactic))
        for e in evidence
    ]
    return views.highlight(text, spans)


def _score_message(request: Request, text: str) -> dict[str, Any]:
    if not text.strip():
        raise ScamlensError("paste the text to score")
    v = request.app.state.engine.score_text(text)
    evidence = [e for t in v.tactics for e in t.evidence] + list(v.counter_evidence)
    signals = [
        {
            "name": t.name,
            "score": t.score,
            "counter": False,
            "detail": "",
            "evidence": [
                {"field": "", "quote": display_safe(e.quote), "source": e.source}
                for e in t.evidence
            ],
        }
        for t in v.tactics
    ]
    if v.counter_evidence:
        signals.append(
            {
                "name": "Counter-evidence",
                "score": 0.0,
                "counter": True,
                "detail": "",
                "evidence": [
                    {"field": "", "quote": display_safe(e.quote), "source": e.source}
                    for e in v.counter_evidence
                ],
            }
        )
    return {
        "risk": v.risk,
        "label": v.label,
        "stage": v.stage.value if v.stage else None,
        "language": v.language,
        "signals": signals,
        "fields": [{"name": "Text", "segments": _field_segments(text, evidence)}],
    }


def _score_item(kind: str, form: dict[str, str]) -> dict[str, Any]:
    from scamlens.profiles import record_to_item, score_job_ad, score_profile
    from scamlens.profiles.model import Profile

    prefix = "p_" if kind == "profile" else "j_"
    fields = PROFILE_FIELDS if kind == "profile" else JOB_FIELDS
    record: dict[str, Any] = {}
    for key, _ in fields:
        value = form.get(prefix + key, "").strip()
        if not value:
            continue
        record[key] = (
            [x.strip() for x in value.splitlines() if x.strip()] if key == "links" else value
        )
    if not record:
        raise ScamlensError("fill in at least one field")
    item = record_to_item(record, kind, path="form")
    v = score_profile(item) if isinstance(item, Profile) else score_job_ad(item)
    signals = [
        {
            "name": s.name,
            "score": s.score,
            "counter": s.counter,
            "detail": s.detail,
            "evidence": [
                {"field": e.note or "", "quote": display_safe(e.quote), "source": e.source}
                for e in s.evidence
            ],
        }
        for s in v.signals
    ]
    titles = dict(fields)
    shown = [
        {
            "name": titles.get(name, name),
            "segments": _field_segments(text, [e for e in v.evidence if e.note == name]),
        }
        for name, text in item.text_fields()
    ]
    return {
        "risk": v.risk,
        "label": v.label,
        "stage": None,
        "language": v.language,
        "signals": signals,
        "fields": shown,
    }


def _score_routes(router: APIRouter) -> None:
    def show(request: Request, who: Principal, **ctx: Any) -> Response:
        values: dict[str, Any] = {"error": "", "result": None, "kind": "message", "form": {}}
        values |= ctx
        return page(
            request,
            "score.html",
            title="Score a text",
            nav="score",
            status=400 if values["error"] else 200,
            who=who,
            profile_fields=PROFILE_FIELDS,
            job_fields=JOB_FIELDS,
            **values,
        )

    @router.get("/score")
    def score_form(request: Request, who: Reader) -> Response:
        return show(request, who)

    @router.post("/score")
    async def score(request: Request, who: Reader) -> Response:
        from starlette.concurrency import run_in_threadpool

        form_data = await request.form()
        form = {k: v for k, v in form_data.items() if isinstance(v, str)}
        check_csrf(request, form.get("csrf_token"))
        kind = form.get("kind", "message")
        if kind not in ("message", "profile", "job_ad"):
            kind = "message"
        if sum(len(v) for v in form.values()) > 200_000:
            return show(request, who, kind=kind, form=form, error="The text is too long.")
        try:
            if kind == "message":
                result = await run_in_threadpool(_score_message, request, form.get("text", ""))
            else:
                result = await run_in_threadpool(_score_item, kind, form)
        except ScamlensError as exc:
            return show(request, who, kind=kind, form=form, error=display_safe(str(exc)))
        return show(request, who, kind=kind, form=form, result=result)
