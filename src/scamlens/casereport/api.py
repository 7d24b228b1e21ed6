"""render(report, fmt) -> bytes for the web service, and case-store resolution."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from scamlens.casereport.builder import CaseReportError, build_report
from scamlens.casereport.htmlout import to_html
from scamlens.casereport.jsonout import to_json
from scamlens.casereport.model import CaseInfo, CaseReport

FORMATS = ("pdf", "html", "json")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
               "json": "application/json"}  # fmt: skip


def render(report: CaseReport, fmt: str) -> bytes:
    """The report as a file's bytes: pdf, html (UTF-8) or json (UTF-8, indented)."""
    if fmt == "pdf":
        from scamlens.casereport.pdfout import to_pdf  # reportlab loads only when needed

        return to_pdf(report)
    if fmt == "html":
        return to_html(report).encode("utf-8")
    if fmt == "json":
        return (json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise CaseReportError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")


def looks_like_case_id(text: str) -> bool:
    """Case ids are short tokens of letters, digits, '-' and '_' (UUIDs, 'case-42')."""
    return 0 < len(text) <= 80 and all(c.isalnum() or c in "-_" for c in text)


def _created(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def report_for_case(
    case_id: str,
    *,
    db: str | None = None,
    redact: bool = False,
    lang: str | None = None,
) -> CaseReport:
    """Build the report of a stored case (scamlens.cases.store, imported lazily)."""
    try:
        from scamlens.cases.store import CaseNotFound, open_store
    except ModuleNotFoundError as exc:
        raise CaseReportError(
            f"{case_id}: not a file, and the case store (scamlens.cases) is not installed"
        ) from exc
    store = open_store(db)
    try:
        rec = store.get_case(case_id)
    except CaseNotFound as exc:
        raise CaseReportError(f"{case_id}: no such file or case") from exc
    case = CaseInfo(
        case_id=str(getattr(rec, "id", case_id)),
        status=getattr(rec, "status", None),
        notes=getattr(rec, "notes", None),
        created=_created(getattr(rec, "created_at", None)),
    )
    return build_report(rec.conversation, rec.verdict, case=case, redact=redact, lang=lang)
