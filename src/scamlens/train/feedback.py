"""Analyst feedback (`GET /api/v1/feedback/export`, `scamlens cases export-feedback`) as
training samples for `scamlens train --feedback FILE`.

Only message rows become samples: a confirmed red flag makes its message a scam text (with
the flag's tactic), a rejected one a benign text (a false positive an analyst looked at).
Whole-conversation and indicator rows carry no single message to learn from and are counted,
not used. The latest decision on a piece of evidence wins; messages of one case share a CV
group, so no fold trains on one message of a case and tests on its neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scamlens.detect.rulepack import load_rulepack
from scamlens.errors import InputError
from scamlens.jsonlines import json_objects
from scamlens.scoring.language import quick_language
from scamlens.train.fit import Sample, telling

LABELS = {"scam": 1, "benign": 0}
MAX_TEXT = 20_000  # characters; a longer "message" is a pasted document, not a chat line


@dataclass(frozen=True, slots=True)
class FeedbackRead:
    samples: list[Sample]
    rows: int  # rows in the file
    skipped: dict[str, int]  # why rows were not used -> count


def feedback_samples(path: Path) -> FeedbackRead:
    """Samples from one feedback export; InputError (file and line) for a malformed row."""
    tactics = load_rulepack().tactics
    latest: dict[tuple[str, str], tuple[int, dict[str, object]]] = {}
    skipped: dict[str, int] = {}
    rows = 0
    where = str(path)
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the feedback file ({exc.strerror})", where) from exc
    with fh:
        try:
            for n, row in json_objects(fh, where):
                rows += 1
                kind = row.get("kind")
                if kind != "message":
                    key = f"{kind} rows" if kind in ("conversation", "indicator") else "other rows"
                    skipped[key] = skipped.get(key, 0) + 1
                    continue
                case_id, target = row.get("case_id"), row.get("target")
                if not isinstance(case_id, str) or not isinstance(target, str):
                    raise InputError("a feedback row needs case_id and target strings", where, n)
                if row.get("label") not in LABELS:
                    raise InputError("label must be 'scam' or 'benign'", where, n)
                if not isinstance(row.get("text"), str):
                    raise InputError("text must be a string", where, n)
                latest[(case_id, target)] = (n, row)
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text ({exc.reason})", where) from exc
    out = []
    for (case_id, _), (_, row) in sorted(latest.items(), key=lambda i: i[1][0]):
        text = str(row["text"]).strip()
        if not text or len(text) > MAX_TEXT:
            skipped["empty or oversized texts"] = skipped.get("empty or oversized texts", 0) + 1
            continue
        label = LABELS[str(row["label"])]
        tid = row.get("tactic")
        tactic = tactics.get(tid) if isinstance(tid, str) else None
        known = (tactic.id,) if label and tactic is not None and not tactic.counter else ()
        stage = tactic.stage.value if tactic is not None and tactic.stage is not None else None
        # As with the synthetic scripts: a hook or a good-morning line is a scam text inside a
        # scam chat, but not a scam on its own; money talk is.
        single = (1 if telling(stage, known) else None) if label else 0
        lang = row.get("language")
        if lang == "other":  # a chat in a language the models do not read: not EN training
            skipped["other languages"] = skipped.get("other languages", 0) + 1
            continue
        if lang not in ("en", "zh"):
            guess = quick_language(text)
            lang = guess if guess in ("en", "zh") else "en"
        out.append(Sample(text, label, f"feedback:{case_id}", single, str(lang), "feedback", known))
    return FeedbackRead(out, rows, skipped)
