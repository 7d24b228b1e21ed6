"""Model files: safe to load, byte-reproducible, and rebuilt identically from the same seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from scamlens.errors import ScamlensError
from scamlens.scoring.engine import _resource
from scamlens.scoring.risk import RiskModel
from scamlens.scoring.textmodel import TextModel
from scamlens.train.fit import train, write_models


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_shipped_text_model_round_trips_byte_identical(tmp_path: Path) -> None:
    shipped = _resource("text_model.npz")
    TextModel.load(shipped).save(tmp_path / "t.npz")
    assert _sha(tmp_path / "t.npz") == _sha(shipped)


def test_pickled_arrays_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "evil.npz"
    np.savez(bad, n_features=np.array([4]), indices=np.array([object()], dtype=object))
    with pytest.raises(ScamlensError, match="not a valid scamlens text model"):
        TextModel.load(bad)


def test_risk_model_rejects_other_features(tmp_path: Path) -> None:
    bad = tmp_path / "risk.json"
    bad.write_text('{"model_id": "x", "features": ["a"], "parts": {}}')
    with pytest.raises(ScamlensError, match="feature names differ"):
        RiskModel.load(bad)


def test_training_is_reproducible(tmp_path: Path) -> None:
    hashes = []
    for run in ("a", "b"):
        result = train(seed=3, n_messages=600, n_conversations=40, log=lambda _m: None)
        hashes.append(write_models(result, tmp_path / run))
    assert hashes[0] == hashes[1]
    model = RiskModel.load(tmp_path / "a" / "risk_model.json")
    assert 0.0 < model.text.suspicious_threshold <= model.text.scam_threshold <= 1.0
