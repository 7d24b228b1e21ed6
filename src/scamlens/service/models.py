"""Request bodies: strict pydantic models (no coercion, no unknown fields)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

from scamlens.cases.records import DECISIONS, STATUSES


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


Text = Annotated[StrictStr, Field(max_length=100_000)]
Short = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Lang = Literal["auto", "en", "zh"]


class MessageIn(Strict):
    sender: Annotated[StrictStr, Field(max_length=200)] | None = None
    text: Text
    timestamp: Annotated[StrictStr, Field(max_length=64)] | None = Field(
        default=None, description="ISO 8601, e.g. 2024-01-29T21:15:00+00:00"
    )
    is_user: StrictBool | None = None


class AnalyzeRequest(Strict):
    """Either `messages` (a conversation) or `text` (pasted chat or one message)."""

    messages: Annotated[list[MessageIn], Field(min_length=1, max_length=20_000)] | None = None
    text: Annotated[StrictStr, Field(min_length=1, max_length=5_000_000)] | None = None
    me: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    lang: Lang = "auto"
    save_case: StrictBool = False
    redact: StrictBool = False
    title: Short | None = None
    platform: Annotated[StrictStr, Field(min_length=1, max_length=32)] | None = None

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        if (self.messages is None) == (self.text is None):
            raise ValueError("give exactly one of 'messages' or 'text'")
        return self


class ScoreRequest(Strict):
    texts: Annotated[list[Text], Field(min_length=1, max_length=1000)]
    kind: Literal["message", "profile", "job_ad"] = "message"


class RecordsRequest(Strict):
    """Profile or job-ad records (fields as in docs/profiles.md)."""

    records: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=1000)]
    evidence: StrictBool = True


class ExtractRequest(Strict):
    text: Annotated[StrictStr, Field(min_length=1, max_length=1_000_000)]
    check: StrictBool = True
    region: Annotated[StrictStr, Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="default phone region, e.g. US"
    )


class CheckRequest(Strict):
    values: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=4096)]],
        Field(min_length=1, max_length=1000),
    ]


class CampaignRecord(Strict):
    account: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    text: Text
    id: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    conversation: Annotated[StrictStr, Field(max_length=200)] | None = None
    timestamp: Annotated[StrictStr, Field(max_length=64)] | None = None
    # Hidden link targets (web links kept apart from the text); see docs/campaigns.md.
    links: Annotated[list[Annotated[StrictStr, Field(max_length=4096)]], Field(max_length=64)] = []


class CampaignRequest(Strict):
    records: Annotated[list[CampaignRecord], Field(min_length=1, max_length=20_000)]


class CaseCreate(Strict):
    messages: Annotated[list[MessageIn], Field(min_length=1, max_length=20_000)] | None = None
    text: Annotated[StrictStr, Field(min_length=1, max_length=5_000_000)] | None = None
    me: Annotated[StrictStr, Field(min_length=1, max_length=200)] | None = None
    lang: Lang = "auto"
    title: Short | None = None
    platform: Annotated[StrictStr, Field(min_length=1, max_length=32)] | None = None

    @model_validator(mode="after")
    def _one_input(self) -> CaseCreate:
        if (self.messages is None) == (self.text is None):
            raise ValueError("give exactly one of 'messages' or 'text'")
        return self


Status = Literal[STATUSES]  # type: ignore[valid-type]
Decision = Literal[DECISIONS]  # type: ignore[valid-type]


class CaseUpdate(Strict):
    status: Status | None = None
    notes: Annotated[StrictStr, Field(max_length=20_000)] | None = None

    @model_validator(mode="after")
    def _something(self) -> CaseUpdate:
        if self.status is None and self.notes is None:
            raise ValueError("give status and/or notes")
        return self


class FeedbackIn(Strict):
    target: Annotated[
        StrictStr, Field(pattern=r"^(verdict|evidence:[0-9]{1,6}|indicator:[0-9]{1,6})$")
    ]
    decision: Decision
    note: Annotated[StrictStr, Field(max_length=2000)] | None = None


class PurgeRequest(Strict):
    older_than_days: Annotated[StrictInt, Field(ge=0, le=36500)]
