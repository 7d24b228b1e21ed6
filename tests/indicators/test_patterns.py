"""Pattern rewrites used by the gate: named groups made plain, top-level branches split."""

from __future__ import annotations

import pytest
import re2

from scamlens.indicators import amounts, contacts, links, wallets
from scamlens.indicators.patterns import check_context_free, split_branches, strip_names


def test_strip_names_leaves_escapes_and_classes() -> None:
    assert strip_names(r"(?P<a>x)(?<b>y)") == "(?:x)(?:y)"
    assert strip_names(r"\(?P<a>x") == r"\(?P<a>x"
    assert strip_names(r"[(?P<a>]") == r"[(?P<a>]"
    assert strip_names(r"[]a(](?P<n>z)") == r"[]a(](?:z)"
    assert strip_names(r"[^]\]](?P<n>z)") == r"[^]\]](?:z)"
    assert strip_names(r"(?P<o>a(?P<i>b))") == "(?:a(?:b))"


@pytest.mark.parametrize(
    "pattern",
    [
        amounts.AMOUNT_PATTERN,
        contacts.LABEL_PATTERN,
        contacts.LABEL_ZH_PATTERN,
        contacts.EMAIL_PATTERN,
        links.domain_pattern(),
        *[p for _, p in wallets.ALTERNATIVES],
    ],
)
def test_stripped_patterns_capture_nothing_and_match_alike(pattern: str) -> None:
    plain = re2.compile(strip_names(pattern))
    assert plain.groups == 0
    full = re2.compile(pattern)
    for text in ("pay 5,000 USDT", "微信号：abc_123", "a@b.com", "x.com/y", "0x" + "a" * 40):
        a, b = plain.search(text), full.search(text)
        assert (a and a.span()) == (b and b.span())


def test_split_branches() -> None:
    assert split_branches("a|b(c|d)|[|]") == ["a", "b(c|d)", "[|]"]
    assert split_branches("(?i:a|b)") == ["(?i:a)", "(?i:b)"]
    assert split_branches("(?:(?i:a|b))") == ["(?:(?i:a))", "(?:(?i:b))"]
    assert split_branches("(?i:a|b)c") == ["(?i:a|b)c"]  # the group is not the whole
    assert split_branches("(?P<n>a|b)") == ["(?P<n>a|b)"]  # a capturing group stays whole
    assert split_branches("a(?i)b|c") == ["a(?i)b|c"]  # (?i) reaches into the next branch
    assert split_branches(r"a\|b") == [r"a\|b"]
    assert len(split_branches(amounts.AMOUNT_PATTERN)) == 5


def test_check_context_free() -> None:
    check_context_free(r"[^a]\$[$]\b")
    for bad in ("^a", "a$", r"\Aa", r"a\z", "(?m:^a)"):
        with pytest.raises(ValueError):
            check_context_free(bad)


def test_malformed_patterns_are_refused() -> None:
    with pytest.raises(ValueError):
        strip_names("[abc")
    with pytest.raises(ValueError):
        split_branches(r"\Qa|b\E")
