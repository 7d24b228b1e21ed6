"""Keccak-256 (the pre-standard SHA-3 Ethereum uses).

Written here so EIP-55 checks need no third-party dependency. Every Ethereum address found
gets its EIP-55 form, one hash of 40 bytes: ~0.5 ms in pure Python, so a chat or a batch full
of distinct addresses spent most of its time here. The optional C extension `_keccak` (built
by setup.py where a compiler is found) is the same sponge at ~1 µs; without it this module's
own code runs. Tested against published vectors, against hashlib.sha3_256 (same permutation,
different padding byte) and, where built, the two paths against each other.
"""

from __future__ import annotations

import os
from types import ModuleType

_native: ModuleType | None
try:
    from scamlens.indicators import _keccak as _native
except ImportError:  # pragma: no cover - the extension was not built
    _native = None
if os.environ.get("SCAMLENS_NO_NATIVE"):  # as for the other C extensions: Python paths only
    _native = None

_MASK = (1 << 64) - 1

_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip

# Rotation offsets, indexed [x][y].
_ROT = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)


# (source lane, destination lane, rotation) of the rho and pi steps combined.
_RHO_PI = tuple(
    (x + 5 * y, y + 5 * ((2 * x + 3 * y) % 5), _ROT[x][y]) for x in range(5) for y in range(5)
)


def _permute(a: list[int]) -> None:
    """Keccak-f[1600] on 25 lanes, lane (x, y) at index x + 5*y."""
    mask = _MASK
    b = [0] * 25
    for rc in _RC:
        c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
        c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
        c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
        c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
        c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
        d = (
            c4 ^ (((c1 << 1) | (c1 >> 63)) & mask),
            c0 ^ (((c2 << 1) | (c2 >> 63)) & mask),
            c1 ^ (((c3 << 1) | (c3 >> 63)) & mask),
            c2 ^ (((c4 << 1) | (c4 >> 63)) & mask),
            c3 ^ (((c0 << 1) | (c0 >> 63)) & mask),
        )
        for src, dst, r in _RHO_PI:
            v = a[src] ^ d[src % 5]
            b[dst] = ((v << r) | (v >> (64 - r))) & mask if r else v
        for y in (0, 5, 10, 15, 20):
            b0, b1, b2, b3, b4 = b[y], b[y + 1], b[y + 2], b[y + 3], b[y + 4]
            a[y] = b0 ^ (~b1 & b2)
            a[y + 1] = b1 ^ (~b2 & b3)
            a[y + 2] = b2 ^ (~b3 & b4)
            a[y + 3] = b3 ^ (~b4 & b0)
            a[y + 4] = b4 ^ (~b0 & b1)
        a[0] ^= rc


def sponge(data: bytes, rate: int, pad: int, out_len: int) -> bytes:
    """Keccak sponge; pad=0x01 gives Keccak, pad=0x06 gives FIPS-202 SHA-3."""
    state = [0] * 25
    padded = bytearray(data)
    padded.append(pad)
    while len(padded) % rate:
        padded.append(0)
    padded[-1] |= 0x80
    for off in range(0, len(padded), rate):
        block = padded[off : off + rate]
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _permute(state)
    out = b"".join(lane.to_bytes(8, "little") for lane in state[: rate // 8])
    return out[:out_len]


def keccak256(data: bytes) -> bytes:
    if _native is not None:
        return _native.sponge(data, 136, 0x01, 32)  # type: ignore[no-any-return]
    return sponge(data, 136, 0x01, 32)
