"""Advisors' toolkit: a dossier's outcome, orientation sheets emailed with the person's consent,
answers flagged by advisors.

Revision ID: 0008
Revises: 0007_matchmaking
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0008"
down_revision = "0007_matchmaking"
branch_labels = None
depends_on = None

OUTCOMES = ("oriented", "referred", "coop_project_started", "not_pursued", "no_answer")


def upgrade() -> None:
    with op.batch_alter_table("handoff_dossier") as batch:
        batch.add_column(sa.Column("outcome", sa.String(30), nullable=True))
        batch.create_check_constraint(
            "outcome",
            "outcome IS NULL OR outcome IN (" + ", ".join(repr(o) for o in OUTCOMES) + ")",
        )
        batch.create_index(
            batch.f("ix_handoff_dossier_follow_up_date"), ["follow_up_date"], unique=False
        )
    with op.batch_alter_table("notification_outbox") as batch:
        batch.add_column(sa.Column("attachment_name", sa.String(120), nullable=True))
        batch.add_column(sa.Column("attachment", sa.LargeBinary(), nullable=True))
    op.create_table(
        "sheet_email",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("consent_wording_version", sa.String(40), nullable=False),
        sa.Column("consented_at", UTCDateTime(), nullable=False),
        sa.Column("advisor", sa.String(120), nullable=False),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f("ck_sheet_email_language")),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_sheet_email_dossier_id_handoff_dossier"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["notification_outbox.id"],
            name=op.f("fk_sheet_email_outbox_id_notification_outbox"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_email")),
    )
    op.create_index(op.f("ix_sheet_email_dossier_id"), "sheet_email", ["dossier_id"])
    op.create_table(
        "answer_flag",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("message_index", sa.Integer(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("flagged_by", sa.String(120), nullable=False),
        sa.Column("flagged_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_by", sa.String(120), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("kind IN ('wrong', 'outdated')", name=op.f("ck_answer_flag_kind")),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["handoff_dossier.id"],
            name=op.f("fk_answer_flag_dossier_id_handoff_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_flag")),
    )
    op.create_index(op.f("ix_answer_flag_dossier_id"), "answer_flag", ["dossier_id"])
    op.create_index(op.f("ix_answer_flag_resolved_at"), "answer_flag", ["resolved_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_answer_flag_resolved_at"), table_name="answer_flag")
    op.drop_index(op.f("ix_answer_flag_dossier_id"), table_name="answer_flag")
    op.drop_table("answer_flag")
    op.drop_index(op.f("ix_sheet_email_dossier_id"), table_name="sheet_email")
    op.drop_table("sheet_email")
    with op.batch_alter_table("notification_outbox") as batch:
        batch.drop_column("attachment")
        batch.drop_column("attachment_name")
    with op.batch_alter_table("handoff_dossier") as batch:
        batch.drop_index(batch.f("ix_handoff_dossier_follow_up_date"))
        batch.drop_constraint("outcome", type_="check")
        batch.drop_column("outcome")
