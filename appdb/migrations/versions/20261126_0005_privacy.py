"""Privacy: destruction log and confidentiality-incident register.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "destruction_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.CheckConstraint(
            "trigger IN ('retention', 'erasure_request')", name=op.f("ck_destruction_log_trigger")
        ),
        sa.CheckConstraint("count >= 0", name=op.f("ck_destruction_log_count")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destruction_log")),
    )
    for column in ("at", "run_id"):
        op.create_index(op.f(f"ix_destruction_log_{column}"), "destruction_log", [column])
    op.create_table(
        "confidentiality_incident",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("information_concerned", sa.Text(), nullable=False),
        sa.Column("circumstances", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("occurred_until", sa.Date(), nullable=True),
        sa.Column("occurred_approximate", sa.Boolean(), nullable=False),
        sa.Column("discovered_on", sa.Date(), nullable=False),
        sa.Column("discovered_until", sa.Date(), nullable=True),
        sa.Column("persons_concerned", sa.Integer(), nullable=False),
        sa.Column("persons_approximate", sa.Boolean(), nullable=False),
        sa.Column("risk_assessment", sa.Text(), nullable=False),
        sa.Column("serious_injury_risk", sa.Boolean(), nullable=False),
        sa.Column("cai_notified_on", sa.Date(), nullable=True),
        sa.Column("persons_notified_on", sa.Date(), nullable=True),
        sa.Column("public_notice", sa.Boolean(), nullable=False),
        sa.Column("public_notice_reason", sa.Text(), nullable=True),
        sa.Column("measures_taken", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "persons_concerned >= 0", name=op.f("ck_confidentiality_incident_persons_concerned")
        ),
        sa.CheckConstraint(
            "occurred_until IS NULL OR occurred_until >= occurred_on",
            name=op.f("ck_confidentiality_incident_occurred_period"),
        ),
        sa.CheckConstraint(
            "discovered_until IS NULL OR discovered_until >= discovered_on",
            name=op.f("ck_confidentiality_incident_discovered_period"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidentiality_incident")),
    )
    op.create_index(
        op.f("ix_confidentiality_incident_recorded_at"), "confidentiality_incident", ["recorded_at"]
    )


def downgrade() -> None:
    op.drop_table("confidentiality_incident")
    op.drop_table("destruction_log")
