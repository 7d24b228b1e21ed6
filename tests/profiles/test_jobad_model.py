"""The job-ad model file: safe format, round trip, determinism, and the shipped model."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from scamlens.errors import ScamlensError
from scamlens.profiles.jobad_model import (
    META_FEATURES,
    JobAdModel,
    ad_text,
    default_model,
    meta_vector,
)
from scamlens.profiles.model import JobAd
from scamlens.profiles.train_jobad import (
    compound_eval_set,
    f1_threshold,
    fit_ours,
    group_of,
    labels,
    metrics,
    own_examples,
)


def test_meta_vector_unknown_flags_are_neutral() -> None:
    bare = meta_vector(JobAd(id=None, description="typing job"))
    assert bare.shape == (len(META_FEATURES),) and not bare.any()
    board = meta_vector(
        JobAd(id=None, title="x", has_company_logo=False, employment_type="Full-time")
    )
    names = dict(zip(META_FEATURES, board, strict=True))
    assert names["logo_no"] == 1 and names["logo_yes"] == 0 and names["no_salary"] == 1


def test_ad_text_joins_fields() -> None:
    ad = JobAd(id=None, title="T", description="D", contact="C")
    assert ad_text(ad) == "T\nD\nC"


def test_own_examples_are_deterministic_and_grouped() -> None:
    a, b = own_examples(7), own_examples(7)
    assert a == b and len(a) > 300
    assert {x.label for x in a} == {0, 1}
    assert own_examples(8) != a
    assert group_of(a[0]) == group_of(a[1]) != group_of(a[-1])


def test_eval_set_is_separate_and_bilingual() -> None:
    items = compound_eval_set()
    assert {lang for _, lang in items} == {"en", "zh"}
    assert sum(a.label == 1 for a, _ in items) == sum(a.label == 0 for a, _ in items)
    train_text = {ad_text(a) for a in own_examples(7)}
    assert not any(ad_text(a) in train_text for a, _ in items)


def test_fit_save_load_round_trip(tmp_path: Path) -> None:
    ads = own_examples(7, per_template=2)
    model = fit_ours(ads, labels(ads), 10.0)
    p1, p2 = tmp_path / "a.npz", tmp_path / "b.npz"
    model.save(p1)
    model.save(p2)
    assert p1.read_bytes() == p2.read_bytes()  # fixed zip timestamps: same model, same bytes
    loaded = JobAdModel.load(p1)
    assert loaded.model_id == model.model_id
    np.testing.assert_allclose(loaded.predict_proba(ads), model.predict_proba(ads), rtol=1e-5)
    assert loaded.text_proba(["typing job"]).shape == (1,)
    assert loaded.decision([]).shape == (0,)


def test_load_refuses_pickles_and_junk(tmp_path: Path) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(ScamlensError, match="not a valid"):
        JobAdModel.load(junk)
    pickled = tmp_path / "pickled.npz"
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(pickled, "w") as zf:
        for name in ("n_features", "indices", "values", "meta_coef", "intercept", "meta"):
            zf.writestr(f"{name}.npy", buf.getvalue())
    with pytest.raises(ScamlensError):
        JobAdModel.load(pickled)


def test_metrics_and_threshold() -> None:
    y = np.array([0, 0, 1, 1])
    p = np.array([0.1, 0.6, 0.4, 0.9])
    m = metrics(y, p, 0.5)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (1, 1, 1, 1)
    assert m["fpr"] == 0.5 and m["precision"] == 0.5
    assert 0.1 <= f1_threshold(y, p) <= 0.9


def test_shipped_model_loads_and_separates_the_examples() -> None:
    model = default_model()
    assert model is not None
    assert model.model_id.endswith("-own")
    assert 0 < model.threshold < 1
    lure = JobAd(id=None, title="打字员", description="西港高薪招聘打字员，包机票，联系飞机@hr1")
    legit = JobAd(
        id=None,
        title="Backend engineer",
        description="Go and PostgreSQL, hybrid work, apply on our careers page",
    )
    p_lure, p_legit = model.predict_proba([lure, legit])
    assert p_lure > model.threshold > p_legit


def test_ngram_settings_travel_with_the_model(tmp_path: Path) -> None:
    from dataclasses import replace

    ads = own_examples(7, per_template=1)
    model = replace(fit_ours(ads, labels(ads), 1.0), ngram_range=(2, 4))
    path = tmp_path / "m.npz"
    model.save(path)
    assert JobAdModel.load(path).ngram_range == (2, 4)
