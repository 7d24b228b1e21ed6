"""A linear model over hashed character n-grams: P(scam script | text).

Character n-grams cover Chinese without segmentation and survive small spelling changes. The
model may weigh each bucket by its inverse document frequency (rows L2-normalised again):
without it, n-grams every text shares (particles, punctuation, "你好") crowd out the telling
ones, and the scores bunch up in the middle. The IDF is applied to the shared hashed matrix
(`transform`), so one hashing pass still serves this model and the tactic model. The model is
stored as plain arrays in a .npz file and loaded with allow_pickle=False, so a model file can
never run code.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scamlens.errors import ScamlensError
from scamlens.scoring.hashing import CharNgramHasher
from scamlens.text.normalize import fold

NGRAM_RANGE = (2, 4)  # single characters (a Chinese comma, one hanzi) only add noise
N_FEATURES = 2**20


def make_vectorizer(n_features: int = N_FEATURES) -> CharNgramHasher:
    # Input is folded text, so no lowercasing here.
    return CharNgramHasher(NGRAM_RANGE, n_features)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez_compressed, but with fixed zip timestamps: equal arrays, equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def smooth_idf(df: NDArray[np.int64], n_docs: int) -> NDArray[np.float32]:
    """sklearn's smoothed IDF, ln((1 + n) / (1 + df)) + 1: unseen buckets get the most."""
    return np.asarray(np.log((1.0 + n_docs) / (1.0 + df)) + 1.0, dtype=np.float32)


def document_frequency(x: sparse.csr_matrix) -> NDArray[np.int64]:
    """Texts holding each bucket (rows of a canonical CSR matrix: no repeated columns)."""
    return np.bincount(x.indices, minlength=x.shape[1]).astype(np.int64)


def weigh_idf(x: sparse.csr_matrix, idf: NDArray[np.float32]) -> sparse.csr_matrix:
    """Rows of `x` with each bucket scaled by its IDF, L2-normalised again.

    `x` holds L2-normalised counts; normalising is scale-free, so the result equals
    normalising the IDF-weighted counts themselves, as TfidfVectorizer does.
    """
    data = x.data * idf[x.indices]
    sq = np.zeros(x.shape[0], dtype=np.float64)
    filled = np.flatnonzero(np.diff(x.indptr))
    if filled.size:
        sq[filled] = np.add.reduceat(
            (data * data).astype(np.float64), x.indptr[filled].astype(np.intp)
        )
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    data = (data / np.repeat(norms, np.diff(x.indptr))).astype(np.float32)
    out = sparse.csr_matrix((data, x.indices, x.indptr), shape=x.shape, copy=False)
    out.has_canonical_format = True
    return out


@dataclass(frozen=True)
class TextModel:
    model_id: str
    coef: NDArray[np.float32]  # dense, length n_features
    intercept: float
    meta: dict[str, Any]
    idf: NDArray[np.float32] | None = None  # per-bucket weights; None: plain normalised counts

    def __post_init__(self) -> None:
        object.__setattr__(self, "_vec", make_vectorizer(int(self.coef.shape[0])))
        if self.idf is not None and self.idf.shape != self.coef.shape:
            raise ValueError("idf and coef must have one value per bucket")

    def features(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        """What the weights read: the shared hashed matrix, IDF-weighted if the model has it."""
        return x if self.idf is None else weigh_idf(x, self.idf)

    def hasher(self) -> CharNgramHasher:
        """The n-gram hasher behind `transform`."""
        vec: CharNgramHasher = object.__getattribute__(self, "_vec")
        return vec

    def transform(self, folded_texts: Sequence[str]) -> sparse.csr_matrix:
        """The hashed n-gram matrix of already folded texts (shared with the tactic model)."""
        vec: CharNgramHasher = object.__getattribute__(self, "_vec")
        return vec.transform(folded_texts)

    def decision_hashed(self, x: sparse.csr_matrix) -> NDArray[np.float64]:
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        return np.asarray(self.features(x) @ self.coef, dtype=np.float64) + self.intercept

    def proba_hashed(self, x: sparse.csr_matrix) -> NDArray[np.float64]:
        if x.shape[0] == 0:
            return np.zeros(0, dtype=np.float64)
        return self.proba_from_dot(self.features(x) @ self.coef)

    def proba_from_dot(self, dot: NDArray[np.float32]) -> NDArray[np.float64]:
        """`proba_hashed` from the float32 product `features(x) @ coef` (the fused kernel's)."""
        z = np.asarray(dot, dtype=np.float64) + self.intercept
        z = np.minimum(np.maximum(z, -30), 30)  # np.clip's arithmetic, without its wrapper
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def decision(self, folded_texts: Sequence[str]) -> NDArray[np.float64]:
        """Raw scores for already folded texts (batch for speed)."""
        if not folded_texts:
            return np.zeros(0, dtype=np.float64)
        return self.decision_hashed(self.transform(folded_texts))

    def predict_proba(self, texts: Sequence[str], folded: bool = False) -> NDArray[np.float64]:
        ft = list(texts) if folded else [fold(t) for t in texts]
        z = self.decision(ft)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def top_features(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The n-grams of `text` with the largest weights (for explanations); with IDF, the
        weight of one occurrence before the row is normalised (coefficient x IDF)."""
        vec: CharNgramHasher = object.__getattribute__(self, "_vec")
        ids = vec.ngram_ids(fold(text))
        w = self.coef if self.idf is None else self.coef * self.idf
        ranked = sorted(((g, float(w[i])) for g, i in ids.items()), key=lambda t: -t[1])
        return ranked[:k]

    def save(self, path: Path) -> None:
        """Write a .npz with fixed zip timestamps, so equal models give equal bytes."""
        nz = np.flatnonzero(self.coef).astype(np.int32)
        meta = json.dumps({"model_id": self.model_id, **self.meta}, sort_keys=True).encode()
        arrays: dict[str, np.ndarray] = {
            "n_features": np.array([self.coef.shape[0]], dtype=np.int64),
            "indices": nz,
            "values": self.coef[nz].astype(np.float32),
            "intercept": np.array([self.intercept], dtype=np.float64),
            "meta": np.frombuffer(meta, dtype=np.uint8),
        }
        if self.idf is not None:
            # The IDF takes few distinct values: store the most common one (unseen buckets)
            # and the buckets that differ from it.
            values, counts = np.unique(self.idf, return_counts=True)
            default = values[int(np.argmax(counts))]
            odd = np.flatnonzero(self.idf != default).astype(np.int32)
            arrays["idf_default"] = np.array([default], dtype=np.float32)
            arrays["idf_indices"] = odd
            arrays["idf_values"] = self.idf[odd].astype(np.float32)
        write_npz(path, arrays)

    @classmethod
    def load(cls, path: Path) -> TextModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                n = int(data["n_features"][0])
                coef = np.zeros(n, dtype=np.float32)
                coef[data["indices"]] = data["values"]
                intercept = float(data["intercept"][0])
                meta = json.loads(bytes(data["meta"]).decode())
                idf: NDArray[np.float32] | None = None
                if "idf_default" in data.files:
                    idf = np.full(n, data["idf_default"][0], dtype=np.float32)
                    idf[data["idf_indices"]] = data["idf_values"]
            model_id = str(meta.pop("model_id", path.stem))
            return cls(model_id=model_id, coef=coef, intercept=intercept, meta=meta, idf=idf)
        except (OSError, KeyError, ValueError, IndexError) as exc:
            raise ScamlensError(f"{path}: not a valid scamlens text model ({exc})") from exc
