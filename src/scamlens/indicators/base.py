"""Shared pieces of the extractors: the scan context and small text helpers."""

from __future__ import annotations

from dataclasses import dataclass

from scamlens.fastinit import positional
from scamlens.model import Indicator
from scamlens.text.normalize import fold

CONTEXT_CHARS = 80  # how far around a candidate context words are looked for
new_indicator = positional(Indicator)  # Indicator(...) with every field, in field order


@dataclass(slots=True)
class Scan:
    """One text being scanned. Spans of the indicators produced index `text`."""

    text: str
    region: str | None = None
    message_index: int | None = None

    def window(self, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
        """Folded text around [start, end) (lower case, homoglyphs and full-width folded)."""
        return fold(self.text[max(0, start - width) : end + width])

    def before(self, start: int, width: int = CONTEXT_CHARS) -> str:
        return fold(self.text[max(0, start - width) : start])

    def make(
        self,
        type: str,
        value: str,
        start: int,
        end: int,
        detector: str,
        *,
        chain: str | None = None,
        valid: bool | None = None,
        validation: str = "",
        attrs: dict[str, str] | None = None,
    ) -> Indicator:
        # Positional (Indicator's field order, pinned by a test), slots filled directly.
        return new_indicator(
            type,
            value,
            self.text[start:end],
            detector,
            start,
            end,
            self.message_index,
            chain,
            valid,
            validation,
            attrs if attrs is not None else {},
        )


def has_any(haystack: str, needles: frozenset[str] | tuple[str, ...]) -> bool:
    return any(n in haystack for n in needles)


def is_word_char(ch: str) -> bool:
    """ASCII letter, digit or underscore (what RE2's \\b treats as a word character)."""
    return ch.isascii() and (ch.isalnum() or ch == "_")


def char_before(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else " "


def char_after(text: str, i: int) -> str:
    return text[i] if i < len(text) else " "
