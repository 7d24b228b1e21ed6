"""The bundled examples end to end: each imports as its manifest says and gets the right label.

The examples are development data written by the team (rules were tuned with them in view);
they are a regression check here, not an evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scamlens.api import analyze, load_chats
from scamlens.evaluation.data import as_pasted
from scamlens.model import Stage

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MANIFEST: list[dict[str, Any]] = yaml.safe_load((EXAMPLES / "MANIFEST.yaml").read_text())["files"]
CHATS = [e for e in MANIFEST if not str(e["path"]).startswith("texts/")]

# Known misses of the current rules and models, kept visible (strict xfail: a fix turns them
# into failures until this list is updated). See docs/evaluation.md, "Known weaknesses".
KNOWN_MISSES = {
    "scam/01-wrong-number-whatsapp-android.txt": "a 'limited window' line read as fattening",
    "scam/03-linkedin-mentor/messages.csv": "mentor pivot phrased without rule vocabulary",
    # benign/11-friends-investing-whatsapp-group.txt (friends warning about an aunt's scam) was
    # scam (1.00) until session 8, when the rules learnt two of its warnings ("real exchanges
    # take fees out of the balance", "and report to ic3.gov").
    # benign/15b-news-article-scam-warning.txt (an article retelling a scam step by step) was
    # scam (1.00) until session 8: a speakerless text that warns in two or more paragraphs is
    # now read as one author's report, its tactics and script language weighed as quoted.
    # benign/15a-bank-support-chat.txt (a bank's fraud questions quote scam tactics) was
    # suspicious (0.47) until session 7, when the conversation part read the text model's mean
    # probability instead of the share of messages at or above 0.5: 0.17 < 0.30 since.
    # benign/13-family-group-whatsapp-zh.txt was a known miss from issue 5 to session 3
    # (suspicious, 0.54: a forwarded warning's tactic words read as a lifecycle sequence). The
    # session-4 retrain (IDF text model; the conversation part refitted on its scores) scores it
    # benign (0.33 < 0.43), so it is an ordinary expectation again; margin is modest.
}


def _verdict_params() -> list[object]:
    out: list[object] = []
    for e in CHATS:
        reason = KNOWN_MISSES.get(str(e["path"]))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(e, marks=marks, id=str(e["path"])))
    return out


@pytest.mark.parametrize("entry", CHATS, ids=lambda e: str(e["path"]))
def test_example_imports_as_declared(entry: dict[str, Any]) -> None:
    convs = load_chats(EXAMPLES / entry["path"])
    assert len(convs) == 1
    conv = convs[0]
    assert conv.source_format == entry["format"]
    assert len(conv.messages) == entry["message_count"]
    if entry.get("me"):
        mine = load_chats(EXAMPLES / entry["path"], me=entry["me"])[0]
        assert mine.me == entry["me"] and mine.me_method == "--me"
        assert any(m.is_user for m in mine.messages)
        assert all(m.is_user == (m.sender == entry["me"]) for m in mine.messages if m.sender)


@pytest.mark.parametrize("entry", _verdict_params())
def test_example_verdict(entry: dict[str, Any]) -> None:
    conv = load_chats(EXAMPLES / entry["path"], me=entry.get("me"))[0]
    v = analyze(conv)
    if entry["label"] == "benign":
        assert v.label == "benign", [t.id for t in v.tactics]
    else:
        assert v.label != "benign", v.components
        expected = Stage(entry["expected_stage"])
        assert v.stage is not None
        # The reached stage may differ by one step from a human's reading.
        assert abs(v.stage.order - expected.order) <= 1, (v.stage, expected)


@pytest.mark.parametrize("entry", CHATS, ids=lambda e: str(e["path"]))
def test_example_pasted_copy_gets_the_same_label(entry: dict[str, Any]) -> None:
    """A chat copied from a screen has no timestamps; that alone must not change the verdict
    (nor move the risk much: the risk model learns timing as unknown, not as zero)."""
    conv = load_chats(EXAMPLES / entry["path"], me=entry.get("me"))[0]
    pasted = as_pasted(conv)
    assert all(m.timestamp is None for m in pasted.messages)
    exported, copied = analyze(conv), analyze(pasted)
    assert copied.label == exported.label
    assert abs(copied.risk - exported.risk) <= 0.15, (exported.risk, copied.risk)
