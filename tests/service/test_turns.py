"""The analysis gate: one analysis per loop turn, first come first served."""

from __future__ import annotations

import asyncio

import pytest

from scamlens.service.turns import cpu_turn


def test_requests_take_their_turns_in_the_order_they_arrive() -> None:
    async def main() -> list[str]:
        log: list[str] = []
        inside: list[int] = []

        async def request(i: int, then: asyncio.Task[None] | None = None) -> None:
            async with cpu_turn():
                inside.append(i)
                assert len(inside) == 1  # never two analyses at once
                log.append(f"run {i}")
                if i == 0:  # a request read while the first one runs queues behind the others
                    late.append(asyncio.get_running_loop().create_task(request(9)))
                inside.remove(i)

        late: list[asyncio.Task[None]] = []
        first = [asyncio.create_task(request(i)) for i in range(4)]
        await asyncio.gather(*first)
        await asyncio.gather(*late)
        return log

    assert asyncio.run(main()) == ["run 0", "run 1", "run 2", "run 3", "run 9"]


def test_the_turn_is_handed_on_only_after_the_loop_turns() -> None:
    # Two requests read in the same loop turn must not run back to back: the loop gets to read
    # the network in between (a callback scheduled by the first runs before the second).
    async def main() -> list[str]:
        log: list[str] = []
        loop = asyncio.get_running_loop()

        async def request(i: int) -> None:
            async with cpu_turn():
                log.append(f"run {i}")
                loop.call_soon(log.append, f"loop turn after {i}")

        await asyncio.gather(request(0), request(1))
        return log

    log = asyncio.run(main())
    assert log.index("loop turn after 0") < log.index("run 1")


def test_an_error_inside_hands_the_turn_on() -> None:
    async def main() -> str:
        async def failing() -> None:
            async with cpu_turn():
                raise ValueError("bad input")

        with pytest.raises(ValueError):
            await failing()
        async with cpu_turn():
            return "next request served"

    assert asyncio.run(main()) == "next request served"


def test_each_event_loop_has_its_own_gate() -> None:
    async def once() -> bool:
        async with cpu_turn():
            return True

    assert asyncio.run(once()) and asyncio.run(once())
