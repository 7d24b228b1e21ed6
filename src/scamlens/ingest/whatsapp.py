"""WhatsApp "Export chat" text files (Android and iOS layouts, any locale's date order).

Android: ``12/31/23, 9:41 PM - Name: text`` (also ``31/12/2023, 21:41 -``, ``31.12.23, 21:41 -``,
``2023/12/31 下午9:41 -``); lines without ``Name:`` are system lines.
iOS: ``[31/12/2023, 21:41:05] Name: text``; system lines carry the chat's name as sender and
start with U+200E, as do media placeholders (sometimes the whole line does).
Lines that do not start a message continue the one before (multi-line messages).

The date order (day/month or month/day) is decided once for the whole file, after reading it:
a first field above 12 means day-first, a second field above 12 month-first; otherwise
dotted dates and 24-hour clocks with 4-digit years are read day-first, and the rest month-first
(with a warning). ``ImportOptions.date_order`` overrides this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from scamlens.errors import InputError
from scamlens.model import MessageKind

from .common import CALL, DELETED, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name
from .dateorder import AM_WORDS as _AM_WORDS
from .dateorder import AP as _AP
from .dateorder import DATE as _DATE
from .dateorder import PM_WORDS as _PM_WORDS
from .dateorder import PRE as _PRE
from .dateorder import TIME as _TIME
from .dateorder import Dates, stamp

# French writes "05/01/2024 à 15:04", Finnish "5.1.2024 klo 15.04".
_JOIN = r",? (?:à |klo )?"
ANDROID = re.compile(r"[\u200e\u200f]?" + _DATE + _JOIN + _PRE + _TIME + _AP + r" [-–] (.*)")
IOS = re.compile(r"[\u200e\u200f]?\[" + _DATE + _JOIN + _PRE + _TIME + _AP + r"\] (.*)")
_STARTS = frozenset("0123456789[\u200e\u200f")
MAX_NAME = 80

_MEDIA_EXACT = frozenset(
    {
        "<media omitted>", "<médias omis>", "<medien ausgeschlossen>", "<multimedia omitido>",
        "<媒体文件已省略>", "<省略影音内容>", "<媒体已省略>", "<省略媒體>", "<影音已略過>",
        "image omitted", "video omitted", "audio omitted", "sticker omitted", "gif omitted",
        "document omitted", "contact card omitted", "voice message omitted", "photo omitted",
        "view once voice message omitted", "null",
        # Android placeholders in other locales
        "<mídia oculta>", "<arquivo de mídia oculto>", "<media omessi>", "<без медиафайлов>",
        "<media weggelaten>", "<medya dahil edilmedi>", "<media tidak disertakan>",
        "<archivo omitido>", "<média omis>",
        # iOS placeholders in other locales
        "imagen omitida", "video omitido", "audio omitido", "sticker omitido", "gif omitido",
        "documento omitido", "image absente", "vidéo absente", "audio omis", "autocollant omis",
        "bild weggelassen", "video weggelassen", "audio weggelassen", "sticker weggelassen",
        "imagem ocultada", "vídeo ocultado", "áudio ocultado", "figurinha omitida",
        "immagine omessa", "video omesso", "audio omesso", "sticker omesso",
    }
)  # fmt: skip
_MEDIA_ZH = re.compile(
    r"(?:图片|照片|视频|音频|语音|贴图|动图|文档|影片|圖片|視頻|語音|貼圖|文件|GIF)已(?:忽略|省略)"
)
_ATTACHED = re.compile(r"<(?:attached|附件|angehängt|adjunto|pièce jointe): ?([^>\n]{1,300})>")
_FILE_ATTACHED = (
    " (file attached)", " (文件附件)", "（文件附件）", " (檔案已附加)", " (Datei angehängt)",
    " (archivo adjunto)", " (fichier joint)",
)  # fmt: skip
_DELETED = frozenset(
    {
        "this message was deleted", "you deleted this message", "此消息已删除", "你删除了此消息",
        "此訊息已刪除", "你已刪除此訊息", "diese nachricht wurde gelöscht",
        "du hast diese nachricht gelöscht", "se eliminó este mensaje", "eliminaste este mensaje",
        "ce message a été supprimé", "vous avez supprimé ce message", "mensagem apagada",
        "esta mensagem foi apagada", "você apagou esta mensagem", "você apagou essa mensagem",
        "questo messaggio è stato eliminato", "hai eliminato questo messaggio",
        "dit bericht is verwijderd", "je hebt dit bericht verwijderd", "данное сообщение удалено",
        "вы удалили данное сообщение", "bu mesaj silindi", "bu mesajı sildiniz",
        "pesan ini telah dihapus", "anda menghapus pesan ini",
    }
)  # fmt: skip
# The user's own deletions, which tell who the user is.
_SELF_DELETED = frozenset(
    {
        "you deleted this message", "你删除了此消息", "你已刪除此訊息",
        "du hast diese nachricht gelöscht", "eliminaste este mensaje",
        "vous avez supprimé ce message", "você apagou esta mensagem", "você apagou essa mensagem",
        "hai eliminato questo messaggio", "je hebt dit bericht verwijderd",
        "вы удалили данное сообщение", "bu mesajı sildiniz", "anda menghapus pesan ini",
    }
)  # fmt: skip
_CALL = re.compile(
    r"(?:missed (?:group )?(?:voice|video) call|(?:group )?(?:voice|video) call"
    r"|未接(?:语音|视频|語音|視訊)通话|未接(?:語音|視訊)通話|(?:语音|视频)通话|(?:語音|視訊)通話"
    r"|verpasster (?:sprach|video)anruf)",
    re.IGNORECASE,
)
# Text before ": " that is a system event, not a name (Android puts events on bare lines).
_SYSTEM_NAME = re.compile(
    r"(?:changed the subject|changed the group|changed this group|created group| joined using"
    r"| added | removed |changed their phone|security code|end-to-end encrypted|now an admin"
    r"|创建了群组|更改了|修改了|加入了|移除了|已退出|端到端加密)"
)
_SELF_SENDERS = frozenset({"you", "你", "您", "du", "tú", "vous"})

_TITLE = (
    re.compile(r"WhatsApp Chat with (.+)"),
    re.compile(r"WhatsApp Chat - (.+)"),
    re.compile(r"WhatsApp-Chat mit (.+)"),
    re.compile(r"Chat de WhatsApp con (.+)"),
    re.compile(r"Conversa do WhatsApp com (.+)"),
    re.compile(r"Discussion WhatsApp avec (.+)"),
    re.compile(r"Chat WhatsApp con (.+)"),
    re.compile(r"WhatsApp-chat met (.+)"),
    re.compile(r"Chat WhatsApp dengan (.+)"),
    re.compile(r"(.+) ile WhatsApp Sohbeti"),
    re.compile(r"WhatsApp 聊天 ?- ?(.+)"),
    re.compile(r"与(.+)的 ?WhatsApp ?聊天"),
    re.compile(r"和(.+)的 ?WhatsApp ?聊天"),
    re.compile(r"與(.+)的 ?WhatsApp ?對話"),
)


def title_from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    for rx in _TITLE:
        m = rx.fullmatch(stem.strip())
        if m:
            return m.group(1).strip() or None
    return None


def detect(lines: Iterable[str]) -> str | None:
    """'whatsapp-android', 'whatsapp-ios' or None, from the first lines of a file.

    Yes when the first non-empty line starts a message, or when at least 3 lines and a
    fifth of all lines do (a header or note pasted above the export).
    """
    android = ios = seen = 0
    for line in lines:
        if not line.strip():
            continue
        seen += 1
        line = line.lstrip("\ufeff")
        if ANDROID.match(line):
            android += 1
        elif IOS.match(line):
            ios += 1
        if seen == 1 and (android or ios):
            return "whatsapp-android" if android else "whatsapp-ios"
    hits = android + ios
    if hits >= 3 and hits * 5 >= seen:
        return "whatsapp-android" if android >= ios else "whatsapp-ios"
    return None


def parse(lines: Iterable[tuple[int, str]], ctx: Context, fmt: str | None = None) -> RawChat:
    """Parse the lines of one WhatsApp export. `fmt` forces 'whatsapp-android'/'-ios'."""
    rx = IOS if fmt == "whatsapp-ios" else ANDROID if fmt == "whatsapp-android" else None
    is_ios = fmt == "whatsapp-ios"
    cap = ctx.options.max_message_chars
    notes = ctx.notes
    dates = Dates()
    names: dict[str, str] = {}  # name as written -> cleaned name
    clean_names: dict[str, str] = {}
    drafts: list[Draft] = []
    owner: list[str] = []
    skipped_first = 0
    bad_time = 0

    cur_sender: str | None = None
    cur_lines: list[str] = []
    cur_len = 0
    cur_code = -1
    cur_line = 0
    cut = False

    def flush() -> None:
        while len(cur_lines) > 1 and not cur_lines[-1]:
            cur_lines.pop()  # blank lines at the end of the file, not part of the message
        text = cur_lines[0] if len(cur_lines) == 1 else "\n".join(cur_lines)
        sender, kind, att = _classify(cur_sender, text, is_ios, owner)
        drafts.append((sender, text, cur_code, kind, att, cur_line, None))  # type: ignore[arg-type]

    for lineno, line in lines:
        m = None
        if line and line[0] in _STARTS:
            if rx is None:
                m = ANDROID.match(line)
                if m:
                    rx = ANDROID
                else:
                    m = IOS.match(line)
                    if m:
                        rx, is_ios = IOS, True
            else:
                m = rx.match(line)
        if m is None:
            if cur_lines:
                if cur_len + len(line) + 1 > cap:
                    if not cut:
                        notes.count(f"a message longer than {cap:,} characters was cut", cur_line)
                        cut = True
                    continue
                cur_lines.append(line)
                cur_len += len(line) + 1
            elif line.strip():
                skipped_first += 1
            continue
        if cur_lines:
            flush()
        pre, hh, mi, ss, ap, rest = m.group(5, 6, 7, 8, 9, 10)
        hour, minute = int(hh), int(mi)
        if ap or pre:
            dates.twelve_hour = True
            if (ap in ("P", "p") or pre in _PM_WORDS) and hour < 12:
                hour += 12
            elif (ap in ("A", "a") or pre in _AM_WORDS) and hour == 12:
                hour = 0
        if hour > 23 or minute > 59:
            bad_time += 1
            cur_code = -1
        else:
            secs = hour * 3600 + minute * 60 + (int(ss) if ss else 0)
            key = line[m.start(1) : m.end(4)]
            cur_code = dates.code(key) * 86400 + min(secs, 86399)
        sender_end = rest.find(": ")
        if sender_end < 0 and rest.endswith(":") and 0 < len(rest) <= MAX_NAME:
            sender_end = len(rest) - 1  # "Name:" with an empty message
        cur_sender = None
        if 0 < sender_end <= MAX_NAME:
            raw_name = rest[:sender_end]
            known = names.get(raw_name)
            if known is not None:
                cur_sender = known or None
                rest = rest[sender_end + 2 :]
            elif is_ios or not _SYSTEM_NAME.search(raw_name):
                name = clean_name(raw_name)
                name = clean_names.setdefault(name, name)  # one string per sender
                names[raw_name] = name
                cur_sender = name or None
                rest = rest[sender_end + 2 :]
        cur_lines = [rest]
        cur_len = len(rest)
        cur_line = lineno
        cut = False
        if cur_len > cap:
            cur_lines = [rest[:cap]]
            notes.count(f"a message longer than {cap:,} characters was cut", lineno)
            cut = True
    if cur_lines:
        flush()
    if rx is None:
        raise InputError("no WhatsApp message lines found", ctx.name)
    if skipped_first:
        notes.count(f"{skipped_first} line(s) before the first message were skipped")
    if bad_time:
        notes.count(f"{bad_time} message(s) had an impossible time and got no timestamp")

    resolved = dates.resolve(ctx)
    tz = ctx.tz
    bad_dates = 0
    for i, d in enumerate(drafts):
        code = d[2]
        ts: datetime | None = None
        if isinstance(code, int) and code >= 0:
            ts = stamp(resolved[code // 86400], code % 86400, tz)
            if ts is None:
                bad_dates += 1
        drafts[i] = (d[0], d[1], ts, d[3], d[4], d[5], d[6])
    if bad_dates:
        notes.count(f"{bad_dates} message(s) had an impossible date and got no timestamp")

    raw = RawChat(drafts, "whatsapp-ios" if is_ios else "whatsapp-android", "whatsapp")
    if owner:
        raw.owner, raw.owner_method = owner[0], "heuristic:whatsapp-you-deleted"
    else:
        selfish = [n for n in clean_names if n.casefold() in _SELF_SENDERS]
        if len(selfish) == 1:
            raw.owner, raw.owner_method = selfish[0], "heuristic:whatsapp-you-sender"
    return raw


def _classify(
    sender: str | None, text: str, is_ios: bool, owner: list[str]
) -> tuple[str | None, MessageKind, tuple[str, ...]]:
    """(sender, kind, attachments) of one message from its text."""
    if sender is None:
        return None, SYSTEM, ()
    core = text.lstrip("\u200e\u200f")
    marked = len(core) != len(text)
    first = core.partition("\n")[0].strip()
    if len(first) <= 64:  # every placeholder is short: skip the lookups for real messages
        low = first.lower()
        if low in _MEDIA_EXACT or ("已" in first and _MEDIA_ZH.fullmatch(first)):
            return sender, MEDIA, ()
        phrase = low.rstrip(".。")
        if phrase in _DELETED:
            if phrase in _SELF_DELETED and sender not in owner:
                owner.append(sender)
            return sender, DELETED, ()
        if _CALL.match(low):
            return sender, CALL, ()
    if "<" in core:
        att = _attached(core[:4096])
        if att:
            return sender, MEDIA, att
    if first.endswith(_FILE_ATTACHED):
        suffix = next(x for x in _FILE_ATTACHED if first.endswith(x))
        return sender, MEDIA, (first[: -len(suffix)].strip("\u200e "),)
    if marked and is_ios and "\n" not in core:
        return None, SYSTEM, ()  # iOS events: "‎Alice added Bob", the encryption notice
    return sender, TEXT, ()


def _attached(text: str) -> tuple[str, ...]:
    if "<" not in text:
        return ()
    return tuple(m.group(1).strip() for m in _ATTACHED.finditer(text))
