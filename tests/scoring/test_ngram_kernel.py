"""The C kernel (`scamlens.scoring._ngram`) gives the numpy path's matrix bit for bit.

Every comparison runs both paths on whatever models and inputs are there now: nothing is
checked against stored numbers. Tests that need the kernel skip when it is not built; the
fallback tests run either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from scamlens.scoring import hashing
from scamlens.scoring.engine import default_engine
from scamlens.scoring.hashing import CharNgramHasher
from scamlens.text.normalize import fold

REPO = Path(__file__).resolve().parents[2]
native = pytest.mark.skipif(
    not hashing.HAVE_NATIVE,
    reason="C extension scamlens.scoring._ngram not built (python setup.py build_ext --inplace)",
)

RANGES = [(2, 4), (1, 3), (3, 5)]
WIDTHS = [2**20, 2**16, 2**4]  # 2**4: nearly every n-gram collides


@contextmanager
def use_native(on: bool) -> Iterator[None]:
    old = hashing.USE_NATIVE
    hashing.USE_NATIVE = on
    try:
        yield
    finally:
        hashing.USE_NATIVE = old


def numpy_path(hasher: CharNgramHasher, texts: Sequence[str]) -> sparse.csr_matrix:
    with use_native(False):
        return hasher.transform(texts)


def kernel_path(hasher: CharNgramHasher, texts: Sequence[str]) -> sparse.csr_matrix:
    """The kernel's matrix; fails if the kernel declined (a silent fallback proves nothing)."""
    if texts:
        direct = hasher._native(list(texts))
        assert direct is not None, "the kernel declined a batch it should take"
    with use_native(True):
        return hasher.transform(texts)


def assert_same_csr(got: sparse.csr_matrix, want: sparse.csr_matrix) -> None:
    assert got.shape == want.shape
    assert got.data.dtype == want.data.dtype == np.float32
    assert got.indices.dtype == want.indices.dtype
    assert got.indptr.dtype == want.indptr.dtype
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)
    assert got.data.tobytes() == want.data.tobytes()  # bit for bit, signed zeros and all
    assert got.has_canonical_format and want.has_canonical_format
    assert got.data.flags.writeable == want.data.flags.writeable


def assert_paths_agree(texts: Sequence[str], ngram_range: tuple[int, int], nf: int) -> None:
    hasher = CharNgramHasher(ngram_range, nf)
    assert_same_csr(kernel_path(hasher, texts), numpy_path(hasher, texts))


# -- summation order ---------------------------------------------------------------------


@native
@pytest.mark.parametrize(
    "length", [1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 255, 256, 257, 1000, 4099, 100_003]
)
def test_segment_sum_is_numpys_reduceat_order(length: int) -> None:
    from scamlens.scoring import _ngram

    rng = np.random.default_rng(length)
    for trial in range(8):
        # Every addition rounds (magnitudes over 10 decades, or similar ones with full
        # mantissas), so another order or block size gives other bits.
        scale = 10.0 ** rng.integers(-3, 8, length) if trial % 2 else 1000.0
        vals = (rng.random(length) * scale + 1).astype(np.float32)
        padded = np.concatenate([np.ones(3, np.float32), vals, np.ones(2, np.float32)])
        want = np.add.reduceat(padded, np.array([0, 3, 3 + length]))[1]
        got = np.float32(_ngram.segment_sum_f32(vals.tobytes()))
        assert got.tobytes() == want.tobytes()


def test_summation_order_matters_for_this_data() -> None:
    """The check above can fail: a plain running sum gives other bits on such data."""
    vals = (np.random.default_rng(0).random(1000) * 1e6).astype(np.float32)
    running = np.float32(0)
    for v in vals:
        running = np.float32(running + v)
    assert running.tobytes() != np.add.reduceat(vals, np.array([0]))[0].tobytes()


@native
@pytest.mark.parametrize("distinct", [1, 7, 8, 9, 127, 128, 129, 1000, 1500])
def test_rows_with_large_counts_agree(distinct: int) -> None:
    """Rows of `distinct` n-grams whose squared counts sum past 2**24, so float32 rounds."""
    rng = np.random.default_rng(distinct)
    alphabet = [chr(0x4E00 + i) for i in range(distinct)]  # CJK, one unigram each
    lo_count, hi_count = (
        (5000, 9000) if distinct < 8 else (1500, 3000) if distinct < 200 else (150, 400)
    )
    counts = rng.integers(lo_count, hi_count, distinct)
    chars = np.repeat(np.array(alphabet), counts)
    rng.shuffle(chars)
    text = "".join(chars.tolist())
    assert int((counts.astype(np.int64) ** 2).sum()) > 2**24
    for ngram_range in [(1, 1), (1, 2)]:
        for nf in [2**20, 2**16]:
            assert_paths_agree([text, "short", text[: len(text) // 3]], ngram_range, nf)


# -- identity on chosen and random batches -----------------------------------------------

EDGE_TEXTS = [
    "",
    "a",
    "ab",
    "abc",
    "\x01",
    "\x01" * 3 + "x",
    "a\x01b",
    "aaaa" * 300,
    "提现需要先交个人所得税",
    "𝔭𝔞𝔶 🙂 now",
    " ",
    "é" * 50,
    "Привет, как дела? 你好 🙂🙂🙂",
    "\x00\x7f\x80\xff\u0100\uffff\U00010000\U0010ffff",
]


@native
@pytest.mark.parametrize("nf", WIDTHS)
@pytest.mark.parametrize("ngram_range", RANGES)
def test_edge_texts_agree(ngram_range: tuple[int, int], nf: int) -> None:
    for texts in ([], [""], ["", ""], EDGE_TEXTS, EDGE_TEXTS[::-1], ["x"] * 5, ["ab"] * 3):
        assert_paths_agree(texts, ngram_range, nf)


@native
@pytest.mark.parametrize("ngram_range", RANGES)
def test_batches_crossing_chunk_chars_agree(ngram_range: tuple[int, int]) -> None:
    rng = np.random.default_rng(7)
    words = ["pay", "the", "tax", "提现", "税", "🙂", "withdraw", "USDT", "老师", "\x01"]
    many = [" ".join(rng.choice(words, rng.integers(0, 12)).tolist()) for _ in range(3000)]
    assert sum(len(t) + 1 for t in many) > 2 * hashing.CHUNK_CHARS
    huge = "".join(rng.choice(words, 20_000).tolist())  # one text longer than a chunk
    assert len(huge) > hashing.CHUNK_CHARS
    for nf in WIDTHS:
        assert_paths_agree(many, ngram_range, nf)
        assert_paths_agree(["a", huge, "", huge[:100]], ngram_range, nf)


def _repeat(args: tuple[str, int]) -> str:
    return args[0] * args[1]


any_char = st.characters(exclude_categories=["Cs"])  # lone surrogates: see the fallback tests
small_alphabet = st.sampled_from(list("ab c\x01提现🙂\né𝔭\u0100"))
texts_strategy = st.one_of(
    st.text(any_char, max_size=60),
    st.text(small_alphabet, max_size=60),  # repeats: counts above 1, duplicate rows
    st.tuples(st.text(small_alphabet, min_size=1, max_size=4), st.integers(1, 3000)).map(
        _repeat
    ),  # long, very repetitive texts: large counts, few distinct n-grams
)


@native
@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(texts_strategy, max_size=25),
    ngram_range=st.sampled_from(RANGES),
    nf=st.sampled_from(WIDTHS),
)
def test_random_batches_agree(texts: list[str], ngram_range: tuple[int, int], nf: int) -> None:
    assert_paths_agree(texts, ngram_range, nf)


@native
@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(small_alphabet, max_size=30), min_size=1, max_size=40),
    chunk=st.sampled_from([1, 7, 50]),
)
def test_sliced_numpy_batches_agree(texts: list[str], chunk: int) -> None:
    """The numpy path in small slices (stacked) gives the kernel's one-pass matrix."""
    hasher = CharNgramHasher()
    old = hashing.CHUNK_CHARS
    hashing.CHUNK_CHARS = chunk
    try:
        want = numpy_path(hasher, texts)
    finally:
        hashing.CHUNK_CHARS = old
    assert_same_csr(kernel_path(hasher, texts), want)


@native
def test_many_texts_agree() -> None:
    rng = np.random.default_rng(3)
    pool = [chr(c) for c in rng.integers(0x20, 0x9FFF, 400)] + list("  abcde🙂")
    texts = ["".join(rng.choice(pool, rng.integers(0, 80)).tolist()) for _ in range(5000)]
    for nf in WIDTHS:
        assert_paths_agree(texts, (2, 4), nf)


@native
def test_threads_share_the_kernel() -> None:
    """The kernel runs without the GIL: concurrent batches still get their own answers."""
    hasher = CharNgramHasher()
    batches = [[f"{i} pay the tax {'提现' * (i % 9)} {j}" for j in range(300)] for i in range(8)]
    want = [numpy_path(hasher, b) for b in batches]
    with use_native(True), ThreadPoolExecutor(4) as pool:
        got = list(pool.map(hasher.transform, batches))
    for g, w in zip(got, want, strict=True):
        assert_same_csr(g, w)


# -- the shipped models through both paths -------------------------------------------------


@lru_cache(maxsize=1)
def example_texts() -> tuple[str, ...]:
    from scamlens.api import load_chats

    out: list[str] = []
    for path in sorted((REPO / "examples").glob("*/**/*")):
        if not path.is_file() or path.parent.name == "texts":
            continue
        for conv in load_chats(path):
            out.extend(fold(m.text) for m in conv.messages)
    for path in sorted((REPO / "examples" / "texts").glob("*.txt")):
        out.append(fold(path.read_text(encoding="utf-8")))
    return tuple(out)


@native
def test_shipped_models_score_identically_on_the_examples() -> None:
    texts = list(example_texts())
    assert len(texts) > 500
    eng = default_engine()
    tm = eng.tactic_model
    hasher = CharNgramHasher((2, 4), int(eng.text_model.coef.shape[0]))
    with use_native(False):
        x_np = eng.text_model.transform(texts)
        probs_np, tprobs_np = eng._model_scores(texts, True, tm)
    with use_native(True):
        x_c = eng.text_model.transform(texts)
        probs_c, tprobs_c = eng._model_scores(texts, True, tm)
    assert hasher._native(texts) is not None
    assert_same_csr(x_c, x_np)
    assert eng.text_model.proba_hashed(x_c).tobytes() == eng.text_model.proba_hashed(x_np).tobytes()
    assert probs_c is not None and probs_np is not None
    assert probs_c.tobytes() == probs_np.tobytes()
    if tm is not None:
        assert tm.firing_proba(x_c).tobytes() == tm.firing_proba(x_np).tobytes()
        assert tm.proba_hashed(x_c).tobytes() == tm.proba_hashed(x_np).tobytes()
        assert tprobs_c is not None and tprobs_np is not None
        assert tprobs_c.tobytes() == tprobs_np.tobytes()


@native
def test_batch_scoring_is_identical_on_the_examples() -> None:
    texts = list(example_texts())[:400]
    eng = default_engine()
    with use_native(False):
        want = eng.score_batch(texts)
    with use_native(True):
        got = eng.score_batch(texts)
    assert got == want


# -- the fallback ----------------------------------------------------------------------------


class _Refuse:
    def hash_csr(self, *args: object) -> None:
        raise AssertionError("the kernel ran although the numpy path was forced")


def test_forced_numpy_path_never_calls_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = CharNgramHasher()
    texts = ["pay the tax first", "", "提现需要先交个人所得税", "a\x01b"]
    monkeypatch.setattr(hashing, "USE_NATIVE", False)
    monkeypatch.setattr(hashing, "_ngram", _Refuse())
    x = hasher.transform(texts)
    assert x.shape == (4, 2**20) and x.has_canonical_format
    assert np.allclose(np.asarray(x.multiply(x).sum(axis=1)).ravel(), [1, 0, 1, 1])


def test_missing_extension_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without a C compiler: `_ngram` is None, the flag cannot turn it on."""
    texts = ["pay the tax first", "", "提现需要先交个人所得税"]
    want = numpy_path(CharNgramHasher(), texts)
    monkeypatch.setattr(hashing, "_ngram", None)
    monkeypatch.setattr(hashing, "USE_NATIVE", True)
    assert CharNgramHasher()._native(texts) is None
    assert_same_csr(CharNgramHasher().transform(texts), want)


@pytest.mark.parametrize("value, expect", [("1", "False"), ("", "auto")])
def test_environment_switch(value: str, expect: str) -> None:
    env = {**os.environ, "SCAMLENS_NO_NATIVE": value}
    code = "from scamlens.scoring import hashing; print(hashing.USE_NATIVE, hashing.HAVE_NATIVE)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    if expect == "False":
        assert out[0] == "False"
    else:  # on exactly when the extension imported
        assert out[0] == out[1]


@native
def test_kernel_declines_what_it_cannot_match() -> None:
    hasher = CharNgramHasher()
    # Lone surrogates make the numpy path raise; the kernel hands them back to it.
    for texts in (
        ["\ud800"],
        ["ok", "a\udfffb"],
        ["\ud800" * 3, "fine"],
        ["x", "\U0001f642\ud800"],
    ):
        assert hasher._native(texts) is None
        with use_native(True), pytest.raises(UnicodeEncodeError):
            hasher.transform(texts)
    # Not a str: whatever the numpy path does (here a TypeError from str.join).
    assert hasher._native(["a", b"b"]) is None  # type: ignore[list-item]
    with use_native(True), pytest.raises(TypeError):
        hasher.transform(["a", b"b"])  # type: ignore[list-item]
    # Ranges and widths outside what the kernel takes go to numpy, with the same answer.
    for ngram_range, nf in [((0, 2), 2**16), ((2, 1), 2**16), ((1, 70), 2**10), ((2, 4), 2**31)]:
        odd = CharNgramHasher(ngram_range, nf)
        assert odd._native(["abc"]) is None
    with use_native(True):
        got = CharNgramHasher((0, 2), 2**16).transform(["abc", ""])
    assert_same_csr(got, numpy_path(CharNgramHasher((0, 2), 2**16), ["abc", ""]))


@native
def test_non_power_of_two_widths_agree() -> None:
    for nf in [1, 7, 1000, 2**20 - 1, 2**31 - 1]:
        assert_paths_agree(EDGE_TEXTS, (2, 4), nf)
