"""A logistic-regression head on sentence embeddings: P(scam script | one message).

Stored as plain arrays (`head.npz`, written with fixed zip timestamps and loaded with
allow_pickle=False) plus JSON metadata (`head.json`), so equal heads give equal bytes and a head
file can never run code. Inference is numpy only.

`calib_x`/`calib_y` hold a monotone piecewise-linear map from the head's probability to the
char-n-gram text model's score scale (the scale the shipped risk model was fitted on); empty
arrays mean no map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scamlens.errors import ScamlensError
from scamlens.scoring.textmodel import write_npz

HEAD_FORMAT = 1


class HeadError(ScamlensError):
    """A head file is missing, malformed or does not fit the encoder."""


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0))), dtype=np.float64)


@dataclass(frozen=True)
class EncoderHead:
    coef: NDArray[np.float32]  # (dim,)
    intercept: float
    calib_x: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    calib_y: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return int(self.coef.shape[0])

    def raw_proba(self, emb: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
        if emb.ndim != 2 or emb.shape[1] != self.dim:
            raise HeadError(f"head expects ({self.dim},)-vectors, got shape {emb.shape}")
        z = emb.astype(np.float64) @ self.coef.astype(np.float64) + self.intercept
        return _sigmoid(z)

    def calibrate(self, p: NDArray[np.float64]) -> NDArray[np.float64]:
        if self.calib_x.size == 0:
            return p
        return np.asarray(np.interp(p, self.calib_x, self.calib_y), dtype=np.float64)

    def predict(
        self, emb: NDArray[np.floating[Any]], calibrated: bool = True
    ) -> NDArray[np.float64]:
        p = self.raw_proba(emb)
        return self.calibrate(p) if calibrated else p

    def save(self, path: Path) -> tuple[Path, Path]:
        """Write `path` (.npz arrays) and the same name with .json (metadata)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "coef": self.coef.astype(np.float32),
            "intercept": np.array([self.intercept], dtype=np.float64),
            "calib_x": self.calib_x.astype(np.float64),
            "calib_y": self.calib_y.astype(np.float64),
        }
        write_npz(path, arrays)
        meta_path = path.with_suffix(".json")
        meta = {"format": HEAD_FORMAT, "dim": self.dim, **self.meta}
        meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        return path, meta_path

    @classmethod
    def load(cls, path: Path) -> EncoderHead:
        meta_path = path.with_suffix(".json")
        try:
            with np.load(path, allow_pickle=False) as data:
                coef = np.asarray(data["coef"], dtype=np.float32)
                intercept = float(data["intercept"][0])
                cx = np.asarray(data["calib_x"], dtype=np.float64)
                cy = np.asarray(data["calib_y"], dtype=np.float64)
        except (OSError, KeyError, ValueError, IndexError) as exc:
            raise HeadError(f"{path}: not a valid encoder head ({exc})") from exc
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HeadError(f"{meta_path}: unreadable head metadata ({exc})") from exc
        if not isinstance(meta, dict):
            raise HeadError(f"{meta_path}: metadata must be a JSON object")
        if coef.ndim != 1 or meta.get("dim") != coef.shape[0]:
            raise HeadError(f"{path}: key 'coef' does not match 'dim' in {meta_path.name}")
        if cx.shape != cy.shape or (cx.size and np.any(np.diff(cx) <= 0)):
            raise HeadError(f"{path}: keys 'calib_x'/'calib_y' must be a strictly increasing map")
        meta.pop("format", None)
        meta.pop("dim", None)
        return cls(coef, intercept, cx, cy, meta)


def quantile_map(
    src: NDArray[np.float64], dst: NDArray[np.float64], points: int = 201
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A monotone map sending src's quantiles onto dst's (same samples, same class mix)."""
    q = np.linspace(0.0, 1.0, points)
    # Rounded first, so the stored map is short decimals and strictly increasing after dedup.
    xs = np.round(np.quantile(src, q), 10)
    ys = np.round(np.maximum.accumulate(np.quantile(dst, q)), 10)
    keep = np.concatenate([[True], np.diff(xs) > 0])
    xs, ys = xs[keep], ys[keep]
    # Anchor the ends so scores outside the training range stay in [0, 1] and monotone.
    if xs[0] > 0.0:
        xs, ys = np.concatenate([[0.0], xs]), np.concatenate([[0.0], ys])
    if xs[-1] < 1.0:
        xs, ys = np.concatenate([xs, [1.0]]), np.concatenate([ys, [1.0]])
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
