"""Before you post: a profile's "never say" list and the drafts saved to it.

- `never_say_phrases`: one row per phrase of a profile's list, in the order added;
- `post_drafts`: a draft the manager saved (its text, network, language, the verdict it
  had, when it was saved, a version counter that every change moves on).

Deleting a profile deletes both (ON DELETE CASCADE, and the store deletes them explicitly).
coach/store/drafts.py holds the tables as the queries see them and the repository.

Revision ID: 0004_drafts
Revises: 0003_employees
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_drafts"
down_revision = "0003_employees"
branch_labels = None
depends_on = None


def _profile_fk() -> sa.ForeignKey:
    return sa.ForeignKey("profiles.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "never_say_phrases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, _profile_fk(), nullable=False),
        sa.Column("phrase", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_never_say_phrases_profile", "never_say_phrases", ["profile_id", "id"])
    op.create_table(
        "post_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, _profile_fk(), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("network", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("verdict", sa.String(8), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_post_drafts_profile", "post_drafts", ["profile_id", "saved_at"])


def downgrade() -> None:
    op.drop_index("ix_post_drafts_profile", table_name="post_drafts")
    op.drop_table("post_drafts")
    op.drop_index("ix_never_say_phrases_profile", table_name="never_say_phrases")
    op.drop_table("never_say_phrases")
