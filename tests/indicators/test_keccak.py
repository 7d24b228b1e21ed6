"""Keccak-256 against published vectors and against hashlib's SHA3 (same permutation)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scamlens.indicators import keccak
from scamlens.indicators.keccak import keccak256, sponge


@pytest.mark.parametrize(
    ("data", "digest"),
    [
        (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    ],
)
def test_keccak256_vectors(data: bytes, digest: str) -> None:
    assert keccak256(data).hex() == digest


@pytest.mark.parametrize("size", [0, 1, 135, 136, 137, 271, 272, 500])
def test_sha3_padding_matches_hashlib(size: int) -> None:
    data = bytes(range(256)) * 2
    assert sponge(data[:size], 136, 0x06, 32) == hashlib.sha3_256(data[:size]).digest()


@given(st.binary(max_size=400))
def test_sha3_matches_hashlib_property(data: bytes) -> None:
    assert sponge(data, 136, 0x06, 32) == hashlib.sha3_256(data).digest()


def test_keccak256_pure_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keccak, "_native", None)
    assert keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )


# The C sponge (built by setup.py where a compiler is found) against the pure-Python one.
native = keccak._native
needs_native = pytest.mark.skipif(native is None, reason="the C extension was not built")


@needs_native
@pytest.mark.parametrize("size", [0, 1, 71, 72, 73, 135, 136, 137, 271, 272, 273, 1000])
@pytest.mark.parametrize(("rate", "pad"), [(136, 0x01), (136, 0x06), (72, 0x06), (168, 0x1F)])
def test_native_sponge_equals_python(size: int, rate: int, pad: int) -> None:
    data = bytes(range(256)) * 4
    assert native.sponge(data[:size], rate, pad, 32) == sponge(data[:size], rate, pad, 32)


@needs_native
def test_native_sponge_is_hashlib_sha3() -> None:
    for size in (0, 5, 200, 575, 576, 577):
        data = bytes(range(251)) * 3
        assert native.sponge(data[:size], 72, 0x06, 64) == hashlib.sha3_512(data[:size]).digest()
        assert native.sponge(data[:size], 136, 0x06, 32) == hashlib.sha3_256(data[:size]).digest()


@needs_native
@given(st.binary(max_size=700), st.sampled_from([(136, 0x01, 32), (72, 0x06, 64), (168, 0x1F, 17)]))
def test_native_sponge_property(data: bytes, how: tuple[int, int, int]) -> None:
    assert native.sponge(data, *how) == sponge(data, *how)


@needs_native
def test_keccak256_takes_the_native_path_and_any_buffer() -> None:
    assert keccak256(bytearray(b"abc")) == keccak256(b"abc") == sponge(b"abc", 136, 0x01, 32)
    assert native.sponge(memoryview(b"abc"), 136, 0x01, 32) == keccak256(b"abc")


@needs_native
@pytest.mark.parametrize(
    "args", [(b"", 0, 1, 1), (b"", 7, 1, 1), (b"", 200, 1, 1), (b"", 136, 0, 1), (b"", 136, 1, 137)]
)
def test_native_sponge_rejects_bad_parameters(args: tuple[bytes, int, int, int]) -> None:
    with pytest.raises(ValueError, match="sponge"):
        native.sponge(*args)
    with pytest.raises(TypeError):
        native.sponge("text", 136, 1, 32)  # type: ignore[arg-type]
