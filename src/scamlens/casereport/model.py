"""Frozen value objects of a victim case report. Renderers read these; nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CaseInfo:
    """What the case store (or the support worker) knows about the case."""

    case_id: str | None = None
    status: str | None = None
    notes: str | None = None
    created: datetime | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    risk: float
    label: str  # scam | suspicious | benign
    stage: str | None  # Stage id
    stage_title: str | None
    language: str  # language of the chat as analysed
    first_time: datetime | None
    last_time: datetime | None
    message_count: int
    platform: str | None
    source_format: str
    parties: tuple[str, ...]  # after redaction
    me: str | None  # after redaction
    headline: str  # one plain sentence for the reader
    # Set when the chat is mostly in a language scamlens does not read (language "other").
    language_note: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    index: int
    time: datetime | None
    sender: str | None  # after redaction
    is_user: bool | None
    stage: str | None  # Stage id
    stage_title: str | None
    text: str  # quoted message (redacted, display-safe, maybe shortened)
    tactics: tuple[str, ...]  # tactic names behind this entry
    reasons: tuple[str, ...]  # why it is in the timeline: evidence, money, wallet, ...


@dataclass(frozen=True, slots=True)
class StageBand:
    stage: str
    title: str
    first_index: int
    last_index: int
    first_time: datetime | None
    last_time: datetime | None
    tactics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MoneyRow:
    time: datetime | None
    message_index: int | None
    sender: str | None  # after redaction
    direction: str  # asked | sent | claimed_profit | fee_or_tax | mentioned
    amount: str  # decimal string, e.g. "19242.8"
    currency: str  # ISO-ish code, "" when the text names none
    raw: str  # the amount as written
    quote: str  # the message it came from (redacted, shortened)
    rule: str = "no_cue"  # which rule of casereport.money decided the direction
    cue: str = ""  # the words that triggered the rule (folded: lower case, simplified Chinese)


@dataclass(frozen=True, slots=True)
class MoneyTotal:
    """The sum of the rows read as "sent" in one currency: what the chat says was paid, not a
    ledger (an amount said twice is counted twice; check it against bank records)."""

    currency: str  # "" for amounts written with no currency ("5万", "10k")
    amount: str  # decimal string
    rows: int


@dataclass(frozen=True, slots=True)
class IntelRow:
    source: str
    labels: tuple[str, ...]
    confidence: float
    reason: str
    first_seen: datetime | None
    allowlisted: bool


@dataclass(frozen=True, slots=True)
class WalletRow:
    chain: str | None
    address: str
    valid: bool | None  # checksum/format validation passed; None: not checkable
    validation: str
    first_time: datetime | None
    message_indices: tuple[int, ...]
    intel: tuple[IntelRow, ...]


@dataclass(frozen=True, slots=True)
class TxRow:
    chain: str | None
    tx_hash: str
    first_time: datetime | None
    message_indices: tuple[int, ...]
    intel: tuple[IntelRow, ...]


@dataclass(frozen=True, slots=True)
class SiteRow:
    kind: str  # domain | url | app_lure
    value: str
    domain: str | None
    lookalike_brand: str | None
    lookalike_score: float | None
    lookalike_reason: str | None
    note: str  # e.g. app-install lure kind
    first_time: datetime | None
    message_indices: tuple[int, ...]
    intel: tuple[IntelRow, ...]


@dataclass(frozen=True, slots=True)
class ContactRow:
    kind: str  # phone | email | handle
    platform: str | None  # telegram, whatsapp, wechat, line, ... for handles
    value: str
    owner: str  # "other party" side: scammer | unknown
    first_time: datetime | None
    message_indices: tuple[int, ...]
    intel: tuple[IntelRow, ...]


@dataclass(frozen=True, slots=True)
class Guidance:
    next_steps: tuple[str, ...]
    where_to_report: tuple[str, ...]
    recovery_warning: str
    what_happens_next: str


@dataclass(frozen=True, slots=True)
class Redaction:
    enabled: bool
    rules: tuple[str, ...]  # what kinds of data were replaced, in words
    placeholders: tuple[str, ...]  # placeholders used, e.g. [VICTIM], [PHONE-1]
    count: int  # replacements made in quoted text and fields


@dataclass(frozen=True, slots=True)
class Provenance:
    scamlens_version: str
    versions: tuple[tuple[str, str], ...]  # from the verdict: rules, models, schema
    generated_at: datetime
    statement: str  # the assessment is automated, not a legal finding


@dataclass(frozen=True, slots=True)
class CaseReport:
    lang: str  # en | zh: the language the report is written in
    title: str
    case: CaseInfo | None
    summary: Summary
    stage_bands: tuple[StageBand, ...]
    timeline: tuple[TimelineEntry, ...]
    timeline_omitted: int  # evidence-bearing messages left out to bound the report
    money: tuple[MoneyRow, ...]
    wallets: tuple[WalletRow, ...]
    tx_hashes: tuple[TxRow, ...]
    sites: tuple[SiteRow, ...]
    contacts: tuple[ContactRow, ...]
    guidance: Guidance
    redaction: Redaction
    provenance: Provenance
    notes: tuple[str, ...]  # import warnings and caveats for the reader
    money_sent_totals: tuple[MoneyTotal, ...] = ()  # by currency, "sent" rows only
