"""Fixtures: example chats analysed once per session, and synthetic chats."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from scamlens.model import Conversation, Message

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@lru_cache(maxsize=32)
def analysed(rel: str, me: str | None) -> tuple[Conversation, dict[str, Any]]:
    from scamlens.api import analyze_with_intel, load_chat
    from scamlens.report.jsonout import verdict_dict

    conv = load_chat(EXAMPLES / rel, me=me)
    # No intelligence store in tests: the builder extracts indicators itself.
    return conv, verdict_dict(analyze_with_intel(conv, use_intel=False))


@pytest.fixture(scope="session")
def en_scam() -> tuple[Conversation, dict[str, Any]]:
    return analysed("scam/05a-withdrawal-blocked-telegram/result.json", "Karen Mitchell")


@pytest.fixture(scope="session")
def zh_scam() -> tuple[Conversation, dict[str, Any]]:
    return analysed("scam/06-shazhupan-whatsapp-android-zh.txt", "晓雯")


@pytest.fixture(scope="session")
def benign() -> tuple[Conversation, dict[str, Any]]:
    return analysed("benign/10-long-distance-couple-whatsapp-ios.txt", "Hannah Price")


def chat(lines: list[tuple[str, str]], me: str = "Karen Mitchell") -> Conversation:
    """A conversation from (sender, text) pairs, one minute apart."""
    t0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    msgs = tuple(
        Message(
            index=i,
            sender=s,
            text=t,
            timestamp=t0 + timedelta(minutes=i),
            is_user=(s == me),
            source_line=i + 1,
        )
        for i, (s, t) in enumerate(lines)
    )
    return Conversation(
        messages=msgs,
        source_format="plain-named",
        participants=tuple(dict.fromkeys(s for s, _ in lines)),
        me=me,
        me_method="--me",
        platform="telegram",
    )


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Text of a PDF via pdftotext; skips the calling test when poppler is absent."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    src = tmp_path / "r.pdf"
    src.write_bytes(data)
    out = subprocess.run([tool, "-enc", "UTF-8", str(src), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def cjk_extractable() -> bool:
    """pdftotext maps the built-in CJK font's codes back to text only with poppler-data."""
    return any(
        Path(d, "Adobe-GB1").is_dir()
        for d in ("/usr/share/poppler/cMap", "/usr/local/share/poppler/cMap")
    )
