"""Direction of an amount of money: asked for, sent, claimed balance/profit, fee or tax.

A transparent rule-based reader. The cue words are data (money_cues.yaml, folded text); the
rules are here:

1. Only the amount's clause is read (split at , . ; ! ? and their Chinese forms); when it has
   no cue, the clause before and then the clause after.
2. The cue nearest the amount decides ("the nearest verb"), reading cues before the amount
   first: a cue after it counts double its distance, except a noun right after the amount
   ("5,000 USDT fee", "1万的税", "300 USDT profit"), which is the amount's own noun.
3. Who wrote the message, negation and tense then turn the cue into a direction: the victim
   "sent" is a loss, the other party "sent you" is a fake profit, "didn't send" / "will send"
   is only mentioned; a fee the victim says they paid is "sent" (it left their account);
   a deposit demanded before a withdrawal or unfreezing is a fee; "N% ... amount" next to a
   tax or fee is that fee worked out.

Chinese sending verbs (转, 充, 交...) take their tense from particles: 了/过 after or 已/已经
before is past; otherwise (要, 需要, 请, 再, or nothing) it is a demand or a plan.
Each decision names the cue that made it, for the report's reader.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import re2
import yaml

from scamlens.text.normalize import fold, fold_map

DIRECTIONS = ("asked", "sent", "claimed_profit", "fee_or_tax", "mentioned")
REACH = 80  # folded characters either side of an amount that are read at all
MOD_REACH = 16  # how far before a verb a negation or a future word applies (English)
MOD_REACH_CJK = 5  # the same for Chinese, where words are not spaced
HEAD_GAP = 3  # a noun at most this far after the amount is the amount's own noun

# Families that can decide a row; the others only modify one.
DECIDING = ("fee", "profit", "withdraw", "sent", "move", "ask", "ask_weak", "confirm", "neutral")
VERBS = ("sent", "move", "ask", "ask_weak", "confirm")
NOUNS = ("fee", "profit", "neutral")  # may be the amount's own noun when right after it
MODIFIERS = (
    "negation", "future", "report", "unlock", "upgrade", "self", "to_you", "others",
    "question", "you", "done", "not_money_before", "not_money_after",
)  # fmt: skip
RULES = (
    "fee", "paid_fee", "percent", "unlock", "profit", "withdraw", "to_victim", "confirm",
    "sent", "you_sent", "done", "asked", "reported_ask", "question", "negation", "plan",
    "someone_else", "own_money", "other_sent", "victim_ask", "neutral", "no_cue",
)  # fmt: skip
# Tie-break between cues at the same distance: the more specific family wins.
_PRIORITY = {f: i for i, f in enumerate(("fee", "confirm", "sent", "withdraw", "profit"))}
_CLAUSE_STOPS = frozenset(",.;!?，。；！？、\n【】[]")  # after fold: 【】 -> [], ， -> ,
_SENTENCE_STOPS = frozenset(".;!?。；！？\n")
_PAST_AFTER = frozenset("了过好完")
_PAST_BEFORE = ("已经", "已")


class CueError(ValueError):
    """The cue file is malformed."""


@dataclass(frozen=True, slots=True)
class Decision:
    direction: str  # one of DIRECTIONS
    rule: str  # which rule decided (one of RULES): "fee", "paid_fee", "negation", ...
    cue: str  # the words that triggered it, as folded ("保证金", "paid + tax"); "" if none


@dataclass(frozen=True, slots=True)
class _Cue:
    family: str
    word: str
    start: int
    end: int


def _load() -> dict[str, Any]:
    text = resources.files("scamlens.casereport").joinpath("money_cues.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CueError("money_cues.yaml: expected a mapping of family -> words")
    for family in (*DECIDING, *MODIFIERS):
        words = data.get(family)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise CueError(f"money_cues.yaml: key {family!r} must be a list of words")
    return data


def _pattern(words: list[str]) -> Any:
    alts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re2.escape(w)
        if w.isascii() and w[0].isalnum():
            esc = r"\b" + esc
        if w.isascii() and w[-1].isalnum():
            esc += r"\b"
        alts.append(esc)
    return re2.compile("|".join(alts))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    data = _load()
    return {f: _pattern([w.lower() for w in data[f]]) for f in (*DECIDING, *MODIFIERS)}


def cue_examples() -> list[dict[str, Any]]:
    """The worked examples kept with the cue words (run by the test suite)."""
    ex = _load().get("examples") or []
    if not isinstance(ex, list):
        raise CueError("money_cues.yaml: 'examples' must be a list")
    return [dict(e) for e in ex if isinstance(e, dict)]


@dataclass(frozen=True, slots=True)
class _Parsed:
    folded: str
    fmap: tuple[int, ...]
    cues: tuple[_Cue, ...]  # deciding cues, sorted by start; overlaps resolved
    starts: tuple[int, ...]
    mods: dict[str, tuple[tuple[int, ...], tuple[_Cue, ...]]]  # family -> (starts, cues)
    has_fee: bool  # a tax or fee word anywhere in the message
    clause_stops: tuple[int, ...]  # positions of clause boundary characters
    sentence_stops: tuple[int, ...]


def _in_number(s: str, i: int) -> bool:
    return 0 < i < len(s) - 1 and s[i] in ",." and s[i - 1].isdigit() and s[i + 1].isdigit()


@lru_cache(maxsize=16)  # the builder reads a message's amounts one after another
def _parse(text: str) -> _Parsed:
    folded = fold(text)
    pats = _patterns()
    found: list[_Cue] = []
    for family in DECIDING:
        found += [
            _Cue(family, m.group(), m.start(), m.end()) for m in pats[family].finditer(folded)
        ]
    # Overlapping cues: the longer reading wins ("margin deposit" over "deposit").
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    cues: list[_Cue] = []
    for c in found:
        if cues and c.start < cues[-1].end:
            if c.end - c.start > cues[-1].end - cues[-1].start:
                cues[-1] = c
            continue
        cues.append(c)
    mods = {}
    for f in MODIFIERS:
        found_f = tuple(_Cue(f, m.group(), m.start(), m.end()) for m in pats[f].finditer(folded))
        mods[f] = (tuple(c.start for c in found_f), found_f)
    clause = tuple(
        i for i, ch in enumerate(folded) if ch in _CLAUSE_STOPS and not _in_number(folded, i)
    )
    sentence = tuple(i for i in clause if folded[i] in _SENTENCE_STOPS)
    return _Parsed(
        folded, tuple(fold_map(text)), tuple(cues), tuple(c.start for c in cues), mods,
        any(c.family == "fee" for c in cues), clause, sentence,
    )  # fmt: skip


def _folded_span(p: _Parsed, start: int, end: int) -> tuple[int, int]:
    fs = bisect.bisect_left(p.fmap, start)
    fe = bisect.bisect_left(p.fmap, end)
    return fs, max(fe, fs + 1)


def _bounds(stops: tuple[int, ...], fs: int, fe: int, n: int) -> tuple[int, int]:
    """The [start, end) of the segment holding the span, between boundary characters."""
    i = bisect.bisect_left(stops, fs)
    lo = stops[i - 1] + 1 if i > 0 else 0
    j = bisect.bisect_left(stops, fe)
    hi = stops[j] if j < len(stops) else n
    return max(lo, fs - REACH), min(hi, fe + REACH)


def _within(p: _Parsed, lo: int, hi: int) -> list[_Cue]:
    i = bisect.bisect_left(p.starts, lo)
    out = []
    while i < len(p.cues) and p.cues[i].start < hi:
        if p.cues[i].end <= hi:
            out.append(p.cues[i])
        i += 1
    return out


def _mods(p: _Parsed, family: str, lo: int, hi: int) -> list[_Cue]:
    starts, cues = p.mods[family]
    out = []
    for k in range(bisect.bisect_left(starts, lo), len(cues)):
        if cues[k].start >= hi:
            break
        if cues[k].end <= hi:
            out.append(cues[k])
    return out


def _distance(c: _Cue, fs: int, fe: int) -> int:
    if c.end <= fs:
        return fs - c.end
    gap = c.start - fe
    if c.family in NOUNS and gap <= HEAD_GAP:
        return 0  # the amount's own noun: "5,000 USDT fee", "1万的税"
    return 2 * gap + 4


def _tense(p: _Parsed, c: _Cue, clause_lo: int) -> str:
    """'past' or 'base' of a Chinese sending verb, from the particles around it."""
    for k in range(c.end, min(c.end + 4, len(p.folded))):
        ch = p.folded[k]
        if ch in _PAST_AFTER:
            return "past"
        if ch.isdigit() or ch in _CLAUSE_STOPS:
            break
    before = p.folded[max(clause_lo, c.start - 4) : c.start]
    return "past" if any(b in before for b in _PAST_BEFORE) else "base"


def _family(p: _Parsed, c: _Cue, clause_lo: int) -> str:
    """A cue's family once tense is read: move verbs become 'sent' or 'ask'."""
    if c.family == "move":
        return "sent" if _tense(p, c, clause_lo) == "past" else "ask"
    if c.family == "ask_weak":
        return "ask"
    return c.family


def _modified(p: _Parsed, family: str, verb: _Cue, lo: int) -> bool:
    reach = MOD_REACH if verb.word.isascii() else MOD_REACH_CJK
    return bool(_mods(p, family, max(lo, verb.start - reach), verb.start))


def _nearest(
    p: _Parsed,
    cues: list[_Cue],
    fs: int,
    fe: int,
    lo: int,
    is_user: bool | None,
    weak: bool = False,
) -> tuple[_Cue, str] | None:
    near: list[tuple[int, _Cue]] = []
    for c in cues:
        if c.start < fe and c.end > fs:
            continue  # inside the amount itself
        if c.family == "ask_weak" and is_user and not weak:
            continue  # "another", "more" from the victim are not a demand
        near.append((_distance(c, fs, fe), c))
    if not near:
        return None
    # Tense (and so the family) is read only for the nearest cues: ties go by priority.
    least = min(d for d, _ in near)
    tied = [(c, _family(p, c, lo)) for d, c in near if d == least]
    return min(tied, key=lambda cf: _PRIORITY.get(cf[1], 9))


def _percent_fee(p: _Parsed, fs: int, sentence_lo: int) -> bool:
    """'N% ... amount' in a sentence that demands payment, or in a message that names a tax
    or fee: the amount is that percentage worked out ("pay 30% of the balance (28,864 USDT)")."""
    if "%" not in p.folded[sentence_lo:fs]:
        return False
    if p.has_fee:
        return True
    return any(_family(p, c, sentence_lo) == "ask" for c in _within(p, sentence_lo, fs))


def classify(text: str, start: int, end: int, *, is_user: bool | None) -> Decision:
    """The direction of the amount at text[start:end], in a message written by the victim
    when `is_user` (False: the other party; None: unknown)."""
    p = _parse(text)
    n = len(p.folded)
    fs, fe = _folded_span(p, start, end)
    c_lo, c_hi = _bounds(p.clause_stops, fs, fe, n)
    s_lo, s_hi = _bounds(p.sentence_stops, fs, fe, n)
    lo, hi = c_lo, c_hi
    cues = _usable(_within(p, c_lo, c_hi), is_user)
    if not cues:  # nothing in the clause: the clause before, then the one after
        lo, hi, cues = _neighbour(p, c_lo, c_hi, -1, is_user)
    if not cues:
        lo, hi, cues = _neighbour(p, c_lo, c_hi, 1, is_user)
    if _percent_fee(p, fs, s_lo):
        return _paid_fee(p, (lo, hi), fs, fe, is_user, Decision("fee_or_tax", "percent", "%"))
    found = _nearest(p, cues, fs, fe, lo, is_user)
    if found is None:
        return Decision("mentioned", "no_cue", "")
    cue, fam = found
    if fam == "fee":
        return _paid_fee(p, (lo, hi), fs, fe, is_user, Decision("fee_or_tax", "fee", cue.word))
    if fam == "confirm":
        # "Profit credited: 2,760 USDT" is a payout, not the victim's deposit: a profit word
        # in the clause wins, so a fake profit is never added to the loss.
        profit = [c for c in _within(p, lo, hi) if c.family in ("profit", "withdraw")]
        if profit:
            return Decision("claimed_profit", "profit", f"{profit[0].word} + {cue.word}")
    if fam in ("profit", "withdraw", "confirm"):
        return Decision(_FIXED[fam], fam, cue.word)
    if fam == "neutral":
        return Decision("mentioned", "neutral", cue.word)
    if fam == "sent":
        return _sent(p, cue, lo, hi, is_user)
    return _ask(p, cue, lo, hi, (s_lo, s_hi), is_user)


def _usable(cues: list[_Cue], is_user: bool | None) -> list[_Cue]:
    """ "Another", "more" from the victim are not a demand ("Sent 3,000, then another 4,000")."""
    return [c for c in cues if not (is_user and c.family == "ask_weak")]


def _neighbour(
    p: _Parsed, lo: int, hi: int, step: int, is_user: bool | None
) -> tuple[int, int, list[_Cue]]:
    """The cues of the nearest clause before (step -1) or after (+1) that has any words,
    skipping empty ones ("96,214 USDT!!! I want to take some out")."""
    n = len(p.folded)
    for _ in range(4):
        if (step < 0 and lo <= 0) or (step > 0 and hi >= n):
            break
        at = lo - 1 if step < 0 else hi + 1
        lo, hi = _bounds(p.clause_stops, at, at, n)
        if step < 0:
            hi = min(hi, at)
        if any(ch.isalnum() for ch in p.folded[lo:hi]):
            return lo, hi, _usable(_within(p, lo, hi), is_user)
    return lo, hi, []


_FIXED = {"profit": "claimed_profit", "withdraw": "claimed_profit", "confirm": "sent"}


def _paid_fee(
    p: _Parsed, scope: tuple[int, int], fs: int, fe: int, is_user: bool | None, d: Decision
) -> Decision:
    """A fee the victim says they paid left their account: it is 'sent'."""
    if not is_user:
        return d
    # The verb nearest the amount, "want" and "more" included: "they now want 8,000 more".
    lo = scope[0]
    verbs = [c for c in _within(p, *scope) if c.family in VERBS]
    found = _nearest(p, verbs, fs, fe, lo, is_user, weak=True)
    if found and found[1] == "sent" and not _negated_or_planned(p, found[0], lo):
        return Decision("sent", "paid_fee", f"{found[0].word} + {d.cue}")
    return d


def _negated_or_planned(p: _Parsed, verb: _Cue, lo: int) -> bool:
    return _modified(p, "negation", verb, lo) or _modified(p, "future", verb, lo)


def _sent(p: _Parsed, cue: _Cue, lo: int, hi: int, is_user: bool | None) -> Decision:
    w = cue.word
    if is_user:
        if _modified(p, "negation", cue, lo):
            return Decision("mentioned", "negation", w)
        if _modified(p, "future", cue, lo):
            return Decision("mentioned", "plan", w)
        if _mods(p, "others", lo, cue.start):
            return Decision("mentioned", "someone_else", w)
        fee = [c for c in _within(p, lo, hi) if c.family == "fee"]
        if fee:  # "解冻费我已经交了8000U": a paid fee, said so for the reader
            return Decision("sent", "paid_fee", f"{w} + {fee[0].word}")
        return Decision("sent", "sent", w)
    # The other party: "I sent you" is a payout, "did you send" a demand, "you sent" the
    # victim's deposit, "I put in my own money" only a claim about itself.
    if _mods(p, "to_you", lo, hi):
        return Decision("claimed_profit", "to_victim", w)
    if _mods(p, "question", lo, hi) or _modified(p, "negation", cue, lo):
        return Decision("asked", "question", w)
    if _mods(p, "self", lo, hi):
        return Decision("mentioned", "own_money", w)
    if _mods(p, "you", lo, cue.start):
        return Decision("sent", "you_sent", w)
    return Decision("mentioned", "other_sent", w)


def _ask(
    p: _Parsed, cue: _Cue, lo: int, hi: int, sentence: tuple[int, int], is_user: bool | None
) -> Decision:
    w = cue.word
    confirm = [c for c in _within(p, lo, hi) if c.family == "confirm"]
    if confirm and not any(c.family in ("profit", "withdraw") for c in _within(p, lo, hi)):
        return Decision("sent", "confirm", f"{w} + {confirm[0].word}")
    fee = [c for c in _within(p, *sentence) if c.family == "fee"]
    if fee:
        return Decision("fee_or_tax", "fee", f"{w} + {fee[0].word}")
    unlock = _mods(p, "unlock", *sentence)
    if unlock and not _mods(p, "upgrade", *sentence):
        return Decision("fee_or_tax", "unlock", f"{w} + {unlock[0].word}")
    if not is_user:
        return Decision("asked", "asked", w)
    if _mods(p, "done", lo, hi) and not _modified(p, "negation", cue, lo):
        return Decision("sent", "done", w)
    if _modified(p, "negation", cue, lo):
        return Decision("mentioned", "negation", w)
    if _modified(p, "future", cue, lo):
        return Decision("mentioned", "plan", w)
    report = _mods(p, "report", *sentence)
    if report:
        return Decision("asked", "reported_ask", f"{report[0].word} + {w}")
    return Decision("mentioned", "victim_ask", w)


def _not_money(p: _Parsed, fs: int, fe: int) -> bool:
    """'10k' after 'ran', '5k followers', '3万步': a count, not money."""
    before = _mods(p, "not_money_before", max(0, fs - 8), fs)
    after = _mods(p, "not_money_after", fe, min(len(p.folded), fe + 3 + 10))
    return bool(before) or any(c.start - fe <= 2 for c in after)


def is_false_amount(raw: str) -> bool:
    """Amount look-alikes that are names, not money ("401k" is a US retirement plan)."""
    return raw.replace(" ", "").replace("(", "").replace(")", "").lower() in ("401k", "403b")


def is_count(text: str, start: int, end: int, currency: str) -> bool:
    """An amount with no currency that is a count or a distance in its message ("I ran 10k",
    "5k followers", "3万步"): not a money row."""
    if currency:
        return False
    p = _parse(text)
    fs, fe = _folded_span(p, start, end)
    return _not_money(p, fs, fe)
