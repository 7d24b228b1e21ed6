"""Profile signals in English and Chinese: must-fire and must-not-fire tables, and benign
real-sounding profiles that must stay benign."""

from __future__ import annotations

from typing import Any

import pytest

from scamlens.profiles import Profile, ProfileScorer, record_to_item

SCORER = ProfileScorer()


def _score(rec: dict[str, Any]) -> tuple[set[str], str, float]:
    item = record_to_item(rec, "profile")
    assert isinstance(item, Profile)
    v = SCORER.score(item)
    return {s.id for s in v.signals if not s.counter}, v.label, v.risk


MUST_FIRE: list[tuple[str, dict[str, Any], set[str]]] = [
    ("en trader persona", {"headline": "Self-made crypto trader | wine lover"}, {"persona_trader"}),
    (
        "en forex investor",
        {"bio": "Full-time forex trader, I trade gold for a living"},
        {"persona_trader"},
    ),
    (
        "en wine business",
        {"bio": "I own a wine business and travel between Bordeaux and HK"},
        {"persona_business_owner"},
    ),
    ("en jewellery", {"job": "Jewellery merchant"}, {"persona_business_owner"}),
    ("en real estate", {"job": "Real estate investor"}, {"persona_business_owner"}),
    (
        "en oil rig",
        {"job": "Offshore engineer", "bio": "On an oil rig most of the year"},
        {"persona_overseas"},
    ),
    (
        "en un doctor",
        {"bio": "UN doctor on a mission in Yemen, widower with one daughter"},
        {"persona_overseas", "romance_script"},
    ),
    ("en hong kong born", {"bio": "Hong Kong born, living in Seattle"}, {"persona_origin"}),
    (
        "en whatsapp push",
        {"bio": "Rarely on here. Text me on WhatsApp +1 415 555 2671"},
        {"offplatform_push"},
    ),
    ("en telegram handle", {"bio": "Telegram @goldtrader_88"}, {"offplatform_push"}),
    (
        "en mentor",
        {"bio": "I can teach you how to trade crypto and reach financial freedom"},
        {"invest_mentor", "wealth_lifestyle"},
    ),
    (
        "en conflicting claims",
        {
            "headline": "Crypto trader",
            "job": "Engineer on an offshore oil rig",
            "bio": "UN doctor, love to travel",
        },
        {"claims_conflict"},
    ),
    (
        "en phone mismatch",
        {
            "location": "Houston, Texas",
            "contacts": {"whatsapp": "+855 12 345 678"},
            "bio": "Nice to meet you",
        },
        {"location_phone_mismatch", "messenger_contact_listed"},
    ),
    (
        "en new wealthy account",
        {"headline": "Forex trader", "account_age_days": 3},
        {"new_account_wealth"},
    ),
    ("zh trader", {"bio": "外汇交易员，喜欢旅行"}, {"persona_trader"}),
    ("zh business", {"bio": "在法国有自己的酒庄"}, {"persona_business_owner"}),
    ("zh overseas", {"bio": "海外项目工程师，常年在迪拜"}, {"persona_overseas"}),
    ("zh origin", {"bio": "香港出生，现居洛杉矶"}, {"persona_origin"}),
    ("zh wechat push", {"bio": "很少上这个app，加我微信：lisa8899"}, {"offplatform_push"}),
    ("zh traditional", {"bio": "很少上這個app，加我微信"}, {"offplatform_push"}),
    (
        "zh mentor",
        {"bio": "理财导师，带你一起投资，实现财富自由"},
        {"invest_mentor", "wealth_lifestyle"},
    ),
    ("zh romance", {"bio": "丧偶多年，寻找灵魂伴侣"}, {"romance_script"}),
    (
        "zh new wealthy account",
        {"bio": "币圈投资人", "created_at": "2025-03-01", "observed_at": "2025-03-05"},
        {"new_account_wealth"},
    ),
]


@pytest.mark.parametrize(("name", "rec", "want"), MUST_FIRE, ids=[c[0] for c in MUST_FIRE])
def test_signal_fires(name: str, rec: dict[str, Any], want: set[str]) -> None:
    fired, _, _ = _score(rec)
    assert want <= fired, f"{name}: missing {want - fired}, got {fired}"


MUST_NOT_FIRE: list[tuple[str, dict[str, Any], set[str]]] = [
    (
        "software engineer trading",
        {"bio": "Software engineer. I lose money on stocks sometimes"},
        {"persona_trader", "claims_conflict"},
    ),
    (
        "wine lover",
        {"bio": "Wine lover and amateur cook, I run marathons"},
        {"persona_business_owner"},
    ),
    ("born in HK only", {"bio": "I was born in Hong Kong"}, {"persona_origin"}),
    (
        "army doctor is one job",
        {"job": "Army doctor", "bio": "Serving overseas"},
        {"claims_conflict"},
    ),
    (
        "engineer and investor, both local",
        {"job": "Real estate investor", "headline": "Crypto trader"},
        {"claims_conflict"},
    ),
    (
        "same-country phone",
        {"location": "Toronto, Canada", "contacts": ["+1 416 555 0199"], "bio": "Hi"},
        {"location_phone_mismatch"},
    ),
    ("old account", {"headline": "Forex trader", "account_age_days": 2000}, {"new_account_wealth"}),
    ("whatsapp group", {"bio": "I hate WhatsApp groups"}, {"offplatform_push"}),
    ("zh teacher", {"bio": "小学老师，喜欢读书和跑步"}, {"persona_trader", "offplatform_push"}),
    ("zh wechat reading", {"bio": "微信读书重度用户"}, {"offplatform_push"}),
]


@pytest.mark.parametrize(
    ("name", "rec", "banned"), MUST_NOT_FIRE, ids=[c[0] for c in MUST_NOT_FIRE]
)
def test_signal_does_not_fire(name: str, rec: dict[str, Any], banned: set[str]) -> None:
    fired, _, _ = _score(rec)
    assert not (banned & fired), f"{name}: should not fire {banned & fired}"


BENIGN: list[dict[str, Any]] = [
    {
        "display_name": "Megan",
        "headline": "ICU nurse",
        "location": "Columbus, Ohio",
        "bio": "Two dogs, bad puns, good coffee. Looking for someone kind who likes hiking.",
        "account_age_days": 700,
    },
    {
        "display_name": "Daniel K.",
        "headline": "Senior Software Engineer at a fintech start-up",
        "location": "London, UK",
        "bio": "Building payment systems. Climbing, jazz, Sunday roasts.",
        "links": ["https://github.com/danielk"],
    },
    {
        "display_name": "Priya",
        "headline": "Real estate agent | mom of two",
        "location": "Austin, TX",
        "bio": "Helping families find homes for 10 years. Tacos and soccer on weekends.",
    },
    {
        "display_name": "Tom",
        "job": "Civil engineer",
        "location": "Perth, Australia",
        "bio": "FIFO worker, two weeks on site, two weeks home. Fishing and footy.",
    },
    {
        "display_name": "Wei",
        "headline": "Financial analyst",
        "location": "Singapore",
        "bio": "Born in Malaysia, working in Singapore. Badminton and hawker food.",
    },
    {
        "display_name": "小林",
        "bio": "在上海做设计，喜欢猫和旅行，希望认识真诚的人",
        "location": "上海",
    },
    {
        "display_name": "阿杰",
        "job": "软件工程师",
        "bio": "深圳程序员，周末爬山，偶尔炒股亏钱",
        "location": "深圳",
    },
    {
        "display_name": "Anna",
        "bio": "Teacher. Married to an army guy, stationed in Germany with him.",
        "location": "Germany",
    },
]


@pytest.mark.parametrize("rec", BENIGN, ids=[str(r["display_name"]) for r in BENIGN])
def test_real_sounding_profiles_stay_benign(rec: dict[str, Any]) -> None:
    fired, label, risk = _score(rec)
    assert label == "benign", f"{rec['display_name']}: {label} {risk} {fired}"


SCAMS: list[dict[str, Any]] = [
    {
        "display_name": "Lisa",
        "headline": "Self-made crypto trader",
        "location": "New York",
        "bio": "Hong Kong born, living in NYC. Rarely on here, text me on WhatsApp",
        "contacts": {"whatsapp": "+855 12 345 678"},
        "account_age_days": 4,
    },
    {
        "display_name": "王先生",
        "bio": "香港出生，现居纽约，做红酒生意，外汇交易员。很少上这个app，加我微信聊",
        "location": "纽约",
    },
    {
        "display_name": "David",
        "job": "Offshore oil rig engineer",
        "headline": "Forex investor",
        "bio": "Widower with one daughter. I can teach you how to invest. "
        "Add me on Telegram @dv_fx",
    },
]


@pytest.mark.parametrize("rec", SCAMS, ids=[str(r["display_name"]) for r in SCAMS])
def test_persona_profiles_are_flagged(rec: dict[str, Any]) -> None:
    fired, label, risk = _score(rec)
    assert label == "scam", f"{rec['display_name']}: {label} {risk} {fired}"
