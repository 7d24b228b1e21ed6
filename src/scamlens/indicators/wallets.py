"""Wallet addresses and transaction hashes.

One RE2 pass finds address-shaped tokens; `chains.check_address` then identifies the chain and
checks the checksum. Formats without a checksum need more before they are reported:
- Solana (base58 of 32 bytes) only with wallet/payment words nearby, because long base58-ish
  ids are common in links and logs;
- a base58 token whose checksum fails is reported (valid=False) only when its shape is exactly
  that of an address (prefix, length) and it mixes upper case, lower case and digits.
"""

from __future__ import annotations

from collections.abc import Callable

from scamlens.indicators import chains
from scamlens.indicators.base import Scan, has_any
from scamlens.indicators.normalize import normalize_address
from scamlens.indicators.regex import Gate, Hit
from scamlens.model import Indicator

_B58 = "1-9A-HJ-NP-Za-km-z"
_BECH = "02-9ac-hj-np-zAC-HJ-NP-Z"

# Candidate shapes, case-sensitive (base58 classes must not fold I/l/O/0).
ALTERNATIVES = [
    ("w_hex", r"\b0[xX](?:[0-9a-fA-F]{64}|[0-9a-fA-F]{40})\b"),
    ("w_seg", rf"\b(?:bc|BC|ltc|LTC)1[{_BECH}]{{6,87}}\b"),
    ("w_cash", rf"\b(?:bitcoincash:|BITCOINCASH:)?[qpQP][{_BECH}]{{41}}\b"),
    ("w_tonraw", r"(?:-1|\b0):[0-9a-fA-F]{64}\b"),
    ("w_hex64", r"\b[0-9a-fA-F]{64}\b"),
    ("w_ton", r"\b[EUk0][Qf][A-Za-z0-9_+/-]{46}"),
    ("w_b58", rf"\b[{_B58}]{{25,44}}\b"),
]
_GATE = Gate(ALTERNATIVES)
_TON_TAIL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=-")

# Words that make a bare base58 string (Solana) or a bare 64-hex string (tx hash) believable.
WALLET_WORDS = frozenset(
    {
        "wallet", "address", "addr", "deposit", "send", "transfer", "receive", "pay", "usdt",
        "usdc", "sol", "solana", "phantom", "spl", "trust", "metamask", "recharge", "top up",
        "top-up", "withdraw", "钱包", "地址", "充值", "转账", "付款", "汇款", "收款", "入金",
        "打款", "转到", "转入",
    }
)  # fmt: skip
TXHASH_WORDS = frozenset(
    {
        "txid", "tx id", "tx hash", "txhash", "hash", "transaction", "trx id", "tx:",
        "etherscan", "tronscan", "bscscan", "blockchair", "blockstream", "solscan", "tonscan",
        "哈希", "交易号", "交易id", "交易单号", "转账记录", "凭证", "区块", "交易记录",
    }
)  # fmt: skip
_TXHASH_CHAINS = "btc,tron,ltc,doge,bch"


def _diverse(s: str) -> bool:
    return (
        any(c.isupper() for c in s) and any(c.islower() for c in s) and any(c.isdigit() for c in s)
    )


def _wallet(
    scan: Scan, start: int, end: int, check: chains.AddressCheck, confidence: str
) -> Indicator | None:
    raw = scan.text[start:end]
    try:
        value = normalize_address(None if check.chain == "unknown" else check.chain, raw)
    except ValueError:
        return None
    attrs = {"kind": check.kind, "confidence": confidence}
    if len(check.chains) > 1:
        attrs["chains"] = ",".join(check.chains)
    if check.network != "mainnet":
        attrs["network"] = check.network
    if check.chain == "eth" and check.valid:
        attrs["eip55"] = chains.eip55(raw)
    return scan.make(
        "wallet",
        value,
        start,
        end,
        f"wallet.{check.chain}",
        chain=check.chain,
        valid=check.valid,
        validation=check.validation,
        attrs=attrs,
    )


def _txhash(scan: Scan, start: int, end: int, evm: bool) -> Indicator:
    raw = scan.text[start:end]
    context = has_any(scan.window(start, end), TXHASH_WORDS)
    attrs = {
        "chains": "eth" if evm else _TXHASH_CHAINS,
        "confidence": "high" if context else ("medium" if evm else "low"),
        "context": "1" if context else "0",
    }
    return scan.make(
        "txhash",
        raw.lower(),
        start,
        end,
        "txhash.evm" if evm else "txhash.hex64",
        chain="eth" if evm else None,
        valid=None,
        validation="format-only",
        attrs=attrs,
    )


def clear_cache() -> None:
    _GATE.clear_cache()


def handle(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    """Indicator for one wallet-family gate hit (empty when the candidate does not hold)."""
    found = _handle(scan, hit.name, hit.start, hit.end)
    return [found] if found is not None else []


def find_wallets(scan: Scan, lo: int = 0, hi: int | None = None) -> list[Indicator]:
    """Wallets and tx hashes in scan.text[lo:hi] (spans index scan.text)."""
    hi = len(scan.text) if hi is None else hi
    out: list[Indicator] = []
    for hit in _GATE.scan(scan.text[lo:hi]):
        found = _handle(scan, hit.name, hit.start + lo, hit.end + lo)
        if found is not None:
            out.append(found)
    return out


def _handle(scan: Scan, name: str, start: int, end: int) -> Indicator | None:
    text = scan.text
    token = text[start:end]
    if name == "w_hex":
        if end - start == 66:
            return _txhash(scan, start, end, evm=True)
        return _checked(scan, start, end, chains.check_evm)
    if name in ("w_seg", "w_tonraw"):
        return _checked(
            scan, start, end, chains.check_segwit if name == "w_seg" else chains.check_ton
        )
    if name == "w_cash":
        check = chains.check_cashaddr(token)
        if check is None or not (check.valid or token.lower().startswith("bitcoincash:")):
            return None  # a prefix-less 42-char string only counts when its checksum holds
        return _wallet(scan, start, end, check, "high" if check.valid else "medium")
    if name == "w_hex64":
        if any(c.isalpha() for c in token) and any(c.isdigit() for c in token):
            return _txhash(scan, start, end, evm=False)
        return None
    if name == "w_ton":
        if end < len(text) and text[end] in _TON_TAIL:
            return None
        return _checked(scan, start, end, chains.check_ton)
    if name == "w_b58":
        return _base58(scan, start, end)
    return None


def _checked(
    scan: Scan,
    start: int,
    end: int,
    checker: Callable[[str], chains.AddressCheck | None],
) -> Indicator | None:
    check = checker(scan.text[start:end])
    if check is None:
        return None
    return _wallet(scan, start, end, check, "high" if check.valid else "medium")


def _base58(scan: Scan, start: int, end: int) -> Indicator | None:
    token = scan.text[start:end]
    check = chains.check_address(token)
    if check is None:
        return None
    if check.chain == "sol":
        # No checksum: require mixed characters and wallet/payment words nearby.
        if not _diverse(token) or not has_any(scan.window(start, end), WALLET_WORDS):
            return None
        return _wallet(scan, start, end, check, "medium")
    if check.valid:
        return _wallet(scan, start, end, check, "high")
    if check.chain == "unknown" or not _diverse(token):
        return None
    if not _exact_shape(token, check.chain):
        return None
    return _wallet(scan, start, end, check, "low")


def _exact_shape(token: str, chain: str) -> bool:
    """True when a checksum-failing token has exactly the prefix and length of `chain`."""
    n = len(token)
    if chain == "btc":
        return (token[0] == "1" and 26 <= n <= 34) or (token[0] == "3" and n == 34)
    if chain in ("tron", "ltc", "doge"):
        return n == 34
    if chain == "xrp":
        return 25 <= n <= 35
    return False
