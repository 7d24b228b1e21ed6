"""The conversation hot path's shortcuts give what the plain code gives, bit for bit.

Each reference is the code as it was before: `fold` per text, `np.mean`/`np.std`, `np.clip`
in the sigmoids, `Matcher.hits` + `_rule_evidence`, the scipy matrix between the two kernels,
and `analyze` computing the tactic and counter scores again.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.model import Conversation, Message, MessageKind
from scamlens.scoring import fused
from scamlens.scoring.engine import Analysis, Engine, default_engine
from scamlens.scoring.features import mean_std
from scamlens.text.normalize import fold, fold_many

from .test_ngram_kernel import example_texts, native, use_native

# Characters that take every branch of fold_many: ASCII (with \x01, its ASCII join, NUL and
# DEL, which ASCII folding treats apart), CJK and traditional forms, full-width punctuation,
# characters that fold to nothing (zero-width, variation selector, combining marks) or to
# several (ligatures, squared words), astral emoji, lone surrogates, and the join character.
_ALPHABET = (
    "aZ09 .,!?\n\t\r\x00\x01\x7f"
    "你好嗎臺灣錢，。！？（）"
    "\u200b\u200d\u200e\ufe0f\u0301\u20dd"
    "ﬁ㍻Ⅻ①ｆｕｌｌ"
    "аеорсх"
    "😀❤\U0001f600\U00020000"
    "\ud800\udfff"
    "\ue000"
)
texts_strategy = st.lists(st.text(alphabet=_ALPHABET, max_size=30), max_size=8)


@settings(max_examples=400, deadline=None)
@given(texts=texts_strategy)
def test_fold_many_equals_fold(texts: list[str]) -> None:
    assert fold_many(texts) == [fold(t) for t in texts]


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", ""],
        ["ABC", "Déf"],
        ["a\x01b", "C"],  # the ASCII join character inside a text
        ["中\ue000文", "臺灣"],  # the join character inside a text
        ["中文\ue000", "x\u200by", "ﬁne 錢"],
        ["ﬁ", "ﬂ", "臺"],  # every non-ASCII text folds to several characters somewhere
        ["\u200b", "\ufe0f", "\u0301"],  # ... or to nothing at all
        ["\ud800", "😀", "\udfff\ud800"],
        ["NUL\x00", "DEL\x7f", "中\x00\x7f"],  # ASCII and non-ASCII fold these differently
    ],
)
def test_fold_many_edge_cases(texts: list[str]) -> None:
    assert fold_many(texts) == [fold(t) for t in texts]


def test_fold_many_on_the_examples() -> None:
    from scamlens.api import load_chats

    from .test_ngram_kernel import REPO

    for path in sorted((REPO / "examples").glob("*/**/*")):
        if path.is_file() and path.parent.name != "texts":
            for conv in load_chats(path):
                texts = [m.text for m in conv.messages]
                assert fold_many(texts) == [fold(t) for t in texts]


floats = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(floats | st.sampled_from([0.0, 1e-9, 3.7]), min_size=1, max_size=600))
def test_mean_std_equals_numpy(values: list[float]) -> None:
    arr = np.asarray(values, dtype=np.float64)
    mean, sd = mean_std(values)
    assert mean.hex() == float(np.mean(arr)).hex()
    assert sd.hex() == float(np.std(arr)).hex()


def _sigmoid_reference(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)


_EXTREMES = [0.0, -0.0, 29.999, 30.0, 30.0001, -30.0, -30.0001, 1e30, -1e30, 12.5, -7.25]


@settings(max_examples=100, deadline=None)
@given(
    z=st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False) | st.sampled_from(_EXTREMES),
        min_size=1,
        max_size=40,
    )
)
def test_sigmoids_equal_the_clip_reference(z: list[float]) -> None:
    eng = default_engine()
    dot = np.asarray(z, dtype=np.float32)
    tm = eng.text_model
    want = _sigmoid_reference(np.asarray(dot, dtype=np.float64) + tm.intercept)
    assert np.array_equal(tm.proba_from_dot(dot), want)
    tactic = eng.tactic_model
    assert tactic is not None
    live = np.asarray(tactic._live)  # type: ignore[attr-defined]
    rows = np.resize(dot, (3, live.size))
    ref = np.zeros((3, len(tactic.tactics)), dtype=np.float64)
    ref[:, live] = _sigmoid_reference(np.asarray(rows, dtype=np.float64) + tactic.intercepts[live])
    assert np.array_equal(tactic.firing_proba_from_dot(rows), ref)
    part = eng.risk_model.part(single_text=False)
    x = np.resize(np.asarray(z, dtype=np.float64), part.weights.shape[0])
    zr = ((np.atleast_2d(x) - part.mean) / part.scale) @ part.weights + part.intercept
    assert np.array_equal(part.raw(x), _sigmoid_reference(zr))


def test_sigmoid_keeps_nan_as_clip_did() -> None:
    tm = default_engine().text_model
    dot = np.asarray([np.nan, 1.0], dtype=np.float32)
    got, want = tm.proba_from_dot(dot), _sigmoid_reference(dot.astype(np.float64) + tm.intercept)
    assert np.isnan(got[0]) and np.isnan(want[0]) and got[1] == want[1]


def _messages() -> list[str]:
    texts = list(example_texts())
    texts += [
        "To withdraw you must first pay the 20% personal income tax",
        "I will never pay the tax to withdraw, that is a scam",
        "Police warn: scammers ask you to pay tax before you can withdraw",
        "提现需要先交个人所得税，不交就不能提现",
        "ｐａｙ ｔｈｅ ｔａｘ to w\u200bithdraw",
    ]
    return texts


def test_span_evidence_equals_rule_evidence_of_hits() -> None:
    eng = default_engine()
    m = eng.matcher
    for text in _messages():
        folded = fold(text)
        ids = m.match_ids(folded)
        hits = m.hits(text, folded, ids)
        spans = m.hit_spans(text, folded, ids)
        assert [(eng.pack.rules.index(h.rule), h.start, h.end, h.negated) for h in hits] == spans
        for index, is_user in ((None, None), (3, True), (4, False)):
            assert eng._span_evidence(text, folded, spans, index, is_user) == eng._rule_evidence(
                text, folded, hits, index, is_user
            )


@native
def test_fused_text_scores_equal_the_path_through_scipy() -> None:
    eng = default_engine()
    tm = eng.tactic_model
    assert tm is not None
    texts = list(dict.fromkeys(example_texts()))
    with use_native(True):
        got = fused.fused_text_scores(eng.text_model, tm, texts)
        hashed = eng.text_model.transform(texts)
        want = fused.fused_scores(eng.text_model, tm, hashed)
        assert fused.fused_text_scores(eng.text_model, tm, []) is None
    assert got is not None and want is not None
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    with use_native(False):
        assert np.array_equal(eng.text_model.proba_hashed(hashed), got[0])
        assert np.array_equal(tm.firing_proba(hashed), got[1])
        assert fused.fused_text_scores(eng.text_model, tm, texts) is None


def test_fused_text_scores_decline_on_lone_surrogates() -> None:
    # fold() replaces lone surrogates; unfolded text reaches the kernels only through callers
    # of _model_scores that skip it. The hashing kernel declines, the numpy path decides.
    eng = default_engine()
    tm = eng.tactic_model
    assert tm is not None
    texts = ["pay the tax \ud800 now", "ok"]
    assert fused.fused_text_scores(eng.text_model, tm, texts) is None
    with pytest.raises(UnicodeEncodeError):
        eng.text_model.transform(texts)
    with pytest.raises(UnicodeEncodeError):
        eng._model_scores(texts, True, tm)


def _conversation() -> Conversation:
    texts = _messages()[-60:]
    kinds = [MessageKind.TEXT, MessageKind.MEDIA, MessageKind.SYSTEM]
    msgs = tuple(
        Message(
            index=i,
            sender="me" if i % 3 == 0 else "them",
            text=t,
            is_user=(i % 3 == 0) if i % 7 else None,
            kind=kinds[i % 11 % 3] if i % 13 else "text",  # type: ignore[arg-type]
        )
        for i, t in enumerate(texts)
    )
    return Conversation(messages=msgs, source_format="test")


def test_analysis_carries_the_scores_analyze_reads() -> None:
    eng = default_engine()
    conv = _conversation()
    a = eng.conversation_features(conv)
    assert a.tactic_scores == eng._tactic_scores(a.evidence)
    assert a.counter_scores == eng._counter_scores(a.evidence)
    want_msgs = [
        m
        for m in conv.messages
        if m.kind in (MessageKind.TEXT, MessageKind.MEDIA) and m.text.strip() != ""
    ]
    assert a.messages == want_msgs
    assert [p for _, p in a.scored] == [float(p) for p in [p for _, p in a.scored]]


def test_analyze_equals_analyze_recomputing_the_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    eng = default_engine()
    conv = _conversation()
    fast = eng.analyze(conv)
    plain = Engine.conversation_features

    def stripped(self: Engine, c: Conversation, **kw: Any) -> Analysis:
        a = plain(self, c, **kw)
        return dataclasses.replace(a, tactic_scores=None, counter_scores=None)

    monkeypatch.setattr(Engine, "conversation_features", stripped)
    assert eng.analyze(conv) == fast
    assert math.isfinite(fast.risk)
