"""Benchmark the optional sentence encoder (MiniLM + head) beside the char-n-gram default.

Generates `--n` realistic mixed-length messages (English and Chinese, scam and benign, about
10 % long first-person narratives) with scamlens.train.synth, then prints messages a second for:
the char-n-gram text model alone and the whole default engine (score_batch); the encoder + head
at each batch size; and the whole engine with the encoder as its text model. Self-contained:

    python bench/bench_encoder.py --n 2000                       # CPU here
    python bench/bench_encoder.py --n 20000 --device cuda        # a GPU machine
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def corpus(n: int, seed: int) -> list[str]:
    from scamlens.train import synth

    return [m.text for m in synth.generate_messages(n, seed)]


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:10.1f} msg/s  ({seconds:7.2f} s for {n})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="messages (default 2000)")
    ap.add_argument("--device", default=None, help="auto (default), cpu or cuda")
    ap.add_argument("--batch-sizes", default="32,64,128")
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-engine", action="store_true", help="skip the whole-engine runs")
    args = ap.parse_args()

    from scamlens.scoring.engine import default_engine
    from scamlens.text.normalize import fold

    texts = corpus(args.n, args.seed)
    folded = [fold(t) for t in texts]
    lens = sorted(len(t) for t in texts)
    zh = sum(1 for t in texts if any("\u4e00" <= c <= "\u9fff" for c in t))
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(
        f"corpus: {len(texts)} messages, {zh} with Chinese; chars median "
        f"{statistics.median(lens):.0f}, p90 {lens[int(0.9 * (len(lens) - 1))]}, max {lens[-1]}"
    )

    eng = default_engine()
    eng.text_model.predict_proba(folded[:50], folded=True)  # warm up
    t0 = time.perf_counter()
    eng.text_model.predict_proba(folded, folded=True)
    print(f"char-n-gram text model        {rate(len(texts), time.perf_counter() - t0)}")
    if not args.no_engine:
        t0 = time.perf_counter()
        eng.score_batch(texts)
        print(f"default engine (score_batch)  {rate(len(texts), time.perf_counter() - t0)}")

    from scamlens.encoder.adapter import load_encoder_text_model
    from scamlens.scoring.engine import Engine

    t0 = time.perf_counter()
    tm = load_encoder_text_model(device=args.device, threads=args.threads)
    info = tm.encoder.info()
    print(f"encoder load                  {time.perf_counter() - t0:.2f} s")
    print(
        f"device: {info['device']} (fp16={info['fp16']}), torch {info['torch']}, "
        f"transformers {info['transformers']}, threads {info['threads']}, "
        f"max_tokens {info['max_tokens']}"
    )
    if info["device"].startswith("cuda"):
        import torch

        print(f"gpu: {torch.cuda.get_device_name(0)}")
    ids = tm.encoder.token_ids(folded)
    tok = sorted(len(i) for i in ids)
    cut = sum(1 for i in tok if i >= info["max_tokens"])
    print(
        f"tokens a message: median {statistics.median(tok):.0f}, "
        f"p90 {tok[int(0.9 * (len(tok) - 1))]}, truncated {cut}"
    )
    tm.predict_proba(folded[:64], folded=True)  # warm up (kernels, allocator)
    for bs in (int(b) for b in args.batch_sizes.split(",")):
        tm.encoder.batch_size = bs
        t0 = time.perf_counter()
        tm.predict_proba(folded, folded=True)
        print(f"encoder+head batch {bs:<4}       {rate(len(texts), time.perf_counter() - t0)}")
    if not args.no_engine:
        tm.encoder.batch_size = 64
        enc_eng = Engine(eng.pack, tm.as_text_model(), eng.risk_model)
        t0 = time.perf_counter()
        enc_eng.score_batch(texts)
        print(f"encoder engine (score_batch)  {rate(len(texts), time.perf_counter() - t0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
