"""Whose voice a speakerless text is in: a victim telling their own story, or an author warning.

A pasted account has no speakers, like an article. When it quotes what the police or the bank
said, its paragraphs carry warning evidence just as an article's do, and the warning-document
reading (Engine._warning_document) would weigh every tactic in it as quoted. The victim-voice
rules (rules/voice.yaml: "I paid", "我先后充值了38万") tell the two apart. Quoted speech is
removed first, so an article that quotes a victim ("I sent him everything," she said) is still
an article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import re2

from scamlens.detect.rulepack import Rule

# Folded text has every kind of double quote as '"' (text.normalize.fold). Newline-free, so an
# unclosed quote cannot swallow the rest of a paragraph; RE2 keeps it linear.
_QUOTED = re2.compile(r'"[^"\n]*"')


class VictimVoice:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = [re2.compile(r.regex) for r in rules]

    def speaks(self, folded_texts: Iterable[str]) -> bool:
        """Whether any text, quoted speech removed, is in a victim's own voice."""
        if not self._rules:
            return False
        for text in folded_texts:
            bare = _QUOTED.sub(" ", text) if '"' in text else text
            if any(r.search(bare) for r in self._rules):
                return True
        return False
