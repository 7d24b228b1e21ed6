"""display_safe's fast path against its per-character definition, on hostile Unicode."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.text.normalize import BIDI_CONTROLS, display_safe

# Bidi controls, their neighbours, zero-width and control characters, lone surrogates.
_HOSTILE = [chr(c) for c in sorted(BIDI_CONTROLS)] + [
    "\x00", "\x01", "\x1f", "\x7f", "\u061b", "\u061d", "\u200b", "\u200c", "\u200d",
    "\u2029", "\u202f", "\u2065", "\u206a", "\ufeff", "\ud800", "\udfff", "\ud83d",
    "a", "中", "😀", "\u0301", "\n",
]  # fmt: skip
_ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())
_TEXT = st.text(st.one_of(st.sampled_from(_HOSTILE), _ANY_CHAR), max_size=120)


def reference(text: str) -> str:
    """The definition: drop every bidi control and NUL, keep everything else."""
    return "".join(ch for ch in text if ord(ch) not in BIDI_CONTROLS and ch != "\x00")


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_display_safe_matches_definition(text: str) -> None:
    assert display_safe(text) == reference(text)


@settings(max_examples=300, deadline=None)
@given(st.text(_ANY_CHAR, max_size=200))
def test_display_safe_on_any_code_point(text: str) -> None:
    assert display_safe(text) == reference(text)


def test_every_unsafe_character_is_dropped_alone_and_inside_text() -> None:
    for cp in [0, *sorted(BIDI_CONTROLS)]:
        ch = chr(cp)
        assert display_safe(ch) == ""
        assert display_safe(f"中{ch}x{ch}") == "中x"
        assert display_safe(f"a{ch}b") == "ab"


def test_clean_text_is_returned_as_is() -> None:
    text = "提现需要先缴税 \u200b 😀 \ud800"
    assert display_safe(text) is text
    assert display_safe("plain ascii") == "plain ascii"
