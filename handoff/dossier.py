"""The typed request the conversation hands to the store, and what the store hands back.

``DossierRequest`` is validated when built, so that nothing malformed reaches the database.
Validation errors name the field and never quote its value (it may be personal).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from appdb import utcnow
from handoff.contact import normalise_contact

# The errors live in handoff.errors; imported from here, they keep working (explicit re-exports).
from handoff.errors import ConsentMissing as ConsentMissing
from handoff.errors import DailyLimitReached as DailyLimitReached
from handoff.errors import DossierNotFoundError as DossierNotFoundError
from handoff.errors import HandoffError as HandoffError
from handoff.errors import InvalidContactError as InvalidContactError
from handoff.errors import InvalidRequestError as InvalidRequestError
from handoff.errors import StoreUnavailable as StoreUnavailable
from handoff.models import CONTACT_METHODS, LANGUAGES, QUEUES, STATUSES, TRIGGERS
from handoff.transcript import TranscriptMessage
from screening.answers import REGION_CODES

MAX_SUMMARY = 2000
MAX_AVAILABILITY = 300
MAX_TRANSCRIPT_MESSAGES = 500
_CODE_RE = re.compile(r"^[a-z0-9_-]{1,60}$")


def consent_wording_version(shown: Mapping[str, Any]) -> str:
    """A fingerprint of the consent sentences shown: it changes whenever their wording does.

    Args:
        shown: The texts the person was shown before consenting, by name (the conversation's
            responses in every language and variant).

    Returns:
        ``consent-`` and 12 hexadecimal digits, the same for the same wording.
    """
    digest = hashlib.sha256(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode())
    return f"consent-{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class ConsentAnswers:
    """The person's yes/no per purpose, with the version of the wording they were shown."""

    share_summary: bool
    share_transcript: bool
    wording_version: str
    answered_at: datetime = field(default_factory=utcnow)
    # The version of the privacy notice shown in the conversation, None when none was shown.
    notice_version: str | None = None

    def __post_init__(self) -> None:
        if not self.wording_version.strip() or len(self.wording_version) > 40:
            raise InvalidRequestError("consent.wording_version", "required, at most 40 characters")
        if self.notice_version is not None and not 0 < len(self.notice_version.strip()) <= 40:
            raise InvalidRequestError("consent.notice_version", "at most 40 characters")
        if self.answered_at.tzinfo is None:
            raise InvalidRequestError("consent.answered_at", "must be timezone-aware")

    @property
    def any_granted(self) -> bool:
        """Whether at least one purpose was consented to (otherwise nothing may be stored)."""
        return self.share_summary or self.share_transcript


def _text(name: str, value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    if len(stripped) > limit:
        raise InvalidRequestError(name, f"at most {limit} characters")
    return stripped or None


@dataclass(frozen=True)
class DossierRequest:
    """What the conversation hands over to create a dossier, checked when built.

    Texts are stripped and bounded, the contact normalised, a very long transcript cut to its
    end.

    Raises:
        InvalidRequestError: a field is missing, too long, or not one of the known codes.
    """

    channel: str
    sender_id: str
    language: str
    trigger: str
    consent: ConsentAnswers
    region_code: str | None = None
    organisation_key: str | None = None
    # A code, not prose (e.g. the need "cooperative" or the topic "immigration_status").
    reason: str | None = None
    project_summary: str | None = None
    # Opaque to the store: answers as asked/typed/understood, verdict and factors.
    screening_summary: dict[str, Any] | None = None
    contact_method: str | None = None
    contact_value: str | None = None
    availability: str | None = None
    # From ``handoff.transcript.snapshot``; stored only with the share_transcript consent.
    transcript: list[TranscriptMessage] | None = None

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        if not self.channel.strip() or len(self.channel) > 40:
            raise InvalidRequestError("channel", "required, at most 40 characters")
        if not self.sender_id.strip() or len(self.sender_id) > 200:
            raise InvalidRequestError("sender_id", "required, at most 200 characters")
        if self.language not in LANGUAGES:
            raise InvalidRequestError("language", f"one of {', '.join(LANGUAGES)}")
        if self.trigger not in TRIGGERS:
            raise InvalidRequestError("trigger", f"one of {', '.join(TRIGGERS)}")
        if self.region_code is not None and self.region_code not in REGION_CODES:
            raise InvalidRequestError("region_code", "a Québec region code, 01 to 17")
        for name in ("organisation_key", "reason"):
            value = getattr(self, name)
            if value is not None and not _CODE_RE.match(value):
                raise InvalidRequestError(name, "lower-case code of letters, digits, - and _")
        put("project_summary", _text("project_summary", self.project_summary, MAX_SUMMARY))
        put("availability", _text("availability", self.availability, MAX_AVAILABILITY))
        self._check_contact(put)
        if self.screening_summary is not None:
            _check_json("screening_summary", self.screening_summary, dict)
        if self.transcript is not None:
            _check_json("transcript", self.transcript, list)
            if len(self.transcript) > MAX_TRANSCRIPT_MESSAGES:
                # Keep the end of a very long conversation: it holds the reason for the handoff.
                put("transcript", list(self.transcript[-MAX_TRANSCRIPT_MESSAGES:]))

    def _check_contact(self, put: Any) -> None:
        method, value = self.contact_method, self.contact_value
        if method is None and value is None:
            return
        if method not in CONTACT_METHODS:
            raise InvalidRequestError("contact_method", f"one of {', '.join(CONTACT_METHODS)}")
        if value is None:
            raise InvalidRequestError("contact_value", "required with a contact method")
        try:
            put("contact_value", normalise_contact(method, value))
        except InvalidContactError as error:
            raise InvalidRequestError("contact_value", error.code) from None


def _check_json(name: str, value: Any, kind: type) -> None:
    if not isinstance(value, kind):
        raise InvalidRequestError(name, f"must be a {kind.__name__}")
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise InvalidRequestError(name, "must be JSON-serialisable") from None


@dataclass(frozen=True)
class CreatedDossier:
    """A dossier just stored: its reference, the organisation and the queue it went to."""

    reference: str
    organisation_key: str | None
    queue: str


@dataclass(frozen=True)
class ConsentView:
    """One consent of a dossier as read: purpose, answer, wording and notice versions, dates."""

    purpose: str
    granted: bool
    wording_version: str
    granted_at: datetime
    withdrawn_at: datetime | None
    notice_version: str | None = None


@dataclass(frozen=True)
class NoteView:
    """An advisor's note on a dossier, as read."""

    id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class DossierView:
    """A dossier read from the store, detached from any session."""

    reference: str
    created_at: datetime
    channel: str
    sender_id: str
    language: str
    region_code: str | None
    organisation_key: str | None
    queue: str
    reason: str | None
    trigger: str
    project_summary: str | None
    screening_summary: dict[str, Any] | None
    contact_method: str | None
    contact_value: str | None
    availability: str | None
    status: str
    assignee: str | None
    referred_to: str | None
    follow_up_date: date | None
    transcript: list[dict[str, Any]] | None
    consents: tuple[ConsentView, ...] = ()
    notes: tuple[NoteView, ...] = ()
    outcome: str | None = None  # handoff.models.OUTCOMES


@dataclass(frozen=True)
class DossierFilters:
    """The console's filters on the dossier list; None means any.

    Raises:
        InvalidRequestError: ``status`` or ``queue`` is not a known one.
    """

    status: str | None = None
    queue: str | None = None
    organisation_key: str | None = None
    assignee: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise InvalidRequestError("status", f"one of {', '.join(STATUSES)}")
        if self.queue is not None and self.queue not in QUEUES:
            raise InvalidRequestError("queue", f"one of {', '.join(QUEUES)}")


@dataclass(frozen=True)
class Page:
    """Which page of a list, counted from 1, and how many items per page (at most 200).

    Raises:
        InvalidRequestError: ``number`` is below 1 or ``size`` outside 1 to 200.
    """

    number: int = 1
    size: int = 20

    def __post_init__(self) -> None:
        if self.number < 1 or not 1 <= self.size <= 200:
            raise InvalidRequestError("page", "number ≥ 1 and size between 1 and 200")


@dataclass(frozen=True)
class DossierPage:
    """One page of the dossier list, with the total that matched the filters."""

    items: tuple[DossierView, ...]
    total: int
    page: Page
