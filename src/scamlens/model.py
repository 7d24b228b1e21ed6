"""Frozen value objects shared by every part of scamlens. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Stage(StrEnum):
    """The pig-butchering lifecycle, in order. The value is the stable id used in JSON."""

    CONTACT = "contact"
    OFF_PLATFORM = "off_platform"
    GROOMING = "grooming"
    INVESTMENT_PIVOT = "investment_pivot"
    ONBOARDING = "onboarding"
    FATTENING = "fattening"
    ESCALATION = "escalation"
    WITHDRAWAL_BLOCK = "withdrawal_block"
    EXIT_RECOVERY = "exit_recovery"

    @property
    def order(self) -> int:
        return _STAGE_ORDER[self]

    @property
    def display(self) -> str:
        """A short human title, e.g. "Withdrawal blocked (tax, fee, frozen)"."""
        return _STAGE_TITLES[self]


_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}
_STAGE_TITLES = {
    Stage.CONTACT: "Contact / hook",
    Stage.OFF_PLATFORM: "Moved off-platform",
    Stage.GROOMING: "Grooming (trust, romance)",
    Stage.INVESTMENT_PIVOT: "Investment pivot",
    Stage.ONBOARDING: "Onboarding and first deposit",
    Stage.FATTENING: "Fattening (fake profits)",
    Stage.ESCALATION: "Escalation (more money, urgency)",
    Stage.WITHDRAWAL_BLOCK: "Withdrawal blocked (tax, fee, frozen)",
    Stage.EXIT_RECOVERY: "Exit and recovery scam",
}


class MessageKind(StrEnum):
    TEXT = "text"
    MEDIA = "media"  # photo/video/voice/sticker placeholder, maybe with a caption in text
    SYSTEM = "system"  # "Messages are end-to-end encrypted", joins, renames
    CALL = "call"  # missed voice/video call lines
    DELETED = "deleted"  # "This message was deleted"


@dataclass(frozen=True, slots=True)
class Message:
    """One message as imported. `text` is exactly what the export held (for display)."""

    index: int
    sender: str | None
    text: str
    timestamp: datetime | None = None  # timezone-aware when the export gives a zone
    is_user: bool | None = None  # True: the person who owns the export; None: unknown
    kind: MessageKind = MessageKind.TEXT
    attachments: tuple[str, ...] = ()
    source_line: int | None = None  # 1-based line (or record number) in the source file


@dataclass(frozen=True, slots=True)
class Conversation:
    messages: tuple[Message, ...]
    source_format: str  # e.g. "whatsapp-android", "telegram-json", "plain"
    participants: tuple[str, ...] = ()
    me: str | None = None  # which participant is the user, if known
    me_method: str = "unknown"  # "--me", "heuristic:<why>", "unknown"
    platform: str | None = None  # whatsapp, telegram, messenger, instagram, line, sms, ...
    title: str | None = None
    source_path: str | None = None
    warnings: tuple[str, ...] = ()  # non-fatal import notes (skipped lines, repaired encoding)

    def __len__(self) -> int:
        return len(self.messages)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason behind a finding: where it is and what produced it."""

    tactic: str  # tactic id
    source: str  # "rule:<rule id>" or "model:<model id>" or "intel:<source>"
    score: float  # strength of this piece of evidence in [0, 1]
    quote: str  # the original text of the span (for display)
    message_index: int | None = None  # None when scoring a bare text
    start: int = 0  # character span in the original message text
    end: int = 0
    counter: bool = False  # True when it argues against the scam reading
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TacticFinding:
    id: str
    name: str
    stage: Stage
    score: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class StageSpan:
    stage: Stage
    first_index: int
    last_index: int
    message_indices: tuple[int, ...]
    tactics: tuple[str, ...]
    first_time: datetime | None = None
    last_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class TimeFeatures:
    days_span: float | None = None  # first to last message
    days_to_money: float | None = None  # first message to first money/investment talk
    messages_to_money: int | None = None
    days_to_off_platform: float | None = None


@dataclass(frozen=True, slots=True)
class Advice:
    summary: str
    next_steps: tuple[str, ...]
    what_happens_next: str
    recovery_warning: str
    where_to_report: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Indicator:
    """Something a scam uses that can be looked up or reported: a wallet, a site, a contact.

    type: wallet | txhash | url | domain | app_lure | phone | email | handle | amount
    chain ids (wallets, tx hashes): btc, eth (any EVM chain), tron, ltc, doge, xrp, sol, ton, bch
    """

    type: str
    value: str  # normalised value (the key used in the intelligence store)
    raw: str  # the text as found
    detector: str  # stable detector id, e.g. "wallet.tron"
    start: int = 0  # span in the source text (or message text when message_index is set)
    end: int = 0
    message_index: int | None = None
    chain: str | None = None
    valid: bool | None = None  # checksum/validation passed; None when not applicable
    validation: str = ""  # e.g. "eip55-ok", "lowercase-unchecked", "base58check-failed"
    attrs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class IntelHit:
    """A match of an indicator against the intelligence store, with its provenance."""

    type: str
    value: str
    source: str  # feed or analyst source name, e.g. "scamsniffer"
    labels: tuple[str, ...] = ()
    confidence: float = 0.5
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    expires: datetime | None = None
    allowlisted: bool = False  # matched an allow-list: evidence against, not for
    reason: str = ""  # "listed by ScamSniffer on 2026-03-02"


@dataclass(frozen=True, slots=True)
class Verdict:
    risk: float  # calibrated probability that this is a pig-butchering scam
    label: str  # "scam" | "suspicious" | "benign"
    stage: Stage | None
    language: str  # "en", "zh", "mixed", "unknown", "other"
    tactics: tuple[TacticFinding, ...]
    timeline: tuple[StageSpan, ...]
    counter_evidence: tuple[Evidence, ...]
    time: TimeFeatures
    advice: Advice | None
    components: dict[str, float] = field(default_factory=dict)  # per-component scores
    versions: dict[str, str] = field(default_factory=dict)  # rules, model, schema
    model_evidence: tuple[Evidence, ...] = ()  # messages the learned model found scam-like
    indicators: tuple[Indicator, ...] = ()
    intel_hits: tuple[IntelHit, ...] = ()
