"""Rule literal trees: the derivation is sound, the C test (_trees.c) keeps exactly the rules
the Python reference keeps, and the matcher finds the same rules with it as without it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.detect import matcher as matcher_mod
from scamlens.detect.matcher import Matcher, _checked_tree, _program
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
        assert _checked_tree(rule, MATCHER._matches(idx)) == tree, rule.id  # no rule falls back to no test


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
    got = [MATCHER._trees.candidates(MATCHER._literals(t.encode()), t.encode()) for t in texts]
    assert got == [_python_candidates(t) for t in texts]


@needs_native
@settings(max_examples=400, deadline=None)
@given(text=soup)
def test_c_trees_keep_what_the_python_reference_keeps(text: str) -> None:
    folded = fold(text)
    data = folded.encode("utf-8")
    assert MATCHER._trees.candidates(MATCHER._literals(data), data) == _python_candidates(folded)


@needs_native
def test_a_long_message_leaves_nothing_behind_for_the_next() -> None:
    """Byte pairs and answers of one call are forgotten by the next (long data clears the
    pair map whole, short data pair by pair)."""
    long = fold(" ".join(TREE_LITERALS[::3]) * 3)  # over the pair map's size
    short = fold(" ".join(TREE_LITERALS[1::7][:300]))
    assert len(long.encode()) > 8192 > len(short.encode())

    def kept(text: str) -> list[int]:
        data = text.encode()
        return MATCHER._trees.candidates(MATCHER._literals(data), data)

    for then in ["withdraw", "withdraw the fee", short, long]:
        kept("")
        alone = kept(then)
        for first in [long, short]:
            kept(first)
            assert kept(then) == alone
    assert kept("withdraw the fee") == _python_candidates("withdraw the fee")


@needs_native
def test_out_of_budget_literals_count_as_present() -> None:
    """With no searches allowed a literal whose byte pairs are all there counts as present:
    more rules kept than the reference keeps, never fewer, and only ones the Set named."""
    ids = {lit: i for i, lit in enumerate(_set_literals())}
    programs = [_program(t, ids) for t in TREES]
    trees = native.Trees([s.encode() for s in ids], MATCHER._by_literal, programs, max_tests=0)
    for text in EXAMPLES:
        folded = fold(text)
        data = folded.encode()
        found = MATCHER._literals(data)
        kept = trees.candidates(found, data)
        named = {i for f in found for i in MATCHER._by_literal[f]}
        assert set(_python_candidates(folded)) <= set(kept) <= named


def _set_literals() -> list[str]:
    """The Set's literals in id order, as the matcher built them."""
    order: dict[str, int] = {}
    for idx, rule in enumerate(PACK.rules):
        lits = matcher_mod._checked_literals(rule, MATCHER._matches(idx))
        for lit in sorted(lits or ()):
            order.setdefault(lit, len(order))
    return list(order)


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
    assert trees.candidates([0], b"xx ab cd") == [0]
    assert trees.candidates([0], b"xx ab c d") == []
    assert trees.candidates([], b"ab cd") == []
    with pytest.raises(ValueError):
        trees.candidates([1], b"ab")  # not a Set literal
    with pytest.raises(TypeError):
        trees.candidates([0], "ab")
    with pytest.raises(RuntimeError):
        native.Trees.__new__(native.Trees).candidates([0], b"ab")


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
