"""Tables of the handoff store: organisations, dossiers, consents, notes, audit trail, outbox."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from appdb import Base, UTCDateTime, utcnow

# Allowed values live here so that the store, the checks and the migration agree.
LANGUAGES = ("fr", "en")
QUEUES = ("organisation", "shared")
TRIGGERS = ("user_request", "repeated_fallback", "sensitive_topic", "after_screening")
CONTACT_METHODS = ("email", "phone")
STATUSES = ("new", "in_progress", "closed")
PURPOSES = ("share_summary", "share_transcript")
OUTBOX_STATUSES = ("pending", "sent", "failed")
# Where a dossier ended up, recorded by the advisor (the follow-up's result).
OUTCOMES = ("oriented", "referred", "coop_project_started", "not_pursued", "no_answer")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Base):
    """A receiving organisation; ``key`` is the knowledge-base resource id (e.g. ``cdrq``)."""

    __tablename__ = "organisation"

    key = Column(String(80), primary_key=True)
    name = Column(String(200), nullable=False)
    # Never invented: null until a partner gives one (handoff/intake.yml or HANDOFF_INTAKE_<KEY>).
    intake_email = Column(String(254), nullable=True)
    active = Column(Boolean, nullable=False, default=True)
    # Set by the console when the organisation has advisor accounts; otherwise the shared queue.
    on_console = Column(Boolean, nullable=False, default=False)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class HandoffDossier(Base):
    """What an advisor receives; personal fields are filled only as far as consent allows."""

    __tablename__ = "handoff_dossier"
    __table_args__ = (
        CheckConstraint(_in("language", LANGUAGES), name="language"),
        CheckConstraint(_in("queue", QUEUES), name="queue"),
        CheckConstraint(_in("trigger", TRIGGERS), name="trigger"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(
            "contact_method IS NULL OR " + _in("contact_method", CONTACT_METHODS),
            name="contact_method",
        ),
        CheckConstraint("outcome IS NULL OR " + _in("outcome", OUTCOMES), name="outcome"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    channel = Column(String(40), nullable=False)
    sender_id = Column(String(200), nullable=False, index=True)
    language = Column(String(2), nullable=False)
    region_code = Column(String(2), nullable=True)
    organisation_key = Column(String(80), ForeignKey("organisation.key"), nullable=True, index=True)
    queue = Column(String(20), nullable=False, index=True)
    reason = Column(String(60), nullable=True)
    trigger = Column(String(30), nullable=False)
    project_summary = Column(Text, nullable=True)
    screening_summary = Column(JSON(none_as_null=True), nullable=True)
    contact_method = Column(String(10), nullable=True)
    contact_value = Column(String(254), nullable=True)
    availability = Column(String(300), nullable=True)
    status = Column(String(20), nullable=False, default="new", index=True)
    assignee = Column(String(120), nullable=True, index=True)
    referred_to = Column(String(200), nullable=True)
    follow_up_date = Column(Date, nullable=True, index=True)
    outcome = Column(String(30), nullable=True)
    transcript = Column(JSON(none_as_null=True), nullable=True)

    consents = relationship("Consent", back_populates="dossier", order_by="Consent.purpose")
    notes = relationship("DossierNote", back_populates="dossier", order_by="DossierNote.id")


class Consent(Base):
    """The answer to one consent question, with the wording version shown; refusals are kept too."""

    __tablename__ = "consent"
    __table_args__ = (
        UniqueConstraint("dossier_id", "purpose", name="uq_consent_dossier_id_purpose"),
        CheckConstraint(_in("purpose", PURPOSES), name="purpose"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="CASCADE"), nullable=False
    )
    purpose = Column(String(30), nullable=False)
    granted = Column(Boolean, nullable=False)
    wording_version = Column(String(40), nullable=False)
    # The privacy notice shown in the conversation (privacy/notice.yml ``version``); None for
    # consents recorded before notices were versioned.
    notice_version = Column(String(40), nullable=True)
    # When the person answered (yes or no).
    granted_at = Column(UTCDateTime, nullable=False)
    withdrawn_at = Column(UTCDateTime, nullable=True)

    dossier = relationship("HandoffDossier", back_populates="consents")


class DossierNote(Base):
    """An advisor's note on a dossier, erased with it."""

    __tablename__ = "dossier_note"

    id = Column(Integer, primary_key=True, autoincrement=True)
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = Column(String(120), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    dossier = relationship("HandoffDossier", back_populates="notes")


class AuditEvent(Base):
    """Who viewed or changed a dossier; ``details`` holds ids and codes, never personal data."""

    __tablename__ = "audit_event"

    id = Column(Integer, primary_key=True, autoincrement=True)
    # The reference outlives an erased dossier, so the trail survives a destruction.
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="SET NULL"), nullable=True, index=True
    )
    reference = Column(String(12), nullable=True, index=True)
    actor = Column(String(120), nullable=False)
    action = Column(String(40), nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    details = Column(JSON(none_as_null=True), nullable=True)


class NotificationOutbox(Base):
    """An email to send, retried from here: a crash or an SMTP outage loses nothing."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="status"),
        Index("ix_notification_outbox_due", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind = Column(String(30), nullable=False)
    recipient = Column(String(254), nullable=False)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    status = Column(String(10), nullable=False, default="pending")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UTCDateTime, nullable=False, default=utcnow)
    # The exception's class name only: messages can quote addresses or server replies.
    last_error = Column(String(100), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    sent_at = Column(UTCDateTime, nullable=True)
    # An orientation sheet sent to the person (PDF); None for advisors' notifications.
    attachment_name = Column(String(120), nullable=True)
    attachment = Column(LargeBinary, nullable=True)


class SheetEmail(Base):
    """An orientation sheet emailed to the person, with the consent they gave to the advisor."""

    __tablename__ = "sheet_email"
    __table_args__ = (CheckConstraint(_in("language", LANGUAGES), name="language"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="CASCADE"), nullable=False, index=True
    )
    outbox_id = Column(
        Integer, ForeignKey("notification_outbox.id", ondelete="SET NULL"), nullable=True
    )
    language = Column(String(2), nullable=False)
    # The consent sentence the advisor read out (catalogue key sheet.email.consent, versioned).
    consent_wording_version = Column(String(40), nullable=False)
    consented_at = Column(UTCDateTime, nullable=False)
    advisor = Column(String(120), nullable=False)


FLAG_KINDS = ("wrong", "outdated")


class AnswerFlag(Base):
    """An assistant's answer that an advisor flagged as wrong or outdated.

    Seen in a shared transcript; listed in the console's content view until a maintainer resolves
    it.
    """

    __tablename__ = "answer_flag"
    __table_args__ = (CheckConstraint(_in("kind", FLAG_KINDS), name="kind"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    # Erased with the dossier: the answer's text is part of the person's conversation.
    dossier_id = Column(
        Integer, ForeignKey("handoff_dossier.id", ondelete="CASCADE"), nullable=False, index=True
    )
    message_index = Column(Integer, nullable=False)
    answer_text = Column(Text, nullable=False)
    kind = Column(String(20), nullable=False)
    comment = Column(Text, nullable=True)
    flagged_by = Column(String(120), nullable=False)
    flagged_at = Column(UTCDateTime, nullable=False, default=utcnow)
    resolved_by = Column(String(120), nullable=True)
    resolved_at = Column(UTCDateTime, nullable=True, index=True)
