"""URLs, bare domains, obfuscations, messenger links and app-install lures."""

from __future__ import annotations

import pytest

from .helpers import found, values

# (text, expected normalised domain, expected obfuscated flag)
OBFUSCATED = [
    ("go to hxxps://binance-vip[.]com now", "binance-vip.com", "1"),
    ("go to hxxp://binance-vip.com now", "binance-vip.com", "1"),
    ("go to hXXps://binance-vip.com now", "binance-vip.com", "1"),
    ("go to h**ps://binance-vip.com now", "binance-vip.com", "1"),
    ("site: bin\u00adance-vip.com", "binance-vip.com", "1"),
    ("site: binance-vip｡com", "binance-vip.com", "1"),
    ("go to https[://]binance-vip.com now", "binance-vip.com", "1"),
    ("site: binance-vip[.]com", "binance-vip.com", "1"),
    ("site: binance-vip(.)com", "binance-vip.com", "1"),
    ("site: binance-vip{.}com", "binance-vip.com", "1"),
    ("site: binance-vip(dot)com", "binance-vip.com", "1"),
    ("site: binance-vip[dot]com", "binance-vip.com", "1"),
    ("site: binance-vip [dot] com", "binance-vip.com", "1"),
    ("site: binance-vip dot com", "binance-vip.com", "1"),
    ("site: binance-vip . com", "binance-vip.com", "1"),
    ("site: binance-vip .com", "binance-vip.com", "1"),
    ("平台：binance-vip。com", "binance-vip.com", "1"),
    ("平台：binance-vip．com", "binance-vip.com", "1"),
    ("平台是coinbit点com，很安全", "coinbit.com", "1"),
    ("site: bin\u200bance-vip.com", "binance-vip.com", "1"),
    ("site: bin\u200dance-vip.c\u200bom", None, "1"),
    ("site: ＢＩＮＡＮＣＥ-VIP.ＣＯＭ", "binance-vip.com", "1"),
    ("site: BINANCE-VIP.COM", "binance-vip.com", "0"),
    ("site: www.Binance-VIP.com", "binance-vip.com", "0"),
]


@pytest.mark.parametrize(("text", "domain", "obfuscated"), OBFUSCATED)
def test_obfuscated_links(text: str, domain: str | None, obfuscated: str) -> None:
    links = [i for i in found(text) if i.type in ("url", "domain")]
    if domain is None:  # a zero-width character inside the TLD: not supported, not a crash
        return
    assert len(links) == 1, links
    link = links[0]
    got = link.value if link.type == "domain" else link.attrs["domain"]
    assert got == domain
    assert link.attrs["registered_domain"] == domain
    assert link.attrs["obfuscated"] == obfuscated


# Text that must not yield any url/domain indicator.
NOT_LINKS = [
    "ok.thanks for the coffee",
    "e.g. the first one, i.e. this",
    "I sent image.jpg and report.pdf and data.xlsx",
    "readme.md and setup.zip and script.py",
    "version 1.2.3 and v2.0.1 and 10.0.19045",
    "it costs 3.14 or 2.50",
    "Mr.Smith and Dr.Who",
    "I did it.Today was great",
    "that.is all",
    "U.S.A. and a.m. and p.m.",
    "the dot com bubble",
    "node.js and vue.js",
    "at 10.30am",
    "I will finish it . ok",
]


@pytest.mark.parametrize("text", NOT_LINKS)
def test_not_links(text: str) -> None:
    assert [i for i in found(text) if i.type in ("url", "domain")] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("visit https://www.coinbit.vip/reg?code=123.", "https://www.coinbit.vip/reg?code=123"),
        ("(see https://coinbit.vip/a_(b))", "https://coinbit.vip/a_(b)"),
        ("(see https://coinbit.vip/a)", "https://coinbit.vip/a"),
        ("链接https://coinbit.vip/reg?code=123这是注册", "https://coinbit.vip/reg?code=123"),
        ("网址：https://coinbit.vip/，快", "https://coinbit.vip/"),
        ('<a href="https://coinbit.vip/x">', "https://coinbit.vip/x"),
        ("coinbit.vip/register now", "http://coinbit.vip/register"),
        ("http://192.168.1.10:8080/admin", "http://192.168.1.10:8080/admin"),
        ("server 45.77.1.2/login", "http://45.77.1.2/login"),
        ("https://例子.中国/路径", "https://例子.中国/"),
    ],
)
def test_url_boundaries(text: str, value: str) -> None:
    urls = values(text, "url")
    assert urls[:1] == [value]


def test_bare_ip_without_path_is_not_a_link() -> None:
    assert [
        i for i in found("ping 8.8.8.8 or version 1.2.3.4") if i.type in ("url", "domain")
    ] == []


def test_idn_and_punycode() -> None:
    cyr = found("visit bіnance.com today", "domain")[0]  # Cyrillic і
    assert cyr.attrs["idn"] == "1"
    assert cyr.attrs["punycode"].startswith("xn--")
    assert cyr.attrs["lookalike_brand"] == "Binance"
    puny = found("visit http://xn--bnance-bwa.com/login", "url")[0]
    assert puny.attrs["domain"] == "bînance.com" and puny.attrs["idn"] == "1"


def test_attrs_of_a_plain_domain() -> None:
    d = found("official site okx-global.net", "domain")[0]
    assert d.value == "okx-global.net"
    assert d.attrs["registered_domain"] == "okx-global.net"
    assert (d.attrs["obfuscated"], d.attrs["idn"], d.attrs["ip"]) == ("0", "0", "0")
    assert d.attrs["lookalike_brand"] == "OKX"


def test_subdomain_keeps_full_host_and_registered_domain() -> None:
    d = found("go to app.binance-vip.com.", "domain")[0]
    assert d.value == "app.binance-vip.com"
    assert d.attrs["registered_domain"] == "binance-vip.com"


def test_domain_inside_email_and_url_is_not_repeated() -> None:
    got = [(i.type, i.value) for i in found("mail a@coinbit.vip or https://coinbit.vip/x")]
    assert got == [("email", "a@coinbit.vip"), ("url", "https://coinbit.vip/x")]


def test_word_tld_needs_support() -> None:
    assert found("we finished.today", "domain") == []
    assert values("register at wealth-asia.today", "domain") == ["wealth-asia.today"]
    assert values("login at fortune.today website", "domain") == ["fortune.today"]


@pytest.mark.parametrize(
    ("text", "platform", "value", "kind"),
    [
        ("add t.me/Mentor_David", "telegram", "mentor_david", "account"),
        ("add https://t.me/s/Mentor_David", "telegram", "mentor_david", "account"),
        ("join https://t.me/+AbCdEf123", "telegram", "+AbCdEf123", "invite"),
        ("join t.me/joinchat/AAAAAEabc123", "telegram", "+AAAAAEabc123", "invite"),
        ("add telegram.me/support_team", "telegram", "support_team", "account"),
        ("msg wa.me/14155552671", "whatsapp", "+14155552671", "account"),
        ("https://api.whatsapp.com/send?phone=14155552671&text=hi", "whatsapp", "+14155552671",
         "account"),
        ("group https://chat.whatsapp.com/AbCdEfGhIjK", "whatsapp", "AbCdEfGhIjK", "invite"),
        ("LINE https://line.me/ti/p/~scam_line", "line", "scam_line", "account"),
        ("LINE https://line.me/R/ti/p/@scam_line", "line", "scam_line", "account"),
    ],
)  # fmt: skip
def test_messenger_links(text: str, platform: str, value: str, kind: str) -> None:
    handles = found(text, "handle")
    assert len(handles) == 1
    h = handles[0]
    assert (h.attrs["platform"], h.value, h.attrs["kind"]) == (platform, value, kind)
    assert found(text, "url")  # the link stays a url too


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("Download our app from this link: https://testflight.apple.com/join/AbCdEf12",
         "testflight", "download our app"),
        ("install https://testflight.apple.com/join/AbCdEf12", "testflight", None),
        ("安装描述文件 https://dl.coinbit.top/profile.mobileconfig", "ios-profile", "安装描述文件"),
        ("get https://cdn.coinbit.top/app/coinbit-v2.apk", "android-apk", None),
        ("ios https://cdn.coinbit.top/app/coinbit.ipa", "ios-ipa", None),
        ("itms-services://?action=download-manifest&url=https://x.coinbit.top/manifest.plist",
         "ios-enterprise-install", None),
        ("先下载APP：https://coinbit.top/download 然后注册", "link-near-install-phrase", "下载app"),
        ("please download the app here coinbit-app.top", "link-near-install-phrase",
         "download the app"),
        ("Add it to your home screen: https://m.coinbit.top", "link-near-install-phrase",
         "add it to your home screen"),
    ],
)  # fmt: skip
def test_app_lures(text: str, kind: str, phrase: str | None) -> None:
    lures = found(text, "app_lure")
    assert len(lures) == 1
    lure = lures[0]
    assert lure.attrs["kind"] == kind
    if phrase is not None:
        assert f"phrase:{phrase}" in lure.attrs["reason"]
    assert lure.value.startswith(("http", "itms-services"))


def test_plain_link_without_install_words_is_not_a_lure() -> None:
    assert found("read https://coinbit.top/news today", "app_lure") == []


def test_install_phrase_far_from_the_link_is_not_a_lure() -> None:
    text = "download our app " + "blah " * 60 + "https://coinbit.top/news"
    assert found(text, "app_lure") == []
