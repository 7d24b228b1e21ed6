"""The Python API: load a chat, analyse it, score a text. Adapters call these."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from scamlens.model import Conversation, Indicator, IntelHit, Verdict
from scamlens.scoring.engine import Engine, IntelChecker, default_engine


def load_chats(
    path: str | Path, *, fmt: str | None = None, me: str | None = None
) -> list[Conversation]:
    """Every conversation in a chat export (auto-detected format)."""
    from scamlens.ingest import load_chats as _load

    return _load(path, fmt=fmt, me=me)


load_chats_safe = load_chats


def load_chat(path: str | Path, *, fmt: str | None = None, me: str | None = None) -> Conversation:
    """The one conversation in a chat export."""
    from scamlens.ingest import load_chat as _load

    return _load(path, fmt=fmt, me=me)


def analyze(
    conversation: Conversation, *, lang: str = "auto", engine: Engine | None = None
) -> Verdict:
    """Risk, stage, timeline, tactics with evidence, and advice for one conversation."""
    return (engine or default_engine()).analyze(conversation, lang=lang)


def score_text(text: str, *, lang: str = "auto", engine: Engine | None = None) -> Verdict:
    """The same verdict for one free text: a message, a pasted chat, a victim's account."""
    return (engine or default_engine()).score_text(text, lang=lang)


@lru_cache(maxsize=8)
def _intel_checker(db: str | None) -> IntelChecker:
    from scamlens.intel import IntelStore

    store = IntelStore.open(db)

    def check(indicators: Sequence[Indicator]) -> dict[tuple[str, str], list[IntelHit]]:
        return store.check(indicators)

    return check


def intel_engine(
    db: str | None = None, *, use_intel: bool = True, base: Engine | None = None
) -> Engine:
    """`base` (default: the shipped engine) with indicator extraction and intelligence lookups."""
    base = base or default_engine()
    if not use_intel:
        return base
    from scamlens.indicators import extract_conversation

    return base.with_intel(extract_conversation, _intel_checker(db))


def analyze_with_intel(
    conversation: Conversation,
    *,
    lang: str = "auto",
    db: str | None = None,
    use_intel: bool = True,
    engine: Engine | None = None,
) -> Verdict:
    return intel_engine(db, use_intel=use_intel, base=engine).analyze(conversation, lang=lang)
