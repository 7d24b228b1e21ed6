"""Per-message work for many conversations at once: the service's micro-batches.

Folding, rule matching and both hashed models treat each message on its own, and indicator
extraction each conversation on its own, so doing that work for every message of a batch of
conversations in one pass gives each conversation exactly the values a pass over its own
messages gives. One pass keeps the rule matcher's lazily built DFAs and the model weights in
cache; one request at a time finds them evicted by the rest of its own work
(bench/bench_service.py, docs/service.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scamlens.detect.matcher import HitSpan, Matcher
from scamlens.model import Conversation, Indicator, IntelHit, Message
from scamlens.text.normalize import fold_many

# indicators -> intelligence hits by (type, value), every key present (engine.IntelChecker)
IntelCheck = Callable[[Sequence[Indicator]], Mapping[tuple[str, str], list[IntelHit]]]
# folded texts -> (text-model scores, tactic-model firing scores), a row per text
Scorer = Callable[[Sequence[str]], tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]]


@dataclass(frozen=True, slots=True)
class Prepared:
    """What `Engine.conversation_features` reads per message, for a batch of conversations."""

    messages: dict[int, list[Message]]  # id(conversation) -> the messages the engine scores
    folded: dict[str, str]  # message text -> its folded text
    hits: dict[str, list[HitSpan]]  # message text -> Matcher.hit_spans (absent: no hit)
    rows: dict[str, int]  # folded text of an other-party message -> its row below
    probs: NDArray[np.float64] | None  # text-model scores by row
    tprobs: NDArray[np.float64] | None  # tactic-model firing scores by row
    indicators: dict[int, list[Indicator]]  # id(conversation) -> the extractor's indicators
    # id(conversation) -> what the intel checker says of its indicators (absent: it has none)
    intel: dict[int, dict[tuple[str, str], list[IntelHit]]]

    def scores(
        self, texts: Sequence[str]
    ) -> tuple[NDArray[np.float64] | None, NDArray[np.float64] | None]:
        """The model scores of folded other-party texts, as `Engine._model_scores` gives."""
        idx = np.fromiter((self.rows[t] for t in texts), dtype=np.intp, count=len(texts))
        probs = self.probs[idx] if self.probs is not None else None
        tprobs = self.tprobs[idx] if self.tprobs is not None else None
        return probs, tprobs


def prepare(
    convs: Sequence[Conversation],
    text_messages: Callable[[Conversation], list[Message]],
    matcher: Matcher,
    score: Scorer,
    extract: Callable[[Conversation], list[Indicator]] | None,
    check: IntelCheck | None = None,
) -> Prepared:
    """One pass of each kind of per-message work over all of `convs`.

    `text_messages`: the messages the engine scores; `matcher`, `score`, `extract` and
    `check`: the engine's rule matcher, model scores (of other-party texts), indicator
    extractor and intelligence checker (one look-up for the whole batch: the checker answers
    each (type, value) on its own, so each conversation gets what a look-up of its own gives).
    """
    texts: dict[str, None] = {}
    other: dict[str, None] = {}
    per_conv = [text_messages(c) for c in convs]
    for msgs in per_conv:
        for m in msgs:
            texts[m.text] = None
    raw = list(texts)
    folded = dict(zip(raw, fold_many(raw), strict=True))
    for msgs in per_conv:
        for m in msgs:
            if m.is_user is not True:
                other[folded[m.text]] = None
    uniq_folded = list(dict.fromkeys(folded.values()))
    spans = dict(zip(uniq_folded, matcher.folded_spans_many(uniq_folded), strict=True))
    hits: dict[str, list[HitSpan]] = {}
    for text, f in folded.items():
        if matched := spans[f]:
            hits[text] = matcher.in_text(text, f, matched)
    other_texts = list(other)
    probs, tprobs = score(other_texts)
    indicators = {id(c): extract(c) for c in convs} if extract is not None else {}
    intel: dict[int, dict[tuple[str, str], list[IntelHit]]] = {}
    if check is not None and any(indicators.values()):
        found = check([i for inds in indicators.values() for i in inds])
        for key, inds in indicators.items():
            if inds:  # in the conversation's own order, as its own look-up keys them
                intel[key] = {(i.type, i.value): found[(i.type, i.value)] for i in inds}
    return Prepared(
        messages={id(c): msgs for c, msgs in zip(convs, per_conv, strict=True)},
        folded=folded,
        hits=hits,
        rows={t: i for i, t in enumerate(other_texts)},
        probs=probs,
        tprobs=tprobs,
        indicators=indicators,
        intel=intel,
    )
