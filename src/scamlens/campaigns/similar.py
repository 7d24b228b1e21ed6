"""Link one text to the known scripts or documents it is a spun or reworded copy of.

Both sides are cut into passages (sentences, merged until they are long enough to compare),
every passage gets the same views and signatures as in clustering, and each passage of the new
text is scored against the passages of the corpus with the clustering score (engine.score_pairs).
A source's score is the mean, over the new text's passages, of the best passage score found in
that source, so a spun excerpt of a long document scores high too; the answer lists, passage by
passage, which source passage each one was aligned with.

Corpus files: a campaigns JSON document (its scripts' representatives and variants, under the
script's id; a script is listed once, with its best-matching form), message
records (.jsonl, .json, .csv, .tsv, .parquet: `id` and `text`), a .txt or .md file (one entry
per blank-line-separated block), or a folder of .txt/.md files (one document each).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from scamlens.campaigns import engine, sketch
from scamlens.campaigns.params import Params
from scamlens.campaigns.prep import prepare
from scamlens.campaigns.records import FieldMap, load_messages
from scamlens.errors import InputError
from scamlens.text.normalize import display_safe

MAX_QUERY_CHARS = 200_000
MAX_DOC_BYTES = 20_000_000
_SENTENCE_END = re.compile(r"(?<=[.!?。！？\n])")
_MIN_PASSAGE = 40  # weighted letters; shorter sentences are merged with the next one
_EXHAUSTIVE = 150_000
_PASSAGE_SKELETON = 12  # up to this many corpus passages are all scored; beyond, LSH picks


@dataclass(frozen=True, slots=True)
class Aligned:
    query: str
    source: str | None
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    id: str
    text: str
    score: float
    coverage: float  # share of the new text's passages matched at the threshold
    passages: tuple[Aligned, ...]


def passages(text: str) -> list[str]:
    """Sentences of `text`, merged so each passage is long enough to compare."""
    out: list[str] = []
    current = ""
    for piece in _SENTENCE_END.split(text):
        if not piece.strip():
            continue
        current += piece
        if prepare(current).weight_len >= _MIN_PASSAGE:
            out.append(current.strip())
            current = ""
    if current.strip():
        if out and prepare(current).weight_len < _MIN_PASSAGE:
            out[-1] = out[-1] + " " + current.strip()
        else:
            out.append(current.strip())
    return out or [text.strip()]


def _features(texts: Sequence[str], params: Params) -> engine.Features:
    preps = [prepare(t) for t in texts]
    streams = [p.stream for p in preps]
    skels = [p.skeleton for p in preps]
    zh = np.asarray([p.zh for p in preps], dtype=np.bool_)
    sig_char, sig_skel, kept = engine.sign(streams, skels, zh, params, None, None)
    skel_len = np.asarray([len(s) for s in skels], dtype=np.int64)
    return engine.Features(
        streams=streams,
        skeletons=skels,
        sig_char=sig_char,
        sig_skel=sig_skel,
        usable=kept > 0,
        weights=np.ones(len(texts), dtype=np.int64),
        skel_ok=(skel_len >= params.min_skeleton) & (sig_skel[:, 0] != sketch.EMPTY),
    )


def _candidates(f: engine.Features, n_query: int, params: Params) -> tuple[engine.I64, engine.I64]:
    n = len(f.streams)
    if n - n_query <= _EXHAUSTIVE:
        q = np.repeat(np.arange(n_query, dtype=np.int64), n - n_query)
        c = np.tile(np.arange(n_query, n, dtype=np.int64), n_query)
        return q, c
    pairs: set[tuple[int, int]] = set()
    for sig, rows in ((f.sig_char, params.rows_char), (f.sig_skel, params.rows_skeleton)):
        for band in range(params.bins // rows):
            keys = sketch.band_keys(sig, band, rows)
            for qi in range(n_query):
                hits = np.flatnonzero(keys[n_query:] == keys[qi]) + n_query
                pairs.update((qi, int(h)) for h in hits[:5000])
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    arr = np.asarray(sorted(pairs), dtype=np.int64)
    return arr[:, 0], arr[:, 1]


def similar(
    text: str,
    corpus: Sequence[tuple[str, str]],
    *,
    top: int = 5,
    params: Params | None = None,
    min_score: float = 0.55,
) -> list[Match]:
    """The corpus entries (id, text) that `text` is most likely a reworded copy of, best first.

    Passages are compared one by one, so no chaining can happen: structure (the skeleton)
    counts from a shorter length than in clustering.
    """
    params = replace(params or Params(), min_skeleton=_PASSAGE_SKELETON)
    text = text[:MAX_QUERY_CHARS]
    q_pass = passages(text)
    c_pass: list[str] = []
    owner: list[int] = []
    for d, (_id, doc) in enumerate(corpus):
        for p in passages(doc):
            c_pass.append(p)
            owner.append(d)
    if not c_pass:
        return []
    f = _features(q_pass + c_pass, params)
    qa, cb = _candidates(f, len(q_pass), params)
    scores = engine.score_pairs(qa, cb, f)
    nq = len(q_pass)
    doc_of = np.asarray(owner, dtype=np.int64)[cb - nq]
    # best[q, doc] = best passage score of doc for query passage q
    best: dict[int, np.ndarray] = {}
    where: dict[int, np.ndarray] = {}
    for q, d, s, c in zip(qa.tolist(), doc_of.tolist(), scores.tolist(), cb.tolist(), strict=True):
        row = best.setdefault(d, np.zeros(nq, dtype=np.float32))
        at = where.setdefault(d, np.full(nq, -1, dtype=np.int64))
        if s > row[q]:
            row[q] = s
            at[q] = c
    ranked = sorted(best, key=lambda d: (-float(best[d].mean()), corpus[d][0]))
    out: list[Match] = []
    shown: set[str] = set()
    for d in ranked:
        row = best[d]
        score = float(row.mean())
        if score < min_score or len(out) == top:
            break
        if corpus[d][0] in shown:  # another form of a source already listed
            continue
        shown.add(corpus[d][0])
        aligned = tuple(
            Aligned(
                display_safe(q_pass[q]),
                display_safe(c_pass[int(where[d][q]) - nq]) if where[d][q] >= 0 else None,
                round(float(row[q]), 3),
            )
            for q in range(nq)
        )
        out.append(
            Match(
                id=corpus[d][0],
                text=display_safe(corpus[d][1]),
                score=round(score, 3),
                coverage=round(float((row >= params.threshold).mean()), 3),
                passages=aligned,
            )
        )
    return out


def load_corpus(path: str | Path, fields: FieldMap | None = None) -> list[tuple[str, str]]:
    """Corpus entries (id, text) from a file or folder (see the module docstring)."""
    p = Path(path)
    if p.is_dir():
        docs = []
        for f in sorted(p.rglob("*")):
            if f.is_file() and f.suffix.lower() in (".txt", ".md"):
                docs.append((f.relative_to(p).as_posix(), _read_text(f)))
        if not docs:
            raise InputError("no .txt or .md documents in this folder", str(p))
        return docs
    if not p.is_file():
        raise InputError("no such file or folder", str(p))
    suffix = p.suffix.lower()
    if suffix in (".txt", ".md"):
        blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", _read_text(p)) if b.strip()]
        return [(f"{p.name}:{i + 1}", b) for i, b in enumerate(blocks)]
    if suffix == ".json":
        doc = _read_json(p)
        if isinstance(doc, dict) and doc.get("schema", "").startswith("scamlens.campaigns/"):
            return _from_campaigns(doc, p)
    table = load_messages(p, fields, require_account=False)
    return list(zip(table.ids, table.texts, strict=True))


def _from_campaigns(doc: dict[str, object], path: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    campaigns = doc.get("campaigns")
    if not isinstance(campaigns, list):
        raise InputError("campaigns document without a campaigns list", str(path))
    for c in campaigns:
        for s in c.get("scripts", []) if isinstance(c, dict) else []:
            out.append((str(s["id"]), str(s["representative"])))
            for v in s.get("variants", [])[1:]:  # same id: a script is listed once
                out.append((str(s["id"]), str(v["text"])))
    return out


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_DOC_BYTES:
        raise InputError(f"larger than {MAX_DOC_BYTES:,} bytes", str(path))
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", str(path)) from None


def _read_json(path: Path) -> object:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", str(path), exc.lineno) from None
