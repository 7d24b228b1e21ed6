"""`scamlens report INPUT --format pdf|html|json`: a victim case report for a chat export or a
stored case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scamlens.casereport.api import FORMATS, looks_like_case_id, render, report_for_case
from scamlens.casereport.builder import CaseReportError, build_report
from scamlens.casereport.model import CaseReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "report",
        help="victim case report (PDF, HTML or JSON) for a chat export or a stored case",
        description="A factual, printable case report: timeline, amounts, wallets, transaction "
        "hashes, sites, contacts, next steps and where to report. The risk score is an "
        "automated assessment, not a legal finding.",
    )
    p.add_argument("input", metavar="INPUT", help="a chat export file, or a case id")
    p.add_argument("--format", choices=FORMATS, default="pdf", help="default: pdf")
    p.add_argument(
        "--out", "-o", metavar="FILE", help="output file ('-' for stdout; default: stdout for "
        "html/json, report.pdf... required for pdf)",
    )  # fmt: skip
    p.add_argument("--redact", action="store_true", help="replace the victim's personal data")
    p.add_argument("--lang", choices=("en", "zh"), help="report language (default: the chat's)")
    p.add_argument("--me", metavar="NAME", help="your name in the chat (otherwise guessed)")
    p.add_argument("--import-format", metavar="FMT", help="force an import format")
    p.add_argument("--intel-db", metavar="URL", help="intelligence store for indicator look-ups")
    p.add_argument("--no-intel", action="store_true", help="do not look up indicators")
    p.add_argument("--db", metavar="URL", help="case store, when INPUT is a case id")
    p.set_defaults(func=_cmd_report)


def _from_file(args: argparse.Namespace, path: Path) -> CaseReport:
    # The same import and analysis as `scamlens scan`.
    from scamlens.api import analyze_with_intel, load_chat

    conv = load_chat(path, fmt=args.import_format, me=args.me)
    verdict = analyze_with_intel(
        conv, lang=args.lang or "auto", db=args.intel_db, use_intel=not args.no_intel
    )
    return build_report(conv, verdict, redact=args.redact, lang=args.lang)


def build_for_input(args: argparse.Namespace) -> CaseReport:
    path = Path(args.input)
    if path.is_file():
        return _from_file(args, path)
    if not path.exists() and looks_like_case_id(args.input):
        return report_for_case(args.input, db=args.db, redact=args.redact, lang=args.lang)
    raise CaseReportError(f"{args.input}: no such file")


def _cmd_report(args: argparse.Namespace) -> int:
    if args.format == "pdf" and args.out is None:
        raise CaseReportError(
            "a PDF needs --out FILE (or --out - to write the PDF bytes to stdout)"
        )
    if args.format == "pdf" and args.out == "-" and sys.stdout.isatty():
        raise CaseReportError("refusing to write a binary PDF to a terminal; use --out FILE")
    data = render(build_for_input(args), args.format)
    if args.out in (None, "-"):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        Path(args.out).write_bytes(data)
    return 0
