"""The same bio template across accounts, found with the campaign clustering.

`bio_groups` labels each text with a cluster id shared by near-duplicates (a spun template
with names, places and numbers changed), or None when it stands alone. It calls
scamlens.campaigns (prepare -> documents -> features -> clusters) with the document-frequency
filter off, since a batch of profiles is small and a shared template is exactly what we look
for. Without the campaigns package it falls back to exact matching of a masked form (digits,
links and handles removed, punctuation and spacing ignored).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Sequence
from typing import Any

import re2

from scamlens.text.normalize import fold

log = logging.getLogger(__name__)

MIN_CHARS = 40  # shorter bios ("Hi", "Love travel") say nothing about a template
_MASK = re2.compile(r"https?://\S+|www\.\S+|@\w+|\+?\d[\d\s().-]*|[\s\pP\pS]+")


def masked(text: str) -> str:
    return str(_MASK.sub("", fold(text)))


def _fallback(texts: Sequence[str]) -> list[str | None]:
    keys = [masked(t) if len(t.strip()) >= MIN_CHARS else "" for t in texts]
    counts: dict[str, int] = {}
    for k in keys:
        if k:
            counts[k] = counts.get(k, 0) + 1
    return [
        "bio-" + hashlib.blake2b(k.encode(), digest_size=8).hexdigest()
        if k and counts[k] > 1
        else None
        for k in keys
    ]


def _campaign_groups(texts: Sequence[str]) -> list[str | None]:
    # Imported by name: the campaigns package is optional and its internals may move.
    ce: Any = importlib.import_module("scamlens.campaigns.engine")
    prep: Any = importlib.import_module("scamlens.campaigns.prep")
    params_mod: Any = importlib.import_module("scamlens.campaigns.params")
    params = params_mod.Params(max_df=1.0, max_df_skeleton=1.0, min_length=MIN_CHARS)
    batch = prep.prepare_many(list(texts))
    docs = ce.build_docs(batch, [1] * len(texts))
    feats = ce.features(docs, params)
    labels = ce.cluster_docs(feats, params)
    members: dict[int, list[int]] = {}
    for doc, lab in enumerate(labels):
        if int(lab) >= 0:
            members.setdefault(int(lab), []).append(doc)
    names = {
        lab: f"bio-{min(int(docs.keys[d]) for d in docs_of):016x}"
        for lab, docs_of in members.items()
    }
    out: list[str | None] = []
    for i in range(len(texts)):
        lab = int(labels[int(docs.text_doc[i])])
        out.append(names.get(lab) if lab >= 0 else None)
    # Texts whose masked views are equal share one document: also a template.
    per_doc: dict[int, list[int]] = {}
    for i in range(len(texts)):
        per_doc.setdefault(int(docs.text_doc[i]), []).append(i)
    for doc, idxs in per_doc.items():
        if len(idxs) > 1 and out[idxs[0]] is None and len(texts[idxs[0]].strip()) >= MIN_CHARS:
            name = f"bio-{int(docs.keys[doc]):016x}"
            for i in idxs:
                out[i] = name
    return out


def bio_groups(texts: Sequence[str]) -> list[str | None]:
    """A template id per text (shared by near-duplicates), None when alone or too short."""
    if len(texts) < 2:
        return [None] * len(texts)
    try:
        return _campaign_groups(texts)
    except (ImportError, AttributeError, TypeError, ValueError, IndexError, KeyError) as exc:
        log.debug("campaign clustering unavailable (%s); using exact templates", type(exc).__name__)
        return _fallback(texts)
