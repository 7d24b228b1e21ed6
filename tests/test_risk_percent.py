"""Risk is printed the same way everywhere, and never as a certainty the model does not give."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.report.percent import risk_percent


@pytest.mark.parametrize(
    ("risk", "shown"),
    [
        (None, "0%"),
        (0.0, "0%"),
        (0.0004, "<1%"),
        (0.00499, "<1%"),
        (0.005, "1%"),  # round half to even would give 0; 0.5 % is at least "1%"
        (0.37, "37%"),
        (0.994, "99%"),
        (0.995, ">99%"),
        (0.99986, ">99%"),
        (1.0, "100%"),
    ],
)
def test_risk_percent(risk: float | None, shown: str) -> None:
    assert risk_percent(risk) == shown


def test_a_scam_chat_never_reads_100_percent(capsys: pytest.CaptureFixture[str]) -> None:
    """Example 06 (a Chinese scam chat) scores over 0.995: both reports say ">99%"."""
    from dataclasses import replace

    from scamlens.api import analyze, load_chat
    from scamlens.cli import main
    from scamlens.report.html import render_html

    chat = (
        Path(__file__).resolve().parents[1] / "examples/scam/06-shazhupan-whatsapp-android-zh.txt"
    )
    conv = load_chat(chat)
    v = analyze(conv)
    assert 0.995 <= v.risk < 1.0
    html = render_html([("chat", conv, v)])
    assert "risk <strong>&gt;99%</strong>" in html and 'aria-label="risk &gt;99%"' in html
    assert "<strong>100%</strong>" not in html
    assert main(["scan", str(chat), "--no-intel"]) == 0
    out = capsys.readouterr().out
    assert ">99%  SCAM" in out and "100%  SCAM" not in out
    low = replace(v, risk=0.0031)
    assert "risk <strong>&lt;1%</strong>" in render_html([("chat", conv, low)])
