"""URLs, bare domains, messenger links and app-install lures.

Detection runs on the original text with two RE2 passes: URLs with a scheme (also defanged
``hxxps://``, ``[://]``) and bare domains whose separators may be obfuscated (``[.]``,
``(dot)``, `` dot ``, ``点``, full-width dots, spaces before a dot, zero-width characters inside
a label). Every candidate is normalised; its last label must be a suffix from the bundled
public-suffix list. Bare domains get more scrutiny than URLs, because chat is full of
``ok.thanks``, ``e.g.``, ``image.jpg`` and ``v1.2.3`` (see `_bare_ok`).
"""

from __future__ import annotations

from functools import lru_cache

from scamlens.indicators.base import Scan, char_before, has_any
from scamlens.indicators.lookalike import lookalike
from scamlens.indicators.normalize import (
    defang,
    normalize_domain,
    normalize_url,
    registered_domain,
    split_domain,
    split_handle,
)
from scamlens.indicators.regex import Hit, compile_re2
from scamlens.model import Indicator

# Letters a domain label may hold in free text: Latin (with accents), Greek, Cyrillic,
# phonetic and full-width forms, i.e. the scripts homoglyph look-alikes are built from.
_L = (
    r"0-9A-Za-z\x{C0}-\x{24F}\x{370}-\x{3FF}\x{400}-\x{52F}\x{1D00}-\x{1DBF}"
    r"\x{1E00}-\x{1EFF}\x{FF10}-\x{FF19}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}"
)
_Z = r"\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}"  # invisible characters hidden inside labels
_LABEL = rf"[{_L}][{_L}{_Z}_-]*"
_WIDE = r"[\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}]"  # full-width letters (a TLD written "ＣＯＭ")
_SEP = (
    r"(?:[.\x{3002}\x{FF0E}\x{FF61}]"
    r"|[ ]*[\[({][ ]*(?:[.\x{3002}]|dot|\x{70B9})[ ]*[\])}][ ]*"
    r"|[ ]+dot[ ]+|\x{70B9}|[ ]+\.[ ]*)"
)
_STOP = r"\s<>\"'`\x00\x{A0}\x{2028}\x{2029}\x{3000}"
_PATH = rf"(?::\d{{1,5}})?(?:[/?#][^{_STOP}]*)?"

URL_PATTERN = (
    r"(?i:h(?:tt|xx|\*\*)ps?|ftp|wss?|itms-services)"
    r"(?:://|\[://\]|\[:\]//|\(:\)//|:\\\\)"
    rf"[^{_STOP}]+"
)
IP_PATTERN = rf"\b(?:\d{{1,3}}\.){{3}}\d{{1,3}}\b(?P<ippath>{_PATH})"
DOMAIN_PATTERN_TEMPLATE = (
    rf"(?P<dom>(?i:{_LABEL}(?:{_SEP}{_LABEL})*{_SEP}(?:(?:@TLDS@)\b|{_WIDE}{{2,24}})))"
    rf"(?P<dpath>{_PATH})"
)

_TRAILING = set(".,;:!?'\"*。，、；：！？…～")
_CLOSERS = {
    ")": "(",
    "]": "[",
    "}": "{",
    "）": "（",
    "】": "【",
    "」": "「",
    "』": "『",
    "》": "《",
}
_HARD_STOPS = set("，、；！？（）【】「」『』《》“”‘’…")

# TLDs common enough in links that a bare "name.tld" is believable on its own.
_COMMON_TLDS_TEXT = (
    "com net org io co cc vip top xyz app info biz pro ltd club shop site online live link "
    "finance exchange trade money cash asia hk sg cn tw uk ca au de fr jp kr ru ph th vn eu nz "
    "tv cloud dev page website space store tech fund capital group global world network icu "
    "cyou buzz bond sbs cfd click help support work fun wang ink mobi best plus lat ai me"
)
COMMON_TLDS = frozenset(_COMMON_TLDS_TEXT.split())
# TLDs that are also everyday words ("it.today", "that.is"): a bare domain using one needs a
# digit or hyphen, a brand look-alike, a path or link words nearby.
_WORD_TLDS_TEXT = (
    "is in it at to no so us am be do go my on or as an by we he hi me id im pm la ms st today "
    "live life love fun world news work link one cool best buy cash money club shop store game "
    "win date help now new top fit you how run team care chat plus zone bar pub red pink blue "
    "black gold green fish dog cat baby bike boo cafe city day deals fail farm free gift guide "
    "guru hot house how land lol meme men mom page party pics pizza place play pro rest rich "
    "run sale sexy show site ski social solutions space style sucks surf talk tips town toys "
    "tube wiki wine wow yoga"
)
WORD_TLDS = frozenset(_WORD_TLDS_TEXT.split())
# File extensions that are also TLDs: "setup.zip", "script.py", "readme.md".
_FILE_TLDS_TEXT = "zip mov py sh rs pl md ps cpp php cs js gz ai"
FILE_TLDS = frozenset(_FILE_TLDS_TEXT.split())
LINK_WORDS = frozenset(
    {
        "link", "site", "website", "url", "domain", "visit", "login", "log in", "register",
        "sign up", "signup", "download", "platform", "app", "open", "click", "browser",
        "网址", "网站", "链接", "平台", "注册", "登录", "下载", "打开", "点击", "官网",
    }
)  # fmt: skip
_WORD_SEPARATOR_HINTS = ("dot", "点", " ")

MESSENGER_HOSTS = {
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "wa.me": "whatsapp",
    "api.whatsapp.com": "whatsapp",
    "chat.whatsapp.com": "whatsapp",
    "line.me": "line",
    "lin.ee": "line",
}

APP_PHRASE_RE = compile_re2(
    r"(?i)download(?:ing)? (?:our |the |this |my |their )?(?:app|application)"
    r"|install(?:ing)? (?:our |the |this |my )?(?:app|application|profile)"
    r"|下载\s*app|下载软件|下载客户端|安装\s*app|安装描述文件|描述文件|信任(?:证书|企业|开发者)"
    r"|设备管理|web ?clip|add (?:it |this )?to (?:your )?home ?screen|添加到主屏幕"
    r"|testflight|企业签名|超级签名|tf ?签名|mobileconfig|configuration profile"
)
APP_PHRASE_WINDOW = 160  # characters between a lure phrase and the link it points at


@lru_cache(maxsize=1)
def _tlds() -> frozenset[str]:
    from scamlens.indicators.normalize import _extractor

    return frozenset(s.rsplit(".", 1)[-1] for s in _extractor().tlds)


def is_tld(label: str) -> bool:
    return label.lower() in _tlds()


def _cut_url(text: str, start: int, end: int) -> int:
    """End of the URL that starts at `start`: drops trailing punctuation, CJK text after it."""
    raw = text[start:end]
    for i, ch in enumerate(raw):
        if ch in _HARD_STOPS:
            raw = raw[:i]
            break
    if not raw.isascii():
        head = raw.find("//")
        head = head + 2 if head >= 0 else raw.find("\\\\") + 2
        host_end = len(raw)
        for sep in "/?#":
            pos = raw.find(sep, head)
            if 0 <= pos < host_end:
                host_end = pos
        host = raw[head:host_end]
        if not host.isascii() and not _valid_host(host):
            cjk = next((i for i, c in enumerate(host) if _is_cjk(c)), None)
            if cjk is not None:
                raw = raw[: head + cjk]
        else:
            cjk = next((i for i, c in enumerate(raw[host_end:]) if _is_cjk(c)), None)
            if cjk is not None:
                raw = raw[: host_end + cjk]
    while raw:
        last = raw[-1]
        if last in _TRAILING or (last in _CLOSERS and raw.count(_CLOSERS[last]) < raw.count(last)):
            raw = raw[:-1]
        else:
            break
    return start + len(raw)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFF0D
        or 0xFF1A <= cp <= 0xFF20
    )


def _valid_host(host: str) -> bool:
    try:
        h = normalize_domain(host)
    except ValueError:
        return False
    return bool(split_domain(h)[2])


def _domain_attrs(host: str, raw: str, out: dict[str, str]) -> None:
    """Fill registered_domain, idn, obfuscated, look-alike attrs for a normalised host."""
    out["obfuscated"] = "1" if defang(raw) != raw.strip() else "0"
    is_ip = ":" in host or host.replace(".", "").isdigit()
    out["ip"] = "1" if is_ip else "0"
    if is_ip:
        out["registered_domain"] = host
        out["idn"] = "0"
        return
    try:
        out["registered_domain"] = registered_domain(host)
    except ValueError:
        out["registered_domain"] = ""
    idn = not host.isascii()
    out["idn"] = "1" if idn else "0"
    if idn:
        try:
            out["punycode"] = host.encode("idna").decode("ascii")
        except UnicodeError:
            out["punycode"] = ".".join(
                lbl if lbl.isascii() else "xn--" + lbl.encode("punycode").decode("ascii")
                for lbl in host.split(".")
            )
    hit = lookalike(host)
    if hit is not None:
        out["lookalike_brand"] = hit.brand
        out["lookalike_domain"] = hit.brand_domain
        out["lookalike_score"] = f"{hit.score:.2f}"
        out["lookalike_reason"] = hit.reason


def _url_indicator(scan: Scan, start: int, end: int, detector: str) -> Indicator | None:
    raw = scan.text[start:end]
    try:
        value = normalize_url(raw)
    except ValueError:
        return None
    attrs: dict[str, str] = {}
    if value.startswith("itms-services:"):
        attrs["obfuscated"] = "0"
        return scan.make("url", value, start, end, detector, attrs=attrs)
    host = value.split("://", 1)[1].split("/", 1)[0]
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    else:
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    attrs["host"] = host
    try:
        attrs["domain"] = normalize_domain(host)
    except ValueError:
        return None
    _domain_attrs(attrs["domain"], raw, attrs)
    if attrs["ip"] == "0" and not attrs["registered_domain"]:
        return None  # no known public suffix: "http://localhost", "http://foo.notatld"
    return scan.make("url", value, start, end, detector, attrs=attrs)


def _bare_ok(scan: Scan, start: int, end: int, domain: str, has_path: bool) -> bool:
    """Whether a bare (scheme-less) domain is believable; see WORD_TLDS and FILE_TLDS."""
    raw = scan.text[start:end]
    labels = domain.split(".")
    tld = labels[-1]
    spaced_or_worded = any(h in raw.lower() for h in _WORD_SEPARATOR_HINTS)
    if spaced_or_worded and (tld not in COMMON_TLDS or len(labels[-2]) < 3):
        return False
    if labels[0] in ("the", "a", "an", "dot", "and", "or", "this", "that"):
        return False
    if has_path or raw.lower().startswith("www") or labels[0] == "www":
        return True
    if tld in FILE_TLDS and len(labels) == 2:
        return False
    if tld in WORD_TLDS or (tld not in COMMON_TLDS and len(labels) == 2):
        name = labels[-2]
        if any(c.isdigit() or c == "-" for c in name):
            return True
        if lookalike(domain) is not None:
            return True
        return has_any(scan.window(start, end, 60), LINK_WORDS)
    return True


@lru_cache(maxsize=1)
def domain_pattern() -> str:
    """Bare-domain candidate pattern; its last label must be an ASCII TLD from the bundled
    public-suffix list (so "ok.thanks" and "image.jpg" never even become candidates)."""
    tlds = sorted((t for t in _tlds() if t.isascii()), key=lambda t: (-len(t), t))
    return DOMAIN_PATTERN_TEMPLATE.replace("@TLDS@", "|".join(tlds))


def alternatives() -> list[tuple[str, str]]:
    return [("url", URL_PATTERN), ("ip", IP_PATTERN), ("domain", domain_pattern())]


def handle_url(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    start = hit.start
    if start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        return []
    end = _cut_url(text, start, hit.end)
    found = _url_indicator(scan, start, end, "url.scheme")
    return [found] if found is not None else []


def handle_ip(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    path = hit.span(ids["ippath"])
    if path is None or path[1] - path[0] < 2:
        return []  # a bare dotted quad is as often a version or an id as an address
    end = _cut_url(scan.text, hit.start, hit.end)
    found = _url_indicator(scan, hit.start, end, "url.ip")
    if found is None:
        return []
    found.attrs["scheme_added"] = "1"
    return [found]


def handle_domain(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    text = scan.text
    dom = hit.span(ids["dom"])
    path = hit.span(ids["dpath"])
    if dom is None:
        return []
    start, dom_end = dom
    if char_before(text, start) in "@/\\:_-":
        return []  # part of an e-mail, a path or a longer token
    try:
        domain = normalize_domain(text[start:dom_end])
    except ValueError:
        return []
    if not split_domain(domain)[2]:
        return []
    has_path = path is not None and path[1] - path[0] > 1
    end = _cut_url(text, start, hit.end) if has_path else dom_end
    if end <= dom_end + 1:
        has_path, end = False, dom_end
    if not _bare_ok(scan, start, end, domain, has_path):
        return []
    if has_path:
        found = _url_indicator(scan, start, end, "url.bare")
        if found is None:
            return []
        found.attrs["scheme_added"] = "1"
        return [found]
    attrs: dict[str, str] = {}
    _domain_attrs(domain, text[start:end], attrs)
    return [scan.make("domain", domain, start, end, "domain.bare", attrs=attrs)]


HANDLERS = {"url": handle_url, "ip": handle_ip, "domain": handle_domain}


def messenger_handles(scan: Scan, links: list[Indicator]) -> list[Indicator]:
    """Handles behind t.me / wa.me / line.me links (the link itself stays a url)."""
    out: list[Indicator] = []
    for link in links:
        if link.type != "url":
            continue
        platform = MESSENGER_HOSTS.get(link.attrs.get("domain", ""))
        if platform is None:
            continue
        path = link.value.split("://", 1)[1].partition("/")[2]
        found = _handle_from_path(scan, link, platform, path)
        if found is not None:
            out.append(found)
    return out


def _handle_from_path(scan: Scan, link: Indicator, platform: str, path: str) -> Indicator | None:
    attrs = {"platform": platform, "kind": "account", "via": "link"}
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    query = path.split("?", 1)[1] if "?" in path else ""
    ident: str | None = None
    if platform == "telegram":
        if parts and parts[0] == "s":
            parts = parts[1:]
        if parts and parts[0] == "joinchat" and len(parts) > 1:
            ident, attrs["kind"] = "+" + parts[1], "invite"
        elif parts and parts[0].startswith("+"):
            ident, attrs["kind"] = parts[0], "invite"
        elif parts and parts[0] not in ("c", "addstickers", "share", "proxy", "socks"):
            ident = parts[0]
    elif platform == "whatsapp":
        if link.attrs.get("domain") == "chat.whatsapp.com" and parts:
            ident, attrs["kind"] = parts[0], "invite"
        elif parts and parts[0].lstrip("+").isdigit():
            ident = "+" + parts[0].lstrip("+")
        elif "phone=" in query:
            ident = "+" + query.split("phone=", 1)[1].split("&", 1)[0].lstrip("+%2B")
    elif platform == "line":
        if parts[:2] == ["ti", "p"] and len(parts) > 2:
            ident = parts[2]
        elif [p.lower() for p in parts[:3]] == ["r", "ti", "p"] and len(parts) > 3:
            ident = parts[3]
        elif link.attrs.get("domain") == "lin.ee" and parts:
            ident, attrs["kind"] = parts[0], "invite"
    if not ident:
        return None
    try:
        if attrs["kind"] == "invite":
            value = ident  # invite hashes are case-sensitive
            if len(value) < 4:
                return None
        else:
            _, value = split_handle(ident)
    except ValueError:
        return None
    return scan.make("handle", value, link.start, link.end, f"handle.{platform}.link", attrs=attrs)


def _lure_kind(value: str) -> str | None:
    if value.startswith("itms-services:"):
        return "ios-enterprise-install"
    rest = value.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    path_only = "/" + path.split("?", 1)[0].split("#", 1)[0].lower()
    if host == "testflight.apple.com" and path_only.startswith("/join/"):
        return "testflight"
    if path_only.endswith(".mobileconfig"):
        return "ios-profile"
    if path_only.endswith(".apk"):
        return "android-apk"
    if path_only.endswith(".ipa"):
        return "ios-ipa"
    if path_only.endswith(".plist") and "manifest" in path_only:
        return "ios-enterprise-manifest"
    return None


def app_lures(scan: Scan, links: list[Indicator]) -> list[Indicator]:
    """Install lures: links to TestFlight, profiles, APKs, enterprise installs, or any link
    next to an "install our app" phrase."""
    out: list[Indicator] = []
    text = scan.text
    for link in links:
        if link.type not in ("url", "domain"):
            continue
        kind = _lure_kind(link.value) if link.type == "url" else None
        reason = f"link:{kind}" if kind else ""
        # Only the text around this link is searched, so many links stay linear.
        lo = max(0, link.start - APP_PHRASE_WINDOW)
        window = text[lo : link.end + APP_PHRASE_WINDOW]
        near = [
            (abs(lo + m.start() - link.start), m.group().lower())
            for m in APP_PHRASE_RE.finditer(window)
            if not (link.start <= lo + m.start() < link.end)
        ]
        if near:
            phrase = min(near)[1]
            reason = f"{reason};phrase:{phrase}" if reason else f"phrase:{phrase}"
        if not reason:
            continue
        value = link.value if link.type == "url" else normalize_url(link.value)
        attrs = {"reason": reason, "kind": kind or "link-near-install-phrase"}
        for key in ("domain", "registered_domain"):
            if key in link.attrs:
                attrs[key] = link.attrs[key]
        if link.type == "domain":
            attrs.setdefault("domain", link.value)
        detector = f"app_lure.{kind}" if kind else "app_lure.phrase"
        out.append(scan.make("app_lure", value, link.start, link.end, detector, attrs=attrs))
    return out


__all__ = [
    "APP_PHRASE_RE",
    "HANDLERS",
    "alternatives",
    "app_lures",
    "is_tld",
    "messenger_handles",
]
