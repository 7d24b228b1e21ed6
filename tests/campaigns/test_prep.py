from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.campaigns.prep import PLACEHOLDERS, mask, prepare, skeleton

SCRIPT = (
    "Many people have been cheated by fake trading sites, and the scammers behind these "
    "crimes are hard to catch."
)
SPUN = (
    "Many individuals have been tricked by bogus trading websites, and the fraudsters behind "
    "these criminal offenses are difficult to capture."
)


def test_synonym_spinning_keeps_the_skeleton() -> None:
    assert prepare(SCRIPT).skeleton == prepare(SPUN).skeleton
    assert prepare(SCRIPT).stream != prepare(SPUN).stream


def test_obfuscation_folds_to_the_same_stream() -> None:
    clean = "Please send the USDT to the platform wallet today, my dear"
    dirty = "Рlеаse s\u200bend thé U S D T to the plаtfоrm wаllet tоdаy, my dear!! 💰"
    assert prepare(clean).stream == prepare(dirty).stream


def test_variable_parts_are_masked() -> None:
    masked, found = mask(
        "Hi Anna, send 5,000 USDT to 0x52908400098527886E0F7030069857D2E4169EE7 via "
        "https://coinmax.vip/reg?code=123 or mail help@coinmax.io, Telegram @coin_support"
    )
    assert "anna" not in masked and "N" in masked
    assert "5,000" not in masked and " 0 usdt" in masked
    kinds = [k for k, _ in found]
    assert kinds == ["W", "U", "E", "H"]
    for letter in "WUEH":
        assert f" {letter} " in masked


def test_sentence_initial_words_are_not_names() -> None:
    masked, _ = mask("Congratulations, your account shows a profit. You see, I told you.")
    assert masked.startswith("congratulations") and "N" not in masked


def test_chinese_is_folded_and_flagged() -> None:
    simplified = prepare("我舅舅是一家大型投资银行的高级分析师，他有内部消息")
    traditional = prepare("我舅舅是一家大型投資銀行的高級分析師，他有內部消息")
    assert simplified.zh and traditional.zh
    assert simplified.stream == traditional.stream
    assert simplified.weight_len == 3 * len(simplified.stream)
    assert "_" in simplified.skeleton and len(set(simplified.skeleton)) > 3


def test_contractions_expand_in_the_skeleton() -> None:
    assert skeleton("i'm sure you don't know it") == skeleton("i am sure you do not know it")
    assert skeleton("let's go, it's late") == skeleton("let us go, it is late")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_prepare_accepts_any_text(text: str) -> None:
    p = prepare(text)
    assert not any(ch.isspace() for ch in p.stream)
    assert p.weight_len >= len(p.stream)
    for ch in p.skeleton:
        assert ch in "_.0" or ch in PLACEHOLDERS or 0xE000 <= ord(ch) < 0xE400
    assert "__" not in p.skeleton


def test_long_words_with_apostrophes_stay_fast() -> None:
    # Token-level contraction handling: no quadratic regex backtracking on crafted input.
    p = prepare("a" * 3990 + "'s " + "b" * 3000 + "n't")
    assert len(p.skeleton) <= 3
