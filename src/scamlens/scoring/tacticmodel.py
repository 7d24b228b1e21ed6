"""Message-level tactic model: one logistic head per tactic over hashed character n-grams.

Multi-label: a message may show several tactics at once. The heads read the same hashed
2–4-grams as the text model, folded into a smaller space (bucket mod `n_features`; the text
model's 2^20 buckets fold exactly because both are powers of two), so one hashing pass serves
both models. Weights are stored sparse (indices + float16 values) in a .npz of plain arrays with
fixed zip timestamps, loaded with allow_pickle=False: equal models give equal bytes, and a model
file can never run code.

Each head has a threshold chosen on out-of-fold data for precision; below it the head stays
silent. The engine turns a head at or above its threshold into `Evidence` with source
"model:<model id>", only where no rule found that tactic in the same message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scamlens.errors import ScamlensError
from scamlens.scoring.textmodel import make_vectorizer, write_npz
from scamlens.text.normalize import fold

TACTIC_FEATURES = 2**16


def fold_features(x: sparse.csr_matrix, n_features: int) -> sparse.csr_matrix:
    """Map a hashed matrix onto `n_features` buckets (a power of two dividing its width).

    Duplicate column entries are left in place: a sparse-dense product sums them.
    """
    if x.shape[1] == n_features:
        return x
    if x.shape[1] % n_features:
        raise ValueError("hash spaces must be powers of two, the smaller dividing the larger")
    idx = (x.indices & (n_features - 1)).astype(np.int32)
    return sparse.csr_matrix((x.data, idx, x.indptr), shape=(x.shape[0], n_features))


@dataclass(frozen=True)
class TacticModel:
    model_id: str
    tactics: tuple[str, ...]
    coef: NDArray[np.float32]  # (n_features, n_tactics), dense in memory
    intercepts: NDArray[np.float64]  # (n_tactics,)
    thresholds: NDArray[np.float64]  # (n_tactics,); > 1 means the head is switched off
    meta: dict[str, Any]

    def __post_init__(self) -> None:
        # Heads above 1 can never fire; the engine scores only the others, from a contiguous
        # copy of their columns (fewer bytes fetched per n-gram: about half the time).
        live = np.flatnonzero(self.thresholds <= 1.0)
        object.__setattr__(self, "_live", live)
        object.__setattr__(self, "_live_coef", np.ascontiguousarray(self.coef[:, live]))

    @property
    def n_features(self) -> int:
        return int(self.coef.shape[0])

    def firing_proba(self, x: sparse.csr_matrix) -> NDArray[np.float64]:
        """Like `proba_hashed`, but heads that can never fire (threshold > 1) read 0.

        The other columns equal `proba_hashed`'s bit for bit: each column is its own sum, in
        the same order.
        """
        live: NDArray[np.intp] = object.__getattribute__(self, "_live")
        if x.shape[0] == 0 or live.size == 0:
            return np.zeros((x.shape[0], len(self.tactics)), dtype=np.float64)
        return self.firing_proba_from_dot(fold_features(x, self.n_features) @ self.live_coef())

    def live_coef(self) -> NDArray[np.float32]:
        """The live heads' weights, (n_features, live heads) C-contiguous (do not write)."""
        coef: NDArray[np.float32] = object.__getattribute__(self, "_live_coef")
        return coef

    def firing_proba_from_dot(self, dot: NDArray[np.float32]) -> NDArray[np.float64]:
        """`firing_proba` from the float32 product of the folded matrix and `live_coef()`
        (the fused kernel's): the same intercepts and sigmoid."""
        live: NDArray[np.intp] = object.__getattribute__(self, "_live")
        out = np.zeros((dot.shape[0], len(self.tactics)), dtype=np.float64)
        if dot.shape[0] == 0 or live.size == 0:
            return out
        z = np.asarray(dot, dtype=np.float64)
        z += self.intercepts[live]
        z = np.minimum(np.maximum(z, -30), 30)  # np.clip's arithmetic, without its wrapper
        out[:, live] = 1.0 / (1.0 + np.exp(-z))
        return out

    def proba_hashed(self, x: sparse.csr_matrix) -> NDArray[np.float64]:
        """P(tactic | text) for each row of a hashed matrix (any power-of-two width)."""
        if x.shape[0] == 0:
            return np.zeros((0, len(self.tactics)), dtype=np.float64)
        z = np.asarray(fold_features(x, self.n_features) @ self.coef, dtype=np.float64)
        z += self.intercepts
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)

    def predict_proba(self, texts: Sequence[str], folded: bool = False) -> NDArray[np.float64]:
        ft = list(texts) if folded else [fold(t) for t in texts]
        return self.proba_hashed(make_vectorizer(self.n_features).transform(ft))

    def save(self, path: Path) -> None:
        # Row-major: index = feature * n_tactics + tactic. Weights that round to zero in half
        # precision are dropped, so loading and saving again gives the same bytes.
        half = self.coef.ravel().astype(np.float16)
        nz = np.flatnonzero(half).astype(np.int64)
        meta = json.dumps({"model_id": self.model_id, **self.meta}, sort_keys=True).encode()
        names = "\n".join(self.tactics).encode()
        write_npz(
            path,
            {
                "shape": np.array(self.coef.shape, dtype=np.int64),
                "indices": nz,
                "values": half[nz],
                "intercepts": self.intercepts.astype(np.float64),
                "thresholds": self.thresholds.astype(np.float64),
                "tactics": np.frombuffer(names, dtype=np.uint8),
                "meta": np.frombuffer(meta, dtype=np.uint8),
            },
        )

    @classmethod
    def load(cls, path: Path) -> TacticModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                rows, cols = (int(v) for v in data["shape"])
                flat = np.zeros(rows * cols, dtype=np.float32)
                flat[data["indices"]] = data["values"].astype(np.float32)
                intercepts = np.asarray(data["intercepts"], dtype=np.float64)
                thresholds = np.asarray(data["thresholds"], dtype=np.float64)
                tactics = tuple(bytes(data["tactics"]).decode().split("\n"))
                meta = json.loads(bytes(data["meta"]).decode())
            if rows & (rows - 1) or len(tactics) != cols or intercepts.shape != (cols,):
                raise ValueError("inconsistent shapes")
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ScamlensError(f"{path}: not a valid scamlens tactic model ({exc})") from exc
        model_id = str(meta.pop("model_id", path.stem))
        return cls(model_id, tactics, flat.reshape(rows, cols), intercepts, thresholds, meta)
