"""Routing an input to its parser, archives included, and building the Conversations."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from scamlens.errors import InputError, ScamlensError, UnknownFormatError
from scamlens.model import Conversation

from . import (
    build,
    discord,
    jsonio,
    line,
    meta,
    plain,
    sms,
    tabular,
    telegram,
    telegram_html,
    whatsapp,
)
from .common import Context, Notes, RawChat
from .detect import JSON_FORMATS, classify_doc, detect_text, normalize, unknown
from .options import ImportOptions
from .safezip import is_zip, open_archive
from .source import Source
from .textio import Encoding, head_text, iter_lines, sniff

# Formats a zip member may be read as when the archive holds several files: the generic
# ones would turn any stray CSV or JSON in a data download into a bogus conversation.
_SPECIFIC = frozenset({"whatsapp-android", "whatsapp-ios", "telegram-json", "messenger-json",
                       "instagram-json", "line-txt", "sms-xml", "discord-json",
                       "linkedin-csv", "telegram-html"})  # fmt: skip


def detect_source(src: Source, ctx: Context) -> tuple[str, Encoding | None]:
    """(format id, encoding) of a source; 'zip' for archives, 'json?' for undecided JSON."""
    head = src.head()
    if src.text is None:
        if is_zip(head):
            return "zip", None
        if not head.strip(b" \t\r\n\x00"):
            raise InputError("the file holds only blank space", src.name)
    enc = sniff(src, ctx) if src.text is None else None
    text = head_text(src, ctx, enc) if enc is not None else (src.text or "")[:65536]
    return detect_text(text, src.name, src.filename, ctx.options), enc


def parse_source(src: Source, ctx: Context, fmt: str | None = None) -> list[RawChat]:
    """Every chat in `src` (not yet resolved). Raises only ScamlensError on bad input."""
    enc: Encoding | None = None
    if fmt is None:
        fmt, enc = detect_source(src, ctx)
    else:
        fmt = normalize(fmt)
        if src.text is None and is_zip(src.head()):
            return _zip(src, ctx, fmt)
    if fmt in ("zip", "whatsapp-zip"):
        if src.text is not None or not is_zip(src.head()):
            raise InputError("not a zip archive", src.name)
        return _zip(src, ctx, None if fmt == "zip" else "whatsapp")
    raws = _parse_file(src, ctx, fmt, enc)
    for r in raws:
        r.source_path = r.source_path or src.name
    return raws


def _parse_file(src: Source, ctx: Context, fmt: str, enc: Encoding | None) -> list[RawChat]:
    if fmt in JSON_FORMATS or fmt == "json?":
        doc = jsonio.load(src, ctx)
        if fmt == "json?":
            fmt = classify_doc(doc, src.name)
        return _parse_doc(doc, ctx, fmt, src)
    if fmt == "sms-xml":
        return sms.parse(src, ctx)
    if fmt == "telegram-html":
        return [telegram_html.parse(src, ctx, enc)]

    def lines(c: Context) -> Iterator[tuple[int, str]]:
        return iter_lines(src, c, enc)

    if fmt.startswith("whatsapp"):
        specific = fmt if fmt in ("whatsapp-android", "whatsapp-ios") else None
        raw = whatsapp.parse(lines(ctx), ctx, specific)
        title = whatsapp.title_from_filename(src.filename) or whatsapp.title_from_filename(
            src.archive
        )
        if title:
            raw.title = raw.other_party = title
        return [raw]
    if fmt == "line-txt":
        return [line.parse(lines(ctx), ctx)]
    if fmt in ("csv", "linkedin-csv"):
        sample = []
        for _, text in iter_lines(src, ctx.fresh(), enc):
            sample.append(text)
            if len(sample) >= 20:
                break
        dialect = tabular.sniff_dialect("\n".join(sample)[:8192], src.filename)
        raws = tabular.parse_csv(lines(ctx), ctx, dialect)
        if fmt == "linkedin-csv" and raws and raws[0].source_format != "linkedin-csv":
            raise InputError("not a LinkedIn messages.csv (its columns are missing)", src.name)
        return raws
    if fmt == "jsonl":
        return tabular.parse_jsonl(lines(ctx), ctx)
    if fmt == "plain-named":
        return [plain.parse_named(lines, ctx)]
    if fmt == "plain":
        return [plain.parse_bare(lines, ctx)]
    raise unknown(src.name, f"no parser for {fmt!r}")  # pragma: no cover


def _parse_doc(doc: Any, ctx: Context, fmt: str, src: Source) -> list[RawChat]:
    if fmt == "telegram-json":
        return telegram.parse(doc, ctx)
    if fmt == "discord-json":
        return discord.parse(doc, ctx)
    if fmt in ("messenger-json", "instagram-json"):
        forced = None
        if fmt == "instagram-json" or (fmt == "messenger-json" and ctx.explicit_format):
            forced = fmt.split("-")[0]
        hint = src.name if src.container else src.filename
        if isinstance(doc, list):
            return meta.parse(doc, ctx, forced)
        return [meta.parse_thread([(doc, src.name)], ctx, forced, hint)]
    if fmt == "json":
        return tabular.parse_json_records(doc, ctx)
    raise unknown(src.name, f"no parser for {fmt!r}")  # pragma: no cover


def _zip(src: Source, ctx: Context, fmt: str | None) -> list[RawChat]:
    out: list[RawChat] = []
    threads: dict[str, list[tuple[Any, str]]] = {}
    thread_fmt: dict[str, str] = {}
    html_parts: dict[str, list[Source]] = {}  # Telegram HTML export folder -> its files
    skipped: list[str] = []
    with open_archive(src, ctx.options) as ar:
        members = ar.chat_members()
        many = len(members) > 1
        for info in members:
            msrc = ar.source(info)
            c = ctx.fresh()
            try:
                if is_zip(msrc.head()):
                    skipped.append(f"nested archive {info.filename!r} was not opened")
                    continue
                if msrc.size == 0:
                    continue
                mfmt, enc = detect_source(msrc, c)
                if fmt is not None and not _fits(fmt, mfmt):
                    continue
                if mfmt == "telegram-html":
                    folder = posixpath.dirname(info.filename.replace("\\", "/"))
                    html_parts.setdefault(folder, []).append(msrc)
                    continue
                if mfmt == "json?" or mfmt in JSON_FORMATS:
                    doc = jsonio.load(msrc, c)
                    if mfmt == "json?":
                        mfmt = classify_doc(doc, msrc.name)
                    if mfmt in ("messenger-json", "instagram-json") and isinstance(doc, dict):
                        folder = posixpath.dirname(info.filename.replace("\\", "/"))
                        threads.setdefault(folder, []).append((doc, msrc.name))
                        thread_fmt.setdefault(folder, mfmt)
                        continue
                    if many and mfmt not in _SPECIFIC:
                        continue
                    raws = _parse_doc(doc, c, mfmt, msrc)
                else:
                    if many and mfmt not in _SPECIFIC:
                        continue
                    raws = _parse_file(msrc, c, mfmt, enc)
            except UnknownFormatError:
                continue
            except InputError as exc:
                if not many:
                    raise
                skipped.append(f"{info.filename!r} was skipped: {exc}")
                continue
            for r in raws:
                _merge_notes(r, c)
                r.source_path = msrc.name
                if r.platform == "whatsapp":
                    r.notes.add(f"read from the archive member {info.filename!r} "
                                f"({r.source_format} layout)")  # fmt: skip
                    r.source_format = "whatsapp-zip"
                out.append(r)
        skipped.extend(ar.skipped)
        for folder, parts in html_parts.items():
            c = ctx.fresh()
            try:
                raw = telegram_html.parse_parts(parts, c)
            except InputError as exc:
                if len(html_parts) == 1 and not (out or threads):
                    raise
                skipped.append(f"{folder or 'the archive'!r} was skipped: {exc}")
                continue
            _merge_notes(raw, c)
            raw.source_path = f"{src.name}!{folder}" if folder else src.name
            out.append(raw)
        for folder, docs in threads.items():
            c = ctx.fresh()
            docs.sort(key=lambda d: _part_number(d[1]))
            hint = f"{src.name}!{folder}"
            forced = "instagram" if fmt == "instagram-json" else None
            raw = meta.parse_thread(docs, c, forced, hint)
            raw.notes = c.notes
            raw.source_path = f"{src.name}!{folder}" if folder else src.name
            out.append(raw)
    if not out:
        listed = ", ".join(repr(m.filename) for m in members[:10]) or "no text files"
        extra = f" ({'; '.join(skipped[:5])})" if skipped else ""
        raise unknown(src.name, f"no chat export found in the archive (looked at {listed}){extra}")
    for r in out:
        for note in skipped:
            r.notes.add(note)
    return out


def _part_number(name: str) -> int:
    base = name.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    digits = "".join(ch for ch in base if ch.isdigit())
    return int(digits) if digits and len(digits) < 9 else 0


def _fits(fmt: str, found: str) -> bool:
    if fmt == "whatsapp":
        return found.startswith("whatsapp")
    if fmt in ("messenger-json", "instagram-json"):
        return found in ("messenger-json", "instagram-json", "json?")
    return found == fmt or found == "json?"


def _merge_notes(raw: RawChat, ctx: Context) -> None:
    if raw.notes is ctx.notes:
        return
    merged = Notes(ctx.options.max_warnings)
    merged.extend(ctx.notes)
    merged.extend(raw.notes)
    raw.notes = merged


def conversations(
    raws: list[RawChat], ctx: Context, me: str | None, name: str
) -> list[Conversation]:
    for r in raws:
        _merge_notes(r, ctx)
    choices = build.resolve(raws, me, name)
    return [build.finish(r, m, how) for r, (m, how) in zip(raws, choices, strict=True)]


def load(
    src: Source, options: ImportOptions, fmt: str | None, me: str | None
) -> list[Conversation]:
    ctx = Context.make(options, src.name)
    ctx.explicit_format = fmt is not None
    raws = parse_source(src, ctx, fmt)
    if not raws:
        raise InputError("no conversation found", src.name)
    return conversations(raws, ctx, me, src.name)


def load_records(
    doc: Any, options: ImportOptions, me: str | None, name: str, *, messages: bool = False
) -> list[Conversation]:
    """`load` for a generic JSON records document already decoded (what `json.loads` of a
    ``fmt="json"`` file gives): the same parser, user rules and warnings, minus the decode.
    ``messages=True``: `doc` is a list of validated message rows (`tabular.MessageFields`),
    read by the quicker `tabular.parse_message_rows` (the service's messages; same result)."""
    ctx = Context.make(options, name)
    ctx.explicit_format = True
    if messages:
        raws = tabular.parse_message_rows(doc, ctx)
    else:
        raws = tabular.parse_json_records(doc, ctx)
    for r in raws:
        r.source_path = r.source_path or name
    if not raws:
        raise InputError("no conversation found", name)
    return conversations(raws, ctx, me, name)


def detect_format(src: Source, opts: ImportOptions) -> str:
    """The format id of one input; archives report what they hold ("whatsapp-zip")."""
    ctx = Context.make(opts, src.name)
    if not is_zip(src.head()):
        return _settle(src, ctx, src.name if src.container else src.filename)
    with open_archive(src, opts) as ar:
        found: list[str] = []
        for info in ar.chat_members():
            try:
                found.append(_settle(ar.source(info), ctx.fresh(), info.filename))
            except ScamlensError:
                continue
        if any(f.startswith("whatsapp") for f in found):
            return "whatsapp-zip"
        specific = [f for f in found if f in _SPECIFIC]
        if specific:
            return specific[0]
        if len(found) == 1:
            return found[0]
        raise unknown(src.name, "no chat export found in the archive")


def _settle(src: Source, ctx: Context, hint: str) -> str:
    """detect_source, then a look at the whole JSON document where the head cannot tell."""
    fmt, _ = detect_source(src, ctx)
    if fmt in ("json?", "messenger-json"):
        doc = jsonio.load(src, ctx)
        if fmt == "json?":
            fmt = classify_doc(doc, src.name)
        if fmt == "messenger-json":
            docs = doc if isinstance(doc, list) else [doc]
            fmt = meta.platform_of(docs, hint)[0] + "-json"
    return fmt
