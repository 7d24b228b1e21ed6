"""Property tests: extraction never raises and every span indexes the original text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.indicators import extract, extract_conversation
from scamlens.model import Conversation, Message

# Fragments that exercise every detector, mixed with arbitrary text.
FRAGMENTS = [
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "hxxps://binance-vip[.]com/login",
    "coinbit点com", "bіnance.com", "+1 415-555-2671", "TG: @mentor88", "微信号：abc_123",
    "5万U", "$5,000", "five thousand dollars", "a@b.com", "jane[at]x[.]org", "t.me/+AbC",
    "https://testflight.apple.com/join/x", "下载APP", "\u200b", "\u202e", "。", "．", "(dot)",
    " dot ", "[.]", "\x00", "\n", "０x", "ｂｉｎａｎｃｅ", "１２３", "@", "://", "😀", "ﬁ", "İ",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=12).map(
    "".join
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "US", "CN", "GB"]))
def test_extract_never_raises_and_spans_hold(text: str, region: str | None) -> None:
    for ind in extract(text, region=region):
        assert 0 <= ind.start <= ind.end <= len(text)
        assert text[ind.start : ind.end] == ind.raw
        assert ind.value


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_extract_arbitrary_unicode(text: str) -> None:
    for ind in extract(text):
        assert text[ind.start : ind.end] == ind.raw


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=6))
def test_conversation_spans_point_into_each_message(bodies: list[str]) -> None:
    conv = Conversation(
        messages=tuple(Message(index=i * 2, sender="x", text=t) for i, t in enumerate(bodies)),
        source_format="plain",
    )
    by_index = {m.index: m.text for m in conv.messages}
    for ind in extract_conversation(conv):
        assert ind.message_index is not None
        text = by_index[ind.message_index]
        assert text[ind.start : ind.end] == ind.raw


def test_conversation_matches_per_message_extraction() -> None:
    bodies = [
        "hi dear",
        "send 5000U to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        "site: binance-vip[.]com",
        "",
        "call +1 415-555-2671",
    ]
    conv = Conversation(
        messages=tuple(Message(index=i, sender="x", text=t) for i, t in enumerate(bodies)),
        source_format="plain",
    )
    joined = [
        (i.message_index, i.type, i.value, i.start, i.end) for i in extract_conversation(conv)
    ]
    single = [
        (k, i.type, i.value, i.start, i.end)
        for k, body in enumerate(bodies)
        for i in extract(body, message_index=k)
    ]
    assert joined == single
