"""Who sees and changes what, through the application layer, on SQLite and PostgreSQL.

Alice and Bruno are managers of the organisation `acme`; Claire coaches Alice;
Dana administers. Every use case called by a stranger is refused and writes
nothing (audit log included); every audited change carries its actor.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from sqlalchemy import text

from coach import access, service
from coach.access import Forbidden
from coach.checkin import CheckIn
from coach.errors import CoachError
from coach.store import Store
from tests import dbs
from tests.service_kit import FROZEN_AT, FROZEN_DAY

db_url = dbs.db_url
pg_schemas = dbs.pg_schemas
pg_schema_url = dbs.pg_schema_url

ISSUER = "https://login.acme.example"
PEOPLE = {"alice": ["manager"], "bruno": ["manager"], "claire": ["coach"], "dana": ["admin"]}
TABLES = (
    "profiles",
    "drafts",
    "assessments",
    "plans",
    "step_states",
    "goal_targets",
    "checkins",
    "coach_assignments",
    "memberships",
    "audit_log",
)


def claims(who: str) -> dict[str, Any]:
    return {"iss": ISSUER, "sub": f"sub-{who}", "email": f"{who}@acme.example", "name": who.title()}


class World:
    def __init__(self, store: Store) -> None:
        self.store = store
        org = store.ensure_organisation("acme", "Acme")
        for who, roles in PEOPLE.items():
            uid = store.upsert_user(ISSUER, f"sub-{who}", f"{who}@acme.example", who.title())
            for role in roles:
                store.set_role(org, uid, role, True, None)
        self.users = {who: service.sign_in(store, claims(who)) for who in PEOPLE}
        self.alice_profile = service.create_demo(self.as_("alice"), "en", today=FROZEN_DAY)
        self.alice_profile = service.change_profile(
            self.as_("alice"), self.alice_profile, new_name="Alice"
        ).profile
        self.bruno_profile = service.create_profile(self.as_("bruno"), "Bruno", language="en")
        service.assign_coach(self.as_("dana"), "Alice", f"{ISSUER}#sub-claire")

    def as_(self, who: str) -> Any:
        """The store as `who` uses it, their roles read now (as the app does each rerun)."""
        user = service.current_user(self.store, self.users[who].identity, f"{who}@acme.example")
        return service.for_user(self.store, user)

    def counts(self) -> dict[str, int]:
        with self.store.db.engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self.store.db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]


@pytest.fixture
def world(db_url: str):
    with time_machine.travel(FROZEN_AT, tick=False), Store(db_url) as store:
        yield World(store)


def first_step(world: World) -> str:
    stored = world.store.get_plan(world.alice_profile.id)
    assert stored is not None
    return next(s.id for s in stored.plan.steps if stored.states[s.id].state == "todo")


def test_each_manager_lists_only_their_own_profile_and_a_coach_only_assigned_ones(world):
    names = {who: [p.name for p in world.as_(who).list_profiles()] for who in PEOPLE}
    assert names == {"alice": ["Alice"], "bruno": ["Bruno"], "claire": ["Alice"], "dana": []}
    assert [p.name for p in world.as_("dana").assignable_profiles()] == ["Alice", "Bruno"]
    assert world.store.list_profiles() == []  # the local organisation has none of acme's


# Every use case a page, the CLI or an export can call on a profile: (name, call).
USE_CASES: list[tuple[str, Callable[[Any, World], Any]]] = [
    ("snapshot", lambda s, w: service.snapshot(s, w.alice_profile.id, "en")),
    ("status (get_profile)", lambda s, w: s.get_profile("Alice")),
    ("save_answers", lambda s, w: service.save_answers(s, w.alice_profile.id, {"q": 1})),
    (
        "change_profile",
        lambda s, w: service.change_profile(s, w.alice_profile.id, hours_per_week=5),
    ),
    ("rename", lambda s, w: service.change_profile(s, w.alice_profile.id, new_name="Mine")),
    (
        "save_week",
        lambda s, w: service.save_week(s, w.alice_profile.id, "2026-W46", {"posts": 9}),
    ),
    (
        "set_step_state",
        lambda s, w: service.set_step_state(s, w.alice_profile.id, first_step(w), "done"),
    ),
    (
        "set_goal_target",
        lambda s, w: service.set_goal_target(s, w.alice_profile.id, "posts-per-week", 9),
    ),
    ("delete_profile", lambda s, w: service.delete_profile(s, w.alice_profile.id)),
    ("export_profile", lambda s, w: service.export_profile(s, w.alice_profile.id)),
    ("build_pack", lambda s, w: service.build_pack(s, w.alice_profile.id, "en")),
    ("record_export", lambda s, w: service.record_export(s, w.alice_profile.id, "pack")),
    (
        "import over it",
        lambda s, w: service.import_profile(
            s, w.store.export_profile(w.alice_profile.id) | {}, replace=True
        ),
    ),
    (
        "apply_import",
        lambda s, w: s.save_checkins_rechecked(
            w.alice_profile.id, lambda saved: [CheckIn("2026-W46", posts=1)]
        ),
    ),
    ("delete_checkin", lambda s, w: s.delete_checkin(w.alice_profile.id, "2026-W40")),
    ("audit_log of the profile", lambda s, w: service.audit_log(s, w.alice_profile.id)),
    ("by name", lambda s, w: service.save_week(s, "Alice", "2026-W46", {"posts": 9})),
]


@pytest.mark.parametrize(("name", "call"), USE_CASES, ids=[n for n, _ in USE_CASES])
def test_a_stranger_is_refused_everything_and_nothing_is_written(world, name, call):
    before = world.counts()
    revision = world.store.profile_revision(world.alice_profile.id)
    bruno = world.as_("bruno")
    with pytest.raises(CoachError) as info:
        call(bruno, world)
    assert isinstance(info.value, Forbidden | CoachError)
    assert info.value.key in ("access.error.forbidden", "tracking.error.unknown_profile")
    assert world.counts() == before, name
    assert world.store.profile_revision(world.alice_profile.id) == revision


def test_by_name_a_profile_of_the_organisation_is_refused_not_revealed(world):
    with pytest.raises(Forbidden):
        world.as_("bruno").get_profile(
            "Alice"
        )  # names are the organisation's: refused, not "unknown"


def test_the_assigned_coach_reads_and_changes_but_may_not_delete_or_replace(world):
    claire = world.as_("claire")
    snap = service.snapshot(claire, world.alice_profile.id, "en")
    assert snap.profile.name == "Alice"
    service.set_step_state(claire, world.alice_profile.id, first_step(world), "done")
    with pytest.raises(Forbidden):
        service.delete_profile(claire, world.alice_profile.id)
    with pytest.raises(Forbidden):
        service.snapshot(claire, world.bruno_profile.id, "en")


def test_an_admin_manages_but_does_not_read_a_managers_coaching(world):
    dana = world.as_("dana")
    with pytest.raises(Forbidden):
        service.snapshot(dana, world.alice_profile.id, "en")
    with pytest.raises(Forbidden):
        service.set_role(world.as_("alice"), f"{ISSUER}#sub-bruno", "admin")
    assert service.set_role(dana, f"{ISSUER}#sub-bruno", "coach") is True
    service.assign_coach(dana, "Alice", f"{ISSUER}#sub-bruno")
    assert [p.name for p in world.as_("bruno").list_profiles()] == ["Alice", "Bruno"]
    service.assign_coach(dana, "Alice", f"{ISSUER}#sub-bruno", assigned=False)
    assert [p.name for p in world.as_("bruno").list_profiles()] == ["Bruno"]
    with pytest.raises(CoachError) as info:
        service.assign_coach(dana, "Bruno", f"{ISSUER}#sub-alice")  # alice is no coach
    assert info.value.key == "access.error.not_coach"


def test_changes_are_audited_with_their_actor_in_the_same_transaction(world):
    step = first_step(world)
    service.set_step_state(world.as_("claire"), world.alice_profile.id, step, "done")
    service.set_goal_target(world.as_("alice"), world.alice_profile.id, "posts-per-week", 4)
    service.save_week(world.as_("alice"), world.alice_profile.id, "2026-W46", {"posts": 3})
    service.record_export(world.as_("alice"), world.alice_profile.id, "pack", {"format": "pdf"})
    entries = service.audit_log(world.as_("alice"), world.alice_profile.id)
    seen = [(e.actor, e.action, e.target) for e in entries[:4]]
    assert seen == [
        ("alice@acme.example", "export.pack", ""),
        ("alice@acme.example", "checkin.save", "2026-W46"),
        ("alice@acme.example", "goal.target", "posts-per-week"),
        ("claire@acme.example", "step.state", step),
    ]
    assert entries[3].detail == {"before": "todo", "after": "done"}
    org_log = service.audit_log(world.as_("dana"))
    assert {"role.grant", "assignment.add", "profile.create"} <= {e.action for e in org_log}
    with pytest.raises(Forbidden):
        service.audit_log(world.as_("claire"))  # the organisation's log is its admins'


def test_a_refused_change_leaves_no_audit_row_and_a_failed_change_none_either(world):
    before = world.counts()["audit_log"]
    with pytest.raises(CoachError):
        service.set_goal_target(world.as_("alice"), world.alice_profile.id, "posts-per-week", -1)
    with pytest.raises(CoachError):
        service.set_step_state(world.as_("alice"), world.alice_profile.id, "no-such-step", "done")
    assert world.counts()["audit_log"] == before


def test_a_change_from_an_older_view_is_refused_and_writes_nothing(world):
    alice = world.as_("alice")
    seen = alice.profile_revision(world.alice_profile.id)
    step = first_step(world)
    service.set_step_state(world.as_("claire"), world.alice_profile.id, step, "doing")
    with pytest.raises(CoachError) as info:
        service.set_step_state(alice, world.alice_profile.id, step, "done", seen_revision=seen)
    assert info.value.key == "tracking.error.changed_meanwhile"
    assert "nothing was saved" in info.value.message("en")
    assert world.store.get_plan(world.alice_profile.id).states[step].state == "doing"
    fresh = alice.profile_revision(world.alice_profile.id)
    service.set_step_state(alice, world.alice_profile.id, step, "done", seen_revision=fresh)
    assert world.store.get_plan(world.alice_profile.id).states[step].state == "done"


def test_sign_in_refreshes_labels_and_refuses_non_members_and_disabled_users(world):
    with pytest.raises(service.NotMember) as info:
        service.sign_in(world.store, claims("erin"))
    message = info.value.message("en")
    assert "erin@acme.example" in message and f"{ISSUER}#sub-erin" in message
    renamed = claims("alice") | {"email": "Alice.New@Acme.example"}
    assert service.sign_in(world.store, renamed).email == "alice.new@acme.example"
    assert world.rows("SELECT count(*) FROM users WHERE subject = 'sub-alice'") == [(1,)]
    service.set_disabled(world.as_("dana"), f"{ISSUER}#sub-bruno")
    with pytest.raises(service.NotMember):
        service.sign_in(world.store, claims("bruno"))
    with pytest.raises(service.NotMember):
        world.as_("bruno")


def test_a_revoked_role_takes_effect_on_the_next_request(world):
    service.set_role(world.as_("dana"), f"{ISSUER}#sub-claire", "coach", granted=False)
    with pytest.raises(service.NotMember):
        service.current_user(world.store, world.users["claire"].identity)


def test_local_mode_is_the_local_user_owning_every_local_profile(tmp_path):
    with Store(tmp_path / "local.db") as store:
        store.create_profile("Moi")
        local = service.for_user(store, access.LOCAL_USER)
        assert [p.name for p in local.list_profiles()] == ["Moi"]
        service.save_week(local, "Moi", "2026-W46", {"posts": 2}, today=FROZEN_DAY)
        assert service.audit_log(local, "Moi")[0].action == "checkin.save"
        assert service.list_members(local)[0].roles == frozenset({"manager", "admin"})


def test_the_cli_database_command_names_no_secret(world, capsys):
    out = io.StringIO()
    service.database_sql("postgresql://app:hunter2@db.invalid/coach", out)
    assert "hunter2" not in out.getvalue()
