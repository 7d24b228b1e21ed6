"""Turning raw chats into Conversations: who the user is, indices, participants.

Who is the user (in this order):
1. ``me=NAME`` from the caller, matched case-insensitively against participants, senders and
   known aliases (usernames, nicknames). Absent from every chat: InputError listing them.
2. The export's own word (format parsers set it): SMS sent/received type, Telegram full
   export ``personal_information``, WhatsApp "You deleted this message" by a sender,
   LinkedIn ``FOLDER=SENT``, a generic ``is_user`` column.
3. In an export of several threads (Messenger/Instagram archive, LinkedIn, Telegram full
   export, several chats in one zip), the one participant present in every thread.
4. In a one-to-one chat whose export names the other person (WhatsApp file name, Telegram
   ``name``, Messenger/Instagram ``title``, LINE header), the other participant.
5. A sender literally called "You", "Me", "我", "我自己".
Otherwise the user stays unknown (``me_method="unknown"``, every ``is_user`` None).
"""

from __future__ import annotations

from collections.abc import Sequence

from scamlens.errors import InputError
from scamlens.fastinit import positional
from scamlens.model import Conversation, Message, MessageKind

from .common import RawChat, name_key

_SELF_NAMES = {"you", "me", "我", "我自己", "自己", "du", "moi", "yo", "ich"}


def _senders(raw: RawChat) -> list[str]:
    seen: dict[str, None] = {}
    for d in raw.drafts:
        s = d[0]
        if s is not None and s not in seen and d[3] is not MessageKind.SYSTEM:
            seen[s] = None
    return list(seen)


def participants_of(raw: RawChat) -> list[str]:
    out: dict[str, None] = {}
    for p in raw.participants:
        if p:
            out.setdefault(p, None)
    for s in _senders(raw):
        out.setdefault(s, None)
    if raw.placeholder and any(d[6] is True for d in raw.drafts):
        out.setdefault(raw.placeholder, None)
    return list(out)


def _lookup(raw: RawChat, names: list[str], key: str) -> str | None:
    for n in names:
        if name_key(n) == key:
            return n
    hit = raw.aliases.get(key)
    return hit


def resolve(raws: Sequence[RawChat], me: str | None, name: str) -> list[tuple[str | None, str]]:
    """The (me, me_method) for each raw chat."""
    parts = [participants_of(r) for r in raws]
    if me is not None:
        return _resolve_given(raws, parts, me, name)
    result: list[tuple[str | None, str]] = [
        (r.owner, r.owner_method) if r.owner else (None, "unknown") for r in raws
    ]
    # 3. One participant common to every thread of a multi-thread export.
    if len(raws) >= 2 and any(m is None for m, _ in result):
        common: set[str] | None = None
        for p in parts:
            keys = {name_key(x) for x in p}
            common = keys if common is None else common & keys
        if common is not None and len(common) == 1:
            key = next(iter(common))
            for i, r in enumerate(raws):
                if result[i][0] is None:
                    hit = _lookup(r, parts[i], key)
                    if hit:
                        result[i] = (hit, "heuristic:in-every-thread")
    for i, r in enumerate(raws):
        if result[i][0] is not None:
            continue
        p = parts[i]
        # 4. The export names the other person of a one-to-one chat.
        if r.other_party and len(p) == 2:
            other = name_key(r.other_party)
            if other in r.aliases:
                other = name_key(r.aliases[other])
            pkeys = [name_key(x) for x in p]
            if other in pkeys:
                result[i] = (p[1 - pkeys.index(other)], "heuristic:other-party-named")
                continue
        # 5. A sender called "You"/"Me".
        selfish = [x for x in p if name_key(x) in _SELF_NAMES]
        if len(selfish) == 1:
            result[i] = (selfish[0], "heuristic:sender-named-self")
    return result


def _resolve_given(
    raws: Sequence[RawChat], parts: list[list[str]], me: str, name: str
) -> list[tuple[str | None, str]]:
    key = name_key(me)
    if not key:
        raise InputError("--me is empty", name)
    hits = [_lookup(r, p, key) for r, p in zip(raws, parts, strict=True)]
    found = next((h for h in hits if h), None)
    placeholders = any(r.placeholder for r in raws)
    if found is None and not placeholders:
        everyone: dict[str, None] = {}
        for p in parts:
            for x in p:
                everyone.setdefault(x, None)
        listed = ", ".join(repr(x) for x in list(everyone)[:20])
        more = f" and {len(everyone) - 20} more" if len(everyone) > 20 else ""
        raise InputError(
            f"--me {me!r} is not a participant; participants are: {listed or '(none)'}{more}",
            name,
        )
    out: list[tuple[str | None, str]] = []
    for r, hit in zip(raws, hits, strict=True):
        if hit:
            out.append((hit, "--me"))
        elif r.placeholder:
            out.append((found or me, "--me"))  # the stand-in "Me" is renamed to the user
        else:
            r.notes.add(f"--me {me!r} sent no message in this chat")
            out.append((found or me, "--me"))
    return out


def finish(raw: RawChat, me: str | None, method: str) -> Conversation:
    """Build the frozen Conversation; the raw chat's drafts are consumed in place."""
    drafts = raw.drafts
    rename = raw.placeholder if (raw.placeholder and me and me != raw.placeholder) else None
    participants = participants_of(raw)
    if rename:
        participants = [me if p == rename else p for p in participants]  # type: ignore[misc]
        participants = list(dict.fromkeys(participants))
    if me is not None and me not in participants:
        participants.append(me)
    for i, d in enumerate(drafts):
        sender, text, ts, kind, att, line, hint = d
        if rename and sender == rename:
            sender = me
        if hint is not None:
            is_user: bool | None = hint
        elif me is not None and sender is not None:
            is_user = sender == me
        else:
            is_user = None
        drafts[i] = new_message(i, sender, text, ts, is_user, kind, att, line)
    messages = tuple(drafts)
    drafts.clear()
    return Conversation(
        messages=messages,
        source_format=raw.source_format,
        participants=tuple(participants),
        me=me,
        me_method=method if me is not None else "unknown",
        platform=raw.platform,
        title=raw.title,
        source_path=raw.source_path,
        warnings=raw.notes.lines(),
    )


# Message(...) for the import loop, filling the slots directly (the frozen __init__'s eight
# object.__setattr__ calls were the dearest step of a large import). Positional, in field order.
new_message = positional(Message)
