"""Addresses from the real CryptoScamDB blacklist validate for their declared chain."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from scamlens.indicators.chains import check_address

pytestmark = pytest.mark.shared

FEED_CHAINS = {
    "ETH": "eth",
    "BTC": "btc",
    "XRP": "xrp",
    "LTC": "ltc",
    "BCH": "bch",
    "TRX": "tron",
    "DOGE": "doge",
}


def test_cryptoscamdb_addresses_validate(shared_data: Path) -> None:
    path = shared_data / "feeds" / "cryptoscamdb" / "urls.yaml"
    if not path.is_file():
        pytest.skip("cryptoscamdb/urls.yaml is not in the shared data")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        entries = yaml.load(fh, Loader=loader)
    total: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    for entry in entries:
        for feed_chain, addresses in (entry.get("addresses") or {}).items():
            chain = FEED_CHAINS.get(feed_chain)
            if chain is None:
                continue
            for address in addresses or []:
                total[chain] += 1
                check = check_address(str(address).strip())
                if check is not None and check.valid and chain in (check.chains or (check.chain,)):
                    ok[chain] += 1
    assert sum(total.values()) > 4000
    for chain, n in total.items():
        if n >= 30:  # the feed has a few mislabelled or truncated entries
            assert ok[chain] / n >= 0.97, (chain, ok[chain], n)
    assert sum(ok.values()) / sum(total.values()) >= 0.98
