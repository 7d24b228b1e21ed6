"""Telegram Desktop HTML exports ("Export chat history", format HTML: the app's default).

An export is a folder ``ChatExport_YYYY-MM-DD/`` holding ``messages.html``,
``messages2.html``, ... (1,000 messages a file, in order) beside ``css/``, ``js/``,
``photos/`` and other media folders; users often zip it. Every file repeats the page header
(the chat's name) and holds a ``<div class="history">`` of rows:

* ``message service`` rows: date separators (negative ids, ``id="message-1"``) and events
  ("X joined group by link", "X pinned this message"), which carry no time;
* ``message default`` rows with ``pull_right date details`` (``title="05.01.2024 15:04:23
  UTC+08:00"``; older exports leave out the offset), ``from_name``, ``text``, media blocks,
  ``forwarded body`` and ``reply_to``. A ``joined`` row has no ``from_name``: its sender is
  the previous row's, also across files.

The result matches what the same chat exported as JSON gives (see ``telegram.py``): the same
senders, texts, timestamps (aware when the file gives the offset, naive otherwise), kinds,
hidden link targets and ``forwarded_from:NAME`` in ``attachments``, and ``source_line`` as
the message's number in the export. Service rows keep no time (the HTML gives none).

Parsing is streamed with ``html.parser`` (no DOM): memory follows the messages kept. Markup
that never ends (an unterminated tag, comment or ``<script>`` over ``_MAX_PENDING``
characters) is an ``InputError`` naming the file and line; nesting deeper than
``_MAX_DEPTH`` is read flat with a warning. This module reads the markup; what a row becomes
(sender, text, media, time, actor) is in ``telegram_html_rows.py``.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from scamlens.errors import InputError

from .common import Context, RawChat, clean_name
from .source import Source, check_size
from .telegram_html_rows import (
    SCHEME,
    ChatRows,
    MessageRow,
    part_number,
)
from .textio import Encoding, sniff

_CHUNK = 64 * 1024  # bytes read (and characters fed) at a time
_MAX_PENDING = 4 * 1024 * 1024  # characters of one unfinished construct (tag, comment, script)
_MAX_DEPTH = 256  # open elements; tdesktop writes about a dozen
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})  # fmt: skip
_NOT_INCLUDED = ("not included", "exceeds maximum size", "unavailable")
# Media block classes -> the JSON export's name for the kind of media.
_MEDIA_CLASSES = {
    "photo_wrap": "photo",
    "video_file_wrap": "video_file",
    "animated_wrap": "animation",
    "sticker_wrap": "sticker",
    "media_photo": "photo",
    "media_video": "video_file",
    "media_voice_message": "voice_message",
    "media_audio_file": "audio_file",
    "media_file": "file",
    "media_call": "call",
    "media_contact": "contact",
    "media_location": "location",
    "media_live_location": "location",
    "media_venue": "venue",
    "media_game": "game",
    "media_invoice": "invoice",
    "media_poll": "poll",
}
# Element roles: what the text inside an element is for.
_NONE, _SKIP, _MESSAGE, _TEXT, _FROM, _FWD, _FWD_FROM, _ANCHOR = range(8)
_MEDIA, _M_TITLE, _M_DESC, _M_STATUS, _SERVICE, _HEADER, _TITLE = range(8, 15)


def looks_like(head: str) -> bool:
    """Whether the decoded start of a file is a Telegram Desktop chat page."""
    low = head[:65536]
    if 'class="history"' not in low and "chat_page" not in low:
        return False
    return (
        'class="message default' in low
        or 'class="message service' in low
        or ("Exported Data" in low and 'class="page_header"' in low)
    )


def parse(src: Source, ctx: Context, enc: Encoding | None = None) -> RawChat:
    """The chat in one file; for a file on disk named messages.html, its later parts too."""
    parts = [src]
    number = part_number(src.filename)
    if src.path is not None and number is not None:
        siblings = _siblings(src.path)
        if number > 1 and 1 in siblings:
            raise InputError(
                f"this is part {number} of a Telegram HTML export; pass messages.html or the "
                "export folder, which reads every part in order",
                src.name,
            )
        if number == 1:
            parts += [from_sibling(p, src) for n, p in sorted(siblings.items()) if n > 1]
    return parse_parts(parts, ctx, enc)


def parse_parts(parts: Sequence[Source], ctx: Context, enc: Encoding | None = None) -> RawChat:
    """One chat from the files of one export (sorted here by their part number)."""
    ordered = sorted(parts, key=lambda s: part_number(s.filename) or 0)
    chat = ChatRows(ctx)
    for i, part in enumerate(ordered):
        _read(part, chat, ctx, enc if part is parts[0] else None, i)
    return chat.finish(ordered)


def _siblings(path: Path) -> dict[int, Path]:
    out: dict[int, Path] = {}
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return out
    for p in entries:
        n = part_number(p.name)
        if n is not None and p.is_file():
            out.setdefault(n, p)
    return out


def from_sibling(path: Path, first: Source) -> Source:
    name = str(Path(first.name).with_name(path.name))
    return Source(name, path.name, path.stat().st_size, lambda: open(path, "rb"), path=path)


def _read(src: Source, chat: ChatRows, ctx: Context, enc: Encoding | None, index: int) -> None:
    check_size(src, ctx.options.max_bytes, "the file", "max_bytes")
    parser = _Parser(chat, src.name)
    chat.begin_part(src.filename, index)
    if src.text is not None:
        text = src.text[1:] if src.text.startswith("\ufeff") else src.text
        for at in range(0, len(text), _CHUNK):
            parser.push(text[at : at + _CHUNK])
    else:
        if enc is None:
            enc = sniff(src, ctx)
        if enc.note:
            ctx.notes.add(f"{src.filename}: {enc.note}")
        dec = codecs.getincrementaldecoder(enc.codec)(errors="replace")
        with src.open() as fh:
            if enc.bom:
                fh.read(enc.bom)
            while chunk := fh.read(_CHUNK):
                parser.push(dec.decode(chunk))
            parser.push(dec.decode(b"", final=True))
    parser.end()


class _Parser(HTMLParser):
    """Streams one file's rows into a ChatRows. Only the roles of elements are tracked."""

    def __init__(self, chat: ChatRows, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chat = chat
        self.name = name
        self.stack: list[tuple[str, int, list[str] | None, int]] = []
        self.cap: list[str] | None = None  # where text goes now
        self.msg: MessageRow | None = None
        self.overflow = 0  # elements opened past _MAX_DEPTH
        self.header = 0
        self.fwd = 0
        self.media = 0
        # Characters kept per row: the text's cap (ctx.clean cuts it exactly) plus room for
        # the name and media titles; the rest of a longer row is dropped as it streams by.
        self.budget_cap = chat.ctx.options.max_message_chars + 4096

    # Feeding -------------------------------------------------------------------------------

    def push(self, text: str) -> None:
        notes = self.chat.ctx.notes
        if "\x00" in text:
            text = text.replace("\x00", "")
            notes.count("NUL characters were removed", self._where())
        if "\ufffd" in text:
            notes.count("text that is not valid UTF-8 may have been replaced", self._where())
        try:
            self.feed(text)
        except AssertionError as exc:  # _markupbase's way to reject "<![foo" and the like
            raise InputError(f"malformed HTML: {exc}", self.name, self.getpos()[0]) from None
        pending = len(self.rawdata)
        if pending > _MAX_PENDING:
            raise InputError(
                f"{self._pending_what()} that does not end within {_MAX_PENDING:,} characters; "
                "the file is damaged or not a Telegram export",
                self.name,
                self.getpos()[0],
            )

    def end(self) -> None:
        line = self.getpos()[0]
        if self.cdata_elem:
            self.chat.ctx.notes.add(
                f"{self.name} ends inside an unclosed <{self.cdata_elem}> (from line {line}): "
                "nothing after it was read"
            )
        if self.rawdata.startswith("<") and not self.cdata_elem:
            self.rawdata = ""  # a tag cut off by the end of the file is not text
        try:
            self.close()
        except AssertionError as exc:
            raise InputError(f"malformed HTML: {exc}", self.name, self.getpos()[0]) from None
        if self.msg is not None:
            self.chat.ctx.notes.add(
                f"{self.name} ends inside a message (the file was cut short?); it was kept"
            )
            self._close_message()

    def _pending_what(self) -> str:
        if self.cdata_elem:
            return f"an unclosed <{self.cdata_elem}> element"
        raw = self.rawdata[:16]
        at = raw.find("<")
        raw = raw[at:] if at >= 0 else raw
        if raw.startswith("<!--"):
            return "an unterminated comment"
        if raw.startswith("<!") or raw.startswith("<?"):
            return "an unterminated declaration"
        if raw.startswith("<"):
            return "a tag (or an attribute value)"
        return "text"

    def _where(self) -> str:
        return f"{self.chat.part or self.name} line {self.getpos()[0]}"

    # Elements ------------------------------------------------------------------------------

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag, attrs)
            return
        if len(self.stack) >= _MAX_DEPTH:
            if not self.overflow:
                self.chat.ctx.notes.count(
                    f"HTML nested deeper than {_MAX_DEPTH} elements was read flat", self._where()
                )
            self.overflow += 1
            return
        cls = _classes(attrs)
        role = _NONE
        extra = 0
        if tag in ("script", "style"):
            role = _SKIP
        elif tag == "div" and "message" in cls and ("default" in cls or "service" in cls):
            self._open_message(cls, attrs)
            role = _MESSAGE
        elif self.msg is not None:
            role, extra = self._inner(tag, cls, attrs)
        elif "page_header" in cls:
            role = _HEADER
        elif self.header and "text" in cls and self.chat.title is None and self.cap is None:
            role = _TITLE
        elif tag == "a" and "pagination" in cls:
            self._pagination(attrs)
        self.stack.append((tag, role, self.cap, extra))
        self._enter(role)

    def _enter(self, role: int) -> None:
        m = self.msg
        if role in (_SKIP, _MEDIA):
            self.cap = None
        elif role == _HEADER:
            self.header += 1
        elif role == _TITLE:
            self.cap = []
        elif m is None:
            return
        elif role == _TEXT:
            if m.text is None:
                m.text = []
            self.cap = m.text
        elif role == _FROM:
            m.sender = []
            self.cap = m.sender
        elif role == _FWD:
            self.fwd += 1
        elif role == _FWD_FROM:
            m.fwd = []
            self.cap = m.fwd
        elif role == _M_TITLE:
            self.cap = m.title
        elif role == _M_DESC:
            self.cap = m.desc
        elif role == _M_STATUS:
            self.cap = m.status
        elif role == _SERVICE:
            self.cap = m.body
        if role == _MEDIA:
            self.media += 1

    def _open_message(self, cls: set[str], attrs: list[tuple[str, str | None]]) -> None:
        if self.msg is not None:
            self.chat.ctx.notes.count("a message row was not closed", self.msg.where)
            while self.stack and self.stack[-1][1] != _MESSAGE:
                self._pop()
            if self.stack:
                self._pop()
        ident = _attr(attrs, "id") or ""
        service = "service" in cls
        separator = service and ident.startswith("message-")
        where = self._where()
        self.msg = MessageRow(service, separator, "joined" in cls, where, self.budget_cap)

    def _inner(
        self, tag: str, cls: set[str], attrs: list[tuple[str, str | None]]
    ) -> tuple[int, int]:
        m = self.msg
        assert m is not None
        if m.service:
            if "body" in cls and "details" in cls:
                return _SERVICE, 0
            if "userpic_wrap" in cls:
                return _SKIP, 0
            return _NONE, 0
        if "userpic_wrap" in cls or "reply_to" in cls or "signature" in cls:
            return _SKIP, 0
        if "date" in cls and "details" in cls:
            title = _attr(attrs, "title")
            if title is not None and not self.fwd and m.date is None:
                m.date = title
            return _SKIP, 0
        if "from_name" in cls:
            return (_FWD_FROM if self.fwd else _FROM), 0
        if "forwarded" in cls and "body" in cls:
            m.forwarded = True
            return _FWD, 0
        if self.media or "media_wrap" in cls:
            m.media = True
            for c in cls:
                kind = _MEDIA_CLASSES.get(c)
                if kind is None and c.startswith("media_") and c != "media_wrap":
                    kind = c[6:]
                if kind:
                    m.kinds.append(kind)
            if tag == "a":
                href = _attr(attrs, "href")
                if href:
                    m.files.append(href)
            if "title" in cls:
                return _M_TITLE, 0
            if "description" in cls:
                return _M_DESC, 0
            if "status" in cls:
                return _M_STATUS, 0
            return (_MEDIA, 0) if not self.media else (_SKIP, 0)
        if tag == "div" and "text" in cls:
            return _TEXT, 0
        if tag == "span" and "details" in cls and self.cap is not None and self.cap is not m.text:
            return _SKIP, 0  # the date of a forward, "via @bot" in a name
        if tag == "a" and m.text is not None and self.cap is m.text:
            href = _attr(attrs, "href")
            if href:
                m.links.append(href)
                return _ANCHOR, len(m.text)
        return _NONE, 0

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cap is None:
            return
        if tag == "br":
            self.handle_data("\n")
        elif tag == "img":
            alt = _attr(attrs, "alt")
            if alt:
                self.handle_data(alt)

    def _pagination(self, attrs: list[tuple[str, str | None]]) -> None:
        href = _attr(attrs, "href") or ""
        target = part_number(href)
        here = self.chat.part_index
        if target is not None and target > (part_number(self.chat.part) or 1):
            self.chat.next_links[here] = href.rsplit("/", 1)[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.overflow:
            self.overflow -= 1
            return
        stack = self.stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == tag:
                break
        else:
            return  # a stray end tag closes nothing
        while len(stack) > i:
            self._pop()

    def _pop(self) -> None:
        _, role, saved, extra = self.stack.pop()
        m = self.msg
        if role == _ANCHOR and m is not None and m.text is not None:
            href = m.links.pop()
            visible = "".join(m.text[extra:])
            if not _implied(href, visible):
                m.links.append(href)
        elif role == _HEADER:
            self.header -= 1
        elif role == _TITLE and self.cap is not None:
            self.chat.title = clean_name(" ".join("".join(self.cap).split())) or None
        elif role == _FWD:
            self.fwd -= 1
        elif role == _MEDIA:
            self.media -= 1
        self.cap = saved
        if role == _MESSAGE:
            self._close_message()

    def _close_message(self) -> None:
        m = self.msg
        self.msg = None
        self.fwd = self.media = 0
        if m is not None:
            self.chat.add(m)

    def handle_data(self, data: str) -> None:
        cap = self.cap
        if cap is None:
            return
        m = self.msg
        if m is not None:
            if m.budget <= 0:
                m.cut = True
                return
            if len(data) > m.budget:
                data = data[: m.budget]
            m.budget -= len(data)
        elif sum(map(len, cap)) > 4096:
            return  # the page title
        cap.append(data)


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    value = _attr(attrs, "class")
    if not value:
        return set()
    return set(value[:1024].split())


def _attr(attrs: list[tuple[str, str | None]], key: str) -> str | None:
    for k, v in attrs:
        if k == key:
            return v
    return None


def _implied(href: str, visible: str) -> bool:
    """Whether a link's target adds nothing to its text (as the JSON export, which keeps
    ``href`` only for text_link entities): a URL shown as itself, mailto:/tel: of the text,
    a t.me link of an @mention, or no real target (hashtags, emoji, message links)."""
    if not href or href.startswith("#") or not SCHEME.match(href):
        return True
    if href.lower().startswith("javascript:"):
        return True
    if href == visible or href in (f"mailto:{visible}", f"tel:{visible}"):
        return True
    if visible.startswith("@") and "://" in href:
        return href.rstrip("/").rsplit("/", 1)[-1].casefold() == visible[1:].casefold()
    return False
