"""The calibrated risk model: bounded logistic regression plus an isotonic map, in two parts.

One part scores single texts (a message, a victim's account), the other whole conversations:
the same evidence weighs differently in each, and each is calibrated on its own kind of input.
Stored as JSON (weights, feature names, calibration points, thresholds): readable, diffable
and safe to load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scamlens.errors import ScamlensError
from scamlens.scoring.features import FEATURE_NAMES


@dataclass(frozen=True)
class RiskPart:
    weights: NDArray[np.float64]
    intercept: float
    mean: NDArray[np.float64]  # standardisation applied before the weights
    scale: NDArray[np.float64]
    calib_x: NDArray[np.float64]  # isotonic calibration: raw probability -> calibrated
    calib_y: NDArray[np.float64]
    scam_threshold: float  # risk at or above which the label is "scam"
    suspicious_threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def raw(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        z = ((np.atleast_2d(x) - self.mean) / self.scale) @ self.weights + self.intercept
        # minimum(maximum(.)) is np.clip's arithmetic (NaN included) without its Python wrapper
        z = np.minimum(np.maximum(z, -30), 30)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def risk(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        raw = self.raw(x)
        if self.calib_x.size == 0:
            return raw
        return np.asarray(np.interp(raw, self.calib_x, self.calib_y), dtype=np.float64)

    def label(self, risk: float) -> str:
        if risk >= self.scam_threshold:
            return "scam"
        if risk >= self.suspicious_threshold:
            return "suspicious"
        return "benign"

    def contributions(self, x: NDArray[np.float64]) -> dict[str, float]:
        """Each feature's push on the log-odds (for explanations)."""
        z = (np.asarray(x, dtype=np.float64) - self.mean) / self.scale * self.weights
        return {n: float(v) for n, v in zip(FEATURE_NAMES, z, strict=True)}

    def to_json(self) -> dict[str, Any]:
        def r(values: NDArray[np.float64]) -> list[float]:
            return [round(float(v), 8) for v in values]

        return {
            "weights": dict(zip(FEATURE_NAMES, r(self.weights), strict=True)),
            "intercept": round(self.intercept, 8),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "calibration": {"x": r(self.calib_x), "y": r(self.calib_y)},
            "thresholds": {
                "scam": round(self.scam_threshold, 6),
                "suspicious": round(self.suspicious_threshold, 6),
            },
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RiskPart:
        weights = data["weights"]
        if set(weights) != set(FEATURE_NAMES):
            raise ValueError("feature names differ from this version of scamlens")
        return cls(
            weights=np.asarray([weights[n] for n in FEATURE_NAMES], dtype=np.float64),
            intercept=float(data["intercept"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            calib_x=np.asarray(data["calibration"]["x"], dtype=np.float64),
            calib_y=np.asarray(data["calibration"]["y"], dtype=np.float64),
            scam_threshold=float(data["thresholds"]["scam"]),
            suspicious_threshold=float(data["thresholds"]["suspicious"]),
            meta=dict(data.get("meta", {})),
        )


@dataclass(frozen=True)
class RiskModel:
    model_id: str
    text: RiskPart  # single texts
    conversation: RiskPart  # two or more messages
    meta: dict[str, Any] = field(default_factory=dict)

    def part(self, single_text: bool) -> RiskPart:
        return self.text if single_text else self.conversation

    def save(self, path: Path) -> None:
        doc = {
            "model_id": self.model_id,
            "features": list(FEATURE_NAMES),
            "parts": {"text": self.text.to_json(), "conversation": self.conversation.to_json()},
            "meta": self.meta,
        }
        path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path) -> RiskModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if list(data["features"]) != list(FEATURE_NAMES):
                raise ValueError("feature names differ from this version of scamlens")
            return cls(
                model_id=str(data["model_id"]),
                text=RiskPart.from_json(data["parts"]["text"]),
                conversation=RiskPart.from_json(data["parts"]["conversation"]),
                meta=dict(data.get("meta", {})),
            )
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ScamlensError(f"{path}: not a valid scamlens risk model ({exc})") from exc
