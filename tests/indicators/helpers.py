"""Small helpers shared by the indicator tests."""

from __future__ import annotations

from scamlens.indicators import extract
from scamlens.model import Indicator


def found(text: str, type_: str | None = None, **kw: str | None) -> list[Indicator]:
    """Indicators of `type_` in `text`; every span is checked against the original text."""
    out = extract(text, region=kw.get("region"))
    for ind in out:
        assert text[ind.start : ind.end] == ind.raw, ind
    return [i for i in out if type_ is None or i.type == type_]


def values(text: str, type_: str, region: str | None = None) -> list[str]:
    return [i.value for i in found(text, type_, region=region)]
