"""Loading profiles and job ads from JSON, JSONL and CSV; bad rows give clear errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError, ScamlensError
from scamlens.profiles import JobAd, Profile, detect_kind, load_items, record_to_item

PROFILE = {
    "id": "u1",
    "name": "Lisa",
    "Headline": "Forex trader",
    "about": "Hong Kong born, living in NYC",
    "occupation": "Investor",
    "location": "New York",
    "account_age": "3 weeks",
    "links": "https://a.example/x, https://b.example/y",
    "photos": ["p1.jpg", {"url": "https://cdn.example/p2.jpg"}],
    "contacts": {"whatsapp": "+1 415 555 2671", "telegram": ["@lisa_fx"]},
    "email": "lisa@example.com",
}


def test_profile_fields_and_aliases() -> None:
    p = record_to_item(PROFILE)
    assert isinstance(p, Profile)
    assert (p.id, p.display_name, p.headline, p.job) == ("u1", "Lisa", "Forex trader", "Investor")
    assert p.bio.startswith("Hong Kong") and p.account_age_days == 21
    assert p.links == ("https://a.example/x", "https://b.example/y")
    assert p.photos == ("p1.jpg", "https://cdn.example/p2.jpg")
    assert {(c.platform, c.value) for c in p.contacts} == {
        ("whatsapp", "+1 415 555 2671"),
        ("telegram", "@lisa_fx"),
        ("email", "lisa@example.com"),
    }


def test_account_age_from_dates() -> None:
    p = record_to_item({"bio": "hi there", "created_at": "2025-01-01T00:00:00Z",
                        "observed_at": "2025-01-11T00:00:00Z"}, "profile")  # fmt: skip
    assert isinstance(p, Profile) and p.account_age_days == pytest.approx(10)
    now = datetime(2025, 1, 3, tzinfo=UTC)
    q = record_to_item({"bio": "hi", "joined": "2025-01-01"}, "profile", now=now)
    assert isinstance(q, Profile) and q.account_age_days == pytest.approx(2)


EMSCAD_ROW = {
    "job_id": "7", "title": "Data Entry", "location": "US, NY, New York", "department": "",
    "salary_range": "30000-40000", "company_profile": "", "description": "R&amp;D typing work",
    "requirements": "", "benefits": "", "telecommuting": "1", "has_company_logo": "0",
    "has_questions": "0", "employment_type": "Part-time", "required_experience": "",
    "required_education": "", "industry": "", "function": "", "fraudulent": "1",
}  # fmt: skip


def test_emscad_row() -> None:
    ad = record_to_item(EMSCAD_ROW)
    assert isinstance(ad, JobAd)
    assert ad.id == "7" and ad.label == 1 and ad.telecommuting is True
    assert ad.has_company_logo is False and ad.salary == "30000-40000"
    assert ad.description == "R&D typing work"  # entities unescaped
    assert ad.structured


def test_recruitment_message_is_a_bare_job_ad() -> None:
    ad = record_to_item({"text": "Typing job in Cambodia, telegram @x"}, "job_ad")
    assert isinstance(ad, JobAd) and not ad.structured and ad.description.startswith("Typing")


def test_structured_job_contact() -> None:
    ad = record_to_item({"title": "CS", "contacts": [{"platform": "telegram", "value": "@hr1"}],
                         "whatsapp": "+855 12 345 678"}, "job_ad")  # fmt: skip
    assert isinstance(ad, JobAd)
    assert ad.contact == "telegram: @hr1\nwhatsapp: +855 12 345 678"


@pytest.mark.parametrize(
    ("rec", "kind"),
    [
        ({"kind": "job", "text": "x"}, "job_ad"),
        ({"kind": "profile", "text": "x"}, "profile"),
        ({"bio": "x", "display_name": "y"}, "profile"),
        ({"title": "x", "company_profile": "y", "salary_range": "1-2"}, "job_ad"),
        ({"text": "x"}, None),
        ({"title": "Typist", "description": "x"}, "job_ad"),
        ({"title": "Forex trader", "bio": "x"}, "profile"),
    ],
)
def test_detect_kind(rec: dict[str, Any], kind: str | None) -> None:
    assert detect_kind(rec) == kind


@pytest.mark.parametrize(
    ("rec", "message"),
    [
        ({"text": "hello"}, "cannot tell"),
        ({"bio": "x", "account_age_days": "soon"}, "account_age_days"),
        ({"bio": "x", "account_age_days": -3}, "negative"),
        ({"bio": "x", "created_at": "yesterday"}, "ISO date"),
        ({"bio": {"a": 1}}, "'bio': expected text"),
        ({"bio": "x", "photos": [1, 2]}, "'photos'[0]"),
        ({"bio": "x", "contacts": [3]}, "'contacts'[0]"),
        ({"title": "x", "company_profile": "y", "telecommuting": "maybe"}, "'telecommuting'"),
        ({"bio": "x", "id": ["a"]}, "an id must be"),
        ({"display_name": "", "bio": ""}, "no usable field"),
    ],
)
def test_bad_records(rec: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as info:
        record_to_item(rec, None if "text" in rec else ("profile" if "title" not in rec else None),
                       path="f.jsonl", line=4)  # fmt: skip
    assert "f.jsonl:4:" in str(info.value)


def test_bad_kind() -> None:
    with pytest.raises(InputError, match="kind must be"):
        record_to_item({"bio": "x"}, "dating")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_load_jsonl_json_csv(tmp_path: Path) -> None:
    rows = [{"id": "a", "bio": "Forex trader"}, {"id": "b", "bio": "Nurse"}]
    jl = _write(tmp_path, "p.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    js = _write(tmp_path, "p.json", json.dumps({"profiles": rows}))
    cs = _write(tmp_path, "p.csv", "id,bio\na,Forex trader\nb,Nurse\n")
    ts = _write(tmp_path, "p.txt", "id\tbio\na\tForex trader\nb\tNurse\n")  # sniffed: TSV
    for path in (jl, js, cs, ts):
        items = load_items(path, "profile")
        assert [i.id for i in items] == ["a", "b"], path
    assert [i.source_line for i in load_items(cs, "profile")] == [2, 3]
    one = _write(tmp_path, "one.json", json.dumps(rows[0]))
    assert len(load_items(one, "profile")) == 1


def test_load_emscad_style_csv(tmp_path: Path) -> None:
    header = ",".join(EMSCAD_ROW)
    row = ",".join(json.dumps(v) if "," in v or " " in v else v for v in EMSCAD_ROW.values())
    path = _write(tmp_path, "jobs.csv", header + "\n" + row + "\n")
    (ad,) = load_items(path)  # kind detected from the EMSCAD columns
    assert isinstance(ad, JobAd) and ad.label == 1


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("bad.jsonl", '{"bio": "a"}\n{"bio": \n', "bad.jsonl:2: invalid JSON"),
        ("bad.json", '[{"bio": "a"},', "bad.json:1: invalid JSON"),
        ("bad.json", '"just a string"', "must be an object or a list"),
        ("rows.csv", "id,bio\na,x,extra\n", "rows.csv:2: more fields than the header"),
        ("rows.jsonl", '{"bio": "ok"}\n[1, 2]\n', "rows.jsonl:2: expected an object"),
        ("empty.csv", "", "no header"),
    ],
)
def test_bad_files(tmp_path: Path, name: str, text: str, where: str) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(InputError) as info:
        load_items(path, "profile")
    assert where in str(info.value)


def test_invalid_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"bio": "ok"}\n{"bio": "\xff\xfe bad"}\n')
    with pytest.raises(InputError, match=r"p\.jsonl:2: not valid UTF-8"):
        load_items(path, "profile")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_items(tmp_path / "none.csv")


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_keys = st.sampled_from(
    ["id", "bio", "about", "photos", "contacts", "links", "account_age", "created_at", "title",
     "description", "salary", "telecommuting", "fraudulent", "kind", "whatsapp", "text", "location"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys | st.text(max_size=8), _json, max_size=8),
       st.sampled_from([None, "profile", "job_ad"]))  # fmt: skip
def test_any_record_loads_or_fails_clearly(rec: dict[str, Any], kind: str | None) -> None:
    try:
        item = record_to_item(rec, kind, path="x.jsonl", line=1)
    except ScamlensError as exc:
        assert str(exc).startswith("x.jsonl:1: ")
        return
    assert isinstance(item, Profile | JobAd)
