"""Advisors' console: users, server-side sessions, login attempts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("organisation_key", sa.String(80), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("api_token_hash", sa.String(64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("last_login_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("role IN ('advisor', 'admin')", name=op.f("ck_console_user_role")),
        sa.CheckConstraint(
            "role = 'admin' OR organisation_key IS NOT NULL",
            name=op.f("ck_console_user_advisor_org"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_key"],
            ["organisation.key"],
            name=op.f("fk_console_user_organisation_key_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_user")),
        sa.UniqueConstraint("username", name=op.f("uq_console_user_username")),
        sa.UniqueConstraint("api_token_hash", name=op.f("uq_console_user_api_token_hash")),
    )
    op.create_index(op.f("ix_console_user_organisation_key"), "console_user", ["organisation_key"])
    op.create_table(
        "console_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["console_user.id"],
            name=op.f("fk_console_session_user_id_console_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_session")),
    )
    op.create_index(op.f("ix_console_session_user_id"), "console_session", ["user_id"])
    op.create_table(
        "console_login_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_login_attempt")),
    )
    for column in ("at", "username", "address"):
        op.create_index(
            op.f(f"ix_console_login_attempt_{column}"), "console_login_attempt", [column]
        )


def downgrade() -> None:
    op.drop_table("console_login_attempt")
    op.drop_table("console_session")
    op.drop_table("console_user")
