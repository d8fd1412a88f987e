"""Tables of the privacy package: the destruction log and the confidentiality-incident register.

Neither holds personal details: the destruction log counts, the register describes (its
free-text fields are written by an administrator, who is told not to name anyone).
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, Date, Integer, String, Text

from appdb import Base, UTCDateTime, utcnow

DESTRUCTION_TRIGGERS = ("retention", "erasure_request")
# What a purge or an erasure counts, in the order reports list them.
CATEGORIES = (
    "conversations",
    "tracker_events",
    "dossiers",
    "consents",
    "notes",
    "notifications",
    "audit_events",
    "export_files",
    "mail_files",
    "match_profiles",
    "introductions",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class DestructionLog(Base):
    """How many items of one category one run destroyed, when, and why."""

    __tablename__ = "destruction_log"
    __table_args__ = (
        CheckConstraint(_in("trigger", DESTRUCTION_TRIGGERS), name="trigger"),
        CheckConstraint("count >= 0", name="count"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    # Groups the rows of one purge or one erasure.
    run_id = Column(String(32), nullable=False, index=True)
    category = Column(String(30), nullable=False)
    count = Column(Integer, nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    trigger = Column(String(20), nullable=False)


class ConfidentialityIncident(Base):
    """One entry of the confidentiality-incident register.

    Required by the Regulation respecting confidentiality incidents, s. 7; kept at least 5 years
    after the incident became known, so never purged here.
    """

    __tablename__ = "confidentiality_incident"
    __table_args__ = (
        CheckConstraint("persons_concerned >= 0", name="persons_concerned"),
        CheckConstraint(
            "occurred_until IS NULL OR occurred_until >= occurred_on", name="occurred_period"
        ),
        CheckConstraint(
            "discovered_until IS NULL OR discovered_until >= discovered_on",
            name="discovered_period",
        ),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    recorded_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    recorded_by = Column(String(120), nullable=False)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # (1) the personal information concerned, or why it cannot be described.
    information_concerned = Column(Text, nullable=False)
    # (2) a brief description of the circumstances.
    circumstances = Column(Text, nullable=False)
    # (3) date or period of the incident, or an approximation.
    occurred_on = Column(Date, nullable=False)
    occurred_until = Column(Date, nullable=True)
    occurred_approximate = Column(Boolean, nullable=False, default=False)
    # (4) date or period when the enterprise became aware of it.
    discovered_on = Column(Date, nullable=False)
    discovered_until = Column(Date, nullable=True)
    # (5) number of persons concerned, or an approximation.
    persons_concerned = Column(Integer, nullable=False)
    persons_approximate = Column(Boolean, nullable=False, default=False)
    # (6) what led to conclude whether there is a risk of serious injury (sensitivity, possible
    # ill-intentioned uses, anticipated consequences, likelihood), and the conclusion.
    risk_assessment = Column(Text, nullable=False)
    serious_injury_risk = Column(Boolean, nullable=False)
    # (7) when there is such a risk: dates of the notices to the Commission d'accès à
    # l'information and to the persons, and whether a public notice was given and why.
    cai_notified_on = Column(Date, nullable=True)
    persons_notified_on = Column(Date, nullable=True)
    public_notice = Column(Boolean, nullable=False, default=False)
    public_notice_reason = Column(Text, nullable=True)
    # (8) measures taken after the incident to reduce the risk of injury.
    measures_taken = Column(Text, nullable=False)
