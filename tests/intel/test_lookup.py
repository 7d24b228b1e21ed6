"""Lookups: exact, parent domains, URL hosts, allow-list precedence, look-alikes, expiry."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.indicators.normalize import normalize_value
from scamlens.intel import IntelStore
from scamlens.model import Indicator

from .conftest import T0, Clock, fixture

EIP55 = "0xFC39b4f98030d991Eac8428130aFEa3C19115FA0"


def _hits(store: IntelStore, type_: str, value: str) -> list:  # type: ignore[type-arg]
    return store.check([(type_, value)])[(type_, value)]


@pytest.fixture
def loaded(store: IntelStore) -> IntelStore:
    store.import_feed(fixture("metamask_small.json"), "metamask")
    store.import_feed(fixture("cryptoscamdb_small.yaml"), "cryptoscamdb")
    store.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
    return store


def test_exact_hit_carries_provenance(loaded: IntelStore) -> None:
    (hit,) = _hits(loaded, "domain", "mint-pass-claim.art")
    assert hit.source == "scamsniffer"
    assert hit.value == "mint-pass-claim.art"
    assert hit.labels == ("phishing",)
    assert hit.reason == "listed by ScamSniffer on 2026-03-02"
    assert hit.first_seen == T0 and hit.last_seen == T0
    assert hit.expires is not None and (hit.expires - T0).days == 90
    assert hit.confidence == pytest.approx(0.9 * 0.85, abs=1e-3)
    assert not hit.allowlisted


def test_extracted_indicators_hit(loaded: IntelStore) -> None:
    """Values normalised by the extractor's functions are the store's keys."""
    raw = "0xDA557662AEDF13AB9B36FB9D0CFE440951BBF90F"
    ind = Indicator(
        type="wallet",
        value=normalize_value("wallet", raw, chain="eth"),
        raw=raw,
        detector="wallet.eth",
        chain="eth",
    )
    site = Indicator(
        type="url",
        value=normalize_value("url", "HTTPS://WWW.Mint-Pass-Claim.Art/mint"),
        raw="HTTPS://WWW.Mint-Pass-Claim.Art/mint",
        detector="url",
    )
    found = loaded.check([ind, site])
    (wallet_hit,) = found[("wallet", ind.value)]
    assert wallet_hit.source == "cryptoscamdb"
    (site_hit,) = found[("url", site.value)]
    assert site_hit.value == "mint-pass-claim.art"
    assert site_hit.reason.startswith("site mint-pass-claim.art listed by ScamSniffer")


def test_parent_domains_and_registered_domain(loaded: IntelStore) -> None:
    (hit,) = _hits(loaded, "domain", "a.b.free-mint-drop.com")
    assert hit.value == "free-mint-drop.com"
    assert hit.reason.startswith("parent domain free-mint-drop.com listed by MetaMask")
    assert hit.confidence < 0.9 * 0.9
    # a listed subdomain does not make its parent bad
    assert _hits(loaded, "domain", "goodswap.com")[0].allowlisted


def test_public_suffix_never_a_parent(store: IntelStore, tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("type,value\ndomain,pages.dev\ndomain,scam.pages.dev\n")
    store.import_feed(path)
    (hit,) = _hits(store, "domain", "www.scam.pages.dev")
    assert hit.value == "scam.pages.dev"
    assert _hits(store, "domain", "other.pages.dev") == []


def test_url_exact_and_scheme(loaded: IntelStore) -> None:
    (hit,) = _hits(loaded, "url", "http://twitter.com/giveaway_desk_x")
    assert hit.value == "https://twitter.com/giveaway_desk_x"
    assert _hits(loaded, "url", "https://twitter.com/someone_else") == []


def test_email_and_its_domain(loaded: IntelStore) -> None:
    (hit,) = _hits(loaded, "email", "Giveaway.Desk@gmail.com")
    assert hit.type == "email"
    (dom,) = _hits(loaded, "email", "support@mint-pass-claim.art")
    assert dom.reason.startswith("e-mail domain mint-pass-claim.art listed")


def test_allow_list_beats_block_list(loaded: IntelStore) -> None:
    # dual-listed.club is on both MetaMask lists (as in the real feed): the allow-list wins
    hits = _hits(loaded, "domain", "dual-listed.club")
    assert [h.allowlisted for h in hits] == [True]
    assert "overrides 1 block-list entry" in hits[0].reason
    # an allow-listed parent clears its subdomains...
    (sub,) = _hits(loaded, "domain", "app.goodswap.com")
    assert sub.allowlisted and sub.value == "goodswap.com"
    # ...but not a subdomain that is itself block-listed (more specific wins)
    (evil,) = _hits(loaded, "domain", "evil.goodswap.com")
    assert not evil.allowlisted and evil.value == "evil.goodswap.com"


def test_analyst_allow_beats_feed_block(loaded: IntelStore) -> None:
    loaded.add("domain", "mint-pass-claim.art", allow=True, note="site taken over by the artist")
    (hit,) = _hits(loaded, "domain", "mint-pass-claim.art")
    assert hit.allowlisted and hit.source == "analyst"


def test_lookalike_hits(loaded: IntelStore) -> None:
    (hit,) = _hits(loaded, "domain", "metamassk.io")
    assert hit.labels == ("lookalike", "lookalike-of:metamask.io")
    assert "edit distance 1" in hit.reason and "tolerance 2" in hit.reason
    assert hit.source == "metamask"
    # different TLD, same name: distance 0 on MetaMask's fuzzy form
    (tld,) = _hits(loaded, "domain", "opensea.com")
    assert "looks like opensea.io" in tld.reason
    # the protected domains and their subdomains are not look-alikes of themselves
    assert all(h.allowlisted for h in _hits(loaded, "domain", "metamask.io"))
    assert _hits(loaded, "domain", "launchpad.ethereum.org") == []
    assert _hits(loaded, "domain", "docs.opensea.io") == []
    # far enough away
    assert _hits(loaded, "domain", "metallica.com") == []
    # URL hosts are checked too
    assert _hits(loaded, "url", "https://rnetamask.io/connect")[0].labels[0] == "lookalike"


def test_whitelist_beats_lookalike(loaded: IntelStore) -> None:
    # opensee.net is within tolerance of opensea but on the whitelist
    hits = _hits(loaded, "domain", "opensee.net")
    assert [h.allowlisted for h in hits] == [True]
    assert "overrides 1" in hits[0].reason


def test_expired_records_reported_with_lower_confidence(loaded: IntelStore, clock: Clock) -> None:
    fresh = _hits(loaded, "domain", "mint-pass-claim.art")[0]
    wallet_fresh = _hits(loaded, "wallet", "0x05dcf242cfe9bbf066a320b19b583cb411da4cce")[0]
    clock.advance(100)  # domains expire after 90 days, wallets after 365
    (old,) = _hits(loaded, "domain", "mint-pass-claim.art")
    assert old.confidence == pytest.approx(fresh.confidence * 0.5, abs=1e-3)
    assert "expired 2026-05-31" in old.reason
    (wallet,) = _hits(loaded, "wallet", "0x05dcf242cfe9bbf066a320b19b583cb411da4cce")
    assert wallet.confidence == wallet_fresh.confidence
    # seeing it again in the feed renews it
    loaded.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
    (renewed,) = _hits(loaded, "domain", "mint-pass-claim.art")
    assert renewed.confidence == fresh.confidence
    assert renewed.first_seen == T0 and renewed.last_seen == clock.now


def test_expired_allow_entry_does_not_clear(loaded: IntelStore, clock: Clock) -> None:
    clock.advance(100)
    loaded.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")  # fresh blocks
    loaded.add("domain", "clout-airdrop.xyz", allow=True, expires=T0)
    hits = _hits(loaded, "domain", "clout-airdrop.xyz")
    assert [h.allowlisted for h in hits] == [False]


def test_ttl_override(db_url: str, clock: Clock) -> None:
    with IntelStore.open(db_url, clock=clock, ttl_days={"domain": 7}) as store:
        store.import_feed(fixture("scamsniffer_combined.json"), "scamsniffer")
        rec = next(r for r in store.records(type="domain"))
        assert rec.expires is not None and (rec.expires - rec.last_seen).days == 7


def test_trust_scales_confidence(loaded: IntelStore) -> None:
    before = _hits(loaded, "domain", "mint-pass-claim.art")[0].confidence
    loaded.set_trust("scamsniffer", 0.5)
    after = _hits(loaded, "domain", "mint-pass-claim.art")[0].confidence
    assert after == pytest.approx(before * 0.5 / 0.85, abs=1e-3)
    with pytest.raises(InputError):
        loaded.set_trust("scamsniffer", 2.0)
    from scamlens.intel import UnknownSourceError

    with pytest.raises(UnknownSourceError, match="known: cryptoscamdb, metamask, scamsniffer"):
        loaded.set_trust("nobody", 0.5)


def test_several_sources_and_order(loaded: IntelStore) -> None:
    loaded.add("domain", "myetherwalet-login.com", confidence=0.5, labels=["reported"])
    hits = _hits(loaded, "domain", "myetherwalet-login.com")
    assert [h.source for h in hits] == ["cryptoscamdb", "analyst"]  # by confidence
    assert hits[0].labels == ("phishing", "myetherwallet")
    assert hits[1].labels == ("reported",)
    assert hits[0].confidence == pytest.approx(0.9 * 0.6)
    assert hits[1].confidence == pytest.approx(0.5 * 0.8)


def test_every_key_present_and_invalid_values(loaded: IntelStore) -> None:
    found = loaded.check(
        [("domain", "not a domain"), ("wallet", "nope"), ("phone", "+14155552671")]
    )
    assert found == {
        ("domain", "not a domain"): [],
        ("wallet", "nope"): [],
        ("phone", "+14155552671"): [],
    }


def test_batches_larger_than_a_chunk(loaded: IntelStore) -> None:
    items = [("domain", f"clean{i}.example") for i in range(1200)]
    items.append(("domain", "mint-pass-claim.art"))
    found = loaded.check(items)
    assert len(found) == 1201
    assert sum(1 for v in found.values() if v) == 1


def test_analyst_add_and_remove(store: IntelStore) -> None:
    rec = store.add("wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6", labels=["Pig-Butchering"])
    assert (rec.chain, rec.labels, rec.source) == ("tron", ("pig-butchering",), "analyst")
    again = store.add("wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6", labels=["usdt"])
    assert again.labels == ("pig-butchering", "usdt")
    assert len(list(store.records())) == 1
    (hit,) = _hits(store, "wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6")
    assert hit.reason == "listed by Analyst report on 2026-03-02"
    assert store.remove("wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6") == 1
    assert _hits(store, "wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6") == []
    with pytest.raises(InputError, match="not a valid domain"):
        store.add("domain", "not a domain")


@pytest.mark.parametrize(
    ("raw", "type_", "value"),
    [
        (
            "0xFC39b4f98030d991Eac8428130aFEa3C19115FA0",
            "wallet",
            "0xfc39b4f98030d991eac8428130afea3c19115fa0",
        ),
        ("TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6", "wallet", "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6"),
        ("17gRwiYXE4mvZgpiRPPud6X6E74ZfYGrH5", "wallet", "17gRwiYXE4mvZgpiRPPud6X6E74ZfYGrH5"),
        ("WWW.Mint-Pass-Claim.ART", "domain", "mint-pass-claim.art"),
        ("mint-pass-claim[.]art", "domain", "mint-pass-claim.art"),
        ("https://mint-pass-claim.art/mint?x=1", "url", "https://mint-pass-claim.art/mint?x=1"),
        ("+1 415 555 2671", "phone", "+14155552671"),
        ("Scam@Mint-Pass-Claim.art", "email", "scam@mint-pass-claim.art"),
        ("@Lucy_Invest88", "handle", "lucy_invest88"),
        ("0x" + "ab" * 32, "txhash", "0x" + "ab" * 32),
    ],
)
def test_check_values_guesses_type(loaded: IntelStore, raw: str, type_: str, value: str) -> None:
    result = loaded.check_values([raw])[raw]
    assert (result.type, result.value, result.error) == (type_, value, None)


def test_check_values_hits_and_errors(loaded: IntelStore) -> None:
    out = loaded.check_values(["mint-pass-claim[.]art", "hello world", ""])
    assert out["mint-pass-claim[.]art"].hits[0].source == "scamsniffer"
    assert out["hello world"].error is not None and out["hello world"].hits == ()
    assert out[""].error == "not an indicator: empty value"


def test_gc_state_restored(loaded: IntelStore) -> None:
    import gc

    assert gc.isenabled()
    loaded.check([("domain", "mint-pass-claim.art")])
    assert gc.isenabled()
    gc.disable()
    try:
        loaded.check([("domain", "mint-pass-claim.art")])
        assert not gc.isenabled()
    finally:
        gc.enable()
