"""Score profiles and job ads: rules, checks, the job-ad model, photos, intelligence, templates.

Every signal carries evidence (field, span, source). The risk is the noisy-OR of the positive
signals' scores, damped by the counter-evidence:

    risk = (1 - prod(1 - s_i)) * (1 - COUNTER_DAMP * noisy_or(counter scores))

For job ads the model adds one signal of strength MODEL_WEIGHT * p when p reaches the model's
operating threshold. MODEL_WEIGHT is below SUSPICIOUS_AT: the model alone never flags an ad,
it strengthens what rules and checks found (the shipped model is trained on our own written
examples only; see resources/models/jobad_MODEL_CARD.md).
Labels: "scam" at SCAM_AT or above, "suspicious" at SUSPICIOUS_AT or above, else "benign".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scamlens import __version__
from scamlens.model import Evidence, IntelHit
from scamlens.profiles import claims
from scamlens.profiles.jobad_model import JobAdModel, default_model
from scamlens.profiles.lookups import FieldIndicator, IntelLookup, field_indicators, intel_signals
from scamlens.profiles.lookups import phones as phone_indicators
from scamlens.profiles.model import ItemVerdict, JobAd, Profile, Signal, field_evidence
from scamlens.profiles.packs import Pack, load_pack, rule_evidence, rule_signals
from scamlens.profiles.pay import find_pay, is_asian_currency, salary_field_monthly_usd
from scamlens.profiles.photos import (
    HASH_SCHEME,
    PhotoError,
    PhotoHashes,
    PhotoIndex,
    PhotoMatch,
    hash_file,
    is_url,
)
from scamlens.profiles.templates import bio_groups
from scamlens.scoring.features import noisy_or
from scamlens.text.normalize import detect_language

SCHEMA = "item/1"
SCAM_AT = 0.7
SUSPICIOUS_AT = 0.4
COUNTER_DAMP = 0.8
MODEL_WEIGHT = 0.35
TEMPLATE_SCORE_2 = 0.45  # the bio template is shared with one other account
TEMPLATE_SCORE_3 = 0.6  # ... with two or more
PHOTO_LABEL_SCORES = {"reported": 0.85, "stolen": 0.85, "stock": 0.7, "seen": 0.6}
PHOTO_OTHER_SCORE = 0.6  # any other label, and photos shared inside the scored batch
PHOTO_IGNORED_LABELS = frozenset({"allow", "verified"})
PAY_SCORE = 0.35
PAY_SCORE_HIGH = 0.5
PAY_ASIA_MONTHLY_USD = 1_000.0  # low-skill work in the compound regions
PAY_OTHER_MONTHLY_USD = 4_000.0
TRAFFICKING_SCORE = 0.6


def label_for(risk: float) -> str:
    if risk >= SCAM_AT:
        return "scam"
    if risk >= SUSPICIOUS_AT:
        return "suspicious"
    return "benign"


def combine(signals: Sequence[Signal]) -> tuple[float, float, float]:
    """(risk, positive noisy-OR, counter noisy-OR)."""
    pos = noisy_or([s.score for s in signals if not s.counter])
    neg = noisy_or([s.score for s in signals if s.counter])
    return round(pos * (1.0 - COUNTER_DAMP * neg), 4), pos, neg


def _ordered(signals: Iterable[Signal]) -> tuple[Signal, ...]:
    return tuple(sorted(signals, key=lambda s: (s.counter, -s.score, s.id)))


def _component(signals: Sequence[Signal], prefixes: tuple[str, ...]) -> float:
    return round(
        noisy_or(
            [
                s.score
                for s in signals
                if not s.counter and any(e.source.startswith(prefixes) for e in s.evidence)
            ]
        ),
        4,
    )


def _components(signals: Sequence[Signal], pos: float, neg: float) -> dict[str, float]:
    return {
        "rules": _component(signals, ("rule:",)),
        "checks": _component(signals, ("check:",)),
        "model": _component(signals, ("model:",)),
        "photo": _component(signals, ("photo:",)),
        "intel": _component(signals, ("intel:",)),
        "cluster": _component(signals, ("cluster:",)),
        "positive": round(pos, 4),
        "counter": round(neg, 4),
    }


# -- profiles ---------------------------------------------------------------------------------


@dataclass
class _PhotoRef:
    field: str
    ref: str
    hashes: PhotoHashes | None = None


@dataclass
class _ProfileWork:
    profile: Profile
    account: str
    signals: list[Signal] = field(default_factory=list)
    hits: list[IntelHit] = field(default_factory=list)
    indicators: list[FieldIndicator] = field(default_factory=list)
    photos: list[_PhotoRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ProfileScorer:
    """Scores profiles. A batch (`score_many`) also finds bio templates and photos shared
    between its accounts.

    photo_root: folder that photo file paths are read from (relative paths resolve inside
        it; paths outside it are refused). None: photo files are not read, URLs still compared.
    photo_index: photos seen on other accounts or reported (see `PhotoIndex`).
    intel: the intelligence store (anything with IntelStore.check).
    """

    def __init__(
        self,
        *,
        photo_root: str | Path | None = None,
        photo_index: PhotoIndex | None = None,
        intel: IntelLookup | None = None,
        pack: Pack | None = None,
    ) -> None:
        self.pack = pack or load_pack("profile")
        self.photo_root = Path(photo_root).resolve() if photo_root is not None else None
        self.photo_index = photo_index
        self.intel = intel

    @property
    def versions(self) -> dict[str, str]:
        return {
            "scamlens": __version__,
            "schema": SCHEMA,
            "rules": self.pack.version,
            "photo_hash": HASH_SCHEME,
        }

    def score(self, profile: Profile) -> ItemVerdict:
        return self.score_many([profile])[0]

    def score_many(self, profiles: Sequence[Profile]) -> list[ItemVerdict]:
        work = [
            _ProfileWork(p, p.id if p.id is not None else f"record {i + 1}")
            for i, p in enumerate(profiles)
        ]
        for w in work:
            self._text_signals(w)
        self._template_signals(work)
        self._photo_signals(work)
        return [self._verdict(w) for w in work]

    # text, checks and intelligence, one profile at a time
    def _text_signals(self, w: _ProfileWork) -> None:
        p = w.profile
        fields = p.text_fields()
        evidence = rule_evidence(self.pack, fields)
        w.signals.extend(rule_signals(self.pack, evidence))

        ind_fields: list[tuple[str, str, str | None]] = [(n, t, None) for n, t in fields]
        ind_fields += [(f"links[{i}]", link, None) for i, link in enumerate(p.links)]
        ind_fields += [(f"contacts[{i}]", c.value, c.platform) for i, c in enumerate(p.contacts)]
        w.indicators = field_indicators(ind_fields)

        found: list[Signal | None] = [
            claims.conflicting_roles(fields),
            claims.location_phone_mismatch(
                p.location,
                [
                    claims.PhoneSeen(
                        e164,
                        fi.field,
                        fi.indicator.start,
                        fi.indicator.end,
                        fi.text[fi.indicator.start : fi.indicator.end],
                    )
                    for e164, fi in phone_indicators(w.indicators)
                ],
            ),
            claims.new_account_wealth(
                p.account_age_days,
                [e for e in evidence if e.tactic in claims.WEALTH_TACTICS and not e.counter],
            ),
            claims.messenger_contact_listed(
                {f"contacts[{i}]": (c.value, c.platform) for i, c in enumerate(p.contacts)}
            ),
        ]
        w.signals.extend(s for s in found if s is not None)
        intel_found, hits = intel_signals(w.indicators, self.intel)
        w.signals.extend(intel_found)
        w.hits.extend(hits)

    def _template_signals(self, work: Sequence[_ProfileWork]) -> None:
        groups = bio_groups([w.profile.bio for w in work])
        accounts: dict[str, set[str]] = {}
        for w, g in zip(work, groups, strict=True):
            if g is not None:
                accounts.setdefault(g, set()).add(w.account)
        for w, g in zip(work, groups, strict=True):
            if g is None or len(accounts[g]) < 2:
                continue
            n = len(accounts[g])
            score = TEMPLATE_SCORE_3 if n >= 3 else TEMPLATE_SCORE_2
            ev = field_evidence("bio_template", f"cluster:{g}", score, "bio", w.profile.bio)
            w.signals.append(
                Signal(
                    "bio_template",
                    "Same bio template as other accounts",
                    score,
                    (ev,),
                    detail=f"bio shared (near-duplicate) by {n} accounts in this batch",
                )
            )

    # photos: the persistent index, then reuse between the accounts of this batch
    def _resolve(self, ref: str) -> Path | None:
        if self.photo_root is None:
            return None
        candidate = Path(ref)
        full = (candidate if candidate.is_absolute() else self.photo_root / candidate).resolve()
        return full if full.is_relative_to(self.photo_root) else None

    def _photo_signals(self, work: Sequence[_ProfileWork]) -> None:
        cache: dict[Path, PhotoHashes | PhotoError] = {}
        unread = 0
        for w in work:
            for i, ref in enumerate(w.profile.photos):
                pr = _PhotoRef(f"photos[{i}]", ref)
                w.photos.append(pr)
                if is_url(ref):
                    continue
                path = self._resolve(ref)
                if path is None:
                    if self.photo_root is None:
                        unread += 1
                    else:
                        w.warnings.append(f"{pr.field}: outside the photo folder, not read")
                    continue
                got = cache.get(path)
                if got is None:
                    try:
                        got = hash_file(path)
                    except PhotoError as exc:
                        got = exc
                    cache[path] = got
                if isinstance(got, PhotoError):
                    w.warnings.append(f"{pr.field}: {got}")
                else:
                    pr.hashes = got
        if unread:
            for w in work:
                if any(not is_url(r) for r in w.profile.photos):
                    w.warnings.append("photo files were not read (no photo folder given)")

        batch = PhotoIndex.memory() if len(work) > 1 else None
        try:
            if batch is not None:
                for w in work:
                    for pr in w.photos:
                        if pr.hashes is not None:
                            batch.add_hashes(pr.hashes, label="batch", account=w.account)
                        elif is_url(pr.ref):
                            batch.add_url(pr.ref, label="batch", account=w.account)
            for w in work:
                ev: list[Evidence] = []
                for pr in w.photos:
                    ev.extend(self._photo_evidence(w, pr, self.photo_index, persistent=True))
                    ev.extend(self._photo_evidence(w, pr, batch, persistent=False))
                if ev:
                    ev.sort(key=lambda e: -e.score)
                    n = len({e.source for e in ev})
                    w.signals.append(
                        Signal(
                            "photo_reuse",
                            "Photo seen on other accounts or reported",
                            ev[0].score,
                            tuple(ev),
                            detail=f"{n} matching photo(s)",
                        )
                    )
        finally:
            if batch is not None:
                batch.close()

    @staticmethod
    def _photo_evidence(
        w: _ProfileWork, pr: _PhotoRef, index: PhotoIndex | None, *, persistent: bool
    ) -> list[Evidence]:
        if index is None:
            return []
        matches: list[PhotoMatch]
        if pr.hashes is not None:
            matches = index.check_hashes(pr.hashes)
        elif is_url(pr.ref):
            matches = index.check_url(pr.ref)
        else:
            return []
        out = []
        for m in matches:
            if m.entry.label in PHOTO_IGNORED_LABELS:
                continue
            # A photo seen before on this same account is no reuse; a report on it still is.
            if m.entry.account == w.account and (not persistent or m.entry.label == "seen"):
                continue
            if persistent:
                base = PHOTO_LABEL_SCORES.get(m.entry.label, PHOTO_OTHER_SCORE)
                source = f"photo:{m.entry.label}#{m.entry.id}"
            else:
                base = PHOTO_OTHER_SCORE
                source = f"photo:batch#{m.entry.account}"
            out.append(field_evidence("photo_reuse", source, base * m.similarity, pr.field, pr.ref))
        return out

    def _verdict(self, w: _ProfileWork) -> ItemVerdict:
        signals = _ordered(w.signals)
        risk, pos, neg = combine(signals)
        text = " ".join(t for _, t in w.profile.text_fields())
        return ItemVerdict(
            id=w.profile.id,
            kind="profile",
            risk=risk,
            label=label_for(risk),
            signals=signals,
            language=detect_language(text) if text else "unknown",
            components=_components(signals, pos, neg),
            versions=self.versions,
            indicators=tuple(fi.indicator for fi in w.indicators),
            intel_hits=tuple(w.hits),
            warnings=tuple(dict.fromkeys(w.warnings)),
        )


# -- job ads ----------------------------------------------------------------------------------

_LOW_SKILL = frozenset({"lure_role", "no_experience"})
_ABROAD = frozenset({"compound_hotspot", "compound_country", "overseas_post"})
_ASIA = frozenset({"compound_hotspot", "compound_country"})
_TRAVEL_OR_CONTACT = frozenset(
    {"travel_paid", "messenger_only", "passport_surrender", "irregular_crossing"}
)
_LURE = frozenset(
    {"lure_role", "no_experience", "high_pay", "pay_vs_skill", "illicit_work", "crypto_sales_role"}
)
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")


def pay_vs_skill(ad: JobAd, found: Sequence[Signal]) -> Signal | None:
    """Pay far above what a low-skill job pays. In the compound regions (or in an Asian
    currency) a typing, "customer service" or no-experience job at USD 1,000 a month or more;
    elsewhere a job that says no experience is needed at USD 4,000 a month or more."""
    ids = {s.id for s in found if not s.counter}
    region_asia = bool(ids & _ASIA)
    best: tuple[float, str, int, int, bool] | None = None
    for name, text in ad.text_fields():
        for claim in find_pay(text):
            asia = region_asia or is_asian_currency(claim.currency)
            if best is None or claim.monthly_usd > best[0]:
                best = (claim.monthly_usd, name, claim.start, claim.end, asia)
    if best is None and ad.salary:
        monthly = salary_field_monthly_usd(ad.salary)
        if monthly is not None:
            best = (monthly, "salary", 0, len(ad.salary), region_asia)
    if best is None:
        return None
    monthly, name, start, end, asia = best
    low_skill = bool(ids & _LOW_SKILL) if asia else "no_experience" in ids
    limit = PAY_ASIA_MONTHLY_USD if asia else PAY_OTHER_MONTHLY_USD
    if not low_skill or monthly < limit:
        return None
    score = PAY_SCORE_HIGH if monthly >= 3 * limit else PAY_SCORE
    text = dict(ad.text_fields())[name]
    ev = field_evidence("pay_vs_skill", "check:pay_vs_skill", score, name, text, start, end)
    return Signal(
        "pay_vs_skill",
        "Pay far above the skill asked",
        score,
        (ev,),
        detail=f"about USD {monthly:,.0f} a month for low-skill work",
    )


def trafficking_pattern(found: Sequence[Signal]) -> Signal | None:
    """The compound-recruitment pattern: a post abroad, travel paid or contact only through a
    messenger, and a low-skill or too-well-paid job, all in one ad."""
    by_id = {s.id: s for s in found if not s.counter}
    parts = [
        [by_id[i] for i in sorted(_ABROAD & by_id.keys())],
        [by_id[i] for i in sorted(_TRAVEL_OR_CONTACT & by_id.keys())],
        [by_id[i] for i in sorted(_LURE & by_id.keys())],
    ]
    if not all(parts):
        return None
    ev = tuple(
        Evidence(
            tactic="trafficking_pattern",
            source="check:trafficking_pattern",
            score=TRAFFICKING_SCORE,
            quote=group[0].evidence[0].quote,
            start=group[0].evidence[0].start,
            end=group[0].evidence[0].end,
            note=group[0].evidence[0].note,
        )
        for group in parts
    )
    names = ", ".join(g[0].id for g in parts)
    return Signal(
        "trafficking_pattern",
        "Scam-compound recruitment pattern",
        TRAFFICKING_SCORE,
        ev,
        detail=f"abroad + travel/contact + lure ({names})",
    )


class JobAdScorer:
    """Scores job ads and recruitment messages: rules (EN and ZH), checks, the learned model.

    model: the job-ad model; default the shipped one. use_model=False scores on rules only.
    intel: the intelligence store (anything with IntelStore.check).
    """

    def __init__(
        self,
        *,
        model: JobAdModel | None = None,
        use_model: bool = True,
        intel: IntelLookup | None = None,
        pack: Pack | None = None,
    ) -> None:
        self.pack = pack or load_pack("job_ad")
        self.model = (model or default_model()) if use_model else None
        self.intel = intel

    @property
    def versions(self) -> dict[str, str]:
        v = {"scamlens": __version__, "schema": SCHEMA, "rules": self.pack.version}
        v["model"] = self.model.model_id if self.model is not None else "none"
        return v

    def score(self, ad: JobAd) -> ItemVerdict:
        return self.score_many([ad])[0]

    def score_many(self, ads: Sequence[JobAd]) -> list[ItemVerdict]:
        probs = self.model.predict_proba(ads) if self.model is not None and ads else None
        return [
            self._score_one(ad, None if probs is None else float(probs[i]))
            for i, ad in enumerate(ads)
        ]

    def _model_signal(self, ad: JobAd, p: float) -> Signal | None:
        if self.model is None or p < self.model.threshold:
            return None
        score = round(MODEL_WEIGHT * p, 4)
        # Evidence: the sentences the model finds most scam-like (text only, ranked).
        pieces: list[tuple[str, str, int, int]] = []
        for name, text in ad.text_fields():
            for m in _SENTENCE.finditer(text):
                s, e = m.span()
                while s < e and text[s].isspace():
                    s += 1
                if e - s >= 12:
                    pieces.append((name, text, s, e))
        pieces = pieces[:400]
        ranked = self.model.text_proba([t[s:e] for _, t, s, e in pieces])
        order = sorted(range(len(pieces)), key=lambda k: -float(ranked[k]))[:3]
        src = f"model:{self.model.model_id}"
        ev = tuple(
            field_evidence(
                "model_jobad", src, score, pieces[k][0], pieces[k][1], pieces[k][2], pieces[k][3]
            )
            for k in order
        )
        if not ev:  # only short fields: the longest one is the evidence
            name, text = max(ad.text_fields(), key=lambda f: len(f[1]), default=("title", ""))
            ev = (field_evidence("model_jobad", src, score, name, text),)
        return Signal(
            "model_jobad",
            "Learned model: reads like a fake job ad",
            score,
            ev,
            detail=f"model probability {p:.2f}",
        )

    def _score_one(self, ad: JobAd, p: float | None) -> ItemVerdict:
        fields = ad.text_fields()
        evidence = rule_evidence(self.pack, fields)
        signals = rule_signals(self.pack, evidence)
        pay = pay_vs_skill(ad, signals)
        if pay is not None:
            signals.append(pay)
        pattern = trafficking_pattern(signals)
        if pattern is not None:
            signals.append(pattern)
        if p is not None:
            ms = self._model_signal(ad, p)
            if ms is not None:
                signals.append(ms)
        indicators = field_indicators([(n, t, None) for n, t in fields])
        intel_found, hits = intel_signals(indicators, self.intel)
        signals.extend(intel_found)
        ordered = _ordered(signals)
        risk, pos, neg = combine(ordered)
        comps = _components(ordered, pos, neg)
        if p is not None:
            comps["model_probability"] = round(p, 4)
        text = " ".join(t for _, t in fields)
        return ItemVerdict(
            id=ad.id,
            kind="job_ad",
            risk=risk,
            label=label_for(risk),
            signals=ordered,
            language=detect_language(text) if text else "unknown",
            components=comps,
            versions=self.versions,
            indicators=tuple(fi.indicator for fi in indicators),
            intel_hits=tuple(hits),
        )
