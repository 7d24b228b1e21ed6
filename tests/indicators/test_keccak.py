"""Keccak-256 against published vectors and against hashlib's SHA3 (same permutation)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
