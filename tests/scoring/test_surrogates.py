"""Lone surrogates (valid in JSON escapes, invalid in UTF-8) must not crash scoring."""

from scamlens.model import Conversation, Message
from scamlens.scoring.engine import default_engine
from scamlens.text.normalize import fold, fold_map


def test_fold_marks_lone_surrogates() -> None:
    text = "a\ud800b\udfffc"
    assert fold(text) == "a\ufffdb\ufffdc"
    assert len(fold_map(text)) == len(fold(text)) + 1


def test_engine_scores_text_with_lone_surrogates() -> None:
    engine = default_engine()
    results = engine.score_batch(["hello \ud800 world", "pay the 20% tax \udfff to withdraw"])
    # Scored like the same text with U+FFFD in place of the surrogate.
    again = engine.score_batch(["hello \ufffd world", "pay the 20% tax \ufffd to withdraw"])
    assert [r.risk for r in results] == [r.risk for r in again]
    conv = Conversation(
        messages=(Message(0, "x", "you must pay the 20% tax \ud800 before you withdraw"),),
        source_format="text",
    )
    assert engine.analyze(conv).risk >= 0.0
