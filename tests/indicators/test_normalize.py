"""Canonical forms used as intelligence-store keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scamlens.indicators.normalize import (
    INDICATOR_TYPES,
    canonical_chain,
    defang,
    is_public_suffix,
    normalize_address,
    normalize_domain,
    normalize_email,
    normalize_handle,
    normalize_phone,
    normalize_txhash,
    normalize_url,
    normalize_value,
    registered_domain,
    split_handle,
)

ETH_MIXED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
ETH_LOWER = ETH_MIXED.lower()
ETH_UPPER = "0X" + ETH_MIXED[2:].upper()
BECH_UPPER = "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"
BECH_LOWER = BECH_UPPER.lower()
SOL = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Binance.com", "binance.com"),
        ("WWW.Binance.COM.", "binance.com"),
        ("https://www.binance.com/en/login?x=1", "binance.com"),
        ("http://user:pw@accounts.binance.com:8443/", "accounts.binance.com"),
        ("hxxps://binance-vip[.]com/login", "binance-vip.com"),
        ("binance(dot)com", "binance.com"),
        ("binance [dot] com", "binance.com"),
        ("binance . com", "binance.com"),
        ("coinbit点com", "coinbit.com"),
        ("coinbit。com", "coinbit.com"),
        ("ｂｉｎａｎｃｅ．ｃｏｍ", "binance.com"),
        ("bin\u200bance.com", "binance.com"),
        ("xn--bnance-bwa.com", "bînance.com"),
        ("xn--80ak6aa92e.com", "аррӏе.com"),
        ("www.例子.中国", "例子.中国"),
        ("www.com", "www.com"),
        ("1.2.3.4", "1.2.3.4"),
        ("[2001:DB8::1]", "2001:db8::1"),
    ],
)
def test_normalize_domain(raw: str, expected: str) -> None:
    assert normalize_domain(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "localhost", "a..b.com", "-a.com", "a-.com", "hello world.com", "a.123",
            "x" * 300 + ".com", "under_score.c_m", "http://", "xn--zz--.com", "[::1"]
)  # fmt: skip
def test_normalize_domain_rejects_garbage(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_domain(raw)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("a.b.binance.com", "binance.com"),
        ("https://www.bbc.co.uk/news", "bbc.co.uk"),
        ("scam-site.pages.dev", "scam-site.pages.dev"),  # private suffix: its own domain
        ("login.scam-site.pages.dev", "scam-site.pages.dev"),
        ("10.0.0.1", "10.0.0.1"),
        ("例子.中国", "例子.中国"),
    ],
)
def test_registered_domain(host: str, expected: str) -> None:
    assert registered_domain(host) == expected


@pytest.mark.parametrize("host", ["foo.notatld", "co.uk", "com"])
def test_registered_domain_needs_a_known_suffix(host: str) -> None:
    with pytest.raises(ValueError):
        registered_domain(host)


def test_public_suffix_lookup_is_offline_and_bundled() -> None:
    assert is_public_suffix("com") and is_public_suffix("co.uk")
    assert not is_public_suffix("notatld")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://WWW.Binance.com:443", "https://www.binance.com/"),
        ("binance.com/a#frag", "http://binance.com/a"),
        ("hxxp://evil[.]com:8080/x?y=1", "http://evil.com:8080/x?y=1"),
        ("https://binance.com@evil.top/login", "https://evil.top/login"),
        ("http://[2001:db8::1]/", "http://[2001:db8::1]/"),
        ("https://xn--bnance-bwa.com/", "https://bînance.com/"),
        (
            "itms-services://?action=download-manifest&url=https://x.example.com/a.plist",
            "itms-services://?action=download-manifest&url=https://x.example.com/a.plist",
        ),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["javascript:alert(1)", "https://", "http://a b.com/", "http://x.com:99999/", "mailto:a@b.c"],
)
def test_normalize_url_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_url(raw)


@pytest.mark.parametrize(
    ("chain", "raw", "expected"),
    [
        (None, ETH_MIXED, ETH_LOWER),
        ("BEP20", ETH_UPPER, ETH_LOWER),
        ("TRC20", " TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t ", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
        (None, BECH_UPPER, BECH_LOWER),
        ("bch", "qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
         "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
        (None, "BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A",
         "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a"),
        ("sol", SOL, SOL),
        ("xrp", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"),
    ],
)  # fmt: skip
def test_normalize_address(chain: str | None, raw: str, expected: str) -> None:
    assert normalize_address(chain, raw) == expected


def test_ton_friendly_forms_share_one_key() -> None:
    bounceable = "EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs"
    key = normalize_address(None, bounceable)
    assert key.startswith("0:")
    assert normalize_address("ton", key.upper().replace("0X", "0x")) == key


@pytest.mark.parametrize(
    ("chain", "raw"),
    [(None, ""), (None, "has space"), ("eth", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"),
     ("tron", ETH_MIXED), ("nochain", "abc"), (None, "адрес")],
)  # fmt: skip
def test_normalize_address_rejects(chain: str | None, raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_address(chain, raw)


def test_canonical_chain_aliases() -> None:
    assert canonical_chain("ERC-20") == "eth"
    assert canonical_chain("Bitcoin Cash") == "bch"
    assert canonical_chain(None) is None


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+1 (415) 555-2671", None, "+14155552671"),
        ("0044 20 7946 0958", None, "+442079460958"),
        ("(415) 555-2671", "us", "+14155552671"),
        ("14155552671", None, "+14155552671"),
        ("tel:+852 6123 4567", None, "+85261234567"),
        ("138 0013 8000", "CN", "+8613800138000"),
    ],
)
def test_normalize_phone(raw: str, region: str | None, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "12", "call me", "+1 23"])
def test_normalize_phone_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "platform", "value"),
    [
        ("@Scam_Support", None, "scam_support"),
        ("t.me/Scam_Support", "telegram", "scam_support"),
        ("https://telegram.me/Scam_Support/", "telegram", "scam_support"),
        ("TG: @Mentor88", "telegram", "mentor88"),
        ("飞机号：Mentor88", "telegram", "mentor88"),
        ("WeChat: Lucky8888", "wechat", "lucky8888"),
        ("微信号：abc_123", "wechat", "abc_123"),
        ("vx: abc_123", "wechat", "abc_123"),
        ("LINE ID: my.line", "line", "my.line"),
        ("https://line.me/ti/p/~myline", "line", "myline"),
        ("https://wa.me/14155552671", "whatsapp", "+14155552671"),
        ("https://api.whatsapp.com/send?phone=14155552671", "whatsapp", "+14155552671"),
    ],
)
def test_handles(raw: str, platform: str | None, value: str) -> None:
    assert split_handle(raw) == (platform, value)
    assert normalize_handle(raw) == value


@pytest.mark.parametrize("raw", ["", "@", "a", "has space here", "@" + "x" * 80])
def test_handle_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_handle(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("John.Doe@Example.COM", "john.doe@example.com"),
        ("mailto:support@binance-help.top?subject=x", "support@binance-help.top"),
        ("jane[at]example[.]org", "jane@example.org"),
        ("jane (at) example (dot) org", "jane@example.org"),
        ("user@xn--bnance-bwa.com", "user@bînance.com"),
    ],
)
def test_normalize_email(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize("raw", ["", "no-at.com", "@example.com", "a..b@example.com", "a@b"])
def test_normalize_email_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_email(raw)


def test_txhash() -> None:
    h = "4A5E1E4BAAB89F3A32518A88C31BC87F618F76673E2CC77AB2127B7AFDED33" + "0A"
    assert normalize_txhash(h) == h.lower()
    assert normalize_txhash("0x" + "AB" * 32) == "0x" + "ab" * 32
    with pytest.raises(ValueError):
        normalize_txhash("0x1234")


@pytest.mark.parametrize(
    ("type_", "raw", "expected"),
    [
        ("wallet", ETH_MIXED, ETH_LOWER),
        ("txhash", "0x" + "AB" * 32, "0x" + "ab" * 32),
        ("url", "hxxps://evil[.]com", "https://evil.com/"),
        ("domain", "https://www.evil.com/x", "evil.com"),
        ("app_lure", "https://testflight.apple.com/join/AbC", "https://testflight.apple.com/join/AbC"),
        ("phone", "+1 415 555 2671", "+14155552671"),
        ("email", "A@B.com", "a@b.com"),
        ("handle", "@Foo_Bar", "foo_bar"),
        ("amount", "5万U", "50000 USDT"),
        ("amount", "$5,000", "5000 USD"),
    ],
)  # fmt: skip
def test_normalize_value_dispatch(type_: str, raw: str, expected: str) -> None:
    assert type_ in INDICATOR_TYPES
    assert normalize_value(type_, raw) == expected


def test_normalize_value_unknown_type_and_bad_amount() -> None:
    with pytest.raises(ValueError):
        normalize_value("ssn", "x")
    with pytest.raises(ValueError):
        normalize_value("amount", "hello")


def test_defang() -> None:
    assert defang("hxxps://evil[.]com") == "https://evil.com"
    assert defang("hXXp://a(.)b[:]80") == "http://a.b:80"


@given(st.sampled_from(INDICATOR_TYPES), st.text(max_size=80))
def test_normalize_value_only_raises_value_error(type_: str, raw: str) -> None:
    try:
        out = normalize_value(type_, raw)
    except ValueError:
        return
    assert isinstance(out, str) and out
