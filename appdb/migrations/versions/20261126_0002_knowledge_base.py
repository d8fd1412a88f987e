"""Knowledge base: loaded entries and the unanswered-question counter.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_entry",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(60), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("verified", sa.Date(), nullable=False),
        sa.Column("source_file", sa.String(300), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_entry")),
    )
    op.create_index(op.f("ix_kb_entry_kind"), "kb_entry", ["kind"])
    op.create_index(op.f("ix_kb_entry_topic"), "kb_entry", ["topic"])
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("topic", sa.String(60), nullable=True),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_question")),
        sa.UniqueConstraint("question", "lang", name="uq_unanswered_question_question_lang"),
    )
    op.create_index(op.f("ix_unanswered_question_topic"), "unanswered_question", ["topic"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unanswered_question_topic"), table_name="unanswered_question")
    op.drop_table("unanswered_question")
    op.drop_index(op.f("ix_kb_entry_topic"), table_name="kb_entry")
    op.drop_index(op.f("ix_kb_entry_kind"), table_name="kb_entry")
    op.drop_table("kb_entry")
