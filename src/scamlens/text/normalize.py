"""Text normalisation for detection.

Detection runs on a folded view of the text (NFKC, lower case, homoglyphs folded to Latin,
traditional Chinese folded to simplified, zero-width and bidi controls dropped); display always
uses the original. Folding is per character, so a folded index maps back to the original with a
simple length table, built only when a span must be reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

# Invisible characters used to break up words ("w\u200bithdraw") or reorder display.
_INVISIBLE = {
    0x00AD,  # soft hyphen
    0x034F,  # combining grapheme joiner
    0x061C,  # arabic letter mark
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x180E,
    0x200B,
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2060,
    0x2061,
    0x2062,
    0x2063,
    0x2064,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0x206A,
    0x206B,
    0x206C,
    0x206D,
    0x206E,
    0x206F,
    0x3164,
    0xFE00,
    0xFE0E,
    0xFE0F,  # variation selectors (emoji presentation)
    0xFEFF,
    0xFFA0,
    0x0000,
}
BIDI_CONTROLS = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})

# Letters that look Latin but are not (Cyrillic, Greek, IPA, Latin small capitals).
_HOMOGLYPHS = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ɑ": "a", "ɩ": "i", "ɪ": "i", "ʏ": "y",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t",
    "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i",
    "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "c",
    "ℓ": "l", "∪": "u", "ū": "u", "ō": "o", "ǀ": "l",
}  # fmt: skip

_PUNCT = {
    "。": ".", "｡": ".", "，": ",", "、": ",", "：": ":", "；": ";", "！": "!", "？": "?",
    "（": "(", "）": ")", "【": "[", "】": "]", "「": '"', "」": '"', "『": '"', "』": '"',
    "“": '"', "”": '"', "‘": "'", "’": "'", "＄": "$", "￥": "¥", "～": "~", "—": "-", "–": "-",
    "‐": "-", "‑": "-", "‒": "-", "−": "-", "\u3000": " ", "\u00a0": " ", "\u202f": " ",
    "\u2007": " ", "\u2009": " ", "\u200a": " ", "\t": " ", "\r": " ",
}  # fmt: skip


@lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    """Traditional -> simplified Chinese, one character each (data file, covers our lexicon)."""
    table: dict[str, str] = {}
    text = resources.files("scamlens.text").joinpath("t2s.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for pair in line.split():
            if len(pair) == 2:
                table[pair[0]] = pair[1]
    return table


def _fold_char(ch: str) -> str:
    cp = ord(ch)
    if cp in _INVISIBLE:
        return ""
    if ch in _PUNCT:
        return _PUNCT[ch]
    cat = unicodedata.category(ch)
    if cat == "Cc" and ch != "\n":
        return " "
    if cat == "Cs":  # a lone surrogate (e.g. "\ud800" in JSON) cannot be encoded: mark it
        return "\ufffd"
    if cat in ("Mn", "Me") and cp >= 0x0300:  # combining marks used as noise ("z̷a̷l̷g̷o")
        return ""
    out = unicodedata.normalize("NFKC", ch)
    folded = []
    for c in out:
        c = c.lower()
        c = _HOMOGLYPHS.get(c, c)
        c = _t2s().get(c, c)
        # Accents on Latin letters are a cheap way to dodge filters: drop them.
        if c > "\x7f" and not _is_cjk(c):
            base = unicodedata.normalize("NFKD", c)
            stripped = "".join(b for b in base if not unicodedata.combining(b))
            if stripped.isascii() and stripped:
                c = stripped
        folded.append(c)
    return "".join(folded)


class _FoldTable(dict[int, str]):
    """str.translate table that computes and caches each character's folding on first use."""

    def __missing__(self, key: int) -> str:
        value = _fold_char(chr(key))
        self[key] = value
        return value


_TABLE = _FoldTable()


class _LengthTable(dict[int, str]):
    """str.translate table: each character -> chr(length of its folding)."""

    def __missing__(self, key: int) -> str:
        value = chr(len(_TABLE[key]))
        self[key] = value
        return value


_LENGTHS = _LengthTable()
_ASCII_LOWER = {c: chr(c).lower() for c in range(128)}
for _c in range(128):
    _ch = chr(_c)
    if _ch in _PUNCT:
        _ASCII_LOWER[_c] = _PUNCT[_ch]
    elif _c < 32 and _ch != "\n":
        _ASCII_LOWER[_c] = " "
_ASCII_LOWER[0] = " "  # keeps ASCII folding length-preserving
# The same ASCII folding as a byte table: bytes.translate is several times faster than
# str.translate with a dict, and every ASCII character folds to exactly one ASCII character.
_ASCII_BYTES = bytes(ord(_ASCII_LOWER[c]) for c in range(128)) + bytes(range(128, 256))


def fold(text: str) -> str:
    """The detection view of `text`. Lengths may differ from the original; see `fold_map`."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_BYTES).decode("ascii")
    return text.translate(_TABLE)


# fold_many: each code point's folding as a code-point table: the folded character's code point
# + 1 where it is one character, _GONE where it is none, _SEVERAL where it is more than one, 0
# where not looked up yet. calloc'd: only the pages of code points that occur become resident.
_CODE_TABLE: NDArray[np.uint32] | None = None
_GONE = np.uint32(0xFFFFFFFE)
_SEVERAL = np.uint32(0xFFFFFFFF)
# Joins texts for fold_many: a private-use character folds to itself and nothing folds to it.
_JOIN = "\ue000"
# ASCII texts are joined by \x01, which ASCII folding never outputs; this table keeps it.
_JOIN_ASCII = "\x01"
_ASCII_BYTES_JOIN = _ASCII_BYTES[:1] + b"\x01" + _ASCII_BYTES[2:]


def fold_many(texts: Sequence[str]) -> list[str]:
    """`[fold(t) for t in texts]`, with the texts folded in two vectorised passes.

    `fold` looks each non-ASCII character up in a dict, and a chat holds thousands of them;
    here a code-point table does it for all the texts at once (a text with a character that
    folds to several, an NFKC expansion, is folded on its own). Equal to `fold`, character
    for character.
    """
    out = list(texts)
    wide: list[int] = []
    narrow: list[int] = []
    for i, t in enumerate(out):
        (narrow if t.isascii() else wide).append(i)
    if len(narrow) > 1:
        joined = _JOIN_ASCII.join([out[i] for i in narrow])
        folded = joined.encode("ascii").translate(_ASCII_BYTES_JOIN).decode("ascii")
        parts = folded.split(_JOIN_ASCII)
        if len(parts) == len(narrow):  # else a text holds \x01 itself
            for i, f in zip(narrow, parts, strict=True):
                out[i] = f
            narrow = []
    for i in narrow:
        out[i] = fold(out[i])
    if len(wide) > 1:
        wide = _fold_wide(out, wide)
    for i in wide:
        out[i] = out[i].translate(_TABLE)
    return out


def _fold_wide(out: list[str], wide: list[int]) -> list[int]:
    """Fold the non-ASCII texts `out[i]` (i in `wide`) in place through the code-point table;
    returns the indices left for `fold`."""
    global _CODE_TABLE
    table = _CODE_TABLE
    if table is None:
        table = _CODE_TABLE = np.zeros(0x110000, dtype=np.uint32)
    joined = _JOIN.join([out[i] for i in wide])
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = table[cps]
    if not mapped.all():
        for cp in np.unique(cps[mapped == 0]).tolist():
            f = _TABLE[cp]
            table[cp] = ord(f) + 1 if len(f) == 1 else _GONE if not f else _SEVERAL
        mapped = table[cps]
    rest: list[int] = []
    if (mapped >= _GONE).any():
        several = mapped == _SEVERAL
        if several.any():
            ends = np.flatnonzero(cps == ord(_JOIN))  # where each text ends
            if len(ends) != len(wide) - 1:
                return wide  # a text holds the join character itself
            at = np.unique(np.searchsorted(ends, np.flatnonzero(several))).tolist()
            rest = [wide[k] for k in at]
            mapped[several] = _GONE  # those texts are folded on their own
        mapped = mapped[mapped != _GONE]
    mapped -= 1
    folded = mapped.tobytes().decode("utf-32-le", "surrogatepass").split(_JOIN)
    if len(folded) != len(wide):
        return wide  # a text holds the join character itself
    skip = set(rest)
    for i, f in zip(wide, folded, strict=True):
        if i not in skip:
            out[i] = f
    return rest


def fold_map(text: str) -> list[int]:
    """For each index of `fold(text)`, the index of the original character it came from.

    The list has one extra entry at the end (len(text)) so an exclusive end maps too.
    """
    n = len(text)
    if text.isascii():  # every ASCII character folds to exactly one
        return list(range(n + 1))
    # Each character's fold length, as one character: str.translate at C speed instead of a
    # Python loop over the text.
    lens = text.translate(_LENGTHS)
    if lens.count("\x01") == n:
        return list(range(n + 1))
    counts = np.frombuffer(lens.encode("utf-32-le"), dtype=np.uint32)
    mapping: list[int] = np.repeat(np.arange(n), counts).tolist()
    mapping.append(n)
    return mapping


def to_original_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of `fold(text)` back to `text`."""
    if text.isascii():  # ASCII folding keeps length
        start = min(max(start, 0), len(text))
        return start, min(max(end, start), len(text))
    return _map_span(fold_map(text), start, end)


def to_original_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`to_original_span` of several spans of one text, building its `fold_map` once."""
    if text.isascii():
        return [to_original_span(text, s, e) for s, e in spans]
    mapping = fold_map(text)
    return [_map_span(mapping, s, e) for s, e in spans]


def _map_span(mapping: list[int], start: int, end: int) -> tuple[int, int]:
    start = min(max(start, 0), len(mapping) - 1)
    end = min(max(end, start), len(mapping) - 1)
    orig_start = mapping[start]
    orig_end = mapping[end - 1] + 1 if end > start else orig_start
    return orig_start, orig_end


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0xF900 <= cp <= 0xFAFF
        or 0x3040 <= cp <= 0x30FF
    )


def cjk_ratio(text: str) -> float:
    """Share of letters that are CJK ideographs or kana."""
    letters = 0
    cjk = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if _is_cjk(ch):
                cjk += 1
    return cjk / letters if letters else 0.0


def detect_language(text: str) -> str:
    """A cheap script-based guess: 'zh', 'en', 'mixed' or 'unknown'."""
    letters = 0
    cjk = 0
    latin = 0
    for ch in text[:4000]:
        if ch.isalpha():
            letters += 1
            if _is_cjk(ch):
                cjk += 1
            elif ch.isascii():
                latin += 1
    if letters == 0:
        return "unknown"
    # One CJK character weighs about as much as a short English word.
    zh = cjk * 3
    if zh >= latin * 4:
        return "zh"
    if latin >= zh * 4:
        return "en" if latin else "unknown"
    return "mixed"


# What display_safe drops: bidi controls and NUL. One character class (no quantifier, so
# linear), so clean text costs a single C-level scan.
_UNSAFE_CODES = frozenset({0, *BIDI_CONTROLS})
_UNSAFE = re.compile("[" + "".join(f"\\u{cp:04x}" for cp in sorted(_UNSAFE_CODES)) + "]")
_DROP_UNSAFE: dict[int, None] = dict.fromkeys(_UNSAFE_CODES)


def display_safe(text: str) -> str:
    """Original text with bidi controls removed, so a report cannot be visually reordered."""
    if text.isascii():
        return text.replace("\x00", "")
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_DROP_UNSAFE)
