"""Conversation language: English, Chinese, or a language scamlens does not read."""

from __future__ import annotations

import os
import re
import unicodedata
from types import ModuleType

from scamlens.text.normalize import fold

_native: ModuleType | None
try:
    from scamlens.text import _letters as _native
except ImportError:  # no C compiler at install time: the regex path, same results
    _native = None
if os.environ.get("SCAMLENS_NO_NATIVE"):  # as for the other C extensions: Python paths only
    _native = None

OTHER_LANGUAGE_NOTE = (
    "scamlens reads English and Chinese; red flags in other languages can be missed."
)


def language_note(language: str) -> str | None:
    """The caveat to show with a verdict whose conversation language is `language`."""
    return OTHER_LANGUAGE_NOTE if language == "other" else None


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Common words, matched on the folded text (lower case, accents dropped). A word common in both
# English and another language ("a", "me", "no", "in", "on", "so", "was", "at", "may") or in
# English crypto/web text ("com", "io", "per", "algo", "ada", "sim", "non") is in neither list.
_EN_WORDS = _word_set(
    """the and or but if of to for with from by about as is are were be been being do does did
    done have has had would can could should shall might must i my mine myself you your yours
    yourself he him his she her hers it its we us our ours they them their this that these those
    what who whom whose when where why how which not yes just very too all some any there here
    then than now up out get got go going know want like love good well really much more make made
    money time day today tomorrow tonight yesterday morning night week thanks thank please sorry
    hi hello hey dear honey babe sweetheart don doesn didn isn aren wasn won cant dont im ive
    youre thats s t ll ve re u ur r lol omg pls plz thx btw idk wanna gonna gotta yeah yep nope
    let lets because cause cuz would wouldn couldn shouldn never always again back only even into
    over after before other new see feel think need take give tell said say try miss wish hope
    nice great sure maybe something nothing anything everything someone people"""
)
_FOREIGN_WORDS = _word_set(
    # French, Spanish, Portuguese, Italian, German, Dutch, Indonesian/Malay, Tagalog,
    # Vietnamese (unaccented), Turkish, Polish.
    """le la les de des du un une et est je tu il elle nous vous ils elles pas ne que qui quoi ce
    cette ces mais pour avec dans sur au aux ou oui moi toi lui sa ses mes tes nos vos leur tres
    bien aussi suis es sommes etes sont avons avez ont fait faire peux peut veux voulez comme
    tout tous chez bonjour bonsoir merci salut cherie cheri argent quand alors donc parce encore
    deja j qu l el los las del por para pero como muy mas esta estas estoy esto eso ese esa mi te
    se lo nos su sus una uno unos hay tengo tiene tienes quiero quieres puedes puedo bueno gracias
    hola si tambien cuando donde porque hoy manana amor dinero ahora aqui soy eres somos fue
    vamos nada todo mucho poco ella usted ustedes nosotros cual quien voce nao eu muito obrigado
    obrigada tambem isso isto os da das dos na nas estou tem meu minha seu sua ele aqui dinheiro
    onde hoje amanha tudo bem ola entao ja agora vai vou pra il che di sono questo questa anche
    ciao grazie ti hai della delle molto bene sei cosa perche gli noi voi siamo fatto adesso oggi
    domani soldi der das und ist nicht ich du sie wir ihr ein eine einen einem einer mit auf fur
    dass zu von den dem sich auch noch nur aber wie wenn kann habe hast haben bist sind mein meine
    dein deine dich mich mir dir schon jetzt heute geld danke bitte nein gut sehr oder doch mal
    hier euch uns unser gibt geht machen morgen liebe schatz het een niet ik jij wij zijn heb hebt
    voor maar ook wel nog naar dank mijn jouw jou kan waar geen veel goed dit deze zou moet kunnen
    yang dan ke dari ini itu dengan untuk tidak tak saya aku kamu anda kita kami dia mereka akan
    sudah udah belum bisa boleh juga lagi sama atau tapi karena kalau kalo jadi apa mau sayang
    uang duit deh dong sih nya gak nggak ga banget terima kasih hari sekarang nanti gimana
    bagaimana berapa pak bu mbak kak sangat hanya harus lebih baru bagus ang ng mga sa ako ikaw
    ka siya tayo kayo sila hindi oo po opo ko mo niya natin namin ito iyan yan yung ung lang din
    rin naman talaga kasi kung ano bakit paano saan pera salamat ba pa nga va cua khong cho nay
    voi mot nhung cac thi roi nhe toi anh chi gi lam tien vay minh cung nhieu biet muon qua ko
    bir bu icin cok sen biz var yok degil ama gibi daha evet hayir tamam merhaba ile simdi nie
    jest sie jak tak ale czy jestem ze mnie"""
)


_LETTERS = re.compile(r"[^\W\d_]+")  # one class, one quantifier: linear
_CJK_SPAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA_SPAN = "\u3041-\u3096\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
_HAN_RUN = re.compile(f"[{_CJK_SPAN}]+")
_KANA_RUN = re.compile(f"[{_KANA_SPAN}]+")
# A character that is not ASCII, Chinese or kana: in a word, an accented or look-alike Latin
# letter (before folding) or a letter of another script (after folding).
_NOT_LATIN_CJK = re.compile(f"[^\x00-\x7f{_CJK_SPAN}{_KANA_SPAN}]")
_ACCENTED_SPAN = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_ACCENTED = re.compile(f"[{_ACCENTED_SPAN}]")
# About 350 words of chat: enough to tell languages apart, and cheap next to the analysis.
_SAMPLE = 2000


def _pairs(span: str) -> str:
    """A class body of ranges only ("a-zA-Z") as the C path reads it: (first, last) pairs."""
    pairs = span.replace("-", "")
    assert len(span) == len(pairs) * 3 // 2, span
    return pairs


# The classes above for the C path: what `words` keeps out of the foreign words, and what
# `counts` counts (Chinese characters, kana, accented letters).
_KEEP_PAIRS = _pairs(_CJK_SPAN + _KANA_SPAN)
_COUNT_SETS = (_pairs(_CJK_SPAN), _pairs(_KANA_SPAN), _pairs(_ACCENTED_SPAN))

Counts = tuple[list[str], int, int, int, int]  # latin words, foreign words, han, kana, accented


def _sample_counts_py(sample: str) -> Counts:
    """What is_other_language counts in `sample`: its Latin-script words (lower case, folded
    to ASCII), its words of other scripts, and its Chinese characters, kana and accented
    letters. The reference for the C path."""
    foreign = han = kana = accented = 0
    if sample.isascii():
        return _LETTERS.findall(sample.lower()), 0, 0, 0, 0
    # Decomposed accents (macOS exports) would split words. Full-width and styled letters
    # are mapped by `fold` below (NFKC on the whole text costs far more on Chinese).
    sample = unicodedata.normalize("NFC", sample)
    accented = len(_ACCENTED.findall(sample))
    words = _LETTERS.findall(sample.lower())
    latin = [w for w in words if w.isascii()]
    for w in words:
        if not w.isascii() and _NOT_LATIN_CJK.search(w) is not None:
            foreign += _fold_word(w, latin)
    han = sum(map(len, _HAN_RUN.findall(sample)))
    kana = sum(map(len, _KANA_RUN.findall(sample)))
    return latin, foreign, han, kana, accented


def _fold_word(word: str, latin: list[str]) -> int:
    """1 when `word` is of another script; else 0, and its folded form joins `latin` when
    that is ASCII."""
    f = fold(word)  # accents dropped, look-alike letters to Latin
    if f.isascii():
        latin.append(f)
    elif _NOT_LATIN_CJK.search(f) is not None:
        return 1  # Cyrillic, Greek, Thai, Arabic, Hangul, Vietnamese đ...
    return 0


def _sample_counts_c(sample: str, native: ModuleType) -> Counts:
    """`_sample_counts_py` with the word runs and the counts in C (`native`: _letters.c)."""
    if sample.isascii():
        return native.words(sample.lower(), _KEEP_PAIRS)[0], 0, 0, 0, 0
    sample = unicodedata.normalize("NFC", sample)
    latin, others = native.words(sample.lower(), _KEEP_PAIRS)
    foreign = 0
    for w in others:
        foreign += _fold_word(w, latin)
    han, kana, accented = native.counts(sample, _COUNT_SETS)
    return latin, foreign, han, kana, accented


def _sample_counts(sample: str) -> Counts:
    if _native is None:
        return _sample_counts_py(sample)
    return _sample_counts_c(sample, _native)


def is_other_language(text: str) -> bool:
    """True when `text` (a conversation's text, joined) is mostly in a language other than
    English and Chinese, so English and Chinese rules and models can miss what it says.

    Conservative and cheap (the first 2,000 characters, a few linear passes): short texts,
    English with names, emoji, slang or a few foreign words, and Chinese stay False. Two
    signals: most words are in a script that is neither Latin nor Chinese (Cyrillic, Thai,
    Arabic, Hangul; Japanese when kana are frequent), or the Latin-script words use common
    words of French, Spanish, German, Indonesian, Tagalog, Vietnamese... far more than English
    ones (or hardly any English ones, with accented letters).
    """
    latin, foreign, han, kana, accented = _sample_counts(text[:_SAMPLE])
    # About 1.5 Chinese characters, or 2 kana, to a word.
    cjk_words = han / 1.5 + kana / 2
    if kana >= 8 and kana * 4 >= han + kana:  # Japanese: kana are a big share of CJK
        foreign += round(cjk_words)
        cjk_words = 0
    n_latin = len(latin)
    total = n_latin + foreign + cjk_words
    if foreign >= 4 and total >= 6 and foreign * 2 >= total:
        return True
    if n_latin < 8 or n_latin * 10 < total * 7:  # the rest needs mostly Latin-script words
        return False
    en = sum(map(_EN_WORDS.__contains__, latin))
    other = sum(map(_FOREIGN_WORDS.__contains__, latin))
    if other >= 4 and other >= 2 * en + 1:
        return True
    # A language without a word list: hardly any English words, and accented letters.
    if n_latin >= 15 and en * 20 <= n_latin:
        return accented * 50 >= sum(map(len, latin))
    return False
