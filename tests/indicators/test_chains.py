"""Address validation per chain, with real public addresses and one-character corruptions."""

from __future__ import annotations

import pytest

from scamlens.indicators import chains
from scamlens.indicators.chains import check_address, check_cashaddr, check_segwit, eip55

# (address, chain, kind) — well-known public addresses: genesis, burn, token contracts, specs.
REAL = [
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "btc", "p2pkh"),  # Bitcoin genesis coinbase
    ("1BitcoinEaterAddressDontSendf59kuE", "btc", "p2pkh"),  # well-known burn address
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "btc", "p2sh"),  # Bitcoin wiki P2SH example
    ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "btc", "p2wpkh"),
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "btc", "p2wpkh"),  # BIP-173
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "btc", "p2tr"),  # BIP-350
    ("0xdAC17F958D2ee523a2206206994597C13D831ec7", "eth", "account"),  # USDT (ERC-20)
    ("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "eth", "account"),  # USDC (ERC-20)
    ("0x000000000000000000000000000000000000dEaD", "eth", "account"),  # burn address
    ("0x00000000219ab540356cBB839Cbe05303d7705Fa", "eth", "account"),  # beacon deposit
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron", "account"),  # USDT (TRC-20)
    ("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7", "tron", "account"),  # WTRX
    ("T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb", "tron", "account"),  # TRON black hole
    ("LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz", "ltc", "p2pkh"),
    ("M8T1B2Z97gVdvmfkQcAtYbEepune1tzGua", "ltc", "p2sh"),
    ("DH5yaieqoZN36fDVciNyRueRGvGLR3mr7L", "doge", "p2pkh"),
    ("DDTtqnuZ5kfRT5qh2c7sNtqrJmV3iXYdGG", "doge", "p2pkh"),
    ("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "xrp", "account"),  # XRP genesis account
    ("rrrrrrrrrrrrrrrrrrrrrhoLvTp", "xrp", "account"),  # ACCOUNT_ZERO
    ("rrrrrrrrrrrrrrrrrrrrBZbvji", "xrp", "account"),  # ACCOUNT_ONE
    ("rrrrrrrrrrrrrrrrrNAMEtxvNvQ", "xrp", "account"),  # name-reservation black hole
    ("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a", "bch", "p2pkh"),  # cashaddr spec
    ("bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy", "bch", "p2pkh"),
    ("bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq", "bch", "p2sh"),
    ("EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs", "ton", "bounceable"),  # USDT jetton
    ("EQCD39VS5jcptHL8vMjEXrzGaRcCVYto7HUn4bpAOg8xqB2N", "ton", "bounceable"),
]
SOLANA = [
    "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  # SPL Token program
    "11111111111111111111111111111111",  # System program
    "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",  # USDC mint
    "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB",  # USDT mint
]


def corrupt(address: str) -> str:
    """Change one character in the middle to another of the same alphabet and case class."""
    if address.startswith("0x"):  # EIP-55: the wrong case of one letter
        i = max(i for i in range(2, 42) if address[i].isalpha())
        return address[:i] + address[i].swapcase() + address[i + 1 :]
    i = len(address) // 2
    while not address[i].isalnum() or address[i] in "0Ol1I":
        i += 1
    ch = address[i]
    if ch.isdigit():
        new = "7" if ch != "7" else "8"
    elif ch.islower():
        new = "x" if ch != "x" else "y"
    else:
        new = "X" if ch != "X" else "Y"
    return address[:i] + new + address[i + 1 :]


@pytest.mark.parametrize(("address", "chain", "kind"), REAL)
def test_real_addresses_validate(address: str, chain: str, kind: str) -> None:
    check = check_address(address)
    assert check is not None
    assert (check.chain, check.valid, check.kind) == (chain, True, kind)
    assert check.validation.endswith("-ok")


@pytest.mark.parametrize(("address", "chain", "kind"), REAL)
def test_one_changed_character_fails(address: str, chain: str, kind: str) -> None:
    broken = corrupt(address)
    assert broken != address
    check = check_address(broken)
    assert check is not None, broken
    assert check.valid is False
    assert check.chain == chain
    assert "fail" in check.validation or "checksum" in check.validation


@pytest.mark.parametrize("address", SOLANA)
def test_solana_is_format_only(address: str) -> None:
    check = check_address(address)
    assert check is not None
    assert (check.chain, check.valid, check.validation) == ("sol", True, "format-only")
    assert check.checksummed is False


def test_ambiguous_version_bytes_list_every_chain() -> None:
    p2sh = check_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")
    assert p2sh is not None and set(p2sh.chains) == {"btc", "bch", "ltc"}
    legacy = check_address("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")  # = the cashaddr above
    assert legacy is not None and legacy.chains == ("btc", "bch")
    converted = chains.cashaddr_to_hash("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")
    assert converted is not None
    version, h = converted
    assert chains.b58check_encode(bytes([0]) + h) == "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu"
    assert version == 0


# EIP-55 test vectors (from the EIP).
EIP55_MIXED = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


@pytest.mark.parametrize("address", EIP55_MIXED)
def test_eip55_vectors(address: str) -> None:
    assert eip55(address.lower()) == address
    check = check_address(address)
    assert check is not None and check.validation == "eip55-ok"


@pytest.mark.parametrize("address", EIP55_MIXED)
def test_eip55_wrong_case_fails(address: str) -> None:
    i = next(i for i in range(2, 42) if address[i].isalpha())
    flipped = address[:i] + address[i].swapcase() + address[i + 1 :]
    check = check_address(flipped)
    assert check is not None
    assert (check.valid, check.validation) == (False, "eip55-checksum-failed")


@pytest.mark.parametrize(
    ("address", "how"),
    [
        ("0x52908400098527886E0F7030069857D2E4169EE7", "uppercase-unchecked"),
        ("0x8617E340B3D01FA5F11F306F4090FD50E238070D", "uppercase-unchecked"),
        ("0xde709f2102306220921060314715629080e2fb77", "lowercase-unchecked"),
        ("0x27b1fdb04752bbc536007a920d24acb045561c26", "lowercase-unchecked"),
    ],
)
def test_single_case_evm_is_accepted_unchecked(address: str, how: str) -> None:
    check = check_address(address)
    assert check is not None
    assert (check.valid, check.validation, check.checksummed) == (True, how, False)


# BIP-173 / BIP-350 valid addresses (mainnet and testnet).
SEGWIT_VALID = [
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bech32-ok", "mainnet"),
    ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "bech32-ok", "testnet"),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "bech32m-ok",
        "mainnet",
    ),
    ("BC1SW50QGDZ25J", "bech32m-ok", "mainnet"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bech32m-ok", "mainnet"),
    ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "bech32-ok", "testnet"),
    ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "bech32m-ok", "testnet"),
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bech32m-ok", "mainnet"),
]
# BIP-350 invalid addresses, each with the rule it breaks.
SEGWIT_INVALID = [
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "witness-v1-wrong-bech32"),
    ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "witness-v16-wrong-bech32"),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "witness-v0-wrong-bech32m"),
    ("tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "witness-v0-wrong-bech32m"),
    ("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "bech32-checksum-failed"),
    ("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "segwit-bad-program"),
    ("bc1pw5dgrnzv", "segwit-bad-program-length"),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "segwit-bad-program-length",
    ),
    ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "segwit-v0-bad-length"),
    ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "bech32-mixed-case"),
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "segwit-bad-program"),
    ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "segwit-bad-program"),
    ("bc1gmk9yu", "segwit-empty-data"),
]


@pytest.mark.parametrize(("address", "validation", "network"), SEGWIT_VALID)
def test_bip173_bip350_valid(address: str, validation: str, network: str) -> None:
    check = check_segwit(address)
    assert check is not None
    assert (check.valid, check.validation, check.network) == (True, validation, network)


@pytest.mark.parametrize(("address", "validation"), SEGWIT_INVALID)
def test_bip350_invalid(address: str, validation: str) -> None:
    check = check_segwit(address)
    assert check is not None
    assert (check.valid, check.validation) == (False, validation)


def test_unknown_segwit_prefix_is_not_an_address() -> None:
    assert check_segwit("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut") is None


def test_bech32_generic_vectors_roundtrip() -> None:
    # BIP-173/350 checksum vectors that are not addresses (other HRPs).
    for s, spec in [
        ("A12UEL5L", "bech32"),
        ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "bech32"),
        ("A1LQFN3A", "bech32m"),
        ("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", "bech32m"),
    ]:
        decoded = chains.bech32_decode(s)
        assert decoded is not None and decoded[2] == spec
    assert chains.bech32_decode("A1G7SGD8") is None  # checksum from the upper-case HRP
    assert chains.bech32_decode("li1dgmt3") is None  # checksum too short


def test_cashaddr_without_prefix_and_failures() -> None:
    check = check_cashaddr("qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")
    assert check is not None and check.valid
    bad = check_cashaddr("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c")
    assert bad is not None and (bad.valid, bad.validation) == (False, "cashaddr-checksum-failed")
    assert check_cashaddr("bitcoincash:qpm2") is None


def test_ton_raw_and_friendly_forms_agree() -> None:
    raw = chains.ton_raw_form("EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs")
    assert raw is not None and raw.startswith("0:") and len(raw) == 66
    check = check_address(raw)
    assert check is not None and (check.chain, check.validation) == ("ton", "format-only")
    assert chains.ton_raw_form("EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDt") is None


def test_ton_standard_base64_is_accepted() -> None:
    friendly = "EQCxE6mUtQJKFnGfaROTKOt1lZbDiiX1kCixRv7Nw2Id_sDs"
    std = friendly.replace("_", "/").replace("-", "+")
    check = check_address(std)
    assert check is not None and check.valid


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "0x123",
        "1" * 20,
        "bc1",
        "x" * 200,
        "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6",
        "пример",
    ],
)
def test_non_addresses(text: str) -> None:
    check = check_address(text)
    assert check is None or check.valid is not True


def test_base58_roundtrip() -> None:
    payload = bytes.fromhex("00") + bytes(range(20))
    encoded = chains.b58check_encode(payload)
    assert chains.b58check_decode(encoded) == payload
    with pytest.raises(ValueError):
        chains.b58decode("0OIl")
