"""The speed-ups in scoring give the same numbers, bit for bit, as the plain code they replace.

Each reference below is the code as it was before (scipy COO -> CSR hashing, regex `findall`
language counts, `_days` per gap, the per-message scoring path), kept here to compare against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from scamlens.model import Conversation, Message
from scamlens.scoring import hashing
from scamlens.scoring.engine import default_engine
from scamlens.scoring.features import _days, _gaps
from scamlens.scoring.hashing import CharNgramHasher, _mix
from scamlens.scoring.language import (
    _script_counts_np,
    joined_head,
    quick_language,
    script_counts,
)
from scamlens.scoring.tacticmodel import TacticModel, fold_features
from scamlens.text.normalize import fold

_SEP = "\x01"


def reference_transform(hasher: CharNgramHasher, texts: Sequence[str]) -> sparse.csr_matrix:
    """The hashing transform as first written: COO of ones, scipy sums and sorts."""
    n_docs = len(texts)
    if n_docs == 0:
        return sparse.csr_matrix((0, hasher.n_features), dtype=np.float32)
    joined = _SEP.join(t.replace(_SEP, " ") for t in texts) + _SEP
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = codes == np.uint64(1)
    doc = np.cumsum(is_sep) - is_sep
    seps_before = np.concatenate(([0], np.cumsum(is_sep)))
    rows_all, cols_all = [], []
    size = len(codes)
    lo, hi = hasher.ngram_range
    for n in range(lo, hi + 1):
        m = size - n + 1
        if m <= 0:
            continue
        h = np.zeros(m, dtype=np.uint64)
        for k in range(n):
            h = h * np.uint64(1_000_003) + codes[k : k + m]
        ok = (seps_before[n : n + m] - seps_before[0:m]) == 0
        offset = np.uint64((n * 0x9E3779B97F4A7C15) & ((1 << 64) - 1))
        h = _mix(h[ok] + offset)
        rows_all.append(doc[:m][ok].astype(np.int64))
        cols_all.append((h % np.uint64(hasher.n_features)).astype(np.int64))
    rows = np.concatenate(rows_all) if rows_all else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols_all) if cols_all else np.zeros(0, dtype=np.int64)
    data = np.ones(rows.shape[0], dtype=np.float32)
    mat = sparse.coo_matrix((data, (rows, cols)), shape=(n_docs, hasher.n_features)).tocsr()
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel()).astype(np.float32)
    norms[norms == 0] = 1.0
    mat.data /= np.repeat(norms, np.diff(mat.indptr))
    return mat


def assert_same_csr(a: sparse.csr_matrix, b: sparse.csr_matrix) -> None:
    assert a.shape == b.shape
    assert a.indptr.dtype == b.indptr.dtype and a.indices.dtype == b.indices.dtype
    assert a.data.dtype == b.data.dtype == np.float32
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert a.data.tobytes() == b.data.tobytes()  # bit for bit, not approximately


EDGE_TEXTS = [
    "",
    "a",
    "ab",
    "abc",
    _SEP,
    _SEP * 3 + "x",
    "a\x01b",
    "aaaa" * 300,  # one n-gram many times: large counts
    "提现需要先交个人所得税",
    "𝔭𝔞𝔶 🙂 now",
    " ",
]

text_lists = st.lists(
    st.text(alphabet=st.sampled_from("ab c\x01提现🙂\né"), max_size=40), max_size=12
)


@pytest.mark.parametrize("n_features", [2**20, 2**16, 1000, 7])
@pytest.mark.parametrize("ngram_range", [(2, 4), (1, 3), (3, 3)])
def test_transform_equals_coo_reference(n_features: int, ngram_range: tuple[int, int]) -> None:
    hasher = CharNgramHasher(ngram_range, n_features)
    for texts in ([], [""], EDGE_TEXTS, EDGE_TEXTS[::-1], ["x"] * 5):
        assert_same_csr(hasher.transform(texts), reference_transform(hasher, texts))


@settings(max_examples=150, deadline=None)
@given(texts=text_lists, chunk=st.sampled_from([1, 3, 50, 16_384]))
def test_transform_equals_reference_on_random_batches(texts: list[str], chunk: int) -> None:
    hasher = CharNgramHasher()
    old = hashing.CHUNK_CHARS
    hashing.CHUNK_CHARS = chunk  # small slices exercise stacking
    try:
        got = hasher.transform(texts)
    finally:
        hashing.CHUNK_CHARS = old
    assert_same_csr(got, reference_transform(hasher, texts))


def test_transform_rejects_lone_surrogates_like_before() -> None:
    # Folded text never holds them (fold marks them U+FFFD); raw text fails as it always did.
    with pytest.raises(UnicodeEncodeError):
        reference_transform(CharNgramHasher(), ["\ud800"])
    with pytest.raises(UnicodeEncodeError):
        CharNgramHasher().transform(["\ud800"])


def test_transform_is_canonical_and_sliced_batches_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = CharNgramHasher()
    texts = [f"message {i} {'pay the fee ' * (i % 7)}" for i in range(300)]
    whole = hasher.transform(texts)
    assert whole.has_canonical_format
    monkeypatch.setattr(hashing, "CHUNK_CHARS", 100)
    assert_same_csr(hasher.transform(texts), whole)


def test_firing_proba_equals_proba_hashed_on_live_heads() -> None:
    rng = np.random.default_rng(1)
    coef = (rng.standard_normal((2**12, 4)) * 0.5).astype(np.float32)
    model = TacticModel(
        "t", ("a", "b", "c", "d"), coef, rng.standard_normal(4), np.array([0.4, 2.0, 1.0, 1.5]), {}
    )
    x = CharNgramHasher().transform([*EDGE_TEXTS, "pay the unlock fee", "good morning"])
    full, fire = model.proba_hashed(x), model.firing_proba(x)
    live = [0, 2]
    assert fire[:, live].tobytes() == full[:, live].tobytes()
    assert not fire[:, [1, 3]].any()
    assert model.firing_proba(x[:0]).shape == (0, 4)


def test_bundled_tactic_model_fires_exactly_as_before() -> None:
    tm = default_engine().tactic_model
    assert tm is not None
    x = default_engine().text_model.transform([fold(t) for t in EDGE_TEXTS])
    full, fire = tm.proba_hashed(x), tm.firing_proba(x)
    live = tm.thresholds <= 1.0
    assert fire[:, live].tobytes() == full[:, live].tobytes()
    assert np.array_equal(fire >= tm.thresholds, full >= tm.thresholds)
    assert fold_features(x, tm.n_features).shape[1] == tm.n_features


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[A-Za-z]")


def reference_language(text: str) -> str:
    sample = text[:4000]
    if sample.isascii():
        return "en" if _LATIN_RUN.search(sample) else "unknown"
    cjk = len(_CJK_RUN.findall(sample))
    latin = len(_LATIN_RUN.findall(sample))
    if cjk == 0 and latin == 0:
        return "unknown"
    zh = cjk * 3
    if zh >= latin * 4:
        return "zh"
    if latin >= zh * 4:
        return "en"
    return "mixed"


script = st.text(
    alphabet=st.sampled_from(["a", "Z", "é", "\u3400", "\u4dbf", "\u4dc0", "\u4e00", "\u9fff",
                              "\ua000", "\uf8ff", "\uf900", "\ufaff", "\ufb00", "\ud800", "1",
                              " ", "🙂", "[", "`", "{", "@"]),
    max_size=600,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=script)
def test_script_counts_equal_regex_counts(text: str) -> None:
    want = (len(_CJK_RUN.findall(text)), len(_LATIN_RUN.findall(text)))
    assert script_counts(text) == want  # in C where built
    assert _script_counts_np(text) == want  # without it
    assert quick_language(text) == reference_language(text)


def test_quick_language_on_long_samples() -> None:
    for text in ("投资" * 3000, "ab 投" * 2000, "a" * 5000 + "投", "é" * 4500):
        assert quick_language(text) == reference_language(text)


@given(
    texts=st.lists(st.text(alphabet="ab ", max_size=6), max_size=8),
    limit=st.integers(0, 30),
    sep=st.sampled_from([" ", "", "--"]),
)
def test_joined_head_is_a_prefix_of_the_join(texts: list[str], limit: int, sep: str) -> None:
    assert joined_head(iter(texts), limit, sep) == sep.join(texts)[:limit]


def reference_gaps(stamps: Sequence[datetime | None]) -> list[float]:
    gaps: list[float] = []
    prev: datetime | None = None
    for ts in stamps:
        if ts is not None and prev is not None:
            d = _days(prev, ts)
            if d is not None:
                gaps.append(d)
        prev = ts if ts is not None else prev
    return gaps


def test_gaps_equal_days_between_known_stamps() -> None:
    t0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    naive = datetime(2024, 3, 1, 9, 0)
    stamps: list[datetime | None] = [
        None,
        t0,
        t0,  # zero gap
        t0 - timedelta(hours=3),  # backwards: clamped to 0
        None,
        naive,  # aware vs naive: no gap, but it becomes the previous stamp
        naive + timedelta(seconds=1, microseconds=7),
        t0 + timedelta(days=400, microseconds=1),
        t0 + timedelta(days=400, microseconds=2),
    ]
    got, want = _gaps(stamps), reference_gaps(stamps)
    assert got == want and [float(g).hex() for g in got] == [float(g).hex() for g in want]


def test_batch_scoring_equals_conversation_evidence_per_text() -> None:
    eng = default_engine()
    texts = [
        "To withdraw you must first pay the 20% personal income tax",
        "good morning dear, did you eat breakfast?",
        "提现需要先交个人所得税，不交就不能提现",
        "",
        "Police warn: scammers ask you to pay tax before you can withdraw",
    ]
    results = eng.score_batch(texts)
    for text, res in zip(texts, results, strict=True):
        ev = eng.message_evidence(text, fold(text), None, None)
        rule_ev = tuple(e for e in res.evidence if e.source.startswith("rule:"))
        assert rule_ev == tuple(ev)
    conv = Conversation(
        messages=tuple(Message(index=i, sender="x", text=t) for i, t in enumerate(texts)),
        source_format="test",
    )
    per = eng.conversation_features(conv)
    want = [
        e
        for i, t in enumerate(texts)
        if t.strip()
        for e in eng.message_evidence(t, fold(t), i, None)
    ]
    assert [e for e in per.evidence if e.source.startswith("rule:")] == want


def test_repeated_texts_score_as_if_scored_one_by_one() -> None:
    eng = default_engine()
    tm = eng.tactic_model
    assert tm is not None
    texts = [fold(t) for t in ["ok", "pay the tax to withdraw", "ok", "", "ok", "好的", ""]]
    probs, tprobs = eng._model_scores(texts, True, tm)
    hashed = eng.text_model.transform(texts)  # every row, repeats included
    assert probs is not None and tprobs is not None
    assert probs.tobytes() == eng.text_model.proba_hashed(hashed).tobytes()
    assert tprobs.tobytes() == tm.firing_proba(hashed).tobytes()
    ids = eng.matcher.match_ids_many(texts)
    assert ids == [eng.matcher.match_ids(t) for t in texts]
