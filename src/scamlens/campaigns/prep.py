"""Turn a message into the views the clustering compares.

Every text is folded with `scamlens.text.normalize.fold` (Unicode NFKC, case, homoglyphs,
zero-width and bidi characters, traditional -> simplified Chinese), then its variable parts are
masked with one capital letter each, which folding can never produce:

    names -> N, URLs and bare domains -> U, e-mail addresses -> E, @handles -> H,
    wallets, transaction hashes and other long codes -> W, numbers and amounts -> 0

Two views come out of that masked text:

- the *character stream*: letters, digits, CJK characters and the placeholders, with spaces,
  punctuation and emoji dropped ("w i t h d r a w" and "with-draw" become "withdraw");
- the *skeleton*: one symbol per function word (English "the", "you", "will", ...; Chinese
  的了是在我你...), "." for a sentence end, the placeholders, and "_" for each run of content
  words. Synonym spinning swaps content words, so the skeleton keeps its shape.

All of this is plain per-text Python with linear-time regular expressions; it is shared by the
local path and the Spark job, so both see identical views.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import re2

from scamlens.text.normalize import fold

PLACEHOLDERS = "NUEHW0"
MAX_CHARS = 4000  # longer texts are cut: a pasted article should not dominate the cost

# Capitalised words after a lower-case word, comma or colon: names, cities, days, brands.
# Sentence-initial words are left alone. One bounded quantifier: linear time.
_NAME = re.compile(r"(?<=[a-z,:] )[A-Z][a-z]{1,20}\b")
_NAME_MARK = "\x7f"  # survives the ASCII fold unchanged, then becomes N

# Cheap test for "may contain a URL, domain, e-mail, handle or long code".
_MAYBE_INDICATOR = re.compile(r"[a-z0-9]\.[a-z]|@|://|[a-z0-9]{24}")
_INDICATOR = re2.compile(
    r"(?P<U>(?:https?://|www\.)[a-z0-9._~:/?#@!$&'()*+,;=%\[\]-]+)"
    r"|(?P<E>[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
    r"|(?P<H>@[a-z0-9_]{2,32})"
    r"|(?P<W>\b(?:0x[0-9a-f]{16,}|[a-z0-9]{24,})\b)"
    r"|(?P<D>\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|vip|top|xyz|cc|me|info|biz|pro"
    r"|live|app|cn|hk|tw|sg|uk|us|club|shop|site|online|store|tech|link|fun|ltd|asia|finance"
    r"|exchange|trade|market|money|cloud|icu|win|bet)\b)"
)
_DIGITS = re.compile(r"[0-9][0-9,.]*")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_TOKEN = re.compile(
    r"[a-z]+(?:'[a-z]+)?|[0-9]+|[NUEHW\x7f]|[.!?;]"
    r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]"
)

# fmt: off
FUNCTION_WORDS_EN = (
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "i", "me", "my",
    "mine", "we", "us", "our", "you", "your", "yours", "he", "him", "his", "she", "her", "it",
    "its", "they", "them", "their", "what", "which", "who", "whom", "whose", "when", "where",
    "why", "how", "if", "then", "than", "because", "as", "so", "but", "and", "or", "nor", "not",
    "no", "yes", "to", "of", "in", "on", "at", "by", "for", "with", "from", "about", "into",
    "onto", "over", "under", "after", "before", "since", "until", "up", "down", "out", "off",
    "through", "during", "without", "within", "between", "am", "is", "are", "was", "were", "be",
    "been", "being", "do", "does", "did", "have", "has", "had", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "let", "all", "any", "some", "every",
    "each", "more", "most", "much", "many", "few", "very", "just", "only", "also", "too",
    "again", "still", "already", "now", "soon", "ever", "never", "always", "once", "both",
    "either", "neither", "such", "same", "other", "own", "while", "though", "although",
    "whether", "one"
)
# fmt: on
FUNCTION_CHARS_ZH = (
    "的了是在我你您他她它们吗呢吧啊呀哦嘛这那就也都很还要会能和与把被给对从到说一个有没不又再才只让跟为以"
    "而但如果所因着过得地之其于此些么什怎哪谁多少上下里中后前时可已将"
)
_NEGATED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "am"}
_CONTRACTIONS = {"m": "am", "re": "are", "ll": "will", "ve": "have", "d": "would"}
_RUNS = re.compile(r"_+")


def _symbols() -> dict[str, str]:
    table: dict[str, str] = {}
    for i, w in enumerate(FUNCTION_WORDS_EN):
        table[w] = chr(0xE000 + i)
    for i, ch in enumerate(FUNCTION_CHARS_ZH):
        table.setdefault(ch, chr(0xE200 + i))
    for ch in ".!?;":
        table[ch] = "."
    for ch in "NUEHW0":
        table[ch] = ch
    table[_NAME_MARK] = "N"
    return table


_SYMBOL = _symbols()

# ASCII char-stream table: keep a-z, 0-9 and the placeholders, drop everything else.
_ASCII_STREAM: dict[int, str | None] = {c: None for c in range(128)}
for _c in range(128):
    _ch = chr(_c)
    if _ch.islower() or _ch.isdigit() or _ch in "NUEHW":
        _ASCII_STREAM[_c] = _ch
_ASCII_STREAM[ord(_NAME_MARK)] = "N"


@dataclass(frozen=True, slots=True)
class Prepared:
    """The views of one text. `weight_len` counts a CJK character as three letters."""

    masked: str  # folded, masked text with spaces (for display of alignments)
    stream: str
    skeleton: str
    zh: bool
    weight_len: int
    found: tuple[tuple[str, str], ...]  # (placeholder, value) of the masked indicators


def mask(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Fold `text` and mask its variable parts; also return what was masked (type, value)."""
    text = text[:MAX_CHARS]
    if text.isascii():
        text = _NAME.sub(_NAME_MARK, text)
    folded = fold(text)
    found: tuple[tuple[str, str], ...] = ()
    if _MAYBE_INDICATOR.search(folded):
        hits: list[tuple[str, str]] = []

        def repl(m: re2._Match[str]) -> str:
            kind = m.lastgroup or "W"
            kind = "U" if kind == "D" else kind
            hits.append((kind, m.group(0)))
            return f" {kind} "

        folded = _INDICATOR.sub(repl, folded)
        found = tuple(hits)
    return _DIGITS.sub("0", folded).replace(_NAME_MARK, "N"), found


def _expand(tok: str) -> tuple[str, ...]:
    """A contraction as its full words, so "I'm" and "I am" give the same skeleton."""
    if tok.endswith("n't"):
        head = tok[:-3]
        return (_NEGATED.get(head, head), "not")
    head, _, tail = tok.partition("'")
    full = _CONTRACTIONS.get(tail)
    if full is not None:
        return (head, full)
    if tail == "s" and head in _SYMBOL:
        return (head, "us" if head == "let" else "is")
    return (head,)  # a possessive: the word itself


def skeleton(masked: str) -> str:
    """One symbol per function word or sentence end, "_" per run of content words."""
    tokens = _TOKEN.findall(masked)
    if "'" in masked:  # token by token: no regex backtracking over long words
        tokens = [p for t in tokens for p in (_expand(t) if "'" in t else (t,))]
    get = _SYMBOL.get
    return _RUNS.sub("_", "".join([get(t, "_") for t in tokens]))


def stream_of(masked: str) -> str:
    if masked.isascii():
        return masked.translate(_ASCII_STREAM)
    return _NON_WORD.sub("", masked).replace(_NAME_MARK, "N")


def prepare(text: str) -> Prepared:
    masked, found = mask(text)
    stream = stream_of(masked)
    n_cjk = 0 if stream.isascii() else len(stream) - len(_CJK.sub("", stream))
    zh = n_cjk * 3 >= len(stream) - n_cjk and n_cjk > 0
    return Prepared(
        masked=masked,
        stream=stream,
        skeleton=skeleton(masked),
        zh=zh,
        weight_len=len(stream) + 2 * n_cjk,
        found=found,
    )


@dataclass(slots=True)
class PreparedBatch:
    """Column view of many prepared texts (what the sketching step consumes)."""

    streams: list[str]
    skeletons: list[str]
    zh: list[bool]
    weight_len: list[int]
    found: list[tuple[tuple[str, str], ...]]


def prepare_many(texts: Sequence[str]) -> PreparedBatch:
    batch = PreparedBatch([], [], [], [], [])
    for t in texts:
        p = prepare(t)
        batch.streams.append(p.stream)
        batch.skeletons.append(p.skeleton)
        batch.zh.append(p.zh)
        batch.weight_len.append(p.weight_len)
        batch.found.append(p.found)
    return batch
