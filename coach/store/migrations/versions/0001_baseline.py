"""Baseline: the tables of the home-made runner's schema version 2.

A database made by that runner (a `schema_version` table, no `alembic_version`)
is brought to version 2 by it, then stamped with this revision: nothing here
runs on it. A new database gets these tables from here. Never edit this file:
a change is a new revision (see docs/DEPLOY.md, "Adding a table").

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None


def _profile_fk() -> sa.ForeignKey:
    return sa.ForeignKey("profiles.id", ondelete="CASCADE")


def _document_table(name: str, document: str, written: str) -> None:
    """One JSON document per profile (the draft's answers, the plan) and when it was written."""
    op.create_table(
        name,
        sa.Column("profile_id", sa.Integer, _profile_fk(), primary_key=True),
        sa.Column(document, sa.JSON, nullable=False),
        sa.Column(written, sa.DateTime, nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False, unique=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hours_per_week", sa.Float, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("playbook_id", sa.String(100), nullable=False),
        sa.Column("regulated_sector", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("organisation_id", sa.String(64)),
        sa.Column("owner_id", sa.String(200)),
    )
    _document_table("drafts", "answers", "updated_at")
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, _profile_fk(), nullable=False),
        sa.Column("taken_at", sa.DateTime, nullable=False),
        sa.Column("playbook_id", sa.String(100), nullable=False),
        sa.Column("playbook_version", sa.String(40), nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
    )
    op.create_index("ix_assessments_profile", "assessments", ["profile_id", "taken_at"])
    _document_table("plans", "plan", "created_at")
    op.create_table(
        "step_states",
        sa.Column("profile_id", sa.Integer, _profile_fk(), primary_key=True),
        sa.Column("step_id", sa.String(200), primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("changed_on", sa.Date),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "goal_targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, _profile_fk(), nullable=False),
        sa.Column("goal_id", sa.String(200), nullable=False),
        sa.Column("target", sa.Float, nullable=False),
        sa.Column("set_on", sa.Date, nullable=False),
    )
    op.create_index("ix_goal_targets_profile", "goal_targets", ["profile_id", "goal_id", "id"])
    op.create_table(
        "checkins",
        sa.Column("profile_id", sa.Integer, _profile_fk(), primary_key=True),
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("posts", sa.Integer, nullable=False),
        sa.Column("received", sa.Integer, nullable=False),
        sa.Column("replies", sa.Integer, nullable=False),
        sa.Column("median_response_hours", sa.Float),
        sa.Column("followers", sa.Integer),
        sa.Column("mentions", sa.Integer),
        sa.Column("monitoring_sessions", sa.Integer),
        sa.Column("employee_touchpoints", sa.Integer),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("pulse_score", sa.Float),
        sa.Column("positive_mentions_pct", sa.Float),
        sa.Column("outcomes", sa.Integer),
    )
    revision_t = op.create_table(
        "revision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("counter", sa.Integer, nullable=False),
    )
    op.bulk_insert(revision_t, [{"id": 1, "counter": 0}])


def downgrade() -> None:
    raise NotImplementedError("the coach's migrations only go forward")
