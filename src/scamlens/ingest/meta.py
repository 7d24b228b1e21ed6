"""Facebook Messenger and Instagram JSON from "Download your information".

Threads are ``message_1.json``, ``message_2.json``... with ``participants``, ``messages``
(``sender_name``, ``timestamp_ms``, ``content``, ``photos``, ``share``...; newest first) and
``title``. Strings are UTF-8 bytes written as Latin-1 escapes (``\\u00e2\\u0080\\u0099`` for
"'"): repaired where the round trip is exact. The newer end-to-end-encrypted Messenger
download (``senderName``, ``text``, ``timestamp``, ``threadName``) is read too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scamlens.errors import InputError
from scamlens.model import MessageKind

from .common import CALL, DELETED, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name
from .jsonio import as_dict, as_list, get_num, get_str, key_path, type_name
from .timeutil import from_epoch

_MEDIA_KEYS = ("photos", "videos", "audio_files", "gifs", "files", "sticker", "media")
_IG_PHRASES = ("Liked a message", "shared a story", "Replied to your story",
               "Mentioned you in their story", "sent an attachment.")  # fmt: skip
_MESSENGER_KEYS = ("joinable_mode", "thread_type", "threadName")


def looks_like(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        return False
    if "participants" in doc:
        return True
    first = next((m for m in doc["messages"][:5] if isinstance(m, dict)), {})
    return "sender_name" in first or "senderName" in first or "timestamp_ms" in first


class _Fixer:
    """Undo Facebook's mojibake: encode as Latin-1, decode as UTF-8, keep it only if exact."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, s: str) -> str:
        if s.isascii():
            return s
        try:
            fixed = s.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return s
        if fixed != s:
            self.count += 1
        return fixed


def repair(s: str) -> str:
    """The mojibake repair on one string (exposed for tests and other importers)."""
    return _Fixer()(s)


def platform_of(docs: list[Any], path_hint: str) -> tuple[str, bool]:
    """('messenger'|'instagram', sure) from the archive path, keys and tell-tale content."""
    hint = path_hint.replace("\\", "/").lower()
    if "instagram" in hint:
        return "instagram", True
    if "facebook" in hint or "messenger" in hint:
        return "messenger", True
    for doc in docs:
        if isinstance(doc, dict):
            if any(k in doc for k in _MESSENGER_KEYS):
                return "messenger", True
            for m in doc.get("messages", [])[:500]:
                if not isinstance(m, dict):
                    continue
                share = m.get("share")
                if isinstance(share, dict) and "instagram.com" in str(share.get("link", "")):
                    return "instagram", True
                content = m.get("content")
                if isinstance(content, str) and content.startswith(_IG_PHRASES):
                    return "instagram", True
    return "messenger", False


def parse_thread(
    docs: list[tuple[Any, str]], ctx: Context, platform: str | None, path_hint: str
) -> RawChat:
    """One thread from its part files: [(document, name for errors)] in file order."""
    fix = _Fixer()
    if platform is None:
        platform, sure = platform_of([d for d, _ in docs], path_hint)
        if not sure:
            ctx.notes.add(
                "could not tell Messenger from Instagram; assumed Messenger "
                "(pass fmt='instagram-json' if it came from Instagram)"
            )
    participants: list[str] = []
    title: str | None = None
    drafts: list[Draft] = []
    for doc, name in docs:
        top = as_dict(doc, name, "the top level")
        msgs = as_list(top.get("messages"), name, "messages")
        if not participants:
            for i, p in enumerate(as_list(top.get("participants", []), name, "participants")):
                n = get_str(p, "name") if isinstance(p, dict) else p if isinstance(p, str) else None
                if n:
                    participants.append(clean_name(fix(n)))
                elif p is not None:
                    ctx.notes.count("a participant without a name was skipped",
                                    key_path("participants", i))  # fmt: skip
        if title is None:
            t = get_str(top, "title") or get_str(top, "threadName")
            title = clean_name(fix(t)) if t else None
        part: list[Draft] = []
        for i, m in enumerate(msgs):
            if not isinstance(m, dict):
                ctx.notes.count(f"a message that is not an object ({type_name(m)}) was skipped",
                                f"{name} {key_path('messages', i)}")  # fmt: skip
                continue
            part.append(_message(m, ctx, fix, i + 1, key_path("messages", i)))
        drafts.extend(part)
    drafts = _chronological(drafts)
    if fix.count:
        ctx.notes.add(f"repaired mis-encoded text (UTF-8 read as Latin-1) in {fix.count} strings")
    raw = RawChat(drafts, f"{platform}-json", platform, title=title, participants=participants)
    if title and len(participants) == 2 and title in participants:
        raw.other_party = title
    return raw


def _message(m: dict[str, Any], ctx: Context, fix: _Fixer, record: int, where: str) -> Draft:
    sender = get_str(m, "sender_name") or get_str(m, "senderName")
    sender = clean_name(fix(sender)) or None if sender else None
    text = get_str(m, "content") or get_str(m, "text") or ""
    text = ctx.clean(fix(text), where)
    ts_raw = get_num(m, "timestamp_ms")
    ts: datetime | None = from_epoch(ts_raw, "ms") if ts_raw is not None else None
    if ts is None:
        ts = from_epoch(get_num(m, "timestamp"))
    attachments: list[str] = []
    kind: MessageKind = TEXT
    for key in _MEDIA_KEYS:
        value = m.get(key)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for item in items:
            if isinstance(item, dict):
                uri = get_str(item, "uri")
                if uri:
                    attachments.append(uri)
        if items:
            kind = MEDIA
    share = m.get("share")
    if isinstance(share, dict):
        link = get_str(share, "link")
        if link:
            attachments.append(link)
    mtype = get_str(m, "type") or ""
    if m.get("is_unsent") is True or m.get("isUnsent") is True:
        kind = DELETED
    elif "call_duration" in m or mtype == "Call":
        kind = CALL
    elif mtype in ("Subscribe", "Unsubscribe"):
        kind = SYSTEM
    return (sender, text, ts, kind, tuple(attachments), record, None)


def _chronological(drafts: list[Draft]) -> list[Draft]:
    stamps = [d[2] for d in drafts if d[2] is not None]
    if len(stamps) >= 2 and stamps[0] > stamps[-1]:
        drafts.reverse()
    keyed = []
    last = float("-inf")
    for d in drafts:
        if d[2] is not None:
            last = d[2].timestamp()
        keyed.append((last, d))
    if any(keyed[i][0] > keyed[i + 1][0] for i in range(len(keyed) - 1)):
        keyed.sort(key=lambda kd: kd[0])  # stable: split threads merge in time order
    return [d for _, d in keyed]


def parse(doc: Any, ctx: Context, platform: str | None = None) -> list[RawChat]:
    """One thread file (or a list of thread objects, as some tools write)."""
    if isinstance(doc, list):
        out = []
        for i, item in enumerate(doc):
            if not looks_like(item):
                raise InputError(f"at [{i}]: not a Messenger/Instagram thread", ctx.name)
            c = ctx.fresh()
            raw = parse_thread([(item, ctx.name)], c, platform, ctx.name)
            raw.notes = c.notes
            out.append(raw)
        return out
    return [parse_thread([(doc, ctx.name)], ctx, platform, ctx.name)]
