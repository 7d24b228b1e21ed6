"""Large requests are analysed in a thread, one at a time, while the loop serves the others."""

from __future__ import annotations

import asyncio
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scamlens.api import load_chat
from scamlens.model import Conversation, Message
from scamlens.report.jsonout import conversation_result
from scamlens.service import core, turns
from scamlens.service.fastbody import MessageRow

from .test_api import EXAMPLE


def _conv(title: str, chars: int) -> Conversation:
    """A conversation of `chars` characters of text, in 1,000-character messages."""
    n, rest = divmod(chars, 1000)
    sizes = [1000] * n + ([rest] if rest else [])
    msgs = tuple(Message(i, "Lena", "x" * size) for i, size in enumerate(sizes))
    return Conversation(messages=msgs, source_format="plain", title=title)


def test_is_large_counts_message_text() -> None:
    assert not turns.is_large([_conv("a", turns.LARGE_CHARS)])
    assert turns.is_large([_conv("a", turns.LARGE_CHARS + 1)])
    half = turns.LARGE_CHARS // 2 + 1
    assert turns.is_large([_conv("a", half), _conv("b", half)])  # a request's chats together
    assert not turns.is_large([])


@dataclass
class _SlowEngine:
    """Takes `delay` seconds on large batches; records what ran, where, and when."""

    delay: float
    log: list[tuple[str, str, float, float]] = field(default_factory=list)  # title, thread, t0, t1

    def analyze_many(self, convs: Sequence[Conversation], langs: Sequence[str]) -> list[str]:
        t0 = time.monotonic()
        if turns.is_large(list(convs)):
            time.sleep(self.delay)
        if any(c.title == "bad" for c in convs):
            raise ValueError("the core failed on this input")
        thread = "loop" if threading.current_thread() is threading.main_thread() else "thread"
        self.log += [(str(c.title), thread, t0, time.monotonic()) for c in convs]
        return [f"{c.title}:{lang}" for c, lang in zip(convs, langs, strict=True)]


def test_a_small_request_is_not_held_behind_a_large_one() -> None:
    big = _conv("big", turns.LARGE_CHARS + 1)

    async def main(engine: _SlowEngine) -> list[str]:
        done: list[str] = []

        async def run(conv: Conversation) -> None:
            await turns.analyze_batched(engine, [conv], "en")  # type: ignore[arg-type]
            done.append(str(conv.title))

        large = asyncio.ensure_future(run(big))
        await asyncio.sleep(0.05)  # the large analysis is under way
        await run(_conv("small", 100))
        await large
        return done

    engine = _SlowEngine(delay=1.0)
    assert asyncio.run(main(engine)) == ["small", "big"]
    where = {title: thread for title, thread, _, _ in engine.log}
    assert where == {"big": "thread", "small": "loop"}


def test_large_requests_run_one_at_a_time_in_arrival_order() -> None:
    async def main(engine: _SlowEngine) -> list[list[str]]:
        jobs = [
            turns.analyze_batched(engine, [_conv(t, turns.LARGE_CHARS + 1)], "en")  # type: ignore[arg-type]
            for t in ("one", "two", "three")
        ]
        return await asyncio.gather(*jobs)

    engine = _SlowEngine(delay=0.2)
    assert asyncio.run(main(engine)) == [["one:en"], ["two:en"], ["three:en"]]
    assert [t for t, *_ in engine.log] == ["one", "two", "three"]
    spans = [(t0, t1) for _, _, t0, t1 in engine.log]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))  # no overlap


def test_a_large_request_whose_client_left_never_overlaps_the_next() -> None:
    """Running: it keeps the thread until it ends. Queued: it is dropped."""

    async def main(engine: _SlowEngine) -> list[str]:
        def start(title: str) -> asyncio.Future[list[str]]:
            conv = _conv(title, turns.LARGE_CHARS + 1)
            return asyncio.ensure_future(turns.analyze_batched(engine, [conv], "en"))  # type: ignore[arg-type]

        running, queued = start("left-running"), start("left-queued")
        await asyncio.sleep(0.1)
        running.cancel()
        queued.cancel()
        assert await start("next") == ["next:en"]
        return [t for t, *_ in engine.log]

    engine = _SlowEngine(delay=0.5)
    assert asyncio.run(main(engine)) == ["left-running", "next"]
    (_, _, _, end), (_, _, start, _) = engine.log
    assert end <= start


def test_a_large_request_gets_its_error_and_the_next_runs() -> None:
    async def main(engine: _SlowEngine) -> list[object]:
        jobs = [
            turns.analyze_batched(engine, [_conv(t, turns.LARGE_CHARS + 1)], "en")  # type: ignore[arg-type]
            for t in ("bad", "good")
        ]
        return await asyncio.gather(*jobs, return_exceptions=True)

    bad, good = asyncio.run(main(_SlowEngine(delay=0.0)))
    assert isinstance(bad, ValueError) and good == ["good:en"]


def _example_long() -> bytes:
    """The example export repeated until its text is over LARGE_CHARS."""
    data = EXAMPLE.read_bytes()
    chars = sum(len(m.text) for m in load_chat(EXAMPLE, me="Rachel Owens").messages)
    return b"\n".join([data] * (turns.LARGE_CHARS // chars + 1))


@pytest.mark.parametrize("route", ["analyze", "upload"])
def test_large_requests_get_the_engines_own_verdict(client: TestClient, route: str) -> None:
    """Through the thread, the verdict is the one the engine gives the same chat directly."""
    opts = core.options(20 * 1024 * 1024)
    data = _example_long()
    [conv] = core.from_upload(data, None, "Rachel Owens", opts)
    if route == "upload":
        r = client.post(
            "/api/v1/analyze/upload",
            files={"file": ("chat.txt", data, "text/plain")},
            data={"me": "Rachel Owens"},
        )
    else:
        rows: list[dict[str, Any]] = [
            {"sender": m.sender, "text": m.text} for m in conv.messages if m.sender
        ]
        r = client.post("/api/v1/analyze", json={"messages": rows, "me": "Rachel Owens"})
        conv = core.from_rows([MessageRow(**r) for r in rows], "Rachel Owens", opts, 0)
    assert r.status_code == 200, r.text
    assert turns.is_large([conv])
    engine = client.app.state.engine  # type: ignore[attr-defined]
    [result] = r.json()["results"]
    expected = conversation_result(conv, engine.analyze(conv), core.DOC_PATH)
    assert result["verdict"] == expected["verdict"]
    assert result["verdict"]["label"] == "scam"


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextmanager
def _recorded(client: TestClient, where: Callable[[], Any]) -> Iterator[list[Any]]:
    """`where()` at each call of the engine's analyze_many, while the block runs."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    seen: list[Any] = []
    analyze_many = engine.analyze_many

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(where())
        return analyze_many(*args, **kwargs)

    engine.analyze_many = recorded
    try:
        yield seen
    finally:
        del engine.analyze_many


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("route", ["analyze-text", "analyze-messages", "upload", "upload-zip"])
def test_routes_send_large_work_off_the_loop(client: TestClient, route: str, size: str) -> None:
    data = _example_long() if size == "large" else EXAMPLE.read_bytes()
    with _recorded(client, _on_loop) as seen:
        if route.startswith("upload"):
            if route == "upload-zip":  # small on the wire, large inside
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr("WhatsApp Chat with Daniel.txt", data)
                data = buf.getvalue()
                assert len(data) < turns.LARGE_CHARS
            files = {"file": ("chat.zip" if route == "upload-zip" else "chat.txt", data)}
            r = client.post("/api/v1/analyze/upload", files=files, data={"me": "Rachel Owens"})
        elif route == "analyze-text":
            r = client.post("/api/v1/analyze", json={"text": data.decode(), "me": "Rachel Owens"})
        else:
            [conv] = core.from_upload(data, None, "Rachel Owens", core.options(1 << 25))
            rows = [{"sender": m.sender, "text": m.text} for m in conv.messages if m.sender]
            r = client.post("/api/v1/analyze", json={"messages": rows, "me": "Rachel Owens"})
    assert r.status_code == 200, r.text
    assert seen == [size == "small"]


def test_a_large_body_that_fails_gets_the_same_error_as_a_small_one(client: TestClient) -> None:
    small = client.post("/api/v1/analyze", json={"text": "\n\n\n"})
    large = client.post("/api/v1/analyze", json={"text": "\n" * (turns.LARGE_CHARS + 1)})
    assert small.status_code == large.status_code == 422
    assert small.json() == large.json()


def _where() -> str:
    """Where the analysis runs: the event loop, the thread of large work, or another thread
    (the pool of a synchronous route)."""
    if _on_loop():
        return "loop"
    return "large" if threading.current_thread().name.startswith("scamlens-large") else "pool"


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("shape", ["text", "messages"])
def test_cases_send_large_work_off_the_loop(client: TestClient, shape: str, size: str) -> None:
    """POST /cases analyses as /analyze does: small on the loop, large in the large thread."""
    data = _example_long() if size == "large" else EXAMPLE.read_bytes()
    if shape == "text":
        body: dict[str, Any] = {"text": data.decode(), "me": "Rachel Owens"}
    else:
        [conv] = core.from_upload(data, None, "Rachel Owens", core.options(1 << 25))
        rows = [{"sender": m.sender, "text": m.text} for m in conv.messages if m.sender]
        body = {"messages": rows, "me": "Rachel Owens"}
    with _recorded(client, _where) as seen:
        r = client.post("/api/v1/cases", json=body | {"title": "t"})
    assert r.status_code == 201, r.text
    assert seen == ["loop" if size == "small" else "large"]
    case = client.get(f"/api/v1/cases/{r.json()['case_ids'][0]}").json()
    assert case["label"] == "scam" and case == {k: v for k, v in r.json().items() if k in case}


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("how", ["file", "text"])
def test_web_upload_sends_large_work_to_the_large_thread(
    client: TestClient, how: str, size: str
) -> None:
    """The web form's route is synchronous (the pool): a large chat is parsed and analysed in
    the thread of large work, one at a time with the API's large requests."""
    from tests.web.conftest import csrf_of

    data = _example_long() if size == "large" else EXAMPLE.read_bytes()
    token = csrf_of(client.get("/upload").text)
    form = {"csrf_token": token, "me": "Rachel Owens", "title": "t"}
    files = None
    if how == "file":
        files = {"file": ("chat.txt", data, "text/plain")}
    else:
        form["text"] = data.decode()
    with _recorded(client, _where) as seen:
        r = client.post("/upload", data=form, files=files, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    assert seen == ["pool" if size == "small" else "large"]
