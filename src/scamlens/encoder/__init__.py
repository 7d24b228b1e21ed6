"""Optional sentence-encoder text model (`pip install scamlens[transformer]`).

Importing this package loads nothing heavy (the CLI imports it for its flags); the scoring
engine, torch and transformers load on first use of the names below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scamlens.encoder.adapter import (
        EncoderTextModel,
        encoder_engine,
        load_encoder_text_model,
        shipped_head_path,
    )
    from scamlens.encoder.embed import Encoder, EncoderUnavailableError, select_device
    from scamlens.encoder.head import EncoderHead, HeadError

_WHERE = {
    "EncoderTextModel": "adapter",
    "encoder_engine": "adapter",
    "load_encoder_text_model": "adapter",
    "shipped_head_path": "adapter",
    "Encoder": "embed",
    "EncoderUnavailableError": "embed",
    "select_device": "embed",
    "EncoderHead": "head",
    "HeadError": "head",
}

__all__ = [
    "Encoder",
    "EncoderHead",
    "EncoderTextModel",
    "EncoderUnavailableError",
    "HeadError",
    "encoder_engine",
    "load_encoder_text_model",
    "select_device",
    "shipped_head_path",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'scamlens.encoder' has no attribute {name!r}")
    return getattr(importlib.import_module(f"scamlens.encoder.{_WHERE[name]}"), name)
