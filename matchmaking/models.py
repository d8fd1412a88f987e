"""Tables of partner matchmaking: profiles, projects looking for members, introductions, notes.

Profiles hold only what the person agreed to give for this purpose; the consent (wording and
privacy-notice versions, time) is stored on the profile. Audit events go to the console's
``audit_event`` table with the profile's, project's or introduction's reference.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from appdb import Base, UTCDateTime, utcnow

PROFILE_STATUSES = ("active", "paused")
PROJECT_STATUSES = ("open", "closed")
STATES = ("proposed", "accepted_by_one", "accepted_by_both", "declined", "met", "outcome")
ANSWERS = ("yes", "no")
OUTCOMES = ("founding_together", "joined_project", "no_follow_up", "other")
LANGUAGES = ("fr", "en")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class MatchProfile(Base):
    """A person looking for partners; every answer but the consent is optional."""

    __tablename__ = "match_profile"
    __table_args__ = (
        CheckConstraint(_in("status", PROFILE_STATUSES), name="status"),
        CheckConstraint(_in("language", LANGUAGES), name="language"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    sender_id = Column(String(200), nullable=False, index=True)
    channel = Column(String(40), nullable=False)
    language = Column(String(2), nullable=False)
    status = Column(String(10), nullable=False, default="active", index=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # Retention counts from here: any change or answer by the person moves it.
    last_activity_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    # When the person was told their profile would soon be deleted for inactivity; any later
    # activity re-arms the reminder.
    reminded_at = Column(UTCDateTime, nullable=True)
    intent = Column(String(20), nullable=True)
    project_text = Column(Text, nullable=True)
    # An advisor read the sentence: only then may the other side of an introduction see it.
    text_reviewed_by = Column(String(120), nullable=True)
    text_reviewed_at = Column(UTCDateTime, nullable=True)
    sector = Column(String(30), nullable=True)
    region_code = Column(String(2), nullable=True, index=True)
    reach = Column(String(20), nullable=True)
    role = Column(String(20), nullable=True)
    roles_sought = Column(JSON(none_as_null=True), nullable=True)
    skills = Column(JSON(none_as_null=True), nullable=True)
    skills_sought = Column(JSON(none_as_null=True), nullable=True)
    languages = Column(JSON(none_as_null=True), nullable=True)
    availability = Column(String(30), nullable=True)
    # An organisation the person chose to be followed by (its advisors see the profile).
    organisation_key = Column(String(80), ForeignKey("organisation.key"), nullable=True, index=True)
    contact_method = Column(String(10), nullable=True)
    contact_value = Column(String(254), nullable=True)
    consent_wording_version = Column(String(40), nullable=False)
    notice_version = Column(String(40), nullable=False)
    consented_at = Column(UTCDateTime, nullable=False)


class MatchProject(Base):
    """A project looking for members, published by an organisation (contact through its advisor)."""

    __tablename__ = "match_project"
    __table_args__ = (
        CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
        CheckConstraint(_in("language", LANGUAGES), name="language"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    organisation_key = Column(
        String(80), ForeignKey("organisation.key"), nullable=False, index=True
    )
    created_by = Column(String(120), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    status = Column(String(10), nullable=False, default="open", index=True)
    language = Column(String(2), nullable=False)
    title = Column(String(200), nullable=False)
    description = Column(Text, nullable=False)
    sector = Column(String(30), nullable=True)
    region_code = Column(String(2), nullable=False, index=True)
    roles_sought = Column(JSON(none_as_null=True), nullable=True)
    skills_sought = Column(JSON(none_as_null=True), nullable=True)
    languages = Column(JSON(none_as_null=True), nullable=True)
    availability = Column(String(30), nullable=True)


class MatchIntroduction(Base):
    """An advisor's proposal that a profile meet another profile or a project."""

    __tablename__ = "match_introduction"
    __table_args__ = (
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint("(profile_b_id IS NULL) <> (project_id IS NULL)", name="one_other_side"),
        CheckConstraint("answer_a IS NULL OR " + _in("answer_a", ANSWERS), name="answer_a"),
        CheckConstraint("answer_b IS NULL OR " + _in("answer_b", ANSWERS), name="answer_b"),
        CheckConstraint("outcome IS NULL OR " + _in("outcome", OUTCOMES), name="outcome"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    proposed_by = Column(String(120), nullable=False)
    profile_a_id = Column(
        Integer, ForeignKey("match_profile.id", ondelete="CASCADE"), nullable=False, index=True
    )
    profile_b_id = Column(
        Integer, ForeignKey("match_profile.id", ondelete="CASCADE"), nullable=True, index=True
    )
    project_id = Column(
        Integer, ForeignKey("match_project.id", ondelete="CASCADE"), nullable=True, index=True
    )
    state = Column(String(20), nullable=False, default="proposed", index=True)
    answer_a = Column(String(3), nullable=True)
    answer_b = Column(String(3), nullable=True)
    answered_a_at = Column(UTCDateTime, nullable=True)
    answered_b_at = Column(UTCDateTime, nullable=True)
    met_at = Column(UTCDateTime, nullable=True)
    outcome = Column(String(30), nullable=True)
    # The score and reason codes when proposed (codes only).
    suggestion = Column(JSON(none_as_null=True), nullable=True)

    profile_a = relationship("MatchProfile", foreign_keys=[profile_a_id])
    profile_b = relationship("MatchProfile", foreign_keys=[profile_b_id])
    project = relationship("MatchProject")
    notes = relationship("MatchNote", order_by="MatchNote.id", cascade="all, delete-orphan")


class MatchNote(Base):
    """An advisor's note on an introduction, erased with it."""

    __tablename__ = "match_note"

    id = Column(Integer, primary_key=True, autoincrement=True)
    introduction_id = Column(
        Integer,
        ForeignKey("match_introduction.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    author = Column(String(120), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
