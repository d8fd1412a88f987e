"""Partner matchmaking: profiles, projects looking for members, introductions and their notes.

Other branches add revisions on top of 0006 too; the lead re-chains heads when merging.

Revision ID: 0007_matchmaking
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

from appdb.base import UTCDateTime

revision = "0007_matchmaking"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_profile",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("sender_id", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("last_activity_at", UTCDateTime(), nullable=False),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("intent", sa.String(length=20), nullable=True),
        sa.Column("project_text", sa.Text(), nullable=True),
        sa.Column("text_reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("text_reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("sector", sa.String(length=30), nullable=True),
        sa.Column("region_code", sa.String(length=2), nullable=True),
        sa.Column("reach", sa.String(length=20), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("roles_sought", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("skills", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("skills_sought", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("languages", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("availability", sa.String(length=30), nullable=True),
        sa.Column("organisation_key", sa.String(length=80), nullable=True),
        sa.Column("contact_method", sa.String(length=10), nullable=True),
        sa.Column("contact_value", sa.String(length=254), nullable=True),
        sa.Column("consent_wording_version", sa.String(length=40), nullable=False),
        sa.Column("notice_version", sa.String(length=40), nullable=False),
        sa.Column("consented_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f("ck_match_profile_language")),
        sa.CheckConstraint("status IN ('active', 'paused')", name=op.f("ck_match_profile_status")),
        sa.ForeignKeyConstraint(
            ["organisation_key"],
            ["organisation.key"],
            name=op.f("fk_match_profile_organisation_key_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_profile")),
        sa.UniqueConstraint("reference", name=op.f("uq_match_profile_reference")),
    )
    with op.batch_alter_table("match_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_profile_last_activity_at"), ["last_activity_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_profile_organisation_key"), ["organisation_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_profile_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_profile_sender_id"), ["sender_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_profile_status"), ["status"], unique=False)

    op.create_table(
        "match_project",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("organisation_key", sa.String(length=80), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=True),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("roles_sought", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("skills_sought", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("languages", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("availability", sa.String(length=30), nullable=True),
        sa.CheckConstraint("language IN ('fr', 'en')", name=op.f("ck_match_project_language")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_match_project_status")),
        sa.ForeignKeyConstraint(
            ["organisation_key"],
            ["organisation.key"],
            name=op.f("fk_match_project_organisation_key_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_project")),
        sa.UniqueConstraint("reference", name=op.f("uq_match_project_reference")),
    )
    with op.batch_alter_table("match_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_project_organisation_key"), ["organisation_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_project_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_project_status"), ["status"], unique=False)

    op.create_table(
        "match_introduction",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("profile_a_id", sa.Integer(), nullable=False),
        sa.Column("profile_b_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("answer_a", sa.String(length=3), nullable=True),
        sa.Column("answer_b", sa.String(length=3), nullable=True),
        sa.Column("answered_a_at", UTCDateTime(), nullable=True),
        sa.Column("answered_b_at", UTCDateTime(), nullable=True),
        sa.Column("met_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("suggestion", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint(
            "answer_a IS NULL OR answer_a IN ('yes', 'no')",
            name=op.f("ck_match_introduction_answer_a"),
        ),
        sa.CheckConstraint(
            "answer_b IS NULL OR answer_b IN ('yes', 'no')",
            name=op.f("ck_match_introduction_answer_b"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN "
            "('founding_together', 'joined_project', 'no_follow_up', 'other')",
            name=op.f("ck_match_introduction_outcome"),
        ),
        sa.CheckConstraint(
            "state IN "
            "('proposed', 'accepted_by_one', 'accepted_by_both', 'declined', 'met', 'outcome')",
            name=op.f("ck_match_introduction_state"),
        ),
        sa.CheckConstraint(
            "(profile_b_id IS NULL) <> (project_id IS NULL)",
            name=op.f("ck_match_introduction_one_other_side"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_a_id"],
            ["match_profile.id"],
            name=op.f("fk_match_introduction_profile_a_id_match_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_b_id"],
            ["match_profile.id"],
            name=op.f("fk_match_introduction_profile_b_id_match_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["match_project.id"],
            name=op.f("fk_match_introduction_project_id_match_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_introduction")),
        sa.UniqueConstraint("reference", name=op.f("uq_match_introduction_reference")),
    )
    with op.batch_alter_table("match_introduction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_introduction_profile_a_id"), ["profile_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_introduction_profile_b_id"), ["profile_b_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_introduction_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_match_introduction_state"), ["state"], unique=False)

    op.create_table(
        "match_note",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["match_introduction.id"],
            name=op.f("fk_match_note_introduction_id_match_introduction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_note")),
    )
    with op.batch_alter_table("match_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_note_introduction_id"), ["introduction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("match_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_note_introduction_id"))

    op.drop_table("match_note")
    with op.batch_alter_table("match_introduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_introduction_state"))
        batch_op.drop_index(batch_op.f("ix_match_introduction_project_id"))
        batch_op.drop_index(batch_op.f("ix_match_introduction_profile_b_id"))
        batch_op.drop_index(batch_op.f("ix_match_introduction_profile_a_id"))

    op.drop_table("match_introduction")
    with op.batch_alter_table("match_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_project_status"))
        batch_op.drop_index(batch_op.f("ix_match_project_region_code"))
        batch_op.drop_index(batch_op.f("ix_match_project_organisation_key"))

    op.drop_table("match_project")
    with op.batch_alter_table("match_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_profile_status"))
        batch_op.drop_index(batch_op.f("ix_match_profile_sender_id"))
        batch_op.drop_index(batch_op.f("ix_match_profile_region_code"))
        batch_op.drop_index(batch_op.f("ix_match_profile_organisation_key"))
        batch_op.drop_index(batch_op.f("ix_match_profile_last_activity_at"))

    op.drop_table("match_profile")
