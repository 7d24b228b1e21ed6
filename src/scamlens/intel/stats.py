"""Counts over the store and over analysed reports: by type/source, by ISO week and year, and
growth year on year. Plain dataclasses; the CLI prints them, `asdict` gives JSON.

Time buckets use first_seen for records and the report date for reports (UTC). Growth for a
year is (count - previous year's count) / previous year's count, None when the previous year
had nothing; the current year is partial, so its growth reads low until the year ends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from .schema import indicators, links, lookalike_targets, sources


@dataclass(frozen=True, slots=True)
class TimeCounts:
    by_week: dict[str, int] = field(default_factory=dict)  # "2026-W09" -> n
    by_year: dict[int, int] = field(default_factory=dict)
    growth_yoy: dict[int, float | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IntelStats:
    total: int
    by_type: dict[str, int]
    by_source: dict[str, int]
    by_action: dict[str, int]
    time: TimeCounts
    expired: int
    links: int
    lookalike_targets: int
    sources: int


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One analysed report as the case store will feed it."""

    date: date | datetime | None
    stage: str | None = None
    platform: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ReportStats:
    total: int
    by_stage: dict[str, int]
    by_platform: dict[str, int]
    by_language: dict[str, int]
    time: TimeCounts
    undated: int


def iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def time_counts(days: Mapping[date, int]) -> TimeCounts:
    """Week and year totals and year-on-year growth from per-day counts."""
    weeks: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for d, n in days.items():
        weeks[iso_week(d)] += n
        years[d.year] += n
    growth: dict[int, float | None] = {}
    if years:
        span = range(min(years), max(years) + 1)
        for y in span:
            prev = years.get(y - 1, 0)
            if y != span.start:
                growth[y] = None if prev == 0 else round((years.get(y, 0) - prev) / prev, 4)
    return TimeCounts(
        by_week=dict(sorted(weeks.items())),
        by_year={y: years.get(y, 0) for y in sorted(years)},
        growth_yoy=growth,
    )


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return _as_date(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def store_stats(engine: sa.Engine, now: datetime) -> IntelStats:
    c = indicators.c
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    with engine.connect() as conn:

        def grouped(col: Any) -> dict[str, int]:
            q = sa.select(col, sa.func.count()).group_by(col).order_by(sa.func.count().desc())
            return {str(k): int(n) for k, n in conn.execute(q)}

        by_type = grouped(c.type)
        by_action = grouped(c.action)
        q = (
            sa.select(sources.c.name, sa.func.count(c.id))
            .select_from(sources.outerjoin(indicators, c.source_id == sources.c.id))
            .group_by(sources.c.name)
            .order_by(sa.func.count(c.id).desc(), sources.c.name)
        )
        by_source = {str(k): int(n) for k, n in conn.execute(q)}
        day = sa.func.date(c.first_seen)
        days: Counter[date] = Counter()
        for d, n in conn.execute(sa.select(day, sa.func.count()).group_by(day)):
            parsed = _as_date(d)
            if parsed is not None:
                days[parsed] += int(n)
        expired = conn.execute(
            sa.select(sa.func.count()).select_from(indicators).where(c.expires <= naive_now)
        ).scalar_one()

        def count(table: sa.Table) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

        return IntelStats(
            total=sum(by_type.values()),
            by_type=by_type,
            by_source=by_source,
            by_action=by_action,
            time=time_counts(days),
            expired=int(expired),
            links=count(links),
            lookalike_targets=count(lookalike_targets),
            sources=count(sources),
        )


def _field(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    return getattr(row, name, None)


def _label(value: Any) -> str:
    if value is None or value == "":
        return "unknown"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def report_stats(rows: Iterable[ReportRow | Mapping[str, Any] | Any]) -> ReportStats:
    """Counts over analysed reports: rows with date, stage, platform and language (objects
    with those attributes or mappings with those keys; missing values count as 'unknown')."""
    stages: Counter[str] = Counter()
    platforms: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    days: Counter[date] = Counter()
    total = undated = 0
    for row in rows:
        total += 1
        stages[_label(_field(row, "stage"))] += 1
        platforms[_label(_field(row, "platform"))] += 1
        languages[_label(_field(row, "language"))] += 1
        d = _as_date(_field(row, "date"))
        if d is None:
            undated += 1
        else:
            days[d] += 1
    return ReportStats(
        total=total,
        by_stage=dict(stages.most_common()),
        by_platform=dict(platforms.most_common()),
        by_language=dict(languages.most_common()),
        time=time_counts(days),
        undated=undated,
    )
