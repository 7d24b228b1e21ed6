"""Brand look-alike scoring: real domains never flagged, made-up look-alikes flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.errors import RuleError
from scamlens.indicators.lookalike import default_brands, load_brands, lookalike, skeleton

BRANDS = default_brands()
REAL_DOMAINS = sorted(BRANDS.legit)
REQUIRED = [
    "Binance", "Coinbase", "Kraken", "OKX", "Bybit", "KuCoin", "Bitget", "HTX (Huobi)", "Gate.io",
    "Crypto.com", "Gemini", "Bitstamp", "Bitfinex", "MetaMask", "Trust Wallet", "Ledger",
    "Trezor", "Exodus", "Phantom", "imToken", "TokenPocket", "Uniswap", "PancakeSwap",
    "Robinhood", "eToro", "Interactive Brokers", "MetaTrader (MetaQuotes)", "TD Ameritrade",
    "Charles Schwab", "Fidelity", "Vanguard", "Tether", "Circle",
]  # fmt: skip


def test_brand_list_is_complete() -> None:
    names = {b.name for b in BRANDS.brands}
    assert len(names) >= 40
    assert set(REQUIRED) <= names


@pytest.mark.parametrize("domain", REAL_DOMAINS)
def test_real_domains_are_never_flagged(domain: str) -> None:
    assert lookalike(domain) is None
    for sub in ("www", "app", "accounts", "login.secure", "api-v2"):
        assert lookalike(f"{sub}.{domain}") is None, f"{sub}.{domain}"
    assert lookalike(f"https://{domain}/login?next=/wallet") is None


OTHER_LEGIT = [
    "finance.yahoo.com", "balance.com", "google.com", "apple.com", "circleci.com",
    "geminiastrology.com", "ledgerwise.com", "phantomforce.com", "gatewaypundit.com",
    "navigate.com", "krakenrum.com", "vanguardnews.com", "tethering.org", "robinhoodfoundation.org",
    "examples.com", "uniswapper.com.example", "token.org", "bitcoin.org", "coinmarketcap.com",
    "cupbitcoin.com", "mybit.com", "binancefan.example",
]  # fmt: skip


@pytest.mark.parametrize("domain", OTHER_LEGIT)
def test_unrelated_domains_are_not_flagged(domain: str) -> None:
    hit = lookalike(domain)
    assert hit is None or hit.score <= 0.6, (domain, hit)


# (look-alike, brand, method)
LOOKALIKES = [
    ("binance-vip.com", "Binance", "brand-plus-words"),
    ("binancevip.net", "Binance", "brand-plus-words"),
    ("coinbase-pro-global.com", "Coinbase", "brand-plus-words"),
    ("okx-global.net", "OKX", "brand-plus-words"),
    ("metamask-wallet.io", "MetaMask", "brand-plus-words"),
    ("secure-ledger-login.com", "Ledger", "brand-plus-words"),
    ("trustwallet-support.app", "Trust Wallet", "brand-plus-words"),
    ("kraken-futures.top", "Kraken", "brand-plus-words"),
    ("gemini-invest.vip", "Gemini", "brand-plus-words"),
    ("etoro-markets.com", "eToro", "brand-plus-words"),
    ("mt5-metatrader5-official.com", "MetaTrader (MetaQuotes)", "brand-plus-words"),
    ("binance.co", "Binance", "tld-swap"),
    ("coinbase.vip", "Coinbase", "tld-swap"),
    ("kraken.top", "Kraken", "tld-swap"),
    ("bіnance.com", "Binance", "homoglyph"),  # Cyrillic і
    ("xn--bnance-bwa.com", "Binance", "homoglyph"),  # bînance
    ("coinbаse.com", "Coinbase", "homoglyph"),  # Cyrillic а
    ("b1nance.com", "Binance", "homoglyph"),
    ("rnetamask.io", "MetaMask", "homoglyph"),
    ("c0inbase.com", "Coinbase", "homoglyph"),
    ("binnance.com", "Binance", "edit-distance"),
    ("coinbsae.com", "Coinbase", "edit-distance"),
    ("kucoim.com", "KuCoin", "edit-distance"),
    ("bitfinnex.com", "Bitfinex", "edit-distance"),
    ("binance.com.secure-verify.xyz", "Binance", "subdomain"),
    ("metamask.wallet-restore.top", "MetaMask", "subdomain"),
    ("binance-login.pages.dev", "Binance", "brand-plus-words"),
]


@pytest.mark.parametrize(("domain", "brand", "method"), LOOKALIKES)
def test_lookalikes_are_flagged(domain: str, brand: str, method: str) -> None:
    hit = lookalike(domain)
    assert hit is not None, domain
    assert (hit.brand, hit.method) == (brand, method), hit
    assert hit.score >= 0.7
    assert hit.reason and hit.brand_domain in hit.reason


def test_contains_brand_is_a_weak_signal() -> None:
    hit = lookalike("binance123x.com")
    assert hit is not None and hit.method == "contains-brand" and hit.score == pytest.approx(0.6)


def test_skeleton() -> None:
    assert skeleton("b1nance") == skeleton("binance") == skeleton("bіnance")
    assert skeleton("rnetamask") == skeleton("metamask")


def test_garbage_is_not_a_lookalike() -> None:
    for value in ["", "not a domain", "1.2.3.4", "http://", "com"]:
        assert lookalike(value) is None


def test_bad_brand_files(tmp_path: Path) -> None:
    bad = tmp_path / "brands.yaml"
    bad.write_text("brands: [{name: X}]", encoding="utf-8")
    with pytest.raises(RuleError, match="domain"):
        load_brands(bad)
    bad.write_text("- just a list", encoding="utf-8")
    with pytest.raises(RuleError):
        load_brands(bad)
    bad.write_text("brands: [", encoding="utf-8")
    with pytest.raises(RuleError, match=r"brands\.yaml"):
        load_brands(bad)
    with pytest.raises(RuleError):
        load_brands(tmp_path / "missing.yaml")
