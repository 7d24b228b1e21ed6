"""Import speed and memory for generated exports (prints figures, asserts nothing): a
WhatsApp .txt, and a Telegram Desktop HTML export folder (messages.html, messages2.html...).

python bench/bench_ingest.py [--mb 50] [--messages 10000] [--html-messages 100000]
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from scamlens.ingest import load_chats

_LINES = (
    "Good morning dear ☀️ did you sleep well?",
    "My uncle is an analyst at a hedge fund, he showed me a platform with steady returns",
    "I made 4,300 USDT this week, look at the screenshot",
    "You only need to deposit 1000 USDT to start, I will guide you step by step",
    "早上好，今天平台有活动，充值一万送两千",
    "<Media omitted>",
    "Withdrawals need a 20% tax first, then the funds are released",
)


def write_export(path: Path, *, target_bytes: int = 0, messages: int = 0) -> int:
    """A realistic Android WhatsApp export; returns the number of messages written."""
    rnd = random.Random(7)
    n = 0
    size = 0
    day, minute = 0, 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("1/1/23, 9:00\u202fAM - Messages and calls are end-to-end encrypted.\n")
        while (target_bytes and size < target_bytes) or (messages and n < messages):
            minute += rnd.randint(1, 9)
            if minute >= 24 * 60:
                minute -= 24 * 60
                day += 1
            month, dom = 1 + (day // 28) % 12, 1 + day % 28
            year = 23 + day // 336
            hour, mins = divmod(minute, 60)
            ap = "AM" if hour < 12 else "PM"
            h12 = hour % 12 or 12
            who = "Jason Lee" if rnd.random() < 0.6 else "Emily Carter"
            text = rnd.choice(_LINES)
            if rnd.random() < 0.1:
                text += "\n" + rnd.choice(_LINES)
            line = f"{month}/{dom}/{year}, {h12}:{mins:02d}\u202f{ap} - {who}: {text}\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    return n


_ROW = """
     <div class="message default clearfix{joined}" id="message{id}">
{userpic}
      <div class="body">

       <div class="pull_right date details" title="{title}">
{hhmm}
       </div>
{name}
       <div class="text">
{text}
       </div>

      </div>

     </div>
"""
_USERPIC = """
      <div class="pull_left userpic_wrap">

       <div class="userpic userpic2" style="width: 42px; height: 42px">

        <div class="initials" style="line-height: 42px">
JL
        </div>

       </div>

      </div>
"""


def write_telegram_html(folder: Path, messages: int) -> int:
    """A Telegram Desktop HTML export folder in tdesktop's layout, 1,000 messages a file."""
    rnd = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    head = ('<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n'
            "<title>Exported Data</title>\n </head>\n\n <body>\n\n  <div class=\"page_wrap\">\n"
            '\n   <div class="page_header">\n\n    <div class="content">\n\n'
            '     <div class="text bold">\nJason Lee\n     </div>\n\n    </div>\n\n   </div>\n'
            '\n   <div class="page_body chat_page">\n\n    <div class="history">\n')  # fmt: skip
    tail = "\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n\n</html>\n"
    minute = 0
    prev = None
    for part in range((messages + 999) // 1000):
        name = "messages.html" if part == 0 else f"messages{part + 1}.html"
        rows = [head]
        for i in range(part * 1000, min(messages, (part + 1) * 1000)):
            minute += rnd.randint(1, 9)
            day, rest = divmod(minute, 24 * 60)
            hour, mins = divmod(rest, 60)
            date = f"{1 + day % 28:02d}.{1 + (day // 28) % 12:02d}.{2023 + day // 336}"
            who = "Jason Lee" if rnd.random() < 0.6 else "Emily Carter"
            joined = who == prev and i % 1000 != 0
            text = rnd.choice(_LINES).replace("&", "&amp;").replace("<", "&lt;")
            rows.append(_ROW.format(
                joined=" joined" if joined else "", id=i + 1, hhmm=f"{hour:02d}:{mins:02d}",
                title=f"{date} {hour:02d}:{mins:02d}:00 UTC+08:00",
                userpic="" if joined else _USERPIC,
                name="" if joined else f'\n       <div class="from_name">\n{who}\n       </div>\n',
                text=text,
            ))  # fmt: skip
            prev = who
        rows.append(tail)
        (folder / name).write_text("".join(rows), encoding="utf-8")
    return messages


def measure(path: Path) -> tuple[float, int, int, int]:
    """(seconds, peak bytes, bytes still held by the result, messages) under tracemalloc."""
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    chats = load_chats(path)
    elapsed = time.perf_counter() - t0
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak, retained, len(chats[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="size of the large export")
    ap.add_argument("--messages", type=int, default=10_000, help="messages in the small export")
    ap.add_argument("--mem-mb", type=float, default=10.0, help="size traced for memory (slow)")
    ap.add_argument("--html-messages", type=int, default=100_000,
                    help="messages in the Telegram HTML export (0: skip)")  # fmt: skip
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.html_messages:
            bench_html(Path(tmp), args.html_messages)
        small = Path(tmp) / "small.txt"
        write_export(small, messages=args.messages)
        t0 = time.perf_counter()
        n = len(load_chats(small)[0])
        print(f"{n:,} messages ({small.stat().st_size / 1e6:.2f} MB): "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")  # fmt: skip

        big = Path(tmp) / "big.txt"
        write_export(big, target_bytes=int(args.mb * 1e6))
        size = big.stat().st_size
        t0 = time.perf_counter()
        n = len(load_chats(big)[0])
        elapsed = time.perf_counter() - t0
        print(f"{n:,} messages ({size / 1e6:.1f} MB): {elapsed:.2f} s, "
              f"{size / 1e6 / elapsed:.1f} MB/s")  # fmt: skip
        traced = Path(tmp) / "traced.txt"
        write_export(traced, target_bytes=int(args.mem_mb * 1e6))
        size = traced.stat().st_size
        elapsed, peak, retained, n = measure(traced)
        extra = (peak - retained) / 1e6
        print(f"{n:,} messages ({size / 1e6:.1f} MB) traced: peak {peak / 1e6:.1f} MB, "
              f"result {retained / 1e6:.1f} MB, parse overhead {extra:.2f} MB")  # fmt: skip


def bench_html(tmp: Path, messages: int) -> None:
    folder = tmp / "ChatExport_2024-01-05"
    write_telegram_html(folder, messages)
    size = sum(p.stat().st_size for p in folder.glob("messages*.html"))
    files = len(list(folder.glob("messages*.html")))
    t0 = time.perf_counter()
    n = len(load_chats(folder)[0])
    elapsed = time.perf_counter() - t0
    rate = f"{n / elapsed:,.0f} messages/s, {size / 1e6 / elapsed:.1f} MB/s"
    print(f"telegram-html: {n:,} messages in {files} files ({size / 1e6:.1f} MB): "
          f"{elapsed:.2f} s, {rate}")  # fmt: skip
    traced = tmp / "traced"
    write_telegram_html(traced, min(messages, 20_000))
    size = sum(p.stat().st_size for p in traced.glob("messages*.html"))
    elapsed, peak, retained, n = measure(traced)
    extra = (peak - retained) / 1e6
    print(f"telegram-html: {n:,} messages ({size / 1e6:.1f} MB) traced: peak "
          f"{peak / 1e6:.1f} MB, result {retained / 1e6:.1f} MB, "
          f"parse overhead {extra:.2f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
