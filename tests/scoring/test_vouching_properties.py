"""Property tests: the warning-half and split-pitch paths never raise, and every piece of rule
evidence they produce indexes its own message's original text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.model import Conversation, Message
from scamlens.scoring.engine import default_engine

# Fragments that build warnings, pivots and pitches, mixed with hostile text.
FRAGMENTS = [
    "There are so many scammers online, be careful.", "Scammers will ask you to pay a tax",
    " before you can withdraw.", "But our platform is licensed by FinCEN", ", not like those ",
    "scam platforms", "现在网上骗子很多，你要小心。", "骗子会让你先交税才能提现。",
    "但是我们这个平台是香港持牌的，很安全", "不像外面那些黑平台", "ＳＣＡＭＭＥＲＳ", "ｂｕｔ",
    "\u200b", "\u202e", "\u00ad", "ﬁ", "İ", "\n", '"', "“", "。", " ", "😀", "\x00",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=8).map(
    "".join
)


WARNINGS = [
    "There are so many scammers online, be careful. Scammers will ask you to pay a tax",
    "现在网上骗子很多，你要小心。骗子会让你先交税才能提现。",
    "Fake platforms are everywhere, scammers will ask you to pay a fee before you can withdraw.",
]
PITCHES = ["But our platform is licensed by FinCEN", "但是我们这个平台是香港持牌的，很安全"]
noise = st.lists(st.one_of(st.sampled_from(FRAGMENTS[-14:]), st.text(max_size=4)), max_size=3).map(
    "".join
)
# A warning then a pitch from the same sender, each wrapped in hostile noise.
split_pair = st.tuples(
    noise, st.sampled_from(WARNINGS), noise, st.sampled_from(PITCHES), noise
).map(lambda p: [("Anna", p[0] + p[1] + p[2]), ("Anna", p[2] + p[3] + p[4])])
rows_of = st.lists(
    st.one_of(split_pair, st.tuples(st.sampled_from(["Anna", "Me"]), texts).map(lambda r: [r])),
    min_size=1,
    max_size=3,
).map(lambda parts: [r for part in parts for r in part])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_of)
def test_evidence_spans_hold_in_chats(rows: list[tuple[str, str]]) -> None:
    msgs = tuple(
        Message(i, sender, text, is_user=sender == "Me") for i, (sender, text) in enumerate(rows)
    )
    v = default_engine().analyze(Conversation(messages=msgs, source_format="test", me="Me"))
    for f in v.tactics:
        for e in f.evidence:
            if e.message_index is None or not e.source.startswith("rule:"):
                continue
            text = msgs[e.message_index].text
            assert 0 <= e.start <= e.end <= len(text)
            assert text[e.start : e.end] == e.quote


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_evidence_spans_hold_in_single_texts(text: str) -> None:
    v = default_engine().score_text(text)
    for f in v.tactics:
        for e in f.evidence:
            if e.source.startswith("rule:"):
                assert text[e.start : e.end] == e.quote
