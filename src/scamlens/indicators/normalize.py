"""Canonical forms of indicators: the keys the intelligence store matches on.

Every function takes untrusted text, returns one canonical string and raises `ValueError`
(with a short reason) when the input cannot be an indicator of that type. None of them touch
the network: the public-suffix list is tldextract's bundled snapshot.

Choices worth knowing:
- domains: lower case, Unicode (IDNA-decoded) form, no trailing dot, no leading ``www.``;
  defanged forms (``hxxp``, ``[.]``, ``(dot)``, full-width dots) are accepted.
- registered domains include the PSL's private section, so ``scam.pages.dev`` is its own
  registered domain rather than every ``pages.dev`` site sharing one key.
- wallets: EVM, bech32, cashaddr and TON raw forms are case-insensitive and lower-cased;
  base58 forms keep their case; a TON user-friendly address (``EQ…``/``UQ…``) becomes its raw
  ``workchain:hex`` form, so the bounceable and non-bounceable spellings of one account match.
- handles: the bare id, lower case, without ``@`` or the platform (WhatsApp: E.164 number);
  `split_handle` also returns the platform.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import idna
import phonenumbers
import re2

from scamlens.indicators import chains

if TYPE_CHECKING:
    import tldextract

INDICATOR_TYPES = (
    "wallet",
    "txhash",
    "url",
    "domain",
    "app_lure",
    "phone",
    "email",
    "handle",
    "amount",
)

# Chain names people and feeds use, mapped to scamlens chain ids.
CHAIN_ALIASES = {
    "btc": "btc", "bitcoin": "btc", "xbt": "btc",
    "eth": "eth", "ethereum": "eth", "evm": "eth", "erc20": "eth", "erc-20": "eth",
    "bsc": "eth", "bnb": "eth", "bep20": "eth", "bep-20": "eth", "polygon": "eth",
    "matic": "eth", "arbitrum": "eth", "optimism": "eth", "base": "eth", "avax": "eth",
    "avalanche": "eth", "ftm": "eth", "fantom": "eth", "etc": "eth", "heco": "eth",
    "tron": "tron", "trx": "tron", "trc20": "tron", "trc-20": "tron",
    "ltc": "ltc", "litecoin": "ltc",
    "doge": "doge", "dogecoin": "doge",
    "xrp": "xrp", "ripple": "xrp",
    "sol": "sol", "solana": "sol",
    "ton": "ton", "toncoin": "ton",
    "bch": "bch", "bitcoincash": "bch", "bitcoin cash": "bch",
}  # fmt: skip

_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+"
)
# RE2, not `re`: `sub` tries every start, and with a leading `\s*` Python's backtracking engine
# took seconds per 20 KB whitespace run (quadratic; a feed entry or an API value could be 1 MB).
# _WS is Python's `\s` for str (RE2's `\s` is ASCII only), so the matches are the same.
_WS = r"[\t-\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_DOT_WORDS_RE = re2.compile(
    rf"(?i){_WS}*[\[({{]{_WS}*(?:\.|dot|点){_WS}*[\])}}]{_WS}*"
    rf"|{_WS}+dot{_WS}+|[ \t]+\.[ \t]*|\.[ \t]+"
)
_COLON_RE = re.compile(r"\[(:|://)\]|\((:|://)\)")
_AT_RE = re2.compile(rf"(?i){_WS}*[\[({{]{_WS}*(?:@|at){_WS}*[\])}}]{_WS}*")
_HXXP_RE = re.compile(r"^h(?:xx|\*\*|XX|xX|Xx)p(s?)", re.IGNORECASE)
_WIDE_DOTS = str.maketrans({"。": ".", "．": ".", "｡": ".", "︒": ".", "点": "."})
_ASCII_LABEL_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_LOCAL_PART_RE = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_HEX_RE = re.compile(r"^(?:0x)?[0-9a-f]{64}$")
_HANDLE_RE = re.compile(r"^[\w.\-+]{2,64}$")


# Pure functions that extraction calls for every link it finds (chat repeats its links):
# their results are cached per process. Failures (ValueError) are not cached.
_CACHE_SIZE = 4096


def defang(text: str) -> str:
    """Undo common defanging/obfuscation: hxxp, [.], (dot), [:], full-width dots, zero-width."""
    text = _INVISIBLE_RE.sub("", text.strip())
    text = unicodedata.normalize("NFKC", text).translate(_WIDE_DOTS)
    text = _DOT_WORDS_RE.sub(".", text)
    text = _COLON_RE.sub(lambda m: m.group(1) or m.group(2), text)
    text = _HXXP_RE.sub(lambda m: "http" + m.group(1).lower(), text)
    return text


def _decode_label(label: str) -> str:
    if not label.startswith("xn--"):
        return label
    try:
        return str(idna.decode(label))
    except idna.IDNAError:
        pass
    try:  # emoji and other labels IDNA2008 refuses but registrars sold anyway
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError) as exc:
        raise ValueError(f"bad punycode label {label!r}") from exc


def _check_label(label: str, last: bool) -> None:
    if not label:
        raise ValueError("empty label")
    if label.isascii():
        if not _ASCII_LABEL_RE.match(label):
            raise ValueError(f"bad label {label!r}")
        if last and ("_" in label or label.isdigit()):
            raise ValueError(f"bad top-level label {label!r}")
        return
    for ch in label:
        if not (ch.isalnum() or ch in "-_" or unicodedata.category(ch) in ("So", "Mn", "Mc")):
            raise ValueError(f"bad character {ch!r} in label")
    try:
        encoded = label.encode("punycode")
    except UnicodeError as exc:
        raise ValueError(f"bad label {label!r}") from exc
    if len(encoded) + 4 > 63:
        raise ValueError("label too long")


def normalize_host(host: str, *, strip_www: bool = True) -> str:
    """Canonical host name or IP address (see module doc). Raises ValueError on garbage."""
    h = defang(host).lower().rstrip(".")
    if not h or len(h) > 253:
        raise ValueError("empty or overlong host")
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    if ":" in h or h.replace(".", "").isdigit():
        try:
            return str(ipaddress.ip_address(h))
        except ValueError as exc:
            raise ValueError(f"bad IP address {h!r}") from exc
    labels = [unicodedata.normalize("NFC", _decode_label(x).lower()) for x in h.split(".")]
    if len(labels) < 2:
        raise ValueError("a host needs at least two labels")
    for i, label in enumerate(labels):
        _check_label(label, last=i == len(labels) - 1)
    if strip_www and labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    return ".".join(labels)


def _split_netloc(netloc: str) -> tuple[str, str, str]:
    """(userinfo, host, port) of a URL authority."""
    userinfo, _, hostport = netloc.rpartition("@")
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise ValueError("unclosed IPv6 bracket")
        return userinfo, hostport[: end + 1], hostport[end + 2 :]
    host, _, port = hostport.partition(":")
    return userinfo, host, port


def _has_scheme(text: str) -> bool:
    head = text[:20].lower()
    return "://" in head or head.startswith(("mailto:", "itms-services:"))


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_domain(host_or_url: str) -> str:
    """Canonical domain of a host name or URL: ``https://WWW.Bïnance.com./x`` -> ``bïnance.com``."""
    text = defang(host_or_url)
    if _has_scheme(text) or any(c in text for c in "/?#@"):
        if not _has_scheme(text):
            text = "http://" + text.lstrip("/")
        parts = urlsplit(text)
        _, host, _ = _split_netloc(parts.netloc)
    else:
        host = text.split(":", 1)[0] if text.count(":") == 1 else text
    return normalize_host(host, strip_www=True)


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    import tldextract

    # Bundled snapshot only: suffix_list_urls=() and no cache dir means it never fetches.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@lru_cache(maxsize=_CACHE_SIZE)
def split_domain(host: str) -> tuple[str, str, str]:
    """(subdomain, domain label, public suffix) of a normalised host; suffix '' when unknown."""
    r = _extractor()(host)
    return r.subdomain, r.domain, r.suffix


def is_public_suffix(suffix: str) -> bool:
    """True when `suffix` (e.g. 'com', 'co.uk') is in the bundled public-suffix list."""
    r = _extractor()("x." + suffix.lower().strip("."))
    return r.suffix == suffix.lower().strip(".")


@lru_cache(maxsize=_CACHE_SIZE)
def registered_domain(host: str) -> str:
    """eTLD+1 of a host, URL or domain (``a.b.binance.com`` -> ``binance.com``); IPs as is.

    Raises ValueError when the host has no known public suffix or is itself a suffix.
    """
    h = normalize_domain(host)
    if ":" in h or h.replace(".", "").isdigit():
        return h
    _, domain, suffix = split_domain(h)
    if not suffix or not domain:
        raise ValueError(f"no registrable domain in {h!r}")
    return f"{domain}.{suffix}"


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_url(url: str) -> str:
    """Canonical URL: scheme and host lower case (host Unicode, ``www.`` kept), default port,
    userinfo and fragment dropped, empty path -> ``/``. A missing scheme means ``http``."""
    text = defang(url)
    if any(c.isspace() for c in text):
        raise ValueError("whitespace inside URL")
    if not _has_scheme(text):
        text = "http://" + text.lstrip("/")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "itms-services":
        query = f"?{parts.query}" if parts.query else ""
        return f"itms-services://{parts.netloc.lower()}{parts.path}{query}"
    if scheme not in ("http", "https", "ftp", "ws", "wss"):
        raise ValueError(f"unsupported URL scheme {scheme!r}")
    _, host, port = _split_netloc(parts.netloc)
    nhost = normalize_host(host, strip_www=False)
    if ":" in nhost:
        nhost = f"[{nhost}]"
    if port:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"bad port {port!r}")
        default = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}[scheme]
        port = "" if int(port) == default else f":{int(port)}"
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{nhost}{port}{path}{query}"


def clear_caches() -> None:
    for cached in (normalize_domain, split_domain, registered_domain, normalize_url):
        cached.cache_clear()


def canonical_chain(chain: str | None) -> str | None:
    """scamlens chain id for a chain name or alias ('TRC20' -> 'tron'); None stays None."""
    if chain is None:
        return None
    key = chain.strip().lower()
    if key not in CHAIN_ALIASES:
        raise ValueError(f"unknown chain {chain!r}")
    return CHAIN_ALIASES[key]


def normalize_address(chain: str | None, address: str) -> str:
    """Canonical wallet address. Case-insensitive encodings are lower-cased, base58 kept.

    `chain` may be None (inferred from the format) or a chain id / alias.
    """
    a = _INVISIBLE_RE.sub("", address.strip())
    if not a or len(a) > 128 or not a.isascii() or any(c.isspace() for c in a):
        raise ValueError("not an address")
    c = canonical_chain(chain)
    low = a.lower()
    if low.startswith("0x") and len(a) == 42:
        if c not in (None, "eth"):
            raise ValueError(f"EVM-style address given for chain {c!r}")
        if not re.fullmatch(r"0x[0-9a-f]{40}", low):
            raise ValueError("EVM address is not hexadecimal")
        return low
    if c == "eth":
        raise ValueError("not an EVM address")
    # Bech32 is single-case; a mixed-case "TB1..." is a TRON base58 address, not testnet.
    if low.startswith(("bc1", "tb1", "ltc1", "bcrt1")) and c != "tron" and a in (low, a.upper()):
        return low
    if low.startswith("bitcoincash:") or (c == "bch" and low[:1] in ("q", "p") and len(low) == 42):
        return "bitcoincash:" + low.removeprefix("bitcoincash:")
    ton_raw = chains.ton_raw_form(a)
    if ton_raw is not None and c in (None, "ton"):
        return ton_raw
    return a


def split_handle(raw: str) -> tuple[str | None, str]:
    """(platform or None, canonical id) of a messenger handle or contact link."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", raw.strip()))
    platform: str | None = None
    low = text.lower()
    for pattern, name in _HANDLE_PREFIXES:
        m = pattern.match(low)
        if m:
            platform = name
            text = text[m.end() :]
            break
    text = text.strip().lstrip("@~").rstrip("/").strip()
    text = text.split("?", 1)[0].split("/", 1)[0] if platform != "line" else text.split("?")[0]
    if platform == "whatsapp":
        return platform, normalize_phone(text if text.startswith("+") else "+" + text)
    ident = text.lower().lstrip("@~")
    if not _HANDLE_RE.match(ident):
        raise ValueError(f"not a handle: {raw!r}")
    return platform, ident


_HANDLE_PREFIXES = [
    (re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.(?:me|dog)/(?:s/)?"), "telegram"),
    (re.compile(r"^tg://resolve\?domain="), "telegram"),
    (re.compile(r"^(?:https?://)?(?:wa\.me/|api\.whatsapp\.com/send/?\?phone=)"), "whatsapp"),
    (re.compile(r"^(?:https?://)?line\.me/(?:r/)?ti/p/"), "line"),
    (re.compile(r"^(?:tg|telegram|电报|飞机)\s*(?:id|号)?\s*[:：]\s*"), "telegram"),
    (re.compile(r"^(?:wechat|weixin|wx|vx|v信|微信)\s*(?:id|号)?\s*[:：]\s*"), "wechat"),
    (re.compile(r"^(?:line)\s*(?:id)?\s*[:：]\s*"), "line"),
    (re.compile(r"^(?:whatsapp|wa)\s*[:：]\s*"), "whatsapp"),
    (re.compile(r"^(?:signal)\s*[:：]\s*"), "signal"),
]


def normalize_handle(raw: str) -> str:
    """Canonical messenger id: ``TG: @Scam_Support`` / ``t.me/Scam_Support`` -> ``scam_support``;
    ``wa.me/14155552671`` -> ``+14155552671``. Use `split_handle` for the platform."""
    return split_handle(raw)[1]


def normalize_phone(raw: str, region: str | None = None) -> str:
    """E.164 form of a phone number; `region` (e.g. 'US') is used for national formats."""
    text = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", raw.strip()))
    text = text.removeprefix("tel:").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    reg = region.upper() if region else None
    try:
        num = phonenumbers.parse(text, reg)
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in text if ch.isdigit())
        if reg is not None or text.startswith("+") or len(digits) < 8:
            raise ValueError(f"not a phone number: {raw!r}") from None
        try:  # no region and no '+': links like wa.me/14155552671 are international
            num = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(num):
        raise ValueError(f"not a possible phone number: {raw!r}")
    return str(phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164))


def normalize_email(raw: str) -> str:
    """Lower-case address with a normalised (Unicode) domain; ``[at]``/``mailto:`` accepted."""
    text = _AT_RE.sub("@", defang(raw)).strip().strip("<>")
    if text.lower().startswith("mailto:"):
        text = text[7:].split("?", 1)[0]
    local, at, domain = text.rpartition("@")
    local = local.lower()
    if not at or not _LOCAL_PART_RE.match(local) or local.startswith(".") or ".." in local:
        raise ValueError(f"not an e-mail address: {raw!r}")
    return f"{local}@{normalize_host(domain, strip_www=False)}"


def normalize_txhash(raw: str) -> str:
    """Lower-case hex transaction hash (EVM keeps its ``0x``)."""
    low = raw.strip().lower()
    if not _HEX_RE.match(low):
        raise ValueError("a transaction hash is 64 hex digits, optionally after 0x")
    return low


def normalize_value(
    type: str, raw: str, *, chain: str | None = None, region: str | None = None
) -> str:
    """Canonical value of an indicator of `type` (one of INDICATOR_TYPES)."""
    if type == "wallet":
        return normalize_address(chain, raw)
    if type == "txhash":
        return normalize_txhash(raw)
    if type in ("url", "app_lure"):
        return normalize_url(raw)
    if type == "domain":
        return normalize_domain(raw)
    if type == "phone":
        return normalize_phone(raw, region)
    if type == "email":
        return normalize_email(raw)
    if type == "handle":
        return normalize_handle(raw)
    if type == "amount":
        from scamlens.indicators.amounts import parse_amount

        parsed = parse_amount(raw)
        if parsed is None:
            raise ValueError(f"not an amount: {raw!r}")
        return parsed.value
    raise ValueError(f"unknown indicator type {type!r}")
