"""Pay promised in a job ad, as a rough monthly figure in US dollars.

Only the order of magnitude matters ("USD 3,000 a month for typing" vs "THB 35,000 a month"),
so the exchange rates below are fixed approximations, not market data. Ranges count at their
top: the top is what the ad promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re2

from scamlens.text.normalize import fold, to_original_span

# US dollars per unit, approximate (order of magnitude is all that is used).
USD_PER: dict[str, float] = {
    "USD": 1.0, "EUR": 1.1, "GBP": 1.25, "SGD": 0.75, "HKD": 0.13, "MYR": 0.22, "THB": 0.028,
    "PHP": 0.018, "CNY": 0.14, "VND": 0.00004, "IDR": 0.000064, "INR": 0.012, "AUD": 0.65,
    "CAD": 0.73, "KHR": 0.00025, "AED": 0.27,
}  # fmt: skip
_CURRENCY_WORDS: dict[str, str] = {
    "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD", "美元": "USD", "美金": "USD",
    "u": "USD", "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "gbp": "GBP", "£": "GBP",
    "sgd": "SGD", "s$": "SGD", "hkd": "HKD", "hk$": "HKD", "myr": "MYR", "rm": "MYR",
    "thb": "THB", "฿": "THB", "baht": "THB", "泰铢": "THB", "php": "PHP", "₱": "PHP",
    "pesos": "PHP", "cny": "CNY", "rmb": "CNY", "¥": "CNY", "元": "CNY", "人民币": "CNY",
    "块": "CNY", "vnd": "VND", "idr": "IDR", "inr": "INR", "aud": "AUD", "a$": "AUD",
    "cad": "CAD", "c$": "CAD", "khr": "KHR", "riel": "KHR", "aed": "AED", "dirham": "AED",
}  # fmt: skip
_ASIA = frozenset({"CNY", "THB", "PHP", "MYR", "VND", "IDR", "KHR", "HKD", "SGD", "INR"})
# Months of pay per period.
_PER_MONTH: dict[str, float] = {"hour": 160.0, "day": 22.0, "week": 4.33, "month": 1.0,
                                "year": 1 / 12}  # fmt: skip
_PERIOD_WORDS: dict[str, str] = {
    "hour": "hour", "hr": "hour", "hourly": "hour", "小时": "hour", "时薪": "hour",
    "day": "day", "daily": "day", "日": "day", "天": "day", "日薪": "day", "日结": "day",
    "week": "week", "weekly": "week", "wk": "week", "周": "week", "周薪": "week",
    "month": "month", "monthly": "month", "mo": "month", "月": "month", "月薪": "month",
    "月入": "month", "底薪": "month", "year": "year", "yearly": "year", "annual": "year",
    "annually": "year", "yr": "year", "pa": "year", "年": "year", "年薪": "year",
}  # fmt: skip

_CODES = "usd|eur|gbp|sgd|hkd|myr|thb|php|cny|rmb|vnd|idr|inr|aud|cad|khr|aed"
_CUR = rf"(?:us\$|hk\$|s\$|a\$|c\$|{_CODES}|rm|[$€£¥฿₱])"
_CUR_AFTER = rf"(?:{_CODES}|dollars|euros|baht|pesos|riel|dirham|美元|美金|泰铢|人民币|元|块|u)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:k|万|千|w)"
_PERIOD = (
    r"(?:per|an|a|/|每|each|every)?\s?(?:(?:hourly|hour|hr|daily|day|weekly|week|wk|monthly|month|mo"
    r"|yearly|year|annually|annual|yr|pa)\b|小时|日|天|周|月|年)"
)
_PREFIX = r"(?:月薪|月入|底薪|年薪|日薪|时薪|周薪|日结|月收入)"
# One amount or range: [prefix] [currency] N [mult] [- N [mult]] [currency] [period]
_PAY = (
    rf"(?P<prefix>{_PREFIX})?\s?[:：]?\s?(?P<cur1>{_CUR})?\s?(?P<a>{_NUM})\s?(?P<ma>{_MULT})?"
    rf"(?:\s?(?:-|~|to|至|到)\s?(?P<cur2>{_CUR})?\s?(?P<b>{_NUM})\s?(?P<mb>{_MULT})?)?"
    rf"\s?(?P<cur3>{_CUR_AFTER})?\s?\+?\s?(?P<period>{_PERIOD})?"
)


@dataclass(frozen=True, slots=True)
class PayClaim:
    monthly_usd: float
    currency: str
    period: str
    start: int  # span in the original text
    end: int
    quote: str


@lru_cache(maxsize=1)
def _regex() -> re2._Regexp:
    return re2.compile(_PAY)


def _number(raw: str, mult: str | None) -> float:
    value = float(raw.replace(",", ""))
    if mult in ("k", "千"):
        value *= 1_000
    elif mult in ("万", "w"):
        value *= 10_000
    return value


def _period_of(raw: str | None, prefix: str | None) -> str | None:
    if prefix:
        return _PERIOD_WORDS.get(prefix)
    if not raw:
        return None
    word = raw.strip()
    for lead in ("per", "an", "a", "/", "每", "each", "every"):
        if word.startswith(lead):
            word = word[len(lead) :].strip()
            break
    return _PERIOD_WORDS.get(word.rstrip("."))


def find_pay(text: str, *, default_currency: str | None = None) -> list[PayClaim]:
    """Every amount with a period (or a currency and a salary word) in `text`."""
    if not text:
        return []
    folded = fold(text)
    cjk = any("\u4e00" <= ch <= "\u9fff" for ch in folded)
    out: list[PayClaim] = []
    for m in _regex().finditer(folded):
        cur_raw = m.group("cur1") or m.group("cur2") or m.group("cur3")
        period = _period_of(m.group("period"), m.group("prefix"))
        if period is None or (cur_raw is None and m.group("prefix") is None):
            continue  # "5 days a week", "2 years" are not pay
        currency = _CURRENCY_WORDS.get(cur_raw or "", default_currency or ("CNY" if cjk else "USD"))
        top = _number(m.group("b") or m.group("a"), m.group("mb") or m.group("ma"))
        if m.group("b") and not m.group("mb") and m.group("ma"):
            top = _number(m.group("b"), m.group("ma"))  # "1-3万": the multiplier covers both
        monthly = top * USD_PER[currency] * _PER_MONTH[period]
        start, end = to_original_span(text, m.start(), m.end())
        out.append(PayClaim(monthly, currency, period, start, end, text[start:end].strip()))
    return out


def salary_field_monthly_usd(salary: str) -> float | None:
    """A job board's bare salary range ("60000-100000"): yearly figures (EMSCAD style), taken
    at the bottom of the range (job boards' tops are often placeholders such as "0-180000");
    None when there is no usable number or it is too small to be yearly."""
    claims = find_pay(salary)
    if claims:
        return max(c.monthly_usd for c in claims)
    digits = [p for p in salary.replace(",", "").replace(" ", "-").split("-") if p.isdigit()]
    if not digits:
        return None
    low = int(digits[0])
    return low / 12 if low >= 10_000 else None


def is_asian_currency(currency: str) -> bool:
    return currency in _ASIA
