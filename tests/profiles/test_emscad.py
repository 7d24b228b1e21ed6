"""The EMSCAD job-ad file in ../shared/data (skipped when absent): it loads with the usual
field names, every row scores, and the held-out split is stratified and duplicate-safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.profiles import JobAd, JobAdScorer, load_items
from scamlens.profiles.train_jobad import group_of, heldout_split, labels

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def emscad(shared_data: Path) -> list[JobAd]:
    path = shared_data / "jobs" / "emscad-train.csv"
    if not path.is_file():
        pytest.skip("emscad-train.csv not in ../shared/data/jobs")
    items = load_items(path)
    assert all(isinstance(a, JobAd) for a in items)
    return [a for a in items if isinstance(a, JobAd)]


def test_loads_every_row_with_labels(emscad: list[JobAd]) -> None:
    assert len(emscad) > 1000
    assert {a.label for a in emscad} == {0, 1}
    assert all(a.structured and a.title for a in emscad)


def test_every_row_scores_with_evidence(emscad: list[JobAd]) -> None:
    verdicts = JobAdScorer().score_many(emscad[:300])
    for ad, v in zip(emscad[:300], verdicts, strict=True):
        assert 0 <= v.risk <= 1 and v.kind == "job_ad"
        fields = dict(ad.text_fields())
        for e in v.evidence:
            assert fields[str(e.note)][e.start : e.end] == e.quote


def test_heldout_split_is_stratified_and_grouped(emscad: list[JobAd]) -> None:
    train, test = heldout_split(emscad, 7)
    assert len(train) + len(test) == len(emscad)
    share = labels(test).mean()
    assert abs(share - labels(emscad).mean()) < 0.03
    assert 0.2 < len(test) / len(emscad) < 0.3
    assert not {group_of(a) for a in train} & {group_of(a) for a in test}
    again_train, _ = heldout_split(emscad, 7)
    assert [a.id for a in again_train] == [a.id for a in train]
