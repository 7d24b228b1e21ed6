"""Batch scoring of JSONL: streaming, in input order, bounded memory, optionally multi-core.

A bad line never stops the run and is never dropped: it yields an output line with `error`.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scamlens.scoring.engine import Engine, TextResult, default_engine
from scamlens.text.language import language_note

MAX_TEXT_CHARS = 1_000_000  # longer texts are scored on their first million characters


@dataclass(frozen=True, slots=True)
class BatchOptions:
    text_field: str = "text"
    id_field: str = "id"
    batch_size: int = 1024
    with_evidence: bool = True


def result_record(rid: Any, r: TextResult, with_evidence: bool = True) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": rid,
        "kind": "message",
        "risk": r.risk,
        "label": r.label,
        "stage": r.stage.value if r.stage else None,
        "tactics": [{"id": t, "score": s} for t, s in r.tactics],
        "language": r.language,
    }
    if r.language == "other":  # only then: millions of rows would carry a null otherwise
        rec["language_note"] = language_note(r.language)
    if with_evidence:
        rec["evidence"] = [
            {
                "tactic": e.tactic,
                "source": e.source,
                "start": e.start,
                "end": e.end,
                "quote": e.quote,
                "counter": e.counter,
            }
            for e in r.evidence
        ]
    return rec


def score_chunk(engine: Engine, chunk: list[tuple[int, str]], opts: BatchOptions) -> list[str]:
    """Score one chunk of (line number, raw line); returns output lines in the same order."""
    out: list[str | None] = [None] * len(chunk)
    texts: list[str] = []
    slots: list[tuple[int, Any]] = []
    for pos, (lineno, line) in enumerate(chunk):
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            out[pos] = _error(
                lineno,
                None,
                f"invalid JSON: {exc.msg}"
                if isinstance(exc, json.JSONDecodeError)
                else "invalid UTF-8",
            )
            continue
        if not isinstance(rec, dict):
            out[pos] = _error(lineno, None, "each line must be a JSON object")
            continue
        rid = rec.get(opts.id_field, lineno)
        text = rec.get(opts.text_field)
        if not isinstance(text, str):
            out[pos] = _error(lineno, rid, f"field {opts.text_field!r} is missing or not a string")
            continue
        texts.append(text[:MAX_TEXT_CHARS])
        slots.append((pos, rid))
    for (pos, rid), res in zip(slots, engine.score_batch(texts), strict=True):
        out[pos] = json.dumps(result_record(rid, res, opts.with_evidence), ensure_ascii=False)
    return [o for o in out if o is not None]


def _error(lineno: int, rid: Any, message: str) -> str:
    return json.dumps({"id": rid, "line": lineno, "error": message}, ensure_ascii=False)


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        chunk.append((lineno, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER_ENGINE: Engine | None = None


def _init_worker() -> None:
    global _WORKER_ENGINE
    _WORKER_ENGINE = default_engine()


def _work(args: tuple[list[tuple[int, str]], BatchOptions]) -> list[str]:
    assert _WORKER_ENGINE is not None
    return score_chunk(_WORKER_ENGINE, args[0], args[1])


def score_lines(
    lines: Iterable[str],
    opts: BatchOptions,
    *,
    jobs: int = 1,
    engine: Engine | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """Yield one output line per non-empty input line, in input order.

    With jobs > 1, chunks go to worker processes with at most 2*jobs chunks in flight, so
    memory stays bounded however large the input is.
    """
    if jobs <= 1:
        eng = engine or default_engine()
        for chunk in _chunks(lines, opts.batch_size):
            yield from score_chunk(eng, chunk, opts)
            if on_chunk:
                on_chunk(len(chunk))
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        pending: deque[tuple[int, mp.pool.AsyncResult[list[str]]]] = deque()
        for chunk in _chunks(lines, opts.batch_size):
            pending.append((len(chunk), pool.apply_async(_work, ((chunk, opts),))))
            while len(pending) >= 2 * jobs:
                n, res = pending.popleft()
                yield from res.get()
                if on_chunk:
                    on_chunk(n)
        while pending:
            n, res = pending.popleft()
            yield from res.get()
            if on_chunk:
                on_chunk(n)
