"""Benchmark indicator extraction on generated chat text, and the per-conversation cost on
the REST service's hot path.

1. Per conversation (what POST /api/v1/analyze pays): `extract_conversation` and
   `IntelStore.check` of its indicators, in ms per 200-message chat, for --conversations
   distinct chats of the service benchmark (bench_service.py). Extraction is timed warm (the
   caches of earlier chats in place) and cold (every cache cleared before each chat); the
   check against an empty SQLite store and one holding the shared feeds (FEEDS_DIR).
2. Distinct values (`--distinct N`): N lines of one indicator kind, every value new (a hostile
   upload, or a trust-and-safety batch of links and wallets): ms a value, caches cleared, so
   each value pays its whole validation (EIP-55 hash, look-alike scoring, phone parsing).
3. Generated mixed chat (mostly benign English and Chinese chatter with timestamps, prices,
   times and version strings; about 2 % of lines carry an indicator: wallets, links,
   obfuscated domains, handles, phones, amounts): throughput and peak memory for `extract`
   over the whole text and `extract_conversation` over per-line messages.

    python bench/bench_indicators.py [--mb 20] [--seed 7] [--conversations 40] [--feeds DIR]
                                     [--distinct 3000] [--only-conversations]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from scamlens.indicators import extract, extract_conversation
from scamlens.indicators.extract import clear_caches
from scamlens.intel import IntelStore
from scamlens.model import Conversation, Indicator, Message

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FEEDS = REPO.parent / "shared" / "data" / "feeds"
FEED_FILES = (
    "metamask-eth-phishing-detect/config.json",
    "cryptoscamdb/urls.yaml",
    "scamsniffer/address.json",
    "scamsniffer/combined.json",
)

BENIGN_EN = [
    "Good morning dear, did you sleep well?",
    "I had coffee at 8:30 and then went to the gym for an hour.",
    "The weather in Singapore is 32°C today, so hot haha",
    "What are you doing this weekend? Any plans with your friends?",
    "I just finished a meeting with my team, they are so slow ok.thanks god it's over",
    "Lunch was $12.50, the noodles here are great",
    "My sister sent me photos of her new puppy, so cute",
    "Did you see the news about the new iPhone 16? version 18.2.1 is out",
    "I will call you later tonight, around 9pm your time",
    "Remember to drink water and rest, I worry about you",
    "Mr.Smith from the office asked about you lol",
    "I sent the report.pdf and image.jpg to my boss e.g. the quarterly numbers",
    "We should travel to Japan together one day, I promise",
    "Order 123456 arrived yesterday, the box was broken",
    "My uncle has been trading for 20 years, he knows the market very well",
]
BENIGN_ZH = [
    "早上好亲爱的，今天吃饭了吗？",
    "我在香港做生意，最近很忙",
    "你今天工作累不累，要早点休息哦",
    "晚安，做个好梦，明天见",
    "我叔叔在投资公司工作了很多年",
    "周末我们一起视频好吗",
    "今天的天气真好，我去公园散步了",
]
INDICATORS = [
    "Send 5,000 USDT to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t please",
    "register at hxxps://binance-vip[.]com/login and deposit 5000U",
    "the platform is coinbit点com, very safe",
    "download our app from this link https://testflight.apple.com/join/AbCdEf12",
    "add my TG: @mentor_david88 for the signals",
    "微信号：lucky_888888 加我",
    "投了5万U，已经赚了二十万",
    "my number +1 415-555-2671 call me",
    "ETH deposit address 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "txid 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afded330a",
    "the tax is $12,000 before withdrawal",
    "okx-global.net is the official site",
]


def make_lines(target_bytes: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines: list[str] = []
    total = 0
    names = ["Anna", "David", "Lily", "Mark", "王先生", "Jenny"]
    while total < target_bytes:
        r = rng.random()
        if r < 0.02:
            body = rng.choice(INDICATORS)
        elif r < 0.30:
            body = rng.choice(BENIGN_ZH)
        else:
            body = rng.choice(BENIGN_EN)
        stamp = (
            f"[{rng.randint(1, 28):02d}/03/2024, {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}]"
        )
        line = f"{stamp} {rng.choice(names)}: {body}"
        lines.append(line)
        total += len(line.encode("utf-8")) + 1
    return lines


def service_chats(count: int) -> list[Conversation]:
    """The service benchmark's request bodies as conversations (distinct 200-message chats)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_service

    chats = []
    for k in range(count):
        body = bench_service.conversation(k)
        messages = tuple(
            Message(index=i, sender=m["sender"], text=m["text"])
            for i, m in enumerate(body["messages"])
        )
        chats.append(Conversation(messages=messages, source_format="plain"))
    return chats


def per_call_ms(
    fn: Callable[[int], object],
    count: int,
    repeat: int = 5,
    before: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """(median wall ms, median CPU ms) of fn(i) over i < count, best of `repeat` rounds."""
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        walls, cpus = [], []
        for i in range(count):
            if before is not None:
                before()
            w, c = time.perf_counter(), time.process_time()
            fn(i)
            cpus.append(time.process_time() - c)
            walls.append(time.perf_counter() - w)
        best_wall = min(best_wall, statistics.median(walls))
        best_cpu = min(best_cpu, statistics.median(cpus))
    return best_wall * 1000, best_cpu * 1000


def _checker(store: IntelStore, found: list[list[Indicator]]) -> Callable[[int], object]:
    return lambda i: store.check(found[i])


def bench_conversations(count: int, feeds: Path) -> None:
    print(f"== per conversation ({count} distinct 200-message chats of bench_service.py)")
    chats = service_chats(count)
    found: list[list[Indicator]] = [extract_conversation(c) for c in chats]
    mean = statistics.mean(len(f) for f in found)
    wall, cpu = per_call_ms(lambda i: extract_conversation(chats[i]), count)
    print(f"extract_conversation warm: {wall:.3f} ms wall, {cpu:.3f} ms CPU ({mean:.1f} found)")
    wall, cpu = per_call_ms(lambda i: extract_conversation(chats[i]), count, before=clear_caches)
    print(f"extract_conversation cold: {wall:.3f} ms wall, {cpu:.3f} ms CPU (caches cleared)")
    with tempfile.TemporaryDirectory() as tmp:
        stores = [("empty store", IntelStore.open(f"sqlite:///{tmp}/empty.db"))]
        files = [feeds / f for f in FEED_FILES]
        if all(f.exists() for f in files):
            full = IntelStore.open(f"sqlite:///{tmp}/feeds.db")
            for f in files:
                full.import_feed(f)
            stores.append(("shared feeds", full))
        else:
            print(f"intel check with feeds: skipped, no feeds under {feeds}")
        for name, store in stores:
            with store:
                hits = sum(bool(v) for f in found for v in store.check(f).values())
                wall, cpu = per_call_ms(_checker(store, found), count)
                print(
                    f"IntelStore.check, {name}: {wall:.3f} ms wall, {cpu:.3f} ms CPU "
                    f"({hits / count:.1f} indicators with hits per chat)"
                )


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _distinct_kinds(rng: random.Random) -> dict[str, Callable[[], str]]:
    def word(n: int, alphabet: str = _LOWER) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    def num(lo: int, hi: int) -> int:
        return rng.randint(lo, hi)

    return {
        "eth address": lambda: "send to 0x" + word(40, "0123456789abcdef"),
        "tron address": lambda: "T" + word(33, _B58),
        "domain": lambda: f"visit {word(8)}-{word(5)}.com now",
        "url": lambda: f"https://{word(7)}.{word(5)}.net/{word(6)}?a={word(4)}",
        "look-alike": lambda: f"go to b{word(2)}nance-{word(3)}.com",
        "phone": lambda: f"+1 {num(200, 999)} {num(200, 999)} {num(1000, 9999)}",
        "email": lambda: f"{word(8)}@{word(6)}.com",
        "handle": lambda: f"telegram @{word(10)}",
    }


def bench_distinct(count: int, seed: int) -> None:
    """Each kind: `count` lines, each a new value, as one message; ms of CPU a value."""
    print(f"== distinct values ({count} lines of one kind, caches cleared)")
    rng = random.Random(seed)
    for kind, make in _distinct_kinds(rng).items():
        text = "\n".join(make() for _ in range(count))
        conv = Conversation(
            messages=(Message(index=0, sender="x", text=text),), source_format="plain"
        )
        clear_caches()
        c0 = time.process_time()
        found = extract_conversation(conv)
        cpu = time.process_time() - c0
        mb = len(text.encode("utf-8")) / 1e6
        print(
            f"{kind:13s} {cpu / count * 1e3:6.3f} ms a value, {cpu / mb:5.1f} s CPU a MB, "
            f"{len(found)} indicators"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0, help="megabytes of text to generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--feeds", type=Path, default=DEFAULT_FEEDS)
    parser.add_argument("--distinct", type=int, default=3000, help="values a kind (0: skip)")
    parser.add_argument("--only-conversations", action="store_true")
    args = parser.parse_args()
    bench_conversations(args.conversations, args.feeds)
    if args.only_conversations:
        return
    if args.distinct:
        bench_distinct(args.distinct, args.seed)
    print("== generated chat")
    lines = make_lines(int(args.mb * 1_000_000), args.seed)
    text = "\n".join(lines)
    size_mb = len(text.encode("utf-8")) / 1e6
    extract("warm up TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t binance-vip.com +1 415-555-2671")

    t0, c0 = time.perf_counter(), time.process_time()
    found = extract(text)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time is the one-core figure; wall time also counts waiting on a busy machine.
    print(
        f"extract(text): {size_mb:.1f} MB in {dt:.2f} s wall / {cpu:.2f} s CPU = "
        f"{size_mb / dt:.1f} MB/s wall, {size_mb / cpu:.1f} MB/s CPU, {len(found)} indicators"
    )
    conv = Conversation(
        messages=tuple(Message(index=i, sender=None, text=t) for i, t in enumerate(lines)),
        source_format="plain",
    )
    t0, c0 = time.perf_counter(), time.process_time()
    found_conv = extract_conversation(conv)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"extract_conversation: {len(lines)} messages, {size_mb / dt:.1f} MB/s wall, "
        f"{size_mb / cpu:.1f} MB/s CPU, {len(found_conv)} indicators"
    )
    # Memory is measured in a separate run: tracemalloc slows Python code several-fold.
    tracemalloc.start()
    extract(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak traced memory of extract(text): {peak / 1e6:.0f} MB "
        f"(the text itself: {sys.getsizeof(text) / 1e6:.0f} MB)"
    )

    sample = lines[:20000]
    t0 = time.process_time()
    n = sum(len(extract(t)) for t in sample)
    dt = time.process_time() - t0
    mb = sum(len(t.encode("utf-8")) + 1 for t in sample) / 1e6
    print(
        f"extract per message (no batching): {len(sample)} messages, {mb / dt:.1f} MB/s CPU, "
        f"{dt / len(sample) * 1e6:.1f} us/message, {n} indicators"
    )


if __name__ == "__main__":
    main()
