"""Benchmark the intelligence store.

1. Import the shared feeds (MetaMask config.json, CryptoScamDB urls.yaml, ScamSniffer
   address.json + combined.json) into a fresh SQLite store: seconds per feed and in total
   (target: 10 s for all of them).
2. Build a SQLite store holding --records generated records through the normal import path
   (a generated CSV, one transaction), in a child process so its peak memory is its own.
3. Batched lookups of extracted-style Indicators (about half of them listed) against it:
   lookups per second (target: 50,000/s) and peak memory of the lookup process.

    python bench/bench_intel.py [FEEDS_DIR] [--records 1000000] [--lookups 200000]
"""

from __future__ import annotations

import argparse
import csv
import gc
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from scamlens.indicators import chains
from scamlens.intel import IntelStore
from scamlens.intel.keys import value_key
from scamlens.model import Indicator

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FEEDS = REPO.parent / "shared" / "data" / "feeds"
TLDS = ("com", "net", "org", "xyz", "top", "vip", "io", "app", "co.uk", "online")
WORDS = ("bit", "coin", "trade", "usdt", "wallet", "meta", "swap", "invest", "gold", "pro")


def peak_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / (1024 * 1024)


def bench_feeds(feeds: Path, work: Path) -> None:
    plan = [
        (feeds / "metamask-eth-phishing-detect" / "config.json", "metamask"),
        (feeds / "cryptoscamdb" / "urls.yaml", "cryptoscamdb"),
        (feeds / "scamsniffer" / "address.json", "scamsniffer"),
        (feeds / "scamsniffer" / "combined.json", "scamsniffer"),
    ]
    missing = [str(p) for p, _ in plan if not p.exists()]
    if missing:
        print(f"feeds: skipped, not found: {', '.join(missing)}")
        return
    print("== import of the shared feeds (fresh SQLite store)")
    start = time.perf_counter()
    with IntelStore.open(f"sqlite:///{work / 'feeds.db'}") as store:
        for path, fmt in plan:
            r = store.import_feed(path, fmt)
            print(
                f"  {path.name:<14} {fmt:<13} added {r.added:>6}  refreshed {r.refreshed:>5}  "
                f"links {r.links_added:>5}  skipped {r.skipped_total:>3}  {r.seconds:6.2f} s"
            )
        total = time.perf_counter() - start
        again = time.perf_counter()
        for path, fmt in plan:
            store.import_feed(path, fmt)
        re_total = time.perf_counter() - again
        print(f"  records stored: {store.stats().total}")
    print(f"  total (incl. opening the store): {total:.2f} s (target <= 10 s)")
    print(f"  re-import of all four files (idempotent refresh): {re_total:.2f} s")


def _tron(rng: random.Random) -> str:
    return chains.b58check_encode(b"\x41" + rng.randbytes(20))


def _btc(rng: random.Random) -> str:
    return chains.b58check_encode(b"\x00" + rng.randbytes(20))


def generate(n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(type, canonical value, chain) records: 50% domains, 10% URLs, 40% wallets."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    for i in range(n):
        r = i % 10
        word = f"{WORDS[i % len(WORDS)]}{WORDS[(i // 10) % len(WORDS)]}{i}"
        if r < 5:
            out.append(("domain", f"{word}.{TLDS[i % len(TLDS)]}", ""))
        elif r == 5:
            out.append(("url", f"https://{word}.{TLDS[i % len(TLDS)]}/login?ref={i}", ""))
        elif r < 9:
            out.append(("wallet", "0x" + rng.randbytes(20).hex(), "eth"))
        elif i % 20 == 9:
            out.append(("wallet", _tron(rng), "tron"))
        else:
            out.append(("wallet", _btc(rng), "btc"))
    return out


def _build(db: str, csv_path: str, q: mp.Queue[dict[str, float]]) -> None:
    start = time.perf_counter()
    with IntelStore.open(db) as store:
        r = store.import_feed(csv_path, "csv", source_name="generated", trust=0.7)
        q.put({"added": r.added, "seconds": time.perf_counter() - start, "peak_mb": peak_mb()})


def bench_lookups(
    n_records: int, n_lookups: int, batches: list[int], work: Path, url: str | None
) -> None:
    kind = "SQLite" if url is None else url.split(":", 1)[0]
    print(f"== {n_records:,} generated records in {kind}, batched lookups")
    t = time.perf_counter()
    records = generate(n_records)
    csv_path = work / "generated.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["type", "value", "chain", "labels", "confidence", "first_seen"])
        for i, (type_, value, chain) in enumerate(records):
            day = f"20{20 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            w.writerow([type_, value, chain, "pig-butchering;generated", "0.8", day])
    mib = csv_path.stat().st_size / 2**20
    print(f"  generated CSV: {mib:.0f} MiB in {time.perf_counter() - t:.1f} s")
    db = url or f"sqlite:///{work / 'big.db'}"
    ctx = mp.get_context("spawn")
    q: mp.Queue[dict[str, float]] = ctx.Queue()
    proc = ctx.Process(target=_build, args=(db, str(csv_path), q))
    proc.start()
    built = q.get()
    proc.join()
    size = f", database {(work / 'big.db').stat().st_size / 2**20:.0f} MiB" if url is None else ""
    print(
        f"  build (import_feed of the CSV, one transaction): {built['added']:,.0f} records in "
        f"{built['seconds']:.1f} s{size}, peak memory {built['peak_mb']:.0f} MiB"
    )
    rng = random.Random(11)
    listed = rng.sample(records, n_lookups // 2)
    misses = generate(n_lookups - len(listed), seed=99)
    items: list[Indicator] = []
    for type_, raw, chain in listed:
        value = value_key(type_, raw, chain or None)[0]  # what the extractor would produce
        if type_ == "domain" and rng.random() < 0.3:
            value = "www2." + value  # found through its parent domain
        items.append(
            Indicator(type=type_, value=value, raw=value, detector="bench", chain=chain or None)
        )
    for type_, value, chain in misses:
        if type_ == "domain":
            value = "miss-" + value
        elif type_ == "url":
            value = value.replace("https://", "https://miss-", 1)
        items.append(
            Indicator(type=type_, value=value, raw=value, detector="bench", chain=chain or None)
        )
    rng.shuffle(items)
    del records, listed, misses
    # The set-up objects are long-lived: move them out of the cyclic GC's way, as a
    # long-running service would after start-up, so the timing is of the lookups.
    gc.collect()
    gc.freeze()
    with IntelStore.open(db) as store:
        store.check(items[:1000])  # warm the page cache and statement cache
        for batch in batches:
            start = time.perf_counter()
            hit = 0
            for i in range(0, len(items), batch):
                found = store.check(items[i : i + batch])
                hit += sum(1 for v in found.values() if v)
            secs = time.perf_counter() - start
            print(
                f"  batch {batch:>6}: {len(items):,} lookups in {secs:.2f} s = "
                f"{len(items) / secs:,.0f} lookups/s ({hit:,} with hits)"
            )
        stats_t = time.perf_counter()
        stats = store.stats()
        print(
            f"  stats() over {stats.total:,} records: {time.perf_counter() - stats_t:.2f} s "
            f"({len(stats.time.by_week)} weeks, years {sorted(stats.time.by_year)})"
        )
    print(f"  peak memory of the lookup process: {peak_mb():.0f} MiB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("feeds", nargs="?", type=Path, default=DEFAULT_FEEDS)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--lookups", type=int, default=200_000)
    ap.add_argument("--batch", type=int, action="append", help="batch size(s), default 1000 5000")
    ap.add_argument("--work", type=Path, help="directory for the databases (default: temporary)")
    ap.add_argument("--url", help="run the lookup part against this (empty) database instead")
    ap.add_argument("--skip-feeds", action="store_true", help="only the generated-records part")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-intel-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, work dir {work}")
        if not args.skip_feeds:
            bench_feeds(args.feeds, work)
        bench_lookups(args.records, args.lookups, args.batch or [1000, 5000], work, args.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
