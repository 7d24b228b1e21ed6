"""`scamlens train`: rebuild the shipped models from declared inputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _default_out() -> Path:
    return Path(__file__).resolve().parents[1] / "resources" / "models"


def _cmd_train(args: argparse.Namespace) -> int:
    from scamlens.errors import ScamlensError
    from scamlens.train.fit import train, write_models

    sms = Path(args.sms) if args.sms else None
    fraud = Path(args.fraud_r1) if args.fraud_r1 else None
    feedback = tuple(Path(f) for f in args.feedback or ())
    for path in (sms, fraud, *feedback):
        if path is not None and not path.is_file():
            print(f"scamlens: error: {path}: no such file", file=sys.stderr)
            return 2
    features = args.tactic_features
    if features < 2**10 or features > 2**20 or features & (features - 1):
        print(
            "scamlens: error: --tactic-features must be a power of two, 2^10..2^20", file=sys.stderr
        )
        return 2
    try:
        result = train(
            seed=args.seed,
            n_messages=args.messages,
            n_conversations=args.conversations,
            sms_path=sms,
            fraud_r1_path=fraud,
            feedback_paths=feedback,
            tactic_features=features,
            tactic_model=not args.no_tactic_model,
            weak_labels=not args.no_weak_labels,
            risk_folds=args.risk_folds,
            log=lambda m: print(m, file=sys.stderr),
        )
    except ScamlensError as exc:
        print(f"scamlens: error: {exc}", file=sys.stderr)
        return 2
    hashes = write_models(result, Path(args.out))
    for name, digest in hashes.items():
        print(f"{name}  sha256 {digest}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("train", help="rebuild the shipped models (reproducible from a seed)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--messages", type=int, default=40000, help="synthetic messages to generate")
    p.add_argument("--conversations", type=int, default=3000, help="synthetic conversations")
    p.add_argument("--sms", metavar="CSV", help="SMS training split (ham rows used as benign)")
    p.add_argument(
        "--fraud-r1",
        metavar="JSON",
        help="fraud-r1 dev records (romance/investment as scam texts, other fraud as non-PB)",
    )
    p.add_argument(
        "--feedback",
        metavar="JSONL",
        action="append",
        help="analyst feedback export (GET /api/v1/feedback/export): reviewed messages become "
        "training texts (confirmed red flags scam, rejected ones benign); repeatable",
    )
    p.add_argument(
        "--tactic-features", type=int, default=2**16, help="hash buckets of the tactic heads"
    )
    p.add_argument("--no-tactic-model", action="store_true", help="skip the tactic model")
    p.add_argument(
        "--no-weak-labels", action="store_true", help="tactic labels from templates only"
    )
    p.add_argument("--risk-folds", type=int, default=5, help="grouped folds for calibration")
    p.add_argument("--out", default=str(_default_out()), help="output folder for the models")
    p.set_defaults(func=_cmd_train)
