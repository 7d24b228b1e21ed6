"""Statistics over the store and over analysed-report rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from scamlens.intel import IntelStore, ReportRow, report_stats
from scamlens.intel.stats import iso_week, time_counts
from scamlens.model import Stage

from .conftest import Clock, fixture


def test_store_stats(store: IntelStore, clock: Clock, tmp_path: Path) -> None:
    store.import_feed(fixture("metamask_small.json"), "metamask")
    path = tmp_path / "dated.csv"
    path.write_text(
        "type,value,first_seen\n"
        "domain,a.example,2024-01-03\n"
        "domain,b.example,2025-02-10\n"
        "domain,c.example,2025-02-11\n"
        "wallet,TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6,2025-06-01\n"
    )
    store.import_feed(path, "csv")
    clock.advance(100)
    s = store.stats()
    assert s.total == 14
    assert s.by_type == {"domain": 13, "wallet": 1}
    assert s.by_source == {"metamask": 10, "csv": 4}
    assert s.by_action == {"block": 10, "allow": 4}
    assert s.time.by_year == {2024: 1, 2025: 3, 2026: 10}
    assert s.time.growth_yoy == {2025: 2.0, 2026: round(7 / 3, 4)}
    assert s.time.by_week["2026-W10"] == 10
    assert s.time.by_week["2025-W07"] == 2
    assert s.expired == 13  # 100 days on, every domain is past its 90 days; the wallet is not
    assert (s.links, s.lookalike_targets, s.sources) == (0, 3, 2)


def test_empty_store_stats(store: IntelStore) -> None:
    s = store.stats()
    assert (s.total, s.by_type, s.time.by_year, s.time.growth_yoy) == (0, {}, {}, {})


def test_report_stats() -> None:
    rows = [
        ReportRow(date(2024, 12, 30), Stage.CONTACT.value, "whatsapp", "en"),
        ReportRow(datetime(2025, 1, 2, 23, 0, tzinfo=UTC), "onboarding", "telegram", "zh"),
        {"date": "2025-01-03", "stage": Stage.ONBOARDING, "platform": "telegram", "language": "en"},
        {"date": None, "stage": None, "platform": "sms"},
    ]
    s = report_stats(rows)
    assert s.total == 4 and s.undated == 1
    assert s.by_stage == {"onboarding": 2, "contact": 1, "unknown": 1}
    assert s.by_platform == {"telegram": 2, "whatsapp": 1, "sms": 1}
    assert s.by_language == {"en": 2, "zh": 1, "unknown": 1}
    assert s.time.by_year == {2024: 1, 2025: 2}
    assert s.time.growth_yoy == {2025: 1.0}
    assert s.time.by_week == {"2025-W01": 3}  # 2024-12-30 is in ISO week 2025-W01


def test_growth_gap_years() -> None:
    t = time_counts({date(2020, 1, 1): 4, date(2022, 1, 1): 2})
    assert t.by_year == {2020: 4, 2022: 2}
    assert t.growth_yoy == {2021: -1.0, 2022: None}


@given(st.dictionaries(st.dates(min_value=date(1990, 1, 1)), st.integers(0, 1000), max_size=50))
def test_time_counts_add_up(days: dict[date, int]) -> None:
    t = time_counts(days)
    assert sum(t.by_week.values()) == sum(t.by_year.values()) == sum(days.values())
    assert all(iso_week(d) in t.by_week for d in days)
