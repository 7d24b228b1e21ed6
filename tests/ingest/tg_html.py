"""Test helper: write a Telegram Desktop JSON chat (result.json shape) as its HTML export.

Follows tdesktop's HtmlWriter (export_output_html.cpp): block tags on their own lines with
one space of indent per level, text serialised with <br> and &quot;/&amp;/&apos;/&lt;/&gt;,
entities as <a>/<strong>/<em>/<code>/<pre>/<span class="spoiler">, a date separator row
(negative id) whenever the day changes, rows of the same sender within 15 minutes "joined",
1,000 messages per file with "Next messages"/"Previous messages" links, and calls written as
ordinary rows with a media_call block. So one chat spec gives both exports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_NOT_INCLUDED = "Not included, change data exporting settings to download."


def serialize(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\n\u2028\u2029":
            out.append("<br>")
        elif ch == '"':
            out.append("&quot;")
        elif ch == "&":
            out.append("&amp;")
        elif ch == "'":
            out.append("&apos;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ord(ch) < 32:
            out.append(f"&#x{ord(ch):02X};")
        else:
            out.append(ch)
    return "".join(out)


class _Ctx:
    def __init__(self) -> None:
        self.tags: list[tuple[str, bool]] = []

    def push(self, tag: str, attrs: dict[str, str] | None = None, block: bool = True) -> str:
        inner = "".join(f' {k}="{serialize(v)}"' for k, v in sorted((attrs or {}).items()))
        indent = " " * len(self.tags)
        self.tags.append((tag, block))
        if block:
            return f"\n{indent}<{tag}{inner}>\n"
        return f"<{tag}{inner}>"

    def empty(self, tag: str, attrs: dict[str, str]) -> str:
        inner = "".join(f' {k}="{serialize(v)}"' for k, v in sorted(attrs.items()))
        return f"\n{' ' * len(self.tags)}<{tag}{inner}/>\n"

    def div(self, cls: str) -> str:
        return self.push("div", {"class": cls})

    def pop(self) -> str:
        tag, block = self.tags.pop()
        if block:
            return f"\n{' ' * len(self.tags)}</{tag}>\n"
        return f"</{tag}>"


def format_text(entities: list[dict[str, Any]]) -> str:
    out = []
    for part in entities:
        kind = part["type"]
        t = serialize(part["text"])
        if kind in ("plain", "bank_card"):
            out.append(t)
        elif kind == "mention":
            out.append(f'<a href="https://t.me/{t[1:]}">{t}</a>')
        elif kind == "hashtag":
            out.append(f'<a href="" onclick="return ShowHashtag(&quot;{t[1:]}&quot;)">{t}</a>')
        elif kind == "link":
            out.append(f'<a href="{t}">{t}</a>')
        elif kind == "email":
            out.append(f'<a href="mailto:{t}">{t}</a>')
        elif kind == "phone":
            out.append(f'<a href="tel:{t}">{t}</a>')
        elif kind == "text_link":
            out.append(f'<a href="{serialize(part["href"])}">{t}</a>')
        elif kind == "bold":
            out.append(f"<strong>{t}</strong>")
        elif kind == "italic":
            out.append(f"<em>{t}</em>")
        elif kind == "code":
            out.append(f"<code>{t}</code>")
        elif kind == "pre":
            out.append(f"<pre>{t}</pre>")
        elif kind == "spoiler":
            out.append('<span class="spoiler hidden" onclick="ShowSpoiler(this)">'
                       f'<span aria-hidden="true">{t}</span></span>')  # fmt: skip
        elif kind == "custom_emoji":
            out.append(f'<a href = "../../{part["document_id"]}">{t}</a>')
        else:
            raise ValueError(kind)
    return "".join(out)


def entities_of(msg: dict[str, Any]) -> list[dict[str, Any]]:
    ents = msg.get("text_entities")
    if ents is not None:
        return list(ents)
    text = msg.get("text", "")
    return [{"type": "plain", "text": text}] if text else []


def _time(msg: dict[str, Any], offset: bool) -> tuple[datetime, str]:
    local = datetime.fromisoformat(msg["date"])
    title = f"{local:%d.%m.%Y %H:%M:%S}"
    if offset:
        utc = datetime.utcfromtimestamp(int(msg["date_unixtime"]))
        minutes = round((local - utc).total_seconds() / 60)
        sign = "+" if minutes >= 0 else "-"
        h, m = divmod(abs(minutes), 60)
        title += f" UTC{sign}{h:02d}:{m:02d}"
    return local, title


def _service_text(msg: dict[str, Any]) -> str | None:
    actor = serialize(msg.get("actor") or "Deleted Account")
    action = msg["action"]
    if action == "phone_call":
        return None
    if action == "invite_members":
        return f"{actor} invited {', '.join(serialize(m) for m in msg['members'])}"
    if action == "join_group_by_link":
        return f"{actor} joined group by link from {serialize(msg['inviter'])}"
    if action == "pin_message":
        mid = msg["message_id"]
        return (f'{actor} pinned <a href="#go_to_message{mid}" '
                f'onclick="return GoToMessage({mid})">this message</a>')  # fmt: skip
    if action == "create_group":
        return f"{actor} created group &laquo;{serialize(msg['title'])}&raquo;"
    if action == "create_channel":
        return f"Channel &laquo;{serialize(msg['title'])}&raquo; created"
    raise ValueError(action)


def _media(c: _Ctx, msg: dict[str, Any]) -> str:
    if msg.get("type") == "service":  # a call
        status = {"missed": "Missed", "busy": "Declined"}.get(msg.get("discard_reason", ""),
                                                               "Incoming")  # fmt: skip
        dur = msg.get("duration_seconds", 0)
        cls = "media_call success" if dur else "media_call"
        if dur:
            status += f" ({dur} seconds)"
        return _generic(c, cls, "Rachel Green", "", status, "")
    photo = msg.get("photo")
    file = msg.get("file")
    if photo and not photo.startswith("("):
        return (c.div("media_wrap clearfix") + c.push("a", {"class": "photo_wrap clearfix "
                "pull_left", "href": photo}) + c.empty("img", {"class": "photo",
                "src": photo + "_thumb.jpg", "style": "width: 260px; height: 195px"})
                + c.pop() + c.pop())  # fmt: skip
    if photo:
        return _generic(c, "media_photo", "Photo", _NOT_INCLUDED, "1280x960, 120.5 KB", "")
    if "file" not in msg and "contact_information" in msg:
        info = msg["contact_information"]
        return _generic(c, "media_contact", f"{info['first_name']} {info['last_name']}", "",
                        info["phone_number"], "")  # fmt: skip
    if "location_information" in msg:
        loc = msg["location_information"]
        coords = f"{loc['latitude']},{loc['longitude']}"
        return _generic(c, "media_location", "Location", "",
                        f"{loc['latitude']}, {loc['longitude']}",
                        f"https://maps.google.com/maps?q={coords}&ll={coords}&z=16")  # fmt: skip
    if file is None:
        return ""
    kind = msg.get("media_type")
    included = not file.startswith("(")
    link = file if included else ""
    desc = "" if included else _NOT_INCLUDED
    if kind == "sticker" and included:
        return (c.div("media_wrap clearfix") + c.push("a", {"class": "sticker_wrap clearfix "
                "pull_left", "href": file}) + c.empty("img", {"class": "sticker", "src": file
                + "_thumb.png"}) + c.pop() + c.pop())  # fmt: skip
    if kind == "video_file" and included:
        return (c.div("media_wrap clearfix") + c.push("a", {"class": "video_file_wrap clearfix "
                "pull_left", "href": file}) + c.div("video_duration") + "0:12" + c.pop()
                + c.pop() + c.pop())  # fmt: skip
    if kind == "voice_message":
        return _generic(c, "media_voice_message", "Voice message", desc, "0:12", link)
    if kind == "video_file":
        return _generic(c, "media_video", "Video file", desc, "0:12, 3.1 MB", link)
    if kind == "sticker":
        return _generic(c, "media_photo", "Sticker", desc, "😀, 20.0 KB", link)
    return _generic(c, "media_file", msg.get("file_name") or "File", desc, "25.3 KB", link)


def _generic(c: _Ctx, cls: str, title: str, desc: str, status: str, link: str) -> str:
    out = c.div("media_wrap clearfix")
    if link:
        out += c.push("a", {"class": f"media clearfix pull_left block_link {cls}", "href": link})
    else:
        out += c.div(f"media clearfix pull_left {cls}")
    out += c.div("fill pull_left") + c.pop() + c.div("body")
    out += c.div("title bold") + serialize(title) + c.pop()
    if desc:
        out += c.div("description") + serialize(desc) + c.pop()
    if status:
        out += c.div("status details") + serialize(status) + c.pop()
    return out + c.pop() + c.pop() + c.pop()


def _start(c: _Ctx, title: str) -> str:
    return ('<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n'
            "<title>Exported Data</title>\n  <meta content=\"width=device-width, "
            'initial-scale=1.0" name="viewport"/>\n\n'
            '  <link href="css/style.css" rel="stylesheet"/>\n\n'
            '  <script src="js/script.js" type="text/javascript">\n\n  </script>\n\n </head>\n\n'
            ' <body onload="CheckLocation();">\n'
            + c.div("page_wrap") + c.div("page_header") + c.div("content") + c.div("text bold")
            + serialize(title) + c.pop() + c.pop() + c.pop()
            + c.div("page_body chat_page") + c.div("history"))  # fmt: skip


def render(chat: dict[str, Any], *, per_file: int = 1000, offset: bool = True) -> dict[str, str]:
    """{file name: HTML} for a result.json-shaped chat."""
    files: dict[str, str] = {}
    c = _Ctx()
    title = chat.get("name") or "Deleted Account"
    page: list[str] = []
    prev: dict[str, Any] | None = None
    date_id = 0
    count = 0
    index = 0

    def name_of(i: int) -> str:
        return "messages.html" if i == 0 else f"messages{i + 1}.html"

    for msg in chat["messages"]:
        if count and count % per_file == 0:
            page.append(c.push("a", {"class": "pagination block_link", "href": name_of(index + 1)})
                        + "Next messages" + c.pop())  # fmt: skip
            page.append(c.pop() + c.pop() + c.pop() + "\n </body>\n</html>\n")
            files[name_of(index)] = "".join(page)
            index += 1
            c = _Ctx()
            page = []
            prev = None
        if not page:
            page.append(_start(c, title))
            if index:
                page.append(c.push("a", {"class": "pagination block_link",
                                         "href": name_of(index - 1)})
                            + "Previous messages" + c.pop())  # fmt: skip
        local, stamp = _time(msg, offset)
        if prev is None or prev["local"].date() != local.date():
            date_id -= 1
            page.append(c.push("div", {"class": "message service", "id": f"message{date_id}"})
                        + c.div("body details") + f"{local.day} {_MONTHS[local.month - 1]} "
                        f"{local.year}" + c.pop() + c.pop())  # fmt: skip
        count += 1
        service = msg.get("type") == "service"
        text = _service_text(msg) if service else None
        if text is not None:
            page.append(c.push("div", {"class": "message service", "id": f"message{msg['id']}"})
                        + c.div("body details") + text + c.pop() + c.pop())  # fmt: skip
            prev = {"local": local, "default": False}
            continue
        sender = msg.get("actor") if service else msg.get("from")
        sender_id = msg.get("actor_id") if service else msg.get("from_id")
        fwd = msg.get("forwarded_from")
        joined = (
            prev is not None and prev["default"] and prev["from_id"] == sender_id
            and prev["local"].date() == local.date() and prev["fwd"] == fwd
            and prev["via"] == msg.get("via_bot")
            and abs((local - prev["local"]).total_seconds()) <= (1 if fwd else 900)
        )  # fmt: skip
        cls = "message default clearfix" + (" joined" if joined else "")
        block = c.push("div", {"class": cls, "id": f"message{msg['id']}"})
        if not joined:
            initials = "".join(w[:1] for w in (sender or "D A").split()[:2])
            block += (c.div("pull_left userpic_wrap") + c.push("div", {"class": "userpic userpic2",
                      "style": "width: 42px; height: 42px"}) + c.push("div", {"class": "initials",
                      "style": "line-height: 42px"}) + serialize(initials) + c.pop() + c.pop()
                      + c.pop())  # fmt: skip
        block += c.div("body")
        block += c.push("div", {"class": "pull_right date details", "title": stamp})
        block += f"{local:%H:%M}" + c.pop()
        if not joined:
            name = serialize(sender if sender is not None else "Deleted Account")
            via = f" via {msg['via_bot']}" if msg.get("via_bot") else ""
            block += c.div("from_name") + name + via + c.pop()
        if fwd:
            block += c.div("pull_left forwarded userpic_wrap") + c.pop()
            block += c.div("forwarded body") + c.div("from_name") + serialize(fwd)
            block += c.push("span", {"class": "date details", "title": stamp}, block=False)
            block += f" {local:%d.%m.%Y %H:%M:%S}" + c.pop() + c.pop()
        if msg.get("reply_to_message_id"):
            rid = msg["reply_to_message_id"]
            block += (c.div("reply_to details") + "In reply to "
                      + f'<a href="#go_to_message{rid}" onclick="return GoToMessage({rid})">'
                      + "this message</a>" + c.pop())  # fmt: skip
        block += _media(c, msg)
        body = format_text(entities_of(msg)) if not service else ""
        if body:
            block += c.div("text") + body + c.pop()
        if msg.get("author"):
            block += c.div("signature details") + serialize(msg["author"]) + c.pop()
        if fwd:
            block += c.pop()
        block += c.pop() + c.pop()
        page.append(block)
        prev = {
            "local": local,
            "default": True,
            "from_id": sender_id,
            "fwd": fwd,
            "via": msg.get("via_bot"),
        }
    page.append(c.pop() + c.pop() + c.pop() + "\n </body>\n</html>\n")
    files[name_of(index)] = "".join(page)
    return files
