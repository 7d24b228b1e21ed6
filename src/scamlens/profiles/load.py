"""Read profile and job-ad records from JSON, JSONL or CSV, with the usual field names.

Field names are matched case-insensitively with spaces and dashes read as underscores, and
the common spellings of job boards and platforms are accepted (EMSCAD's columns included:
title, company_profile, description, requirements, benefits, telecommuting, has_company_logo,
has_questions, employment_type, required_experience, required_education, fraudulent).

A bad record raises InputError naming the file, the line (or record number) and the key.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from scamlens.errors import InputError
from scamlens.profiles.model import KINDS, Contact, JobAd, Profile

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_FIELD_CHARS = 100_000  # longer text fields are cut here (a bio or an ad is far shorter)
MAX_LIST = 64  # links, photos or contacts kept per record

_ID = ("id", "profile_id", "account_id", "user_id", "uid", "job_id", "ad_id", "post_id", "item_id")
_PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "display_name": ("display_name", "name", "full_name", "nickname", "username", "screen_name",
                     "user_name"),
    "headline": ("headline", "tagline", "title", "subtitle"),
    "bio": ("bio", "about", "about_me", "description", "summary", "self_intro", "intro",
            "profile_text", "text"),
    "job": ("job", "stated_job", "occupation", "job_title", "work", "profession", "position",
            "employer", "company"),
    "location": ("location", "city", "lives_in", "living_in", "country", "region", "hometown"),
}  # fmt: skip
_JOB_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "job_title", "position", "role", "headline", "subject"),
    "company": ("company", "company_name", "employer", "organization", "organisation"),
    "company_profile": ("company_profile", "company_description", "about_company"),
    "location": ("location", "job_location", "city", "country", "workplace", "work_location"),
    "salary": ("salary", "salary_range", "pay", "compensation", "wage", "wages"),
    "description": ("description", "job_description", "text", "message", "body", "content",
                    "details", "ad_text"),
    "requirements": ("requirements", "qualifications", "skills", "requirement"),
    "benefits": ("benefits", "perks"),
    "contact": ("contact", "contact_info", "how_to_apply", "apply", "contacts"),
    "employment_type": ("employment_type", "job_type", "contract_type"),
    "required_experience": ("required_experience", "experience"),
    "required_education": ("required_education", "education"),
    "industry": ("industry", "department"),
    "function": ("function", "job_function"),
}  # fmt: skip
_JOB_FLAGS = ("telecommuting", "has_company_logo", "has_questions")
_JOB_LABEL = ("fraudulent", "label", "is_fraud", "is_scam", "scam")
_LINKS = ("links", "urls", "websites", "website", "url", "link")
_PHOTOS = ("photos", "photo", "photo_urls", "photo_paths", "images", "image", "pictures",
           "avatar", "profile_photo", "profile_picture")  # fmt: skip
_CONTACT_LISTS = ("contacts", "handles", "contact", "contact_handles")
_CONTACT_KEYS = ("whatsapp", "telegram", "wechat", "line", "kakao", "kakaotalk", "signal",
                 "viber", "skype", "kik", "snapchat", "instagram", "phone", "mobile",
                 "email")  # fmt: skip
_AGE_DAYS = ("account_age_days", "age_days", "account_age")
_CREATED = ("created_at", "account_created", "joined", "joined_at", "registered", "member_since")
_OBSERVED = ("observed_at", "collected_at", "scraped_at", "seen_at", "captured_at")
_PLATFORM = ("platform", "site", "network", "source_platform")

_JOB_HINTS = frozenset(
    {"company_profile", "requirements", "benefits", "salary", "salary_range", "employment_type",
     "required_experience", "required_education", "fraudulent", "telecommuting",
     "has_company_logo", "has_questions", "job_id", "job_title", "job_description", "industry"}
)  # fmt: skip
_PROFILE_HINTS = frozenset(
    {"bio", "about", "about_me", "display_name", "headline", "photos", "photo", "avatar",
     "account_age_days", "account_age", "created_at", "handles", "occupation", "screen_name",
     "username", "profile_id", "stated_job", "lives_in", "profile_photo"}
)  # fmt: skip
_TRUE = frozenset({"1", "t", "true", "yes", "y"})
_FALSE = frozenset({"0", "f", "false", "no", "n"})
_KIND_ALIASES = {"profile": "profile", "job_ad": "job_ad", "job": "job_ad", "jobad": "job_ad",
                 "job-ad": "job_ad", "ad": "job_ad", "recruitment": "job_ad"}  # fmt: skip
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_SPLIT = re.compile(r"[\s,;|]+")
_AGE_TEXT = re.compile(r"(\d{1,7}(?:\.\d{1,4})?) ?([a-z]{1,6})?")
_UNIT_DAYS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7, "m": 30,
              "mo": 30, "month": 30, "months": 30, "y": 365, "yr": 365, "year": 365,
              "years": 365}  # fmt: skip


class _Rec:
    """A record with normalised keys, and where it came from (for error messages)."""

    def __init__(self, raw: Mapping[Any, Any], path: str | None, line: int | None) -> None:
        self.path = path
        self.line = line
        self.data: dict[str, Any] = {}
        for k, v in raw.items():
            if k is None:
                self.fail("more fields than the header has columns")
            key = re.sub(r"[\s-]+", "_", str(k).strip().lower())
            if key and key not in self.data:
                self.data[key] = v

    def fail(self, message: str) -> NoReturn:
        raise InputError(message, self.path, self.line)

    def first(self, names: Sequence[str]) -> tuple[str, Any] | None:
        for n in names:
            v = self.data.get(n)
            if v is not None and v != "":
                return n, v
        return None

    def text(self, names: Sequence[str]) -> str:
        found = self.first(names)
        if found is None:
            return ""
        key, value = found
        if isinstance(value, str):
            text = value
        elif isinstance(value, bool):
            self.fail(f"key {key!r}: expected text, got a boolean")
        elif isinstance(value, int | float):
            text = str(value)
        elif isinstance(value, list) and all(isinstance(x, str) for x in value):
            text = "\n".join(value)
        else:
            self.fail(f"key {key!r}: expected text, got {type(value).__name__}")
        return text[:MAX_FIELD_CHARS]

    def strings(self, names: Sequence[str]) -> tuple[str, ...]:
        out: list[str] = []
        for n in names:
            value = self.data.get(n)
            if value is None or value == "":
                continue
            if isinstance(value, str):
                out.extend(p for p in _SPLIT.split(value) if p)
            elif isinstance(value, list):
                for i, x in enumerate(value):
                    if isinstance(x, str):
                        if x.strip():
                            out.append(x.strip())
                    elif isinstance(x, Mapping) and isinstance(x.get("url") or x.get("path"), str):
                        out.append(str(x.get("url") or x.get("path")).strip())
                    else:
                        self.fail(f"key {n!r}[{i}]: expected a string, got {type(x).__name__}")
            else:
                self.fail(f"key {n!r}: expected a string or a list, got {type(value).__name__}")
        return tuple(dict.fromkeys(s[:4096] for s in out))[:MAX_LIST]

    def flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.fail(f"key {name!r}: expected 0/1, true/false or yes/no, got {str(value)[:40]!r}")


def _contacts(rec: _Rec) -> tuple[Contact, ...]:
    out: list[Contact] = []
    for key in _CONTACT_LISTS:
        value = rec.data.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            out.extend(Contact(None, p) for p in re.split(r"[,;|\n]+", value) if p.strip())
        elif isinstance(value, Mapping):
            for platform, v in value.items():
                vals = v if isinstance(v, list) else [v]
                for x in vals:
                    if not isinstance(x, str | int):
                        rec.fail(f"key {key!r}.{platform}: expected a string")
                    out.append(Contact(str(platform).strip().lower() or None, str(x)))
        elif isinstance(value, list):
            for i, x in enumerate(value):
                if isinstance(x, str):
                    out.append(Contact(None, x))
                elif isinstance(x, Mapping):
                    v = x.get("value") or x.get("handle") or x.get("id") or x.get("number")
                    p = x.get("platform") or x.get("type") or x.get("app")
                    if not isinstance(v, str | int):
                        rec.fail(f"key {key!r}[{i}]: a contact needs a 'value' string")
                    out.append(Contact(str(p).lower() if p else None, str(v)))
                else:
                    rec.fail(f"key {key!r}[{i}]: expected a string or an object")
        else:
            rec.fail(f"key {key!r}: expected a string, a list or an object")
    for key in _CONTACT_KEYS:
        value = rec.data.get(key)
        if isinstance(value, str | int) and str(value).strip():
            out.append(Contact(key, str(value)))
    cleaned = [Contact(c.platform, c.value.strip()[:512]) for c in out if c.value.strip()]
    return tuple(dict.fromkeys(cleaned))[:MAX_LIST]


def _parse_time(rec: _Rec, key: str, value: Any) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            rec.fail(f"key {key!r}: not a valid Unix time")
    if not isinstance(value, str):
        rec.fail(f"key {key!r}: expected a date, got {type(value).__name__}")
    try:
        dt = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        rec.fail(f"key {key!r}: not an ISO date: {str(value)[:40]!r}")
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _account_age(rec: _Rec, now: datetime | None) -> float | None:
    found = rec.first(_AGE_DAYS)
    if found is not None:
        key, value = found
        if isinstance(value, bool):
            rec.fail(f"key {key!r}: expected a number of days")
        if isinstance(value, int | float):
            days = float(value)
        else:
            m = _AGE_TEXT.fullmatch(str(value).strip().lower()[:40])
            if m is None or (m.group(2) or "d") not in _UNIT_DAYS:
                rec.fail(f"key {key!r}: expected days (a number or '3 weeks'), got {value!r:.40}")
            days = float(m.group(1)) * _UNIT_DAYS.get(m.group(2) or "d", 1)
        if days < 0 or days != days:
            rec.fail(f"key {key!r}: account age cannot be negative")
        return days
    created = rec.first(_CREATED)
    if created is None:
        return None
    start = _parse_time(rec, *created)
    observed = rec.first(_OBSERVED)
    end = _parse_time(rec, *observed) if observed else (now or datetime.now(UTC))
    return max(0.0, (end - start).total_seconds() / 86400)


def _rid(rec: _Rec) -> str | None:
    found = rec.first(_ID)
    if found is None:
        return None
    key, value = found
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        rec.fail(f"key {key!r}: an id must be a string or a number")
    return str(value)[:256]


def detect_kind(record: Mapping[str, Any]) -> str | None:
    """'profile' or 'job_ad' from a `kind` field or from the field names; None when unclear."""
    keys = {re.sub(r"[\s-]+", "_", str(k).strip().lower()) for k in record if k is not None}
    for k in ("kind", "item_kind", "record_type"):
        for orig, v in record.items():
            if isinstance(orig, str) and orig.strip().lower() == k and isinstance(v, str):
                kind = _KIND_ALIASES.get(v.strip().lower())
                if kind:
                    return kind
    # "title" alone leans towards a job ad (a profile would have a bio or a headline too).
    job = len(keys & _JOB_HINTS) + (0.5 if "title" in keys else 0.0)
    prof = float(len(keys & _PROFILE_HINTS))
    if job > prof:
        return "job_ad"
    if prof > job:
        return "profile"
    return None


def to_profile(rec: _Rec, now: datetime | None = None) -> Profile:
    f = {name: rec.text(keys) for name, keys in _PROFILE_FIELDS.items()}
    platform = rec.first(_PLATFORM)
    return Profile(
        id=_rid(rec),
        display_name=f["display_name"],
        headline=f["headline"],
        bio=f["bio"],
        job=f["job"],
        location=f["location"],
        account_age_days=_account_age(rec, now),
        links=rec.strings(_LINKS),
        photos=rec.strings(_PHOTOS),
        contacts=_contacts(rec),
        platform=str(platform[1])[:64] if platform else None,
        source_line=rec.line,
    )


def _unescape(text: str) -> str:
    # Job boards deliver HTML entities ("R&amp;D"); spans refer to the unescaped text.
    return html.unescape(text) if "&" in text else text


def _job_contact(rec: _Rec) -> str:
    """The contact text: the contact field as written, or one "platform: value" line per
    structured contact, plus any messenger columns (telegram, whatsapp, ...)."""
    found = rec.first(_JOB_FIELDS["contact"])
    lines: list[str] = []
    if found is not None and isinstance(found[1], str | int | float):
        lines.append(rec.text(_JOB_FIELDS["contact"]))
        contacts = [
            Contact(k, str(rec.data[k]).strip())
            for k in _CONTACT_KEYS
            if isinstance(rec.data.get(k), str | int) and str(rec.data[k]).strip()
        ]
    else:
        contacts = list(_contacts(rec))
    lines.extend(f"{c.platform}: {c.value}" if c.platform else c.value for c in contacts)
    return "\n".join(lines)[:MAX_FIELD_CHARS]


def to_job_ad(rec: _Rec) -> JobAd:
    f = {name: _unescape(rec.text(keys)) for name, keys in _JOB_FIELDS.items() if name != "contact"}
    f["contact"] = _job_contact(rec)
    label_found = rec.first(_JOB_LABEL)
    label: int | None = None
    if label_found is not None:
        flag = rec.flag(label_found[0])
        label = None if flag is None else int(flag)
    return JobAd(
        id=_rid(rec),
        telecommuting=rec.flag("telecommuting"),
        has_company_logo=rec.flag("has_company_logo"),
        has_questions=rec.flag("has_questions"),
        label=label,
        source_line=rec.line,
        **f,
    )


def record_to_item(
    record: Mapping[str, Any],
    kind: str | None = None,
    *,
    path: str | None = None,
    line: int | None = None,
    now: datetime | None = None,
) -> Profile | JobAd:
    """One record as a Profile or a JobAd (`kind` given, or detected from its fields)."""
    if not isinstance(record, Mapping):
        raise InputError(f"expected an object, got {type(record).__name__}", path, line)
    if kind is not None and kind not in KINDS:
        raise InputError(f"kind must be one of {KINDS}, got {kind!r}", path, line)
    rec = _Rec(record, path, line)
    chosen = kind or detect_kind(record)
    if chosen is None:
        rec.fail("cannot tell whether this record is a profile or a job ad: give kind")
    item: Profile | JobAd = to_profile(rec, now) if chosen == "profile" else to_job_ad(rec)
    if not any(v for _, v in item.text_fields()) and not getattr(item, "photos", ()):
        rec.fail(f"no usable field for a {chosen} (see docs/profiles.md for the field names)")
    return item


# -- files ------------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", str(path)) from exc
    codec = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, codec = data[len(bom) :], name
            break
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid {codec.upper()} text (byte {exc.start})", str(path), line
        ) from exc


def guess_format(path: Path, text: str) -> str:
    """'json', 'jsonl' or 'csv' from the file name, else from the content."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    head = text.lstrip()
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first = head.split("\n", 1)[0]
        try:
            json.loads(first)
        except json.JSONDecodeError:
            return "json"
        return "jsonl"
    return "csv"


def _json_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} (column {exc.colno})", name, exc.lineno) from exc
    if isinstance(doc, Mapping):
        for key in ("items", "records", "profiles", "jobs", "job_ads", "ads", "data"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            yield 1, doc
            return
    if not isinstance(doc, list):
        raise InputError("JSON must be an object or a list of objects", name)
    yield from enumerate(doc, start=1)


def _jsonl_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", name, lineno) from exc


def _csv_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    sample = text[:8192]
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    if (
        delimiter == ","
        and sample.count("\t") > sample.count(",")
        and "\t" in sample.split("\n")[0]
    ):
        delimiter = "\t"
    elif delimiter == "," and sample.split("\n")[0].count(";") > sample.split("\n")[0].count(","):
        delimiter = ";"
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if not reader.fieldnames:
            raise InputError("CSV has no header row", name, 1)
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", name, reader.line_num) from exc


def iter_records(path: str | Path, fmt: str | None = None) -> Iterator[tuple[int, Any]]:
    """(line or record number, raw record) of every record in a JSON, JSONL or CSV file."""
    p = Path(path)
    text = _read_text(p)
    chosen = fmt or guess_format(p, text)
    if chosen == "json":
        return _json_records(text, str(p))
    if chosen == "jsonl":
        return _jsonl_records(text, str(p))
    if chosen == "csv":
        return _csv_records(text, str(p))
    raise InputError(f"unknown format {chosen!r} (json, jsonl or csv)", str(p))


def load_items(
    path: str | Path,
    kind: str | None = None,
    *,
    fmt: str | None = None,
    now: datetime | None = None,
) -> list[Profile | JobAd]:
    """Every profile or job ad in a JSON, JSONL or CSV file (format and kind auto-detected)."""
    name = str(path)
    return [
        record_to_item(raw, kind, path=name, line=line, now=now)
        for line, raw in iter_records(path, fmt)
    ]


def items_from_records(
    records: Iterable[Mapping[str, Any]], kind: str | None = None
) -> Iterator[Profile | JobAd]:
    for n, raw in enumerate(records, start=1):
        yield record_to_item(raw, kind, line=n)
