"""Before you post: a profile's "never say" list and the drafts saved to it.

`never_say_phrases` holds one row per phrase of a profile's list, in the order added;
`post_drafts` a draft the manager saved: its text, network, the verdict it had, when it
was saved, and a version counter that every change moves on. Deleting a profile deletes
both (ON DELETE CASCADE, and the store deletes them explicitly too). The tables as the
queries see them, and the repository, are in coach/store/drafts.py.

Revision ID: 0004_drafts, after 0003_employees (2026-12-01).
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

revision = "0004_drafts"
down_revision = "0003_employees"


def upgrade() -> None:
    owner = ForeignKey("profiles.id", ondelete="CASCADE")
    op.create_table(
        "never_say_phrases",
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, owner, nullable=False),
        Column("phrase", String(200), nullable=False),
        Column("added_at", DateTime, nullable=False),
    )
    op.create_index("ix_never_say_phrases_profile", "never_say_phrases", ["profile_id", "id"])
    owner = ForeignKey("profiles.id", ondelete="CASCADE")  # one constraint object per table
    op.create_table(
        "post_drafts",
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, owner, nullable=False),
        Column("saved_at", DateTime, nullable=False),
        Column("version", Integer, nullable=False),
        Column("network", String(16), nullable=False),
        Column("verdict", String(8), nullable=False),
        Column("text", Text, nullable=False),
    )
    op.create_index("ix_post_drafts_profile", "post_drafts", ["profile_id", "saved_at"])


def downgrade() -> None:
    for table in ("post_drafts", "never_say_phrases"):
        op.drop_index(f"ix_{table}_profile", table_name=table)
        op.drop_table(table)
