"""A tiny randomly initialised BERT written to disk, so tests never need the 90 MB model."""

from __future__ import annotations

from pathlib import Path

import pytest

_WORDS = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "usdt", "deposit", "profit",
    "withdraw", "tax", "my", "dear", "good", "morning", "the", "platform", "uncle", "invest",
    "a", "b", "c", "d", "e", "i", "o", "s", "t", ".", ",", "!", "?", "##s", "##ing",
    "你", "好", "投", "资", "平", "台", "提", "现", "税", "早", "安", "亲", "爱", "的",
]  # fmt: skip


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch = pytest.importorskip("torch", exc_type=ImportError)
    transformers = pytest.importorskip("transformers", exc_type=ImportError)
    out = tmp_path_factory.mktemp("tiny-bert")
    vocab = out / "vocab.txt"
    vocab.write_text("\n".join(_WORDS) + "\n", encoding="utf-8")
    tok = transformers.BertTokenizer(vocab_file=str(vocab), do_lower_case=True)
    tok.save_pretrained(str(out))
    config = transformers.BertConfig(
        vocab_size=len(_WORDS),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(str(out))
    return out
