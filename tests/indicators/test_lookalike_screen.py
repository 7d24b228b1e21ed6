"""The look-alike screen skips only brand tokens whose checks would find nothing.

`lookalike_with` runs a token's checks only when a cheap necessary condition holds. Here every
domain of a generated set (each brand token mutated as look-alikes are made: suffix swaps,
look-alike letters, one edit, scam words, brand subdomains; plus unrelated names) gets the
same answer as the checks run for every token.
"""

from __future__ import annotations

import importlib
import random

import pytest

from scamlens.indicators.normalize import normalize_domain, split_domain

# The package exports a function of the module's name: import the module itself.
la = importlib.import_module("scamlens.indicators.lookalike")
BL = la.default_brands()
WORDS = ("vip", "pro", "login", "secure", "support", "global", "app", "wallet", "official")
SUFFIXES = ("com", "co", "top", "xyz", "io", "vip", "net", "com.example")
SWAPS = (("o", "0"), ("l", "1"), ("i", "1"), ("m", "rn"), ("w", "vv"), ("e", "3"), ("a", "а"))
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _edits(token: str, rng: random.Random) -> list[str]:
    i = rng.randrange(len(token))
    c = rng.choice(LETTERS)
    out = [token[:i] + token[i + 1 :], token[:i] + c + token[i:], token[:i] + c + token[i + 1 :]]
    if len(token) > 1:
        j = min(i, len(token) - 2)
        out.append(token[:j] + token[j + 1] + token[j] + token[j + 2 :])
    return [t for t in out if t]


def _domains() -> list[str]:
    rng = random.Random(20261124)
    out: set[str] = set()
    for _, token, _ in BL.tokens:
        suffix = rng.choice(SUFFIXES)
        word = rng.choice(WORDS)
        names = [token, f"{token}-{word}", f"{word}{token}", f"{token}{rng.randint(1, 99)}x"]
        names += _edits(token, rng) + _edits(_edits(token, rng)[0] or token, rng)
        a, b = rng.choice([s for s in SWAPS if s[0] in token] or SWAPS)
        names.append(token.replace(a, b))
        out.add(f"{token.replace(a, b)}.{word}-login.top")  # a look-alike brand subdomain
        out.update(f"{n}.{suffix}" for n in names)
        out.add(f"{token}.com.{rng.choice(WORDS)}-verify.top")
        out.add(f"{token}-{word}.pages.dev")
        out.add(f"app.{_edits(token, rng)[0]}.{rng.choice(WORDS)}.xyz")
    for _ in range(300):
        name = "".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 14)))
        out.add(f"{name}.{rng.choice(SUFFIXES)}")
    return sorted(out)


DOMAINS = _domains()


def _unscreened(domain: str) -> la.LookalikeResult | None:
    """`lookalike_with` with every token's checks run."""
    host = normalize_domain(domain)
    sub, label, suffix = split_domain(host)
    if not suffix or not label or BL.legitimate(f"{label}.{suffix}") is not None:
        return None
    sub_labels = [s for s in sub.split(".") if s and s != "www"]
    results: list[la.LookalikeResult] = []
    for brand in BL.brands:
        for token in brand.tokens:
            results.extend(la._label_checks(brand, token, label, suffix, BL))
            if sub_labels:
                results.extend(la._subdomain_checks(brand, token, sub_labels, label, BL))
    return la._best(results)


def test_the_generated_set_holds_every_kind_of_lookalike() -> None:
    methods = {r.method for d in DOMAINS if (r := la.lookalike_with(d, BL)) is not None}
    assert methods >= {
        "tld-swap", "homoglyph", "brand-plus-words", "subdomain", "edit-distance", "contains-brand"
    }  # fmt: skip
    assert len(DOMAINS) > 1000


@pytest.mark.parametrize("chunk", range(4))
def test_screened_answers_equal_unscreened(chunk: int) -> None:
    for domain in DOMAINS[chunk::4]:
        assert la.lookalike_with(domain, BL) == _unscreened(domain), domain
