"""DiscordChatExporter JSON (``guild``, ``channel``, ``messages`` with ``author``)."""

from __future__ import annotations

from typing import Any

from scamlens.model import MessageKind

from .common import CALL, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name, name_key
from .jsonio import as_dict, as_list, get_dict, get_str, key_path, type_name
from .timeutil import parse_any

_TEXT_TYPES = frozenset({"Default", "Reply", "ThreadStarterMessage", "ChatInputCommand",
                         "ContextMenuCommand"})  # fmt: skip


def looks_like(doc: Any) -> bool:
    return isinstance(doc, dict) and "channel" in doc and isinstance(doc.get("messages"), list)


def parse(doc: Any, ctx: Context) -> list[RawChat]:
    name = ctx.name
    top = as_dict(doc, name, "the top level")
    msgs = as_list(top.get("messages"), name, "messages")
    guild = get_dict(top, "guild")
    channel = get_dict(top, "channel")
    drafts: list[Draft] = []
    aliases: dict[str, str] = {}
    for i, m in enumerate(msgs):
        where = key_path("messages", i)
        if not isinstance(m, dict):
            ctx.notes.count(f"a message that is not an object ({type_name(m)}) was skipped", where)
            continue
        author = get_dict(m, "author")
        uname = get_str(author, "name")
        nick = get_str(author, "nickname")
        sender = clean_name(nick or uname or "") or None
        if sender and uname and nick and uname != nick:
            aliases[name_key(uname)] = sender
        text = ctx.clean(get_str(m, "content") or "", where)
        attachments = []
        for a in m.get("attachments", []) if isinstance(m.get("attachments"), list) else []:
            if isinstance(a, dict):
                ref = get_str(a, "fileName") or get_str(a, "url")
                if ref:
                    attachments.append(ref)
        for e in m.get("embeds", []) if isinstance(m.get("embeds"), list) else []:
            if isinstance(e, dict):
                url = get_str(e, "url")
                if url:
                    attachments.append(url)
        mtype = get_str(m, "type") or "Default"
        kind: MessageKind = TEXT
        if mtype == "Call":
            kind = CALL
        elif mtype not in _TEXT_TYPES:
            kind = SYSTEM
        elif not text and (attachments or m.get("stickers")):
            kind = MEDIA
        ts = parse_any(get_str(m, "timestamp"), ctx.tz)
        drafts.append((sender, text, ts, kind, tuple(dict.fromkeys(attachments)), i + 1, None))
    gname = get_str(guild, "name")
    cname = get_str(channel, "name")
    title: str | None
    if gname and cname and gname != "Direct Messages":
        title = f"{gname} / #{cname}"
    else:
        title = cname or gname
    raw = RawChat(drafts, "discord-json", "discord", title=title, aliases=aliases)
    if get_str(channel, "type") == "DirectTextChat" and cname:
        raw.other_party = cname
    return [raw]
