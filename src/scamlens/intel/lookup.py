"""What to look up for one indicator, and how to turn matches into `IntelHit`s.

Pure functions (no database): the store fetches the candidate rows in batches and hands them
here. Specificity decides conflicts: an allow-list entry wins over block entries matched at the
same or a less specific level (a whitelisted parent does not clear a blocked subdomain).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from scamlens.indicators.normalize import split_domain
from scamlens.model import IntelHit

from .keys import url_host

# How much a match counts depending on how it was reached (exact value first).
VIA_WEIGHT = {
    "exact": 1.0,
    "scheme": 0.95,  # same URL over the other of http/https
    "host": 0.9,  # the site of a listed URL...
    "parent": 0.85,  # a parent domain of the one looked up
    "email-domain": 0.8,
}
EXPIRED_WEIGHT = 0.5
LOOKALIKE_CONFIDENCE = {0: 0.7, 1: 0.6}  # by edit distance; larger distances get the default
LOOKALIKE_DEFAULT = 0.45
LOOKALIKE_DEPTH = 99  # less specific than any listed value


@dataclass(frozen=True, slots=True)
class Candidate:
    type: str
    value: str
    via: str
    depth: int  # 0 = the value itself; larger = less specific


@dataclass(frozen=True, slots=True)
class Row:
    """One stored record as the lookup needs it."""

    type: str
    value: str
    chain: str
    action: str
    labels: tuple[str, ...]
    confidence: float
    first_seen: datetime
    last_seen: datetime
    expires: datetime | None
    source_id: int


@dataclass(frozen=True, slots=True)
class SourceView:
    name: str
    title: str
    trust: float


def _domain_chain(domain: str, via_first: str, depth0: int) -> list[Candidate]:
    out = [Candidate("domain", domain, via_first, depth0)]
    labels = domain.split(".")
    if len(labels) > 2 and not domain.replace(".", "").isdigit():
        _, name, suffix = split_domain(domain)
        if name and suffix:
            stop = suffix.count(".") + 2  # labels in the registered domain
            for i in range(1, len(labels) - stop + 1):
                out.append(Candidate("domain", ".".join(labels[i:]), "parent", depth0 + i))
    return out


def candidates(type_: str, value: str) -> list[Candidate]:
    """The stored keys that can speak for a canonical (type, value)."""
    if type_ == "domain":
        return _domain_chain(value, "exact", 0)
    if type_ in ("url", "app_lure"):
        out = [Candidate(type_, value, "exact", 0)]
        if value.startswith("https://"):
            out.append(Candidate(type_, "http://" + value[8:], "scheme", 0))
        elif value.startswith("http://"):
            out.append(Candidate(type_, "https://" + value[7:], "scheme", 0))
        host = url_host(value)
        if host is not None:
            out += _domain_chain(host, "host", 1)
        return out
    if type_ == "email":
        out = [Candidate("email", value, "exact", 0)]
        domain = value.rpartition("@")[2]
        if domain:
            out += [
                Candidate("domain", c.value, "email-domain", c.depth + 1)
                for c in _domain_chain(domain, "email-domain", 0)
            ]
        return out
    return [Candidate(type_, value, "exact", 0)]


def lookalike_host(type_: str, value: str) -> str | None:
    """The host name to test against look-alike targets, if any."""
    if type_ == "domain":
        return value
    if type_ in ("url", "app_lure"):
        return url_host(value)
    return None


def fuzzy_form(domain: str) -> str:
    """MetaMask's form for fuzzy matching: drop the last label (the 'TLD') and a leading www."""
    form = domain.rpartition(".")[0] if "." in domain else domain
    return form.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Target:
    domain: str
    form: str
    tolerance: int
    source_id: int


class LookalikeMatcher:
    """Levenshtein matching of host names against protected domains (MetaMask's fuzzylist).

    Immutable once built; it remembers its answers (the store keeps one per snapshot of the
    targets, and chat repeats its links)."""

    MEMO_SIZE = 4096

    def __init__(self, targets: Iterable[Target]) -> None:
        self.targets = list(targets)
        self.by_tolerance: dict[int, list[Target]] = {}
        for t in self.targets:
            self.by_tolerance.setdefault(t.tolerance, []).append(t)
        self._memo: dict[str, tuple[Target, int] | None] = {}

    def is_protected(self, host: str) -> bool:
        """The host is a protected domain itself or one of its subdomains."""
        return any(host == t.domain or host.endswith("." + t.domain) for t in self.targets)

    def match(self, host: str) -> tuple[Target, int] | None:
        try:
            return self._memo[host]
        except KeyError:
            pass
        if len(self._memo) >= self.MEMO_SIZE:
            self._memo.clear()
        found = self._memo[host] = self._match(host)
        return found

    def _match(self, host: str) -> tuple[Target, int] | None:
        if not self.targets or self.is_protected(host):
            return None
        form = fuzzy_form(host)
        best: tuple[Target, int] | None = None
        for tol, group in self.by_tolerance.items():
            found = process.extractOne(
                form, [t.form for t in group], scorer=Levenshtein.distance, score_cutoff=tol
            )
            if found is not None:
                dist = int(found[1])
                if best is None or dist < best[1]:
                    best = (group[found[2]], dist)
        return best


def _date(dt: datetime) -> str:
    return dt.isoformat()[:10]


def _reason(row: Row, cand: Candidate, src: SourceView, expired: bool) -> str:
    verb = "allow-listed" if row.action == "allow" else "listed"
    where = {
        "exact": "",
        "scheme": f"{row.value} ",
        "host": f"site {row.value} ",
        "parent": f"parent domain {row.value} ",
        "email-domain": f"e-mail domain {row.value} ",
    }[cand.via]
    text = f"{where}{verb} by {src.title} on {_date(row.first_seen)}"
    if row.last_seen.date() != row.first_seen.date():
        text += f", last seen {_date(row.last_seen)}"
    if expired and row.expires is not None:
        text += f"; expired {_date(row.expires)}"
    return text


def build_hits(
    matches: Sequence[tuple[Candidate, Row]],
    lookalike: tuple[Target, int] | None,
    lookalike_value: str | None,
    sources: dict[int, SourceView],
    now: datetime,
) -> list[IntelHit]:
    """Hits for one looked-up indicator from its matched rows, allow-list rules applied."""
    allow_depth: int | None = None
    for cand, row in matches:
        if row.action == "allow" and not _expired(row, now):
            allow_depth = cand.depth if allow_depth is None else min(allow_depth, cand.depth)
    block_depth = min((c.depth for c, r in matches if r.action == "block"), default=None)
    if lookalike is not None and block_depth is None:
        block_depth = LOOKALIKE_DEPTH
    hits: list[IntelHit] = []
    overridden = 0
    for cand, row in matches:
        src = sources.get(row.source_id)
        if src is None:
            continue
        expired = _expired(row, now)
        if row.action == "block" and allow_depth is not None and cand.depth >= allow_depth:
            overridden += 1
            continue
        if (
            row.action == "allow"
            and block_depth is not None
            and (expired or cand.depth > block_depth)
        ):
            continue  # a more specific block entry wins over this allow entry
        conf = row.confidence * src.trust * VIA_WEIGHT[cand.via]
        if expired:
            conf *= EXPIRED_WEIGHT
        hits.append(
            IntelHit(
                type=row.type,
                value=row.value,
                source=src.name,
                labels=row.labels,
                confidence=round(conf, 3),
                first_seen=row.first_seen,
                last_seen=row.last_seen,
                expires=row.expires,
                allowlisted=row.action == "allow",
                reason=_reason(row, cand, src, expired),
            )
        )
    if lookalike is not None and lookalike_value is not None and allow_depth is None:
        target, dist = lookalike
        src = sources.get(target.source_id)
        if src is not None:
            conf = LOOKALIKE_CONFIDENCE.get(dist, LOOKALIKE_DEFAULT) * src.trust
            hits.append(
                IntelHit(
                    type="domain",
                    value=lookalike_value,
                    source=src.name,
                    labels=("lookalike", f"lookalike-of:{target.domain}"),
                    confidence=round(conf, 3),
                    reason=(
                        f"looks like {target.domain} (edit distance {dist}; {src.title} "
                        f"look-alike tolerance {target.tolerance})"
                    ),
                )
            )
    elif lookalike is not None:
        overridden += 1
    if overridden:
        hits = [_note_override(h, overridden) if h.allowlisted else h for h in hits]
    hits.sort(key=lambda h: (not h.allowlisted, -h.confidence, h.source))
    return hits


def _note_override(hit: IntelHit, n: int) -> IntelHit:
    from dataclasses import replace

    plural = "entry" if n == 1 else "entries"
    return replace(hit, reason=f"{hit.reason} (overrides {n} block-list {plural})")


def _expired(row: Row, now: datetime) -> bool:
    return row.expires is not None and row.expires <= now
