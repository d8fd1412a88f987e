"""Profiles of people looking for partners, and projects organisations publish.

A profile is stored only with the person's consent to this purpose (the wording's and the
privacy notice's versions are kept with it) and only for adults. Every answer is optional and
can be changed, paused or deleted at any time; changes by the person move
``last_activity_at``, from which retention counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from appdb import utcnow
from handoff.contact import InvalidContactError, normalise_contact
from handoff.models import CONTACT_METHODS, Organisation
from matchmaking.answers import ADULT_AGE
from matchmaking.errors import (
    ConsentRequiredError,
    InvalidFieldError,
    MinorRefusedError,
    NotFoundError,
)
from matchmaking.models import LANGUAGES, MatchProfile, MatchProject
from matchmaking.records import (
    PROFILE_PREFIX,
    PROJECT_PREFIX,
    ProfileView,
    ProjectView,
    audit,
    new_reference,
    profile_view,
    project_view,
    store_session,
)
from matchmaking.regions import REGION_CODES
from matchmaking.rules import Rules, load_rules

MAX_PROJECT_TEXT = 500
MAX_DESCRIPTION = 2000
MAX_TITLE = 200
MAX_ITEMS = 10
MAX_ITEM = 60
MAX_ACTOR = 120
PERSON = "person"
# Fields the person (or an advisor on their behalf) may change.
EDITABLE = (
    "intent",
    "project_text",
    "sector",
    "region_code",
    "reach",
    "role",
    "roles_sought",
    "skills",
    "skills_sought",
    "languages",
    "availability",
    "organisation_key",
    "contact_method",
    "contact_value",
)
_CODE_RE = re.compile(r"^[a-z0-9_-]{1,80}$")


@dataclass(frozen=True)
class ConsentGiven:
    """The person's answer to the matchmaking consent question."""

    granted: bool
    wording_version: str
    notice_version: str
    answered_at: datetime = field(default_factory=utcnow)


def _choice(name: str, value: Any, allowed: Iterable[str]) -> str | None:
    if value is None or value == "":
        return None
    if value not in tuple(allowed):
        raise InvalidFieldError(name, "not one of the allowed codes")
    return str(value)


def _text(name: str, value: Any, limit: int) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise InvalidFieldError(name, f"at most {limit} characters")
    return text or None


def _items(name: str, values: Any, allowed: Iterable[str] | None = None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        values = [v for v in re.split(r"[,;\n]", values)]
    items = [str(v).strip() for v in values if str(v).strip()]
    if len(items) > MAX_ITEMS or any(len(v) > MAX_ITEM for v in items):
        raise InvalidFieldError(name, f"at most {MAX_ITEMS} items of {MAX_ITEM} characters")
    if allowed is not None:
        known = tuple(allowed)
        if any(v not in known for v in items):
            raise InvalidFieldError(name, "not one of the allowed codes")
    return list(dict.fromkeys(items)) or None


def clean_fields(values: dict[str, Any], rules: Rules | None = None) -> dict[str, Any]:
    """Validated profile fields (unknown names refused); contact normalised as handoff does."""
    rules = rules or load_rules()
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidFieldError(sorted(unknown)[0], "not a profile field")
    cleaners = {
        "intent": lambda v: _choice("intent", v, rules.intents),
        "project_text": lambda v: _text("project_text", v, MAX_PROJECT_TEXT),
        "sector": lambda v: _choice("sector", v, rules.sectors),
        "region_code": lambda v: _choice("region_code", v, REGION_CODES),
        "reach": lambda v: _choice("reach", v, rules.reaches),
        "role": lambda v: _choice("role", v, rules.roles),
        "roles_sought": lambda v: _items("roles_sought", v, rules.roles),
        "skills": lambda v: _items("skills", v),
        "skills_sought": lambda v: _items("skills_sought", v),
        "languages": lambda v: _items("languages", v, rules.languages),
        "availability": lambda v: _choice("availability", v, rules.availabilities),
        "organisation_key": lambda v: _organisation_key(v),
        "contact_method": lambda v: _choice("contact_method", v, CONTACT_METHODS),
        "contact_value": lambda v: _text("contact_value", v, 254),
    }
    cleaned = {name: cleaners[name](value) for name, value in values.items()}
    return cleaned


def _organisation_key(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not _CODE_RE.match(str(value)):
        raise InvalidFieldError("organisation_key", "lower-case code")
    return str(value)


def _check_contact(row: MatchProfile) -> None:
    if row.contact_method is None and row.contact_value is None:
        return
    if row.contact_method is None or row.contact_value is None:
        raise InvalidFieldError("contact_value", "a contact needs both a method and a value")
    try:
        row.contact_value = normalise_contact(row.contact_method, row.contact_value)
    except InvalidContactError as error:
        raise InvalidFieldError("contact_value", error.code) from None


def _actor(by: str) -> str:
    if not by or not by.strip() or len(by) > MAX_ACTOR:
        raise InvalidFieldError("by", f"required, at most {MAX_ACTOR} characters")
    return by.strip()


def check_age(age: int | None, adult: bool | None) -> None:
    """Minors are refused; without an age or a confirmation of adulthood nothing is stored."""
    if age is not None and age < ADULT_AGE:
        raise MinorRefusedError()
    if adult is False:
        raise MinorRefusedError()
    if age is None and adult is None:
        raise InvalidFieldError("age", "an age or a confirmation of being 18 or over")


def create_profile(
    sender_id: str,
    channel: str,
    language: str,
    consent: ConsentGiven,
    *,
    age: int | None = None,
    adult: bool | None = None,
    **fields: Any,
) -> ProfileView:
    """Store a new profile after the consent and age gates; nothing is kept when one refuses."""
    if not consent.granted:
        raise ConsentRequiredError("the person did not agree")
    for name, value in (
        ("wording_version", consent.wording_version),
        ("notice_version", consent.notice_version),
    ):
        if not value or not value.strip() or len(value) > 40:
            raise ConsentRequiredError(f"consent.{name}: required, at most 40 characters")
    if consent.answered_at.tzinfo is None:
        raise InvalidFieldError("consent.answered_at", "must be timezone-aware")
    check_age(age, adult)
    if not sender_id.strip() or len(sender_id) > 200:
        raise InvalidFieldError("sender_id", "required, at most 200 characters")
    if not channel.strip() or len(channel) > 40:
        raise InvalidFieldError("channel", "required, at most 40 characters")
    if language not in LANGUAGES:
        raise InvalidFieldError("language", "fr or en")
    cleaned = clean_fields(fields)
    now = utcnow()
    with store_session() as session:
        row = MatchProfile(
            reference=new_reference(PROFILE_PREFIX),
            sender_id=sender_id,
            channel=channel,
            language=language,
            status="active",
            created_at=now,
            updated_at=now,
            last_activity_at=now,
            consent_wording_version=consent.wording_version,
            notice_version=consent.notice_version,
            consented_at=consent.answered_at,
            **cleaned,
        )
        _check_contact(row)
        _check_organisation(session, row.organisation_key)
        session.add(row)
        session.flush()
        audit(session, row.reference, PERSON, "profile_created", {"fields": sorted(cleaned)})
        return profile_view(row)


def _check_organisation(session: Session, key: str | None) -> None:
    if key is not None and session.get(Organisation, key) is None:
        raise InvalidFieldError("organisation_key", "unknown organisation")


def _load_profile(session: Session, reference: str) -> MatchProfile:
    row = session.execute(
        select(MatchProfile).where(MatchProfile.reference == reference)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(reference)
    return row


def get_profile(reference: str) -> ProfileView:
    """The profile with this reference.

    Raises:
        NotFoundError: there is none.
    """
    with store_session() as session:
        return profile_view(_load_profile(session, reference))


def profiles_of(sender_id: str) -> list[ProfileView]:
    """A person's own profiles (the chat's "mon profil")."""
    with store_session() as session:
        rows = session.execute(
            select(MatchProfile)
            .where(MatchProfile.sender_id == sender_id)
            .order_by(MatchProfile.id)
        ).scalars()
        return [profile_view(r) for r in rows]


def update_profile(reference: str, changes: dict[str, Any], *, by: str) -> ProfileView:
    """Change some answers; ``by`` is ``person`` or an advisor's username (audited, codes only)."""
    actor = _actor(by)
    cleaned = clean_fields(changes)
    with store_session() as session:
        row = _load_profile(session, reference)
        changed = [name for name, value in cleaned.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, cleaned[name])
        if "project_text" in changed:
            # A new sentence has not been read by anyone yet.
            row.text_reviewed_by = row.text_reviewed_at = None
        _check_contact(row)
        _check_organisation(session, row.organisation_key)
        if changed:
            if actor == PERSON:
                row.last_activity_at = utcnow()
            audit(session, reference, actor, "profile_changed", {"fields": sorted(changed)})
        return profile_view(row)


def review_text(reference: str, *, by: str) -> ProfileView:
    """Record that an advisor read the person's sentence.

    It may now be shown to the other side of an introduction (``IntroductionView.summary_for``).
    Nothing free-text reaches another person before that.
    """
    actor = _actor(by)
    with store_session() as session:
        row = _load_profile(session, reference)
        if row.project_text and row.text_reviewed_at is None:
            row.text_reviewed_by, row.text_reviewed_at = actor, utcnow()
            audit(session, reference, actor, "profile_text_reviewed")
        return profile_view(row)


def set_profile_status(reference: str, status: str, *, by: str) -> ProfileView:
    """Pause (no suggestion, no new introduction) or reactivate a profile."""
    actor = _actor(by)
    if status not in ("active", "paused"):
        raise InvalidFieldError("status", "active or paused")
    with store_session() as session:
        row = _load_profile(session, reference)
        if row.status != status:
            audit(session, reference, actor, "profile_status", {"from": row.status, "to": status})
            row.status = status
            if actor == PERSON:
                row.last_activity_at = utcnow()
        return profile_view(row)


def keep_profile(reference: str, *, by: str = PERSON) -> ProfileView:
    """Keep the profile of a person who answered the inactivity reminder.

    Retention counts again from now. Only the person's own activity counts.
    """
    actor = _actor(by)
    with store_session() as session:
        row = _load_profile(session, reference)
        if actor == PERSON:
            row.last_activity_at = utcnow()
            audit(session, reference, actor, "profile_kept")
        return profile_view(row)


def list_profiles(
    regions: Iterable[str] | None = None,
    organisation_key: str | None = None,
    *,
    active_only: bool = False,
) -> list[ProfileView]:
    """Profiles in these regions or followed by this organisation (``regions=None``: all)."""
    query = select(MatchProfile).order_by(MatchProfile.created_at.desc(), MatchProfile.id.desc())
    if regions is not None:
        wanted = sorted(set(regions))
        condition = MatchProfile.region_code.in_(wanted)
        if organisation_key:
            condition = condition | (MatchProfile.organisation_key == organisation_key)
        query = query.where(condition)
    if active_only:
        query = query.where(MatchProfile.status == "active")
    with store_session() as session:
        return [profile_view(r) for r in session.execute(query).scalars()]


# -- projects looking for members -----------------------------------------------------------
def publish_project(
    organisation_key: str,
    *,
    title: str,
    description: str,
    region_code: str,
    language: str,
    by: str,
    sector: str | None = None,
    roles_sought: Any = None,
    skills_sought: Any = None,
    languages: Any = None,
    availability: str | None = None,
) -> ProjectView:
    """An organisation's project looking for members (contact goes through its advisor)."""
    actor = _actor(by)
    rules = load_rules()
    clean_title = _text("title", title, MAX_TITLE)
    clean_description = _text("description", description, MAX_DESCRIPTION)
    if not clean_title:
        raise InvalidFieldError("title", "required")
    if not clean_description:
        raise InvalidFieldError("description", "required")
    region = _choice("region_code", region_code, REGION_CODES)
    if region is None:
        raise InvalidFieldError("region_code", "required")
    if language not in LANGUAGES:
        raise InvalidFieldError("language", "fr or en")
    with store_session() as session:
        _check_organisation(session, organisation_key)
        row = MatchProject(
            reference=new_reference(PROJECT_PREFIX),
            organisation_key=organisation_key,
            created_by=actor,
            status="open",
            language=language,
            title=clean_title,
            description=clean_description,
            sector=_choice("sector", sector, rules.sectors),
            region_code=region,
            roles_sought=_items("roles_sought", roles_sought, rules.roles),
            skills_sought=_items("skills_sought", skills_sought),
            languages=_items("languages", languages, rules.languages),
            availability=_choice("availability", availability, rules.availabilities),
        )
        session.add(row)
        session.flush()
        audit(
            session, row.reference, actor, "project_published", {"organisation": organisation_key}
        )
        return project_view(row)


def _load_project(session: Session, reference: str) -> MatchProject:
    row = session.execute(
        select(MatchProject).where(MatchProject.reference == reference)
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(reference)
    return row


def get_project(reference: str) -> ProjectView:
    """The project with this reference.

    Raises:
        NotFoundError: there is none.
    """
    with store_session() as session:
        return project_view(_load_project(session, reference))


def set_project_status(reference: str, status: str, *, by: str) -> ProjectView:
    """Open or close a project; a closed one is no longer suggested nor shown.

    Raises:
        InvalidFieldError: ``status`` is neither ``open`` nor ``closed``.
        NotFoundError: no project has this reference.
    """
    actor = _actor(by)
    if status not in ("open", "closed"):
        raise InvalidFieldError("status", "open or closed")
    with store_session() as session:
        row = _load_project(session, reference)
        if row.status != status:
            audit(session, reference, actor, "project_status", {"from": row.status, "to": status})
            row.status = status
        return project_view(row)


def list_projects(
    regions: Iterable[str] | None = None,
    organisation_key: str | None = None,
    *,
    open_only: bool = False,
    sector: str | None = None,
) -> list[ProjectView]:
    """Projects in these regions or of this organisation (``regions=None``: all)."""
    query = select(MatchProject).order_by(MatchProject.created_at.desc(), MatchProject.id.desc())
    if regions is not None:
        condition = MatchProject.region_code.in_(sorted(set(regions)))
        if organisation_key:
            condition = condition | (MatchProject.organisation_key == organisation_key)
        query = query.where(condition)
    if open_only:
        query = query.where(MatchProject.status == "open")
    if sector:
        query = query.where(MatchProject.sector == sector)
    with store_session() as session:
        return [project_view(r) for r in session.execute(query).scalars()]
