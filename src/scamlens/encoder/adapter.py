"""The encoder + head as the Engine's text model, and an engine built on it.

EncoderTextModel offers what the Engine reads from a TextModel (`model_id`, `meta`,
`predict_proba(texts, folded=...)`, and `transform` + `proba_hashed`), so the rules, the risk
model, the tactic model and every adapter stay as they are. `transform` still computes the
char-n-gram hashed matrix (a tactic model reads it) and carries the folded texts along for the
encoder. The Engine passes folded text; the head was trained on folded text too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scamlens.encoder.embed import Encoder
from scamlens.encoder.head import EncoderHead, HeadError
from scamlens.scoring.textmodel import TextModel, make_vectorizer
from scamlens.text.normalize import fold

if TYPE_CHECKING:  # the engine loads rules: import it only when an engine is built
    from scamlens.scoring.engine import Engine


def shipped_head_path() -> Path:
    return Path(str(resources.files("scamlens.encoder").joinpath("resources", "head.npz")))


class TextBatch(sparse.csr_matrix):  # type: ignore[misc]  # scipy has no stubs
    """The char-n-gram hashed matrix of a batch (for a tactic model sharing the hashing pass),
    carrying the folded texts themselves for the encoder."""

    folded_texts: tuple[str, ...] = ()


class EncoderTextModel:
    """P(scam script | message) from sentence embeddings and a trained head.

    Offers both text-model entry points the Engine has used: `predict_proba(texts, folded=)`
    and `transform(folded)` + `proba_hashed(batch)`.
    """

    def __init__(self, encoder: Encoder, head: EncoderHead, *, calibrated: bool = True) -> None:
        if head.dim != encoder.dim:
            raise HeadError(f"head dim {head.dim} does not match encoder dim {encoder.dim}")
        self.encoder = encoder
        self.head = head
        self.calibrated = calibrated and head.calib_x.size > 0
        self.model_id = str(head.meta.get("model_id", "encoder-head"))
        self.meta: dict[str, Any] = {**head.meta, "device": encoder.device}
        self._hasher = make_vectorizer()

    def proba_folded(self, folded_texts: Sequence[str]) -> NDArray[np.float64]:
        if len(folded_texts) == 0:
            return np.zeros(0, dtype=np.float64)
        return self.head.predict(self.encoder.embed(folded_texts), calibrated=self.calibrated)

    def predict_proba(self, texts: Sequence[str], folded: bool = False) -> NDArray[np.float64]:
        return self.proba_folded(list(texts) if folded else [fold(t) for t in texts])

    def transform(self, folded_texts: Sequence[str]) -> TextBatch:
        clean = [t.encode("utf-8", "replace").decode("utf-8") for t in folded_texts]
        batch = TextBatch(self._hasher.transform(clean))
        batch.folded_texts = tuple(folded_texts)
        return batch

    def proba_hashed(self, x: sparse.csr_matrix) -> NDArray[np.float64]:
        texts = getattr(x, "folded_texts", None)
        if texts is None or len(texts) != x.shape[0]:
            raise HeadError("the encoder text model scores only batches made by its transform()")
        return self.proba_folded(texts)

    def as_text_model(self) -> TextModel:
        """The same object typed as the Engine's TextModel (duck-typed: see module doc)."""
        return cast(TextModel, self)


def load_encoder_text_model(
    head_path: Path | None = None,
    *,
    model_dir: str | Path | None = None,
    device: str | None = None,
    batch_size: int = 64,
    threads: int | None = None,
    calibrated: bool = True,
) -> EncoderTextModel:
    head = EncoderHead.load(head_path or shipped_head_path())
    max_tokens = int(head.meta.get("max_tokens", 128))
    enc = Encoder(
        model_dir, device=device, batch_size=batch_size, max_tokens=max_tokens, threads=threads
    )
    return EncoderTextModel(enc, head, calibrated=calibrated)


@lru_cache(maxsize=4)
def encoder_engine(
    device: str | None = None, *, batch_size: int = 64, threads: int | None = None
) -> Engine:
    """The default engine (rules, risk model) with the encoder as its text model."""
    from scamlens.scoring.engine import default_engine

    return with_text_model(
        default_engine(),
        load_encoder_text_model(device=device, batch_size=batch_size, threads=threads),
    )


def with_text_model(base: Engine, text_model: EncoderTextModel) -> Engine:
    """A copy of `base` (rules, risk model, tactic model, intel) with another text model."""
    from scamlens.scoring.engine import Engine

    clone = Engine.__new__(Engine)
    clone.__dict__.update(base.__dict__)
    clone.text_model = text_model.as_text_model()
    return clone
