"""Small helpers shared by the indicator tests."""

from __future__ import annotations

from scamlens.indicators import extract
from scamlens.indicators.amounts import find_amounts
from scamlens.model import Indicator


def found(text: str, type_: str | None = None, **kw: str | None) -> list[Indicator]:
    """Indicators of `type_` in `text`; every span is checked against the original text."""
    out = extract(text, region=kw.get("region"))
    for ind in out:
        assert text[ind.start : ind.end] == ind.raw, ind
    return [i for i in out if type_ is None or i.type == type_]


def values(text: str, type_: str, region: str | None = None) -> list[str]:
    return [i.value for i in found(text, type_, region=region)]


def amounts_read(text: str, region: str | None = None) -> list[tuple[str, str]]:
    """(value, raw) of every amount extract() finds in `text`; find_amounts must agree and
    attrs["amount"] must be the value's number."""
    got = found(text, "amount", region=region)
    for i in got:
        assert i.attrs["amount"] == i.value.split(" ")[0]
    pairs = [(i.value, i.raw) for i in got]
    direct = [(a.value, text[a.start : a.end]) for a in find_amounts(text)]
    assert pairs == direct, text
    return pairs
