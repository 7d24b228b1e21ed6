"""Defanging runs on untrusted values (feed entries, API and CLI lookups) with RE2, whose
`sub` is linear. Python's `re` took ~7 s for one 20 KB run of spaces inside a value (quadratic:
every start position re-read the run). These tests pin that the patterns are RE2's and that
they replace exactly what the old `re` patterns (Unicode `\\s`, IGNORECASE) replaced."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.indicators import normalize
from scamlens.indicators.normalize import defang, normalize_domain

_OLD_DOT = re.compile(
    r"\s*[\[({]\s*(?:\.|dot|点)\s*[\])}]\s*|\s+dot\s+|[ \t]+\.[ \t]*|\.[ \t]+", re.IGNORECASE
)
_OLD_AT = re.compile(r"\s*[\[({]\s*(?:@|at)\s*[\])}]\s*", re.IGNORECASE)

# Every character Python's `\s` knows, the brackets and words the patterns look for, and some
# near misses (a zero-width space is not whitespace; the Kelvin sign and long s fold).
_PIECES = [
    " ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f", "\x85", "\xa0", "\u1680", "\u2000",
    "\u2009", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "[", "]",
    "(", ")", "{", "}", ".", "。", "dot", "DOT", "dOt", "点", "@", "at", "AT", "aT", "a", "K",
    "\u212a", "ſ", "x.com", "é",
]  # fmt: skip
_TEXTS = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=14).map(
    "".join
)


def test_the_patterns_are_re2() -> None:
    # A `re.Pattern` here would bring the quadratic `sub` back.
    assert not isinstance(normalize._DOT_WORDS_RE, re.Pattern)
    assert not isinstance(normalize._AT_RE, re.Pattern)


@settings(max_examples=600, deadline=None)
@given(_TEXTS)
def test_same_replacements_as_the_python_patterns(text: str) -> None:
    assert normalize._DOT_WORDS_RE.sub(".", text) == _OLD_DOT.sub(".", text)
    assert normalize._AT_RE.sub("@", text) == _OLD_AT.sub("@", text)


def test_a_long_whitespace_run_is_handled() -> None:
    # 200 KB: with the old patterns this alone ran for minutes. Only the outcome is asserted.
    value = "a" + " \u3000\t" * 70_000 + "b.com"
    assert defang(value).startswith("a ")
    with pytest.raises(ValueError, match="overlong host"):
        normalize_domain(value)
