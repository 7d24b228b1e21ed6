"""`scamlens evaluate` and `scamlens evaluate protocol`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from scamlens.encoder.cli import add_encoder_flag
from scamlens.errors import ScamlensError

SCORERS = ("shipped", "rules", "tfidf")


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _list(value: str, allowed: tuple[str, ...], what: str) -> list[str]:
    got = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in got if v not in allowed]
    if bad or not got:
        raise ScamlensError(f"--{what}: expected a comma list of {', '.join(allowed)}")
    return got


def _cmd_data(args: argparse.Namespace) -> int:
    from scamlens.encoder.cli import engine_from_args
    from scamlens.evaluation.data import Fields, load_items
    from scamlens.evaluation.protocol import train_inputs, train_scorers
    from scamlens.evaluation.report import Section, write_report
    from scamlens.train.fit import collect_samples

    t0 = time.monotonic()
    path = Path(args.data)
    fields = Fields(
        text=args.text_field,
        label=args.label_field,
        lang=args.lang_field,
        stage=args.stage_field,
        group=args.group_field,
        id=args.id_field,
        positive=args.positive,
        negative=args.negative,
    )
    items = load_items(path, args.format, fields)
    wanted = _list(args.scorers, SCORERS, "scorers")
    formats = _list(args.report, ("md", "html"), "report")
    shared = Path(args.shared) if args.shared else None
    sizes = {"n_messages": args.train_messages, "n_conversations": args.train_conversations}
    inputs = train_inputs(shared, args.seed, **{k: v for k, v in sizes.items() if v})
    train = collect_samples(inputs) if set(wanted) - {"shipped"} else []
    # "shipped" is the default engine, or the encoder engine with --encoder minilm.
    engine = engine_from_args(args) if "shipped" in wanted else None
    scorers = train_scorers(train, inputs, _log, engine=engine, which=wanted)
    note = (
        f"Baselines fitted on {len(train)} training samples "
        f"({'with' if shared else 'without'} the shared SMS/fraud-r1 training data; "
        "pass --shared to match the shipped build)."
        if train
        else "Shipped models only."
    )
    sec = Section(
        "data",
        f"{path.name}",
        f"{len(items)} items from `{path.name}`. {note}",
        items,
        {s.name: s.score(items) for s in scorers},
        slices=("lang", "source"),
    )
    out = Path(args.out)
    written = write_report(
        [sec],
        out,
        title=f"scamlens evaluation: {path.name}",
        formats=formats,
        seed=args.seed,
        preamble=[f"Time {time.monotonic() - t0:.0f} s."],
    )
    for kind, p in written.items():
        print(f"{kind}: {p}")
    return 0


def _cmd(args: argparse.Namespace) -> int:
    if args.data:
        return _cmd_data(args)
    if not (args.shared or args.written):
        raise ScamlensError("give --data FILE, or --shared/--written, or use 'evaluate protocol'")
    from scamlens.encoder.cli import engine_from_args
    from scamlens.evaluation.legacy import markdown, run

    shared = Path(args.shared) if args.shared else None
    written = Path(args.written) if args.written else None
    print(markdown(run(shared, written, engine=engine_from_args(args))))
    return 0


def _cmd_protocol(args: argparse.Namespace) -> int:
    from scamlens.evaluation.protocol import SCALES, run_protocol

    shared = Path(args.protocol_shared)
    if not shared.is_dir():
        raise ScamlensError(f"{shared}: no such folder")
    if args.scale not in SCALES:
        raise ScamlensError(f"--scale: expected one of {', '.join(SCALES)}")
    if args.folds < 2:
        raise ScamlensError("--folds: need at least 2")
    written = Path(args.written_dir) if args.written_dir else None
    out = run_protocol(
        shared,
        written,
        Path(args.out),
        folds=args.folds,
        scale=args.scale,
        seed=args.seed,
        parts=_list(args.parts, ("cv", "cross", "heldout"), "parts"),
        formats=_list(args.report, ("md", "html"), "report"),
        log=_log,
    )
    for kind, p in out.items():
        print(f"{kind}: {p}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "evaluate",
        help="held-out figures with baselines, curves and a report",
        description="Score a labelled file (--data), run the protocol ('evaluate protocol'), "
        "or print the quick table (--shared/--written).",
    )
    p.add_argument("--data", metavar="PATH", help="labelled JSONL or CSV file")
    add_encoder_flag(p)
    p.add_argument("--format", choices=("jsonl", "csv"), help="default: from the file suffix")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--lang-field", default="lang")
    p.add_argument("--stage-field", default="stage")
    p.add_argument("--group-field", default="group")
    p.add_argument("--id-field", default="id")
    p.add_argument("--positive", default="scam", help="label value of pig-butchering items")
    p.add_argument("--negative", default="benign", help="label value of benign items")
    p.add_argument(
        "--scorers", default=",".join(SCORERS), help="comma list of " + ", ".join(SCORERS)
    )
    p.add_argument("--out", default="evaluation-report", help="report folder")
    p.add_argument("--report", default="md,html", help="comma list of md, html")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--shared",
        metavar="DIR",
        help="shared data folder (baselines' training inputs; quick table)",
    )
    p.add_argument(
        "--train-messages", type=int, help="baselines: synthetic messages (default: as shipped)"
    )
    p.add_argument("--train-conversations", type=int, help="baselines: synthetic conversations")
    p.add_argument("--written", metavar="JSONL", help="quick table: eval/written/texts.jsonl")
    p.set_defaults(func=_cmd)
    sp = p.add_subparsers(dest="evaluate_command", metavar="{protocol}")
    q = sp.add_parser("protocol", help="grouped CV, cross-checks and held-out sets, with baselines")
    q.add_argument("--shared", dest="protocol_shared", metavar="DIR", required=True)
    q.add_argument("--written-dir", default="eval/written", metavar="DIR")
    q.add_argument("--folds", type=int, default=5)
    q.add_argument("--scale", default="small", help="small (about 15 min on one core) or full")
    q.add_argument("--parts", default="cv,cross,heldout", help="comma list of cv, cross, heldout")
    q.add_argument("--out", default="evaluation-report", help="report folder")
    q.add_argument("--report", default="md,html", help="comma list of md, html")
    q.add_argument("--seed", type=int, default=7)
    q.set_defaults(func=_cmd_protocol)
