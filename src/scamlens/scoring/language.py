"""A script-based language guess for verdicts, cheap enough for every request.

Counts CJK ideographs against ASCII letters in the first 4,000 characters. The counts are exact
(one pass in C where built, else bytes.translate and numpy, instead of a regex `findall` that
builds one string per letter).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from scamlens.text.language import _native as _letters

SAMPLE_CHARS = 4000
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_RUN = re.compile(r"[A-Za-z]")
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_LATIN_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_CJK_TABLE = np.zeros(0x10000, dtype=bool)  # is a BMP code point in _CJK_RANGES
for _lo, _hi in _CJK_RANGES:
    _CJK_TABLE[_lo : _hi + 1] = True
_SHORT = 200  # below this a regex is cheaper than a numpy pass
# The two classes as (first, last) character pairs, for the C path.
_COUNT_SETS = ("".join(chr(c) for r in _CJK_RANGES for c in r), "AZaz")


def script_counts(text: str) -> tuple[int, int]:
    """(CJK ideographs, ASCII letters) in `text`, as `_CJK_RUN`/`_LATIN_RUN` would count them."""
    if _letters is not None:  # one pass in C (text/_letters.c)
        cjk, latin = _letters.counts(text, _COUNT_SETS)
        return cjk, latin
    return _script_counts_np(text)


def _script_counts_np(text: str) -> tuple[int, int]:
    """`script_counts` without the C extension."""
    utf8 = text.encode("utf-8", "surrogatepass")
    # Multi-byte UTF-8 sequences never contain ASCII bytes: deleting the letters counts them.
    latin = len(utf8) - len(utf8.translate(None, _LATIN_BYTES))
    if len(text) <= _SHORT:
        return len(_CJK_RUN.findall(text)), latin
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    # One table look-up per character; above the BMP (no ideograph range there) reads U+FFFF.
    return int(np.count_nonzero(_CJK_TABLE[np.minimum(cps, 0xFFFF)])), latin


def quick_language(text: str) -> str:
    """Script-based language guess: 'zh', 'en', 'mixed' or 'unknown'."""
    sample = text[:SAMPLE_CHARS]
    if sample.isascii():
        return "en" if _LATIN_RUN.search(sample) else "unknown"
    cjk, latin = script_counts(sample)
    if cjk == 0 and latin == 0:
        return "unknown"
    zh = cjk * 3
    if zh >= latin * 4:
        return "zh"
    if latin >= zh * 4:
        return "en"
    return "mixed"


def joined_head(texts: Iterable[str], limit: int = SAMPLE_CHARS, sep: str = " ") -> str:
    """`sep.join(texts)[:limit]` without joining texts that lie past `limit`."""
    parts: list[str] = []
    size = -len(sep)
    for t in texts:
        parts.append(t)
        size += len(sep) + len(t)
        if size >= limit:
            break
    return sep.join(parts)[:limit]
