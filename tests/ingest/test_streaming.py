"""Large text exports are streamed: memory follows what is kept, not the file size."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from scamlens.ingest import ImportOptions, load_chat

MB = 1_000_000


def _write(path: Path, target: int, lines_per_message: int) -> int:
    """An Android export of multi-line messages, about `target` bytes; returns the size."""
    body = "\n".join(
        f"line {i} of a long pitch about USDT staking returns and VIP tiers, keep reading"
        for i in range(lines_per_message)
    )
    size = 0
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        while size < target:
            day = 1 + n % 28
            who = "Jason Lee" if n % 3 else "Emily Carter"
            chunk = f"1/{day}/24, 9:{n % 60:02d}\u202fPM - {who}: {n}\n{body}\n"
            fh.write(chunk)
            size += len(chunk.encode("utf-8"))
            n += 1
    return size


def _traced(path: Path, options: ImportOptions) -> tuple[int, int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        conv = load_chat(path, options=options)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return len(conv), current, peak


def test_50mb_export_with_capped_messages_stays_small(tmp_path: Path) -> None:
    """The whole file passes through, little of it is kept: peak stays far below its size."""
    path = tmp_path / "big.txt"
    size = _write(path, 50 * MB, lines_per_message=250)
    n, _, peak = _traced(path, ImportOptions(max_message_chars=500))
    assert n > 2000
    assert peak < size / 10, f"peak {peak / MB:.1f} MB for a {size / MB:.1f} MB file"


def test_large_export_working_memory_is_bounded(tmp_path: Path) -> None:
    """Everything is kept: what the parse needs on top of its result stays small."""
    path = tmp_path / "big.txt"
    size = _write(path, 20 * MB, lines_per_message=25)
    n, retained, peak = _traced(path, ImportOptions())
    assert n > 5000
    working = peak - retained
    assert working < size / 5, f"{working / MB:.1f} MB over the result for {size / MB:.1f} MB"
