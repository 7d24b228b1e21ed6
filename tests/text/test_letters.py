"""The C words and script counts behind is_other_language (_letters.c) against the regex path:
every code point, generated text over the characters where the two could part, and every
example and fixture chat."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.api import load_chats
from scamlens.text import language as lang

try:
    from scamlens.text import _letters
except ImportError:  # pragma: no cover - built wherever a C compiler was found
    _letters = None  # type: ignore[assignment]

native = pytest.mark.skipif(_letters is None, reason="the C extension is not built")
ROOT = Path(__file__).resolve().parents[2]

# Where a letter test or a range can go wrong: ASCII edges ('@', '[', '`', '{', '_', digits),
# accented letters and the accented ranges' edges (×, ÷, ɐ), combining marks (letters only
# once NFC composes them), CJK and kana range edges (U+3040, U+3097, U+30FB, U+FB00), other
# scripts with marks inside words (Thai, Devanagari), numerals that are letters to `\w` but
# not `\d` (², ½, ①, Ⅻ, 〇) and decimals that are not (٣, ३, ５), look-alikes that fold to
# ASCII (full-width, mathematical bold, Kelvin sign), letters whose lower case grows (İ),
# astral letters (𠀀) and symbols (😀), and lone surrogates.
_POOL = (
    "aZz AZ@[`{_09-'.,!? \n\t"
    "ÀÖØöøÿĀɏɐ×÷ḀỿéçñüßẞŸ\u0301\u0308"
    "\u33ff\u3400\u4dbf\u4dc0\u4e00中文提现\u9fff\ua000\uf8ff\uf900\ufaff\ufb00"
    "\u3040\u3041\u3096\u3097\u30a0\u30a1\u30fa\u30fb\u30fc\u30ff\u31ef\u31f0\u31ff\u3200"
    "привет Ωμέγα สวัสดี नमस्ते مرحبا 안녕"
    "²½①Ⅻ〇٣३５Ａｂ𝐀𝐳Kİı𠀀😀🄰\ud800\udfff"
)


def _same(sample: str) -> None:
    assert lang._sample_counts_c(sample, _letters) == lang._sample_counts_py(sample)


@native
def test_every_code_point_is_a_letter_as_the_regex_says() -> None:
    """Each code point alone between spaces: the C words are `_LETTERS`' runs, split by
    whether they are ASCII (an empty keep set: every other run is kept)."""
    text = " ".join(map(chr, range(sys.maxunicode + 1)))
    ascii_words, other_words = _letters.words(text, "")
    found = lang._LETTERS.findall(text)
    assert ascii_words == [w for w in found if w.isascii()]
    assert other_words == [w for w in found if not w.isascii()]
    assert len(found) > 100_000  # the test reads letters, not an empty list


@native
def test_every_code_point_is_counted_as_the_regexes_count() -> None:
    text = "".join(map(chr, range(sys.maxunicode + 1)))
    han, kana, accented = _letters.counts(text, lang._COUNT_SETS)
    assert han == sum(map(len, lang._HAN_RUN.findall(text)))
    assert kana == sum(map(len, lang._KANA_RUN.findall(text)))
    assert accented == len(lang._ACCENTED.findall(text))


@native
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_POOL), max_size=300))
def test_generated_text_counts_the_same(text: str) -> None:
    _same(text)


@native
def test_long_mixed_text_counts_the_same() -> None:
    rng = random.Random(7)
    for _ in range(200):
        _same("".join(rng.choice(_POOL) for _ in range(rng.randint(0, 2500))))


@native
@pytest.mark.parametrize("folder", ["examples", "tests/fixtures/exports", "tests/text/fixtures"])
def test_example_and_fixture_chats_count_the_same(folder: str) -> None:
    checked = 0
    for path in sorted((ROOT / folder).rglob("*")):
        if not path.is_file() or path.suffix in (".md", ".yaml", ".jsonl"):
            continue
        try:
            chats = load_chats(path)
        except Exception:  # not a chat export (the fixture folders hold others)
            continue
        for conv in chats:
            text = " ".join(m.text for m in conv.messages if m.text)
            for start in range(0, max(len(text), 1), 2000):
                _same(text[start : start + 2000])
            checked += 1
    assert checked > 0


@native
def test_bad_ranges_are_an_error() -> None:
    with pytest.raises(ValueError, match="pairs"):
        _letters.words("abc", "a")
    with pytest.raises(ValueError, match="pairs"):
        _letters.counts("abc", ("a",))
    with pytest.raises(TypeError):
        _letters.counts("abc", (b"az",))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at most"):
        _letters.counts("abc", ("az",) * 9)
    with pytest.raises(ValueError, match="64 ranges"):
        _letters.counts("abc", ("az" * 65,))
    assert _letters.counts("", ()) == ()


@native
def test_a_character_counts_once_a_set() -> None:
    """As a regex class counts it: once, though two of the set's ranges hold it; and once in
    each set that holds it."""
    assert _letters.counts("dd", ("azcf",)) == (2,)
    assert _letters.counts("d", ("az", "cf", "xz")) == (1, 1, 0)
    for kind in ("d", "d\u00e9", "d\u4e2d", "d\U0001f600"):  # each width of str
        assert _letters.counts(kind, ("azcf", "\u00e0\u00ff", "\u4e00\u9fff"))[0] == 1


@pytest.mark.parametrize("value, expect", [("1", "python"), ("", "auto")])
def test_environment_switch(value: str, expect: str) -> None:
    env = {**os.environ, "SCAMLENS_NO_NATIVE": value}
    code = (
        "import importlib.util as u; from scamlens.text import language as l; "
        "print(l._native is not None, u.find_spec('scamlens.text._letters') is not None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    if expect == "python":
        assert out[0] == "False"
    else:  # on exactly when the extension is there
        assert out[0] == out[1]


def test_without_the_extension_the_answers_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        "Hello dear, how was your day? I invest in crypto with my uncle's platform",
        "Bonjour mon cher, comment vas-tu? Je suis très contente de te parler aujourd'hui",
        "你好，我在做数字货币投资，收益很稳定，你要不要试试",
        "Привет, как дела? Я хочу рассказать тебе о платформе",
    ]
    want = [lang.is_other_language(t) for t in texts]
    monkeypatch.setattr(lang, "_native", None)
    assert [lang.is_other_language(t) for t in texts] == want == [False, True, False, True]
