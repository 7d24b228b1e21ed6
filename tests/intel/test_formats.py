"""Parsers on hostile input: only ParsedFeed or InputError come out, never a crash."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError
from scamlens.intel.formats import FORMATS, detect_format
from scamlens.intel.formats.csvfeed import escape_cell, unescape_cell
from scamlens.intel.formats.stix import comparisons, escape
from scamlens.intel.keys import guess, wallet_key

SUFFIX = {
    "metamask": ".json",
    "cryptoscamdb": ".yaml",
    "scamsniffer": ".json",
    "csv": ".csv",
    "stix": ".json",
}

FIXTURE_CHECK = HealthCheck.function_scoped_fixture  # tmp_path is only a directory name here

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_random_bytes(fmt: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"feed{SUFFIX[fmt]}"
    with contextlib.suppress(InputError):
        FORMATS[fmt](path, data)


@pytest.mark.parametrize("fmt", ["metamask", "scamsniffer", "stix"])
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=json_like)
def test_random_json_shapes(fmt: str, doc: object, tmp_path: Path) -> None:
    import json

    path = tmp_path / "feed.json"
    with contextlib.suppress(InputError):
        FORMATS[fmt](path, json.dumps(doc).encode())


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), max_size=6))
def test_random_csv(rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["type", "value", "labels"], *rows])
    with contextlib.suppress(InputError):
        FORMATS["csv"](Path("x.csv"), buf.getvalue().encode())


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_stix_pattern_string_round_trip(value: str) -> None:
    tests, compound = comparisons(f"[url:value = '{escape(value)}']")
    assert tests == [("url", "value", "=", value)] and not compound


def test_stix_pattern_via_grammar() -> None:
    tests, compound = comparisons(
        "[domain-name:value = 'a.example'] OR [x-crypto-wallet:address = 'it\\'s']"
    )
    assert tests == [
        ("domain-name", "value", "=", "a.example"),
        ("x-crypto-wallet", "address", "=", "it's"),
    ]
    assert not compound
    _, compound = comparisons("[domain-name:value = 'a.example'] AND [url:value = 'b']")
    assert compound


@given(st.text(max_size=20))
def test_csv_cell_escape_round_trip(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text
    assert not escape_cell(text).startswith(("=", "+", "-", "@"))


@given(st.text(max_size=60))
def test_guess_never_crashes(text: str) -> None:
    try:
        g = guess(text)
    except ValueError:
        return
    assert g.type in ("wallet", "txhash", "url", "domain", "phone", "email", "handle")


def test_wallet_key_chain_codes() -> None:
    assert wallet_key("ETH", "0xFC39b4f98030d991Eac8428130aFEa3C19115FA0")[1] == "eth"
    assert wallet_key("TRX", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6")[1] == "tron"
    assert wallet_key("USDT", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6")[1] == "tron"  # from format
    assert wallet_key("UNKNOWN", "AKzK7fKn1xSEtr7kbT8dZcXwN3n1hgJ2kH")[1] == ""
    with pytest.raises(ValueError):
        wallet_key("ETH", "0xnot-hex")


def test_detect_format_refuses_unknown(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pass --format"):
        detect_format(tmp_path / "x.txt", b"hello")
