"""Frozen value objects for profiles and job ads, and the verdict both scorers return.

No I/O here. `Evidence` is the shared one from scamlens.model: for these items `note` holds the
field name ("bio", "links[0]", "description"), `start`/`end` are a span into that field's
text, and `source` says what produced it: "rule:<id>", "model:<id>", "check:<name>",
"photo:<index entry>", "intel:<source>" or "cluster:<id>".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scamlens.model import Evidence, Indicator, IntelHit

KINDS = ("profile", "job_ad")


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact handle as given: the platform when the record names it, and the raw value."""

    platform: str | None  # "whatsapp", "telegram", "phone", ... or None when not stated
    value: str


@dataclass(frozen=True, slots=True)
class Profile:
    """An account on a dating or professional network, as a platform exports it."""

    id: str | None
    display_name: str = ""
    headline: str = ""
    bio: str = ""
    job: str = ""
    location: str = ""
    account_age_days: float | None = None
    links: tuple[str, ...] = ()
    photos: tuple[str, ...] = ()  # local file paths or URLs (URLs are never fetched)
    contacts: tuple[Contact, ...] = ()
    platform: str | None = None
    source_line: int | None = None  # 1-based line or record number in the source file

    def text_fields(self) -> list[tuple[str, str]]:
        """(field name, text) of every free-text field that rules read, non-empty only."""
        out = [
            ("display_name", self.display_name),
            ("headline", self.headline),
            ("job", self.job),
            ("location", self.location),
            ("bio", self.bio),
        ]
        return [(k, v) for k, v in out if v]


@dataclass(frozen=True, slots=True)
class JobAd:
    """A job ad or a recruitment message. Metadata flags are None when the source lacks them."""

    id: str | None
    title: str = ""
    company: str = ""
    company_profile: str = ""
    location: str = ""
    salary: str = ""
    description: str = ""
    requirements: str = ""
    benefits: str = ""
    contact: str = ""
    employment_type: str = ""
    required_experience: str = ""
    required_education: str = ""
    industry: str = ""
    function: str = ""
    telecommuting: bool | None = None
    has_company_logo: bool | None = None
    has_questions: bool | None = None
    label: int | None = None  # a known label (EMSCAD "fraudulent"); never used for scoring
    source_line: int | None = None

    def text_fields(self) -> list[tuple[str, str]]:
        out = [
            ("title", self.title),
            ("company", self.company),
            ("location", self.location),
            ("salary", self.salary),
            ("company_profile", self.company_profile),
            ("description", self.description),
            ("requirements", self.requirements),
            ("benefits", self.benefits),
            ("contact", self.contact),
        ]
        return [(k, v) for k, v in out if v]

    @property
    def structured(self) -> bool:
        """True for a job-board row (metadata present), False for a bare message."""
        return any(
            v is not None for v in (self.telecommuting, self.has_company_logo, self.has_questions)
        ) or bool(self.employment_type or self.required_experience or self.required_education)


Item = Profile | JobAd


def field_evidence(
    tactic: str,
    source: str,
    score: float,
    field_name: str,
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    counter: bool = False,
) -> Evidence:
    """Evidence for a span of one field; the whole field when no span is given."""
    stop = len(text) if end is None else end
    return Evidence(
        tactic=tactic,
        source=source,
        score=round(score, 4),
        quote=text[start:stop],
        start=start,
        end=stop,
        counter=counter,
        note=field_name,
    )


@dataclass(frozen=True, slots=True)
class Signal:
    """One finding: a tactic or check that fired, its score in [0, 1] and its evidence."""

    id: str
    name: str
    score: float
    evidence: tuple[Evidence, ...]
    counter: bool = False  # evidence against the scam reading (an advisory, a licence)
    detail: str = ""  # what a check found, in words ("stated location US, phone region KH")


@dataclass(frozen=True, slots=True)
class ItemVerdict:
    """The verdict on one profile or job ad."""

    id: str | None
    kind: str  # "profile" | "job_ad"
    risk: float  # in [0, 1]
    label: str  # "scam" | "suspicious" | "benign"
    signals: tuple[Signal, ...]  # strongest first; counter signals included
    language: str
    components: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()
    intel_hits: tuple[IntelHit, ...] = ()
    warnings: tuple[str, ...] = ()  # non-fatal notes (an unreadable photo, a skipped field)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(e for s in self.signals for e in s.evidence)
