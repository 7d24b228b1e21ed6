"""/analyze requests that queue together are analysed as one batch, each answered as alone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scamlens.model import Conversation, Message
from scamlens.service import turns

from .test_api import BENIGN_MESSAGES, MESSAGES, SCAM

BODIES: list[dict[str, Any]] = [
    {"messages": MESSAGES, "me": "Rachel"},
    {"messages": BENIGN_MESSAGES, "me": "Rachel"},
    {"text": SCAM},
    {"messages": MESSAGES, "me": "Rachel", "lang": "zh"},
    {"text": "Daniel: 你好，我叔叔在交易所工作，稳赚不赔\nRachel: 真的吗？"},
    {"messages": [{"sender": "Me", "text": "   "}], "me": "Me"},
]


def test_concurrent_requests_are_batched_and_answered_as_alone(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    alone = [client.post("/api/v1/analyze", json=b).json()["results"] for b in BODIES]
    sizes: list[int] = []
    analyze_many = engine.analyze_many

    def counted(convs: Sequence[Conversation], langs: Sequence[str] | None = None) -> Any:
        sizes.append(len(convs))
        return analyze_many(convs, langs)

    engine.analyze_many = counted
    try:
        with ThreadPoolExecutor(len(BODIES)) as pool:
            for _ in range(20):  # until some requests meet in one loop turn
                got = list(pool.map(lambda b: client.post("/api/v1/analyze", json=b), BODIES * 3))
                assert [r.status_code for r in got] == [200] * len(got)
                assert [r.json()["results"] for r in got] == alone * 3
                if max(sizes) > 1:
                    break
    finally:
        del engine.analyze_many
    assert max(sizes) > 1


@dataclass
class _Engine:
    """Fails on any batch holding a conversation titled "bad" (an input the core chokes on)."""

    calls: list[list[str | None]]

    def analyze_many(self, convs: Sequence[Conversation], langs: Sequence[str]) -> list[str]:
        titles = [c.title for c in convs]
        self.calls.append(titles)
        if "bad" in titles:
            raise ValueError("the core failed on this input")
        return [f"{c.title}:{lang}" for c, lang in zip(convs, langs, strict=True)]


def _conv(title: str) -> Conversation:
    return Conversation(messages=(), source_format="plain", title=title)


def test_a_failing_request_gets_its_error_and_the_others_their_answers() -> None:
    async def main() -> tuple[list[Any], list[list[str | None]]]:
        engine = _Engine([])
        jobs = [
            turns.analyze_batched(engine, [_conv(t)], "auto")  # type: ignore[arg-type]
            for t in ("a", "bad", "c")
        ]
        return await asyncio.gather(*jobs, return_exceptions=True), engine.calls

    results, calls = asyncio.run(main())
    assert results[0] == ["a:auto"] and results[2] == ["c:auto"]
    assert isinstance(results[1], ValueError)
    assert calls[0] == ["a", "bad", "c"]  # one batch first, then each alone
    assert sorted(calls[1:]) == [["a"], ["bad"], ["c"]]


def test_a_request_whose_client_left_is_skipped() -> None:
    async def main() -> list[list[str | None]]:
        engine = _Engine([])
        gone = asyncio.ensure_future(turns.analyze_batched(engine, [_conv("gone")], "en"))  # type: ignore[arg-type]
        kept = asyncio.ensure_future(turns.analyze_batched(engine, [_conv("kept")], "en"))  # type: ignore[arg-type]
        await asyncio.sleep(0)  # both queued
        gone.cancel()
        assert await kept == ["kept:en"]
        with pytest.raises(asyncio.CancelledError):
            await gone
        return engine.calls

    assert asyncio.run(main()) == [["kept"]]


def test_batches_hold_at_most_max_batch_requests_in_arrival_order() -> None:
    async def main() -> list[list[str | None]]:
        engine = _Engine([])
        jobs = [
            turns.analyze_batched(engine, [_conv(str(i))], "auto")  # type: ignore[arg-type]
            for i in range(turns.MAX_BATCH + 3)
        ]
        await asyncio.gather(*jobs)
        return engine.calls

    calls = asyncio.run(main())
    assert [len(c) for c in calls] == [turns.MAX_BATCH, 3]
    assert [t for c in calls for t in c] == [str(i) for i in range(turns.MAX_BATCH + 3)]


def test_requests_the_loop_has_read_join_the_batch_about_to_start() -> None:
    """Under load the first request back from the last batch used to run alone: the others
    were read a loop turn later and took their step to the queue the turn after. A batch now
    waits for what the loop has already read; at low load that costs two empty turns."""

    async def main() -> list[list[str | None]]:
        engine = _Engine([])

        async def read_later(title: str, turns_away: int) -> Any:
            for _ in range(turns_away):  # a poll for its bytes, a step of its task...
                await asyncio.sleep(0)
            return await turns.analyze_batched(engine, [_conv(title)], "en")  # type: ignore[arg-type]

        await asyncio.gather(
            turns.analyze_batched(engine, [_conv("first")], "en"),  # type: ignore[arg-type]
            read_later("one", 2),
            read_later("two", 4),
        )
        alone = await turns.analyze_batched(engine, [_conv("alone")], "en")  # type: ignore[arg-type]
        assert alone == ["alone:en"]
        return engine.calls

    assert asyncio.run(main()) == [["first", "one", "two"], ["alone"]]


class _Abort(BaseException):
    """Not an Exception: escapes the per-request fallback, as a cancelled runner would."""


def test_a_batch_cut_off_answers_every_request_it_held() -> None:
    class Aborting(_Engine):
        def analyze_many(self, convs: Sequence[Conversation], langs: Sequence[str]) -> list[str]:
            raise _Abort

    async def main() -> list[Any]:
        engine = Aborting([])
        jobs = [
            asyncio.ensure_future(turns.analyze_batched(engine, [_conv(t)], "en"))  # type: ignore[arg-type]
            for t in ("a", "b")
        ]
        await asyncio.sleep(0)
        with pytest.raises(_Abort):  # the runner dies; both requests still get an answer
            await asyncio.gather(*list(turns._tasks))
        # (without the answer they would wait for ever: bounded here)
        return await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), 10)

    results = asyncio.run(main())
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]


def test_batches_are_cut_by_messages_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(turns, "MAX_BATCH_MESSAGES", 5)

    def conv(title: str, n: int) -> Conversation:
        msgs = tuple(Message(i, "Lena", "hi") for i in range(n))
        return Conversation(messages=msgs, source_format="plain", title=title)

    async def main() -> list[list[str | None]]:
        engine = _Engine([])
        sizes = {"a": 2, "b": 3, "c": 1, "big": 9, "d": 1}
        jobs = [
            turns.analyze_batched(engine, [conv(t, n)], "auto")  # type: ignore[arg-type]
            for t, n in sizes.items()
        ]
        await asyncio.gather(*jobs)
        return engine.calls

    # 2 + 3 fit in 5; "c" starts the next; a request over the cap is a batch of its own
    assert asyncio.run(main()) == [["a", "b"], ["c"], ["big"], ["d"]]
