"""fastinit.positional: the hot constructors give exactly what the dataclass constructors give,
and anything it cannot build that way gets the class itself."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import pytest

from scamlens.fastinit import positional
from scamlens.indicators.base import new_indicator
from scamlens.ingest.build import new_message
from scamlens.model import Evidence, Indicator, Message, MessageKind
from scamlens.scoring.engine import new_evidence

CASES: list[tuple[Any, type, tuple[Any, ...]]] = [
    (new_message, Message, (3, "Amy", "hi", datetime(2024, 1, 1, tzinfo=UTC), True,
                            MessageKind.MEDIA, ("a.jpg",), 7)),
    (new_indicator, Indicator, ("wallet", "TXa", "TXa ", "wallet.tron", 4, 8, 2, "tron", True,
                                "base58check-ok", {"where": "link_target"})),
    (new_evidence, Evidence, ("first_deposit", "rule:x", 0.75, "send 100", 5, 0, 8, False,
                              "negated in the same sentence")),
]  # fmt: skip


@pytest.mark.parametrize(("make", "cls", "args"), CASES)
def test_positional_equals_the_constructor(make: Any, cls: type, args: tuple[Any, ...]) -> None:
    assert make is not cls  # the fast path is taken for every hot class
    fast, plain = make(*args), cls(*args)
    assert type(fast) is cls and fast == plain and repr(fast) == repr(plain)
    assert hash(fast) == hash(plain)
    assert [getattr(fast, f.name) for f in fields(cls)] == list(args)
    with pytest.raises(AttributeError):
        setattr(fast, fields(cls)[0].name, None)  # frozen like the real thing


def test_call_sites_field_orders_are_pinned() -> None:
    """The hot call sites pass every field positionally: a reordered class must fail here."""
    assert [f.name for f in fields(Message)] == [
        "index", "sender", "text", "timestamp", "is_user", "kind", "attachments", "source_line",
    ]  # fmt: skip
    assert [f.name for f in fields(Evidence)] == [
        "tactic", "source", "score", "quote", "message_index", "start", "end", "counter", "note",
    ]  # fmt: skip


@dataclass(frozen=True)
class _NoSlots:
    a: int


@dataclass(frozen=True, slots=True)
class _Checked:
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


class _Plain:
    def __init__(self, a: int) -> None:
        self.a = a


@pytest.mark.parametrize("cls", [_NoSlots, _Checked, _Plain])
def test_classes_it_cannot_build_get_their_own_constructor(cls: type) -> None:
    assert positional(cls) is cls


def test_a_wrong_number_of_fields_is_refused() -> None:
    make = positional(Evidence)
    with pytest.raises(TypeError):
        make("t", "s", 0.5)
