"""The optional C Keccak sponge behind keccak.py (see _keccak.c)."""

from typing_extensions import Buffer

def sponge(data: Buffer, rate: int, pad: int, out_len: int, /) -> bytes:
    """One squeeze of the Keccak sponge: pad 0x01 gives Keccak, 0x06 FIPS-202 SHA-3."""
