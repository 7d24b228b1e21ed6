"""Job-ad signals in English and Chinese: trafficking-lure must-fire / must-not-fire tables,
legitimate overseas jobs that must stay benign (rules only: the model has its own tests)."""

from __future__ import annotations

from typing import Any

import pytest

from scamlens.profiles import JobAd, JobAdScorer, record_to_item
from scamlens.profiles.scorer import pay_vs_skill, trafficking_pattern

RULES_ONLY = JobAdScorer(use_model=False)


def _score(rec: dict[str, Any]) -> tuple[set[str], set[str], str, float]:
    item = record_to_item(rec, "job_ad")
    assert isinstance(item, JobAd)
    v = RULES_ONLY.score(item)
    pos = {s.id for s in v.signals if not s.counter}
    neg = {s.id for s in v.signals if s.counter}
    return pos, neg, v.label, v.risk


MUST_FIRE: list[tuple[str, dict[str, Any], set[str]]] = [
    (
        "en hotspot",
        {"title": "Customer service", "location": "Sihanoukville, Cambodia"},
        {"compound_hotspot", "lure_role"},
    ),
    (
        "en border town",
        {"description": "Office near Mae Sot, transport arranged"},
        {"compound_hotspot"},
    ),
    ("en country", {"description": "Join our team in Myanmar"}, {"compound_country"}),
    ("en typing job", {"title": "Typing job, Chinese and English"}, {"lure_role"}),
    ("en flights visa", {"description": "Free flight and visa provided"}, {"travel_paid"}),
    ("en no experience", {"description": "No experience needed, we train you"}, {"no_experience"}),
    ("en language", {"requirements": "Fluent in Vietnamese or Thai"}, {"language_skills"}),
    ("en telegram only", {"description": "Contact us on Telegram @hr_kh88"}, {"messenger_only"}),
    ("en whatsapp number", {"contact": "WhatsApp: +855 12 345 678"}, {"messenger_only"}),
    ("en age limit", {"requirements": "Age: 18-35"}, {"age_limit"}),
    (
        "en passport",
        {"description": "Passport will be kept by the company during the contract"},
        {"passport_surrender"},
    ),
    (
        "en crossing",
        {"description": "No passport needed, we handle the border"},
        {"irregular_crossing"},
    ),
    (
        "en urgent",
        {"description": "Ticket ready, fly tomorrow. No interview."},
        {"urgent_departure"},
    ),
    (
        "en scam work",
        {"description": "Chat with foreigners on dating apps and introduce our platform"},
        {"illicit_work"},
    ),
    (
        "en fee",
        {"description": "Pay a registration fee of $50 to reserve your slot"},
        {"upfront_fee"},
    ),
    ("en easy money", {"description": "Earn $300 per day from your phone"}, {"easy_money_home"}),
    (
        "en vague employer",
        {"description": "A large gaming company in Southeast Asia is hiring"},
        {"vague_employer"},
    ),
    (
        "en pay vs skill",
        {
            "title": "Typist",
            "location": "Bavet, Cambodia",
            "description": "Salary $2,500 per month, just type",
        },
        {"pay_vs_skill"},
    ),
    (
        "en full lure",
        {
            "title": "Customer service in Poipet",
            "description": "USD 2,000 a month, no experience, free flight, Telegram @x1",
        },
        {"trafficking_pattern"},
    ),
    ("zh hotspot", {"description": "工作地点：西港"}, {"compound_hotspot"}),
    ("zh typing", {"title": "招聘中文打字员"}, {"lure_role"}),
    ("zh travel", {"benefits": "包机票包签证"}, {"travel_paid"}),
    ("zh no experience", {"description": "无需经验，会打字即可"}, {"no_experience"}),
    ("zh high pay", {"description": "高薪招聘，月入3万"}, {"high_pay"}),
    ("zh contact", {"description": "有意者联系飞机 @hr_888"}, {"messenger_only"}),
    ("zh age", {"requirements": "年龄18-35岁"}, {"age_limit"}),
    ("zh passport", {"description": "到达后护照由公司统一保管"}, {"passport_surrender"}),
    ("zh traditional passport", {"description": "護照交給公司"}, {"passport_surrender"}),
    ("zh crossing", {"description": "没有护照也可以，走小路过去"}, {"irregular_crossing"}),
    ("zh scam work", {"description": "在交友软件上找客户聊天，提供话术"}, {"illicit_work"}),
    ("zh gambling", {"title": "菠菜公司招聘客服"}, {"illicit_work"}),
    ("zh fee", {"description": "入职先交押金500元"}, {"upfront_fee"}),
    (
        "zh pay vs skill",
        {"title": "打字员", "description": "柬埔寨金边，月薪1-3万，零基础"},
        {"pay_vs_skill", "compound_country"},
    ),
    (
        "zh full lure",
        {"title": "缅北客服", "description": "月薪两万，包机票，无需经验，联系飞机@kk1"},
        {"trafficking_pattern"},
    ),
]


@pytest.mark.parametrize(("name", "rec", "want"), MUST_FIRE, ids=[c[0] for c in MUST_FIRE])
def test_signal_fires(name: str, rec: dict[str, Any], want: set[str]) -> None:
    pos, _, _, _ = _score(rec)
    assert want <= pos, f"{name}: missing {want - pos}, got {pos}"


MUST_NOT_FIRE: list[tuple[str, dict[str, Any], set[str]]] = [
    (
        "bangkok is no hotspot",
        {"location": "Bangkok, Thailand"},
        {"compound_hotspot", "compound_country"},
    ),
    ("engineer role", {"title": "Senior backend engineer (Go)"}, {"lure_role"}),
    ("flight attendant", {"title": "Flight attendant wanted"}, {"travel_paid"}),
    ("experience required", {"requirements": "5+ years of experience required"}, {"no_experience"}),
    ("careers page", {"contact": "Apply through our careers page"}, {"messenger_only"}),
    ("18 or older", {"requirements": "Must be 18 or older"}, {"age_limit"}),
    ("valid passport", {"requirements": "Valid passport required"}, {"passport_surrender"}),
    (
        "us data entry pay",
        {
            "title": "Data entry clerk",
            "salary": "$17 per hour",
            "description": "On site, we train you",
        },
        {"pay_vs_skill"},
    ),
    ("zh bangkok", {"location": "泰国曼谷"}, {"compound_hotspot", "compound_country"}),
    ("zh experience", {"requirements": "要求三年以上工作经验"}, {"no_experience"}),
    ("zh room and board only", {"benefits": "包吃包住，五险一金"}, {"travel_paid"}),
    ("zh email", {"contact": "简历请投递至公司邮箱"}, {"messenger_only"}),
]


@pytest.mark.parametrize(
    ("name", "rec", "banned"), MUST_NOT_FIRE, ids=[c[0] for c in MUST_NOT_FIRE]
)
def test_signal_does_not_fire(name: str, rec: dict[str, Any], banned: set[str]) -> None:
    pos, _, _, _ = _score(rec)
    assert not (banned & pos), f"{name}: should not fire {banned & pos}"


COUNTER = [
    (
        "en negated passport",
        {"description": "We will never ask you to hand over your passport."},
        "passport_surrender",
    ),
    (
        "en advisory",
        {"description": "Beware of fake job offers promising high pay in Cambodia"},
        "advisory_warning",
    ),
    ("en licence", {"description": "DMW License No. DMW-123-LB-031522-R"}, "licensed_agency"),
    ("zh advisory", {"description": "警惕境外高薪招聘陷阱"}, "advisory_warning"),
]


@pytest.mark.parametrize(("name", "rec", "want"), COUNTER, ids=[c[0] for c in COUNTER])
def test_counter_evidence(name: str, rec: dict[str, Any], want: str) -> None:
    _, neg, _, _ = _score(rec)
    assert want in neg


LEGIT = [
    {
        "title": "ESL Teacher",
        "company": "Sukhumvit Bilingual School",
        "location": "Bangkok, Thailand",
        "salary": "THB 40,000-48,000 per month",
        "description": "Teach English to grades 4-6. The school arranges your work permit and "
        "visa and reimburses your flight after the first term. Native English required.",
        "contact": "Apply with your CV through the school website; video interview.",
    },
    {
        "title": "Backend Engineer",
        "company": "Merlion Payments",
        "location": "Singapore",
        "salary": "SGD 9,000-12,000 monthly",
        "description": "Go, PostgreSQL, Kubernetes. Relocation support and employment pass "
        "sponsorship.",
        "requirements": "5+ years of experience.",
    },
    {
        "title": "Guest Relations Officer",
        "company": "Riverside Hotel",
        "location": "Phnom Penh",
        "salary": "USD 700-900 per month",
        "description": "Welcome guests and handle requests. Fluent English; Chinese is a plus.",
        "contact": "Send your CV to our HR department.",
    },
    {
        "title": "Customer Support Associate",
        "company": "Cebu Contact Solutions",
        "location": "Cebu City, Philippines",
        "salary": "PHP 22,000 per month",
        "description": "Phone and chat support for a US client. Paid training. "
        "No experience needed.",
    },
    {
        "title": "Offshore Wind Technician",
        "location": "Aberdeen, UK",
        "salary": "GBP 48,000 per year",
        "description": "Two weeks on, two weeks off. Travel to the platform paid by the company.",
    },
    {
        "title": "Warning",
        "description": "Police warn about recruiters posting typing jobs in "
        "Myanmar with free flights; workers were rescued from a "
        "compound in Myawaddy.",
    },
    {
        "title": "泰国国际学校中文教师",
        "location": "泰国曼谷",
        "salary": "月薪4.5万泰铢",
        "description": "学校办理工作签证，学期结束后报销往返机票。",
        "contact": "请通过学校官网投递简历",
    },
    {
        "title": "客服专员",
        "location": "杭州",
        "salary": "月薪5000-7000",
        "description": "处理售前售后咨询，五险一金，无经验可培训上岗。",
        "contact": "简历请投递至招聘邮箱",
    },
    {
        "title": "金边酒店前台（中文）",
        "location": "柬埔寨金边",
        "salary": "月薪800-1000美元",
        "description": "负责中国客人接待，酒店办理合法工作证，提供宿舍。",
        "contact": "请将简历发送至人事部邮箱",
    },
    {"title": "防诈提醒", "description": "警惕高薪打字员招聘！有青年被骗到妙瓦底，护照被收走。"},
]


@pytest.mark.parametrize("rec", LEGIT, ids=[str(r["title"]) for r in LEGIT])
def test_legitimate_overseas_jobs_stay_benign(rec: dict[str, Any]) -> None:
    pos, neg, label, risk = _score(rec)
    assert label == "benign", f"{rec['title']}: {label} {risk} {pos} {neg}"


def test_checks_need_their_parts() -> None:
    ad = JobAd(id=None, description="USD 9,000 a month")
    assert pay_vs_skill(ad, []) is None
    assert trafficking_pattern([]) is None
