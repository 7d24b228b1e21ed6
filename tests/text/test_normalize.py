from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scamlens.text.normalize import (
    detect_language,
    display_safe,
    fold,
    fold_map,
    to_original_span,
)


def test_fold_defeats_common_obfuscation() -> None:
    assert fold("Ｗｉｔｈｄｒａｗ") == "withdraw"  # full-width
    assert fold("with\u200bdraw") == "withdraw"  # zero-width space
    assert fold("wіthdrаw") == "withdraw"  # Cyrillic і and а
    assert fold("𝐔𝐒𝐃𝐓") == "usdt"  # mathematical bold
    assert fold("提現") == "提现"  # traditional -> simplified
    assert fold("café") == "cafe"
    assert fold("a\u202eb") == "ab"  # bidi override removed


def test_fold_ascii_keeps_length() -> None:
    text = "Pay\x00 the TAX\tnow"
    assert len(fold(text)) == len(text)


def test_span_maps_back_to_original() -> None:
    text = "Please ра\u200bу the tax"  # Cyrillic p/a/y split by a zero-width space
    folded = fold(text)
    i = folded.index("pay")
    s, e = to_original_span(text, i, i + 3)
    assert text[s:e] == "ра\u200bу"


@given(st.text(max_size=200))
def test_fold_map_is_consistent(text: str) -> None:
    folded = fold(text)
    mapping = fold_map(text)
    assert len(mapping) == len(folded) + 1
    assert all(0 <= m <= len(text) for m in mapping)
    assert mapping == sorted(mapping)


@given(st.text(max_size=120), st.integers(0, 200), st.integers(0, 200))
def test_to_original_span_stays_in_bounds(text: str, a: int, b: int) -> None:
    start, end = sorted((a, b))
    s, e = to_original_span(text, start, end)
    assert 0 <= s <= e <= len(text)


def test_language_guess() -> None:
    assert detect_language("提现前需要先缴纳个人所得税") == "zh"
    assert detect_language("you must pay the tax first") == "en"
    assert detect_language("12345 !!!") == "unknown"


def test_display_safe_strips_bidi_only() -> None:
    assert display_safe("abc\u202edef\u200b") == "abcdef\u200b"
