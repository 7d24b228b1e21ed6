"""Everyday chat that must yield no wallet, hash, link, contact or handle."""

from __future__ import annotations

import pytest

from .helpers import found

BENIGN = [
    "Good morning dear, did you sleep well?",
    "Lunch was $12.50, the noodles here are great",  # a price: an amount, nothing else
    "see you at 10:30, or 10.30am, or 22:15:07",
    "The meeting is on 2024-03-12 or 12/03/2024 or 12.03.2024",
    "iOS 17.4.1 and version 1.2.3-beta and v2.0 and build 10.0.19045.3693",
    "It costs 3.14 or 2,50 or 1,000.00 ok.thanks",
    "Order #123456789 and order no. 4155552671 and invoice INV-2024-0042",
    "Tracking number 1Z999AA10123456784",
    "Mr.Smith, Dr.Who and St.Louis say hi. e.g. this, i.e. that, etc.",
    "Files: IMG_2041.jpg, report.pdf, data.xlsx, notes.txt, setup.exe",
    "meet me @ the cafe @ 5pm, @home by 7",
    "my score was 98.6% and I ran 5km in 25:30",
    "call me later ok? love you ❤️ 😘",
    "I sent it.Thanks so much.See you",
    "早上好亲爱的，今天吃饭了吗？我们明天10点见。",
    "这个版本是1.2.3，价格是3.5折",
    "hello,world;foo:bar/baz",
    "ISBN 978-3-16-148410-0",
    "SKU ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk",
    "password: Summer2024! please don't share",
]
FORBIDDEN = {"wallet", "txhash", "url", "domain", "phone", "email", "handle", "app_lure"}


@pytest.mark.parametrize("text", BENIGN)
@pytest.mark.parametrize("region", [None, "US", "CN"])
def test_benign_chat(text: str, region: str | None) -> None:
    bad = [i for i in found(text, region=region) if i.type in FORBIDDEN]
    assert bad == []


def test_price_is_only_an_amount() -> None:
    got = [(i.type, i.value) for i in found("Lunch was $12.50 today", region="US")]
    assert got == [("amount", "12.5 USD")]
