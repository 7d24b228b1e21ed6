"""Rings: groups of accounts tied by shared scripts or shared indicators.

The graph has three kinds of node: accounts, script clusters and indicators. A script or an
indicator used by two or more accounts (or, for one account, seen in `min_conversations`
conversations) is a *tie*, with a weight for how strong the evidence is (a verified shared
script 1.0, a wallet 1.0, a phone or handle 0.8, a domain 0.6, see ioc.TIE_WEIGHTS; ties
below `min_tie_weight` are ignored). An indicator used by more than `max_indicator_share` of
all accounts, or on the allow-list of big legitimate services, ties nothing; only the former
are reported (`common_indicators`).

Ties are grouped into rings, not accounts directly: two ties join when they share at least two
accounts, at least `min_overlap` of the smaller one's accounts, and far more than chance
would give (a hypergeometric test, Bonferroni-corrected at `alpha`). The scripts and wallets
of one operation are used by largely the same accounts, so they join; a chain letter
forwarded by thousands of strangers overlaps every small cluster a little, by chance, so it
cannot glue scam rings to each other or to the public. A tie whose accounts all lie inside a
bigger ring is attached to it (it adds no account, so it cannot chain). A ring's accounts are
the accounts of its ties; an account may sit in two rings (it is then listed in both).

A campaign is a ring with its material: every script cluster and indicator its accounts use,
and the messages of those (its member messages). Campaigns are built from summaries only, so
the local path and the Spark job assemble them with this same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.stats import hypergeom

from scamlens.campaigns.ioc import ALLOWLIST_DOMAINS, TIE_WEIGHTS
from scamlens.model import Stage

StageFn = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    count: int  # messages with this masked form
    similarity: float  # to the representative, in [0, 1]


@dataclass(frozen=True, slots=True)
class ScriptSummary:
    """One verified script cluster: its messages and where they were seen."""

    id: str
    message_ids: tuple[str, ...]
    accounts: tuple[str, ...]
    conversations: tuple[str, ...]
    platforms: tuple[str, ...]
    representative: str
    variants: tuple[Variant, ...]
    forms: int  # distinct masked forms in the cluster
    languages: tuple[str, ...]
    first_seen: str | None
    last_seen: str | None
    stage: str | None = None

    @property
    def size(self) -> int:
        return len(self.message_ids)


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    type: str
    value: str
    accounts: tuple[str, ...]
    conversations: tuple[str, ...]
    message_ids: tuple[str, ...]
    first_seen: str | None = None
    last_seen: str | None = None
    # Messages where it was found only in a hidden link target (link text hid it), not the text.
    hidden_message_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tie:
    """A shared script or indicator and the accounts it ties, with its weight."""

    kind: str  # "script" or "indicator"
    type: str  # "script", "wallet", "domain", ...
    key: str  # script id or indicator value
    weight: float
    accounts: tuple[str, ...]
    conversations: int
    message_count: int


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    message_ids: tuple[str, ...]
    accounts: tuple[str, ...]
    conversations: tuple[str, ...]
    platforms: tuple[str, ...]
    scripts: tuple[ScriptSummary, ...]
    indicators: tuple[IndicatorSummary, ...]
    ties: tuple[Tie, ...]
    first_seen: str | None
    last_seen: str | None
    languages: tuple[str, ...]
    stages: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.message_ids)

    @property
    def representative(self) -> ScriptSummary | None:
        return self.scripts[0] if self.scripts else None


@dataclass(frozen=True, slots=True)
class RingParams:
    """When shared things tie accounts together (see the module docstring)."""

    min_accounts: int = 2
    min_conversations: int = 3
    min_messages: int = 3  # fewer member messages than this: not reported (unless a wallet ties)
    min_tie_weight: float = 0.5
    min_overlap: float = 0.5
    alpha: float = 0.01  # chance of a spurious join, over all pairs of ties tested
    max_indicator_share: float = 0.05
    max_indicator_floor: int = 25
    tie_weights: dict[str, float] = field(default_factory=lambda: dict(TIE_WEIGHTS))
    allow_domains: frozenset[str] = ALLOWLIST_DOMAINS


def _is_tie(accounts: int, conversations: int, rp: RingParams) -> bool:
    return accounts >= 2 or conversations >= rp.min_conversations


def indicator_ties(
    indicators: Iterable[IndicatorSummary], n_accounts: int, rp: RingParams
) -> tuple[list[tuple[IndicatorSummary, Tie]], list[IndicatorSummary]]:
    """Indicators that tie accounts, and the ones left out as too common (more than
    `max_indicator_share` of the accounts): the report's `common_indicators`. Allow-listed
    domains and URLs, and types too weak to tie, are dropped without being listed (the
    schema's `common_indicators` is "used by so many accounts that they tie nothing")."""
    cap = max(rp.max_indicator_floor, int(rp.max_indicator_share * n_accounts))
    ties: list[tuple[IndicatorSummary, Tie]] = []
    common: list[IndicatorSummary] = []
    for ind in indicators:
        weight = rp.tie_weights.get(ind.type, 0.0)
        if weight < rp.min_tie_weight:
            continue
        if ind.type in ("domain", "url") and _allowed(ind.value, rp.allow_domains):
            continue
        if len(ind.accounts) > cap:
            common.append(ind)
            continue
        if _is_tie(len(ind.accounts), len(ind.conversations), rp):
            tie = Tie(
                "indicator",
                ind.type,
                ind.value,
                weight,
                ind.accounts,
                len(ind.conversations),
                len(ind.message_ids),
            )
            ties.append((ind, tie))
    return ties, common


def _allowed(value: str, allow: frozenset[str]) -> bool:
    host = value.split("://", 1)[-1].split("/", 1)[0]
    parts = host.split(".")
    return any(".".join(parts[i:]) in allow for i in range(len(parts) - 1))


def build_campaigns(
    scripts: Sequence[ScriptSummary],
    indicators: Sequence[IndicatorSummary],
    n_accounts: int,
    rp: RingParams | None = None,
    stage_of: StageFn | None = None,
) -> tuple[list[Campaign], list[IndicatorSummary]]:
    """Campaigns (rings with their material) and the indicators left out as too common."""
    rp = rp or RingParams()
    scripts = [_with_stage(s, stage_of) for s in scripts]
    ind_ties, common = indicator_ties(indicators, n_accounts, rp)
    tie_scripts = [s for s in scripts if _is_tie(len(s.accounts), len(s.conversations), rp)]
    members: list[tuple[str, ...]] = [s.accounts for s in tie_scripts]
    members += [t.accounts for _, t in ind_ties]
    groups = _ring_groups(members, n_accounts, rp)
    tie_ids = {s.id for s in tie_scripts}
    by_account_scripts: dict[str, list[ScriptSummary]] = {}
    for s in scripts:
        if len(s.accounts) == 1 and s.id not in tie_ids:
            by_account_scripts.setdefault(s.accounts[0], []).append(s)
    tied = {(ind.type, ind.value) for ind, _ in ind_ties}
    by_account_inds: dict[str, list[IndicatorSummary]] = {}
    for ind in indicators:
        if (ind.type, ind.value) in tied or len(ind.accounts) != 1:
            continue
        if rp.tie_weights.get(ind.type, 0.0) < rp.min_tie_weight:
            continue
        if ind.type in ("domain", "url") and _allowed(ind.value, rp.allow_domains):
            continue
        by_account_inds.setdefault(ind.accounts[0], []).append(ind)
    campaigns: list[Campaign] = []
    n_scripts = len(tie_scripts)
    for group in groups:
        ring_scripts = [tie_scripts[e] for e in group if e < n_scripts]
        ring_inds: list[tuple[IndicatorSummary, Tie | None]] = [
            ind_ties[e - n_scripts] for e in group if e >= n_scripts
        ]
        accounts = sorted({a for e in group for a in members[e]})
        for a in accounts:  # single-account material of ring members comes along
            ring_scripts.extend(by_account_scripts.get(a, ()))
            ring_inds.extend((ind, None) for ind in by_account_inds.get(a, ()))
        c = _campaign(ring_scripts, ring_inds, rp)
        wallet = any(t.type in ("wallet", "txhash") for t in c.ties)
        if (
            len(c.accounts) >= rp.min_accounts or len(c.conversations) >= rp.min_conversations
        ) and (c.size >= rp.min_messages or wallet):
            campaigns.append(c)
    campaigns.sort(key=lambda c: (-len(c.accounts), -c.size, c.id))
    return campaigns, common


def _ring_groups(
    members: Sequence[tuple[str, ...]], n_accounts: int, rp: RingParams
) -> list[list[int]]:
    """Group ties (given by their accounts) into rings.

    Two ties join when they share at least two accounts, at least `min_overlap` of the
    smaller one's, and more than chance would give: the hypergeometric probability of such
    an overlap between two random sets of those sizes must be below `alpha` divided by the
    number of pairs tested (those meeting the first two conditions). Then a group whose
    accounts all lie inside a bigger group is attached to the biggest such group (it adds no
    account, so it cannot chain anything).
    """
    if not members:
        return []
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for e, accounts in enumerate(members):
        for acc in accounts:
            rows.append(index.setdefault(acc, len(index)))
            cols.append(e)
    n_e = len(members)
    inc = csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (np.asarray(rows), np.asarray(cols))),
        shape=(len(index), n_e),
    )
    shared = (inc.T @ inc).tocoo()
    sizes = np.asarray([len(m) for m in members], dtype=np.int64)
    a, b, n = shared.row, shared.col, shared.data.astype(np.int64)
    upper = a < b
    a, b, n = a[upper], b[upper], n[upper]
    smaller = np.minimum(sizes[a], sizes[b])
    tested = np.flatnonzero((n >= 2) & (n >= rp.min_overlap * smaller))
    total = max(n_accounts, len(index))
    chance = hypergeom.sf(n[tested] - 1, total, sizes[a[tested]], sizes[b[tested]])
    link = np.zeros(len(n), dtype=np.bool_)
    link[tested[chance <= rp.alpha / max(len(tested), 1)]] = True
    graph = coo_matrix(
        (np.ones(int(link.sum()), dtype=np.int8), (a[link], b[link])), shape=(n_e, n_e)
    )
    _, labels = connected_components(graph, directed=False)
    grouped: dict[int, list[int]] = {}
    for e, lab in enumerate(labels.tolist()):
        grouped.setdefault(lab, []).append(e)
    groups = list(grouped.values())
    owned = [frozenset(acc for e in g for acc in members[e]) for g in groups]
    holders: dict[str, list[int]] = {}
    for gi, accs in enumerate(owned):
        for acc in accs:
            holders.setdefault(acc, []).append(gi)
    parent = list(range(len(groups)))
    for gi in sorted(range(len(groups)), key=lambda g: len(owned[g])):
        first = min(owned[gi])
        supers = [
            g for g in holders[first] if len(owned[g]) > len(owned[gi]) and owned[gi] <= owned[g]
        ]
        if supers:
            parent[gi] = max(supers, key=lambda g: (len(owned[g]), -min(groups[g])))
    out: dict[int, list[int]] = {}
    for gi, g in enumerate(groups):
        root = gi
        while parent[root] != root:
            root = parent[root]
        out.setdefault(root, []).extend(g)
    return [sorted(g) for g in out.values()]


def _with_stage(s: ScriptSummary, stage_of: StageFn | None) -> ScriptSummary:
    if stage_of is None or s.stage is not None:
        return s
    votes: dict[str, int] = {}
    for text in [s.representative, *(v.text for v in s.variants[:4])]:
        stage = stage_of(text)
        if stage:
            votes[stage] = votes.get(stage, 0) + 1
    if not votes:
        return s
    best = max(sorted(votes), key=lambda k: votes[k])
    return replace(s, stage=best)


def _campaign(
    scripts: list[ScriptSummary],
    inds: list[tuple[IndicatorSummary, Tie | None]],
    rp: RingParams,
) -> Campaign:
    scripts = sorted(scripts, key=lambda s: (-s.size, s.id))
    inds = sorted(inds, key=lambda x: (x[1] is None, -len(x[0].accounts), x[0].type, x[0].value))
    ties: list[Tie] = []
    for s in scripts:
        if _is_tie(len(s.accounts), len(s.conversations), rp):
            ties.append(
                Tie("script", "script", s.id, 1.0, s.accounts, len(s.conversations), s.size)
            )
    ties.extend(t for _, t in inds if t is not None)
    ids: set[str] = set()
    accounts: set[str] = set()
    convs: set[str] = set()
    platforms: set[str] = set()
    times: list[str] = []
    langs: set[str] = set()
    for s in scripts:
        ids.update(s.message_ids)
        accounts.update(s.accounts)
        convs.update(s.conversations)
        platforms.update(s.platforms)
        times.extend(t for t in (s.first_seen, s.last_seen) if t)
        langs.update(s.languages)
    for ind, _ in inds:
        ids.update(ind.message_ids)
        accounts.update(ind.accounts)
        convs.update(ind.conversations)
        times.extend(t for t in (ind.first_seen, ind.last_seen) if t)
    stages = {s.stage for s in scripts if s.stage}
    order = {st.value: st.order for st in Stage}
    key = "\n".join(sorted(f"{t.type}:{t.key}" for t in ties) or sorted(accounts))
    return Campaign(
        id="c" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest(),
        message_ids=tuple(sorted(ids)),
        accounts=tuple(sorted(accounts)),
        conversations=tuple(sorted(convs)),
        platforms=tuple(sorted(platforms)),
        scripts=tuple(scripts),
        indicators=tuple(ind for ind, _ in inds),
        ties=tuple(ties),
        first_seen=min(times) if times else None,
        last_seen=max(times) if times else None,
        languages=tuple(sorted(langs)),
        stages=tuple(sorted(stages, key=lambda v: (order.get(v, 99), v))),
    )
