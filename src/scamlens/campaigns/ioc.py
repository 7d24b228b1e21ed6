"""Indicators (wallets, domains, phones, handles, e-mails) per message, for ring discovery.

The indicator extractor of the core (`scamlens.indicators.extract`, normalised values) is used
when it can be imported; otherwise a small built-in finder covers wallets (EVM, TRON,
Bitcoin), domains, e-mail addresses, @handles and international phone numbers. Either way an
indicator is a (type, normalised value) pair, and indicators known from elsewhere (the
intelligence store, another team's tooling) plug in as (account, type, value) tuples.

Only messages that can hold one are scanned: the masking step already found a URL, handle,
address or long code in them, or they contain a run of digits long enough for a phone number.
Hidden link targets (web links behind link text, kept apart from the message text) go through
the same function (`for_links`), so they give the same types and normalised values.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import re2

IndicatorFn = Callable[[str], Iterable[tuple[str, str]]]
Source = Literal["auto", "core", "builtin", "none"]

# How strongly a shared indicator ties two accounts together (a shared script ties with 1.0).
TIE_WEIGHTS: dict[str, float] = {
    "wallet": 1.0,
    "txhash": 1.0,
    "phone": 0.8,
    "email": 0.8,
    "handle": 0.8,
    "url": 0.7,
    "domain": 0.6,
}

# Big legitimate services that scam scripts name all the time ("buy USDT on Binance"): a
# shared mention says nothing about who is behind a message.
# fmt: off
ALLOWLIST_DOMAINS = frozenset({
    "binance.com", "coinbase.com", "crypto.com", "kraken.com", "okx.com", "bybit.com",
    "kucoin.com", "huobi.com", "htx.com", "gate.io", "bitget.com", "bitfinex.com", "gemini.com",
    "blockchain.com", "metamask.io", "trustwallet.com", "tronscan.org", "etherscan.io",
    "bscscan.com", "google.com", "youtube.com", "youtu.be", "facebook.com", "instagram.com",
    "whatsapp.com", "wa.me", "telegram.org", "t.me", "line.me", "wechat.com", "weixin.qq.com",
    "qq.com", "apple.com", "microsoft.com", "amazon.com", "paypal.com", "twitter.com", "x.com",
    "tiktok.com", "linkedin.com", "reddit.com", "wikipedia.org", "baidu.com"
})
# fmt: on

_PHONE_HINT = re2.compile(r"[0-9][0-9 ().-]{6,}[0-9]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TLDS = (
    "com|net|org|io|co|vip|top|xyz|cc|me|info|biz|pro|live|app|cn|hk|tw|sg|uk|us|club|shop|"
    "site|online|store|tech|link|fun|ltd|asia|finance|exchange|trade|market|money|cloud|icu|"
    "win|bet"
)
_BUILTIN = re2.compile(
    r"(?P<eth>\b0x[0-9a-fA-F]{40}\b)"
    r"|(?P<tron>\bT[1-9A-HJ-NP-Za-km-z]{33}\b)"
    r"|(?P<btc>\b(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b)"
    r"|(?P<email>\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4}\b)"
    r"|(?P<url>\bhttps?://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?)"
    r"|(?P<domain>\b(?:[A-Za-z0-9-]{1,63}\.){1,4}(?:" + _TLDS + r")\b)"
    r"|(?P<handle>@[A-Za-z0-9_]{3,32})"
    r"|(?P<phone>\+[0-9][0-9 ().-]{6,18}[0-9])"
)


def builtin_extract(text: str) -> list[tuple[str, str]]:
    """(type, normalised value) pairs found by the built-in finder."""
    clean = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    out: list[tuple[str, str]] = []
    for m in _BUILTIN.finditer(clean):
        kind = m.lastgroup or ""
        raw = m.group(0)
        if kind in ("eth", "tron", "btc"):
            out.append(("wallet", raw.lower() if kind == "eth" else raw))
        elif kind == "email":
            out.append(("email", raw.lower()))
        elif kind in ("url", "domain"):
            host = raw.lower().split("://", 1)[-1].split(":", 1)[0].rstrip(".")
            out.append(("domain", host.removeprefix("www.")))
        elif kind == "handle":
            start = m.start()
            if start > 0 and (clean[start - 1].isalnum() or clean[start - 1] in "._"):
                continue  # part of an e-mail address or a word
            out.append(("handle", raw.lower()))
        elif kind == "phone":
            digits = "".join(ch for ch in raw if ch.isdigit())
            if 8 <= len(digits) <= 15:
                out.append(("phone", "+" + digits))
    return out


def core_extract(text: str) -> list[tuple[str, str]]:
    """(type, value) pairs from the core extractor, keeping the types that can tie a ring.

    A URL also yields its registered domain: the paths and codes of scam links change per
    message, the domain does not.
    """
    from scamlens.indicators import extract, registered_domain

    out: list[tuple[str, str]] = []
    for ind in extract(text):
        if ind.type not in TIE_WEIGHTS:
            continue
        out.append((ind.type, ind.value))
        if ind.type == "url":
            with contextlib.suppress(ValueError):
                out.append(("domain", registered_domain(ind.value)))
    return out


def resolve(source: Source | IndicatorFn) -> IndicatorFn | None:
    """The extraction function for a source name (or a callable given by the caller)."""
    if callable(source):
        return source
    if source == "none":
        return None
    if source == "builtin":
        return builtin_extract
    try:
        from scamlens.indicators import extract  # noqa: F401
    except ImportError:
        if source == "core":
            raise
        return builtin_extract
    return core_extract


def may_hold_phone(text: str) -> bool:
    return _PHONE_HINT.search(text) is not None


def for_texts(
    texts: Sequence[str],
    masked_found: Sequence[tuple[tuple[str, str], ...]],
    fn: IndicatorFn | None,
) -> list[tuple[tuple[str, str], ...]]:
    """Indicators of each distinct text; texts that cannot hold one are not scanned."""
    out: list[tuple[tuple[str, str], ...]] = []
    for text, found in zip(texts, masked_found, strict=True):
        if fn is None or not (found or _PHONE_HINT.search(text)):
            out.append(())
            continue
        out.append(_pairs(text, fn))
    return out


def for_links(links: Sequence[str], fn: IndicatorFn | None) -> list[tuple[tuple[str, str], ...]]:
    """Indicators of each hidden link target (all scanned: a link always may hold one)."""
    return [_pairs(link, fn) if fn is not None else () for link in links]


def _pairs(text: str, fn: IndicatorFn) -> tuple[tuple[str, str], ...]:
    seen: dict[tuple[str, str], None] = {}
    for kind, value in fn(text):
        if kind in TIE_WEIGHTS and value:
            seen[(kind, value)] = None
    return tuple(seen)
