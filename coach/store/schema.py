"""The tables the queries use (dialect-neutral SQLAlchemy Core types).

The schema itself is made by the Alembic revisions in `migrations/versions/`;
`METADATA` here must describe what they produce (a test compares the two on
both engines). The home-made runner of earlier versions (`LEGACY_MIGRATIONS`,
versions 1 and 2) is kept only to bring an old file to the baseline revision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    insert,
    text,
)

from coach.profile import MAX_NAME_CHARS

LEGACY_SCHEMA_VERSION = 2  # what revision 0001_baseline reproduces


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the backend keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:  # noqa: ARG002
        return None if value is None else value.replace(tzinfo=UTC)


def _profile_fk() -> ForeignKey:
    return ForeignKey("profiles.id", ondelete="CASCADE")


def _profile_columns(unique_name: bool | None = None) -> list[Column[Any]]:
    """A profile's own fields, as version 1 made them (the key, then the labels and facts);
    version 1 kept names unique in the whole file, the head within an organisation."""
    return [
        Column("id", Integer, primary_key=True),
        Column("name", String(MAX_NAME_CHARS), nullable=False, unique=unique_name),
        Column("language", String(5), nullable=False),
        Column("timezone", String(64), nullable=False),
        Column("hours_per_week", Float, nullable=False),
        Column("start_date", Date, nullable=False),
        Column("playbook_id", String(100), nullable=False),
        Column("regulated_sector", Boolean, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
    ]


def _document_table(md: MetaData, name: str, document: str, written: str) -> Table:
    """One JSON document per profile (the draft's answers, the plan) and when it was written."""
    return Table(
        name,
        md,
        Column("profile_id", _profile_fk(), primary_key=True),
        Column(document, JSON, nullable=False),
        Column(written, UTCDateTime, nullable=False),
    )


def _records_tables(md: MetaData, *checkin_columns: Column[Any]) -> list[Table]:
    """A profile's records, as version 1 made them: later versions only add check-in
    columns (`checkin_columns`), so version 1 and the head share these definitions."""
    return [
        _document_table(md, "drafts", "answers", "updated_at"),
        Table(
            "assessments",
            md,
            Column("id", Integer, primary_key=True),
            Column("profile_id", _profile_fk(), nullable=False),
            Column("taken_at", UTCDateTime, nullable=False),
            Column("playbook_id", String(100), nullable=False),
            Column("playbook_version", String(40), nullable=False),
            Column("answers", JSON, nullable=False),
            Column("result", JSON, nullable=False),
            Index("ix_assessments_profile", "profile_id", "taken_at"),
        ),
        _document_table(md, "plans", "plan", "created_at"),
        Table(
            "step_states",
            md,
            Column("profile_id", _profile_fk(), primary_key=True),
            Column("step_id", String(200), primary_key=True),
            Column("state", String(8), nullable=False),
            Column("changed_on", Date),
            Column("note", Text, nullable=False, default=""),
        ),
        Table(
            "goal_targets",
            md,
            Column("id", Integer, primary_key=True),
            Column("profile_id", _profile_fk(), nullable=False),
            Column("goal_id", String(200), nullable=False),
            Column("target", Float, nullable=False),
            Column("set_on", Date, nullable=False),
            Index("ix_goal_targets_profile", "profile_id", "goal_id", "id"),
        ),
        Table(
            "checkins",
            md,
            Column("profile_id", _profile_fk(), primary_key=True),
            Column("week", String(8), primary_key=True),
            Column("posts", Integer, nullable=False),
            Column("received", Integer, nullable=False),
            Column("replies", Integer, nullable=False),
            Column("median_response_hours", Float),
            Column("followers", Integer),
            Column("mentions", Integer),
            Column("monitoring_sessions", Integer),
            Column("employee_touchpoints", Integer),
            Column("note", Text, nullable=False),
            Column("source", String(60), nullable=False),
            *checkin_columns,
        ),
    ]


def _v1_tables(md: MetaData) -> dict[str, Table]:
    """Schema version 1. Never change what it makes: later changes are new migrations."""
    tables = [
        Table(
            "schema_version",
            md,
            Column("version", Integer, primary_key=True, autoincrement=False),
            Column("applied_at", UTCDateTime, nullable=False),
        ),
        Table("profiles", md, *_profile_columns(unique_name=True)),
        *_records_tables(md),
    ]
    return {table.name: table for table in tables}


def _v2_columns() -> dict[str, list[Column[Any]]]:
    """Version 2 adds nullable columns only, so every version-1 row stays valid.

    - check-ins: the perception pulse, the share of positive mentions, outcomes;
    - profiles: room for the company roll-out (an organisation and an owner who
      signs in); empty until then. Names stay labels: the key is `id`.
    """
    return {
        "checkins": [
            Column("pulse_score", Float),
            Column("positive_mentions_pct", Float),
            Column("outcomes", Integer),
        ],
        "profiles": [
            Column("organisation_id", String(64)),
            Column("owner_id", String(200)),
        ],
    }


def _revision_table(md: MetaData) -> Table:
    """One row whose counter every write transaction bumps: caches key on it."""
    return Table(
        "revision",
        md,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("counter", Integer, nullable=False),
    )


def _key_to(name: str, target: str) -> Column[Any]:
    """A key column that refers to another table's row: it goes when that row goes."""
    return Column(name, ForeignKey(target, ondelete="CASCADE"), primary_key=True)


def _granted(verb: str) -> list[Column[Any]]:
    """When a role or an assignment was given, and by whom (kept when that user goes)."""
    return [
        Column(f"{verb}_at", UTCDateTime, nullable=False),
        Column(f"{verb}_by", ForeignKey("users.id", ondelete="SET NULL")),
    ]


def current_tables(md: MetaData) -> dict[str, Table]:
    """The tables as of the head revision (what the revisions in migrations/versions/ make)."""
    user_fk = "users.id"
    tables = [
        Table(
            "organisations",
            md,
            Column("id", Integer, primary_key=True),
            Column("key", String(64), nullable=False, unique=True),
            Column("name", String(200), nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
        ),
        Table(
            "users",
            md,
            Column("id", Integer, primary_key=True),
            Column("issuer", String(400), nullable=False),
            Column("subject", String(255), nullable=False),
            Column("email", String(320), nullable=False),
            Column("name", String(200), nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
            Column("last_seen_at", UTCDateTime, nullable=False),
            Column("disabled_at", UTCDateTime),
            UniqueConstraint("issuer", "subject", name="uq_users_identity"),
        ),
        Table(
            "memberships",
            md,
            _key_to("organisation_id", "organisations.id"),
            _key_to("user_id", user_fk),
            Column("role", String(40), primary_key=True),
            *_granted("granted"),
        ),
        Table(
            "profiles",
            md,
            *_profile_columns(),
            Column(
                "organisation_id",
                ForeignKey("organisations.id", name="fk_profiles_organisation"),
                nullable=False,
            ),
            Column("owner_user_id", ForeignKey(user_fk, name="fk_profiles_owner"), nullable=False),
            Column("revision", Integer, nullable=False, server_default="0"),
            UniqueConstraint("organisation_id", "name", name="uq_profiles_org_name"),
            Index("ix_profiles_owner", "owner_user_id"),
        ),
        Table(
            "coach_assignments",
            md,
            _key_to("profile_id", "profiles.id"),
            _key_to("coach_user_id", user_fk),
            *_granted("assigned"),
            Index("ix_coach_assignments_coach", "coach_user_id"),
        ),
        Table(
            "audit_log",
            md,
            Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
            Column("at", UTCDateTime, nullable=False),
            Column("organisation_id", ForeignKey("organisations.id"), nullable=False),
            Column("actor_user_id", ForeignKey(user_fk, ondelete="SET NULL")),
            Column("action", String(40), nullable=False),
            Column("profile_id", Integer),  # no foreign key: the history outlives the profile
            Column("profile_label", String(60), nullable=False),
            Column("target", String(400), nullable=False),
            Column("detail", JSON, nullable=False),
            Index("ix_audit_log_organisation", "organisation_id", "at"),
            Index("ix_audit_log_profile", "profile_id", "at"),
        ),
        *_records_tables(md, *_v2_columns()["checkins"]),
        _revision_table(md),
    ]
    return {table.name: table for table in tables}


def _migrate_to_1(conn: Connection) -> None:
    md = MetaData()
    _v1_tables(md)
    md.create_all(conn)


def _migrate_to_2(conn: Connection) -> None:
    preparer = conn.dialect.identifier_preparer
    for table, columns in _v2_columns().items():
        for column in columns:
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(
                text(
                    f"ALTER TABLE {preparer.quote(table)} "
                    f"ADD COLUMN {preparer.quote(column.name)} {kind}"
                )
            )
    md = MetaData()
    revision = _revision_table(md)
    md.create_all(conn)
    conn.execute(insert(revision).values(id=1, counter=0))


# legacy version reached -> function that brings the previous version to it
LEGACY_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_to_1, 2: _migrate_to_2}
schema_version_t = _v1_tables(MetaData())["schema_version"]

METADATA = MetaData()
TABLES = current_tables(METADATA)
# a profile, its records and the store's revision (profiles.py, plans.py, checkins.py, db.py)
profiles_t = TABLES["profiles"]
drafts_t = TABLES["drafts"]
assessments_t = TABLES["assessments"]
plans_t = TABLES["plans"]
step_states_t = TABLES["step_states"]
goal_targets_t = TABLES["goal_targets"]
checkins_t = TABLES["checkins"]
revision_t = TABLES["revision"]
LOCAL_ORG_ID = 1  # the rows revision 0002 makes for local mode
LOCAL_USER_ID = 1
# organisations, users, their roles and assignments, the audit log (people.py)
organisations_t = TABLES["organisations"]
users_t = TABLES["users"]
memberships_t = TABLES["memberships"]
coach_assignments_t = TABLES["coach_assignments"]
audit_log_t = TABLES["audit_log"]
OWNED_TABLES = (
    drafts_t,
    assessments_t,
    plans_t,
    step_states_t,
    goal_targets_t,
    checkins_t,
    coach_assignments_t,
)

# The employees' side (pulse rounds and answers, employee links, inbox questions).
from coach.store.employee_tables import employee_tables  # noqa: E402 - it builds on the above

employee_tables(METADATA)
