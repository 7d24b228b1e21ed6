"""Command line: `campaigns`, `similar` and `spark campaigns` (wired in by scamlens.cli)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from scamlens.errors import InputError, ScamlensError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "campaigns",
        help="find scam campaigns: scripts and wallets shared by many accounts",
        description="Cluster many messages into scripts (surviving spinning, rewording and "
        "obfuscation) and group accounts into rings tied by shared scripts or indicators.",
    )
    p.add_argument(
        "input", metavar="INPUT", help=".jsonl/.json/.csv/.tsv/.parquet or a folder of chat exports"
    )
    p.add_argument("--format", choices=("json", "html"), default="json")
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    _clustering_args(p)
    _field_args(p)
    p.add_argument(
        "--indicators",
        choices=("auto", "core", "builtin", "none"),
        default="auto",
        help="indicator extractor: the core one when installed (auto), or the built-in finder",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes for the per-text work on large inputs (default: the CPU count, up to 4)",
    )
    p.set_defaults(func=_campaigns)

    s = subparsers.add_parser(
        "similar",
        help="which known scripts or documents a text is a spun or reworded copy of",
        description="Score a text against a corpus of known scripts or documents and align "
        "it passage by passage with the best matches.",
    )
    s.add_argument("query", metavar="TEXT_OR_FILE", help="the text, or a file holding it")
    s.add_argument(
        "--against",
        required=True,
        metavar="CORPUS",
        help="campaigns JSON, message records, a .txt/.md file or a folder of documents",
    )
    s.add_argument("--top", type=int, default=5, help="how many sources to show (default 5)")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.add_argument("--threshold", type=float, default=None, help="passage match threshold")
    s.set_defaults(func=_similar)

    sp = subparsers.add_parser("spark", help="run scamlens jobs on Apache Spark")
    jobs = sp.add_subparsers(dest="spark_job", metavar="JOB", required=True)
    j = jobs.add_parser(
        "campaigns",
        help="campaign discovery on Spark (same clusters as the local command)",
        description="Needs the [spark] extra (pyspark, pyarrow) and Java 17.",
    )
    j.add_argument("input", metavar="INPUT", help="JSON Lines, CSV or Parquet file or folder")
    j.add_argument("--output", required=True, metavar="DIR", help="output folder")
    j.add_argument(
        "--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)"
    )
    _clustering_args(j)
    _field_args(j)
    j.add_argument("--indicators", choices=("auto", "core", "builtin", "none"), default="auto")
    j.set_defaults(func=_spark_campaigns)


def _clustering_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="similarity (0-1) two messages need to count as the same script (default 0.7)",
    )
    p.add_argument(
        "--min-length",
        type=int,
        default=None,
        help="shorter texts are never clustered (letters after masking; a CJK character "
        "counts 3; default 60)",
    )


def _field_args(p: argparse.ArgumentParser) -> None:
    for name in ("id", "account", "text", "conversation", "timestamp", "platform", "links"):
        p.add_argument(
            f"--field-{name}", default=name, metavar="NAME", help=f"input field for the {name}"
        )


def _params(args: argparse.Namespace) -> Any:
    from scamlens.campaigns.params import Params

    kw: dict[str, Any] = {}
    if args.threshold is not None:
        kw["threshold"] = args.threshold
        kw["guard"] = min(Params().guard, args.threshold)
    if getattr(args, "min_length", None) is not None:
        kw["min_length"] = args.min_length
    try:
        return Params(**kw)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _fields(args: argparse.Namespace) -> Any:
    from scamlens.campaigns.records import FieldMap

    return FieldMap(
        id=args.field_id,
        account=args.field_account,
        text=args.field_text,
        conversation=args.field_conversation,
        timestamp=args.field_timestamp,
        platform=args.field_platform,
        links=args.field_links,
    )


def _stage_of(text: str) -> str | None:
    """The stage a script belongs to, from the core engine (one representative per script)."""
    from scamlens.scoring.engine import default_engine

    engine = default_engine()
    result = engine.score_batch([text])[0]
    stages = [engine.pack.tactics[t].stage for t, _ in result.tactics]
    known = [s for s in stages if s is not None]
    return max(known, key=lambda s: s.order).value if known else None


def _report_error(exc: ScamlensError) -> int:
    print(f"scamlens: {exc}", file=sys.stderr)
    return 2


def _campaigns(args: argparse.Namespace) -> int:
    from scamlens.campaigns.api import find_campaigns
    from scamlens.campaigns.html import render

    try:
        report = find_campaigns(
            args.input,
            params=_params(args),
            fields=_fields(args),
            indicators=args.indicators,
            workers=args.workers if args.workers > 0 else min(os.cpu_count() or 1, 4),
            stage_of=_stage_of,
        )
    except ScamlensError as exc:
        return _report_error(exc)
    doc = report.to_dict()
    if args.format == "html":
        text = render(doc, title=f"scamlens campaigns: {Path(args.input).name}")
    else:
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    _write(text, args.output)
    st = report.stats
    print(
        f"{st['campaigns']} campaigns, {st['scripts']} scripts in {st['messages']:,} messages "
        f"from {st['accounts']:,} accounts",
        file=sys.stderr,
    )
    return 0


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write ({exc.strerror})", output) from None
    else:
        sys.stdout.write(text)


def _similar(args: argparse.Namespace) -> int:
    from scamlens.campaigns.params import Params
    from scamlens.campaigns.similar import MAX_QUERY_CHARS, load_corpus, similar

    try:
        query_path = Path(args.query)
        if len(args.query) < 4096 and query_path.is_file():
            if query_path.stat().st_size > 4 * MAX_QUERY_CHARS:
                raise InputError("the query file is too large", str(query_path))
            query = query_path.read_text(encoding="utf-8-sig", errors="replace")
        else:
            query = args.query
        corpus = load_corpus(args.against)
        params = Params(threshold=args.threshold) if args.threshold is not None else Params()
        if args.top < 1:
            raise InputError("--top must be at least 1")
        matches = similar(query, corpus, top=args.top, params=params)
    except ScamlensError as exc:
        return _report_error(exc)
    except ValueError as exc:
        return _report_error(InputError(str(exc)))
    if args.format == "json":
        doc = [
            {
                "id": m.id,
                "score": m.score,
                "coverage": m.coverage,
                "text": m.text,
                "passages": [
                    {"query": a.query, "source": a.source, "score": a.score} for a in m.passages
                ],
            }
            for m in matches
        ]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    else:
        _print_matches(matches, sys.stdout)
    return 0


def _print_matches(matches: list[Any], out: TextIO) -> None:
    if not matches:
        out.write("No known script or document is close to this text.\n")
        return
    for m in matches:
        out.write(f"{m.id}  score {m.score:.2f}  passages matched {m.coverage:.0%}\n")
        for a in m.passages:
            out.write(f"  {a.score:.2f}  new:    {a.query}\n")
            out.write(f"        source: {a.source if a.source is not None else '-'}\n")
        out.write("\n")


def _spark_campaigns(args: argparse.Namespace) -> int:
    try:
        from scamlens.campaigns import spark_job
    except ImportError as exc:  # pyspark missing
        print(f"scamlens: {exc}; install the [spark] extra", file=sys.stderr)
        return 2
    try:
        doc = spark_job.run(
            args.input,
            args.output,
            master=args.master,
            params=_params(args),
            fields=_fields(args),
            indicators=args.indicators,
        )
    except ScamlensError as exc:
        return _report_error(exc)
    st = doc["stats"]
    print(
        f"{st['campaigns']} campaigns, {st['scripts']} scripts in {st['messages']:,} messages; "
        f"written to {args.output}",
        file=sys.stderr,
    )
    return 0
