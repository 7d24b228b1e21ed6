"""Campaign discovery: time, memory and clustering quality at 10k, 100k and 1M messages.

    python bench/bench_campaigns.py                      # 10k, 100k, 1M + quality
    python bench/bench_campaigns.py --sizes 10000 100000 # fewer sizes
    python bench/bench_campaigns.py --quality-only

For each size a labelled corpus is generated (scamlens.campaigns.synth: spun, reworded and
obfuscated scam scripts in English and Chinese, 65% background chatter, greetings and benign
templates) and written as JSON Lines; a fresh child process then runs the whole local path
(read the file, cluster, summarise, rings, write the JSON document) and reports wall time, CPU
time and peak RSS, so the memory figure is that of the job alone. Quality is pairwise
precision / recall / F1 of the script clusters against the generator's labels, compared with
plain word-5-gram MinHash LSH (datasketch) at the usual thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


class TreeMonitor(threading.Thread):
    """Samples RSS and CPU time of this process and all its descendants (Linux /proc).

    The worker processes come from a fork server, so they are not our direct children and
    getrusage(RUSAGE_CHILDREN) would miss them; /proc sees the whole tree.
    """

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}
        self.running = True
        self.tick = os.sysconf("SC_CLK_TCK")
        self.page = os.sysconf("SC_PAGE_SIZE")

    def _tree(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        tree = [os.getpid()]
        for pid in tree:
            tree.extend(p for p, pp in parents.items() if pp == pid)
        return tree

    def run(self) -> None:
        while self.running:
            total = 0
            for pid in self._tree():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += int(fields[21]) * self.page  # rss in pages
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick
            self.peak_rss = max(self.peak_rss, total)
            time.sleep(self.interval)


def child(path: Path, workers: int) -> None:
    """Run the job on `path` and print one JSON line of figures."""
    from scamlens.campaigns import find_campaigns

    monitor = TreeMonitor()
    monitor.start()
    t0 = time.perf_counter()
    report = find_campaigns(path, indicators="auto", workers=workers)
    doc = report.to_dict()
    text = json.dumps(doc, ensure_ascii=False)
    (path.parent / (path.stem + ".campaigns.json")).write_text(text, encoding="utf-8")
    wall = time.perf_counter() - t0
    monitor.running = False
    own = resource.getrusage(resource.RUSAGE_SELF)
    others = sum(v for pid, v in monitor.cpu.items() if pid != os.getpid())
    figures = {
        "wall_s": round(wall, 2),
        "cpu_s": round(own.ru_utime + own.ru_stime + others, 2),
        "peak_rss_mb": round(own.ru_maxrss / 1024, 1),
        "peak_tree_rss_mb": round(max(monitor.peak_rss, own.ru_maxrss * 1024) / 2**20, 1),
        "workers": workers,
        "timings": {k: round(v, 2) for k, v in report.timings.items()},
        "stats": report.stats,
        "quality": _quality(path, report.script_of()),
    }
    print(json.dumps(figures))


def _quality(path: Path, script_of: dict[str, str]) -> dict[str, float | int]:
    from scamlens.campaigns.evaluate import pairwise

    truth: list[str | None] = []
    pred: list[int] = []
    ids: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            truth.append(rec.get("script"))
            s = script_of.get(rec["id"])
            pred.append(ids.setdefault(s, len(ids)) if s else -1)
    return pairwise(truth, pred).as_dict()


def generate(n: int, seed: int) -> Path:
    from scamlens.campaigns.synth import iter_generate, write_jsonl

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"messages-{n}.jsonl"
    if not path.exists():
        t0 = time.perf_counter()
        write_jsonl(iter_generate(n, seed=seed), path, with_labels=True)
        print(f"  generated {n:,} messages in {time.perf_counter() - t0:.0f} s -> {path}")
    return path


def scale(sizes: list[int], seed: int, workers: int) -> list[dict[str, object]]:
    rows = []
    for n in sizes:
        path = generate(n, seed)
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--workers", str(workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        figures["messages"] = n
        rows.append(figures)
        q = figures["quality"]
        print(
            f"{n:>9,} msgs  wall {figures['wall_s']:>6.1f} s  cpu {figures['cpu_s']:>6.1f} s  "
            f"peak RSS {figures['peak_rss_mb']:>5.0f} MB (with workers "
            f"{figures['peak_tree_rss_mb']:.0f})  "
            f"({1e6 * figures['wall_s'] / n:.0f} us/msg)  P {q['precision']:.3f} "
            f"R {q['recall']:.3f} F1 {q['f1']:.3f}  scripts {figures['stats']['scripts']}  "
            f"campaigns {figures['stats']['campaigns']}"
        )
        print("           stages (s):", figures["timings"])
    return rows


def quality(n: int, seed: int) -> dict[str, object]:
    """Our clustering vs word-5-gram MinHash on one labelled corpus, overall and by variant."""
    from scamlens.campaigns import baseline, pipeline
    from scamlens.campaigns.evaluate import pairwise
    from scamlens.campaigns.records import MessageTable
    from scamlens.campaigns.synth import generate as gen

    corpus = gen(n, seed=seed)
    table = MessageTable()
    for m in corpus:
        table.append(m.id, m.account, m.text, m.conversation, m.timestamp, m.platform)
    truth = [m.script for m in corpus]
    methods = {}
    t0 = time.perf_counter()
    methods["scamlens (char + skeleton LSH, verified, guarded)"] = (
        pipeline.cluster_table(table).message_cluster.tolist(),
        time.perf_counter() - t0,
    )
    for th in (0.5, 0.8):
        t0 = time.perf_counter()
        labels = baseline.cluster([m.text for m in corpus], threshold=th).tolist()
        methods[f"word-5-gram MinHash LSH @ {th}"] = (labels, time.perf_counter() - t0)
    out: dict[str, object] = {}
    print(f"\nQuality on {n:,} labelled messages (seed {seed}):")
    print(f"{'method':<52} {'P':>6} {'R':>6} {'F1':>6}  recall by variant")
    for name, (labels, secs) in methods.items():
        s = pairwise(truth, labels)
        by_variant = _variant_recall(corpus, labels)
        out[name] = {"pairwise": s.as_dict(), "variant_recall": by_variant, "seconds": secs}
        print(
            f"{name:<52} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}  "
            + ", ".join(f"{k} {v:.2f}" for k, v in by_variant.items())
        )
    return out


def _variant_recall(corpus: list, labels: list[int]) -> dict[str, float]:  # type: ignore[type-arg]
    """Share of each kind of scam message placed in its script's main cluster."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for m, c in zip(corpus, labels, strict=True):
        if m.script and c >= 0:
            counts[m.script][c] += 1
    main = {s: max(v, key=lambda c: v[c]) for s, v in counts.items()}
    hits: dict[str, list[bool]] = defaultdict(list)
    for m, c in zip(corpus, labels, strict=True):
        if m.script and not m.script.startswith("benign"):
            lang = m.script[:2]
            hits[f"{lang}:{m.variant}"].append(c >= 0 and c == main.get(m.script))
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(hits.items()) if len(v) >= 20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--quality-size", type=int, default=20_000)
    ap.add_argument("--quality-seed", type=int, default=99)
    ap.add_argument("--quality-only", action="store_true")
    ap.add_argument("--workers", type=int, default=2, help="processes for per-text work")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.workers)
        return
    results: dict[str, object] = {}
    if not args.quality_only:
        print("Scale (one process per size; times include reading JSONL and writing JSON):")
        results["scale"] = scale(args.sizes, args.seed, args.workers)
    results["quality"] = quality(args.quality_size, args.quality_seed)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_campaigns.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nFigures saved to {OUT / 'bench_campaigns.json'}")


if __name__ == "__main__":
    main()
