"""The lookup's fast paths: no database for batches with nothing to look up, one statement per
batch, per-connection caches of look-alike targets and sources that notice every write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from scamlens.intel import IntelStore, checker
from scamlens.intel.batching import CHUNK
from scamlens.model import Indicator

from .conftest import fixture


def _hits(store: IntelStore, type_: str, value: str) -> list[Any]:
    return store.check([(type_, value)])[(type_, value)]


def test_nothing_to_look_up_never_touches_the_database(
    store: IntelStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise AssertionError("the database was used")

    monkeypatch.setattr(store.engine, "raw_connection", refuse)
    assert store.check([]) == {}
    assert store.check([("wallet", "not a wallet"), ("domain", "")]) == {
        ("wallet", "not a wallet"): [],
        ("domain", ""): [],
    }


def test_empty_store_then_an_import_by_another_connection(db_url: str, tmp_path: Path) -> None:
    """The checking store has read (and cached) the empty side tables; another engine (as
    another process would) imports a feed; the next check sees it all."""
    reader = IntelStore.open(db_url)
    writer = IntelStore.open(db_url)
    try:
        assert _hits(reader, "domain", "free-mint-drop.com") == []
        assert _hits(reader, "domain", "rnetamask.io") == []
        writer.import_feed(fixture("metamask_small.json"), "metamask")
        (hit,) = _hits(reader, "domain", "free-mint-drop.com")
        assert hit.source == "metamask"
        assert _hits(reader, "domain", "rnetamask.io")[0].labels[0] == "lookalike"
        writer.set_trust("metamask", 0.5)
        (hit,) = _hits(reader, "domain", "free-mint-drop.com")
        assert hit.confidence == pytest.approx(0.9 * 0.5, abs=1e-3)
    finally:
        reader.close()
        writer.close()


def test_own_writes_are_seen(store: IntelStore) -> None:
    assert _hits(store, "domain", "rnetamask.io") == []
    store.import_feed(fixture("metamask_small.json"), "metamask")
    assert _hits(store, "domain", "rnetamask.io")[0].labels[0] == "lookalike"
    store.add("domain", "rnetamask.io", allow=True)
    assert all(h.allowlisted for h in _hits(store, "domain", "rnetamask.io"))


def test_import_by_another_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intel.db'}"
    reader = IntelStore.open(url)
    try:
        assert _hits(reader, "domain", "free-mint-drop.com") == []
        code = (
            "import sys\nfrom scamlens.intel import IntelStore\n"
            "with IntelStore.open(sys.argv[1]) as s:\n"
            "    s.import_feed(sys.argv[2], 'metamask')\n"
        )
        subprocess.run(
            [sys.executable, "-c", code, url, str(fixture("metamask_small.json"))], check=True
        )
        assert _hits(reader, "domain", "free-mint-drop.com")[0].source == "metamask"
        assert _hits(reader, "domain", "rnetamask.io")[0].labels[0] == "lookalike"
    finally:
        reader.close()


def test_batches_larger_than_one_statement(store: IntelStore, tmp_path: Path) -> None:
    listed = [f"scam-{i}.example" for i in range(0, 2500, 7)]
    path = tmp_path / "many.csv"
    path.write_text("type,value\n" + "".join(f"domain,{d}\n" for d in listed))
    store.import_feed(path)
    wanted = [("domain", f"scam-{i}.example") for i in range(2500)]
    wanted += [("url", f"https://scam-{i}.example/x") for i in range(0, 1200, 3)]
    together = store.check(wanted)
    assert list(together) == wanted
    one_by_one = {key: _hits(store, *key) for key in wanted[::50]}
    assert {k: together[k] for k in one_by_one} == one_by_one
    hit_keys = {k for k, v in together.items() if v and k[0] == "domain"}
    assert hit_keys == {("domain", d) for d in listed}


def test_statements_are_padded_to_few_shapes() -> None:
    shapes = set()
    for n in range(1, 1900, 13):
        by_type = {"domain": {f"d{i}" for i in range(n)}, "url": {"u"}}
        for sql, params in checker._statements("?", by_type):
            assert sql.count("?") == len(params) <= CHUNK + 2
            shapes.add(sql)
    assert len(shapes) < 40


def test_extracted_indicators_and_lookalikes(store: IntelStore) -> None:
    store.import_feed(fixture("metamask_small.json"), "metamask")
    inds = [
        Indicator(type="domain", value="rnetamask.io", raw="rnetamask.io", detector="d"),
        Indicator(type="url", value="https://free-mint-drop.com/", raw="x", detector="u"),
        Indicator(type="amount", value="5000 USDT", raw="5000U", detector="a"),
    ]
    for _ in range(2):  # the second time from the caches
        found = store.check(inds)
        assert found[("domain", "rnetamask.io")][0].labels[0] == "lookalike"
        assert found[("url", "https://free-mint-drop.com/")][0].source == "metamask"
        assert found[("amount", "5000 USDT")] == []


@pytest.mark.postgres
def test_postgresql_connection_left_transactional(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with IntelStore.open(db_url) as store:
        store.check([("domain", "example.com")])
        conn = store.engine.raw_connection()
        try:
            assert conn.driver_connection is not None
            assert conn.driver_connection.autocommit is False
        finally:
            conn.close()
        with store.engine.connect() as c:
            assert c.execute(sa.text("SELECT 1")).scalar_one() == 1
