"""A tiny cross-validation run: every piece wired, no test text in any training input."""

from pathlib import Path

from scamlens.evaluation import protocol
from scamlens.evaluation.report import write_report
from scamlens.train.fit import TrainInputs, collect_samples


def test_cv_smoke_no_test_text_in_training(tmp_path: Path) -> None:
    inputs = TrainInputs(seed=3, n_messages=240, n_conversations=30)
    samples = collect_samples(inputs)
    sec, info = protocol.cross_validation(samples, inputs, 2, lambda _m: None)
    assert info["exact_text_overlap"] == 0
    assert info["tfidf_fit_overlap"] == 0  # the TF-IDF vocabulary never saw a test text
    assert set(sec.scored) == {"shipped", "rules", "tfidf"}
    assert all(len(v) == len(sec.items) for v in sec.scored.values())
    out = write_report([sec], tmp_path, title="smoke")
    assert (tmp_path / "cv.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| all | shipped |" in out["md"].read_text("utf-8")
