"""Advice text must agree with the verdict it comes with."""

from __future__ import annotations

import pytest

from scamlens.model import Stage
from scamlens.scoring.advice import advice_for


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("label", ["suspicious", "scam"])
def test_flagged_without_a_stage_does_not_say_nothing_was_found(label: str, lang: str) -> None:
    benign = advice_for(None, "benign", lang)
    flagged = advice_for(None, label, lang)
    assert flagged.what_happens_next != benign.what_happens_next
    assert flagged.next_steps != benign.next_steps
    assert "early" not in flagged.summary and "阶段" not in flagged.summary


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flagged_with_a_stage_names_it(lang: str) -> None:
    a = advice_for(Stage.ESCALATION, "scam", lang)
    assert Stage.ESCALATION.display in a.summary
    b = advice_for(Stage.ESCALATION, "benign", lang)
    assert a.what_happens_next != b.what_happens_next


def test_benign_says_nothing_was_found() -> None:
    assert "Nothing in this chat" in advice_for(None, "benign", "en").what_happens_next


def test_benign_in_another_language_does_not_reassure() -> None:
    other = advice_for(None, "benign", "other")
    assert "not in English or Chinese" in other.summary
    assert "No clear sign" not in other.summary
    assert advice_for(None, "benign", "en").summary.startswith("No clear sign")
    # flagged chats in another language keep the flagged wording
    assert "pig-butchering" in advice_for(Stage.ESCALATION, "scam", "other").summary
