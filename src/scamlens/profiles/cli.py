"""`scamlens profiles score|scan` and `scamlens photos add|check`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scamlens.errors import ScamlensError

KIND_CHOICES = ("profile", "job_ad", "auto")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--kind",
        choices=KIND_CHOICES,
        default="auto",
        help="what the records are (default: auto, from the field names)",
    )
    common.add_argument(
        "--photo-root",
        metavar="DIR",
        help="folder photo file paths are read from (default: the input file's "
        "folder; photos outside it are not read)",
    )
    common.add_argument(
        "--photo-db",
        metavar="PATH",
        help="photo index (default: photos.db in the scamlens data directory, when it exists)",
    )
    common.add_argument("--no-photo-db", action="store_true", help="do not use a photo index")
    common.add_argument(
        "--db", metavar="URL", help="intelligence store (default: the local store, when it exists)"
    )
    common.add_argument("--no-intel", action="store_true", help="no intelligence-store lookups")
    common.add_argument("--no-model", action="store_true", help="job ads: rules and checks only")

    prof = subparsers.add_parser(
        "profiles",
        help="score dating/professional-network profiles and job ads",
        description="Fake profiles and scam-compound job ads: risk, label and evidence.",
    )
    sub = prof.add_subparsers(dest="profiles_command", metavar="COMMAND")
    prof.set_defaults(func=lambda _args: _help(prof))

    score = sub.add_parser(
        "score", parents=[common], help="score JSONL records, one JSON object a line (JSONL out)"
    )
    score.add_argument("--input", "-i", metavar="FILE", help="input JSONL (default: stdin)")
    score.add_argument("--output", "-o", metavar="FILE", help="output JSONL (default: stdout)")
    score.add_argument("--no-evidence", action="store_true", help="leave evidence out")
    score.add_argument("--batch-size", type=int, default=256, help=argparse.SUPPRESS)
    score.set_defaults(func=_cmd_score)

    scan = sub.add_parser(
        "scan", parents=[common], help="report on profile or job-ad files (JSON, JSONL or CSV)"
    )
    scan.add_argument("paths", nargs="+", metavar="FILE")
    scan.add_argument("--format", choices=("text", "json"), default="text")
    scan.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    scan.set_defaults(func=scan_items)

    photos = subparsers.add_parser(
        "photos",
        help="photo index: add reported photos, check a photo",
        description="Perceptual-hash index of profile photos seen on other accounts or reported. "
        "URLs are never fetched: they are stored and compared as strings.",
    )
    psub = photos.add_subparsers(dest="photos_command", metavar="COMMAND")
    photos.set_defaults(func=lambda _args: _help(photos))
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--photo-db",
        metavar="PATH",
        help="photo index (default: photos.db in the scamlens data directory)",
    )
    db.add_argument("--json", action="store_true", help="JSON output")
    add = psub.add_parser("add", parents=[db], help="add photo files or URLs to the index")
    add.add_argument("items", nargs="+", metavar="FILE_OR_URL")
    add.add_argument(
        "--label", default="reported", help="reported (default), seen, stolen, stock, allow ..."
    )
    add.add_argument("--account", metavar="ID", help="account the photo was seen on")
    add.add_argument("--note", help="free-text note kept with the entry")
    add.set_defaults(func=_cmd_photos_add)
    check = psub.add_parser("check", parents=[db], help="look photo files or URLs up")
    check.add_argument("items", nargs="+", metavar="FILE_OR_URL")
    check.set_defaults(func=_cmd_photos_check)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# -- shared set-up ----------------------------------------------------------------------------


def _open_output(path: str | None) -> TextIO:
    if path in (None, "-"):
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        raise ScamlensError(f"{path}: cannot write ({exc.strerror})") from exc


def _photo_index(args: argparse.Namespace, *, create: bool) -> Any:
    from scamlens.profiles.photos import PhotoIndex, default_photo_db

    if getattr(args, "no_photo_db", False):
        return None
    if args.photo_db:
        return PhotoIndex.open(args.photo_db)
    path = default_photo_db()
    if create or path.exists():
        return PhotoIndex.open(path)
    return None


def _intel(args: argparse.Namespace) -> Any:
    from scamlens.profiles.lookups import open_store

    if args.no_intel:
        return None
    if args.db:
        return open_store(args.db)
    try:
        from scamlens.intel.paths import URL_ENV, default_db_path
    except ImportError:
        return None
    if os.environ.get(URL_ENV) or default_db_path().exists():
        return open_store(None)
    return None  # no store yet: do not create one just to score


def _scorers(args: argparse.Namespace, photo_root: Path | None) -> tuple[Any, Any, Any]:
    from scamlens.profiles.scorer import JobAdScorer, ProfileScorer

    index = _photo_index(args, create=False)
    intel = _intel(args)
    root = Path(args.photo_root) if args.photo_root else photo_root
    return (
        ProfileScorer(photo_root=root, photo_index=index, intel=intel),
        JobAdScorer(use_model=not args.no_model, intel=intel),
        index,
    )


def _kind(args: argparse.Namespace) -> str | None:
    return None if args.kind == "auto" else str(args.kind)


# -- profiles ---------------------------------------------------------------------------------


def _lines(src: TextIO) -> Iterator[str]:
    yield from src


def _cmd_score(args: argparse.Namespace) -> int:
    from scamlens.profiles.api import score_lines

    src: TextIO
    root: Path | None = None
    if args.input in (None, "-"):
        src = sys.stdin
    else:
        try:
            src = open(args.input, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise ScamlensError(f"{args.input}: cannot open ({exc.strerror})") from exc
        root = Path(args.input).resolve().parent
    profile_scorer, job_scorer, index = _scorers(args, root)
    out = _open_output(args.output)
    scored = errors = 0
    try:
        for rec in score_lines(
            _lines(src),
            _kind(args),
            profile_scorer=profile_scorer,
            job_ad_scorer=job_scorer,
            with_evidence=not args.no_evidence,
            batch_size=args.batch_size,
        ):
            out.write(json.dumps(rec, ensure_ascii=False))
            out.write("\n")
            if "error" in rec:
                errors += 1
            else:
                scored += 1
    finally:
        if src is not sys.stdin:
            src.close()
        if out is not sys.stdout:
            out.close()
        if index is not None:
            index.close()
    print(f"scored {scored} records, {errors} bad records", file=sys.stderr)
    return 0


def scan_items(args: argparse.Namespace) -> int:
    """Score profile or job-ad files (also reached through `scamlens scan --kind`)."""
    from scamlens.profiles.api import score_items, verdict_record
    from scamlens.profiles.load import load_items
    from scamlens.profiles.report import render_many

    results: list[tuple[str, Any]] = []
    errors: list[dict[str, str]] = []
    for raw in args.paths:
        path = Path(raw)
        try:
            items = load_items(path, _kind(args))
        except ScamlensError as exc:
            errors.append({"path": raw, "error": str(exc)})
            print(f"error: {exc}", file=sys.stderr)
            continue
        profile_scorer, job_scorer, index = _scorers(args, path.resolve().parent)
        try:
            verdicts = score_items(items, profile_scorer=profile_scorer, job_ad_scorer=job_scorer)
        finally:
            if index is not None:
                index.close()
        for item, v in zip(items, verdicts, strict=True):
            name = f"{raw}:{item.source_line}" + (f" ({item.id})" if item.id else "")
            results.append((name, v))
    out = _open_output(args.output)
    try:
        if args.format == "json":
            doc = {
                "results": [{"source": n, **verdict_record(v)} for n, v in results],
                "errors": errors,
            }
            json.dump(doc, out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            out.write(render_many(results))
    finally:
        if out is not sys.stdout:
            out.close()
    if errors and not results:
        return 2
    return 1 if errors else 0


# -- photos -----------------------------------------------------------------------------------


def _cmd_photos_add(args: argparse.Namespace) -> int:
    from scamlens.profiles.photos import PhotoError, is_url

    index = _photo_index(args, create=True)
    added: list[dict[str, Any]] = []
    failed = 0
    try:
        for item in args.items:
            try:
                if is_url(item):
                    entry = index.add_url(
                        item, label=args.label, account=args.account, note=args.note
                    )
                else:
                    entry = index.add_file(
                        item, label=args.label, account=args.account, note=args.note
                    )
            except PhotoError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            added.append({"item": item, "id": entry.id, "label": entry.label})
            if not args.json:
                print(f"added #{entry.id} ({entry.label}): {item}")
        if args.json:
            print(json.dumps({"added": added, "failed": failed, "index": index.where}))
    finally:
        index.close()
    return 2 if failed and not added else (1 if failed else 0)


def _cmd_photos_check(args: argparse.Namespace) -> int:
    from scamlens.profiles.photos import PhotoError, is_url

    index = _photo_index(args, create=False)
    results: list[dict[str, Any]] = []
    failed = 0
    try:
        for item in args.items:
            try:
                if index is None:
                    matches = []
                elif is_url(item):
                    matches = index.check_url(item)
                else:
                    matches = index.check_file(item)
            except PhotoError as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            rows = [
                {
                    "id": m.entry.id,
                    "label": m.entry.label,
                    "account": m.entry.account,
                    "source": m.entry.source,
                    "how": m.how,
                    "phash_distance": m.phash_distance,
                    "dhash_distance": m.dhash_distance,
                    "similarity": m.similarity,
                }
                for m in matches
            ]
            results.append({"item": item, "matches": rows})
            if not args.json:
                if not rows:
                    print(f"{item}: no match")
                for r in rows:
                    print(
                        f"{item}: matches #{r['id']} ({r['label']}, account {r['account']}, "
                        f"{r['how']}, similarity {r['similarity']:.2f})"
                    )
        if args.json:
            print(json.dumps({"results": results, "failed": failed}, ensure_ascii=False))
    finally:
        if index is not None:
            index.close()
    return 2 if failed and not results else (1 if failed else 0)
