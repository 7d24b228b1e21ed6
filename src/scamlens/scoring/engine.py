"""The one engine: a conversation or a text in, a verdict with evidence out.

Every adapter (CLI, API, batch, Spark) calls this; none holds detection logic of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scamlens import __version__
from scamlens.detect.matcher import HitSpan, Matcher, RuleHit
from scamlens.detect.rulepack import Rule, RulePack, Tactic, load_rulepack
from scamlens.fastinit import positional
from scamlens.model import (
    Conversation,
    Evidence,
    Indicator,
    IntelHit,
    Message,
    MessageKind,
    Stage,
    StageSpan,
    TacticFinding,
    TimeFeatures,
    Verdict,
)
from scamlens.scoring import fused
from scamlens.scoring.advice import advice_for
from scamlens.scoring.features import (
    FEATURE_NAMES,
    MONEY_STAGES,
    TacticScore,
    build_features,
    noisy_or,
    sequence_features,
    stage_scores,
)
from scamlens.scoring.language import joined_head
from scamlens.scoring.language import quick_language as quick_language
from scamlens.scoring.prepared import Prepared, prepare
from scamlens.scoring.risk import RiskModel
from scamlens.scoring.tacticmodel import TacticModel
from scamlens.scoring.textmodel import TextModel
from scamlens.scoring.voice import VictimVoice
from scamlens.scoring.vouching import (
    DESCRIBED_NOTE,
    described_spans,
    inside,
    link_split_pitches,
    voidable_counters,
    voiding_rules,
)
from scamlens.text.language import is_other_language
from scamlens.text.normalize import fold_many

SCHEMA_VERSION = "1.0"
STAGE_MIN = 0.3  # a stage counts as reached from this stage score on
MODEL_EVIDENCE_MIN = 0.8  # the learned model's message score shown as evidence from here on
_USER_SAID_FACTOR = 0.5  # a scammer-side tactic in the user's own words (quoting, narrating)
_NEGATED_FACTOR = 0.15
_QUOTED_FACTOR = 0.3
# Paragraphs that must warn or report before a speakerless text counts as a warning document.
_WARNING_PARAGRAPHS = 2
_WARNING_NOTE = "quoted in a document that warns about scams"
# A tactic the tactic model finds where no rule fired counts for less than a rule hit.
MODEL_TACTIC_FACTOR = 0.6
_QUOTE_MAX = 280
new_evidence = positional(Evidence)  # Evidence(...) with every field, in field order
# The kinds of message that carry text to score. A constant: an enum member's attribute
# lookup (Python 3.11) costs more than the rest of the per-message filter.
_TEXT_KINDS = (MessageKind.TEXT, MessageKind.MEDIA)

IndicatorExtractor = Callable[[Conversation], list[Indicator]]
# Looks indicators up; keyed by each indicator's (type, value). A hit's own value may be a
# parent domain or a URL's host.
IntelChecker = Callable[[Sequence[Indicator]], Mapping[tuple[str, str], list[IntelHit]]]
# (messages, folded texts) -> scores; training passes out-of-fold models through these.
ProbsFor = Callable[[list[Message], list[str]], np.ndarray]


@dataclass(frozen=True, slots=True)
class TextResult:
    """The lean result of batch scoring one text."""

    risk: float
    label: str
    stage: Stage | None
    language: str
    tactics: tuple[tuple[str, float], ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the risk model reads about a conversation, and the evidence behind it."""

    features: np.ndarray
    messages: list[Message]
    evidence: list[Evidence]
    scored: list[tuple[Message, float]]  # the other party's messages with text-model scores
    indicators: tuple[Indicator, ...]
    intel_hits: tuple[IntelHit, ...]
    intel: float
    # What analyze reads again, computed once here (None: compute from `evidence`).
    tactic_scores: list[TacticScore] | None = None
    counter_scores: tuple[float, float] | None = None
    # A speakerless text that warns about scams: its tactics and script language are quoted.
    warning_document: bool = False


def text_messages(conv: Conversation) -> list[Message]:
    """The messages of `conv` whose text the engine scores."""
    return [
        m
        for m in conv.messages
        # `not isspace()` is `strip() != ""` without building the stripped copy
        if m.kind in _TEXT_KINDS and m.text and not m.text.isspace()
    ]


def indicator_evidence(
    conv: Conversation,
    indicators: Sequence[Indicator],
    found: Mapping[tuple[str, str], list[IntelHit]],
) -> list[Evidence]:
    """Indicators the other party sent become onboarding evidence; store hits say why.

    An allow-listed value (a real exchange's domain) is never evidence for a scam.
    """
    by_index = {m.index: m for m in conv.messages}
    hit_for: dict[tuple[str, str], IntelHit] = {}
    for key, hits in found.items():
        block = [h for h in hits if not h.allowlisted]
        if block and not any(h.allowlisted for h in hits):
            hit_for[key] = max(block, key=lambda h: h.confidence)
    out: list[Evidence] = []
    for ind in indicators:
        msg = by_index.get(ind.message_index) if ind.message_index is not None else None
        if msg is None or msg.is_user:
            continue
        tactic, score, note = None, 0.0, ""
        attrs = ind.attrs
        if ind.type == "app_lure":
            tactic, score, note = (
                "platform_link",
                0.6,
                f"app-install lure ({attrs.get('reason', '')})",
            )
        elif ind.type in ("url", "domain") and "lookalike_brand" in attrs:
            score = 0.4 + 0.35 * float(attrs.get("lookalike_score", "0.5"))
            tactic, note = "platform_link", f"look-alike site: {attrs.get('lookalike_reason', '')}"
        elif ind.type in ("url", "domain") and attrs.get("obfuscated") == "1":
            tactic, score, note = "platform_link", 0.5, "link written to dodge filters"
        elif ind.type == "wallet" and ind.valid:
            tactic, score = "first_deposit", 0.45
            note = f"{ind.chain or 'crypto'} wallet address sent by the contact"
        hit = hit_for.get((ind.type, ind.value))
        if hit is not None:
            tactic = tactic or ("first_deposit" if ind.type == "wallet" else "platform_link")
            out.append(
                Evidence(
                    tactic=tactic,
                    source=f"intel:{hit.source}",
                    score=round(min(1.0, max(hit.confidence, 0.0)), 4),
                    quote=msg.text[ind.start : ind.end],
                    message_index=msg.index,
                    start=ind.start,
                    end=ind.end,
                    note=_where(ind, hit.reason),
                )
            )
        if tactic is not None and score > 0:
            out.append(
                Evidence(
                    tactic=tactic,
                    source=f"indicator:{ind.detector}",
                    score=round(score, 4),
                    quote=msg.text[ind.start : ind.end],
                    message_index=msg.index,
                    start=ind.start,
                    end=ind.end,
                    note=_where(ind, note),
                )
            )
    return out


def _where(ind: Indicator, note: str) -> str:
    """The note, saying where the value is when it is not in the message text: a hidden link's
    target has an empty span (quote ""), so the note is the only place that names it."""
    if ind.attrs.get("where") != "link_target":
        return note
    hidden = f"hidden link target {ind.value}"  # value, not raw: redaction keeps values
    return f"{hidden}: {note}" if note else hidden


# A rule's tactic, its evidence source, and whether a hit marks the message as quoting a
# warning or report (a counter tactic of the other party's or anyone's words).
RuleInfo = tuple[Tactic, str, bool]


def _warns(tactic: Tactic) -> bool:
    """A counter tactic of the other party's or anyone's words: a warning or report."""
    return tactic.counter and tactic.speaker != "user"


def _rule_info(pack: RulePack, rule: Rule) -> RuleInfo:
    tactic = pack.tactic_of(rule)
    return tactic, f"rule:{rule.id}", _warns(tactic)


def _speaker_factor(tactic: Tactic, is_user: bool | None) -> float:
    if tactic.speaker == "any":
        return 1.0
    if tactic.speaker == "user":
        return 0.0 if is_user is False else 1.0
    return _USER_SAID_FACTOR if is_user else 1.0


class Engine:
    def __init__(
        self,
        pack: RulePack,
        text_model: TextModel,
        risk_model: RiskModel,
        *,
        extractor: IndicatorExtractor | None = None,
        intel: IntelChecker | None = None,
        tactic_model: TacticModel | None = None,
    ) -> None:
        self.pack = pack
        self.matcher = Matcher(pack)
        self._victim_voice = VictimVoice(pack.victim_voice)
        self._rule_info = [_rule_info(pack, r) for r in pack.rules]  # by rule index
        self._rule_index = {r.id: i for i, r in enumerate(pack.rules)}
        self._voiding = voiding_rules(pack)
        self._voidable = voidable_counters(pack)
        self.text_model = text_model
        self.risk_model = risk_model
        self.tactic_model = tactic_model
        self.extractor = extractor
        self.intel = intel

    @property
    def versions(self) -> dict[str, str]:
        out = {
            "scamlens": __version__,
            "schema": SCHEMA_VERSION,
            "rules": self.pack.version,
            "text_model": self.text_model.model_id,
            "risk_model": self.risk_model.model_id,
        }
        if self.tactic_model is not None:
            out["tactic_model"] = self.tactic_model.model_id
        return out

    def with_intel(
        self, extractor: IndicatorExtractor | None, intel: IntelChecker | None
    ) -> Engine:
        clone = Engine.__new__(Engine)
        clone.__dict__.update(self.__dict__)
        clone.extractor = extractor
        clone.intel = intel
        return clone

    # -- evidence -------------------------------------------------------------------------

    def message_evidence(
        self, text: str, folded: str, message_index: int | None, is_user: bool | None
    ) -> list[Evidence]:
        hits = self.matcher.match(text, folded)
        return self._rule_evidence(text, folded, hits, message_index, is_user)

    def _rule_evidence(
        self,
        text: str,
        folded: str,
        hits: Sequence[RuleHit],
        message_index: int | None,
        is_user: bool | None,
    ) -> list[Evidence]:
        found = [(_rule_info(self.pack, h.rule), h.start, h.end, h.negated) for h in hits]
        ids = [self._rule_index[h.rule.id] for h in hits]
        described = self._described(text, folded, ids)
        return self._evidence_of(text, found, message_index, is_user, described)

    def _described(self, text: str, folded: str, ids: Sequence[int]) -> list[tuple[int, int]]:
        """Warning halves of the voiding hits among rules `ids` (none on the common path)."""
        if self._voiding.isdisjoint(ids):
            return []
        return described_spans(self.matcher, text, folded, ids, self._voiding)

    def _evidence_of(
        self,
        text: str,
        found: Sequence[tuple[RuleInfo, int, int, bool]],
        message_index: int | None,
        is_user: bool | None,
        described: Sequence[tuple[int, int]] = (),
    ) -> list[Evidence]:
        """Rule evidence of one message: (rule info, start, end, negated) per hit.
        `described`: warning halves of voiding hits (vouching.py), where hits stay quoted."""
        out: list[Evidence] = []
        voided = [v for f in found for v in f[0][0].voids]
        if voided:  # a warning that sets up the speaker's own pitch is part of the pitch
            found = [f for f in found if f[0][0].id not in voided]
        # A message that reports or warns about scams quotes their tactics; it does not use them.
        quoted = any(f[0][2] for f in found)
        for (tactic, source, _), start, end, negated in found:
            factor = _speaker_factor(tactic, is_user)
            if factor == 0.0:
                continue
            counter = tactic.counter or negated
            score = tactic.weight * factor * (_NEGATED_FACTOR if negated else 1.0)
            note = None
            if negated:
                note = "negated in the same sentence"
            elif quoted and not tactic.counter:
                score *= _QUOTED_FACTOR
                note = "quoted in a warning or report"
            elif described and not tactic.counter and not tactic.voids and inside(start, described):
                score *= _QUOTED_FACTOR
                note = DESCRIBED_NOTE
            elif factor < 1.0:
                note = "said by the user (quoting or describing)"
            # Positional, in Evidence's field order (pinned by a test): the hot constructor.
            out.append(
                new_evidence(
                    tactic.id,
                    source,
                    round(score, 4),
                    text[start:end],
                    message_index,
                    start,
                    end,
                    counter,
                    note,
                )
            )
        return out

    def _rule_evidence_many(
        self,
        msgs: Sequence[Message],
        folded: Sequence[str],
        found: Sequence[Sequence[HitSpan]] | None = None,
    ) -> list[list[Evidence]]:
        """`message_evidence` of every message: one literal scan each, Python only on hits.
        `found`: each message's `Matcher.hit_spans`, already known (`prepare`)."""
        out: list[list[Evidence]] = []
        if found is None:
            in_text = self.matcher.in_text
            found = [
                in_text(m.text, f, spans) if spans else []
                for m, f, spans in zip(
                    msgs, folded, self.matcher.folded_spans_many(folded), strict=True
                )
            ]
        for m, f, hits in zip(msgs, folded, found, strict=True):
            if not hits:
                out.append([])
                continue
            out.append(self._span_evidence(m.text, f, hits, m.index, m.is_user))
        return out

    def _span_evidence(
        self,
        text: str,
        folded: str,
        found: Sequence[tuple[int, int, int, bool]],
        message_index: int | None,
        is_user: bool | None,
    ) -> list[Evidence]:
        """`_rule_evidence` of `Matcher.hit_spans` tuples (no RuleHit objects)."""
        info = self._rule_info
        spans = [(info[idx], start, end, negated) for idx, start, end, negated in found]
        described = self._described(text, folded, [f[0] for f in found])
        return self._evidence_of(text, spans, message_index, is_user, described)

    def _warning_document(
        self,
        msgs: Sequence[Message],
        per_message: Sequence[Sequence[Evidence]],
        folded: Sequence[str],
    ) -> bool:
        """True for a text with no speakers (an article, a leaflet, a pasted post) whose
        paragraphs warn about or report on scams in at least `_WARNING_PARAGRAPHS` places:
        the whole text is then one author's report, and the tactics it names are quoted.

        Chats are left out: there a warning binds only its own message, since scammers warn
        about "other scammers" to look honest. So is a victim's own account that quotes the
        police or the bank: it speaks in the first person of money paid (`VictimVoice`)."""
        if len(msgs) < _WARNING_PARAGRAPHS or any(
            m.sender is not None or m.is_user is not None for m in msgs
        ):
            return False
        warned = 0
        for evs in per_message:
            if any(not e.note and _warns(self.pack.tactics[e.tactic]) for e in evs):
                warned += 1
                if warned >= _WARNING_PARAGRAPHS:
                    return not self._victim_voice.speaks(folded)
        return False

    @staticmethod
    def _as_quoted(evidence: list[Evidence]) -> list[Evidence]:
        """`evidence` of one paragraph of a warning document: tactics weighed as quoted."""
        out = []
        for e in evidence:
            if e.counter or e.note:  # counters, negated or already quoted hits stay as they are
                out.append(e)
                continue
            out.append(
                replace(
                    e,
                    score=round(e.score * _QUOTED_FACTOR, 4),
                    note=_WARNING_NOTE,
                )
            )
        return out

    def model_tactic_evidence(
        self,
        text: str,
        message_index: int | None,
        probs: np.ndarray,
        rule_evidence: Sequence[Evidence],
        *,
        in_warning: bool = False,
    ) -> list[Evidence]:
        """Tactics the tactic model finds in one message where no rule found them.

        `probs`: the tactic model's row for the message; `rule_evidence`: that message's rule
        evidence (a negated or quoted rule hit still counts as the rules having spoken);
        `in_warning`: the message belongs to a document that warns about scams.
        """
        tm = self.tactic_model
        if tm is None:
            return []
        fired = np.flatnonzero(probs >= tm.thresholds)
        if fired.size == 0:
            return []
        have = {e.tactic for e in rule_evidence}
        quoted = in_warning or any(_warns(self.pack.tactics[e.tactic]) for e in rule_evidence)
        end = min(len(text), _QUOTE_MAX)
        out = []
        for j in fired:
            tid = tm.tactics[int(j)]
            tactic = self.pack.tactics.get(tid)
            if tactic is None or tactic.counter or tactic.stage is None or tid in have:
                continue
            p = float(probs[j])
            score = tactic.weight * MODEL_TACTIC_FACTOR * p
            note = f"tactic model, p={p:.2f}"
            if quoted:
                score *= _QUOTED_FACTOR
                note += "; quoted in a warning or report"
            out.append(
                Evidence(
                    tactic=tid,
                    source=f"model:{tm.model_id}",
                    score=round(score, 4),
                    quote=text[:end],
                    message_index=message_index,
                    start=0,
                    end=end,
                    note=note,
                )
            )
        return out

    def _model_scores(
        self, texts: Sequence[str], text_model: bool, tactic: TacticModel | None
    ) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
        """Text-model scores (if `text_model`) and tactic-model firing scores of folded texts,
        from one hashing pass. The hashed models score each row on its own, so repeated texts
        (the same short reply, one SMS sent to many) are hashed and scored once."""
        if not text_model and tactic is None:
            return None, None
        uniq: Sequence[str] = texts
        if isinstance(self.text_model, TextModel):
            uniq = list(dict.fromkeys(texts))
        both = None
        hashed = None
        if text_model and tactic is not None and type(self.text_model) is TextModel:
            # Both products in one pass of the C kernel, straight from the hashing kernel.
            both = fused.fused_text_scores(self.text_model, tactic, list(uniq))
            if both is None:
                hashed = self.text_model.transform(uniq)
                both = fused.fused_scores(self.text_model, tactic, hashed)
        probs: NDArray[np.float64] | None
        tprobs: NDArray[np.float64] | None
        if both is not None:
            probs, tprobs = both
        else:
            if hashed is None:
                hashed = self.text_model.transform(uniq)
            probs = self.text_model.proba_hashed(hashed) if text_model else None
            tprobs = tactic.firing_proba(hashed) if tactic is not None else None
        if len(uniq) < len(texts):
            row = {t: i for i, t in enumerate(uniq)}
            inverse = np.fromiter((row[t] for t in texts), dtype=np.intp, count=len(texts))
            probs = probs[inverse] if probs is not None else None
            tprobs = tprobs[inverse] if tprobs is not None else None
        return probs, tprobs

    def _tactic_scores(self, evidence: Iterable[Evidence]) -> list[TacticScore]:
        best: dict[str, float] = {}
        for ev in evidence:
            if ev.counter:
                continue
            best[ev.tactic] = max(best.get(ev.tactic, 0.0), ev.score)
        out = []
        for tid, score in best.items():
            stage = self.pack.tactics[tid].stage
            if stage is not None:
                out.append(TacticScore(tactic=tid, stage=stage, score=score))
        return out

    def _counter_scores(self, evidence: Iterable[Evidence]) -> tuple[float, float]:
        """(context, user doubt): quoted warnings or real-service context vs the user's doubts.

        Negated hits are counter-evidence too, but they already weaken their own tactic.
        """
        context: dict[str, float] = {}
        user: dict[str, float] = {}
        for ev in evidence:
            tactic = self.pack.tactics[ev.tactic]
            if not tactic.counter:
                continue
            bucket = user if tactic.speaker == "user" else context
            bucket[ev.tactic] = max(bucket.get(ev.tactic, 0.0), ev.score)
        return noisy_or(list(context.values())), noisy_or(list(user.values()))

    @staticmethod
    def _stage_reached(scores: dict[Stage, float], label: str) -> Stage | None:
        if label == "benign":
            return None
        reached = [s for s, v in scores.items() if v >= STAGE_MIN]
        if not reached:
            reached = [s for s, v in scores.items() if v > 0]
        return max(reached, key=lambda s: s.order) if reached else None

    # -- conversations --------------------------------------------------------------------

    def conversation_features(
        self,
        conv: Conversation,
        probs_for: ProbsFor | None = None,
        tactic_probs_for: ProbsFor | None = None,
        prepared: Prepared | None = None,
    ) -> Analysis:
        """Features of a conversation for the risk model, with the evidence behind them.

        `probs_for(messages, folded_texts)` replaces the text model and `tactic_probs_for`
        the tactic model (training uses out-of-fold models here). `prepared`: this
        conversation's per-message work, done in a batch (`prepare`; not with the others).
        """
        if prepared is None:
            msgs = text_messages(conv)
            folded = fold_many([m.text for m in msgs])
            per_message = self._rule_evidence_many(msgs, folded)
        else:
            msgs = prepared.messages[id(conv)]
            folded = [prepared.folded[m.text] for m in msgs]
            per_message = self._rule_evidence_many(
                msgs, folded, [prepared.hits.get(m.text, ()) for m in msgs]
            )
        if self._voiding:
            link_split_pitches(self.matcher, self.pack, msgs, per_message, self._voidable)
        reported = self._warning_document(msgs, per_message, folded)
        if reported:
            per_message = [self._as_quoted(evs) for evs in per_message]
        other_pos = [i for i, m in enumerate(msgs) if m.is_user is not True]
        other_msgs = [msgs[i] for i in other_pos]
        texts = [folded[i] for i in other_pos]
        tm = self.tactic_model if tactic_probs_for is None else None
        if prepared is None:
            own_probs, own_tprobs = self._model_scores(texts, probs_for is None, tm)
        else:
            own_probs, own_tprobs = prepared.scores(texts)
        probs = probs_for(other_msgs, texts) if probs_for else own_probs
        assert probs is not None  # the text model ran whenever no `probs_for` was given
        if reported:  # the script language is quoted too: weigh it as the rules are weighed
            probs = np.asarray(probs, dtype=np.float64) * _QUOTED_FACTOR
        tprobs = tactic_probs_for(other_msgs, texts) if tactic_probs_for else own_tprobs
        thresholds = self.tactic_model.thresholds if self.tactic_model is not None else None
        if tprobs is not None and thresholds is not None and len(tprobs):
            # Only the few messages where some head fires need a closer look.
            for r in np.flatnonzero((tprobs >= thresholds).any(axis=1)):
                i = other_pos[int(r)]
                m = msgs[i]
                per_message[i] = per_message[i] + self.model_tactic_evidence(
                    m.text, m.index, tprobs[int(r)], per_message[i], in_warning=reported
                )
        evidence = [e for evs in per_message for e in evs]
        # tolist: the same Python floats as float() of each element, in one call
        plist = np.asarray(probs, dtype=np.float64).tolist()
        scored = list(zip(other_msgs, plist, strict=True))

        indicators: list[Indicator] = []
        found: Mapping[tuple[str, str], list[IntelHit]] = {}
        if self.extractor is not None:
            indicators = self.extractor(conv) if prepared is None else prepared.indicators[id(conv)]
            if self.intel is not None and indicators:
                found = self.intel(indicators) if prepared is None else prepared.intel[id(conv)]
            evidence += indicator_evidence(conv, indicators, found)
        hits = list(dict.fromkeys(h for hs in found.values() for h in hs))
        intel = noisy_or(
            [
                max(h.confidence for h in hs if not h.allowlisted)
                for hs in found.values()
                if any(not h.allowlisted for h in hs) and not any(h.allowlisted for h in hs)
            ]
        )

        pos = {m.index: i for i, m in enumerate(msgs)}
        events = [
            (pos[ev.message_index], stage)
            for ev in evidence
            if not ev.counter
            and ev.message_index in pos
            and (stage := self.pack.tactics[ev.tactic].stage) is not None
        ]
        tactic_scores = self._tactic_scores(evidence)
        counter_scores = self._counter_scores(evidence)
        x = build_features(
            tactic_scores,
            plist,
            *counter_scores,
            len(msgs),
            single_text=len(msgs) <= 1,
            intel=intel,
            sequence=sequence_features(msgs, events),
        )
        return Analysis(
            x,
            msgs,
            evidence,
            scored,
            tuple(indicators),
            tuple(hits),
            intel,
            tactic_scores,
            counter_scores,
            reported,
        )

    def prepare(self, convs: Sequence[Conversation]) -> Prepared:
        """The per-message work of `analyze` for all of `convs` in one pass of each kind."""
        tm = self.tactic_model
        return prepare(
            convs,
            text_messages,
            self.matcher,
            lambda texts: self._model_scores(texts, True, tm),
            self.extractor,
            self.intel,
        )

    def analyze_many(
        self, convs: Sequence[Conversation], langs: Sequence[str] | None = None
    ) -> list[Verdict]:
        """`[analyze(c, lang=l) for c, l in zip(convs, langs)]`, equal verdicts, with the
        per-message work of all of them done together (faster for many: `prepared.py`)."""
        if langs is not None and len(langs) != len(convs):
            raise ValueError("one language setting per conversation")
        if len(convs) < 2:
            return [self.analyze(c, lang=langs[0] if langs else "auto") for c in convs]
        prep = self.prepare(convs)
        return [
            self.analyze(c, lang=langs[i] if langs else "auto", prepared=prep)
            for i, c in enumerate(convs)
        ]

    def analyze(
        self, conv: Conversation, *, lang: str = "auto", prepared: Prepared | None = None
    ) -> Verdict:
        """The verdict on a conversation; `prepared`: its per-message work (`prepare`)."""
        a = self.conversation_features(conv, prepared=prepared)
        x, msgs, evidence, scored = a.features, a.messages, a.evidence, a.scored
        probs = [p for _, p in scored]
        model_source = f"model:{self.text_model.model_id}"
        model_note = _WARNING_NOTE if a.warning_document else None
        model_evidence = (
            tuple(
                new_evidence(  # positional: tactic, source, score, quote, index, start, end, ...
                    "scam_script_language",
                    model_source,
                    round(p, 4),
                    m.text[:_QUOTE_MAX],
                    m.index,
                    0,
                    min(len(m.text), _QUOTE_MAX),
                    False,
                    model_note,
                )
                for m, p in scored
                if p >= MODEL_EVIDENCE_MIN
            )
            + tuple(e for e in evidence if e.source.startswith("model:"))
        )
        indicators, hits, intel_score = a.indicators, a.intel_hits, a.intel

        tactic_scores = a.tactic_scores
        if tactic_scores is None:
            tactic_scores = self._tactic_scores(evidence)
        counter = noisy_or(list(a.counter_scores or self._counter_scores(evidence)))
        part = self.risk_model.part(single_text=len(msgs) <= 1)
        risk = float(part.risk(x)[0])
        label = part.label(risk)
        scores = stage_scores(tactic_scores)
        language = lang
        if lang == "auto":
            head = joined_head(m.text for m in msgs)
            # "other": a language scamlens does not read (the rules above still ran on it).
            language = "other" if is_other_language(head) else quick_language(head)
        stage = self._stage_reached(scores, label)
        findings = self._findings(evidence, tactic_scores)
        components = {"rules_" + k: v for k, v in self._component_summary(scores).items()}
        components["model_max"] = max(probs, default=0.0)
        components["counter"] = counter
        components["intel"] = intel_score
        contrib = part.contributions(x)
        components.update({f"logit_{k}": round(v, 4) for k, v in contrib.items() if v})
        return Verdict(
            risk=round(risk, 4),
            label=label,
            stage=stage,
            language=language,
            tactics=findings,
            timeline=self._timeline(evidence, msgs),
            counter_evidence=tuple(e for e in evidence if e.counter),
            time=self._time_features(msgs, evidence),
            advice=advice_for(stage, label, language),
            components={k: round(v, 4) for k, v in components.items()},
            versions=self.versions,
            model_evidence=model_evidence,
            indicators=indicators,
            intel_hits=hits,
        )

    def score_text(self, text: str, *, lang: str = "auto") -> Verdict:
        """Score one free text (a message, a pasted chat, a victim's account)."""
        conv = Conversation(
            messages=(Message(index=0, sender=None, text=text),), source_format="text"
        )
        return self.analyze(conv, lang=lang)

    @staticmethod
    def _component_summary(scores: dict[Stage, float]) -> dict[str, float]:
        return {s.value: round(v, 4) for s, v in sorted(scores.items(), key=lambda i: i[0].order)}

    def _findings(
        self, evidence: Sequence[Evidence], scores: Sequence[TacticScore]
    ) -> tuple[TacticFinding, ...]:
        by_tactic: dict[str, list[Evidence]] = {}
        for ev in evidence:
            if not ev.counter:
                by_tactic.setdefault(ev.tactic, []).append(ev)
        out = []
        for ts in sorted(scores, key=lambda t: (t.stage.order, -t.score, t.tactic)):
            tactic = self.pack.tactics[ts.tactic]
            evs = sorted(by_tactic.get(ts.tactic, []), key=lambda e: (-e.score, e.message_index))
            out.append(
                TacticFinding(
                    id=ts.tactic,
                    name=tactic.name,
                    stage=ts.stage,
                    score=round(ts.score, 4),
                    evidence=tuple(evs[:20]),
                )
            )
        return tuple(out)

    def _timeline(
        self, evidence: Sequence[Evidence], msgs: Sequence[Message]
    ) -> tuple[StageSpan, ...]:
        times = {m.index: m.timestamp for m in msgs}
        per: dict[Stage, dict[str, list[int]]] = {}
        for ev in evidence:
            stage = self.pack.tactics[ev.tactic].stage
            if ev.counter or stage is None or ev.message_index is None:
                continue
            per.setdefault(stage, {}).setdefault(ev.tactic, []).append(ev.message_index)
        spans = []
        for stage, tactics in sorted(per.items(), key=lambda i: i[0].order):
            idx = sorted({i for v in tactics.values() for i in v})
            spans.append(
                StageSpan(
                    stage=stage,
                    first_index=idx[0],
                    last_index=idx[-1],
                    message_indices=tuple(idx),
                    tactics=tuple(sorted(tactics)),
                    first_time=times.get(idx[0]),
                    last_time=times.get(idx[-1]),
                )
            )
        return tuple(spans)

    def _time_features(self, msgs: Sequence[Message], evidence: Sequence[Evidence]) -> TimeFeatures:
        stamped = [m for m in msgs if m.timestamp is not None]
        if not msgs:
            return TimeFeatures()
        by_index = {m.index: m for m in msgs}

        def first_index(stages: frozenset[Stage]) -> int | None:
            found = [
                ev.message_index
                for ev in evidence
                if not ev.counter
                and ev.message_index is not None
                and self.pack.tactics[ev.tactic].stage in stages
            ]
            return min(found) if found else None

        def days_between(a: datetime | None, b: datetime | None) -> float | None:
            if a is None or b is None:
                return None
            try:
                return round((b - a).total_seconds() / 86400, 2)
            except TypeError:  # one aware, one naive
                return None

        start = stamped[0].timestamp if stamped else None
        money_idx = first_index(MONEY_STAGES)
        off_idx = first_index(frozenset({Stage.OFF_PLATFORM}))
        first_pos = msgs[0].index
        return TimeFeatures(
            days_span=days_between(start, stamped[-1].timestamp) if stamped else None,
            days_to_money=days_between(start, by_index[money_idx].timestamp)
            if money_idx is not None
            else None,
            messages_to_money=sum(1 for m in msgs if first_pos <= m.index < money_idx)
            if money_idx is not None
            else None,
            days_to_off_platform=days_between(start, by_index[off_idx].timestamp)
            if off_idx is not None
            else None,
        )

    # -- batch ----------------------------------------------------------------------------

    def score_batch(self, texts: Sequence[str]) -> list[TextResult]:
        """Score many independent texts fast: one RE2 pass each, one model call per batch."""
        if not texts:
            return []
        folded = fold_many(texts)
        tm = self.tactic_model
        probs, tprobs = self._model_scores(folded, True, tm)
        assert probs is not None  # asked for
        fires: list[bool] = (
            np.asarray((tprobs >= tm.thresholds).any(axis=1)).tolist()
            if tm is not None and tprobs is not None
            else [False] * len(texts)
        )
        # Most texts match no rule: their features differ only in the model's score, so every
        # row starts as that and only texts with evidence get their own.
        base = build_features([], [0.0], 0.0, 0.0, 1, single_text=True)
        x = np.empty((len(texts), base.size), dtype=np.float64)
        x[:] = base
        x[:, [FEATURE_NAMES.index(n) for n in ("model_max", "model_top3")]] = probs[:, None]
        x[:, FEATURE_NAMES.index("model_frac")] = probs
        evidences: list[list[Evidence]] = [[] for _ in texts]
        tactic_lists: list[list[TacticScore]] = [[] for _ in texts]
        rule_spans = self.matcher.folded_spans_many(folded)
        for i in (i for i, found in enumerate(rule_spans) if found or fires[i]):
            text = texts[i]
            spans = self.matcher.in_text(text, folded[i], rule_spans[i])
            ev = self._span_evidence(text, folded[i], spans, None, None)
            if fires[i] and tprobs is not None:
                ev += self.model_tactic_evidence(text, None, tprobs[i], ev)
            ts = self._tactic_scores(ev)
            p = float(probs[i])
            x[i] = build_features(ts, [p], *self._counter_scores(ev), 1, single_text=True)
            evidences[i], tactic_lists[i] = ev, ts
        part = self.risk_model.text
        out = []
        for text, r, ev, ts in zip(
            texts, part.risk(x).tolist(), evidences, tactic_lists, strict=True
        ):
            label = part.label(r)
            out.append(
                TextResult(
                    risk=round(r, 4),
                    label=label,
                    stage=self._stage_reached(stage_scores(ts), label) if ts else None,
                    # ~6 us a text (5 % of the batch): a label that says "not read" is worth it
                    language="other" if is_other_language(text) else quick_language(text),
                    tactics=tuple(
                        (t.tactic, round(t.score, 4))
                        for t in sorted(ts, key=lambda t: (t.stage.order, t.tactic))
                    ),
                    evidence=tuple(ev),
                )
            )
        return out


def _resource(name: str) -> Path:
    return Path(str(resources.files("scamlens").joinpath("resources", "models", name)))


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine on the bundled rule pack and models (loaded once per process)."""
    tactic_path = _resource("tactic_model.npz")
    return Engine(
        load_rulepack(),
        TextModel.load(_resource("text_model.npz")),
        RiskModel.load(_resource("risk_model.json")),
        tactic_model=TacticModel.load(tactic_path) if tactic_path.is_file() else None,
    )
