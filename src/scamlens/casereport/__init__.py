"""Victim case reports: a factual, printable summary of a scam chat for police, banks and
exchanges (issue 6). build_report -> CaseReport -> to_json / to_html / to_pdf / render."""

from __future__ import annotations

from scamlens.casereport.api import FORMATS, MEDIA_TYPES, render, report_for_case
from scamlens.casereport.builder import CaseReportError, build_report
from scamlens.casereport.htmlout import to_html
from scamlens.casereport.jsonout import to_json
from scamlens.casereport.model import CaseInfo, CaseReport


def to_pdf(report: CaseReport) -> bytes:
    """The report as PDF bytes (imports reportlab on first use)."""
    from scamlens.casereport.pdfout import to_pdf as _to_pdf

    return _to_pdf(report)


__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "CaseInfo",
    "CaseReport",
    "CaseReportError",
    "build_report",
    "render",
    "report_for_case",
    "to_html",
    "to_json",
    "to_pdf",
]
