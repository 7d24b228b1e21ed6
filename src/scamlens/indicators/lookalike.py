"""Brand look-alike scoring for domains ("binance-vip.com", "bіnance.com", "coinbase.co").

The brand list is data (indicators/data/brands.yaml). A domain is compared on its registered
label (the part before the public suffix) and its subdomain labels:

- homoglyph: the label folds to a brand token once look-alike letters are mapped (Cyrillic,
  Greek, accents via scamlens.text.normalize.fold; 0/o, 1/l/i, rn/m, vv/w)            0.95
- tld-swap: the label is exactly a brand token on another suffix (binance.co)          0.90
- brand-plus-words: a brand token plus only typical scam words (binance-vip,
  coinbase-pro-global, okxglobal)                                                      0.85
- subdomain: a brand token as a subdomain of an unrelated domain (binance.com.xyz.top) 0.80
- edit-distance: Damerau-Levenshtein 1 (2 for tokens of 9+ letters) from a brand token
  of 6+ letters, not a listed ordinary word ("finance")                              0.70-0.80
- contains-brand: a non-generic token of 5+ letters at a word boundary, with other text 0.60

A brand's real domains and all their subdomains are never flagged, by any brand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cdist

from scamlens.errors import RuleError
from scamlens.text.normalize import fold

_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("3", "e"))


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    category: str
    domains: tuple[str, ...]
    tokens: tuple[str, ...]
    generic: bool = False


@dataclass(frozen=True, slots=True)
class LookalikeResult:
    brand: str  # brand name, e.g. "Binance"
    brand_domain: str  # the real domain imitated, e.g. "binance.com"
    score: float  # 0..1, how sure we are this imitates the brand
    method: str  # homoglyph | tld-swap | brand-plus-words | subdomain | edit-distance | ...
    reason: str  # a sentence for people


@dataclass(frozen=True, slots=True)
class BrandList:
    brands: tuple[Brand, ...]
    added_words: frozenset[str]
    not_lookalikes: frozenset[str]
    legit: dict[str, Brand]  # registered domain -> brand
    # What every domain is compared with: (brand, token, its skeleton).
    tokens: tuple[tuple[Brand, str, str], ...] = field(init=False, compare=False)
    # The tokens with an edit limit, and their limits, for one `cdist` a domain.
    edit_tokens: tuple[str, ...] = field(init=False, compare=False)
    edit_limits: NDArray[np.int32] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        tokens = tuple((b, t, skeleton(t)) for b in self.brands for t in b.tokens)
        limits = {t: k for b, t, _ in tokens if (k := _edit_limit(b, t))}
        object.__setattr__(self, "tokens", tokens)
        object.__setattr__(self, "edit_tokens", tuple(limits))
        object.__setattr__(self, "edit_limits", np.array(list(limits.values()), dtype=np.int32))

    def legitimate(self, registered: str) -> Brand | None:
        return self.legit.get(registered)


@lru_cache(maxsize=8192)  # one domain is compared with every brand token: same label each time
def skeleton(s: str) -> str:
    """Confusable skeleton: fold scripts/accents, drop dashes, map 0/o 1/l/i rn/m vv/w 3/e."""
    out = fold(s).replace("-", "").replace("_", "")
    for a, b in _CONFUSABLE_PAIRS:
        out = out.replace(a, b)
    return out


def _as_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise RuleError(f"brands file: {where} must be a list of strings")
    return [str(x).strip().lower() for x in value]


def load_brands(path: str | Path | None = None) -> BrandList:
    """Load and check a brands file (the bundled one by default)."""
    where = str(path) if path is not None else "indicators/data/brands.yaml"
    try:
        if path is None:
            text = (
                resources.files("scamlens.indicators")
                .joinpath("data/brands.yaml")
                .read_text(encoding="utf-8")
            )
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{where}: cannot read brands file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("brands"), list):
        raise RuleError(f"{where}: expected a mapping with a 'brands' list")
    brands: list[Brand] = []
    legit: dict[str, Brand] = {}
    for i, item in enumerate(data["brands"]):
        key = f"{where}: brands[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise RuleError(f"{key}: each brand needs a name")
        domains = _as_list(item.get("domains"), f"{key}.domains")
        if not domains:
            raise RuleError(f"{key}: a brand needs at least one domain")
        tokens = _as_list(item.get("tokens", [domains[0].split(".")[0]]), f"{key}.tokens")
        brand = Brand(
            name=item["name"],
            category=str(item.get("category", "")),
            domains=tuple(domains),
            tokens=tuple(t.replace("-", "").replace(".", "") for t in tokens),
            generic=bool(item.get("generic", False)),
        )
        brands.append(brand)
        for d in domains:
            legit[d] = brand
    return BrandList(
        brands=tuple(brands),
        added_words=frozenset(_as_list(data.get("added_words", []), "added_words")),
        not_lookalikes=frozenset(_as_list(data.get("not_lookalikes", []), "not_lookalikes")),
        legit=legit,
    )


@lru_cache(maxsize=1)
def default_brands() -> BrandList:
    return load_brands()


def _segments(rest: str, words: frozenset[str]) -> list[str] | None:
    """Split `rest` into added words (and digit runs); None when it cannot be done."""
    rest = rest.strip("-")
    n = len(rest)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        prev = best[i]
        if prev is None:
            continue
        if rest[i] == "-":
            best[i + 1] = best[i + 1] if best[i + 1] is not None else prev
            continue
        for j in range(i + 1, min(n, i + 16) + 1):
            piece = rest[i:j]
            if best[j] is None and (piece in words or piece.isdigit()):
                best[j] = [*prev, piece]
    return best[n]


def _at_boundary(plain: str, start: int, end: int) -> bool:
    left = start == 0 or not plain[start - 1].isalpha()
    right = end == len(plain) or not plain[end].isalpha()
    return left or right


def _best(results: list[LookalikeResult]) -> LookalikeResult | None:
    return max(results, key=lambda r: r.score) if results else None


def _edit_limit(brand: Brand, token: str) -> int:
    """Edits a label part may be from `token` to count as its look-alike (0: none)."""
    if brand.generic or len(token) < 6:
        return 0
    return 1 if len(token) < 9 else 2


def _label_checks(
    brand: Brand, token: str, label: str, suffix: str, bl: BrandList
) -> list[LookalikeResult]:
    real = brand.domains[0]
    out: list[LookalikeResult] = []
    plain = label.replace("_", "-")
    flat = plain.replace("-", "")
    skel = skeleton(plain)
    tskel = skeleton(token)
    if flat == token:
        out.append(
            LookalikeResult(
                brand.name, real, 0.90, "tld-swap",
                f"same name as {real} on another suffix (.{suffix})",
            )
        )  # fmt: skip
    elif skel == tskel:
        kind = "non-Latin look-alike letters" if not label.isascii() else "swapped characters"
        out.append(
            LookalikeResult(
                brand.name, real, 0.95, "homoglyph",
                f"'{label}' imitates '{token}' ({real}) with {kind}",
            )
        )  # fmt: skip
    # Brand token plus scam words, on the plain or the confusable-folded label.
    for hay, tok, homo in ((flat, token, False), (skel, tskel, True)):
        pos = hay.find(tok)
        if pos < 0 or hay == tok:
            continue
        words = _segments(hay[:pos], bl.added_words)
        after = _segments(hay[pos + len(tok) :], bl.added_words)
        if words is not None and after is not None:
            added = [w for w in words + after if w]
            score = 0.9 if homo and flat.find(token) < 0 else 0.85
            extra = " with look-alike characters" if score == 0.9 else ""
            out.append(
                LookalikeResult(
                    brand.name, real, score, "brand-plus-words",
                    f"brand '{token}' ({real}){extra} plus "
                    + ", ".join(f"'{w}'" for w in added),
                )
            )  # fmt: skip
            break
        if not brand.generic and len(tok) >= 5 and _at_boundary(hay, pos, pos + len(tok)):
            out.append(
                LookalikeResult(
                    brand.name, real, 0.6, "contains-brand",
                    f"contains the brand name '{token}' ({real})",
                )
            )  # fmt: skip
            break
    limit = _edit_limit(brand, token)
    if not limit:
        return out
    for part in {flat, *plain.split("-")}:
        if len(part) < 5 or part == token or part in bl.not_lookalikes:
            continue
        dist = DamerauLevenshtein.distance(part, token, score_cutoff=limit)
        if dist > limit:
            continue
        rest = flat.replace(part, "", 1) if part != flat else ""
        tail = _segments(rest, bl.added_words)
        score = 0.8 if dist == 1 else 0.7
        if rest and tail is None:
            score -= 0.1
        out.append(
            LookalikeResult(
                brand.name, real, score, "edit-distance",
                f"'{part}' is {dist} edit{'s' if dist > 1 else ''} from '{token}' ({real})",
            )
        )  # fmt: skip
    return out


def _subdomain_checks(
    brand: Brand, token: str, sub_labels: list[str], label: str, bl: BrandList
) -> list[LookalikeResult]:
    real = brand.domains[0]
    joined = ".".join(sub_labels)
    label_words = _segments(label.replace("-", ""), bl.added_words)
    for sub in sub_labels:
        flat = sub.replace("-", "")
        hit = flat == token or skeleton(flat) == skeleton(token)
        if not hit and flat.startswith(token):
            hit = _segments(flat[len(token) :], bl.added_words) is not None
        if not hit:
            continue
        real_in_sub = any(joined.endswith(d) or f"{d}." in joined for d in brand.domains)
        if brand.generic and not real_in_sub and label_words is None:
            continue
        return [
            LookalikeResult(
                brand.name, real, 0.8 if real_in_sub or not brand.generic else 0.7, "subdomain",
                f"brand '{token}' ({real}) used as a subdomain of an unrelated domain",
            )
        ]  # fmt: skip
    return []


@lru_cache(maxsize=4096)
def _lookalike_cached(domain: str) -> LookalikeResult | None:
    return lookalike_with(domain, default_brands())


def clear_cache() -> None:
    _lookalike_cached.cache_clear()
    skeleton.cache_clear()


def lookalike(domain: str) -> LookalikeResult | None:
    """Best brand look-alike for a domain or URL, or None (also for a brand's real domains)."""
    return _lookalike_cached(domain)


def lookalike_with(domain: str, bl: BrandList) -> LookalikeResult | None:
    """`lookalike` against a given brand list."""
    from scamlens.indicators.normalize import normalize_domain, split_domain

    try:
        host = normalize_domain(domain)
    except ValueError:
        return None
    if ":" in host or host.replace(".", "").isdigit():
        return None
    sub, label, suffix = split_domain(host)
    if not suffix or not label:
        return None
    if bl.legitimate(f"{label}.{suffix}") is not None:
        return None
    sub_labels = [s for s in sub.split(".") if s and s != "www"]
    # A domain is compared with every brand token (~60) and almost all share nothing with it:
    # run in full, their checks cost ~0.1-1 ms a domain (a flood of distinct links). A token's
    # checks run only when a cheap necessary condition holds: every label check but the edit
    # distance needs the token in the dashless label or its skeleton in the label's, the edit
    # distance a part within reach; a subdomain check, a subdomain label holding the token or
    # with its skeleton. The checks skipped would find nothing: results and their order are
    # unchanged (tests/indicators/test_lookalike_screen.py).
    plain = label.replace("_", "-")
    flat = plain.replace("-", "")
    skel = skeleton(plain)
    parts = [p for p in {flat, *plain.split("-")} if len(p) >= 5]  # as in `_label_checks`
    near = _near_tokens(parts, bl)
    sub_flats = [s.replace("-", "") for s in sub_labels]
    sub_text = "\n".join(sub_flats)  # no token holds a newline: `in` tests every label
    sub_skels = frozenset(skeleton(f) for f in sub_flats)
    results: list[LookalikeResult] = []
    for brand, token, tskel in bl.tokens:
        if token in flat or tskel in skel or token in near:
            results.extend(_label_checks(brand, token, label, suffix, bl))
        if sub_labels and (token in sub_text or tskel in sub_skels):
            results.extend(_subdomain_checks(brand, token, sub_labels, label, bl))
    return _best(results)


def _near_tokens(parts: list[str], bl: BrandList) -> frozenset[str]:
    """The tokens some part is within their edit limit of (Damerau-Levenshtein), in one
    C call: one distance call per token and part cost more than the rest of the domain."""
    if not parts or not bl.edit_tokens:
        return frozenset()
    dist = cdist(parts, bl.edit_tokens, scorer=DamerauLevenshtein.distance, score_cutoff=2)
    hits = np.flatnonzero(dist.min(axis=0) <= bl.edit_limits)
    return frozenset(bl.edit_tokens[int(j)] for j in hits)
