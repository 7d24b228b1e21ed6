"""Export as STIX 2.1 and CSV, and the round trip back into a fresh store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import stix2

from scamlens.intel import IntelStore

from .conftest import Clock, fixture


def _load_everything(store: IntelStore) -> None:
    store.import_feed(fixture("metamask_small.json"), "metamask")
    store.import_feed(fixture("cryptoscamdb_small.yaml"), "cryptoscamdb")
    store.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
    store.import_feed(fixture("indicators.csv"), "csv")
    store.import_feed(fixture("bundle.json"), "stix")
    store.add("phone", "+44 20 7946 0958", labels=["recruiter"], note="=HYPERLINK(evil)")
    store.add("domain", "ok.example", allow=True)


def _records(store: IntelStore) -> set[object]:
    return set(store.records())


def _links(store: IntelStore) -> set[tuple[object, ...]]:
    return {
        (
            link.src.source,
            link.src.type,
            link.src.value,
            link.dst.type,
            link.dst.value,
            link.relation,
        )
        for link in store.links()
    }


def test_stix_round_trip(store: IntelStore, tmp_path: Path) -> None:
    _load_everything(store)
    out = tmp_path / "export.json"
    with out.open("w", encoding="utf-8") as fh:
        n = store.export("stix", fh)
    assert n == len(_records(store))
    # the bundle is valid STIX 2.1 for the stix2 library
    bundle = stix2.parse(out.read_text(encoding="utf-8"), allow_custom=True)
    types = {o.type for o in bundle.objects}
    assert types == {"identity", "indicator", "relationship", "marking-definition"}
    later = Clock()
    later.advance(30)  # the import's own clock must not leak into the records
    with IntelStore.open(f"sqlite:///{tmp_path / 'fresh.db'}", clock=later) as fresh:
        report = fresh.import_feed(out, "stix")
        assert report.skipped == {}
        assert _records(fresh) == _records(store)
        assert _links(fresh) == _links(store)
        sources = {s.name: s for s in fresh.sources()}
        assert sources["scamsniffer"].licence == "GPL-3.0"
        assert sources["scamsniffer"].url == "https://github.com/scamsniffer/scam-database"
        assert sources["scamsniffer"].title == "ScamSniffer"
        assert sources["analyst"].kind == "analyst"
        # re-importing the export adds nothing (ids and keys are stable)
        assert fresh.import_feed(out, "stix").added == 0


def test_stix_export_is_deterministic(store: IntelStore) -> None:
    _load_everything(store)
    a, b = io.StringIO(), io.StringIO()
    store.export("stix", a)
    store.export("stix", b)
    ids = [[o["id"] for o in json.loads(x.getvalue())["objects"]] for x in (a, b)]
    assert ids[0] == ids[1]


def test_stix_objects(store: IntelStore) -> None:
    store.import_feed(fixture("cryptoscamdb_small.yaml"), "cryptoscamdb")
    store.add("domain", "ok.example", allow=True)
    buf = io.StringIO()
    store.export("stix", buf)
    objects = json.loads(buf.getvalue())["objects"]
    by_pattern = {o["pattern"]: o for o in objects if o["type"] == "indicator"}
    wallet = by_pattern["[x-crypto-wallet:address = 'TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6']"]
    assert wallet["x_scamlens_chain"] == "tron"
    assert wallet["labels"] == ["scamming", "trust-trading"]
    assert wallet["external_references"][0]["source_name"] == "cryptoscamdb"
    assert wallet["valid_until"] > wallet["valid_from"]
    assert wallet["indicator_types"] == ["malicious-activity"]
    assert by_pattern["[domain-name:value = 'ok.example']"]["indicator_types"] == ["benign"]
    assert "[email-addr:value = 'giveaway.desk@gmail.com']" in by_pattern
    rels = [o for o in objects if o["type"] == "relationship"]
    assert len(rels) == 8
    ids = {o["id"] for o in objects}
    assert all(r["source_ref"] in ids and r["target_ref"] in ids for r in rels)


def test_csv_round_trip(store: IntelStore, tmp_path: Path) -> None:
    _load_everything(store)
    out = tmp_path / "export.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        store.export("csv", fh)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    phone = next(r for r in rows if r["type"] == "phone" and r["source"] == "analyst")
    assert phone["value"] == "'+442079460958"  # spreadsheet formula guard
    with IntelStore.open(f"sqlite:///{tmp_path / 'fresh.db'}") as fresh:
        fresh.import_feed(out, "csv")
        assert _records(fresh) == _records(store)


def test_export_unknown_format(store: IntelStore) -> None:
    from scamlens.errors import InputError

    with pytest.raises(InputError, match="unknown export format"):
        store.export("xml", io.StringIO())


@pytest.mark.shared
@pytest.mark.slow
def test_real_feeds_stix_round_trip(shared_data: Path, tmp_path: Path) -> None:
    feeds = shared_data / "feeds"
    with IntelStore.open(f"sqlite:///{tmp_path / 'a.db'}") as store:
        store.import_feed(feeds / "scamsniffer" / "combined.json", "scamsniffer")
        store.import_feed(feeds / "cryptoscamdb" / "urls.yaml", "cryptoscamdb")
        out = tmp_path / "all.json"
        with out.open("w", encoding="utf-8") as fh:
            store.export("stix", fh)
        with IntelStore.open(f"sqlite:///{tmp_path / 'b.db'}") as fresh:
            fresh.import_feed(out, "stix")
            assert _records(fresh) == _records(store)
            assert _links(fresh) == _links(store)
