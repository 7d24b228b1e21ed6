"""Wallets and transaction hashes found in chat text."""

from __future__ import annotations

import pytest

from scamlens.indicators import extract

from .helpers import found
from .test_chains import REAL, corrupt


@pytest.mark.parametrize(("address", "chain", "kind"), REAL)
def test_real_addresses_are_found_in_sentences(address: str, chain: str, kind: str) -> None:
    text = f"请转账到这个地址：{address}，谢谢 / send to {address}."
    wallets = found(text, "wallet")
    assert len(wallets) == 2
    for w in wallets:
        assert (w.chain, w.valid, w.raw) == (chain, True, address)
        assert w.detector == f"wallet.{chain}"


# Broken strings are reported only when they still look like an address (mixed case and
# digits): "rrrrrrrrrrrrrxrrrNAMEtxvNvQ" is not shown, though its checksum check fails too.
DIVERSE = [r for r in REAL if not r[0].startswith("rrrr")]


@pytest.mark.parametrize(("address", "chain", "kind"), DIVERSE)
def test_broken_checksums_are_reported_invalid(address: str, chain: str, kind: str) -> None:
    broken = corrupt(address)
    wallets = found(f"deposit address: {broken} ok", "wallet")
    assert len(wallets) == 1, broken
    w = wallets[0]
    assert w.valid is False
    assert w.chain == chain
    assert w.validation and "ok" not in w.validation


def test_evm_checksum_states() -> None:
    text = (
        "a 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed b 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed "
        "c 0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED d 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
    )
    got = [(w.valid, w.validation) for w in found(text, "wallet")]
    assert got == [
        (True, "eip55-ok"),
        (True, "lowercase-unchecked"),
        (True, "uppercase-unchecked"),
        (False, "eip55-checksum-failed"),
    ]
    assert len({w.value for w in found(text, "wallet")}) == 1  # one key for every spelling


def test_solana_needs_wallet_words() -> None:
    addr = "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"
    assert found(f"my Phantom wallet address {addr}", "wallet")[0].chain == "sol"
    assert found(f"ref {addr} thanks", "wallet") == []
    assert found("Zz9AbCdEfGhJkLmNpQrStUvWxYz123456789abcdef", "wallet") == []


def test_low_diversity_broken_strings_are_not_reported() -> None:
    assert found("x rrrrrrrrrrrrrxrrrNAMEtxvNvQ y", "wallet") == []


def test_random_base58_words_are_not_wallets() -> None:
    text = "Token: AbCdEfGhJkLmNpQrStUvWxYz123456789 and 1234567891234567891234567891"
    assert found(text, "wallet") == []


def test_txhash_evm_and_bare_hex() -> None:
    evm = "0x" + "5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"
    bare = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afded330a"
    hashes = found(f"txid: {evm}\nand {bare}", "txhash")
    assert [h.detector for h in hashes] == ["txhash.evm", "txhash.hex64"]
    assert hashes[0].chain == "eth" and hashes[0].attrs["confidence"] == "high"
    assert hashes[1].attrs["chains"] == "btc,tron,ltc,doge,bch"
    plain = found(f"file checksum {bare}", "txhash")[0]
    assert (plain.attrs["context"], plain.attrs["confidence"]) == ("0", "low")
    with_words = found(f"交易哈希 {bare}", "txhash")[0]
    assert with_words.attrs["confidence"] == "high"


def test_wallet_inside_url_keeps_both() -> None:
    text = "check https://tronscan.org/#/address/TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t now"
    types = {i.type for i in found(text)}
    assert {"url", "wallet"} <= types


def test_ton_friendly_key_is_raw_form() -> None:
    w = found("TON: EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs", "wallet")[0]
    assert w.chain == "ton" and w.value.startswith("0:")
    assert w.raw == "EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs"


def test_ton_inside_longer_base64_is_ignored() -> None:
    blob = "EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDsAAAA"
    assert found(blob, "wallet") == []


def test_cashaddr_without_prefix_only_when_valid() -> None:
    assert found("bch qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "wallet")[0].chain == "bch"
    assert found("bch qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c", "wallet") == []


def test_message_index_is_carried() -> None:
    w = extract("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", message_index=7)[0]
    assert w.message_index == 7
