"""The employees' side: pulse rounds and answers, employee links, link hits, inbox questions.

- `employee_links`: a link employees use (`pulse` or `inbox`); only the SHA-256
  digest of its token is kept;
- `link_hits`: accepted submissions through a link within the last rate window
  (rows older than that are deleted at each write); no address, no answer id;
- `pulse_rounds`: a round, with the playbook's pulse section pinned when it opened;
- `pulse_answers`: one anonymous answer: a random id, the day only, its release
  batch, the scores and texts; no row id on SQLite, so nothing records the order
  answers came in;
- `inbox_questions`: questions employees send and the manager's answers.

Deleting a profile deletes all of it (ON DELETE CASCADE). docs/PULSE.md explains each
column; coach/store/pulse.py is the repository.

Revision ID: 0003_employees
Revises: 0002_organisations
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_employees"
down_revision = "0002_organisations"

ID = 32  # random hex ids (uuid4)


def _owned_by(name: str, target: str, kind: Any) -> sa.Column[Any]:
    """The row's owner (a profile, a link, a round): required, and the row goes with it."""
    return sa.Column(name, kind, sa.ForeignKey(target, ondelete="CASCADE"), nullable=False)


def _profile_id() -> sa.Column[Any]:
    return _owned_by("profile_id", "profiles.id", sa.Integer)


def upgrade() -> None:
    op.create_table(
        "employee_links",
        sa.Column("id", sa.String(ID), primary_key=True),
        _profile_id(),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
    )
    op.create_index("ix_employee_links_profile", "employee_links", ["profile_id", "kind"])
    op.create_table(
        "link_hits",
        _owned_by("link_id", "employee_links.id", sa.String(ID)),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_link_hits_link", "link_hits", ["link_id", "at"])
    op.create_table(
        "pulse_rounds",
        sa.Column("id", sa.String(ID), primary_key=True),
        _profile_id(),
        sa.Column(
            "link_id", sa.String(ID), sa.ForeignKey("employee_links.id", ondelete="SET NULL")
        ),
        sa.Column("playbook_id", sa.String(100), nullable=False),
        sa.Column("playbook_version", sa.String(40), nullable=False),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("min_answers", sa.Integer, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date),
        sa.Column("source", sa.String(40), nullable=False),
    )
    op.create_index("ix_pulse_rounds_profile", "pulse_rounds", ["profile_id", "opened_on"])
    op.create_table(
        "pulse_answers",
        sa.Column("id", sa.String(ID), primary_key=True),
        _owned_by("round_id", "pulse_rounds.id", sa.String(ID)),
        sa.Column("answered_on", sa.Date, nullable=False),
        sa.Column("batch", sa.Integer, nullable=False),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("texts", sa.JSON, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_pulse_answers_round", "pulse_answers", ["round_id", "batch"])
    op.create_table(
        "inbox_questions",
        sa.Column("id", sa.String(ID), primary_key=True),
        _profile_id(),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("signed_by", sa.String(200)),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("answered_at", sa.DateTime),
        sa.Column("answer", sa.Text),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_inbox_questions_profile", "inbox_questions", ["profile_id", "received_at"])


def downgrade() -> None:
    for index, table in (
        ("ix_inbox_questions_profile", "inbox_questions"),
        ("ix_pulse_answers_round", "pulse_answers"),
        ("ix_pulse_rounds_profile", "pulse_rounds"),
        ("ix_link_hits_link", "link_hits"),
        ("ix_employee_links_profile", "employee_links"),
    ):
        op.drop_index(index, table_name=table)
        op.drop_table(table)
