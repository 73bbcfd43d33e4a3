"""The employees' tables as the queries see them (the Alembic revision 0003_employees makes them).

Registered on `coach.store.schema.METADATA` by the last lines of schema.py, so the
store's check that an upgraded database holds exactly the tables the queries use
covers them too. coach/store/pulse.py holds the queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, MetaData, String, Table, Text

from coach.store.schema import UTCDateTime

ID_CHARS = 32  # a random hex id (uuid4 without dashes)
MAX_TOKEN_HASH = 64
MAX_SOURCE = 40
EMPLOYEE_TABLES = (
    "employee_links",
    "link_hits",
    "pulse_rounds",
    "pulse_answers",
    "inbox_questions",
)


def _owned_by(name: str, target: str, kind: Any) -> Column[Any]:
    """The row's owner (a profile, a link, a round): required, and the row goes with it."""
    return Column(name, kind, ForeignKey(target, ondelete="CASCADE"), nullable=False)


def _profile_id() -> Column[Any]:
    return _owned_by("profile_id", "profiles.id", Integer)


def employee_tables(md: MetaData) -> dict[str, Table]:
    """The tables as the revision creates them (the queries below use these)."""
    tables = [
        Table(
            "employee_links",
            md,
            Column("id", String(ID_CHARS), primary_key=True),
            _profile_id(),
            Column("kind", String(8), nullable=False),
            Column("token_hash", String(MAX_TOKEN_HASH), nullable=False, unique=True),
            Column("created_at", UTCDateTime, nullable=False),
            Column("expires_at", UTCDateTime),
            Column("closed_at", UTCDateTime),
            Index("ix_employee_links_profile", "profile_id", "kind"),
        ),
        Table(
            "link_hits",
            md,
            _owned_by("link_id", "employee_links.id", String(ID_CHARS)),
            Column("at", UTCDateTime, nullable=False),
            Index("ix_link_hits_link", "link_id", "at"),
        ),
        Table(
            "pulse_rounds",
            md,
            Column("id", String(ID_CHARS), primary_key=True),
            _profile_id(),
            Column(
                "link_id", String(ID_CHARS), ForeignKey("employee_links.id", ondelete="SET NULL")
            ),
            Column("playbook_id", String(100), nullable=False),
            Column("playbook_version", String(40), nullable=False),
            Column("questions", JSON, nullable=False),  # the pulse section pinned at opening
            Column("min_answers", Integer, nullable=False),
            Column("opened_on", Date, nullable=False),
            Column("closes_on", Date, nullable=False),
            Column("closed_on", Date),
            Column("source", String(MAX_SOURCE), nullable=False),
            Index("ix_pulse_rounds_profile", "profile_id", "opened_on"),
        ),
        Table(
            "pulse_answers",
            md,
            Column("id", String(ID_CHARS), primary_key=True),
            _owned_by("round_id", "pulse_rounds.id", String(ID_CHARS)),
            Column("answered_on", Date, nullable=False),
            Column("batch", Integer, nullable=False),
            Column("scores", JSON, nullable=False),
            Column("texts", JSON, nullable=False),
            Index("ix_pulse_answers_round", "round_id", "batch"),
            sqlite_with_rowid=False,  # no hidden counter telling the order answers came in
        ),
        Table(
            "inbox_questions",
            md,
            Column("id", String(ID_CHARS), primary_key=True),
            _profile_id(),
            Column("received_at", UTCDateTime, nullable=False),
            Column("text", Text, nullable=False),
            Column("signed_by", String(200)),
            Column("state", String(24), nullable=False),
            Column("answered_at", UTCDateTime),
            Column("answer", Text),
            Column("updated_at", UTCDateTime, nullable=False),
            Index("ix_inbox_questions_profile", "profile_id", "received_at"),
        ),
    ]
    return {table.name: table for table in tables}
