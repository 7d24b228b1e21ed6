"""Offline address validation for the chains pig-butchering money moves on.

`check_address(s)` identifies the chain of an address-shaped string and verifies its checksum:
base58check (Bitcoin, Litecoin, Dogecoin, TRON, XRP with its own alphabet, legacy Bitcoin
Cash), bech32/bech32m segwit (BIP-173/BIP-350 with the witness-version rules), Bitcoin Cash
cashaddr, EIP-55 mixed-case checksums (keccak-256), TON user-friendly (CRC16-XMODEM) and raw
forms, and Solana (base58 of 32 bytes: there is no checksum, so the result is format-only).

A string shaped like an address whose checksum fails comes back with valid=False and a
validation naming the failure; callers decide whether the shape is convincing enough to show.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from scamlens.indicators.keccak import keccak256

BTC_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
XRP_ALPHABET = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BTC_INDEX = {c: i for i, c in enumerate(BTC_ALPHABET)}
_XRP_INDEX = {c: i for i, c in enumerate(XRP_ALPHABET)}
_BECH32_INDEX = {c: i for i, c in enumerate(BECH32_CHARSET)}
_HEX = frozenset("0123456789abcdefABCDEF")

BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3

# base58check version byte -> (chain, kind); ambiguous bytes list every chain using them.
_B58_VERSIONS: dict[int, tuple[tuple[str, ...], str]] = {
    0x00: (("btc", "bch"), "p2pkh"),
    0x05: (("btc", "bch", "ltc"), "p2sh"),
    0x30: (("ltc",), "p2pkh"),
    0x32: (("ltc",), "p2sh"),
    0x1E: (("doge",), "p2pkh"),
    0x16: (("doge",), "p2sh"),
    0x41: (("tron",), "account"),
}
# First character of a 25-byte base58check address -> the chain it claims to be.
_B58_FIRST_CHAR = {
    "1": "btc",
    "3": "btc",
    "T": "tron",
    "L": "ltc",
    "M": "ltc",
    "D": "doge",
    "A": "doge",
    "9": "doge",
}
_SEGWIT_HRP = {"bc": "btc", "tb": "btc", "ltc": "ltc"}


@dataclass(frozen=True, slots=True)
class AddressCheck:
    """What an address-shaped string is. `chains` lists every chain the format fits."""

    chain: str
    valid: bool | None
    validation: str
    kind: str = ""
    chains: tuple[str, ...] = ()
    checksummed: bool = True  # False: the format has no checksum (Solana, TON raw, EVM lower)
    network: str = "mainnet"  # "testnet" for tb1… and TON testnet tags


def b58decode(s: str, alphabet_index: dict[str, int] | None = None) -> bytes:
    """Base58 decode (Bitcoin alphabet unless another index is given). ValueError on bad chars."""
    index = alphabet_index if alphabet_index is not None else _BTC_INDEX
    if len(s) > 128:
        raise ValueError("base58 string too long")
    n = 0
    for ch in s:
        v = index.get(ch)
        if v is None:
            raise ValueError(f"not a base58 character: {ch!r}")
        n = n * 58 + v
    zero = next(c for c, i in index.items() if i == 0)
    pad = len(s) - len(s.lstrip(zero))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\x00" * pad + body


def b58encode(data: bytes, alphabet: str = BTC_ALPHABET) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(alphabet[r])
    pad = len(data) - len(data.lstrip(b"\x00"))
    return alphabet[0] * pad + "".join(reversed(out))


def double_sha256(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58check_decode(s: str, alphabet_index: dict[str, int] | None = None) -> bytes | None:
    """Payload of a base58check string, or None when the checksum fails."""
    raw = b58decode(s, alphabet_index)
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    return payload if double_sha256(payload)[:4] == checksum else None


def b58check_encode(payload: bytes, alphabet: str = BTC_ALPHABET) -> str:
    return b58encode(payload + double_sha256(payload)[:4], alphabet)


# --- bech32 / bech32m (BIP-173, BIP-350) ---


def _bech32_polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_decode(s: str) -> tuple[str, list[int], str] | None:
    """(hrp, data without checksum, 'bech32'|'bech32m'), or None when the string is invalid."""
    if len(s) > 90 or (s.lower() != s and s.upper() != s):
        return None
    if any(ord(c) < 33 or ord(c) > 126 for c in s):
        return None
    s = s.lower()
    pos = s.rfind("1")
    if pos < 1 or pos + 7 > len(s):
        return None
    hrp, rest = s[:pos], s[pos + 1 :]
    if any(c not in _BECH32_INDEX for c in rest):
        return None
    data = [_BECH32_INDEX[c] for c in rest]
    const = _bech32_polymod(_hrp_expand(hrp) + data)
    if const == BECH32_CONST:
        return hrp, data[:-6], "bech32"
    if const == BECH32M_CONST:
        return hrp, data[:-6], "bech32m"
    return None


def bech32_encode(hrp: str, data: list[int], spec: str = "bech32") -> str:
    const = BECH32M_CONST if spec == "bech32m" else BECH32_CONST
    values = _hrp_expand(hrp) + data
    polymod = _bech32_polymod([*values, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)


def convertbits(data: list[int], frombits: int, tobits: int, pad: bool) -> list[int] | None:
    acc = 0
    bits = 0
    ret: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            return None
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad:
        if bits:
            ret.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return ret


def check_segwit(s: str) -> AddressCheck | None:
    """BIP-173/350 segwit address check; None when `s` has no known segwit prefix."""
    low = s.lower()
    hrp = low[: low.rfind("1")] if "1" in low else ""
    chain = _SEGWIT_HRP.get(hrp)
    if chain is None:
        return None
    decoded = bech32_decode(s)
    if decoded is None:
        why = "bech32-mixed-case" if s.lower() != s and s.upper() != s else "bech32-checksum-failed"
        return AddressCheck(chain, False, why, "segwit", (chain,))
    _, data, spec = decoded
    if not data:
        return AddressCheck(chain, False, "segwit-empty-data", "segwit", (chain,))
    version = data[0]
    program = convertbits(data[1:], 5, 8, False)
    if version > 16 or program is None:
        return AddressCheck(chain, False, "segwit-bad-program", "segwit", (chain,))
    if not 2 <= len(program) <= 40:
        return AddressCheck(chain, False, "segwit-bad-program-length", "segwit", (chain,))
    if version == 0 and len(program) not in (20, 32):
        return AddressCheck(chain, False, "segwit-v0-bad-length", "segwit", (chain,))
    if (version == 0) != (spec == "bech32"):
        # BIP-350: v0 must use bech32, v1+ must use bech32m.
        return AddressCheck(chain, False, f"witness-v{version}-wrong-{spec}", "segwit", (chain,))
    kind = {(0, 20): "p2wpkh", (0, 32): "p2wsh", (1, 32): "p2tr"}.get(
        (version, len(program)), f"witness-v{version}"
    )
    network = "testnet" if hrp == "tb" else "mainnet"
    return AddressCheck(chain, True, f"{spec}-ok", kind, (chain,), network=network)


# --- Bitcoin Cash cashaddr ---


def _cashaddr_polymod(values: list[int]) -> int:
    c = 1
    for d in values:
        c0 = c >> 35
        c = ((c & 0x07FFFFFFFF) << 5) ^ d
        if c0 & 0x01:
            c ^= 0x98F2BC8E61
        if c0 & 0x02:
            c ^= 0x79B76D99E2
        if c0 & 0x04:
            c ^= 0xF33E5FB3C4
        if c0 & 0x08:
            c ^= 0xAE2EABE2A8
        if c0 & 0x10:
            c ^= 0x1E4F43E470
    return c ^ 1


def check_cashaddr(s: str) -> AddressCheck | None:
    """Bitcoin Cash cashaddr (``bitcoincash:q…``; prefix optional); None when not that shape."""
    if s.lower() != s and s.upper() != s:
        return None
    low = s.lower()
    prefix, _, payload = low.rpartition(":")
    prefix = prefix or "bitcoincash"
    if prefix != "bitcoincash" or len(payload) != 42 or payload[0] not in "qp":
        return None
    if any(c not in _BECH32_INDEX for c in payload):
        return None
    data = [_BECH32_INDEX[c] for c in payload]
    values = [ord(c) & 0x1F for c in prefix] + [0] + data
    kind = "p2pkh" if payload[0] == "q" else "p2sh"
    if _cashaddr_polymod(values) != 0:
        return AddressCheck("bch", False, "cashaddr-checksum-failed", kind, ("bch",))
    raw = convertbits(data[:-8], 5, 8, False)
    if raw is None or len(raw) != 21 or raw[0] & 0x07 != 0:
        return AddressCheck("bch", False, "cashaddr-bad-payload", kind, ("bch",))
    return AddressCheck("bch", True, "cashaddr-ok", kind, ("bch",))


def cashaddr_to_hash(s: str) -> tuple[int, bytes] | None:
    """(version byte, 20-byte hash) of a valid cashaddr, for converting to the legacy form."""
    check = check_cashaddr(s)
    if check is None or not check.valid:
        return None
    payload = s.lower().rpartition(":")[2]
    raw = convertbits([_BECH32_INDEX[c] for c in payload[:-8]], 5, 8, False)
    assert raw is not None
    return raw[0], bytes(raw[1:])


# --- EVM (EIP-55) ---


def eip55(address: str) -> str:
    """EIP-55 mixed-case form of a 0x + 40-hex address."""
    return _eip55(address[2:].lower())


@lru_cache(maxsize=4096)
def _eip55(low: str) -> str:
    digest = keccak256(low.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c for i, c in enumerate(low))


def check_evm(s: str) -> AddressCheck | None:
    if len(s) != 42 or s[:2] not in ("0x", "0X") or any(c not in _HEX for c in s[2:]):
        return None
    body = s[2:]
    if body.lower() == body or body.upper() == body:
        how = "lowercase-unchecked" if body.lower() == body else "uppercase-unchecked"
        if not any(c.isalpha() for c in body):
            how = "digits-only-unchecked"
        return AddressCheck("eth", True, how, "account", ("eth",), checksummed=False)
    if eip55(s) == "0x" + body:
        return AddressCheck("eth", True, "eip55-ok", "account", ("eth",))
    return AddressCheck("eth", False, "eip55-checksum-failed", "account", ("eth",))


# --- TON ---


def crc16_xmodem(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


_TON_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/")


def _ton_bytes(s: str) -> bytes | None:
    if len(s) != 48 or any(c not in _TON_B64 for c in s):
        return None
    try:
        raw = base64.b64decode(s.replace("-", "+").replace("_", "/"), validate=True)
    except ValueError:
        return None
    return raw if len(raw) == 36 else None


def check_ton(s: str) -> AddressCheck | None:
    """TON raw (``0:<64 hex>``) or user-friendly (48 base64/base64url chars with CRC16)."""
    wc, colon, hexpart = s.partition(":")
    if colon:
        if wc in ("0", "-1") and len(hexpart) == 64 and all(c in _HEX for c in hexpart):
            return AddressCheck("ton", True, "format-only", "raw", ("ton",), checksummed=False)
        return None
    raw = _ton_bytes(s)
    if raw is None:
        return None
    tag = raw[0] & 0x7F
    if tag not in (0x11, 0x51) or raw[1] not in (0x00, 0xFF):
        return None
    kind = "bounceable" if tag == 0x11 else "non-bounceable"
    network = "testnet" if raw[0] & 0x80 else "mainnet"
    if crc16_xmodem(raw[:34]) != int.from_bytes(raw[34:], "big"):
        return AddressCheck("ton", False, "ton-crc16-failed", kind, ("ton",), network=network)
    return AddressCheck("ton", True, "ton-crc16-ok", kind, ("ton",), network=network)


def ton_raw_form(s: str) -> str | None:
    """``workchain:hex`` of a TON address with a valid checksum (raw form lower-cased)."""
    check = check_ton(s)
    if check is None or not check.valid:
        return None
    if ":" in s:
        return s.lower()
    raw = _ton_bytes(s)
    assert raw is not None
    wc = -1 if raw[1] == 0xFF else 0
    return f"{wc}:{raw[2:34].hex()}"


# --- base58 families ---


def check_xrp(s: str) -> AddressCheck | None:
    if not 25 <= len(s) <= 35 or s[0] != "r" or any(c not in _XRP_INDEX for c in s):
        return None
    payload = b58check_decode(s, _XRP_INDEX)
    if payload is None:
        return AddressCheck("xrp", False, "base58check-failed", "account", ("xrp",))
    if len(payload) != 21 or payload[0] != 0:
        return AddressCheck("xrp", False, "bad-version-or-length", "account", ("xrp",))
    return AddressCheck("xrp", True, "base58check-ok", "account", ("xrp",))


def check_base58(s: str) -> AddressCheck | None:
    """Bitcoin-alphabet base58check (BTC, LTC, DOGE, TRON, legacy BCH) or Solana."""
    if not 25 <= len(s) <= 44 or any(c not in _BTC_INDEX for c in s):
        return None
    raw = b58decode(s)
    if len(s) <= 35 and len(raw) == 25:
        payload, checksum = raw[:-4], raw[-4:]
        version = payload[0]
        known = _B58_VERSIONS.get(version)
        if double_sha256(payload)[:4] == checksum:
            if known is None:
                return AddressCheck("unknown", False, "unknown-version", "", ())
            chains, kind = known
            return AddressCheck(chains[0], True, "base58check-ok", kind, chains)
        claimed = _B58_FIRST_CHAR.get(s[0])
        if claimed is not None and (claimed != "tron" or len(s) == 34):
            return AddressCheck(claimed, False, "base58check-failed", "", (claimed,))
    if len(raw) == 32 and len(s) >= 32:
        return AddressCheck("sol", True, "format-only", "account", ("sol",), checksummed=False)
    return None


def check_address(s: str) -> AddressCheck | None:
    """Identify and validate an address; None when `s` fits no supported address format."""
    if not s.isascii() or not 25 <= len(s) <= 90:
        return None
    if s[:2] in ("0x", "0X"):
        return check_evm(s)
    low = s.lower()
    if low.startswith(("bc1", "ltc1")):
        return check_segwit(s)
    if low.startswith("bitcoincash:") or (len(s) == 42 and low[0] in "qp"):
        result = check_cashaddr(s)
        if result is not None:
            return result
    if ":" in s or len(s) == 48:
        result = check_ton(s)
        if result is not None:
            return result
    if s[0] == "r":
        result = check_xrp(s)
        if result is not None and result.valid:
            return result
        b58 = check_base58(s)
        return b58 if b58 is not None and b58.valid else result
    return check_base58(s)
