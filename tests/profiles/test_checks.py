"""The named checks: conflicting roles, location vs phone region, new wealthy account, the
gazetteer, and pay parsing (with a property test: any text parses without error)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.model import Evidence
from scamlens.profiles.claims import (
    PhoneSeen,
    conflicting_roles,
    find_roles,
    location_phone_mismatch,
    messenger_contact_listed,
    new_account_wealth,
    phone_region,
    roles_conflict,
)
from scamlens.profiles.pay import find_pay, salary_field_monthly_usd
from scamlens.profiles.places import countries_in, country_of


@pytest.mark.parametrize(
    ("roles", "conflict"),
    [
        (["finance_trader", "offshore_engineer"], True),
        (["offshore_engineer", "un_mission"], True),
        (["military", "business_owner"], True),
        (["military", "medical"], False),  # an army doctor
        (["un_mission", "medical"], False),  # a UN doctor
        (["finance_trader", "business_owner"], False),  # no remote role
        (["medical", "finance_trader"], False),
        (["offshore_engineer"], False),
        ([], False),
    ],
)
def test_roles_conflict(roles: list[str], conflict: bool) -> None:
    assert roles_conflict(roles) is conflict


def test_conflicting_roles_evidence_points_into_fields() -> None:
    fields = [
        ("headline", "Crypto trader"),
        ("job", "Engineer on an offshore oil rig"),
        ("bio", "UN doctor who loves dogs"),
    ]
    sig = conflicting_roles(fields)
    assert sig is not None and sig.score == pytest.approx(0.55)
    texts = dict(fields)
    for e in sig.evidence:
        assert texts[str(e.note)][e.start : e.end] == e.quote
    assert {h.role for h in find_roles(fields)} >= {"finance_trader", "offshore_engineer"}


def test_conflicting_roles_chinese() -> None:
    assert conflicting_roles([("bio", "外汇交易员，也是石油平台工程师")]) is not None
    assert conflicting_roles([("bio", "军医，在部队工作")]) is None


def test_places() -> None:
    assert country_of("Houston, Texas") == "US"
    assert country_of("现居纽约") == "US"
    assert country_of("London, UK") == "GB"
    assert country_of("somewhere nice") is None
    assert country_of("Singapore and London") is None  # two countries: no answer
    assert countries_in("From Latin America") == set()


def test_phone_region_and_mismatch() -> None:
    assert phone_region("+85512345678") == "KH"
    assert phone_region("+14155552671") == "US"
    assert phone_region("+999") is None
    kh = PhoneSeen("+85512345678", "contacts[0]", 0, 15, "+855 12 345 678")
    sig = location_phone_mismatch("Houston, TX", [kh])
    assert sig is not None and sig.score == pytest.approx(0.35) and "KH" in sig.detail
    uk = PhoneSeen("+447700900123", "bio", 3, 18, "+44 7700 900123")
    weak = location_phone_mismatch("Houston, TX", [uk])
    assert weak is not None and weak.score == pytest.approx(0.2)
    ca = PhoneSeen("+14165550199", "bio", 0, 5, "x")
    assert location_phone_mismatch("New York", [ca]) is None  # +1 is shared by US and CA
    assert location_phone_mismatch("", [kh]) is None


def test_new_account_wealth() -> None:
    ev = [Evidence("persona_trader", "rule:x", 0.35, "forex trader", note="headline")]
    fresh = new_account_wealth(3, ev)
    assert fresh is not None and fresh.score == pytest.approx(0.35)
    young = new_account_wealth(40, ev)
    assert young is not None and young.score == pytest.approx(0.2)
    assert new_account_wealth(400, ev) is None
    assert new_account_wealth(3, []) is None
    assert new_account_wealth(None, ev) is None


def test_messenger_contact_listed() -> None:
    sig = messenger_contact_listed(
        {"contacts[0]": ("@abc", "telegram"), "contacts[1]": ("x", None)}
    )
    assert sig is not None and len(sig.evidence) == 1
    assert messenger_contact_listed({"contacts[0]": ("me@example.com", "email")}) is None


@pytest.mark.parametrize(
    ("text", "monthly", "currency"),
    [
        ("Salary $1500-3000/month", 3000, "USD"),
        ("USD 2,500+ monthly", 2500, "USD"),
        ("Earn $25/hour", 4000, "USD"),
        ("月入3万", 4200, "CNY"),
        ("月薪1-3万", 4200, "CNY"),
        ("8000元/月", 1120, "CNY"),
        ("THB 35,000 per month", 980, "THB"),
        ("PHP 60,000/month", 1080, "PHP"),
        ("日结300", 924, "CNY"),
    ],
)
def test_find_pay(text: str, monthly: float, currency: str) -> None:
    (claim,) = find_pay(text)
    assert claim.monthly_usd == pytest.approx(monthly, rel=0.01)
    assert claim.currency == currency
    assert text[claim.start : claim.end].strip() == claim.quote


@pytest.mark.parametrize("text", ["Work 5 days a week", "2024年3月1日", "$500 or more", "2 years"])
def test_find_pay_ignores_non_pay(text: str) -> None:
    assert find_pay(text) == []


def test_salary_field() -> None:
    assert salary_field_monthly_usd("60000-100000") == pytest.approx(5000)
    assert salary_field_monthly_usd("0-180000") is None
    assert salary_field_monthly_usd("7-9") is None
    assert salary_field_monthly_usd("SGD 6,500 per month") == pytest.approx(4875)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_find_pay_never_fails_and_spans_are_valid(text: str) -> None:
    for claim in find_pay(text):
        assert 0 <= claim.start <= claim.end <= len(text)
        assert claim.monthly_usd >= 0
