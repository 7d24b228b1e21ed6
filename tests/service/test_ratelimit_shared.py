"""The rate-limit table the workers of `serve --workers N` share: one set of buckets across
processes, same refill rule as the in-memory limiter, no raw keys on disk."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from scamlens.errors import ScamlensError
from scamlens.service.ratelimit import SharedRateLimiter, shared_supported

pytestmark = pytest.mark.skipif(not shared_supported(), reason="needs fcntl.flock")


def _table(tmp_path: Path, slots: int = 64) -> Path:
    path = tmp_path / "rl.bin"
    SharedRateLimiter.create(path, slots)
    return path


def test_two_limiters_on_one_table_share_the_buckets(tmp_path: Path) -> None:
    path = _table(tmp_path)
    now = [100.0]
    a = SharedRateLimiter(path, 60, clock=lambda: now[0])
    b = SharedRateLimiter(path, 60, clock=lambda: now[0])
    allowed = [(a if i % 2 else b).take("key:alice") == 0.0 for i in range(80)]
    assert sum(allowed) == 60 and all(allowed[:60]) and not any(allowed[60:])
    assert a.take("key:alice") == pytest.approx(1.0)  # one token a second at 60/min
    now[0] += 1.0
    assert b.take("key:alice") == 0.0 and a.take("key:alice") > 0
    assert a.take("key:bob") == 0.0  # other keys keep their own bucket
    a.close()
    b.close()


def test_same_refill_rule_as_the_in_memory_limiter(tmp_path: Path) -> None:
    from scamlens.service.ratelimit import RateLimiter

    now = [5.0]
    shared = SharedRateLimiter(_table(tmp_path), 30, clock=lambda: now[0])
    local = RateLimiter(30, clock=lambda: now[0])
    for step in [0.0] * 35 + [0.5, 1.0, 2.0, 0.1, 7.0, 60.0] + [0.0] * 40:
        now[0] += step
        assert shared.take("k") == pytest.approx(local.take("k"))
    shared.close()


def test_full_table_evicts_the_stalest_slot(tmp_path: Path) -> None:
    now = [0.0]
    rl = SharedRateLimiter(_table(tmp_path, slots=4), 1, clock=lambda: now[0])
    for i in range(4):
        now[0] += 1.0
        assert rl.take(f"k{i}") == 0.0
    now[0] += 1.0
    assert rl.take("k4") == 0.0  # took k0's slot (the stalest)
    assert rl.take("k3") > 0  # still remembered: its single token is spent
    assert rl.take("k0") == 0.0  # forgotten: a new, full bucket
    rl.close()


def test_no_key_or_address_is_written(tmp_path: Path) -> None:
    path = _table(tmp_path)
    rl = SharedRateLimiter(path, 10)
    rl.take("ip:203.0.113.9")
    rl.take("key:alice")
    raw = path.read_bytes()
    assert b"203.0.113.9" not in raw and b"alice" not in raw
    rl.close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_not_a_table_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a table at all, just some bytes" * 4)
    with pytest.raises(ScamlensError, match="not a scamlens rate-limit table"):
        SharedRateLimiter(bad, 10)
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(ScamlensError, match="not a scamlens rate-limit table"):
        SharedRateLimiter(empty, 10)


def _hammer(path: str, n: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    rl = SharedRateLimiter(path, 60)
    out.put(sum(rl.take("key:shared") == 0.0 for _ in range(n)))
    rl.close()


def test_processes_hammering_one_key_get_one_bucket(tmp_path: Path) -> None:
    path = str(_table(tmp_path))
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_hammer, args=(path, 200, out)) for _ in range(3)]
    for p in procs:
        p.start()
    total = sum(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
    # 60 tokens, plus one a second refilled while the three processes start and run
    assert 60 <= total <= 60 + 15
