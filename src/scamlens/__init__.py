"""scamlens: catch pig-butchering scams early, offline, with evidence.

conv = scamlens.load_chat("chat.txt")
verdict = scamlens.analyze(conv)
scamlens.score_text("They said I must pay tax before I can withdraw")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Conversation",
    "Evidence",
    "Indicator",
    "IntelHit",
    "Message",
    "Stage",
    "TacticFinding",
    "Verdict",
    "__version__",
    "analyze",
    "load_chat",
    "load_chats",
    "score_text",
]

if TYPE_CHECKING:
    from scamlens.api import analyze, load_chat, load_chats, score_text
    from scamlens.model import (
        Conversation,
        Evidence,
        Indicator,
        IntelHit,
        Message,
        Stage,
        TacticFinding,
        Verdict,
    )

_API = {"analyze", "load_chat", "load_chats", "score_text"}


def __getattr__(name: str) -> Any:
    # Imported on first use so `import scamlens` stays cheap.
    if name in _API:
        from scamlens import api

        return getattr(api, name)
    if name in __all__:
        from scamlens import model

        return getattr(model, name)
    raise AttributeError(f"module 'scamlens' has no attribute {name!r}")
