"""End to end: verdicts with evidence that points into the fields, batches (bio templates,
shared photos), the photo index, the intelligence store, and the JSONL contract."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from scamlens.model import Indicator, IntelHit
from scamlens.profiles import (
    JobAd,
    JobAdScorer,
    PhotoIndex,
    Profile,
    ProfileScorer,
    record_to_item,
    score_job_ad,
    score_lines,
    score_profile,
    score_records,
)
from scamlens.profiles.model import ItemVerdict
from scamlens.profiles.photos import hash_bytes

from .imaging import TRANSFORMS, encode, synth_photo


def _fields(item: Profile | JobAd) -> dict[str, str]:
    out = dict(item.text_fields())
    if isinstance(item, Profile):
        out.update({f"links[{i}]": v for i, v in enumerate(item.links)})
        out.update({f"contacts[{i}]": c.value for i, c in enumerate(item.contacts)})
        out.update({f"photos[{i}]": v for i, v in enumerate(item.photos)})
        if item.account_age_days is not None:
            out["account_age_days"] = f"{item.account_age_days:g}"
    return out


def assert_evidence_points_into_fields(item: Profile | JobAd, verdict: ItemVerdict) -> None:
    fields = _fields(item)
    for sig in verdict.signals:
        assert 0 <= sig.score <= 1
        assert sig.evidence, sig.id
        for e in sig.evidence:
            assert e.source.split(":", 1)[0] in {
                "rule",
                "model",
                "check",
                "photo",
                "intel",
                "cluster",
            }
            assert e.note in fields, (sig.id, e.note)
            assert fields[str(e.note)][e.start : e.end] == e.quote, (sig.id, e)


LISA = {
    "id": "lisa",
    "display_name": "Lisa",
    "headline": "Self-made crypto trader",
    "bio": "Hong Kong born, living in NYC. I own a wine business. Rarely on here, text me on "
    "WhatsApp +855 12 345 678",
    "job": "Offshore engineer",
    "location": "New York, USA",
    "account_age_days": 5,
    "links": ["https://fx-goldtrade.com/join"],
    "contacts": {"telegram": "@lisa_fx88"},
}


def test_profile_verdict_end_to_end() -> None:
    item = record_to_item(LISA, "profile")
    assert isinstance(item, Profile)
    v = score_profile(item)
    assert v.kind == "profile" and v.label == "scam" and 0.7 <= v.risk <= 1
    assert v.language == "en"
    assert {
        "claims_conflict",
        "offplatform_push",
        "location_phone_mismatch",
        "new_account_wealth",
        "persona_trader",
    } <= {s.id for s in v.signals}
    assert v.versions["rules"].startswith("1+") and "photo_hash" in v.versions
    assert_evidence_points_into_fields(item, v)
    assert v.signals == tuple(sorted(v.signals, key=lambda s: (s.counter, -s.score, s.id)))


def test_job_ad_verdict_with_model() -> None:
    ad = record_to_item(
        {
            "id": "j1",
            "title": "Customer service in Sihanoukville",
            "description": "No experience needed. Salary USD 2,500 per month. "
            "Free flight and visa. Passport will be kept by the "
            "company. Contact Telegram @kh_hr88",
        },
        "job_ad",
    )
    assert isinstance(ad, JobAd)
    v = score_job_ad(ad)
    assert v.kind == "job_ad" and v.label == "scam"
    ids = {s.id for s in v.signals}
    assert {"compound_hotspot", "passport_surrender", "trafficking_pattern", "pay_vs_skill"} <= ids
    assert v.versions["model"] != "none"
    assert "model_probability" in v.components
    assert_evidence_points_into_fields(ad, v)


def test_model_alone_never_flags() -> None:
    scorer = JobAdScorer()
    assert scorer.model is not None
    from scamlens.profiles.scorer import MODEL_WEIGHT, SUSPICIOUS_AT

    assert MODEL_WEIGHT < SUSPICIOUS_AT
    v = scorer.score(JobAd(id=None, description="hello"))
    assert v.label == "benign"


def test_rules_only_has_no_model_signal() -> None:
    v = JobAdScorer(use_model=False).score(JobAd(id=None, description="typing job"))
    assert v.versions["model"] == "none" and "model_probability" not in v.components


def test_bio_template_across_accounts() -> None:
    bios = [
        "Hong Kong born, living in New York. Self-made crypto trader, I love wine, travel and "
        "cooking. Looking for a serious relationship, text me on WhatsApp.",
        "Hong Kong born, now living in Chicago. Self made forex trader, love wine, traveling "
        "and cooking. Looking for serious relationship, add me on WhatsApp.",
        "ICU nurse in Ohio, two dogs, love hiking and bad movies. Looking for someone kind.",
    ]
    profiles = [Profile(id=f"p{i}", bio=b) for i, b in enumerate(bios)]
    verdicts = ProfileScorer().score_many(profiles)
    got = [{s.id for s in v.signals} for v in verdicts]
    assert "bio_template" in got[0] and "bio_template" in got[1]
    assert "bio_template" not in got[2]
    (sig,) = [s for s in verdicts[0].signals if s.id == "bio_template"]
    assert sig.evidence[0].source.startswith("cluster:bio-")
    other = next(s for s in verdicts[1].signals if s.id == "bio_template")
    assert sig.evidence[0].source == other.evidence[0].source


def test_template_fallback_without_campaigns(monkeypatch: pytest.MonkeyPatch) -> None:
    from scamlens.profiles import templates

    def broken(texts: Sequence[str]) -> list[str | None]:
        raise ImportError("no campaigns")

    monkeypatch.setattr(templates, "_campaign_groups", broken)
    bio = "Self-made crypto trader from Hong Kong, living in Boston. WhatsApp me: +1 617 555 0101"
    groups = templates.bio_groups([bio, bio.replace("0101", "0199"), "short"])
    assert groups[0] is not None and groups[0] == groups[1] and groups[2] is None


def _photo(tmp_path: Path, name: str, seed: int, transform: str | None = None) -> str:
    img = synth_photo(seed)
    if transform:
        img = TRANSFORMS[transform](img)
    (tmp_path / name).write_bytes(encode(img, "JPEG", 85))
    return name


def test_photo_reported_in_index(tmp_path: Path) -> None:
    index = PhotoIndex.memory()
    index.add_hashes(hash_bytes(encode(synth_photo(11))), label="reported", account="old-scam")
    item = Profile(id="new", bio="hi", photos=(_photo(tmp_path, "a.jpg", 11, "crop-10%-right"),))
    v = ProfileScorer(photo_root=tmp_path, photo_index=index).score(item)
    (sig,) = [s for s in v.signals if s.id == "photo_reuse"]
    assert sig.evidence[0].source.startswith("photo:reported#")
    assert sig.score >= 0.85 * 0.5
    assert_evidence_points_into_fields(item, v)


def test_photo_shared_between_accounts_in_a_batch(tmp_path: Path) -> None:
    a = Profile(id="a", bio="x", photos=(_photo(tmp_path, "a.jpg", 21),))
    b = Profile(id="b", bio="y", photos=(_photo(tmp_path, "b.jpg", 21, "resize-50%"),))
    c = Profile(id="c", bio="z", photos=(_photo(tmp_path, "c.jpg", 22),))
    va, vb, vc = ProfileScorer(photo_root=tmp_path).score_many([a, b, c])
    assert any(e.source == "photo:batch#b" for s in va.signals for e in s.evidence)
    assert any(e.source == "photo:batch#a" for s in vb.signals for e in s.evidence)
    assert not any(s.id == "photo_reuse" for s in vc.signals)


def test_photo_urls_compared_as_strings() -> None:
    index = PhotoIndex.memory()
    index.add_url("https://cdn.example/img/9.jpg", label="stolen")
    item = Profile(id="u", bio="x", photos=("https://CDN.example/img/9.jpg",))
    v = ProfileScorer(photo_index=index).score(item)
    assert any(s.id == "photo_reuse" for s in v.signals)


def test_photo_paths_are_confined(tmp_path: Path) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    outside = _photo(tmp_path, "secret.jpg", 3)
    item = Profile(id="u", bio="x", photos=("../" + outside, "missing.jpg"))
    v = ProfileScorer(photo_root=root, photo_index=PhotoIndex.memory()).score(item)
    assert any("outside the photo folder" in w for w in v.warnings)
    assert any("cannot read" in w for w in v.warnings)
    unread = ProfileScorer().score(Profile(id="u", bio="x", photos=("a.jpg",)))
    assert any("not read" in w for w in unread.warnings)


class StubStore:
    """Anything with IntelStore.check works as the intelligence store."""

    def __init__(self, listed: dict[tuple[str, str], list[IntelHit]]) -> None:
        self.listed = listed
        self.seen: list[Indicator] = []

    def check(self, items: Iterable[Indicator]) -> Mapping[tuple[str, str], Sequence[IntelHit]]:
        items = list(items)
        self.seen.extend(items)
        return {(i.type, i.value): self.listed.get((i.type, i.value), []) for i in items}


def test_intel_hits_become_evidence() -> None:
    hit = IntelHit("handle", "lisa_fx88", "analyst", ("pig-butchering",), confidence=0.9)
    ok = IntelHit("url", "https://fx-goldtrade.com/join", "allow", allowlisted=True)
    store = StubStore(
        {("handle", "lisa_fx88"): [hit], ("url", "https://fx-goldtrade.com/join"): [ok]}
    )
    item = record_to_item(LISA, "profile")
    assert isinstance(item, Profile)
    v = ProfileScorer(intel=store).score(item)
    (sig,) = [s for s in v.signals if s.id == "intel_hit"]
    assert sig.evidence[0].source == "intel:analyst" and sig.evidence[0].note == "contacts[0]"
    assert sig.score == pytest.approx(0.5 + 0.45 * 0.9, abs=1e-3)
    assert any(s.id == "intel_allowlisted" and s.counter for s in v.signals)
    assert v.intel_hits and store.seen
    assert_evidence_points_into_fields(item, v)


def test_real_intel_store(tmp_path: Path) -> None:
    intel = pytest.importorskip("scamlens.intel")
    store = intel.IntelStore.open(f"sqlite:///{tmp_path / 'intel.db'}")
    try:
        store.add("handle", "@kh_hr88", labels=["job-lure"], confidence=0.8)
        ad = JobAd(id="j", description="Typing job, contact Telegram @kh_hr88")
        v = JobAdScorer(use_model=False, intel=store).score(ad)
        assert any(s.id == "intel_hit" for s in v.signals)
    finally:
        store.close()


def test_score_records_contract_and_bad_rows() -> None:
    rows: list[Any] = [LISA, {"bio": {"bad": 1}}, {"id": 7, "bio": "Nurse in Ohio"}, "not a dict"]
    out = list(score_records(rows, "profile"))
    assert [o.get("error") is None for o in out] == [True, False, True, False]
    first = out[0]
    assert {"id", "kind", "risk", "label", "signals", "evidence"} <= first.keys()
    assert first["kind"] == "profile" and first["id"] == "lisa"
    assert all({"id", "score"} <= s.keys() for s in first["signals"])
    ev = first["evidence"][0]
    assert {"signal", "source", "field", "start", "end", "quote"} <= ev.keys()
    assert out[1]["line"] == 2 and "'bio'" in out[1]["error"]
    assert out[2]["id"] == "7"
    json.dumps(out)  # serialisable


def test_score_lines_auto_kind_and_bad_json() -> None:
    lines = [
        json.dumps({"kind": "job_ad", "text": "Typing job in Bavet, telegram @a1"}),
        "",
        "{not json",
        json.dumps({"bio": "Forex trader", "display_name": "A"}),
        json.dumps([1]),
    ]
    out = list(score_lines(lines, "auto", batch_size=2))
    assert [o.get("kind") for o in out[:1]] == ["job_ad"]
    assert out[1]["line"] == 3 and "invalid JSON" in out[1]["error"]
    assert out[2]["kind"] == "profile"
    assert out[3]["line"] == 5 and "JSON object" in out[3]["error"]


def test_bad_kind_is_refused() -> None:
    from scamlens.errors import ScamlensError

    with pytest.raises(ScamlensError):
        list(score_records([{"bio": "x"}], "dating"))
