"""``scamlens intel``: import feeds, check values, export, statistics, sources.

Tables (rich) for people, ``--json`` for machines. Every value shown comes from untrusted
feeds or input, so it is printed as plain text (no rich markup) with bidi controls removed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scamlens.errors import ScamlensError
from scamlens.text.normalize import display_safe

from .keys import TYPES

FEED_FORMATS = ("metamask", "cryptoscamdb", "scamsniffer", "csv", "stix")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        help="store URL: sqlite:///path.db or postgresql+psycopg://user@host/db "
        "(default: $SCAMLENS_INTEL_URL, else intel.db in the scamlens data directory)",
    )
    intel = subparsers.add_parser(
        "intel",
        help="scam-intelligence store: import feeds, check indicators, export, statistics",
        description="Scam-intelligence store: feeds and analyst reports, checked with provenance.",
    )
    sub = intel.add_subparsers(dest="intel_command", metavar="COMMAND")
    intel.set_defaults(func=lambda _args: _help(intel))

    p = sub.add_parser("import", parents=[common], help="import feed files (one transaction each)")
    p.add_argument("feeds", nargs="+", metavar="FEED", help="feed file(s)")
    p.add_argument("--format", choices=FEED_FORMATS, help="feed format (default: guessed)")
    p.add_argument("--source", metavar="NAME", help="source name to file the records under")
    p.add_argument("--trust", type=float, metavar="0..1", help="set the source's trust")
    p.add_argument(
        "--ttl",
        action="append",
        default=[],
        metavar="TYPE=DAYS",
        help="lifetime after last seen, e.g. domain=30 (defaults: domain/url 90, wallet 365)",
    )
    p.add_argument("--json", action="store_true", help="print the import reports as JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("check", parents=[common], help="look values up (type guessed)")
    p.add_argument(
        "values", nargs="+", metavar="VALUE", help="wallet, domain, URL, phone, ...; - reads stdin"
    )
    p.add_argument("--json", action="store_true", help="JSON output")
    p.add_argument(
        "--fail-on-hit", action="store_true", help="exit 1 when any value is block-listed"
    )
    p.add_argument(
        "--provenance", action="store_true", help="show the feed file, hash and line of each hit"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("add", parents=[common], help="record an indicator an analyst reported")
    p.add_argument("type", choices=TYPES)
    p.add_argument("value")
    p.add_argument("--chain", help="wallet chain (eth, btc, tron, ...)")
    p.add_argument("--label", action="append", default=[], help="label (repeatable)")
    p.add_argument("--confidence", type=float, default=0.8, help="0..1 (default 0.8)")
    p.add_argument("--source", default="analyst", help="source name (default: analyst)")
    p.add_argument("--allow", action="store_true", help="an allow-list entry (known good)")
    p.add_argument("--note", help="free-text note kept with the record")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("export", parents=[common], help="export the store as STIX 2.1 or CSV")
    p.add_argument("--format", choices=("stix", "csv"), required=True)
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", parents=[common], help="counts by type, source, week, year")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("sources", parents=[common], help="list sources, or set one's trust")
    p.add_argument("name", nargs="?", help="source to change")
    p.add_argument("--trust", type=float, metavar="0..1", help="new trust for NAME")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_sources)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _open(args: argparse.Namespace) -> Any:
    from .store import IntelStore

    return IntelStore.open(args.db, ttl_days=_ttl(getattr(args, "ttl", [])))


def _ttl(items: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        type_, _, days = item.partition("=")
        if type_ not in TYPES or not days.isdigit() or int(days) < 1:
            raise ScamlensError(f"--ttl {item!r}: expected TYPE=DAYS, e.g. domain=30")
        out[type_] = int(days)
    return out


def _jsonable(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return _jsonable(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    return obj


def _print_json(obj: Any) -> None:
    json.dump(_jsonable(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _t(value: object) -> Any:
    """A plain-text cell: never parsed as rich markup."""
    from rich.text import Text

    return Text(display_safe(str(value)))


def cmd_import(args: argparse.Namespace) -> int:
    reports = []
    with _open(args) as store:
        for feed in args.feeds:
            reports.append(store.import_feed(Path(feed), args.format, args.source, args.trust))
    if args.json:
        _print_json(reports)
        return 0
    from rich.table import Table

    table = Table(title="Imported")
    for col in ("file", "format", "added", "updated", "refreshed", "skipped", "links", "seconds"):
        table.add_column(col, justify="left" if col in ("file", "format") else "right")
    for r in reports:
        table.add_row(
            _t(Path(r.path).name),
            _t(r.format),
            str(r.added),
            str(r.updated),
            str(r.refreshed),
            str(r.skipped_total),
            str(r.links_added + r.links_refreshed),
            f"{r.seconds:.2f}",
        )
    console = _console()
    console.print(table)
    for r in reports:
        for reason, n in r.skipped.items():
            where = r.skip_examples.get(reason, "")
            console.print(_t(f"  {Path(r.path).name}: skipped {n} x {reason} (first at {where})"))
    return 0


def _values(raw: list[str]) -> list[str]:
    out: list[str] = []
    for v in raw:
        if v == "-":
            out += [line.strip() for line in sys.stdin if line.strip()]
        else:
            out.append(v)
    return out


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args) as store:
        results = store.check_values(_values(args.values))
        origins: dict[tuple[str, str], list[Any]] = {}
        if args.provenance:
            for r in results.values():
                for h in r.hits:
                    if (h.type, h.value) not in origins:
                        origins[(h.type, h.value)] = store.provenance(h.type, h.value)
    listed = any(h for r in results.values() for h in r.hits if not h.allowlisted)
    code = 1 if args.fail_on_hit and listed else 0
    if args.json:
        doc = _jsonable(list(results.values()))
        if args.provenance:
            for item in doc:
                for hit in item["hits"]:
                    found = origins.get((hit["type"], hit["value"]), [])
                    hit["provenance"] = [_jsonable(p) for p in found if p.source == hit["source"]]
        _print_json(doc)
        return code
    from rich.table import Table

    console = _console()
    for r in results.values():
        head = f"{r.raw}"
        if r.error:
            console.print(_t(f"{head}: {r.error}"))
            continue
        chain = f" ({r.chain})" if r.chain else ""
        if not r.hits:
            console.print(_t(f"{head}: {r.type}{chain} {r.value}: no match"))
            continue
        verdict = "ALLOW-LISTED" if all(h.allowlisted for h in r.hits) else "LISTED"
        table = Table(title=_t(f"{r.type}{chain} {r.value}: {verdict}"), title_justify="left")
        for col in ("source", "confidence", "labels", "expires", "reason"):
            table.add_column(col)
        for h in r.hits:
            reason = h.reason
            for p in origins.get((h.type, h.value), []):
                if p.source == h.source and p.last_file and p.last_imported_at:
                    sha = (p.last_sha256 or "")[:12]
                    reason += (
                        f"\n{Path(p.last_file).name} sha256 {sha}… {p.origin}, "
                        f"imported {p.last_imported_at:%Y-%m-%d}"
                    )
            table.add_row(
                _t(h.source),
                f"{h.confidence:.2f}",
                _t(", ".join(h.labels)),
                _t(h.expires.date().isoformat() if h.expires else ""),
                _t(reason),
            )
        console.print(table)
    return code


def cmd_add(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rec = store.add(
            args.type,
            args.value,
            chain=args.chain,
            labels=args.label,
            confidence=args.confidence,
            source=args.source,
            allow=args.allow,
            note=args.note,
        )
    if args.json:
        _print_json(rec)
    else:
        verb = "allow-listed" if rec.action == "allow" else "recorded"
        _console().print(_t(f"{verb} {rec.type} {rec.value} (source {rec.source})"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as store:
        if args.output:
            out = Path(args.output)
            tmp = out.with_name(out.name + ".part")
            try:
                with tmp.open("w", encoding="utf-8", newline="") as fh:
                    n = store.export(args.format, fh)
                tmp.replace(out)
            except OSError as exc:
                raise ScamlensError(f"{out}: cannot write ({exc.strerror or exc})") from exc
            print(f"exported {n} records to {out}", file=sys.stderr)
        else:
            store.export(args.format, sys.stdout)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args) as store:
        stats = store.stats()
    if args.json:
        _print_json(stats)
        return 0
    from rich.table import Table

    console = _console()
    console.print(
        f"{stats.total} records from {stats.sources} sources, {stats.expired} expired; "
        f"{stats.links} links; {stats.lookalike_targets} look-alike targets"
    )
    for title, counts in (
        ("by type", stats.by_type),
        ("by source", stats.by_source),
        ("by action", stats.by_action),
        ("by year (first seen)", stats.time.by_year),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("key")
        table.add_column("records", justify="right")
        if title.startswith("by year"):
            table.add_column("growth", justify="right")
        for k, n in counts.items():
            row = [_t(k), str(n)]
            if title.startswith("by year"):
                g = stats.time.growth_yoy.get(int(k))
                row.append("" if g is None else f"{g:+.0%}")
            table.add_row(*row)
        console.print(table)
    weeks = list(stats.time.by_week.items())[-12:]
    if weeks:
        table = Table(title="last 12 weeks with records (first seen)", title_justify="left")
        table.add_column("week")
        table.add_column("records", justify="right")
        for k, n in weeks:
            table.add_row(k, str(n))
        console.print(table)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    with _open(args) as store:
        if args.name is not None or args.trust is not None:
            if args.name is None or args.trust is None:
                raise ScamlensError("give both NAME and --trust to change a source's trust")
            store.set_trust(args.name, args.trust)
        found = store.sources()
    if args.json:
        _print_json(found)
        return 0
    from rich.table import Table

    table = Table(title="Sources")
    for col in ("name", "title", "kind", "trust", "records", "licence", "url"):
        table.add_column(col, justify="right" if col in ("trust", "records") else "left")
    for s in found:
        table.add_row(
            _t(s.name),
            _t(s.title),
            _t(s.kind),
            f"{s.trust:.2f}",
            str(s.records),
            _t(s.licence or ""),
            _t(s.url or ""),
        )
    _console().print(table)
    return 0
