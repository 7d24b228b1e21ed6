"""The learned job-ad model: logistic regression over hashed character n-grams of the ad's
text plus a few job-board metadata flags. Plain arrays in a .npz (loaded with
allow_pickle=False), like scamlens.scoring.textmodel, so a model file can never run code.

The n-gram settings are stored in the model file and used as stored, so a model keeps reading
text the way it was trained whatever the defaults of a later version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from scamlens.errors import ScamlensError
from scamlens.profiles.model import JobAd
from scamlens.scoring.textmodel import write_npz
from scamlens.text.normalize import fold

N_FEATURES = 2**19
NGRAM_RANGE = (1, 4)  # character n-grams within words (char_wb); Chinese single hanzi count
DEFAULT_MODEL = "jobad_charngram.npz"
META_FEATURES = (
    "logo_yes",
    "logo_no",
    "questions_yes",
    "questions_no",
    "telecommuting_yes",
    "telecommuting_no",
    "no_company_profile",
    "no_salary",
    "no_employment_type",
    "no_required_experience",
    "no_required_education",
    "no_requirements",
    "no_benefits",
)


def ad_text(ad: JobAd) -> str:
    """The text the model reads: every text field, one per line, then the categorical fields."""
    parts = [
        ad.title,
        ad.location,
        ad.salary,
        ad.company,
        ad.company_profile,
        ad.description,
        ad.requirements,
        ad.benefits,
        ad.contact,
        ad.employment_type,
        ad.required_experience,
        ad.required_education,
        ad.industry,
        ad.function,
    ]
    return "\n".join(p for p in parts if p)


def meta_vector(ad: JobAd) -> NDArray[np.float32]:
    """Metadata features; a flag the source does not give is 0 on both of its sides, and the
    "missing field" features count only for job-board rows (a bare message has no fields)."""

    def two(flag: bool | None) -> tuple[float, float]:
        return (1.0 if flag is True else 0.0, 1.0 if flag is False else 0.0)

    structured = ad.structured
    missing = [
        not ad.company_profile,
        not ad.salary,
        not ad.employment_type,
        not ad.required_experience,
        not ad.required_education,
        not ad.requirements,
        not ad.benefits,
    ]
    values = [
        *two(ad.has_company_logo),
        *two(ad.has_questions),
        *two(ad.telecommuting),
        *(1.0 if (structured and m) else 0.0 for m in missing),
    ]
    return np.asarray(values, dtype=np.float32)


@lru_cache(maxsize=4)
def _vectorizer(n_features: int, ngram_range: tuple[int, int] = NGRAM_RANGE) -> HashingVectorizer:
    # Input is folded text (lower case already), so no lowercasing here.
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        n_features=n_features,
        alternate_sign=False,
        norm="l2",
        lowercase=False,
        dtype=np.float32,
    )


def design_matrix(
    ads: Sequence[JobAd],
    n_features: int = N_FEATURES,
    ngram_range: tuple[int, int] = NGRAM_RANGE,
) -> sparse.csr_matrix:
    """Hashed n-grams of the folded ad text, then the metadata columns."""
    text = _vectorizer(n_features, ngram_range).transform([fold(ad_text(a)) for a in ads])
    meta = sparse.csr_matrix(np.vstack([meta_vector(a) for a in ads]))
    return sparse.hstack([text, meta], format="csr")


@dataclass(frozen=True)
class JobAdModel:
    model_id: str
    coef: NDArray[np.float32]  # hashed text features, length n_features
    meta_coef: NDArray[np.float32]  # one per META_FEATURES
    intercept: float
    threshold: float  # operating threshold on the probability (chosen out-of-fold)
    meta: dict[str, Any] = field(default_factory=dict)
    ngram_range: tuple[int, int] = NGRAM_RANGE

    @property
    def n_features(self) -> int:
        return int(self.coef.shape[0])

    def decision(self, ads: Sequence[JobAd]) -> NDArray[np.float64]:
        if not ads:
            return np.zeros(0, dtype=np.float64)
        text = _vectorizer(self.n_features, self.ngram_range).transform(
            [fold(ad_text(a)) for a in ads]
        )
        meta = np.vstack([meta_vector(a) for a in ads]).astype(np.float64)
        z = np.asarray(text @ self.coef, dtype=np.float64) + meta @ self.meta_coef.astype(
            np.float64
        )
        return z + self.intercept

    def predict_proba(self, ads: Sequence[JobAd]) -> NDArray[np.float64]:
        return _sigmoid(self.decision(ads))

    def text_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Text-only probability of pieces of an ad (no metadata): ranks sentences for evidence."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        x = _vectorizer(self.n_features, self.ngram_range).transform([fold(t) for t in texts])
        return _sigmoid(np.asarray(x @ self.coef, dtype=np.float64) + self.intercept)

    def save(self, path: Path) -> None:
        """Write a .npz with fixed zip timestamps, so equal models give equal bytes."""
        nz = np.flatnonzero(self.coef).astype(np.int32)
        meta = json.dumps(
            {
                "model_id": self.model_id,
                "threshold": self.threshold,
                "meta_features": list(META_FEATURES),
                "ngram_range": list(self.ngram_range),
                **self.meta,
            },
            sort_keys=True,
        ).encode()
        arrays: dict[str, NDArray[Any]] = {
            "n_features": np.array([self.n_features], dtype=np.int64),
            "indices": nz,
            "values": self.coef[nz].astype(np.float32),
            "meta_coef": self.meta_coef.astype(np.float32),
            "intercept": np.array([self.intercept], dtype=np.float64),
            "meta": np.frombuffer(meta, dtype=np.uint8),
        }
        write_npz(path, arrays)

    @classmethod
    def load(cls, path: Path | Any) -> JobAdModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                n = int(data["n_features"][0])
                coef = np.zeros(n, dtype=np.float32)
                coef[data["indices"]] = data["values"]
                meta_coef = np.asarray(data["meta_coef"], dtype=np.float32)
                intercept = float(data["intercept"][0])
                meta = json.loads(bytes(data["meta"]).decode())
        except (OSError, KeyError, ValueError, IndexError) as exc:
            raise ScamlensError(f"{path}: not a valid scamlens job-ad model ({exc})") from exc
        names = meta.pop("meta_features", None)
        if names != list(META_FEATURES) or meta_coef.shape[0] != len(META_FEATURES):
            raise ScamlensError(f"{path}: job-ad model metadata features do not match this version")
        lo, hi = (int(v) for v in meta.pop("ngram_range", NGRAM_RANGE))
        if not 1 <= lo <= hi <= 8:
            raise ScamlensError(f"{path}: job-ad model has an invalid n-gram range")
        return cls(
            model_id=str(meta.pop("model_id", "jobad")),
            ngram_range=(lo, hi),
            coef=coef,
            meta_coef=meta_coef,
            intercept=intercept,
            threshold=float(meta.pop("threshold", 0.5)),
            meta=meta,
        )


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return out


def shipped_model_path() -> Any:
    return resources.files("scamlens").joinpath("resources", "models", DEFAULT_MODEL)


@lru_cache(maxsize=1)
def default_model() -> JobAdModel | None:
    """The shipped job-ad model, or None when this build has none."""
    node = shipped_model_path()
    if not node.is_file():
        return None
    with resources.as_file(node) as p:
        return JobAdModel.load(p)
