"""The matcher's direct RE2 calls find exactly what the `re2` module's public API finds."""

from __future__ import annotations

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.detect.matcher import _CONDITIONAL, _NEG_WINDOW, _NEGATION, Matcher, RuleHit
from scamlens.detect.rulepack import load_rulepack
from scamlens.re2raw import _public, first_span_finder
from scamlens.text.normalize import (
    _ASCII_LOWER,
    _TABLE,
    fold,
    fold_map,
    to_original_span,
    to_original_spans,
)

PACK = load_rulepack()
MATCHER = Matcher(PACK)
EXAMPLES = sorted({t for r in PACK.rules for t in (*r.match, *r.no_match)})
# Noise that changes lengths under folding or hides characters: zero-width, combining marks,
# full-width letters, ligatures, emoji, traditional Chinese, homoglyphs, controls.
NOISE = ["\u200b", "\u0336", "Ｐａｙ", "ﬁ", "🙂", "提現", "рау", "\x00", "\n", "ⅫⅫ", "İ", " "]


def _public_set() -> re2.Set:
    opts = re2.Options()
    opts.max_mem = 256 << 20
    rset = re2.Set.SearchSet(opts)
    for rule in PACK.rules:
        rset.Add(rule.regex)
    rset.Compile()
    return rset


PUBLIC_SET = _public_set()


def reference_hits(text: str) -> list[RuleHit]:
    """Matcher.match as first written: the public Set and `search` per rule."""
    folded = fold(text)
    found = PUBLIC_SET.Match(folded)
    hits = []
    for idx in sorted(found) if found else []:
        m = re2.compile(PACK.rules[idx].regex).search(folded)
        assert m is not None
        fstart, fend = m.span()
        rule = PACK.rules[idx]
        negated = False
        if rule.negatable and fstart > 0:
            window = folded[max(0, fstart - _NEG_WINDOW) : fstart]
            neg = _NEGATION.search(window)
            negated = neg is not None and not _CONDITIONAL.search(window[: neg.start()])
        start, end = to_original_span(text, fstart, fend)
        hits.append(RuleHit(rule=rule, start=start, end=end, negated=negated))
    return hits


hostile = st.lists(
    st.one_of(st.sampled_from(EXAMPLES), st.sampled_from(NOISE), st.text(max_size=8)),
    min_size=1,
    max_size=6,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=hostile)
def test_hits_equal_public_api_hits(text: str) -> None:
    assert MATCHER.match(text) == reference_hits(text)


def test_rule_examples_with_noise_match_as_before() -> None:
    texts = EXAMPLES + [n.join(t.split(" ")) for t in EXAMPLES[:150] for n in NOISE[:4]]
    folded = [fold(t) for t in texts]
    many = MATCHER.match_ids_many(folded)
    assert many == [MATCHER.match_ids(f) for f in folded]
    assert any(many)
    for text in texts[::7]:
        assert MATCHER.match(text) == reference_hits(text)


@settings(max_examples=200, deadline=None)
@given(text=hostile)
def test_direct_span_finder_equals_public_search(text: str) -> None:
    folded = fold(text)
    data = folded.encode("utf-8")
    for pattern in (PACK.rules[0].regex, r"\b\w+\b", "提.?现", "", r"(a)(b)?"):
        regex = re2.compile(pattern)
        assert first_span_finder(regex)(folded, data) == _public(regex)(folded, data)


def test_span_finder_falls_back_without_binding_internals() -> None:
    class Plain:
        def search(self, text: str) -> re2._Match | None:
            return re2.compile("b+").search(text)

    finder = first_span_finder(Plain())
    assert finder("abbc", b"abbc") == (1, 3)
    assert finder("xyz", b"xyz") is None


def test_ascii_fold_equals_the_character_table() -> None:
    every = "".join(chr(c) for c in range(128))
    assert fold(every) == every.translate(_ASCII_LOWER)
    assert len(fold(every)) == 128
    assert fold("") == ""


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(hostile, st.text(max_size=30)), data=st.data())
def test_to_original_spans_equals_one_by_one(text: str, data: st.DataObject) -> None:
    n = len(fold_map(text))
    spans = data.draw(st.lists(st.tuples(st.integers(-2, n + 2), st.integers(-2, n + 2))))
    assert to_original_spans(text, spans) == [to_original_span(text, s, e) for s, e in spans]


def reference_fold_map(text: str) -> list[int]:
    mapping: list[int] = []
    table = _ASCII_LOWER if text.isascii() else _TABLE
    for i, ch in enumerate(text):
        mapping.extend([i] * len(table[ord(ch)]))
    mapping.append(len(text))
    return mapping


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(hostile, st.text(max_size=40)))
def test_fold_map_equals_the_per_character_loop(text: str) -> None:
    got = fold_map(text)
    assert got == reference_fold_map(text)
    assert len(got) == len(fold(text)) + 1


def test_fold_map_on_characters_that_vanish_or_grow() -> None:
    for text in ("a\u200bb", "ﬁne", "☀️ ok", "ⅫⅫ提現", "\ud800x", "", "é", "\u200b"):
        assert fold_map(text) == reference_fold_map(text)


def test_negation_and_conditionals_equal_public_api() -> None:
    texts = [
        f"{lead} {t}"
        for t in EXAMPLES
        for lead in ("I will not", "if you don't", "他们说不用", "never ﬁ\u200b", "unless we")
    ]
    negated = 0
    for text in texts:
        got = MATCHER.match(text)
        assert got == reference_hits(text)
        negated += sum(h.negated for h in got)
    assert negated > 0
