"""Python `re` patterns that read untrusted text must not backtrack exponentially.

Detection rules and indicator gates run on RE2 (linear time by construction). The rest of the
package still compiles a few dozen patterns with Python's backtracking `re` (import formats,
timestamps, language hints). The classic way such a pattern explodes on hostile input is an
unbounded repeat nested inside another one, as in `(a+)+` or `(\\w+\\s?)*`; this test walks
every module-level pattern's parse tree and refuses that shape. Training and evaluation code
(which read only our own files) and the Alembic scripts (no text input) are left out.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest

import scamlens

try:  # Python 3.11+: the parser moved
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_SKIP = (".train", ".evaluation", ".migrations")  # migrations: alembic env scripts
# A bounded repeat this large behaves like an unbounded one for backtracking purposes.
_LARGE = 20
_REPEATS = {
    sre_constants.MAX_REPEAT,
    sre_constants.MIN_REPEAT,
    getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT),
}


def nested_repeats(pattern: str, flags: int = 0) -> list[str]:
    """Paths of unbounded (or large) repeats that sit inside another one."""
    found: list[str] = []

    def walk(sub: Any, inside: bool, path: str) -> None:
        for op, av in sub:
            if op in _REPEATS:
                big = av[1] == sre_constants.MAXREPEAT or av[1] > _LARGE
                if big and inside:
                    found.append(path or "/")
                walk(av[2], inside or big, f"{path}/repeat")
            elif op == sre_constants.SUBPATTERN:
                walk(av[-1], inside, path)
            elif op == sre_constants.BRANCH:
                for i, branch in enumerate(av[1]):
                    walk(branch, inside, f"{path}/branch{i}")
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1], inside, path)

    walk(sre_parse.parse(pattern, flags), False, "")
    return found


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    seen: set[int] = set()
    for info in pkgutil.walk_packages(scamlens.__path__, "scamlens."):
        if any(part in info.name for part in _SKIP):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # optional extras (encoder, spark) that are not installed
            continue
        for name, value in vars(module).items():
            for where, rx in _patterns_in(value, f"{info.name}.{name}", 3):
                if id(rx) not in seen:
                    seen.add(id(rx))
                    out.append((where, rx))
    return out


def _patterns_in(value: Any, where: str, depth: int) -> list[tuple[str, re.Pattern[str]]]:
    """Patterns held by a module global: itself, or inside its tuples, lists, dicts, sets and
    (for classes defined in scamlens) class attributes, a few levels deep."""
    if isinstance(value, re.Pattern):
        return [(where, value)]
    if depth == 0:
        return []
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(f"{where}[{k!r}]", v) for k, v in value.items()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = [(f"{where}[{i}]", v) for i, v in enumerate(value)]
    elif isinstance(value, type) and value.__module__.startswith("scamlens."):
        items = [(f"{where}.{k}", v) for k, v in vars(value).items()]
    return [found for w, v in items for found in _patterns_in(v, w, depth - 1)]


PATTERNS = _module_patterns()


@pytest.mark.parametrize(
    "bad", [r"(a+)+$", r"(\w+\s?)*:", r"(?:x|\d{1,40})*y", r"((ab)*c)*", r"(?=(a+)+)b"]
)
def test_the_check_refuses_nested_repeats(bad: str) -> None:
    assert nested_repeats(bad)


@pytest.mark.parametrize(
    "good", [r"a+b+c+", r"(?:ab){1,3}c*", r"^\s*(\d{1,2})[/.-](\d{1,2})", r"(?:[^\n]{0,24})$"]
)
def test_the_check_accepts_flat_patterns(good: str) -> None:
    assert not nested_repeats(good)


def test_the_package_has_patterns_to_check() -> None:
    # The walk must reach the import formats; an empty list would make the next test vacuous.
    names = {name for name, _ in PATTERNS}
    assert len(PATTERNS) >= 80
    assert any(name.startswith("scamlens.ingest.") for name in names)


@pytest.mark.parametrize("name,rx", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_module_pattern_nests_unbounded_repeats(name: str, rx: re.Pattern[str]) -> None:
    assert not nested_repeats(rx.pattern, rx.flags), f"{name}: {rx.pattern[:200]!r}"
