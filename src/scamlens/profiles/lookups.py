"""Indicators in an item's fields (links, handles, phones, wallets) and intelligence-store hits.

Extraction uses scamlens.indicators when it is installed; lookups go to anything with the
IntelStore `check` method (scamlens.intel.IntelStore, or a stub in tests).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from scamlens.model import Evidence, Indicator, IntelHit
from scamlens.profiles.model import Signal

HIT_BASE = 0.5
HIT_SPAN = 0.45  # score = HIT_BASE + HIT_SPAN * confidence (0.5 .. 0.95)
ALLOW_SCORE = 0.3


class IntelLookup(Protocol):
    def check(self, items: Iterable[Indicator]) -> Mapping[tuple[str, str], Sequence[IntelHit]]:
        """Hits per (type, value) for the given indicators."""
        ...


@dataclass(frozen=True, slots=True)
class FieldIndicator:
    field: str
    text: str  # the field's text (spans of `indicator` point into it)
    indicator: Indicator


def _extractor() -> Any | None:
    try:
        module: Any = importlib.import_module("scamlens.indicators")
    except ImportError:
        return None
    return getattr(module, "extract", None)


def field_indicators(fields: Iterable[tuple[str, str, str | None]]) -> list[FieldIndicator]:
    """Indicators in each (field name, text, platform). A platform (from a contacts map) is
    given to the extractor as a label ("telegram: name") and the span shifted back."""
    extract = _extractor()
    if extract is None:
        return []
    out: list[FieldIndicator] = []
    for name, text, platform in fields:
        if not text:
            continue
        prefix = f"{platform}: " if platform else ""
        found: list[Indicator] = list(extract(prefix + text))
        for ind in found:
            start = max(0, ind.start - len(prefix))
            end = max(start, ind.end - len(prefix))
            if ind.end <= len(prefix):
                continue  # the label itself, not the value
            out.append(FieldIndicator(name, text, replace(ind, start=start, end=end)))
    return out


def phones(found: Iterable[FieldIndicator]) -> list[tuple[str, FieldIndicator]]:
    """(E.164 number, where) of phone numbers and number-based handles (wa.me/1415...)."""
    out = []
    for fi in found:
        value = fi.indicator.value
        if fi.indicator.type == "phone" or (
            fi.indicator.type == "handle" and value.startswith("+")
        ):
            out.append((value, fi))
    return out


def intel_signals(
    found: Sequence[FieldIndicator], intel: IntelLookup | None
) -> tuple[list[Signal], list[IntelHit]]:
    """A signal for indicators the store lists, a counter signal for allow-listed ones."""
    if intel is None or not found:
        return [], []
    results = intel.check([fi.indicator for fi in found])
    bad: list[Evidence] = []
    good: list[Evidence] = []
    hits_out: list[IntelHit] = []
    for fi in found:
        hits = results.get((fi.indicator.type, fi.indicator.value), ())
        for hit in hits:
            hits_out.append(hit)
            quote = fi.text[fi.indicator.start : fi.indicator.end]
            score = ALLOW_SCORE if hit.allowlisted else HIT_BASE + HIT_SPAN * hit.confidence
            ev = Evidence(
                tactic="intel_allowlisted" if hit.allowlisted else "intel_hit",
                source=f"intel:{hit.source}",
                score=round(min(score, 0.95), 4),
                quote=quote,
                start=fi.indicator.start,
                end=fi.indicator.end,
                counter=hit.allowlisted,
                note=fi.field,
            )
            (good if hit.allowlisted else bad).append(ev)
    signals = []
    if bad:
        bad.sort(key=lambda e: -e.score)
        signals.append(
            Signal(
                "intel_hit",
                "Link or handle listed in the intelligence store",
                bad[0].score,
                tuple(bad),
            )
        )
    if good:
        signals.append(
            Signal(
                "intel_allowlisted",
                "Link or handle on an allow-list",
                ALLOW_SCORE,
                tuple(good),
                counter=True,
            )
        )
    return signals, hits_out


def open_store(db: str | None = None) -> IntelLookup | None:
    """The intelligence store at `db` (default location), or None when not installed."""
    try:
        module: Any = importlib.import_module("scamlens.intel")
    except ImportError:
        return None
    store: IntelLookup = module.IntelStore.open(db)
    return store
