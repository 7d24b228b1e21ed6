"""Telegram Desktop JSON exports: one chat (``result.json`` with ``messages``) or the full
export (``chats.list`` and ``left_chats.list``, with ``personal_information``).

``text`` is a string or a list of strings and entity objects; link targets hidden behind
text (``text_link``) are kept in the message's attachments. ``date`` is local time and
``date_unixtime`` UTC: with both, timestamps carry the exporter's UTC offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scamlens.errors import InputError

from .common import CALL, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name, name_key
from .jsonio import as_dict, as_list, get_str, key_path, type_name
from .timeutil import from_epoch, offset_zone

_MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "location_information",
               "contact_information", "poll", "game_title", "invoice_information")  # fmt: skip
_NOT_INCLUDED = "(File not included"
_PERSONAL = ("personal_chat", "bot_chat")
_CHAT_TYPES = frozenset({"personal_chat", "bot_chat", "private_group", "private_supergroup",
                         "public_supergroup", "private_channel", "public_channel",
                         "saved_messages", "replies"})  # fmt: skip


def looks_like(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    if "personal_information" in doc or isinstance(doc.get("chats"), dict):
        return True
    if "messages" in doc and doc.get("type") in _CHAT_TYPES:
        return True  # even when "messages" is malformed: the parser then names the key
    msgs = doc.get("messages")
    if not isinstance(msgs, list) or "participants" in doc or "guild" in doc:
        return False
    return any(isinstance(m, dict) and ("from_id" in m or "date_unixtime" in m) for m in msgs[:20])


def parse(doc: Any, ctx: Context) -> list[RawChat]:
    name = ctx.name
    top = as_dict(doc, name, "the top level")
    if "chats" in top:
        chats = as_dict(top["chats"], name, "chats")
        items = as_list(chats.get("list"), name, "chats.list")
        owner_id, owner_name, username = _personal(top)
        out = []
        for section, lst in (("chats", items), ("left_chats", _left(top, name))):
            for i, chat in enumerate(lst):
                path = key_path(section, "list", i)
                c = ctx.fresh()
                if not isinstance(chat, dict):
                    ctx.notes.count("a chat that is not an object was skipped", path)
                    continue
                raw = _chat(chat, c, path, owner_id, owner_name)
                if username and raw.owner:
                    raw.aliases[name_key(username.lstrip("@"))] = raw.owner
                    raw.aliases[name_key(username)] = raw.owner
                if section == "left_chats":
                    c.notes.add("the exporting user has left this chat")
                raw.notes = c.notes
                out.append(raw)
        return out
    if "messages" not in top:
        raise InputError("no 'messages' or 'chats' key: not a Telegram export", name)
    return [_chat(top, ctx, "", None, None)]


def _left(top: dict[str, Any], name: str) -> list[Any]:
    left = top.get("left_chats")
    if left is None:
        return []
    return as_list(as_dict(left, name, "left_chats").get("list", []), name, "left_chats.list")


def _personal(top: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    info = top.get("personal_information")
    if not isinstance(info, dict):
        return None, None, None
    uid = get_str(info, "user_id")
    first = get_str(info, "first_name") or ""
    last = get_str(info, "last_name") or ""
    full = clean_name(f"{first} {last}") or None
    return (f"user{uid}" if uid else None), full, get_str(info, "username")


def _chat(
    chat: dict[str, Any], ctx: Context, path: str, owner_id: str | None, owner_name: str | None
) -> RawChat:
    name = ctx.name
    msgs = as_list(chat.get("messages"), name, key_path(path, "messages") if path else "messages")
    ctype = get_str(chat, "type")
    title = get_str(chat, "name")
    if title is None and ctype == "saved_messages":
        title = "Saved Messages"
    drafts: list[Draft] = []
    owner: str | None = None
    senders: set[str] = set()
    for i, msg in enumerate(msgs):
        where = key_path(path, "messages", i) if path else key_path("messages", i)
        if not isinstance(msg, dict):
            ctx.notes.count(f"a message that is not an object ({type_name(msg)}) was skipped",
                            where)  # fmt: skip
            continue
        d = _message(msg, ctx, where, i + 1)
        drafts.append(d)
        sid = get_str(msg, "from_id") or get_str(msg, "actor_id")
        if d[0] is not None:
            if d[3] is not SYSTEM:
                senders.add(d[0])
            if owner_id and sid == owner_id and owner is None:
                owner = d[0]
    raw = RawChat(drafts, "telegram-json", "telegram", title=clean_name(title) if title else None)
    if owner_id:
        if owner or owner_name:
            raw.owner = owner or owner_name
            raw.owner_method = "heuristic:telegram-personal-information"
    elif ctype == "saved_messages" and len(senders) == 1:
        raw.owner, raw.owner_method = next(iter(senders)), "heuristic:telegram-saved-messages"
    if ctype in _PERSONAL and raw.title:
        raw.other_party = raw.title
    return raw


def _message(msg: dict[str, Any], ctx: Context, where: str, record: int) -> Draft:
    service = msg.get("type") == "service"
    sender = get_str(msg, "actor" if service else "from")
    if sender is None and (get_str(msg, "from_id") or get_str(msg, "actor_id")):
        sender = "Deleted Account"
    if sender is not None:
        sender = clean_name(sender) or None
    attachments: list[str] = []
    text = _text(msg.get("text"), attachments)
    entities = msg.get("text_entities")
    if isinstance(entities, list):
        if not text:
            text = _text(entities, attachments)
        else:
            _text(entities, attachments)
    kind = TEXT
    if service:
        action = get_str(msg, "action") or "event"
        kind = CALL if action in ("phone_call", "group_call") else SYSTEM
        if not text:
            text = _service_text(msg, action)
    elif any(k in msg for k in _MEDIA_KEYS):
        kind = MEDIA
        for key in ("photo", "file"):
            value = get_str(msg, key)
            if value and not value.startswith(_NOT_INCLUDED):
                attachments.append(value)
            elif value:
                attachments.append(get_str(msg, "file_name") or get_str(msg, "media_type") or key)
    fwd = get_str(msg, "forwarded_from")
    if fwd:
        attachments.append(f"forwarded_from:{fwd}")
    text = ctx.clean(text, where)
    return (sender, text, _time(msg, ctx), kind, tuple(dict.fromkeys(attachments)), record, None)


def _text(value: Any, attachments: list[str]) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return ""
    parts = []
    for item in value:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            t = item.get("text")
            if isinstance(t, str):
                parts.append(t)
            href = item.get("href")
            if isinstance(href, str) and href and href != t:
                attachments.append(href)
    return "".join(parts)


def _service_text(msg: dict[str, Any], action: str) -> str:
    words = action.replace("_", " ")
    details = []
    for key in ("title", "members", "discard_reason", "duration_seconds", "inviter"):
        value = msg.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if isinstance(v, (str, int)))
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            details.append(f"{value} s" if key == "duration_seconds" else str(value))
    return f"{words}: {', '.join(details)}" if details else words


def _time(msg: dict[str, Any], ctx: Context) -> datetime | None:
    utc = from_epoch(get_str(msg, "date_unixtime"), "s")
    local: datetime | None = None
    date = get_str(msg, "date")
    if date and len(date) <= 40:
        try:
            local = datetime.fromisoformat(date)
        except ValueError:
            local = None
    if utc is not None and local is not None and local.tzinfo is None:
        zone = offset_zone(local, utc)
        return utc.astimezone(zone) if zone is not None else utc
    if utc is not None:
        return utc
    if local is not None:
        return ctx.local(local)
    return None
