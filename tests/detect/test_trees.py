"""Rule literal trees: the derivation is sound, the C test (_trees.c) keeps exactly the rules
the Python reference keeps, and the matcher finds the same rules with it as without it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.detect import matcher as matcher_mod
from scamlens.detect.matcher import Matcher, _checked_tree
from scamlens.detect.prefilter import Tree, required_tree, tree_holds
from scamlens.text.normalize import fold

from .test_matcher_fast import EXAMPLES, MATCHER, PACK
from .test_prefilter import LITERALS, _corpus, reference_ids

native = matcher_mod._native
needs_native = pytest.mark.skipif(native is None, reason="the C extension was not built")
TREES = [required_tree(r.regex) for r in PACK.rules]


def _leaves(tree: Tree) -> list[str]:
    if tree is None:
        return []
    if isinstance(tree, str):
        return [tree]
    return [lit for k in tree[1] for lit in _leaves(k)]


TREE_LITERALS = sorted({lit for t in TREES for lit in _leaves(t)})


@pytest.mark.parametrize(
    ("pattern", "tree"),
    [
        ("abc", "abc"),
        ("a(?:b|c)d", ("or", ("abd", "acd"))),
        (
            r"\bwrong (?:number|person)\b(?:\W+\w+){0,14}?\W+(?:fate|friends)",
            ("and", (("or", ("fate", "friends")), ("or", ("wrong number", "wrong person")))),
        ),
        ("(?:foo)+bar", ("and", ("bar", "foo"))),
        ("x?", None),
        ("a*b", None),  # one-byte literals are no test
        ("a{2,3}", None),
        ("foo|ba.r", ("or", ("foo", "ba"))),  # "r" is one byte: no test
        ("foo|b.r", None),  # a branch with nothing to test: the OR tests nothing
        ("foo|bar.baz", ("or", ("foo", ("and", ("bar", "baz"))))),
        ("foo|.*", None),
        ("(?i)abc", None),
        ("x(?i:abc)yz", "yz"),
        ("信[用誉]分", ("or", ("信用分", "信誉分"))),
        ("", None),
        ("(unclosed", None),
    ],
)
def test_required_tree(pattern: str, tree: Tree) -> None:
    got = required_tree(pattern)
    if isinstance(tree, tuple) and isinstance(got, tuple) and tree[0] == got[0] == "and":
        assert sorted(map(repr, got[1])) == sorted(map(repr, tree[1]))
    else:
        assert got == tree


def test_every_shipped_rule_has_a_tree_its_examples_satisfy() -> None:
    for idx, (rule, tree) in enumerate(zip(PACK.rules, TREES, strict=True)):
        assert tree is not None, rule.id
        assert _checked_tree(rule, MATCHER._matches(idx)) == tree, (
            rule.id
        )  # no rule falls back to no test


def test_trees_reject_most_candidates_on_the_corpus() -> None:
    """The point of the trees: far fewer rules to scan than the literal Set names."""
    named = kept = 0
    for text in _corpus()[:3000]:
        folded = fold(text)
        found = MATCHER._literals(folded.encode("utf-8"))
        rules = {i for f in found for i in MATCHER._by_literal[f]}
        named += len(rules)
        kept += sum(1 for i in rules if tree_holds(TREES[i], folded))
    assert kept < named / 2


soup = st.lists(
    st.one_of(
        st.sampled_from(TREE_LITERALS),
        st.sampled_from(LITERALS),
        st.sampled_from(["you", "the", "我", "你", ",", " ", "\n", "\x00", "🙂"]),
        st.text(max_size=4),
    ),
    min_size=1,
    max_size=16,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(soup, st.sampled_from(EXAMPLES)))
def test_a_tree_holds_wherever_its_rule_matches(text: str) -> None:
    folded = fold(text)
    for idx in reference_ids(folded):
        assert tree_holds(TREES[idx], folded), (PACK.rules[idx].id, text)


def _python_candidates(folded: str) -> list[int]:
    found = MATCHER._literals(folded.encode("utf-8"))
    rules = {i for f in found for i in MATCHER._by_literal[f]}
    return sorted(i for i in rules if tree_holds(TREES[i], folded))


@needs_native
def test_c_trees_keep_what_the_python_reference_keeps_on_the_corpus() -> None:
    texts = [fold(t) for t in _corpus()]
    got = [MATCHER._trees.candidates(t.encode()) for t in texts]
    assert got == [_python_candidates(t) for t in texts]


@needs_native
@settings(max_examples=400, deadline=None)
@given(text=soup)
def test_c_trees_keep_what_the_python_reference_keeps(text: str) -> None:
    folded = fold(text)
    assert MATCHER._trees.candidates(folded.encode("utf-8")) == _python_candidates(folded)


# Few letters, so literals overlap, share grams and prefixes, and texts hold them often.
_small = st.binary(min_size=1, max_size=9).map(lambda b: bytes(98 + x % 3 for x in b))


@needs_native
@settings(max_examples=300, deadline=None)
@given(
    literals=st.lists(
        st.one_of(_small, st.binary(min_size=1, max_size=9)), min_size=1, max_size=60, unique=True
    ),
    texts=st.lists(st.one_of(_small.map(lambda b: b * 3), st.binary(max_size=40)), max_size=6),
)
def test_the_scan_finds_exactly_the_literals_a_text_holds(
    literals: list[bytes], texts: list[bytes]
) -> None:
    """Each literal its own rule: what is kept is what the text holds, call after call."""
    trees = native.Trees(
        literals, [[i] for i in range(len(literals))], [[0, i] for i in range(len(literals))]
    )
    for data in [*texts, *literals, b"".join(literals), b" ".join(literals[::-1])]:
        assert trees.candidates(data) == [i for i, lit in enumerate(literals) if lit in data]


@needs_native
def test_a_call_leaves_nothing_behind_for_the_next() -> None:
    texts = [fold(t).encode() for t in _corpus()[:400]]
    fresh = [MATCHER._trees.candidates(t) for t in texts]
    again = [MATCHER._trees.candidates(t) for t in reversed(texts)]
    assert again[::-1] == fresh
    long = fold(" ".join(TREE_LITERALS) * 2).encode()  # every literal: every rule's tree holds
    assert len(MATCHER._trees.candidates(long)) == len(PACK.rules)
    assert [MATCHER._trees.candidates(t) for t in texts] == fresh


@needs_native
def test_literals_at_the_edges_of_the_text() -> None:
    trees = native.Trees(
        [b"ab", b"abc", b"abcd", b"abcdef", b"z"],
        [[0], [1], [2], [3], [4]],
        [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4]],
    )
    assert trees.candidates(b"") == []
    assert trees.candidates(b"a") == []
    assert trees.candidates(b"ab") == [0]
    assert trees.candidates(b"abc") == [0, 1]
    assert trees.candidates(b"xabcdef") == [0, 1, 2, 3]
    assert trees.candidates(b"abcdez") == [0, 1, 2, 4]
    assert trees.candidates(bytearray(b"z")) == [4]
    assert trees.candidates(memoryview(b"--abcd")) == [0, 1, 2]


@needs_native
@pytest.mark.parametrize(
    ("literals", "set_rules", "programs", "error"),
    [
        ([b"ab"], [[0]], [[0, 1]], ValueError),  # literal id out of range
        ([b"ab"], [[0]], [[1, 2, 4, 0, 0]], ValueError),  # size says 4, children need 7
        ([b"ab"], [[0]], [[1, 1, 99, 0, 0]], ValueError),  # size past the end
        ([b"ab"], [[0]], [[1, 0, 3]], ValueError),  # a node without children
        ([b"ab"], [[0]], [[7, 0]], ValueError),  # unknown op
        ([b"ab"], [[1]], [[0, 0]], ValueError),  # the Set names a rule with no program
        ([b"ab"], [[0], [0]], [[0, 0]], ValueError),  # more Set literals than literals
        ([b""], [[0]], [[0, 0]], TypeError),  # empty literal
        (["ab"], [[0]], [[0, 0]], TypeError),  # str, not bytes
        ([b"ab"], [(0,)], [[0, 0]], TypeError),  # not a list
        ([b"ab"], [[0]], [[0, 2**40]], ValueError),
    ],
)
def test_malformed_trees_are_refused(
    literals: list[bytes], set_rules: list[list[int]], programs: list[list[int]], error: type
) -> None:
    with pytest.raises(error):
        native.Trees(literals, set_rules, programs)


@needs_native
def test_deep_programs_are_refused_and_bad_calls_raise() -> None:
    prog = [0, 0]
    for _ in range(80):  # nesting past the C evaluator's depth limit
        prog = [1, 1, 3 + len(prog), *prog]
    with pytest.raises(ValueError):
        native.Trees([b"ab"], [[0]], [prog])
    trees = native.Trees([b"ab", b"cd"], [[0]], [[1, 2, 7, 0, 0, 0, 1]])
    assert trees.candidates(b"xx ab cd") == [0]
    assert trees.candidates(b"xx ab c d") == []
    assert trees.candidates(b"cd") == []  # the tree holds only with the OR-set literal there
    with pytest.raises(TypeError):
        trees.candidates("ab")
    with pytest.raises(RuntimeError):
        native.Trees.__new__(native.Trees).candidates(b"ab")
    with pytest.raises(RuntimeError):
        trees.__init__([b"ab"], [[0]], [[0, 0]])  # built once


def test_matcher_without_the_extension_finds_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matcher_mod, "_native", None)
    plain = Matcher(PACK)
    assert plain._trees is None
    texts = [fold(t) for t in _corpus()[:4000]]
    assert plain.match_ids_many(texts) == MATCHER.match_ids_many(texts)
    assert plain.match_ids_many(texts) == [reference_ids(t) for t in texts]


@needs_native
def test_a_rule_whose_example_escapes_its_tree_gets_no_test() -> None:
    rule = PACK.rules[0]
    assert _checked_tree(rule, lambda folded: True) is not None
    broken = type(rule).__new__(type(rule))
    for field in rule.__dataclass_fields__:
        object.__setattr__(broken, field, getattr(rule, field))
    object.__setattr__(broken, "match", ("no literal of the rule in here",))
    assert _checked_tree(broken, lambda folded: True) is None
