"""The `scamlens` command line. Thin: parsing and printing only; the engine does the work."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from scamlens import __version__
from scamlens.encoder.cli import add_encoder_flag
from scamlens.errors import ScamlensError

# An error record's key; inside JSON strings the quotes would be escaped.
_ERROR_KEY = re.compile(r'(?<!\\)"error": ')

# Optional command groups, each a module with register(subparsers).
_COMMAND_MODULES = (
    "scamlens.ingest.cli",
    "scamlens.indicators.cli",
    "scamlens.intel.cli",
    "scamlens.campaigns.cli",
    "scamlens.profiles.cli",
    "scamlens.train.cli",
    "scamlens.train.synth",
    "scamlens.evaluation",
    "scamlens.casereport.cli",
    "scamlens.encoder.cli",
    "scamlens.service.cli",
)


def _iter_inputs(
    paths: Sequence[str], skipped: Callable[[Path, int], None] | None = None
) -> Iterator[Path | None]:
    """Stdin (None), files, and the chats of folders. In a folder, media, page assets and
    documents (an unzipped WhatsApp export's photos and voice notes) are not chats: they are
    left out and counted through `skipped(folder, n)`. A file named on the command line is
    always tried."""
    from scamlens.ingest import folder_inputs
    from scamlens.ingest.folder import NOT_CHAT_SUFFIXES

    for raw in paths:
        if raw == "-":
            yield None
            continue
        p = Path(raw)
        if not p.is_dir():
            yield p
            continue
        found = folder_inputs(p)
        chats = [f for f in found if f.is_dir() or f.suffix.lower() not in NOT_CHAT_SUFFIXES]
        if skipped is not None and len(chats) < len(found):
            skipped(p, len(found) - len(chats))
        yield from chats


def _cmd_scan(args: argparse.Namespace) -> int:
    if args.kind != "chat":
        # Profiles and job ads: same command, scored by scamlens.profiles.
        from scamlens.profiles.cli import scan_items

        if args.format == "html":
            raise ScamlensError("--format html is for chats; use text or json for --kind")
        return scan_items(args)

    from rich.console import Console

    from scamlens.api import intel_engine, load_chats_safe
    from scamlens.encoder.cli import engine_from_args
    from scamlens.ingest import parse_text
    from scamlens.report.html import render_html
    from scamlens.report.jsonout import conversation_result, scan_document
    from scamlens.report.text import render

    engine = engine_from_args(args)
    scanner = intel_engine(args.db, use_intel=not args.no_intel, base=engine)
    err = Console(stderr=True)
    results: list[tuple[str, Any, Any]] = []
    errors: list[dict[str, str]] = []

    def skipped(folder: Path, n: int) -> None:
        what = "file" if n == 1 else "files"
        err.print(f"note: {folder}: {n} media or document {what} left out (not chat exports)")

    for path in _iter_inputs(args.paths, skipped):
        label = "<stdin>" if path is None else str(path)
        try:
            if path is None:
                convs = parse_text(sys.stdin.read(), fmt=args.import_format, me=args.me, name=label)
            else:
                convs = load_chats_safe(path, fmt=args.import_format, me=args.me)
        except ScamlensError as exc:
            errors.append({"path": label, "error": str(exc)})
            err.print(f"[red]error:[/] {exc}", highlight=False)
            continue
        # The chats of one export (a Telegram account export holds hundreds) in one batch.
        verdicts = scanner.analyze_many(convs, [args.lang] * len(convs))
        for conv, verdict in zip(convs, verdicts, strict=True):
            name = label if len(convs) == 1 else f"{label} [{conv.title or '?'}]"
            results.append((name, conv, verdict))

    out = _open_output(args.output)
    try:
        if args.format == "json":
            doc = scan_document([conversation_result(c, v, n) for n, c, v in results], errors)
            json.dump(doc, out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif args.format == "html":
            out.write(render_html(results))
        else:
            console = Console(
                file=out,
                force_terminal=None if out is sys.stdout else False,
                width=None if out is sys.stdout else 110,
            )
            for name, conv, verdict in results:
                render(console, name, conv, verdict)
    finally:
        if out is not sys.stdout:
            out.close()
    if errors and not results:
        return 2
    return 1 if errors else 0


def _open_output(path: str | None) -> TextIO:
    if path in (None, "-"):
        return sys.stdout
    return open(path, "w", encoding="utf-8")


def _cmd_score(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from scamlens.scoring.batch import BatchOptions, score_lines

    opts = BatchOptions(
        text_field=args.text_field,
        id_field=args.id_field,
        batch_size=args.batch_size,
        with_evidence=not args.no_evidence,
    )
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else max(1, args.jobs)
    src: TextIO
    if args.input in (None, "-"):
        src = sys.stdin
    else:
        try:
            src = open(args.input, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise ScamlensError(f"{args.input}: cannot open ({exc.strerror})") from exc
    out = _open_output(args.output)
    count = 0
    errors = 0
    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        TextColumn("{task.completed} texts"),
        TimeElapsedColumn(),
        transient=True,
        disable=args.quiet or not sys.stderr.isatty(),
    )
    task = progress.add_task("score", total=None)
    lines: Iterator[str]
    if args.kind == "message":
        engine = None
        if args.encoder != "none":
            from scamlens.encoder.cli import engine_from_args

            # Worker processes would each load the encoder: one process batches it instead.
            engine, jobs = engine_from_args(args), 1
        lines = score_lines(
            src, opts, jobs=jobs, engine=engine, on_chunk=lambda n: progress.advance(task, n)
        )
    else:
        lines = _score_items(args, src)
    try:
        with progress:
            for line in lines:
                out.write(line)
                out.write("\n")
                count += 1
                errors += _ERROR_KEY.search(line) is not None
    finally:
        if src is not sys.stdin:
            src.close()
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(f"scored {count - errors} texts, {errors} bad lines", file=sys.stderr)
    return 0


def _score_items(args: argparse.Namespace, src: TextIO) -> Iterator[str]:
    """Profiles and job ads: the same JSONL contract, scored by scamlens.profiles."""
    from scamlens.profiles import JobAdScorer, ProfileScorer, score_lines

    root = Path(args.input).resolve().parent if args.input not in (None, "-") else None
    for rec in score_lines(
        src,
        args.kind,
        profile_scorer=ProfileScorer(photo_root=root),
        job_ad_scorer=JobAdScorer(),
        with_evidence=not args.no_evidence,
    ):
        yield json.dumps(rec, ensure_ascii=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scamlens",
        description="Catch pig-butchering scams early: analyse chats offline, with evidence.",
    )
    parser.add_argument("--version", action="version", version=f"scamlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="analyse chat exports and report risk, stage and evidence")
    scan.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="chat export files or folders; - reads pasted text from stdin",
    )
    scan.add_argument("--me", metavar="NAME", help="your name in the chat (otherwise guessed)")
    scan.add_argument(
        "--format",
        choices=("text", "json", "html"),
        default="text",
        help="report format (default: text)",
    )
    scan.add_argument(
        "--lang",
        choices=("auto", "en", "zh"),
        default="auto",
        help="language of the advice (default: auto)",
    )
    scan.add_argument(
        "--import-format", metavar="FMT", help="force an import format instead of auto-detection"
    )
    scan.add_argument(
        "-o", "--output", metavar="FILE", help="write the report here instead of stdout"
    )
    scan.add_argument(
        "--db", metavar="URL", help="intelligence store (default: the local SQLite store)"
    )
    scan.add_argument(
        "--no-intel", action="store_true", help="do not extract or look up indicators"
    )
    scan.add_argument(
        "--kind",
        choices=("chat", "profile", "job_ad", "auto"),
        default="chat",
        help="what the files hold: chat exports (default), or profile / job-ad records "
        "(JSON, JSONL, CSV; 'auto' decides per record)",
    )
    # scan_items (profiles) also reads these; `scamlens profiles scan` exposes them as options.
    add_encoder_flag(scan)
    scan.set_defaults(func=_cmd_scan, no_model=False, photo_root=None, photo_db=None)

    score = sub.add_parser("score", help="score JSONL texts in batch (one JSON object a line)")
    score.add_argument("--input", "-i", metavar="FILE", help="input JSONL (default: stdin)")
    score.add_argument("--output", "-o", metavar="FILE", help="output JSONL (default: stdout)")
    score.add_argument(
        "--text-field", default="text", help="field holding the text (default: text)"
    )
    score.add_argument(
        "--id-field", default="id", help="field holding the id (default: id; else the line number)"
    )
    score.add_argument(
        "--kind",
        choices=("message", "profile", "job_ad"),
        default="message",
        help="what each record is (default: message, i.e. any text)",
    )
    score.add_argument(
        "--jobs", "-j", type=int, default=1, help="worker processes (0 = all cores; default 1)"
    )
    score.add_argument("--batch-size", type=int, default=1024, help=argparse.SUPPRESS)
    score.add_argument(
        "--no-evidence", action="store_true", help="leave evidence spans out of the output"
    )
    score.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    add_encoder_flag(score)
    score.set_defaults(func=_cmd_score)

    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that part is not installed in this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except ScamlensError as exc:
        print(f"scamlens: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
