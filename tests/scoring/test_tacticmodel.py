"""The tactic model: safe, byte-stable files; one hashing pass; evidence only beyond the rules."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from scamlens.detect.rulepack import load_rulepack
from scamlens.errors import ScamlensError
from scamlens.model import Conversation, Message, Stage
from scamlens.scoring.engine import Engine, _resource, default_engine
from scamlens.scoring.features import (
    FEATURE_NAMES,
    SEQUENCE_NAMES,
    build_features,
    sequence_features,
)
from scamlens.scoring.tacticmodel import TacticModel, fold_features
from scamlens.scoring.textmodel import make_vectorizer

TEXTS = ["Pay the unlock fee today", "good morning dear", "提现需要先交个人所得税"]


def _model(threshold: float = 0.5, bias: float = 5.0) -> TacticModel:
    tactics = ("withdrawal_tax", "daily_care")
    rng = np.random.default_rng(0)
    coef = (rng.standard_normal((2**10, 2)) * 0.1).astype(np.float32)
    return TacticModel(
        "test-tactics",
        tactics,
        coef,
        np.array([bias, -bias]),
        np.array([threshold, 2.0]),
        {"seed": 0},
    )


def test_round_trip_is_byte_identical(tmp_path: Path) -> None:
    m = _model()
    m.save(tmp_path / "a.npz")
    back = TacticModel.load(tmp_path / "a.npz")
    back.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert back.tactics == m.tactics and back.model_id == "test-tactics"
    np.testing.assert_allclose(back.predict_proba(TEXTS), m.predict_proba(TEXTS), atol=1e-3)


def test_shipped_tactic_model_round_trips(tmp_path: Path) -> None:
    shipped = _resource("tactic_model.npz")
    TacticModel.load(shipped).save(tmp_path / "t.npz")
    digest = hashlib.sha256((tmp_path / "t.npz").read_bytes()).hexdigest()
    assert digest == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert shipped.stat().st_size < 10 * 2**20


def test_pickled_or_broken_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "evil.npz"
    np.savez(bad, shape=np.array([4, 1]), indices=np.array([object()], dtype=object))
    with pytest.raises(ScamlensError, match="not a valid scamlens tactic model"):
        TacticModel.load(bad)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ScamlensError):
        TacticModel.load(tmp_path / "junk.npz")


def test_folding_the_text_model_hash_matches_direct_hashing() -> None:
    m = _model(bias=0.0)
    big = make_vectorizer().transform(TEXTS)
    folded = fold_features(big, 2**10)
    small = make_vectorizer(2**10).transform(TEXTS)
    # The same buckets; only the row norms differ where 2^20 buckets collide in 2^10.
    assert (folded != 0).sum() >= 1
    np.testing.assert_allclose(m.proba_hashed(big), m.proba_hashed(small), atol=0.02)
    with pytest.raises(ValueError):
        fold_features(big, 3)


def _engine(tm: TacticModel) -> Engine:
    base = default_engine()
    return Engine(load_rulepack(), base.text_model, base.risk_model, tactic_model=tm)


def test_model_evidence_only_where_no_rule_fired() -> None:
    eng = _engine(_model())
    v = eng.score_text("my cousin says the platform is very good")
    model_ev = [e for t in v.tactics for e in t.evidence if e.source.startswith("model:")]
    assert [e.tactic for e in model_ev] == ["withdrawal_tax"]
    ev = model_ev[0]
    assert ev.source == "model:test-tactics" and 0 < ev.score < 0.95
    assert ev in v.model_evidence
    assert v.versions["tactic_model"] == "test-tactics"
    ruled = eng.score_text("To withdraw you must first pay the 20% personal income tax")
    sources = [e.source for t in ruled.tactics if t.id == "withdrawal_tax" for e in t.evidence]
    assert sources and all(s.startswith("rule:") for s in sources)
    # The batch scorer reads the same evidence as a single analysis.
    batch = eng.score_batch(["my cousin says the platform is very good"])[0]
    assert batch.risk == v.risk and "withdrawal_tax" in dict(batch.tactics)


def test_silent_heads_add_nothing() -> None:
    eng = _engine(_model(threshold=2.0))
    v = eng.score_text("my cousin says the platform is very good")
    assert not any(e.source.startswith("model:test") for t in v.tactics for e in t.evidence)


T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _msgs(spec: list[tuple[bool | None, float]]) -> list[Message]:
    return [
        Message(i, "me" if u else "other", f"m{i}", T0 + timedelta(days=d), is_user=u)
        for i, (u, d) in enumerate(spec)
    ]


def test_sequence_features() -> None:
    assert FEATURE_NAMES[-len(SEQUENCE_NAMES) :] == SEQUENCE_NAMES
    msgs = _msgs([(False, 0), (True, 0.1), (False, 1), (False, 5), (True, 6)])
    events = [(0, Stage.CONTACT), (2, Stage.OFF_PLATFORM), (3, Stage.INVESTMENT_PIVOT)]
    f = dict(zip(SEQUENCE_NAMES, sequence_features(msgs, events), strict=True))
    assert f["other_share"] == pytest.approx(0.6)
    assert f["money_from_other"] == 1.0 and f["off_platform_first"] == 1.0
    assert f["days_to_money"] == pytest.approx(np.log1p(5))
    assert f["stage_order"] == 1.0 and f["span_days"] == pytest.approx(np.log1p(6))
    assert f["timed"] == 1.0
    bare = [Message(m.index, m.sender, m.text, None, is_user=m.is_user) for m in msgs]
    h = dict(zip(SEQUENCE_NAMES, sequence_features(bare, events), strict=True))
    assert h["timed"] == 0.0 and h["span_days"] == 0.0 and h["burstiness"] == 0.0
    assert h["other_share"] == f["other_share"] and h["stage_order"] == f["stage_order"]
    back = [(0, Stage.INVESTMENT_PIVOT), (3, Stage.CONTACT)]
    g = dict(zip(SEQUENCE_NAMES, sequence_features(msgs, back), strict=True))
    assert g["stage_order"] == 0.0 and g["off_platform_first"] == 0.0
    assert g["days_to_money"] == 0.0
    assert sequence_features(msgs[:1], events) == [0.0] * len(SEQUENCE_NAMES)
    naive = [Message(0, "a", "x", datetime(2024, 1, 1)), Message(1, "b", "y", T0)]
    assert len(sequence_features(naive, [(1, Stage.ONBOARDING)])) == len(SEQUENCE_NAMES)


def test_conversation_without_speakers_or_times() -> None:
    conv = Conversation(
        messages=tuple(Message(i, None, t) for i, t in enumerate(TEXTS)), source_format="text"
    )
    a = default_engine().conversation_features(conv)
    assert a.features.shape == (len(FEATURE_NAMES),) and np.isfinite(a.features).all()


def test_model_frac_is_the_mean_probability() -> None:
    """A smooth share: one message crossing 0.5 moves it by its own change, not a step."""
    frac = FEATURE_NAMES.index("model_frac")
    low = build_features([], [0.49, 0.1, 0.1], 0.0, 0.0, 3, single_text=False)
    high = build_features([], [0.51, 0.1, 0.1], 0.0, 0.0, 3, single_text=False)
    assert low[frac] == pytest.approx(0.23) and high[frac] == pytest.approx(0.71 / 3)
    assert build_features([], [], 0.0, 0.0, 0, single_text=False)[frac] == 0.0
