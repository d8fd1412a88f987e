"""Consents record the version of the privacy notice shown in the conversation.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: consents given before this revision were not recorded with a notice version.
    with op.batch_alter_table("consent") as batch:
        batch.add_column(sa.Column("notice_version", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consent") as batch:
        batch.drop_column("notice_version")
