"""Phone numbers, messenger handles and e-mail addresses.

Phones: an RE2 pass finds digit runs shaped like phone numbers, then `phonenumbers` parses
each one. Leniency is chosen on purpose: a number is reported when `is_valid_number` holds
(the library's VALID leniency); a merely *possible* number is reported, with valid=False, only
when phone words ("call", "WhatsApp", "电话") sit right before it. National formats need a
region (`region=` / `--region`); without one only international forms (+…, 00…) are read.
Dates, times, order and account numbers are ruled out by shape and by the words before them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from scamlens.indicators.base import Scan, char_after, char_before, has_any, is_word_char
from scamlens.indicators.links import is_tld
from scamlens.indicators.normalize import normalize_email, normalize_phone, split_handle
from scamlens.indicators.regex import Hit
from scamlens.model import Indicator

PHONE_PATTERN = r"(?:\+|\b00)?\(?\d[\d \-().]{6,22}\d"
_DATE_RE = re.compile(r"^(?:\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4})$")
PHONE_WORDS = frozenset(
    {
        "call", "phone", "tel", "mobile", "cell", "whatsapp", "wa:", "text me", "sms", "number",
        "contact", "reach me", "signal", "viber", "telegram", "电话", "手机", "联系", "号码",
        "打给", "来电", "whats app",
    }
)  # fmt: skip
NOT_PHONE_WORDS = frozenset(
    {
        "order", "订单", "单号", "no.", "#", "id:", "id ", "编号", "account", "acct", "card",
        "卡号", "账号", "tracking", "ref", "invoice", "code", "验证码", "otp", "iban", "swift",
        "isbn", "serial", "txid", "hash", "uid", "amount", "金额",
    }
)  # fmt: skip

AT_PATTERN = r"@[A-Za-z][A-Za-z0-9_]{2,31}(?:\.[A-Za-z0-9_]{1,31}){0,3}"
_ID = r"(?P<{name}>@?[A-Za-z][A-Za-z0-9_.\-]{{2,39}}|\+?\d[\d \-]{{4,18}}\d)"
# ASCII labels need a colon ("WeChat: x", "LINE ID: x") or an @ ("Telegram @x").
LABEL_PATTERN = (
    r"(?P<hlabel>(?i:\b(?:wechat|weixin|wx|vx|tg|telegram|whatsapp|signal|kakaotalk|kakao|skype"
    r"|viber|line|snapchat|instagram|insta|ig)\b))"
    r"[ ]*(?P<hidword>(?i:id))?[ ]*(?:[:：=][ ]*"
    + _ID.format(name="hid")
    + r"|[ ]+(?P<hat>@[A-Za-z][A-Za-z0-9_]{2,31}))"
)
# Chinese labels may run straight into the id ("微信abc123", "微信号是abc123").
LABEL_ZH_PATTERN = (
    r"(?P<zlabel>微信号?|薇信|威信|(?i:v)信|电报号?|飞机号?|纸飞机)"
    r"[ ]*(?:号码|账号|号)?[ ]*(?:[:：=]|是)?[ ]*" + _ID.format(name="zid")
)
EMAIL_PATTERN = (
    r"(?i:[A-Za-z0-9._%+\-]{1,64}(?:@|[ ]?[\[(]at[\])][ ]?|[ ]?\[@\][ ]?)[A-Za-z0-9\-]+"
    r"(?:(?:\.|[ ]?[\[(](?:\.|dot)[\])][ ]?)[A-Za-z0-9\-]+)+)"
)
ALTERNATIVES = {
    "email": EMAIL_PATTERN,
    "hlabel_en": LABEL_PATTERN,
    "hlabel_zh": LABEL_ZH_PATTERN,
    "phone": PHONE_PATTERN,
    "at": AT_PATTERN,
}

_LABEL_PLATFORMS = {
    "wechat": "wechat", "weixin": "wechat", "wx": "wechat", "vx": "wechat", "微信": "wechat",
    "微信号": "wechat", "薇信": "wechat", "威信": "wechat", "v信": "wechat",
    "tg": "telegram", "telegram": "telegram", "电报": "telegram", "电报号": "telegram",
    "飞机": "telegram", "飞机号": "telegram", "纸飞机": "telegram",
    "whatsapp": "whatsapp", "signal": "signal", "kakaotalk": "kakaotalk", "kakao": "kakaotalk",
    "skype": "skype", "viber": "viber", "line": "line", "snapchat": "snapchat",
    "instagram": "instagram", "insta": "instagram", "ig": "instagram",
}  # fmt: skip
_PHONE_PLATFORMS = frozenset({"whatsapp", "signal", "viber"})
_PLATFORM_HINTS = (
    (re.compile(r"\b(?:tg|telegram|t\.me)\b|电报|飞机"), "telegram"),
    (re.compile(r"\b(?:instagram|insta|ig)\b"), "instagram"),
    (re.compile(r"\b(?:twitter|x\.com)\b|推特"), "twitter"),
    (re.compile(r"\b(?:tiktok)\b|抖音"), "tiktok"),
    (re.compile(r"\b(?:line)\b"), "line"),
)
_HANDLE_STOP_TEXT = (
    "everyone here all channel gmail yahoo hotmail outlook icloud proton protonmail qq home "
    "work me you him her them it this that"
)
_HANDLE_STOP = frozenset(_HANDLE_STOP_TEXT.split())
_ID_STOP_TEXT = "yes no ok okay later now please here same soon sure thanks"
_ID_STOP = frozenset(_ID_STOP_TEXT.split())


def _phone_context(scan: Scan, start: int) -> tuple[bool, bool]:
    """(phone words before, id/order words before) in the 24 characters before `start`."""
    before = scan.before(start, 24)
    return has_any(before, PHONE_WORDS), has_any(before, NOT_PHONE_WORDS)


def handle_phone(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    start, end = hit.start, hit.end
    while end > start and text[end - 1] in ")-. ":
        end -= 1
    if text[start] == "(" and ")" not in text[start:end]:
        start += 1
    raw = text[start:end]
    before, after = char_before(text, start), char_after(text, end)
    if is_word_char(before) or before in "#$€£¥.:/_@=%-" or is_word_char(after):
        return []
    if after in "%" or (after in ".," and char_after(text, end + 1).isdigit()):
        return []
    digits = sum(c.isdigit() for c in raw)
    if not 7 <= digits <= 15 or _DATE_RE.match(raw):
        return []
    found = _phone(scan, start, end, raw)
    return [found] if found is not None else []


def _phone(scan: Scan, start: int, end: int, raw: str) -> Indicator | None:
    phone_words, id_words = _phone_context(scan, start)
    if id_words and not phone_words:
        return None
    read = _read_phone(raw, scan.region.upper() if scan.region else None, phone_words)
    if read is None:
        return None
    e164, valid, attrs = read
    return scan.make(
        "phone",
        e164,
        start,
        end,
        "phone.phonenumbers",
        valid=valid,
        validation="phonenumbers-valid" if valid else "possible-not-valid",
        attrs=dict(attrs),  # each indicator its own dict: the cached tuple stays intact
    )


# phonenumbers is pure Python (~0.5 ms a number); chats and batches repeat the same numbers.
@lru_cache(maxsize=4096)
def _read_phone(
    raw: str, region: str | None, phone_words: bool
) -> tuple[str, bool, tuple[tuple[str, str], ...]] | None:
    """(E.164, valid, attrs) of a phone candidate, None when it is no phone number."""
    international = raw.startswith("+") or raw.startswith("00")
    text = "+" + raw[2:] if raw.startswith("00") else raw
    try:
        if international:
            num = phonenumbers.parse(text, None)
        elif region:
            num = phonenumbers.parse(text, region)
        elif phone_words:
            num = phonenumbers.parse("+" + "".join(c for c in raw if c.isdigit()), None)
        else:
            return None
    except phonenumbers.NumberParseException:
        return None
    valid = phonenumbers.is_valid_number(num)
    if not valid and not (phone_words and phonenumbers.is_possible_number(num)):
        return None
    e164 = str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))
    attrs = (
        ("e164", e164),
        ("region", phonenumbers.region_code_for_number(num) or ""),
        ("format", "international" if international else "national"),
        ("confidence", "high" if valid and (international or phone_words) else "medium"),
        ("line_type", _LINE_TYPES.get(phonenumbers.number_type(num), "unknown")),
    )
    return e164, valid, attrs


def clear_cache() -> None:
    _read_phone.cache_clear()


_LINE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll_free",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium_rate",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "personal",
}


def _platform_hint(scan: Scan, start: int) -> str | None:
    window = scan.before(start, 40)
    for pattern, name in _PLATFORM_HINTS:
        if pattern.search(window):
            return name
    return None


def handle_at(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    start, end = hit.start, hit.end
    before = char_before(text, start)
    if is_word_char(before) or before in ".@+-/=&?#%":
        return []  # inside an e-mail address or a URL
    name = text[start + 1 : end]
    if "." in name and is_tld(name.rsplit(".", 1)[1]):
        return []  # "@gmail.com": part of an address, not a handle
    if name.lower() in _HANDLE_STOP or char_after(text, end) == "@":
        return []
    platform = _platform_hint(scan, start)
    if platform is None and len(name) < 5:
        return []
    try:
        _, value = split_handle(name)
    except ValueError:
        return []
    attrs = {
        "platform": platform or "unknown",
        "kind": "account",
        "via": "at",
        "confidence": "high" if platform else "medium",
    }
    detector = f"handle.{platform}.at" if platform else "handle.at"
    return [scan.make("handle", value, start, end, detector, attrs=attrs)]


def handle_label(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    zh = hit.name == "hlabel_zh"
    label_span = hit.span(ids["zlabel" if zh else "hlabel"])
    id_span = hit.span(ids["zid"]) if zh else (hit.span(ids["hid"]) or hit.span(ids["hat"]))
    if label_span is None or id_span is None:
        return []
    label = text[label_span[0] : label_span[1]]
    id_start, id_end = id_span
    ident = text[id_start:id_end].rstrip(".-")
    id_end = id_start + len(ident)
    platform = _LABEL_PLATFORMS.get(label.lower())
    if platform is None:
        return []
    if platform == "line" and label != "LINE" and hit.span(ids["hidword"]) is None:
        return []  # "first line: hello"
    if is_word_char(char_after(text, id_end)):
        return []
    if ident.lower() in _ID_STOP or len(ident.lstrip("@+")) < 4:
        return []
    try:
        if ident[0].isdigit() or ident.startswith("+"):
            if platform in _PHONE_PLATFORMS or ident.startswith("+"):
                value = normalize_phone(ident, scan.region)
            else:
                value = "".join(c for c in ident if c.isdigit())  # QQ / WeChat number ids
        else:
            _, value = split_handle(ident)
    except ValueError:
        return []
    attrs = {"platform": platform, "kind": "account", "via": "label", "confidence": "high"}
    return [scan.make("handle", value, id_start, id_end, f"handle.{platform}.label", attrs=attrs)]


def handle_email(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    start, end = hit.start, hit.end
    while end > start and text[end - 1] in ".-":
        end -= 1
    raw = text[start:end]
    if raw.startswith(".") or is_word_char(char_after(text, end)):
        return []
    try:
        value = normalize_email(raw)
    except ValueError:
        return []
    domain = value.rsplit("@", 1)[1]
    if not is_tld(domain.rsplit(".", 1)[1]):
        return []
    attrs = {"domain": domain, "obfuscated": "0" if "@" in raw else "1"}
    return [scan.make("email", value, start, end, "email.address", attrs=attrs)]


HANDLERS = {
    "email": handle_email,
    "hlabel_en": handle_label,
    "hlabel_zh": handle_label,
    "phone": handle_phone,
    "at": handle_at,
}
