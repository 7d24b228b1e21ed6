"""Which country a free-text location names ("Houston, TX", "Living in London", "现居纽约").

A small offline gazetteer: country names and the large cities people write on profiles, in
English and Chinese. It answers only when one country is named; otherwise None. Used to compare
a stated location with the region of a phone number.
"""

from __future__ import annotations

from functools import lru_cache

import re2

from scamlens.text.normalize import fold

# ISO 3166-1 alpha-2 -> names and big cities (folded: lower case, simplified Chinese).
_PLACES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "usa", "u.s.a", "u.s.", "america", "new york", "nyc", "los angeles",
           "san francisco", "chicago", "houston", "dallas", "austin", "miami", "seattle",
           "boston", "atlanta", "denver", "phoenix", "las vegas", "san diego", "philadelphia",
           "washington dc", "texas", "california", "florida", "new jersey", "ohio", "michigan",
           "美国", "纽约", "洛杉矶", "旧金山", "芝加哥", "休斯顿", "西雅图", "波士顿",
           "拉斯维加斯"),
    "CA": ("canada", "toronto", "vancouver", "montreal", "calgary", "ottawa", "加拿大", "多伦多",
           "温哥华", "蒙特利尔"),
    "GB": ("united kingdom", "uk", "england", "scotland", "wales", "britain", "london",
           "manchester", "birmingham", "edinburgh", "glasgow", "英国", "伦敦", "曼彻斯特"),
    "IE": ("ireland", "dublin", "爱尔兰"),
    "AU": ("australia", "sydney", "melbourne", "brisbane", "perth", "adelaide", "澳大利亚",
           "澳洲", "悉尼", "墨尔本"),
    "NZ": ("new zealand", "auckland", "wellington", "新西兰", "奥克兰"),
    "DE": ("germany", "berlin", "munich", "hamburg", "frankfurt", "德国", "柏林"),
    "FR": ("france", "paris", "lyon", "marseille", "法国", "巴黎"),
    "IT": ("italy", "rome", "milan", "意大利", "罗马", "米兰"),
    "ES": ("spain", "madrid", "barcelona", "西班牙"),
    "NL": ("netherlands", "amsterdam", "rotterdam", "荷兰"),
    "CH": ("switzerland", "zurich", "geneva", "瑞士"),
    "SE": ("sweden", "stockholm", "瑞典"),
    "NO": ("norway", "oslo", "挪威"),
    "HK": ("hong kong", "hongkong", "香港"),
    "SG": ("singapore", "新加坡"),
    "TW": ("taiwan", "taipei", "台湾", "台北"),
    "MO": ("macau", "macao", "澳门"),
    "CN": ("china", "beijing", "shanghai", "shenzhen", "guangzhou", "中国", "北京", "上海", "深圳",
           "广州", "杭州", "成都"),
    "JP": ("japan", "tokyo", "osaka", "日本", "东京", "大阪"),
    "KR": ("south korea", "korea", "seoul", "busan", "韩国", "首尔"),
    "MY": ("malaysia", "kuala lumpur", "penang", "johor", "马来西亚", "吉隆坡"),
    "TH": ("thailand", "bangkok", "chiang mai", "phuket", "pattaya", "泰国", "曼谷", "清迈"),
    "VN": ("vietnam", "viet nam", "hanoi", "ho chi minh", "saigon", "越南", "河内", "胡志明"),
    "PH": ("philippines", "manila", "cebu", "makati", "菲律宾", "马尼拉"),
    "ID": ("indonesia", "jakarta", "bali", "印尼", "印度尼西亚", "雅加达"),
    "KH": ("cambodia", "phnom penh", "sihanoukville", "柬埔寨", "金边", "西港"),
    "MM": ("myanmar", "burma", "yangon", "mandalay", "缅甸", "仰光"),
    "LA": ("laos", "vientiane", "老挝", "万象"),
    "IN": ("india", "mumbai", "delhi", "new delhi", "bangalore", "bengaluru", "印度"),
    "AE": ("united arab emirates", "uae", "dubai", "abu dhabi", "阿联酋", "迪拜"),
    "QA": ("qatar", "doha", "卡塔尔"),
    "SA": ("saudi arabia", "riyadh", "jeddah", "沙特"),
    "TR": ("turkey", "istanbul", "土耳其"),
    "NG": ("nigeria", "lagos", "abuja", "尼日利亚"),
    "GH": ("ghana", "accra", "加纳"),
    "ZA": ("south africa", "johannesburg", "cape town", "南非"),
    "BR": ("brazil", "sao paulo", "rio de janeiro", "巴西"),
    "MX": ("mexico", "mexico city", "墨西哥"),
}  # fmt: skip

# "America" alone means the US; inside "Latin America" or "South America" it does not.
_AMBIGUOUS = {"america"}


@lru_cache(maxsize=1)
def _matcher() -> tuple[re2._Regexp, dict[str, str]]:
    lookup: dict[str, str] = {}
    for code, names in _PLACES.items():
        for name in names:
            lookup[name] = code
    parts = []
    for name in sorted(lookup, key=len, reverse=True):
        body = re2.escape(name)
        if name.isascii():
            body = rf"\b{body}" + (r"\b" if name[-1].isalnum() else "")
        parts.append(body)
    return re2.compile("(?:" + "|".join(parts) + ")"), lookup


def countries_in(text: str) -> set[str]:
    """ISO codes of every country `text` names (by country or big-city name)."""
    if not text:
        return set()
    regex, lookup = _matcher()
    folded = fold(text)
    found: set[str] = set()
    for m in regex.finditer(folded):
        name = m.group(0)
        if name in _AMBIGUOUS and ("latin america" in folded or "south america" in folded):
            continue
        code = lookup.get(name)
        if code is not None:
            found.add(code)
    return found


def country_of(text: str) -> str | None:
    """The one country `text` names, or None when it names none or several."""
    found = countries_in(text)
    return next(iter(found)) if len(found) == 1 else None
