"""Claims on a profile that do not fit together, as small named checks.

Each check takes plain values and returns a `Signal` (with evidence) or None:
- `conflicting_roles`: two full-time roles that cannot both be true, at least one of them far
  away ("crypto trader" + "engineer on an offshore oil rig" + "UN doctor").
- `location_phone_mismatch`: the stated location is one country, a phone number another.
- `new_account_wealth`: an account days old that already claims a wealthy persona.
- `messenger_contact_listed`: a WhatsApp/Telegram/WeChat handle listed on the profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
import re2

from scamlens.model import Evidence
from scamlens.profiles.model import Signal, field_evidence
from scamlens.profiles.places import country_of
from scamlens.text.normalize import fold, to_original_span

# Role classes. "Remote" roles keep a person far away for months (the excuse for never
# meeting); a remote role next to any other, unrelated role is the inconsistency.
_ROLES: dict[str, str] = {
    "finance_trader": r"\b(?:crypto|cryptocurrency|forex|fx|bitcoin|gold|futures|stock|options)"
    r"\s+(?:trader|investor|analyst)s?\b|\b(?:day )?trader\b|\bfund manager\b|"
    r"外汇|操盘|交易员|投资人|币圈",
    "business_owner": r"\b(?:wine|jewelry|jewellery|diamond|real estate|import[- ]export|property)"
    r"\s+(?:business|company|merchant|dealer|owner|developer|investor)\b|\bbusiness owner\b|"
    r"\b(?:own|run|owner of) (?:a|an|my) (?:\w+ )?(?:business|company|firm)\b|"
    r"红酒生意|珠宝(?:生意|公司)|房地产|外贸|酒庄",
    "offshore_engineer": r"\b(?:offshore|oil[ -]?rig|oil platform|drilling platform|petroleum)"
    r"\b|\boil (?:and|&) gas\b|\bmarine engineer\b|石油平台|钻井|海上平台|海外(?:项目)?工程师",
    "military": r"\b(?:army|military|soldier|navy|marine corps|sergeant|colonel|lieutenant|"
    r"deployed|deployment)\b|军人|部队|军官",
    "un_mission": r"\b(?:un|united nations|unicef|red cross)\s+(?:doctor|surgeon|physician|"
    r"peacekeeper|officer|nurse|mission)\b|\bpeace[- ]?keep(?:er|ing)\b|联合国|维和",
    "medical": r"\b(?:doctor|surgeon|physician|medic|nurse)\b|医生|军医|外科医",
    "maritime": r"\b(?:ship|sea|vessel|tanker) captain\b|\bcaptain of an? (?:ship|vessel|tanker)\b"
    r"|\bairline pilot\b|船长|机长",
}
_REMOTE = frozenset({"offshore_engineer", "military", "un_mission", "maritime"})
# Pairs that describe one job, not two ("army doctor", "UN doctor", "marine engineer").
_COMPATIBLE = frozenset(
    frozenset(p)
    for p in (
        ("military", "medical"),
        ("un_mission", "medical"),
        ("un_mission", "military"),
        ("offshore_engineer", "maritime"),
        ("finance_trader", "business_owner"),
    )
)
_MESSENGERS = frozenset(
    {
        "whatsapp",
        "telegram",
        "wechat",
        "line",
        "kakao",
        "kakaotalk",
        "signal",
        "viber",
        "kik",
        "snapchat",
        "skype",
        "imo",
    }
)
# Phone regions where scam compounds are documented (DOMAIN.md).
_COMPOUND_REGIONS = frozenset({"KH", "MM", "LA", "PH"})
# Countries that share a calling code or are commonly written for one another.
_SAME = {"CA": "US", "PR": "US", "IE": "GB", "MO": "HK"}

CONFLICT_SCORE = 0.4
CONFLICT_SCORE_3 = 0.55
MISMATCH_SCORE = 0.2
MISMATCH_COMPOUND_SCORE = 0.35
NEW_ACCOUNT_DAYS = 14
YOUNG_ACCOUNT_DAYS = 60
NEW_ACCOUNT_SCORE = 0.35
YOUNG_ACCOUNT_SCORE = 0.2
MESSENGER_LISTED_SCORE = 0.25

WEALTH_TACTICS = frozenset(
    {
        "persona_trader",
        "persona_business_owner",
        "wealth_lifestyle",
        "invest_mentor",
        "persona_overseas",
    }
)


@dataclass(frozen=True, slots=True)
class RoleHit:
    role: str
    field: str
    start: int  # span in the field's original text
    end: int
    quote: str


@lru_cache(maxsize=1)
def _role_regexes() -> dict[str, re2._Regexp]:
    return {role: re2.compile(pattern) for role, pattern in _ROLES.items()}


def find_roles(fields: Iterable[tuple[str, str]]) -> list[RoleHit]:
    """The first mention of each role class, in field order."""
    seen: dict[str, RoleHit] = {}
    for name, text in fields:
        folded = fold(text)
        for role, regex in _role_regexes().items():
            if role in seen:
                continue
            m = regex.search(folded)
            if m is None:
                continue
            start, end = to_original_span(text, m.start(), m.end())
            seen[role] = RoleHit(role, name, start, end, text[start:end])
    return list(seen.values())


def roles_conflict(roles: Sequence[str]) -> bool:
    """True when the role classes cannot all be one person's life: at least one remote role
    and two roles that are not one job."""
    distinct = set(roles)
    if not distinct & _REMOTE:
        return False
    items = sorted(distinct)
    return any(
        frozenset((a, b)) not in _COMPATIBLE for i, a in enumerate(items) for b in items[i + 1 :]
    )


def conflicting_roles(fields: Iterable[tuple[str, str]]) -> Signal | None:
    hits = find_roles(fields)
    if not roles_conflict([h.role for h in hits]):
        return None
    # Keep only the roles that take part in a conflict.
    roles = {h.role for h in hits}
    involved = [
        h
        for h in hits
        if any(
            frozenset((h.role, o)) not in _COMPATIBLE and (h.role in _REMOTE or o in _REMOTE)
            for o in roles - {h.role}
        )
    ]
    score = CONFLICT_SCORE_3 if len(involved) >= 3 else CONFLICT_SCORE
    ev = tuple(
        Evidence(
            tactic="claims_conflict",
            source="check:conflicting_roles",
            score=score,
            quote=h.quote,
            start=h.start,
            end=h.end,
            note=h.field,
        )
        for h in involved
    )
    detail = "roles that cannot all be true: " + ", ".join(h.role for h in involved)
    return Signal("claims_conflict", "Claims that do not fit together", score, ev, detail=detail)


def phone_region(e164: str) -> str | None:
    """ISO region of an E.164 number, or None when unknown."""
    try:
        num = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    # The exact region for a valid number, else the main region of its calling code.
    region = phonenumbers.region_code_for_number(num) or phonenumbers.region_code_for_country_code(
        num.country_code or 0
    )
    return region if region and region != "ZZ" else None


def _same_country(a: str, b: str) -> bool:
    return _SAME.get(a, a) == _SAME.get(b, b)


@dataclass(frozen=True, slots=True)
class PhoneSeen:
    e164: str
    field: str
    start: int
    end: int
    quote: str


def location_phone_mismatch(location: str, phones: Sequence[PhoneSeen]) -> Signal | None:
    """The stated location names one country and a phone number belongs to another."""
    stated = country_of(location)
    if stated is None:
        return None
    worst: tuple[float, PhoneSeen, str] | None = None
    for ph in phones:
        region = phone_region(ph.e164)
        if region is None or _same_country(region, stated):
            continue
        score = MISMATCH_COMPOUND_SCORE if region in _COMPOUND_REGIONS else MISMATCH_SCORE
        if worst is None or score > worst[0]:
            worst = (score, ph, region)
    if worst is None:
        return None
    score, ph, region = worst
    ev = (
        field_evidence(
            "location_phone_mismatch", "check:location_phone_mismatch", score, "location", location
        ),
        Evidence(
            tactic="location_phone_mismatch",
            source="check:location_phone_mismatch",
            score=score,
            quote=ph.quote,
            start=ph.start,
            end=ph.end,
            note=ph.field,
        ),
    )
    return Signal(
        "location_phone_mismatch",
        "Stated location and phone region differ",
        score,
        ev,
        detail=f"stated location {stated}, phone region {region}",
    )


def new_account_wealth(
    account_age_days: float | None, wealth_evidence: Sequence[Evidence]
) -> Signal | None:
    """A new account that already claims a wealthy or investing persona."""
    if account_age_days is None or not wealth_evidence or account_age_days < 0:
        return None
    if account_age_days <= NEW_ACCOUNT_DAYS:
        score = NEW_ACCOUNT_SCORE
    elif account_age_days <= YOUNG_ACCOUNT_DAYS:
        score = YOUNG_ACCOUNT_SCORE
    else:
        return None
    age_text = f"{account_age_days:g}"
    ev = (
        field_evidence(
            "new_account_wealth", "check:new_account_wealth", score, "account_age_days", age_text
        ),
        *(
            Evidence(
                tactic="new_account_wealth",
                source="check:new_account_wealth",
                score=score,
                quote=e.quote,
                start=e.start,
                end=e.end,
                note=e.note,
            )
            for e in wealth_evidence[:2]
        ),
    )
    return Signal(
        "new_account_wealth",
        "New account with a wealthy persona",
        score,
        ev,
        detail=f"account {age_text} days old",
    )


def messenger_contact_listed(contacts: Mapping[str, tuple[str, str | None]]) -> Signal | None:
    """A messenger handle listed on the profile (field name -> (value, platform))."""
    ev = tuple(
        field_evidence(
            "messenger_contact_listed",
            "check:messenger_contact_listed",
            MESSENGER_LISTED_SCORE,
            name,
            value,
        )
        for name, (value, platform) in contacts.items()
        if platform is not None and platform.lower() in _MESSENGERS
    )
    if not ev:
        return None
    return Signal(
        "messenger_contact_listed",
        "Messenger contact listed on the profile",
        MESSENGER_LISTED_SCORE,
        ev,
    )
