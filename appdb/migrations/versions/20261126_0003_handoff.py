"""Handoff store: organisations, dossiers, consents, notes, audit trail and notification outbox.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGGERS = "'user_request', 'repeated_fallback', 'sensitive_topic', 'after_screening'"


def _dossier_fk() -> sa.Column:
    return sa.Column("dossier_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("intake_email", sa.String(254), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("on_console", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_organisation")),
    )
    op.create_table(
        "handoff_dossier",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("sender_id", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("region_code", sa.String(2), nullable=True),
        sa.Column("organisation_key", sa.String(80), nullable=True),
        sa.Column("queue", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(60), nullable=True),
        sa.Column("trigger", sa.String(30), nullable=False),
        sa.Column("project_summary", sa.Text(), nullable=True),
        sa.Column("screening_summary", sa.JSON(), nullable=True),
        sa.Column("contact_method", sa.String(10), nullable=True),
        sa.Column("contact_value", sa.String(254), nullable=True),
        sa.Column("availability", sa.String(300), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assignee", sa.String(120), nullable=True),
        sa.Column("referred_to", sa.String(200), nullable=True),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "contact_method IS NULL OR contact_method IN ('email', 'phone')",
            name=op.f("ck_handoff_dossier_contact_method"),
        ),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f("ck_handoff_dossier_language")),
        sa.CheckConstraint(
            "queue IN ('organisation', 'shared')", name=op.f("ck_handoff_dossier_queue")
        ),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'closed')", name=op.f("ck_handoff_dossier_status")
        ),
        sa.CheckConstraint(f"trigger IN ({TRIGGERS})", name=op.f("ck_handoff_dossier_trigger")),
        sa.ForeignKeyConstraint(
            ["organisation_key"],
            ["organisation.key"],
            name=op.f("fk_handoff_dossier_organisation_key_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_dossier")),
        sa.UniqueConstraint("reference", name=op.f("uq_handoff_dossier_reference")),
    )
    for column in ("assignee", "created_at", "organisation_key", "queue", "sender_id", "status"):
        op.create_index(op.f(f"ix_handoff_dossier_{column}"), "handoff_dossier", [column])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(12), nullable=True),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_audit_event_dossier_id_handoff_dossier"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    for column in ("at", "dossier_id", "reference"):
        op.create_index(op.f(f"ix_audit_event_{column}"), "audit_event", [column])
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _dossier_fk(),
        sa.Column("purpose", sa.String(30), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("wording_version", sa.String(40), nullable=False),
        sa.Column("granted_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('share_summary', 'share_transcript')", name=op.f("ck_consent_purpose")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_consent_dossier_id_handoff_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
        sa.UniqueConstraint("dossier_id", "purpose", name="uq_consent_dossier_id_purpose"),
    )
    op.create_table(
        "dossier_note",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _dossier_fk(),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_dossier_note_dossier_id_handoff_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_note")),
    )
    op.create_index(op.f("ix_dossier_note_dossier_id"), "dossier_note", ["dossier_id"])
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _dossier_fk(),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_notification_outbox_status")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_notification_outbox_dossier_id_handoff_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
    )
    op.create_index(
        op.f("ix_notification_outbox_dossier_id"), "notification_outbox", ["dossier_id"]
    )
    op.create_index(
        "ix_notification_outbox_due", "notification_outbox", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("notification_outbox")
    op.drop_table("dossier_note")
    op.drop_table("consent")
    op.drop_table("audit_event")
    op.drop_table("handoff_dossier")
    op.drop_table("organisation")
