"""Decoding: BOMs, UTF-16 without a BOM, a guessed legacy encoding, and bounded line reading.

Line formats are streamed: at most one line (capped) is held at a time, so a 2 GB export
costs what its parsed messages cost, not twice the file.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from scamlens.errors import InputError

from .common import Context
from .source import HEAD_BYTES, Source, check_size, human

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # Python codec name
    bom: int  # bytes of byte-order mark to skip
    ascii_safe: bool  # b"\n" is always a newline (so lines can be split as bytes)
    newline: str  # "\n", or "\r" for old Mac files
    note: str | None  # what to tell the user about the choice, if anything


def _ascii_safe(codec: str) -> bool:
    name = codecs.lookup(codec).name
    return not name.startswith(("utf-16", "utf-32", "utf-7")) and "\n".encode(codec) == b"\n"


def wide_without_bom(head: bytes) -> str | None:
    """UTF-16 written without a BOM shows as a NUL in every other byte of ASCII text
    (UTF-32 as three NULs in every four bytes)."""
    sample = head[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    quarter = len(sample) // 4
    if quarter >= 2:
        lanes = [sample[i : quarter * 4 : 4].count(0) for i in range(4)]
        if lanes[0] < 0.05 * quarter and min(lanes[2], lanes[3]) > 0.8 * quarter:
            return "utf-32-le"
        if lanes[3] < 0.05 * quarter and min(lanes[0], lanes[1]) > 0.8 * quarter:
            return "utf-32-be"
    zero_even = sample[0 : half * 2 : 2].count(0)
    zero_odd = sample[1 : half * 2 : 2].count(0)
    if zero_odd > 0.3 * half and zero_even < 0.05 * half:
        return "utf-16-le"
    if zero_even > 0.3 * half and zero_odd < 0.05 * half:
        return "utf-16-be"
    return None


def sniff(src: Source, ctx: Context) -> Encoding:
    """Decide how to decode `src`: forced option, BOM, UTF-16 shape, UTF-8, else a guess."""
    head = src.head()
    forced = ctx.options.encoding
    if forced:
        try:
            codec = codecs.lookup(forced).name
        except LookupError:
            raise InputError(f"unknown encoding {forced!r}", src.name) from None
        bom = 0
        for mark, name in BOMS:
            if head.startswith(mark) and codecs.lookup(name).name == codec:
                bom = len(mark)
        return _finish(codec, bom, head, None)
    for mark, name in BOMS:
        if head.startswith(mark):
            return _finish(name, len(mark), head, None)
    utf16 = wide_without_bom(head)
    if utf16:
        return _finish(utf16, 0, head, f"no byte-order mark; read as {utf16.upper()}")
    try:
        # final=False: a file cut inside its last character (a broken download) is still
        # UTF-8; the damaged line is noted when it is read.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return _finish("utf-8", 0, head, None)
    except UnicodeDecodeError:
        if _mostly_utf8(head, src.whole()):
            return _finish("utf-8", 0, head, None)  # bad bytes are replaced line by line
    if _western(head):
        return _finish("cp1252", 0, head, "not valid UTF-8; guessed the encoding cp1252")
    guess = _guess(head)
    return _finish(guess, 0, head, f"not valid UTF-8; guessed the encoding {guess}")


# Legacy encodings chat exports are really written in (Windows and East Asian code pages).
# Letting the guesser pick from every code page yields oddities like cp775 for Spanish.
_LEGACY = ("cp1252", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1251",
           "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
           "koi8_r")  # fmt: skip


def _guess(head: bytes) -> str:
    """Legacy encoding guess for non-UTF-8 input; near-ties go to the commoner code page."""
    from charset_normalizer import from_bytes  # imported lazily: only needed for odd files

    matches = list(from_bytes(head[:HEAD_BYTES], cp_isolation=list(_LEGACY)))
    if not matches:
        return "cp1252"
    best = min(m.chaos for m in matches)
    close = [m.encoding for m in matches if m.chaos <= best + 0.01]
    rank = {codecs.lookup(name).name: i for i, name in enumerate(_LEGACY)}
    close.sort(key=lambda enc: rank.get(codecs.lookup(enc).name, len(rank)))
    return codecs.lookup(close[0]).name


# Accented letters of Western European languages (cp1252 minus Icelandic ð/þ, which stand
# in for Turkish ğ/ş when cp1254 text is misread) and the punctuation cp1252 adds.
_WESTERN = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŽžŸ"
                     "€‘’“”–—…«»¡¿°ºª·£")  # fmt: skip


def _western(head: bytes) -> bool:
    """Whether non-UTF-8 bytes read as cp1252 look like Western European text.

    Western words are mostly ASCII letters with an accent or two ("você", "Grüße"); the same
    bytes from Cyrillic, Greek or CJK code pages read as words made only of accented letters
    ("Ïðèâåò") or as symbols inside words ("za¿ó³æ" from Polish cp1250). The generic guesser
    too often picks cp1250 or cp1251 for short Western text, hence this check first.
    """
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return False  # bytes cp1252 leaves undefined
    mixed = pure = 0
    word: list[str] = []
    for ch in text + " ":
        if (ch > "\x7f" and ch not in _WESTERN) or (ch < " " and ch not in "\t\n\r"):
            return False
        if ch.isalpha():
            word.append(ch)
            continue
        if len(word) > 1:
            high = sum(1 for c in word if c > "\x7f")
            if high == len(word):
                pure += 1
            elif high:
                mixed += 1
        word.clear()
    return mixed > 4 * pure


def _mostly_utf8(head: bytes, final: bool) -> bool:
    """Valid UTF-8 with a few bad bytes (a damaged line) rather than a legacy code page."""
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(head, final=final)
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 4 * bad


def _finish(codec: str, bom: int, head: bytes, note: str | None) -> Encoding:
    body = head[bom : bom + 8192]
    newline = "\r" if b"\r" in body and b"\n" not in body and len(body) > 0 else "\n"
    if newline == "\r" and not _ascii_safe(codec):
        newline = "\n"  # the bytes test above means nothing for UTF-16/32
    return Encoding(codec, bom, _ascii_safe(codec), newline, note)


def head_text(src: Source, ctx: Context, enc: Encoding) -> str:
    """The decoded head, for format detection (NULs dropped, bad bytes replaced)."""
    if src.text is not None:
        return src.text[:HEAD_BYTES].replace("\x00", "")
    dec = codecs.getincrementaldecoder(enc.codec)(errors="replace")
    text = dec.decode(src.head()[enc.bom :], final=src.whole())
    return text.replace("\x00", "")


def _note_encoding(enc: Encoding, ctx: Context) -> None:
    if enc.note:
        ctx.notes.add(enc.note)


def iter_lines(src: Source, ctx: Context, enc: Encoding | None = None) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its newline), NULs stripped, long lines cut."""
    check_size(src, ctx.options.max_bytes, "the file", "max_bytes")
    if src.text is not None:
        yield from _text_lines(src.text, ctx)
        return
    if enc is None:
        enc = sniff(src, ctx)
    _note_encoding(enc, ctx)
    limit = max(ctx.options.max_message_chars, 16) * 4 + 2  # UTF-8 needs up to 4 bytes a char
    with src.open() as fh:
        if enc.ascii_safe and enc.newline == "\n":
            yield from _byte_lines(fh, enc, ctx, limit)
        else:
            yield from _wrapped_lines(fh, enc, ctx, limit)


def _text_lines(text: str, ctx: Context) -> Iterator[tuple[int, str]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    head = text[:8192]
    nl = "\r" if "\n" not in head and "\r" in head else "\n"  # old Mac line ends
    pos = 0
    n = len(text)
    lineno = 0
    cap = ctx.options.max_message_chars
    while pos < n:
        end = text.find(nl, pos)
        if end < 0:
            end = n
        line = text[pos:end]
        pos = end + 1
        lineno += 1
        if line.endswith("\r"):
            line = line[:-1]
        if "\x00" in line:
            line = line.replace("\x00", "")
            ctx.notes.count("NUL characters were removed", lineno)
        if len(line) > cap:
            line = line[:cap]
            ctx.notes.count(f"a line longer than {cap:,} characters was cut", lineno)
        yield lineno, line


def _byte_lines(fh: BinaryIO, enc: Encoding, ctx: Context, limit: int) -> Iterator[tuple[int, str]]:
    codec = enc.codec
    if enc.bom:
        fh.read(enc.bom)
    cap = ctx.options.max_message_chars
    lineno = 0
    readline = fh.readline
    while True:
        raw = readline(limit)
        if not raw:
            return
        lineno += 1
        cut = False
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        elif len(raw) >= limit:
            cut = True
            while True:  # drop the rest of an over-long line without holding it
                rest = readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode(codec)
        except UnicodeDecodeError:
            line = raw.decode(codec, "replace")
            if cut:
                line = line.rstrip("\ufffd")
            else:
                ctx.notes.count(f"bytes that are not valid {codec} were replaced", lineno)
        if "\x00" in line:
            line = line.replace("\x00", "")
            ctx.notes.count("NUL characters were removed", lineno)
        if cut or len(line) > cap:
            line = line[:cap]
            ctx.notes.count(f"a line longer than {cap:,} characters was cut", lineno)
        yield lineno, line


def _wrapped_lines(
    fh: BinaryIO, enc: Encoding, ctx: Context, limit: int
) -> Iterator[tuple[int, str]]:
    codec = enc.codec
    if enc.bom:
        fh.read(enc.bom)
    cap = ctx.options.max_message_chars
    stream = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline=enc.newline)
    lineno = 0
    nl = enc.newline
    try:
        while True:
            line = stream.readline(cap + 1)
            if not line:
                return
            lineno += 1
            if line.endswith(nl):
                line = line[: -len(nl)]
            elif len(line) > cap:
                while True:
                    rest = stream.readline(cap + 1)
                    if not rest or rest.endswith(nl):
                        break
                line = line[:cap]
                ctx.notes.count(f"a line longer than {cap:,} characters was cut", lineno)
            if line.endswith("\r"):
                line = line[:-1]
            if "\x00" in line:
                line = line.replace("\x00", "")
                ctx.notes.count("NUL characters were removed", lineno)
            if "\ufffd" in line:
                ctx.notes.count(f"text that is not valid {codec} may have been replaced", lineno)
            yield lineno, line
    finally:
        stream.detach()


def read_text(src: Source, ctx: Context, limit: int, option: str) -> str:
    """The whole input as text (JSON formats), refusing anything over `limit` bytes."""
    check_size(src, limit, "this export is loaded whole and", option)
    if src.text is not None:
        text = src.text
    else:
        enc = sniff(src, ctx)
        _note_encoding(enc, ctx)
        with src.open() as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise InputError(
                f"this export is loaded whole and is over the {human(limit)} limit "
                f"(raise ImportOptions.{option} to allow it)",
                src.name,
            )
        data = data[enc.bom :]
        try:
            text = data.decode(enc.codec)
        except UnicodeDecodeError as exc:
            text = data.decode(enc.codec, "replace")
            what = f"bytes that are not valid {enc.codec} were replaced"
            ctx.notes.count(what, f"byte {exc.start}")
        del data
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "")
        ctx.notes.add("NUL characters were removed")
    return text
