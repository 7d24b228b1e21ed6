"""Money amounts in chat text: "5,000 USDT", "5000U", "$5k", "USD 2.5k", "5万U", "人民币2万",
"二十万", "3000元", "five thousand dollars", "1.2 BTC".

An amount needs a currency or a multiplier (k, 万, 千, 亿). The one exception: a number of 100
or more right before or right after a strong money verb ("35,000 deposited", "20000已转账",
"deposited 35,000", "转了20000") is an amount with no currency, and its span is the number
alone; otherwise a bare number (date, phone, code, order id) is never an amount.
Digits mixed with Chinese units ("1万5千U", "1万5") and colloquial numerals ("一万二" = 12000)
are read whole. The canonical value is "<decimal> <CODE>" ("5000 USDT"), or just "<decimal>"
when the text names no currency ("5k" -> "5000"). ¥/￥ are read as CNY (the scripts this
targets are Chinese).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate

from scamlens.indicators.regex import Gate, Hit, compile_re2

# Currency tokens (lower case) -> ISO-ish code. Longest tokens are tried first by the regex.
CURRENCIES: dict[str, str] = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
    "美元": "USD", "美金": "USD", "刀": "USD",
    "usdt": "USDT", "u": "USDT", "个u": "USDT", "泰达币": "USDT", "usdt币": "USDT",
    "usdc": "USDC", "btc": "BTC", "₿": "BTC", "比特币": "BTC", "eth": "ETH", "以太坊": "ETH",
    "以太币": "ETH", "trx": "TRX", "bnb": "BNB", "sol": "SOL", "xrp": "XRP", "doge": "DOGE",
    "ltc": "LTC", "ton": "TON",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "英镑": "GBP",
    "¥": "CNY", "￥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "元": "CNY",
    "块": "CNY", "块钱": "CNY", "人民币": "CNY",
    "hk$": "HKD", "hkd": "HKD", "港币": "HKD", "港元": "HKD", "s$": "SGD", "sgd": "SGD",
    "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD", "nt$": "TWD", "twd": "TWD",
    "台币": "TWD", "jpy": "JPY", "日元": "JPY", "myr": "MYR", "rm": "MYR", "php": "PHP",
    "₱": "PHP", "thb": "THB", "฿": "THB", "vnd": "VND", "₫": "VND", "krw": "KRW", "₩": "KRW",
    "inr": "INR", "₹": "INR",
}  # fmt: skip

_MULTIPLIERS: dict[str, int] = {
    "k": 1_000, "thousand": 1_000, "thousands": 1_000, "grand": 1_000, "千": 1_000,
    "仟": 1_000, "百": 100, "佰": 100, "w": 10_000, "万": 10_000, "萬": 10_000,
    "百万": 1_000_000, "千万": 10_000_000, "m": 1_000_000, "mil": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000, "亿": 100_000_000, "億": 100_000_000,
    "bn": 1_000_000_000, "billion": 1_000_000_000, "billions": 1_000_000_000,
}  # fmt: skip

_PRE = (
    r"US\$|HK\$|NT\$|S\$|A\$|C\$|\$|€|£|¥|￥|₱|₹|₩|₫|฿|₿|"
    r"USDT|USD|EUR|GBP|RMB|CNY|HKD|SGD|人民币|美金|美元|港币"
)
# Currencies after the number. Those ending in an ASCII letter only count at a word end
# (\b): "1万5 usually" is 15000, not 15000 USDT followed by "sually".
_POST_ZH = (
    r"USDT币|块钱|元|块|美元|美金|刀|泰达币|比特币|以太坊|以太币|港币|港元|台币|日元|人民币|"
    r"欧元|英镑"
)
_POST_ASCII = (
    r"USDT|USDC|USD|BTC|ETH|TRX|BNB|SOL|XRP|DOGE|LTC|TON|EUR|GBP|CNY|RMB|HKD|SGD|AUD|"
    r"CAD|JPY|MYR|PHP|THB|VND|KRW|INR|TWD|dollars|dollar|bucks|euros|euro|pounds|pound|yuan|"
    r"个U|U"
)
_POST = rf"{_POST_ZH}|(?:{_POST_ASCII})\b"
# Every repetition is bounded: in one RE2 alternation an unbounded run (a 2 MB line of digits)
# would keep a higher-priority alternative alive and make each later match rescan the run.
_NUM = r"\d{1,3}(?:,\d{3}){1,6}(?:\.\d{1,12})?|\d{1,18}(?:\.\d{1,12})?"
# Multipliers. An ASCII one only counts at a word end (\b), so "$45,000 with" and "$5,000
# more" are read without one; RE2 then falls back to the amount alone within the match.
_MULT_ZH = r"百万|千万|万|萬|千|仟|百|佰|亿|億"
_MULT_ASCII = r"millions|million|thousands|thousand|billions|billion|grand|mil|bn|k|w|m"
_MULT = rf"{_MULT_ZH}|(?:{_MULT_ASCII})\b"
# Arabic digits mixed with Chinese units: "1万5千" (15000), "1万5" (colloquial 15000),
# "1亿2000万", "3千5". Read by mixed_number.
_MIX_UNIT_VALUES = {
    "亿": 100_000_000, "億": 100_000_000, "万": 10_000, "萬": 10_000, "千": 1_000,
    "仟": 1_000, "百": 100, "佰": 100,
}  # fmt: skip
_MIX_TERM = r"\d{1,4}[亿億万萬千仟百佰]"
_MIX = rf"{_MIX_TERM}(?:(?:{_MIX_TERM}){{1,3}}\d{{0,4}}|\d{{1,4}})[万萬亿億]?"
# A bare number right before a strong money verb ("35,000 deposited", "20000已转账"): an
# amount with no currency, whose span is the number (the verb is only context). At most 7
# plain digits, so phone numbers and long ids never match here.
_VNUM = r"\d{1,3}(?:,\d{3}){1,2}(?:\.\d{1,2})?|\d{2,7}(?:\.\d{1,2})?"
_VERB_EN = r"deposited|transferred|withdrawn|topped[ ]up|wired"
_VERB_ZH = r"已充值|已转账|已转|已提现|已入金|已出金|已到账"
# The other order, a money verb right before a bare number ("deposited 35,000", "转了20000",
# "充值 5000"). A match holding verb and number would swallow the start of whatever follows
# the verb ("充值5000U", "转账 138 1234 5678"), so the gate matches the verb alone
# (VERB_MARK_PATTERN, a separate alternative after all others); the number after it is read
# by `verb_mark_amount` and kept only where no other indicator covers it. The mark is one
# word, so it holds no character another candidate could start at ("topped up.com" keeps its
# domain "up.com": "up" and filler words are read after the mark), and changes no reading.
_VERB_FIRST_EN = (
    r"deposited|deposit|transferred|transfered|transfer|withdrew|withdrawn|withdraw|"
    r"topped|top|wired|wire"
)
_VERB_FIRST_ZH = (
    r"转账|转帐|轉帳|轉賬|转入|轉入|转|轉|充值|儲值|储值|充|入金|出金|提现|提現|提了|"
    r"汇款|匯款|汇了|匯了|打款|付款|支付|存入|存了|交了"
)
# A few words may stand between an English verb and its number: "deposited another 5000".
_FILLER_EN = r"another|over|about|around|almost|nearly|roughly|only|just|a[ ]further|an[ ]extra"
VERB_MARK_PATTERN = rf"(?i:\b(?:{_VERB_FIRST_EN})\b|{_VERB_FIRST_ZH})"
# What may follow a verb mark up to its number, matched on a short slice that starts right
# after the mark ("top" and "topped" need "up": "top 500 traders" is no payment).
_NUM_AFTER = rf"(?P<n>{_VNUM})(?:[ ](?P<m>thousand|grand)\b)?"
_AFTER_EN = compile_re2(
    rf"(?i:(?P<up>[ ]up)?[ ]{{1,2}}(?:(?:{_FILLER_EN})[ ]{{1,2}})?{_NUM_AFTER})"
)
_AFTER_ZH = compile_re2(rf"(?i:[了过過]?(?:[给給][你他她我][们們]?)?[ ]{{0,2}}{_NUM_AFTER})")
_AFTER_SLICE = 64  # longer than any match of _AFTER_EN or _AFTER_ZH plus the character after
_ZH_DIGIT_VALUES = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6,
    "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
_ZH_DIGITS = "".join(_ZH_DIGIT_VALUES)
_ZH_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUM = rf"[{_ZH_DIGITS}十拾百佰千仟万萬亿億]{{1,16}}"
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_WORD_UNITS = {w: i for i, w in enumerate(_UNIT_WORDS.split())}
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_WORD_TENS = {w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS.split())}
_WORD_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORDS = "|".join([*_WORD_UNITS, *_WORD_TENS, "hundred", *_WORD_SCALES, "a"])

# Branch order matters (leftmost-first: at one position the first branch that matches wins):
# the mixed numeral comes before the plain ones, which would stop at its first unit ("1万").
# Five top-level branches (tests/indicators/test_patterns.py counts them): the new forms are
# nested inside the branch they resemble, which leaves the gate's identification unchanged.
AMOUNT_PATTERN = (
    rf"(?i:(?:(?:(?P<mxpre>{_PRE})[ ]?)?(?P<mx>{_MIX})(?:[ ]?(?P<mxpost>{_POST}))?"
    rf"|(?P<pre>{_PRE})[ ]?(?P<n1>{_NUM})(?:[ ]?(?P<m1>{_MULT}))?)"
    rf"|(?P<n2>{_NUM})[ ]?(?:(?P<m2>{_MULT_ZH}|{_MULT_ASCII})[ ]?)?(?P<post>{_POST})"
    rf"|(?:(?P<n3>{_NUM})(?P<m3>百万|千万|k|w|万|萬|千|仟|亿|億)"
    rf"|(?P<vn>{_VNUM})(?:[ ](?P<vm>thousand|grand))?(?:[ ]{{1,2}}(?:{_VERB_EN})\b|{_VERB_ZH}))"
    rf"|(?P<zh>{_ZH_NUM})(?P<zhpost>{_POST})?"
    rf"|(?P<words>(?:(?:{_WORDS})(?:[ -]{{1,3}}|[ ]{{1,3}}and[ ]{{1,3}})){{1,12}})"
    r"(?P<wpost>dollars|dollar|bucks|usdt|usd|euros|pounds|yuan|rmb))"
)
_GATE = Gate([("amount", AMOUNT_PATTERN), ("amount_verb", VERB_MARK_PATTERN)])


@dataclass(frozen=True, slots=True)
class Amount:
    value: str  # "5000 USDT", or "5000" with no currency
    amount: str  # decimal string, no exponent
    currency: str  # ISO-ish code, "" when the text names none
    start: int = 0
    end: int = 0


def _decimal(num: str) -> Decimal | None:
    try:
        return Decimal(num.replace(",", ""))
    except InvalidOperation:
        return None


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def zh_number(text: str) -> int | None:
    """Value of a Chinese numeral ("二十万" -> 200000, "一万五千" -> 15000); None if malformed.

    A digit right after a unit at the end of a section is read as people say it: "一万二" is
    12000, "三百五" 350, "一千五万" 15000000; after 零 it is literal ("一万零二" is 10002).
    """
    total = 0
    section = 0
    digit: int | None = None
    unit: int | None = None  # the unit the current digit directly follows (no 零 between)
    last: int | None = None  # the unit just read, if the previous character was one
    for ch in text:
        if ch in _ZH_DIGIT_VALUES:
            if digit not in (None, 0) and ch not in "零〇":
                return None  # two digits in a row ("一二") is not a number word
            digit = _ZH_DIGIT_VALUES[ch]
            unit = last if digit else None
            last = None
        elif ch in _ZH_UNITS:
            section += (digit if digit is not None else 1) * _ZH_UNITS[ch]
            digit = unit = None
            last = _ZH_UNITS[ch]
        elif ch in _ZH_BIG:
            section += _tail(digit, unit, small_only=True)
            big = _ZH_BIG[ch]
            total = (total + section) * big if big > 10_000 else total + section * big
            section = 0
            digit = unit = None
            last = big
        else:
            return None
    return total + section + _tail(digit, unit, small_only=False)


def _tail(digit: int | None, unit: int | None, small_only: bool) -> int:
    """A section's last digit: colloquially a tenth of the unit before it ("一万二")."""
    if not digit:
        return 0
    if unit is None or unit <= 10 or (small_only and unit >= 10_000):
        return digit
    return digit * unit // 10


def mixed_number(text: str) -> int | None:
    """Value of Arabic digits mixed with Chinese units ("1万5千" -> 15000, "1万5" -> 15000,
    "1亿2000万" -> 120000000, "3千5" -> 3500, "5千5百万" -> 55000000); None if malformed
    ("1万15千"). A digit right after a unit is read as in `zh_number` ("1万5", "1千2万")."""
    total = 0
    section = 0
    big = 10**18  # the last 万/亿 read: they must go down
    small = 10_000  # the last 千/百 in this section: they must go down too
    last: int | None = None  # the unit just before the digits being read
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and "0" <= text[j] <= "9":
            j += 1
        digits = text[i:j]
        if j == len(text):  # trailing digits
            if not digits:
                return None
            value = int(digits)
            if len(digits) == 1 and last is not None:
                return total + section + value * last // 10
            if last is not None and value >= min(last, small):
                return None
            return total + section + value
        unit = _MIX_UNIT_VALUES.get(text[j])
        if unit is None or (not digits and (unit < 10_000 or last is None or last >= 10_000)):
            return None  # only 万/亿 may follow a unit directly ("5千5百万")
        value = int(digits) if digits else 0
        if unit >= 10_000:
            if unit >= big:
                return None
            if len(digits) == 1 and last is not None and last < 10_000:
                value = value * last // 10  # "1千2万": 1200万
            section += value
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section = 0
            big = unit
            small = 10_000
        else:
            if unit >= small or len(digits) > 1 or (section and value == 0):
                return None
            section += value * unit
            small = unit
        last = unit
        i = j + 1
    return total + section


def words_number(text: str) -> int | None:
    """Value of English number words ("five thousand", "a hundred and twenty")."""
    total = 0
    current = 0
    seen = False
    for word in text.lower().replace("-", " ").split():
        if word == "and":
            continue
        if word == "a":
            current += 1
        elif word in _WORD_UNITS:
            current += _WORD_UNITS[word]
            seen = True
        elif word in _WORD_TENS:
            current += _WORD_TENS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in _WORD_SCALES:
            total += max(current, 1) * _WORD_SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


_BEFORE_STOPS = ".,:/#-+@"  # a number right after one of these continues something else
_WORD_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _zh_ok(zh: str, has_currency: bool) -> bool:
    """Guard against idioms: 千万 ("by all means"), 万一 ("in case"), 十分 ("very")."""
    if zh[0] not in _ZH_DIGITS + "十拾" or zh[0] in "零〇":
        return False
    if has_currency:
        return True
    return any(c in "万萬亿億千仟" for c in zh) and len(zh) >= 2


# What a cached parse still has to check in the text beyond its key (see parsed_hit).
_NO_CHECK, _CHECK_CJK, _CHECK_VERB, _CHECK_MIXED = 0, 1, 2, 3
# (value, amount, currency, check) of a hit, or None; see amount_from_hit.
_Parsed = tuple[str, str, str, int] | None
_PARSED: dict[tuple[str | bool, str, bool], _Parsed] = {}
_PARSED_MAX = 8192
# A bare number next to a money verb is an id or a code after one of these words.
_ID_WORDS = frozenset(
    {
        "code", "codes", "otp", "pin", "id", "no", "no.", "number", "order", "ref", "reference",
        "ticket", "tracking", "account", "acct", "invoice", "room", "tel", "phone", "call", "ext",
    }
)  # fmt: skip
_ID_ZH = ("验证码", "订单", "单号", "编号", "号码", "尾号", "账号", "卡号", "号", "码")
_MIN_VERB_AMOUNT = 100  # "3 transferred" is a count more often than money
# Words right after a bare number that make it a count or a measure, not money.
_COUNT_WORDS = (
    "people persons person members users friends followers follower subscribers fans likes "
    "like shares share views comments messages msgs texts photos pics pictures videos times "
    "time days day hours hour hrs minutes mins min seconds secs weeks week months month years "
    "year yrs km kms miles mile kg kgs lbs meters metres steps points pts pages words items "
    "pieces pcs units coins tokens orders transactions txs rounds votes clicks calls emails "
    "files gb mb tb percent pct bps lots contracts accounts cards calories degrees x"
)
_COUNT_EN = frozenset(_COUNT_WORDS.split())
_COUNT_ZH = (
    "人", "天", "次", "个", "個", "号", "號", "点", "點", "岁", "歲", "年", "月", "日", "分", "秒",
    "小时", "小時", "张", "張", "条", "條", "位", "名", "份", "股", "件", "只", "隻", "粉", "赞",
    "讚", "楼", "樓", "页", "頁", "字", "米", "公里", "公斤", "斤", "克", "积分", "積分", "期",
    "笔", "筆", "遍", "回", "场", "場", "周", "週", "星期", "倍", "折", "成", "台", "部", "套",
    "户", "戶", "家", "粒", "颗", "顆",
)  # fmt: skip
# Characters right after a bare number that leave it to the amount pass ("转了20万",
# "转了5000元") or make it something else ("50%").
_NOT_BARE_AFTER = frozenset("万萬千仟百佰亿億元块刀%％‰°")
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def amount_from_hit(hit: Hit, ids: dict[str, int], text: str) -> Amount | None:
    """Amount for one AMOUNT_PATTERN gate hit in `text`, or None when context rules it out."""
    parsed = parsed_hit(hit, ids, text)
    if parsed is None:
        return None
    value, amount, currency, start, end = parsed
    return Amount(value=value, amount=amount, currency=currency, start=start, end=end)


def parsed_hit(hit: Hit, ids: dict[str, int], text: str) -> tuple[str, str, str, int, int] | None:
    """(value, amount, currency, start, end) of `amount_from_hit`, without building an
    Amount. The span is the whole match, except for a bare number before its money verb,
    whose span is the number alone ("35,000" in "35,000 deposited")."""
    key = hit.key
    if key is None:
        parsed = _parse(hit, ids, text)
    else:
        # A hit's parse depends on its groups (which its text decides) and on the characters
        # around it only through the tests in _parse: cache it under those.
        before, found, after = key
        short = (
            before if before in _BEFORE_STOPS else before in _WORD_CHARS,
            found,
            after in _WORD_CHARS,
        )
        try:
            parsed = _PARSED[short]
        except KeyError:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            parsed = _PARSED[short] = _parse(hit, ids, text)
    if parsed is None:
        return None
    check = parsed[3]
    if check == _CHECK_CJK and not _near_cjk(text, hit.start, hit.end):
        return None
    if check == _CHECK_VERB:
        if _looks_like_id(text, hit.start):
            return None
        num_span = hit.span(ids["vn"])
        mult_span = hit.span(ids["vm"])
        if num_span is not None:  # always: the verb branch matched
            end = mult_span[1] if mult_span is not None else num_span[1]
            return parsed[0], parsed[1], parsed[2], num_span[0], end
    if (
        check == _CHECK_MIXED
        and text[hit.end : hit.end + 1] in (".", ",")
        and (text[hit.end + 1 : hit.end + 2].isdigit())
    ):
        return None  # "1万5.5", "1万5,000": the number goes on past the match
    return parsed[0], parsed[1], parsed[2], hit.start, hit.end


def _parse(hit: Hit, ids: dict[str, int], text: str) -> _Parsed:
    start, end = hit.start, hit.end

    def group(name: str) -> str | None:
        return hit.text(ids[name])

    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    words = group("words")
    if words is not None:
        value = words_number(words)
        if value is None or value == 0 or (start > 0 and _word_char(before)):
            return None
        currency = CURRENCIES.get((group("wpost") or "").lower(), "")
        return (*_make(Decimal(value), currency), _NO_CHECK)
    zh = group("zh")
    if zh is not None:
        post = group("zhpost")
        if not _zh_ok(zh, post is not None):
            return None
        value = zh_number(zh)
        if not value:
            return None
        if post is not None and _word_char(post[-1]) and _word_char(after):
            return None
        currency = CURRENCIES.get(post.lower(), "") if post else ""
        return (*_make(Decimal(value), currency), _NO_CHECK)
    # Digits: the number must not continue a word, a decimal, a time or an id.
    if _word_char(before) or before in _BEFORE_STOPS or _word_char(after):
        return None
    mixed = group("mx")
    if mixed is not None:
        return _parse_mixed(mixed, group("mxpre"), group("mxpost"))
    verb_num = group("vn")
    if verb_num is not None:
        return _parse_verb(verb_num, group("vm"))
    pre, post = group("pre"), group("post")
    check = _NO_CHECK
    if pre is not None:
        num, mult = group("n1"), group("m1")
        if pre[-1].isalpha() and pre.isascii() and _word_char(before):
            return None
        currency = CURRENCIES.get(pre.lower(), "")
    elif post is not None:
        num, mult = group("n2"), group("m2")
        currency = CURRENCIES.get(post.lower(), "")
        if post in ("u", "U") and mult is None and "." in (num or ""):
            return None  # "1.5u" reads as a unit more often than as USDT
    else:
        num, mult = group("n3"), group("m3")
        currency = ""
        # "5w" (5万) only next to Chinese text: the one test that looks past the key.
        if (mult or "").lower() == "w":
            check = _CHECK_CJK
    if num is None:
        return None
    d = _decimal(num)
    if d is None:
        return None
    if mult:
        d *= _MULTIPLIERS[mult.lower()]
    if d == 0:
        return None
    return (*_make(d, currency), check)


def _parse_mixed(mixed: str, pre: str | None, post: str | None) -> _Parsed:
    value = mixed_number(mixed)
    if not value:
        return None
    currency = CURRENCIES.get((pre or post or "").lower(), "")
    return (*_make(Decimal(value), currency), _CHECK_MIXED)


def _parse_verb(num: str, mult: str | None) -> _Parsed:
    d = _verb_value(num, mult, "")
    return None if d is None else (*_make(d, ""), _CHECK_VERB)


def _verb_value(num: str, mult: str | None, after: str) -> Decimal | None:
    """Value of a bare number next to a money verb, `after` being the text right after it;
    None when it is too small, a year or a code."""
    if num[0] == "0":
        return None  # "0800": a code or a time, not money
    d = _decimal(num)
    if d is None:
        return None
    if mult:
        d *= _MULTIPLIERS[mult.lower()]
    elif (
        num.isdigit()
        and len(num) == 4
        and 1900 <= int(num) <= 2099
        and (int(num) % 100 or after.lstrip(" ").lower().startswith(("年", "year")))
    ):
        # A year ("2023 deposited", "转了2024年"), unless a round hundred that reads as money
        # ("提现 2000 被冻结").
        return None
    if d < _MIN_VERB_AMOUNT:
        return None
    return d


def _looks_like_id(text: str, start: int) -> bool:
    """Whether the bare number at `start` continues a digit run ("+1 415 555 2671") or
    follows an id word ("code 482913", "订单 12345")."""
    head = text[max(0, start - 24) : start].rstrip(" :：#")
    if head[-1:].isdigit() or head.endswith(_ID_ZH):
        return True
    words = head.lower().split()
    return bool(words) and words[-1] in _ID_WORDS


def verb_mark_amount(text: str, start: int, end: int) -> Amount | None:
    """The bare number of 100 or more right after the money verb at text[start:end]
    ("deposited 35,000", "topped up 3000", "转了20000", "充值 5000"): currency "", span of the
    number alone; None when there is none. The caller drops it where another reading covers
    it (`uncovered`): "充值5000U" is the amount "5000U"."""
    verb = text[start:end]
    english = verb.isascii()
    rx = _AFTER_EN if english else _AFTER_ZH
    m = rx.match(text[end : end + _AFTER_SLICE])
    if m is None:
        return None
    if english and (m.group("up") is not None) != verb.lower().startswith("top"):
        return None
    num_start, stop = end + m.start(rx.groupindex["n"]), end + m.end()
    tail = text[stop : stop + 16]
    if not _bare_end_ok(tail):
        return None
    d = _verb_value(m.group("n"), m.group("m"), tail)
    if d is None:
        return None
    value, amount, currency = _make(d, "")
    return Amount(value, amount, currency, num_start, stop)


def _bare_end_ok(tail: str) -> bool:
    """Whether the text right after a bare number lets it be money: not a longer number
    (phone, date, time, decimal, domain), a unit of count or measure ("500 people", "300人"),
    or a currency or multiplier (the amount pass reads those)."""
    if not tail:
        return True
    first, second = tail[0], tail[1:2]
    if _word_char(first) or first in _NOT_BARE_AFTER:
        return False
    if first in ".:/-@#+" and second.isascii() and second.isalnum():
        return False
    if first in ", " and second.isdigit():
        return False  # "5000,000", "138 1234 5678"
    rest = tail.lstrip(" ")
    if rest.startswith(_COUNT_ZH) or rest[:1] in _NOT_BARE_AFTER:
        return False
    word = rest[: len(rest) - len(rest.lstrip(_ASCII_LETTERS))]
    return word.lower() not in _COUNT_EN


def uncovered(found: list[Amount], spans: list[tuple[int, int]]) -> list[Amount]:
    """The amounts of `found` that overlap none of `spans` (given in any order)."""
    if not found or not spans:
        return found
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))  # the furthest end so far
    out = []
    for a in found:
        k = bisect_left(starts, a.end)
        if k and reach[k - 1] > a.start:
            continue
        out.append(a)
    return out


def _near_cjk(text: str, start: int, end: int) -> bool:
    window = text[max(0, start - 12) : end + 12]
    return any("\u4e00" <= ch <= "\u9fff" for ch in window)


def _make(d: Decimal, currency: str) -> tuple[str, str, str]:
    amount = _fmt(d)
    value = f"{amount} {currency}" if currency else amount
    return value, amount, currency


def clear_cache() -> None:
    _PARSED.clear()
    _GATE.clear_cache()


def find_amounts(text: str) -> list[Amount]:
    """Every amount in `text`, with spans into it, in order."""
    out = []
    marked = []
    for hit in _GATE.scan(text):
        if hit.name == "amount_verb":
            a = verb_mark_amount(text, hit.start, hit.end)
            if a is not None:
                marked.append(a)
            continue
        a = amount_from_hit(hit, _GATE.ids, text)
        if a is not None:
            out.append(a)
    extra = uncovered(marked, [(a.start, a.end) for a in out])
    if extra:
        out = sorted([*out, *extra], key=lambda a: a.start)
    return out


def parse_amount(raw: str) -> Amount | None:
    """The amount `raw` spells out as a whole, or None ("5万U" -> 50000 USDT)."""
    text = raw.strip()
    for a in find_amounts(text):
        if a.start == 0 and a.end == len(text):
            return a
    return None
