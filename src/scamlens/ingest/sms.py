"""SMS Backup & Restore XML (``<smses>`` with ``<sms>`` and ``<mms>`` elements), streamed.

The parser is expat with every form of entity declaration refused: a document type
declaration, entity declarations and external entities raise before anything expands, so
"billion laughs" and external-entity tricks cannot work. Messages are grouped into one
conversation per contact address. ``type``/``msg_box`` 2 (sent), 4 (outbox), 5 (failed)
and 6 (queued) are the user's; 1 is received; 3 (drafts) are skipped.

The app writes emoji as pairs of surrogate character references (``&#55357;&#56832;``), which
XML forbids; they are joined into one reference before parsing.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any, BinaryIO
from xml.parsers import expat

from scamlens.errors import InputError, UnknownFormatError

from .common import MEDIA, TEXT, Context, Draft, RawChat, clean_name
from .source import Source, check_size, human
from .textio import BOMS, wide_without_bom
from .timeutil import from_epoch, offset_zone

ME = "Me"
_SENT = frozenset({"2", "4", "5", "6"})
_CHUNK = 64 * 1024
_MAX_ELEMENT = 64 * 1024 * 1024
_PAIR = re.compile(rb"&#(5[5-7]\d\d\d);&#(5[5-7]\d\d\d);")
_ONE = re.compile(rb"&#(5[5-7]\d\d\d);")
_READABLE = ("%b %d, %Y %I:%M:%S %p", "%d %b %Y %H:%M:%S", "%Y-%m-%d %H:%M:%S",
             "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%d.%m.%Y %H:%M:%S")  # fmt: skip
_NULLS = frozenset({"", "null", "(Unknown)"})
_NULLS_REF = (None, "null", "")


def _pair(m: re.Match[bytes]) -> bytes:
    hi, lo = int(m.group(1)), int(m.group(2))
    if 0xD800 <= hi <= 0xDBFF and 0xDC00 <= lo <= 0xDFFF:
        return b"&#%d;" % (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    return m.group(0)


def _one(m: re.Match[bytes]) -> bytes:
    return b"&#65533;" if 0xD800 <= int(m.group(1)) <= 0xDFFF else m.group(0)


def fix_surrogates(data: bytes) -> bytes:
    if b"&#5" not in data:
        return data
    return _ONE.sub(_one, _PAIR.sub(_pair, data))


def _wide_codec(head: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) for a UTF-16/32 file (a backup re-saved by a Windows editor)."""
    for mark, codec in BOMS:
        if head.startswith(mark):
            return (codec, len(mark)) if not codec.startswith("utf-8") else None
    guess = wide_without_bom(head)
    return (guess, 0) if guess else None


def _reader(fh: BinaryIO, head: bytes) -> tuple[Callable[[int], bytes], bool]:
    """A read function giving UTF-8 bytes, and whether it transcodes. The surrogate fix-up
    and the chunking work on ASCII-compatible bytes, so UTF-16/32 is turned into UTF-8."""
    wide = _wide_codec(head)
    if wide is None:
        return fh.read, False
    codec, bom = wide
    fh.read(bom)
    dec = codecs.getincrementaldecoder(codec)("replace")

    def read(n: int) -> bytes:
        while True:
            block = fh.read(n)
            if not block:
                return dec.decode(b"", final=True).encode("utf-8")
            text = dec.decode(block)
            if text:
                return text.encode("utf-8")

    return read, True


def _chunks(read: Callable[[int], bytes], name: str) -> Any:
    """Chunks cut just after a '>' or newline, so no character reference is ever split."""
    carry = b""
    while True:
        block = read(_CHUNK)
        if not block:
            if carry:
                yield fix_surrogates(carry), True
            else:
                yield b"", True
            return
        data = carry + block
        cut = max(data.rfind(b">"), data.rfind(b"\n")) + 1
        if cut == 0:
            if len(data) > _MAX_ELEMENT:
                raise InputError(f"an XML element is larger than {human(_MAX_ELEMENT)}", name)
            carry = data
            continue
        carry = data[cut:]
        yield fix_surrogates(data[:cut]), False


def _key(address: str) -> str:
    parts = []
    for piece in address.split("~"):
        digits = "".join(ch for ch in piece if ch.isdigit())
        compact = "".join(ch for ch in piece if ch not in " -().")
        if digits and len(digits) >= 10 and compact.lstrip("+").isdigit():
            parts.append(digits[-10:])
        else:
            parts.append(compact.lower())
    return "~".join(sorted(parts))


class _State:
    def __init__(self, ctx: Context, name: str) -> None:
        self.ctx = ctx
        self.name = name
        self.root: str | None = None
        self.convs: dict[str, list[Draft]] = {}
        self.titles: dict[str, str] = {}
        self.names: dict[str, str] = {}  # address key -> contact name
        self.mms: dict[str, Any] | None = None
        self.count = 0
        self.drafts_skipped = 0
        self.readable_fmt: str | None = None

    def zone_for(self, utc: datetime, readable: str | None) -> tzinfo | None:
        if not readable or readable in _NULLS:
            return None
        fmts = [self.readable_fmt] if self.readable_fmt else list(_READABLE)
        for fmt in fmts:
            if fmt is None:
                continue
            try:
                local = datetime.strptime(readable.strip(), fmt)
            except ValueError:
                continue
            self.readable_fmt = fmt
            return offset_zone(local, utc)
        return None

    def stamp(self, attrs: dict[str, str]) -> datetime | None:
        utc = from_epoch(attrs.get("date"))
        if utc is None:
            return None
        zone = self.zone_for(utc, attrs.get("readable_date"))
        return utc.astimezone(zone) if zone is not None else utc

    def add(self, address: str, contact: str | None, draft: Draft) -> None:
        key = _key(address) if address else "(no address)"
        if contact and contact not in _NULLS:
            self.names.setdefault(key, clean_name(contact))
        self.titles.setdefault(key, address or "(no address)")
        self.convs.setdefault(key, []).append(draft)
        self.count += 1

    def start(self, tag: str, attrs: dict[str, str], line: int) -> None:
        if self.root is None:
            self.root = tag
            if tag != "smses":
                raise UnknownFormatError(
                    f"XML root <{tag[:40]}> is not an SMS Backup & Restore file (<smses>)",
                    self.name,
                    line,
                )
            return
        if tag == "sms":
            self._sms(attrs, line)
        elif tag == "mms":
            self.mms = {"attrs": attrs, "line": line, "parts": [], "addrs": []}
        elif self.mms is not None and tag == "part":
            self.mms["parts"].append(attrs)
        elif self.mms is not None and tag == "addr":
            self.mms["addrs"].append(attrs)

    def end(self, tag: str) -> None:
        if tag == "mms" and self.mms is not None:
            self._mms(self.mms)
            self.mms = None

    def _sms(self, attrs: dict[str, str], line: int) -> None:
        kind = attrs.get("type", "1")
        if kind == "3":
            self.drafts_skipped += 1
            return
        mine = kind in _SENT
        address = attrs.get("address", "")
        contact = attrs.get("contact_name")
        body = attrs.get("body", "")
        body = "" if body == "null" else self.ctx.clean(body, line)
        sender = ME if mine else self._who(address, contact)
        self.add(address, contact, (sender, body, self.stamp(attrs), TEXT, (), line, mine))

    def _who(self, address: str, contact: str | None) -> str:
        """One display name per contact: its contact name, else the first spelling seen."""
        if contact and contact not in _NULLS:
            return clean_name(contact)
        if not address:
            return "(no address)"
        key = _key(address)
        return self.names.get(key) or self.titles.setdefault(key, address)

    def _mms(self, mms: dict[str, Any]) -> None:
        attrs: dict[str, str] = mms["attrs"]
        line: int = mms["line"]
        box = attrs.get("msg_box", "1")
        if box == "3":
            self.drafts_skipped += 1
            return
        mine = box in _SENT
        texts, files = [], []
        for part in mms["parts"]:
            ct = part.get("ct", "")
            if ct == "text/plain":
                t = part.get("text", "")
                if t and t != "null":
                    texts.append(t)
            elif ct != "application/smil":
                refs = [part[k] for k in ("cl", "name", "fn") if part.get(k) not in _NULLS_REF]
                files.append(refs[0] if refs else ct)
        address = attrs.get("address", "")
        contact = attrs.get("contact_name")
        if mine:
            sender = ME
        else:
            sender = self._who(address, contact) if "~" not in address else address
            for a in mms["addrs"]:
                who = a.get("address")
                if a.get("type") == "137" and who and who != "insert-address-token":
                    sender = self._who(who, None)
                    break
        text = self.ctx.clean("\n".join(texts), line)
        kind = MEDIA if files and not texts else TEXT if not files else MEDIA
        draft: Draft = (sender, text, self.stamp(attrs), kind, tuple(files), line, mine)
        self.add(address, contact, draft)


def _sort_key(d: Draft) -> float:
    return d[2].timestamp() if d[2] is not None else float("inf")


def _refuse_dtd(*_: Any) -> int:
    raise InputError("the XML declares a document type or entities; refused for safety")


def parse(src: Source, ctx: Context) -> list[RawChat]:
    check_size(src, ctx.options.max_bytes, "the file", "max_bytes")
    state = _State(ctx, src.name)
    fh = src.open()
    read, transcoded = _reader(fh, src.head())
    # A transcoded file still declares encoding="UTF-16"; expat must read UTF-8 instead.
    p = expat.ParserCreate("utf-8") if transcoded else expat.ParserCreate()
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.StartDoctypeDeclHandler = _refuse_dtd
    p.EntityDeclHandler = _refuse_dtd
    p.UnparsedEntityDeclHandler = _refuse_dtd
    p.ExternalEntityRefHandler = _refuse_dtd
    p.StartElementHandler = lambda tag, attrs: state.start(tag, attrs, p.CurrentLineNumber)
    p.EndElementHandler = state.end
    try:
        with fh:
            for chunk, final in _chunks(read, src.name):
                p.Parse(chunk, final)
    except expat.ExpatError as exc:
        msg = expat.ErrorString(exc.code) or "malformed XML"
        truncated = msg in ("no element found", "unclosed token")
        if truncated and state.count:
            ctx.notes.add(f"the XML ends early (truncated?) at line {exc.lineno}; "
                          f"kept the {state.count} messages before it")  # fmt: skip
        else:
            hint = " (the file looks truncated)" if truncated else ""
            raise InputError(f"malformed XML: {msg}{hint}", src.name, exc.lineno) from None
    except InputError as exc:
        if exc.path is None:
            raise InputError(str(exc), src.name, p.CurrentLineNumber) from None
        raise
    if state.root is None:
        raise UnknownFormatError("no XML element found", src.name)
    if state.drafts_skipped:
        ctx.notes.add(f"{state.drafts_skipped} draft message(s) were skipped")
    out = []
    for key, drafts in state.convs.items():
        if any(a[2] is not None and b[2] is not None and a[2] > b[2]
               for a, b in pairwise(drafts)):  # fmt: skip
            drafts.sort(key=_sort_key)  # sms and mms sections interleave in time
        title = state.names.get(key) or state.titles[key]
        raw = RawChat(drafts, "sms-xml", "sms", title=title, participants=[title])
        raw.owner, raw.owner_method = ME, "heuristic:sms-sent-type"
        raw.placeholder = ME
        out.append(raw)
    return out
