"""Feed import: real formats, idempotency, transactions, rejection of malformed files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.intel import IntelStore, StoreError

from .conftest import Clock, fixture, snapshot

FEEDS = "feeds"


def _by_key(store: IntelStore) -> dict[tuple[str, str, str], object]:
    return {(r.type, r.value, r.action): r for r in store.records()}


# -- each format with a small fixture ---------------------------------------------------------


def test_metamask_small(store: IntelStore) -> None:
    report = store.import_feed(fixture("metamask_small.json"), "metamask")
    assert (report.added, report.updated, report.refreshed) == (10, 0, 0)
    assert report.lookalike_targets == 3
    assert report.skipped == {"invalid domain: a host needs at least two labels": 1}
    assert report.skip_examples["invalid domain: a host needs at least two labels"] == (
        "blacklist[6]"
    )
    recs = _by_key(store)
    assert ("domain", "claim-bonus-drop.com", "block") in recs  # www. and case normalised
    assert ("domain", "metamask.io", "allow") in recs
    assert [s.name for s in store.sources()] == ["metamask"]


def test_cryptoscamdb_small(store: IntelStore) -> None:
    report = store.import_feed(fixture("cryptoscamdb_small.yaml"), "cryptoscamdb")
    assert report.added == 12
    assert report.duplicates == 1  # the same wallet under two entries
    assert report.links_added == 8
    recs = _by_key(store)
    assert ("domain", "myetherwalet-login.com", "block") in recs  # bare site -> domain
    assert ("url", "https://twitter.com/giveaway_desk_x", "block") in recs  # path -> url only
    assert ("domain", "twitter.com", "block") not in recs
    assert ("email", "giveaway.desk@gmail.com", "block") in recs
    wallets = {r.value: r for r in store.records(type="wallet")}
    assert wallets["0xfc39b4f98030d991eac8428130afea3c19115fa0"].chain == "eth"
    assert wallets["TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6"].chain == "tron"
    assert wallets["rUj32g1xtqbEmZLCD5MkUY1Y2k9C5PGQcd"].chain == "xrp"
    assert wallets["AKzK7fKn1xSEtr7kbT8dZcXwN3n1hgJ2kH"].chain == "neo"  # kept, feed's code
    twitter = next(r for r in store.records(type="url"))
    assert twitter.labels == ("scamming", "trust-trading")
    assert twitter.details is not None and twitter.details["reporter"] == "CryptoScamDB"
    assert twitter.origin == "line 23"
    related = store.related("url", "https://twitter.com/giveaway_desk_x")
    assert {r.value for _, r in related} == {
        "0x4e15c5a0fcbb0163518ddecd87837a04e6a1d82b",
        "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6",
    }


def test_scamsniffer_address_and_combined(store: IntelStore) -> None:
    a = store.import_feed(fixture("scamsniffer_address.json"), "scamsniffer")
    assert (a.added, a.duplicates) == (2, 1)
    c = store.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
    # 0x101c... is already stored from address.json: refreshed, not added twice
    assert (c.added, c.refreshed) == (6, 1)
    assert c.links_added == 4
    assert c.skipped == {"invalid domain: empty or overlong host": 1}
    linked = store.related("wallet", "0xf1fc30239d36cbddb3f96be30a55246490c9acc1")
    assert {r.value for _, r in linked} == {"rollers-mint.xyz", "clout-airdrop.xyz"}


def test_scamsniffer_archive_day_sets_first_seen(store: IntelStore, tmp_path: Path) -> None:
    day = tmp_path / "2026-03-02.json"
    day.write_text(json.dumps({"domains": ["new-drainer.xyz"], "address": []}))
    store.import_feed(day, "scamsniffer")
    (rec,) = store.records()
    assert rec.first_seen.date().isoformat() == "2026-03-02"
    hits = store.check([("domain", "new-drainer.xyz")])[("domain", "new-drainer.xyz")]
    assert hits[0].reason.startswith("listed by ScamSniffer on 2026-03-02")


def test_csv(store: IntelStore) -> None:
    report = store.import_feed(fixture("indicators.csv"), "csv")
    assert report.added == 6
    assert report.skipped == {"invalid wallet: not an address": 1}
    assert set(report.sources) == {"csv", "case-team"}
    recs = {(r.source, r.type, r.value): r for r in store.records()}
    site = recs[("case-team", "domain", "bitget-pro.vip")]
    assert site.labels == ("pig-butchering", "fake-exchange")
    assert site.confidence == 0.95
    assert site.first_seen.isoformat() == "2025-03-02T00:00:00+00:00"
    assert site.last_seen.isoformat() == "2026-01-10T00:00:00+00:00"
    assert ("csv", "phone", "+14155552671") in recs
    assert ("case-team", "handle", "lucy_invest88") in recs


def test_stix_bundle(store: IntelStore) -> None:
    report = store.import_feed(fixture("bundle.json"), "stix")
    assert report.added == 5
    assert report.links_added == 2
    assert report.skipped == {
        "compound pattern (AND, FOLLOWEDBY or qualifiers)": 1,
        "unsupported pattern object ipv4-addr:value": 1,
        "unsupported object type malware": 1,
    }
    recs = {(r.type, r.value): r for r in store.records()}
    assert recs[("domain", "coinex-pro.top")].source == "Example CERT"
    assert recs[("domain", "coinex-pro.top")].confidence == 0.85
    assert recs[("url", "https://coinex-pro.top/app/it's")].source == "partner-feed"
    tron = recs[("wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6")]
    assert tron.chain == "tron"
    assert tron.expires is not None and tron.expires.isoformat().startswith("2026-05-01")
    assert recs[("wallet", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")].action == "allow"
    partner = next(s for s in store.sources() if s.name == "partner-feed")
    assert partner.url == "https://partner.example/feed"


def test_format_is_guessed(store: IntelStore) -> None:
    for name, fmt in (
        ("metamask_small.json", "metamask"),
        ("cryptoscamdb_small.yaml", "cryptoscamdb"),
        ("scamsniffer_combined.json", "scamsniffer"),
        ("indicators.csv", "csv"),
        ("bundle.json", "stix"),
    ):
        assert store.import_feed(fixture(name)).format == fmt


def test_source_and_trust_options(store: IntelStore) -> None:
    store.import_feed(fixture("scamsniffer_address.json"), source_name="team-drainers", trust=0.3)
    (src,) = store.sources()
    assert (src.name, src.trust, src.records) == ("team-drainers", 0.3, 2)
    # --source overrides per-row sources too
    store.import_feed(fixture("indicators.csv"), source_name="team-drainers")
    assert {s.name for s in store.sources()} == {"team-drainers"}
    with pytest.raises(InputError, match="trust"):
        store.import_feed(fixture("indicators.csv"), trust=1.5)


# -- idempotency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("metamask_small.json", "metamask"),
        ("cryptoscamdb_small.yaml", "cryptoscamdb"),
        ("scamsniffer_combined.json", "scamsniffer"),
        ("indicators.csv", "csv"),
        ("bundle.json", "stix"),
    ],
)
def test_reimport_adds_nothing(store: IntelStore, clock: Clock, name: str, fmt: str) -> None:
    first = store.import_feed(fixture(name), fmt)
    before = {(r.source, r.type, r.value, r.action): r for r in store.records()}
    clock.advance(3)
    again = store.import_feed(fixture(name), fmt)
    assert again.added == 0 and again.links_added == 0
    assert again.updated + again.refreshed == first.added
    after = {(r.source, r.type, r.value, r.action): r for r in store.records()}
    assert after.keys() == before.keys()
    for key, rec in after.items():
        assert rec.first_seen == before[key].first_seen
        assert rec.last_seen >= before[key].last_seen
    # records without their own dates were seen again now
    undated = [r for r in after.values() if r.last_seen == clock.now]
    assert undated or fmt == "stix"


def test_reimport_updates_changed_labels(store: IntelStore, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("type,value,labels\ndomain,evil.example,phishing\n")
    store.import_feed(path)
    path.write_text("type,value,labels\ndomain,evil.example,phishing;drainer\n")
    report = store.import_feed(path)
    assert (report.added, report.updated, report.refreshed) == (0, 1, 0)
    (rec,) = store.records()
    assert rec.labels == ("phishing", "drainer")


# -- malformed files are rejected whole -------------------------------------------------------

MALFORMED = [
    # (file name, content, format, expected text in the error)
    ("mm.json", '{"blacklist": ["a.com",\n "b.com"\n "c.com"]}', "metamask", ":3: invalid JSON"),
    ("mm.json", '{"blacklist": ["a.com", 7]}', "metamask", "blacklist[1]: expected a string"),
    ("mm.json", '{"tolerance": "2", "fuzzylist": []}', "metamask", "tolerance"),
    ("mm.json", '["a.com"]', "metamask", "expected a JSON object"),
    ("csdb.yaml", "- name: a\n  url: http://a.com\n  - bad\n", "cryptoscamdb", ":3: invalid YAML"),
    ("csdb.yaml", "- name: a\n  url: http://a.com\n- just a string\n", "cryptoscamdb", ":3: "),
    (
        "csdb.yaml",
        "- name: a\n  url: http://a.com\n  addresses:\n  - 0xabc\n",
        "cryptoscamdb",
        ":4: expected addresses",
    ),
    ("csdb.yaml", "- name: a\n  category: Phishing\n", "cryptoscamdb", ":1: entry has no url"),
    (
        "csdb.yaml",
        "- &x\n  name: a\n  url: http://a.com\n- *x\n",
        "cryptoscamdb",
        "aliases are not supported",
    ),
    ("ss.json", '{"a.com": "0xabc"}', "scamsniffer", "'a.com': expected an array"),
    ("ss.json", '["0x1dd1ce6ff595767fe2dcc1b705ff027e644c123a", 3]', "scamsniffer", "$[1]"),
    (
        "rows.csv",
        "type,value,confidence\ndomain,a.com,0.5\ndomain,b.com,high\ndomain,c.com,0.2\n",
        "csv",
        ":3: confidence",
    ),
    ("rows.csv", "type,value,labels\ndomain,a.com,x\ndomain\ndomain,c.com,y\n", "csv", ":3: "),
    ("rows.csv", "type,value\nwallet,0xabc\nplanet,mars\n", "csv", ":3: type"),
    ("rows.csv", "kind,value\ndomain,a.com\n", "csv", "header lacks column(s) type"),
    ("rows.csv", "type,value,first_seen\ndomain,a.com,yesterday\n", "csv", ":2: first_seen"),
    ("b.json", '{"type": "bundle", "objects": [{"type": "indicator"', "stix", "invalid JSON"),
    (
        "b.json",
        '{"type": "bundle", "objects": [{"type": "indicator", "id": "indicator--1"}]}',
        "stix",
        "objects[0].pattern",
    ),
    (
        "b.json",
        '{"type": "bundle", "objects": [{"type": "indicator", "id": "indicator--1",'
        ' "pattern": "[domain-name:value = ", "pattern_type": "stix"}]}',
        "stix",
        "objects[0].pattern: invalid STIX pattern",
    ),
    (
        "b.json",
        '{"type": "bundle", "objects": [{"type": "indicator", "id": "indicator--1",'
        ' "pattern": "[domain-name:value = \'a.com\']", "confidence": 400}]}',
        "stix",
        "objects[0].confidence",
    ),
    ("b.json", '{"type": "bundle", "objects": {}}', "stix", "objects: expected an array"),
]


@pytest.mark.parametrize(("name", "content", "fmt", "expected"), MALFORMED)
def test_malformed_rejected_and_nothing_imported(
    store: IntelStore, tmp_path: Path, name: str, content: str, fmt: str, expected: str
) -> None:
    store.import_feed(fixture("metamask_small.json"), "metamask")
    before = snapshot(store)
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as err:
        store.import_feed(path, fmt)
    assert expected in str(err.value)
    assert str(path) in str(err.value)
    assert snapshot(store) == before


def test_not_utf8_rejected(store: IntelStore, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"type,value\ndomain,a.com\ndomain,\xff\xfe.com\n")
    with pytest.raises(InputError, match=r":3: not UTF-8"):
        store.import_feed(path, "csv")


def test_failure_midway_rolls_back(store: IntelStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database error after records were written leaves the store as it was."""
    store.import_feed(fixture("metamask_small.json"), "metamask")
    before = snapshot(store)

    def boom(*_a: object, **_k: object) -> tuple[int, int]:
        import sqlalchemy as sa

        raise sa.exc.OperationalError("INSERT INTO links", {}, Exception("disk full"))

    from scamlens.intel.writer import FeedWriter

    monkeypatch.setattr(FeedWriter, "_upsert_links", boom)
    with pytest.raises(StoreError, match="nothing imported"):
        store.import_feed(fixture("cryptoscamdb_small.yaml"), "cryptoscamdb")
    assert snapshot(store) == before


def test_missing_file(store: IntelStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read feed"):
        store.import_feed(tmp_path / "nope.json", "metamask")


def test_unknown_format(store: IntelStore) -> None:
    with pytest.raises(InputError, match="unknown feed format"):
        store.import_feed(fixture("indicators.csv"), "excel")


# -- the real shared feeds ---------------------------------------------------------------------


@pytest.mark.shared
def test_real_feeds(store: IntelStore, shared_data: Path) -> None:
    feeds = shared_data / FEEDS
    config = feeds / "metamask-eth-phishing-detect" / "config.json"
    mm = store.import_feed(config, "metamask")
    assert mm.added > 14_000 and mm.lookalike_targets == 15
    assert mm.skipped_total < 10
    urls = feeds / "cryptoscamdb" / "urls.yaml"
    csdb = store.import_feed(urls, "cryptoscamdb")
    assert csdb.added > 12_000 and csdb.links_added > 5_000
    assert csdb.sha256 == hashlib.sha256(urls.read_bytes()).hexdigest()
    addr = store.import_feed(feeds / "scamsniffer" / "address.json", "scamsniffer")
    assert addr.added == 2530
    combined = feeds / "scamsniffer" / "combined.json"
    comb = store.import_feed(combined, "scamsniffer")
    assert comb.links_added > 2_500
    again = store.import_feed(combined, "scamsniffer")
    assert again.added == 0 and again.links_added == 0
    # values picked from the files at run time (no feed data is copied into the repo)
    blocked = json.loads(config.read_text())["blacklist"][0]
    site, wallets = next(
        (k, v) for k, v in json.loads(combined.read_text()).items() if k.count(".") == 1
    )
    found = store.check([("domain", blocked), ("wallet", wallets[0]), ("domain", "app." + site)])
    assert "metamask" in {h.source for h in found[("domain", blocked)]}
    assert found[("wallet", wallets[0])][0].source == "scamsniffer"
    assert found[("domain", "app." + site)][0].value == site
    linked = {r.value for _, r in store.related("domain", site)}
    assert wallets[0].lower() in linked


@pytest.mark.shared
def test_real_uris_yaml_is_malformed(store: IntelStore, shared_data: Path) -> None:
    """CryptoScamDB's uris.yaml has a mis-indented entry: rejected with its line."""
    with pytest.raises(InputError, match=r"uris\.yaml:35: invalid YAML"):
        store.import_feed(shared_data / FEEDS / "cryptoscamdb" / "uris.yaml", "cryptoscamdb")
    assert store.stats().total == 0


def test_provenance(store: IntelStore, clock: Clock) -> None:
    store.import_feed(fixture("scamsniffer_address.json"), "scamsniffer")
    clock.advance(1)
    store.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
    (p,) = store.provenance("wallet", "0x1dd1ce6ff595767fe2dcc1b705ff027e644c123a")
    assert (p.source, p.origin, p.format) == ("scamsniffer", "$[0]", "scamsniffer")
    assert p.first_file is not None and p.first_file.endswith("scamsniffer_address.json")
    assert p.last_file is not None and p.last_file.endswith("scamsniffer_combined.json")
    assert (
        p.first_sha256
        == hashlib.sha256(fixture("scamsniffer_address.json").read_bytes()).hexdigest()
    )
    assert p.last_imported_at is not None and p.first_imported_at is not None
    assert (p.last_imported_at - p.first_imported_at).days == 1
    store.add("domain", "x.example")
    (a,) = store.provenance("domain", "x.example")
    assert (a.source, a.origin, a.first_file) == ("analyst", "added by analyst", None)


def test_concurrent_imports(db_url: str) -> None:
    """Two writers at once (separate stores, as two processes would be): both succeed, the
    writer lock serialises them and nothing is stored twice."""
    from concurrent.futures import ThreadPoolExecutor

    def work(name: str) -> int:
        with IntelStore.open(db_url) as s:
            return s.import_feed(fixture(name)).added

    with IntelStore.open(db_url):
        pass  # migrate once first
    names = ["cryptoscamdb_small.yaml", "scamsniffer_combined.json"] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        added = list(pool.map(work, names))
    assert sorted(added)[:2] == [0, 0]
    with IntelStore.open(db_url) as s:
        assert s.stats().total == sum(added)
