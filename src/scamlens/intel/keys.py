"""Store keys: the same canonical values the indicator extractor produces.

Every value that goes into or is looked up in the store passes through
`scamlens.indicators.normalize`, so an extracted `Indicator.value` is already a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from scamlens.indicators import chains
from scamlens.indicators.normalize import canonical_chain, normalize_address, normalize_value

from .schema import MAX_VALUE_BYTES

# Types the store accepts (the extractor's types).
TYPES = ("wallet", "txhash", "url", "domain", "app_lure", "phone", "email", "handle", "amount")
_NOT_A_CHAIN = frozenset({"", "unknown", "usdt", "usdc", "token", "other"})


def value_key(type_: str, raw: str, chain: str | None = None) -> tuple[str, str]:
    """(canonical value, chain or '') for a raw value of `type_`. Raises ValueError."""
    if type_ not in TYPES:
        raise ValueError(f"unknown indicator type {type_!r}")
    if type_ == "wallet":
        value, ch = wallet_key(chain, raw)
    else:
        value, ch = normalize_value(type_, raw), ""
    if len(value.encode("utf-8")) > MAX_VALUE_BYTES:
        raise ValueError(f"value longer than {MAX_VALUE_BYTES} bytes")
    return value, ch


def wallet_key(feed_chain: str | None, raw: str) -> tuple[str, str]:
    """(canonical address, scamlens chain id) for an address a feed files under `feed_chain`.

    Feeds use codes the extractor has no chain for (NEO, ADA, XLM...): those addresses keep
    their text and the lower-cased code as chain, so they can still be looked up by value.
    """
    code = (feed_chain or "").strip().lower()
    try:
        chain = canonical_chain(code) if code else None
    except ValueError:
        chain = None
    try:
        value = normalize_address(chain, raw)
    except ValueError:
        if chain is None:
            raise
        # Wrong chain label in the feed (e.g. a bnb1... address filed as BNB -> eth): trust the
        # address format rather than the label.
        value, chain = normalize_address(None, raw), None
    if not (20 <= len(value) <= 128 and value.replace(":", "").isalnum() and value.isascii()):
        raise ValueError("not an address")
    if chain is None:
        found = chains.check_address(value)
        if found is not None and found.valid is not False:
            chain = found.chain
        elif code not in _NOT_A_CHAIN and code.isalnum() and len(code) <= 16:
            chain = code
    return value, chain or ""


def url_host(url: str) -> str | None:
    """Canonical domain of a canonical URL (as `normalize_url` writes it), or None for IP
    literals. A string split, not a parse: this runs for every URL looked up."""
    _scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    host = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        return None
    if host.count(":") == 1:
        host = host.partition(":")[0]
    if not host or _is_ip(host):
        return None
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    return host


def _is_ip(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()


@dataclass(frozen=True, slots=True)
class Guess:
    type: str
    value: str
    chain: str = ""


_HANDLE_PREFIXES: tuple[str, ...] = (
    "@",
    "t.me/",
    "telegram.me/",
    "wa.me/",
    "https://t.me/",
    "http://t.me/",
    "https://wa.me/",
    "tg:",
    "telegram:",
    "wechat:",
    "line:",
    "whatsapp:",
)


def guess(raw: str) -> Guess:
    """Guess the indicator type of a bare string (for ``intel check``). Raises ValueError."""
    s = raw.strip()
    if not s:
        raise ValueError("empty value")
    if len(s) > 4096:
        raise ValueError("value too long")
    low = s.lower()
    if " " not in s and "." not in s and "/" not in s and "@" not in s:
        found = chains.check_address(s)
        if found is not None:
            value, chain = wallet_key(found.chain, s)
            return Guess("wallet", value, chain)
        hexpart = low.removeprefix("0x")
        if len(hexpart) == 64 and all(c in "0123456789abcdef" for c in hexpart):
            return Guess("txhash", normalize_value("txhash", s))
    if low.startswith(_HANDLE_PREFIXES):
        return Guess("handle", normalize_value("handle", s))
    if "@" in s and "://" not in s:
        return Guess("email", normalize_value("email", s))
    digits = sum(c.isdigit() for c in s)
    if (low.startswith(("+", "tel:")) or all(c in "0123456789 -().+" for c in s)) and digits >= 7:
        return Guess("phone", normalize_value("phone", s))
    if "://" in s or "/" in s:
        return Guess("url", normalize_value("url", s))
    return Guess("domain", normalize_value("domain", s))
