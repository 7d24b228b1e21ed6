"""The literal prefilter: its literals are necessary, and the matcher built on it finds exactly
the rules one RE2 Set of every rule finds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.api import load_chats
from scamlens.detect.prefilter import required_literals
from scamlens.text.normalize import fold

from .test_matcher_fast import MATCHER, PACK, PUBLIC_SET

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
LITERALS = sorted({lit for r in PACK.rules for lit in required_literals(r.regex) or ()})


def reference_ids(folded: str) -> list[int]:
    found = PUBLIC_SET.Match(folded)  # one Set of every rule, as the matcher was
    return sorted(found) if found else []


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        ("abc", {"abc"}),
        ("a(?:b|c)d", {"abd", "acd"}),
        # either side of the gap would do: the longer literals win
        (
            r"\bwrong (?:number|person)\b(?:\W+\w+){0,14}?\W+(?:fate|friends)",
            {"wrong number", "wrong person"},
        ),
        ("x?", None),
        ("a*", None),
        ("a{2,3}", {"a"}),
        ("[ab]c", {"ac", "bc"}),
        ("[^ab]c", {"c"}),
        (r"\d+", None),
        ("(?:foo)+bar", {"foo"}),
        ("foo|ba.r", {"foo", "ba"}),
        ("foo|.*", None),  # one branch needs nothing: no literal is required
        ("(?i)abc", None),
        ("信[用誉]分", {"信用分", "信誉分"}),
        ("", None),
        ("(unclosed", None),
    ],
)
def test_required_literals(pattern: str, literals: set[str] | None) -> None:
    got = required_literals(pattern)
    assert got == (None if literals is None else frozenset(literals))


def test_every_shipped_rule_has_literals_its_examples_contain() -> None:
    assert MATCHER._always == []
    for rule in PACK.rules:
        literals = required_literals(rule.regex)
        assert literals, rule.id
        for example in rule.match:
            assert any(lit in fold(example) for lit in literals), (rule.id, example)


def _corpus() -> list[str]:
    from scamlens.train import synth

    texts = [t for r in PACK.rules for t in (*r.match, *r.no_match)]
    texts += [t for tac in PACK.tactics.values() for t in tac.no_match]
    for path in sorted((REPO / "examples").glob("*/**/*")):
        if path.is_file() and path.suffix in (".txt", ".json", ".xml", ".csv"):
            texts += [m.text for c in load_chats(path) for m in c.messages]
    for line in (REPO / "examples" / "batch.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(str(json.loads(line).get("text", "")))
    texts += [m.text for m in synth.generate_messages(3000, 23)]
    return texts


def test_matcher_equals_one_set_of_every_rule_on_a_corpus() -> None:
    folded = [fold(t) for t in _corpus()]
    got = MATCHER.match_ids_many(folded)
    want = [reference_ids(f) for f in folded]
    assert sum(1 for w in want if w) > 1000  # the corpus exercises the rules
    assert got == want


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not here")
def test_matcher_equals_one_set_on_real_messages() -> None:
    texts: list[str] = []
    with (SHARED / "sms" / "smishing-train.csv").open(encoding="utf-8", errors="replace") as fh:
        texts += [row["TEXT"] for row in csv.DictReader(fh)]
    data = json.loads((SHARED / "fraud-r1" / "fraud-r1-dev.json").read_text(encoding="utf-8"))
    texts += [json.dumps(item, ensure_ascii=False) for item in data][:2000]
    folded = [fold(t) for t in texts]
    assert MATCHER.match_ids_many(folded) == [reference_ids(f) for f in folded]


# Texts made of rule literals, a few words and noise: hits, near misses and gaps of any length.
_WORDS = ["you", "the", "money", "pay", "我", "你", "了", ",", ".", "!", " ", "  ", "\n", "123"]
near_misses = st.lists(
    st.one_of(st.sampled_from(LITERALS), st.sampled_from(_WORDS), st.text(max_size=4)),
    min_size=1,
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=near_misses)
def test_matcher_equals_one_set_on_literal_soup(text: str) -> None:
    folded = fold(text)
    assert MATCHER.match_ids(folded) == reference_ids(folded)


def test_folded_spans_are_each_rules_first_match() -> None:
    """The one search a candidate gets gives the span the public API's search gives, and
    spans carried into `in_text` equal `hit_spans` searching again."""
    import re2

    compiled = [re2.compile(r.regex) for r in PACK.rules]
    texts = _corpus()[:2500]
    for text in texts:
        folded = fold(text)
        spans = MATCHER.folded_spans(folded)
        want = []
        for idx in reference_ids(folded):
            m = compiled[idx].search(folded)
            assert m is not None
            want.append((idx, m.start(), m.end()))
        assert spans == want
        ids = [s[0] for s in spans]
        assert MATCHER.in_text(text, folded, spans) == MATCHER.hit_spans(text, folded, ids)
