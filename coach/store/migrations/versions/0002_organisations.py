"""Organisations, users, roles, coach assignments, an append-only audit log; local mode as rows.

- `organisations`, `users` (one per identity provider issuer + subject),
  `memberships` (one row per organisation, user and role; roles are text),
  `coach_assignments` (which coach sees which profile), `audit_log`.
- The organisation `local` and its user `local#me` (manager and admin) are rows:
  every existing profile becomes theirs, so local mode is no special case.
- `profiles` gains `owner_user_id` and `revision` (bumped with every change to the
  profile, for caches and lost-update checks); the placeholder text columns
  `organisation_id` / `owner_id` of schema version 2, never written, become an
  integer `organisation_id` and go; a name is unique within its organisation.

Revision ID: 0002_organisations
Revises: 0001_baseline
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002_organisations"
down_revision = "0001_baseline"


def _key_to(name: str, target: str) -> sa.Column[int]:
    """A key column that refers to another table's row: it goes when that row goes."""
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True)


def _granted(verb: str) -> list[sa.Column[Any]]:
    """When a role or an assignment was given, and by whom (kept when that user goes)."""
    return [
        sa.Column(f"{verb}_at", sa.DateTime, nullable=False),
        sa.Column(f"{verb}_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    ]


def upgrade() -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    organisations = op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issuer", sa.String(400), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("disabled_at", sa.DateTime),
        sa.UniqueConstraint("issuer", "subject", name="uq_users_identity"),
    )
    memberships = op.create_table(
        "memberships",
        _key_to("organisation_id", "organisations.id"),
        _key_to("user_id", "users.id"),
        sa.Column("role", sa.String(40), primary_key=True),
        *_granted("granted"),
    )
    op.create_table(
        "coach_assignments",
        _key_to("profile_id", "profiles.id"),
        _key_to("coach_user_id", "users.id"),
        *_granted("assigned"),
    )
    op.create_index("ix_coach_assignments_coach", "coach_assignments", ["coach_user_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("actor_user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("profile_id", sa.Integer),  # no foreign key: the history outlives the profile
        sa.Column("profile_label", sa.String(60), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_log_organisation", "audit_log", ["organisation_id", "at"])
    op.create_index("ix_audit_log_profile", "audit_log", ["profile_id", "at"])

    op.bulk_insert(organisations, [{"id": 1, "key": "local", "name": "Local", "created_at": now}])
    op.bulk_insert(
        users,
        [
            {
                "id": 1,
                "issuer": "local",
                "subject": "me",
                "email": "",
                "name": "",
                "created_at": now,
                "last_seen_at": now,
            }
        ],
    )
    op.bulk_insert(
        memberships,
        [
            {"organisation_id": 1, "user_id": 1, "role": role, "granted_at": now}
            for role in ("manager", "admin")
        ],
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # explicit ids above: move the sequences past them
        for table in ("organisations", "users"):
            op.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )

    # profiles: the placeholder columns go, the real ones come (filled before NOT NULL)
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("owner_id")
        batch.drop_column("organisation_id")
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer))
        batch.add_column(sa.Column("owner_user_id", sa.Integer))
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE profiles SET organisation_id = 1, owner_user_id = 1")
    unique_name = "profiles_name_key" if bind.dialect.name == "postgresql" else "uq_profiles_name"
    with op.batch_alter_table(
        "profiles", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}
    ) as batch:
        batch.alter_column("organisation_id", existing_type=sa.Integer, nullable=False)
        batch.alter_column("owner_user_id", existing_type=sa.Integer, nullable=False)
        batch.create_foreign_key(
            "fk_profiles_organisation", "organisations", ["organisation_id"], ["id"]
        )
        batch.create_foreign_key("fk_profiles_owner", "users", ["owner_user_id"], ["id"])
        batch.drop_constraint(unique_name, type_="unique")
        batch.create_unique_constraint("uq_profiles_org_name", ["organisation_id", "name"])
    op.create_index("ix_profiles_owner", "profiles", ["owner_user_id"])


def downgrade() -> None:
    raise NotImplementedError("the coach's migrations only go forward")
