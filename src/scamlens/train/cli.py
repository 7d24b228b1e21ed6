"""`scamlens train`: rebuild the shipped models from declared inputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _default_out() -> Path:
    return Path(__file__).resolve().parents[1] / "resources" / "models"


def _cmd_train(args: argparse.Namespace) -> int:
    from scamlens.train.fit import train, write_models

    sms = Path(args.sms) if args.sms else None
    if sms is not None and not sms.is_file():
        print(f"scamlens: error: {sms}: no such file", file=sys.stderr)
        return 2
    result = train(
        seed=args.seed,
        n_messages=args.messages,
        n_conversations=args.conversations,
        sms_path=sms,
        log=lambda m: print(m, file=sys.stderr),
    )
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
    p.add_argument("--out", default=str(_default_out()), help="output folder for the models")
    p.set_defaults(func=_cmd_train)
