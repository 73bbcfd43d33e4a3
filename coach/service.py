"""The application layer: the use cases every front (app, CLI, board pack) goes through.

Functions take explicit arguments (a store, a profile by id, name or `Profile`, a
language, a date) and return plain objects; nothing here knows about a UI. The
app caches what it needs keyed on `store.revision()`.

`ProfileSnapshot` is everything a page, `status` and the board pack show about
one profile, in one language, at one date: one source of truth.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from coach import access, clock, planner, progress, scoring, tracking
from coach.checkin import CheckIn, week_of
from coach.errors import CoachError, InvalidInput
from coach.i18n import normalize_lang, pick
from coach.model import Plan, Playbook, Step
from coach.profile import CLOSED_STATES, Profile, name_key
from coach.records import ProfileRef, Store, StoredAssessment, StoredPlan

if TYPE_CHECKING:
    from coach.exports.pack import BoardPack
    from coach.importers.plan import ImportPreview

# ---- one profile, one language, one date --------------------------------------------------------


@dataclass(frozen=True)
class ProfileSnapshot:
    profile: Profile
    lang: str
    today: date
    revision: int  # the store's revision the snapshot was read at
    playbook: Playbook | None  # None when missing or broken: the plan keeps its saved words
    assessments: tuple[StoredAssessment, ...]  # oldest first
    draft: dict[str, Any]  # the self-assessment in progress
    stored: StoredPlan | None  # the plan with its words in `lang`, and every step's state
    checkins: tuple[CheckIn, ...]  # oldest week first
    targets: dict[str, float]  # goal targets the manager set
    goals: tuple[tracking.GoalStatus, ...]
    completion: tracking.PlanCompletion
    where_to_start: tuple[Step, ...]  # planner.open_steps order
    this_week: Step | None
    burnup: tuple[progress.BurnupPoint, ...]

    @property
    def plan(self) -> Plan | None:
        return self.stored.plan if self.stored else None

    @property
    def latest(self) -> StoredAssessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def previous(self) -> StoredAssessment | None:
        return self.assessments[-2] if len(self.assessments) > 1 else None

    @property
    def current_week(self) -> str:
        return week_of(self.today)

    @property
    def this_week_checkin(self) -> CheckIn | None:
        week = self.current_week
        return next((c for c in reversed(self.checkins) if c.week == week), None)

    @property
    def last_checkin(self) -> CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def assessment_delta(self) -> dict[str, float] | None:
        return tracking.assessment_delta(list(self.assessments))


def find_playbook(
    profile: Profile, folder: str | os.PathLike[str] | None = None
) -> Playbook | None:
    """The profile's playbook from `folder` (playbooks/ by default), or None when missing or broken."""
    from coach.playbook import find_playbook as locate
    from coach.playbook import load_playbook

    try:
        path = locate(profile.playbook_id, folder) if folder else locate(profile.playbook_id)
        return load_playbook(path) if path else None
    except (CoachError, OSError):
        return None


def today_for(profile: Profile) -> date:
    """Today in the profile's time zone, from the one clock."""
    return clock.today_in(profile.timezone)


def reworded(
    stored: StoredPlan | None,
    playbook: Playbook | None,
    assessments: Sequence[StoredAssessment],
    lang: str,
) -> StoredPlan | None:
    """The stored plan with its words in `lang` (plans keep the language they were made in)."""
    if stored is None or stored.plan.lang == lang or playbook is None or not assessments:
        return stored
    latest = assessments[-1]
    try:
        plan = planner.reword(stored.plan, playbook, latest.answers, latest.result, lang)
    except (CoachError, KeyError, ValueError, TypeError, AttributeError):
        return stored  # the saved wording is better than nothing
    return dataclasses.replace(stored, plan=plan)


def snapshot(
    store: Store,
    profile: ProfileRef,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> ProfileSnapshot:
    """Everything shown about `profile` in `lang` (its own by default) on `today` (its own).

    `playbook` defaults to the profile's own (the app passes the one it has cached).
    """
    revision = store.revision()
    found = store.get_profile(profile)
    playbook = playbook or find_playbook(found)
    lang = normalize_lang(lang or found.language)
    today = today or today_for(found)
    assessments = tuple(store.list_assessments(found))
    stored = reworded(store.get_plan(found), playbook, assessments, lang)
    checkins = tuple(store.list_checkins(found))
    targets = store.goal_targets(found)
    plan_goals = stored.plan.goals if stored else ()
    goals = tracking.goal_statuses(playbook, plan_goals, targets, list(checkins), lang, today)
    plan = stored.plan if stored else None
    states = stored.states if stored else {}
    return ProfileSnapshot(
        profile=found,
        lang=lang,
        today=today,
        revision=revision,
        playbook=playbook,
        assessments=assessments,
        draft=store.get_draft(found),
        stored=stored,
        checkins=checkins,
        targets=targets,
        goals=tuple(goals),
        completion=tracking.plan_completion(stored, today),
        where_to_start=progress.where_to_start(plan, states) if plan else (),
        this_week=progress.this_week(plan, states) if plan else None,
        burnup=progress.burnup(plan, states, today) if plan else (),
    )


def status_report(snap: ProfileSnapshot) -> dict[str, Any]:
    """What `coach status --format json` prints: goals, completion, where to start, change."""
    checkins = snap.checkins
    return {
        "profile": snap.profile.name,
        "language": snap.lang,
        "today": snap.today.isoformat(),
        "evaluated_week": tracking.evaluated_week(list(checkins), snap.today),
        "checkins": {
            "count": len(checkins),
            "first_week": checkins[0].week if checkins else None,
            "last_week": checkins[-1].week if checkins else None,
        },
        "goals": [g.as_dict() for g in snap.goals],
        "plan_completion": snap.completion.as_dict(),
        "where_to_start": [s.id for s in snap.where_to_start],
        "this_week": snap.this_week.id if snap.this_week else None,
        "assessment_delta": snap.assessment_delta,
    }


# ---- use cases that write ------------------------------------------------------------------------


def plan_start(profile: Profile, today: date) -> date:
    """A new plan starts on the profile's start date, or today when that date is past."""
    return max(profile.start_date, today)


def complete_assessment(
    store: Store,
    profile: ProfileRef,
    playbook: Playbook,
    answers: dict[str, Any],
    lang: str,
    today: date | None = None,
) -> tuple[StoredAssessment, Plan]:
    """Score the answers, build the plan, keep both and clear the draft: one transaction."""
    found = store.get_profile(profile)
    kept = {k: v for k, v in answers.items() if playbook.question(k) is not None}
    result = scoring.score(playbook, kept, found.facts)
    start = plan_start(found, today or today_for(found))
    plan = planner.build_plan(
        playbook, kept, result, start, found.hours_per_week, lang, found.facts
    )
    stored = store.complete_assessment(found, playbook, kept, result, plan)
    return stored, plan


def save_answers(store: Store, profile: ProfileRef, answers: dict[str, Any]) -> dict[str, Any]:
    """Merge the answers given into the draft (others stay); None removes an answer."""
    draft: dict[str, Any] = store.merge_draft(profile, answers)
    removed = [k for k, v in answers.items() if v is None]
    if removed:
        draft = {k: v for k, v in draft.items() if k not in removed}
        store.save_draft(profile, draft)
    return draft


@dataclass(frozen=True)
class ProfileChange:
    profile: Profile
    rescheduled: bool  # the plan's remaining steps moved


def change_profile(
    store: Store,
    profile: ProfileRef,
    today: date | None = None,
    playbook: Playbook | None = None,
    **changes: Any,
) -> ProfileChange:
    """Change profile fields; the plan follows in the same transaction.

    New hours or a new sector change the facts the playbook's conditions read: the
    plan is built again from the latest assessment (`planner.replan`, with `playbook`,
    the profile's by default); done steps keep their state and dates. A new start date
    reschedules the steps left (done and skipped steps keep their dates).
    """
    moved: list[bool] = []
    found = store.get_profile(profile)
    rebuild: tuple[Playbook, StoredAssessment] | None = None
    if any(
        key in changes and changes[key] != getattr(found, key)
        for key in ("regulated_sector", "hours_per_week")
    ):
        assessments = store.list_assessments(found)
        book = playbook or find_playbook(found)
        # Rebuild only from an assessment taken on this playbook; otherwise reschedule.
        if book is not None and assessments and assessments[-1].playbook_id == book.id:
            rebuild = (book, assessments[-1])

    def replan(before: Profile, after: Profile, stored: StoredPlan) -> Plan | None:
        facts_moved = (before.regulated_sector, before.hours_per_week) != (
            after.regulated_sector,
            after.hours_per_week,
        )
        if not facts_moved and before.start_date == after.start_date:
            return None
        day = today or today_for(after)
        plan = stored.plan
        if rebuild is not None and facts_moved:
            # The coach's judgement depends on hours and sector: actions trigger again,
            # reasons say the new hours, done steps keep their dates (planner.replan).
            book, latest = rebuild
            result = scoring.score(book, latest.answers, after.facts)
            plan = planner.replan(
                book,
                latest.answers,
                result,
                plan,
                dict(stored.states),
                after.hours_per_week,
                plan.lang,
                after.facts,
                day,
            )
            if before.start_date == after.start_date:
                moved.append(plan != stored.plan)
                return plan
        kept = {s.id for s in plan.steps}
        fixed = {
            step.id: (step.start, step.due)
            for step in stored.plan.steps
            if step.id in kept and stored.states[step.id].state in CLOSED_STATES
        }
        plan = planner.reschedule(plan, fixed, after.start_date, after.hours_per_week, today=day)
        moved.append(plan != stored.plan)
        return plan

    updated = store.update_profile(found, replan=replan, **changes)
    return ProfileChange(updated, any(moved))


def save_week(
    store: Store,
    profile: ProfileRef,
    week: str,
    changes: dict[str, Any],
    today: date | None = None,
) -> str:
    """Save the figures given for `week`, keeping the others: "created" or "updated".

    The same for the app and the CLI: read and write in one transaction, so a figure
    saved elsewhere after a form was opened is kept unless this form changed it.
    """
    return str(store.merge_checkin(profile, week, dict(changes), today=today))


def set_step_state(
    store: Store,
    profile: ProfileRef,
    step_id: str,
    state: str | None = None,
    note: str | None = None,
    on: date | None = None,
    *,
    seen_revision: int | None = None,
) -> None:
    """Change a step's state and/or its note; what is not given stays as stored.

    `seen_revision` (the profile's revision the page showed, `store.profile_revision`)
    refuses the change when someone else changed the profile meanwhile.
    """
    store.set_step_state(profile, step_id, state, note=note, on=on, seen_revision=seen_revision)


def set_goal_target(
    store: Store,
    profile: ProfileRef,
    goal_id: str,
    target: float,
    on: date | None = None,
    *,
    seen_revision: int | None = None,
) -> None:
    store.set_goal_target(profile, goal_id, target, on=on, seen_revision=seen_revision)


# ---- profiles, documents, imports, the board pack -----------------------------------------------


def create_profile(store: Store, name: str, **fields: Any) -> Profile:
    created: Profile = store.create_profile(name, **fields)
    return created


def delete_profile(store: Store, profile: ProfileRef) -> None:
    store.delete_profile(profile)


def export_profile(store: Store, profile: ProfileRef) -> dict[str, Any]:
    doc: dict[str, Any] = store.export_profile(profile)
    return doc


def import_profile(
    store: Store,
    doc: dict[str, Any] | str | bytes,
    *,
    replace: bool = False,
    file: str = "profile.json",
) -> Profile:
    """Create a profile from an export document (parsed, or its JSON text); all or nothing.

    Text is bounded before it is parsed (size, then depth and numbers, as JSON from
    outside always is); the document is checked whole, then against the profile's
    playbook when it is installed (the draft must answer its questions). A profile
    whose name differs only in case or invisible characters is the same profile:
    refused, or replaced with `replace` (the stored spelling stays).
    """
    from coach.store import transfer

    data = _profile_document(doc, file) if isinstance(doc, str | bytes) else doc
    parsed = transfer.parse(data)
    book = find_playbook(Profile(id=0, **parsed.profile))
    if book is not None:
        transfer.check_against(parsed, book)
    name = str(parsed.profile["name"])
    same = [p for p in store.list_profiles() if name_key(p.name) == name_key(name)]
    if same and all(p.name != name for p in same):
        if not replace:
            raise InvalidInput("tracking.error.profile_exists", name=same[0].name)
        data = {**data, "profile": {**data["profile"], "name": same[0].name}}
    imported: Profile = store.import_profile(data, replace=replace)
    return imported


def _profile_document(text: str | bytes, file: str) -> Any:
    """An export document's JSON text, bounded, parsed; InvalidInput with a sentence otherwise."""
    import json

    from coach import safejson
    from coach.store import transfer

    size = len(text)  # characters or bytes: either way, far over the bound when hostile
    if size > transfer.MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            "importers.profile.too_big",
            file=file,
            size=round(size / 1024 / 1024, 1),
            max=transfer.MAX_DOCUMENT_BYTES // 1024 // 1024,
        )
    try:
        body = text.decode("utf-8-sig") if isinstance(text, bytes) else text.lstrip("\ufeff")
        return safejson.loads(body, file=file)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("tracking.error.import_not_json", path=file) from None


def create_demo(store: Store, lang: str, today: date | None = None) -> Profile:
    """The demo profile, created or refreshed."""
    from coach.demo import build_demo

    return build_demo(store, today=today, lang=lang)


def preview_import(
    store: Store,
    profile: ProfileRef,
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    *,
    today: date | None = None,
    **options: Any,
) -> ImportPreview:
    """Parse a platform export and compare it with the saved weeks; writes nothing."""
    from coach import importers

    found = store.get_profile(profile)
    return importers.preview_import(
        store, found.name, source, filename, today=today or today_for(found), **options
    )


def apply_import(
    store: Store, profile: ProfileRef, preview: ImportPreview, today: date | None = None
) -> dict[str, str]:
    """Save what the preview would write, checked again and written in one transaction.

    The check against the saved weeks runs inside the saving transaction, so a week
    typed by hand after the preview was shown is never overwritten without consent.
    """
    from coach.importers.plan import plan_import

    found = store.get_profile(profile)

    def recheck(saved: list[CheckIn]) -> list[CheckIn]:
        fresh = plan_import(
            saved,
            [week.figures for week in preview.weeks],
            source=preview.source,
            fields=preview.fields,
            overwrite_typed=preview.overwrite_typed,
            today=date.max,  # the preview already left out future weeks
        )
        return list(fresh.to_save())

    return store.save_checkins_rechecked(found, recheck, today=today or today_for(found))


def build_pack(
    store: Store,
    profile: ProfileRef,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
) -> BoardPack:
    """The board pack of one profile, made from its snapshot (the pack only formats it)."""
    from coach import exports

    return exports.make_pack(**pack_inputs(snapshot(store, profile, lang, today, playbook)))


def pack_inputs(snap: ProfileSnapshot) -> dict[str, Any]:
    """What the board pack shows, from the same snapshot as the app and `status`."""
    from coach.exports.pack import CHANGE_WINDOW_DAYS

    plan = snap.plan
    since = snap.today - timedelta(days=CHANGE_WINDOW_DAYS)
    goals_before = tracking.goal_statuses(
        snap.playbook,
        plan.goals if plan else (),
        snap.targets,
        list(snap.checkins),
        snap.lang,
        since,
    )
    asks: tuple[str, ...] | None = None
    latest = snap.latest
    if plan is not None and latest is not None and snap.playbook is not None:
        chosen = planner.board_asks(
            snap.playbook, plan, latest.result, snap.profile.facts, latest.answers
        )
        asks = tuple(pick(ask.text, snap.lang) for ask in chosen)
    return {
        "profile": snap.profile,
        "playbook": snap.playbook,
        "lang": snap.lang,
        "today": snap.today,
        "latest": latest,
        "previous": snap.previous,
        "plan": plan,
        "states": dict(snap.stored.states) if snap.stored else {},
        "checkins": snap.checkins,
        "goals": snap.goals,
        "goals_before": goals_before,
        "completion": snap.completion if snap.stored else None,
        "where_to_start": snap.where_to_start,
        "burnup": snap.burnup,
        "board_asks": asks,
    }


# ---- profile names compared without regard to case (hardening, round two) -----------------------


def find_profile(store: Store, name: ProfileRef) -> Profile:
    """The profile `name` designates: spelt as stored, or differing only in case.

    "sophie gagnon" finds "Sophie Gagnon" (names are normalised and casefolded, see
    coach.profile.name_key). When two stored profiles differ only in case (made before
    names were compared this way), only the exact spelling finds either.
    """
    from coach.errors import NotFound

    try:
        found: Profile = store.get_profile(name)
        return found
    except NotFound:
        if not isinstance(name, str):
            raise
        key = name_key(name)
        same = [p for p in store.list_profiles() if name_key(p.name) == key]
        if len(same) != 1:
            raise
        return same[0]


def check_name_free(store: Store, name: str, keep: Profile | None = None) -> None:
    """InvalidInput "already exists" when another profile has this name, in any case.

    `keep` is the profile being renamed: changing only the case of its own name is allowed.
    """
    key = name_key(name)
    for other in store.list_profiles():
        if name_key(other.name) == key and (keep is None or other.id != keep.id):
            raise InvalidInput("tracking.error.profile_exists", name=other.name)


# ==== ux: what the app's pages ask for (Home and Plan focus, portfolio, draft review) ====

if TYPE_CHECKING:
    from coach.review import Review


@dataclass(frozen=True)
class StepFocus:
    """What to work on, as of the snapshot's day: the same rules for every front."""

    this_week: Step | None  # the open step covering today, else the most overdue, else the next
    where_to_start: tuple[Step, ...]  # the planner's top open steps, numbered in date order
    reasons: tuple[str, ...]  # one distinct "why" line per where_to_start step
    late: tuple[Step, ...]  # open steps past their due date, the most overdue first

    def is_late(self, step: Step) -> bool:
        return any(s.id == step.id for s in self.late)


def step_focus(snap: ProfileSnapshot) -> StepFocus:
    """Home's and Plan's cards: this week's step, where to start, what is late."""
    plan = snap.plan
    if plan is None or snap.stored is None:
        return StepFocus(None, (), (), ())
    states = snap.stored.states
    start = progress.where_to_start(plan, states)
    return StepFocus(
        this_week=progress.this_week(plan, states, snap.today),
        where_to_start=start,
        reasons=progress.distinct_reasons(start),
        late=progress.late_steps(plan, states, snap.today),
    )


@dataclass(frozen=True)
class PortfolioRow:
    """One executive, as an advisor who coaches several sees them at a glance."""

    profile_id: int
    name: str
    language: str
    last_checkin: str | None  # ISO week of the latest check-in
    weeks_since_checkin: int | None  # 0: this week is in; None: never
    goals_at_risk: int  # goals at risk or off track
    goals_total: int
    late_steps: int
    level: int | None  # overall level of the latest self-assessment
    top_level: int | None  # the playbook's highest level (5)
    score_change: float | None  # overall points since the previous self-assessment
    trend: str  # "improving" | "flat" | "worsening" | "no_data": goals' trends, on balance
    has_plan: bool


def _trend(goals: Sequence[tracking.GoalStatus]) -> str:
    up = sum(1 for g in goals if g.trend == "improving")
    down = sum(1 for g in goals if g.trend == "worsening")
    if not any(g.trend != "no_data" for g in goals):
        return "no_data"
    return "improving" if up > down else "worsening" if down > up else "flat"


def portfolio_row(snap: ProfileSnapshot) -> PortfolioRow:
    """One row of the portfolio, from the profile's snapshot."""
    last = snap.last_checkin
    weeks_since = None
    if last is not None:
        from coach.checkin import parse_week

        weeks_since = max(0, (parse_week(snap.current_week) - parse_week(last.week)).days // 7)
    latest = snap.latest
    focus = step_focus(snap)
    levels = snap.playbook.levels if snap.playbook is not None else ()
    change = None
    if latest is not None and snap.previous is not None:
        now, before = latest.result.overall_score, snap.previous.result.overall_score
        change = None if now is None or before is None else round(now - before, 1)
    return PortfolioRow(
        profile_id=snap.profile.id,
        name=snap.profile.name,
        language=snap.profile.language,
        last_checkin=last.week if last else None,
        weeks_since_checkin=weeks_since,
        goals_at_risk=sum(1 for g in snap.goals if g.status in ("at_risk", "off_track")),
        goals_total=len(snap.goals),
        late_steps=len(focus.late),
        level=latest.result.overall_level if latest else None,
        top_level=max((lv.level for lv in levels), default=None),
        score_change=change,
        trend=_trend(snap.goals),
        has_plan=snap.stored is not None,
    )


def portfolio(
    store: Store,
    lang: str,
    today: date | None = None,
    playbook: Any = None,
) -> list[PortfolioRow]:
    """One row per profile the store lists (the roll-out scopes the store per user), by name.

    `today`: one date for every row (each profile's own day by default); `playbook`: a
    function from a profile to its playbook (`find_playbook` by default; the app passes its
    cached loader).
    """
    find = playbook or find_playbook
    rows = []
    for found in store.list_profiles():
        snap = snapshot(store, found, lang, today or today_for(found), playbook=find(found))
        rows.append(portfolio_row(snap))
    return sorted(rows, key=lambda row: row.name.casefold())


def review_draft(
    store: Store,
    profile: ProfileRef | None,
    text: str,
    network: str,
    lang: str,
    never_say: Sequence[str] = (),
    playbook: Playbook | None = None,
) -> Review:
    """ "Before you post": a draft reviewed against the playbook's rules; writes nothing.

    With a profile, its playbook and facts (the sector); without one, the default playbook.
    InvalidInput for a draft that cannot be reviewed, NotFound without a playbook.
    """
    from coach.errors import NotFound
    from coach.playbook import default_playbook_path, load_playbook
    from coach.review import review

    found = store.get_profile(profile) if profile is not None else None
    book = playbook
    if book is None:
        book = find_playbook(found) if found is not None else load_playbook(default_playbook_path())
    if book is None:
        raise NotFound("ui.error.playbook_missing", playbook=found.playbook_id if found else "")
    facts = dict(found.facts) if found is not None else {}
    result: Review = review(
        text, book.reviews, network=network, lang=lang, facts=facts, never_say=never_say
    )
    return result


# =================================================================================================
# Roll-out: the database's schema, sign-in, scoping and administration (owned by the roll-out;
# keep this block at the end of the file).
# =================================================================================================


@dataclass(frozen=True)
class DatabaseReport:
    where: str  # the file, or the URL without its password
    revisions: tuple[str, ...]  # the Alembic revisions the database is at
    latest: tuple[str, ...]  # the revisions this coach brings it to
    changed: bool = False  # an upgrade ran


def database_status(target: str | None = None) -> DatabaseReport:
    """Where the database stands, without changing it."""
    from coach.store import Database, head_revisions

    db = Database(target, migrate=False)
    try:
        return DatabaseReport(
            db.path(), tuple(db.schema_revisions()), tuple(sorted(head_revisions()))
        )
    finally:
        db.close()


def upgrade_database(target: str | None = None) -> DatabaseReport:
    """Bring the database to the latest revision (`python -m coach db upgrade`)."""
    from coach.store import Database, head_revisions

    db = Database(target, migrate=False)
    try:
        changed = db.upgrade()
        return DatabaseReport(
            db.path(), tuple(db.schema_revisions()), tuple(sorted(head_revisions())), changed
        )
    finally:
        db.close()


def database_sql(target: str | None, out: Any) -> None:
    """The SQL of a full upgrade for the database's dialect, written to `out`, run nowhere."""
    from coach.store import migrate
    from coach.store.db import resolve_target

    migrate.offline_sql(resolve_target(target), out)


# ---- sign-in and the per-user store ---------------------------------------------------------------
#
# Authorisation lives here and in coach/store/scoped.py, never in pages: a signed-in person's
# pages get `for_user(store, user)`, a ScopedStore with the Store's methods and signatures, so
# every use case above takes it unchanged and cannot reach a profile the user may not see.


class NotMember(CoachError):
    """Signed in, but given no role in any organisation yet (or turned off)."""


def sign_in(store: Any, claims: dict[str, Any]) -> access.User:
    """The person behind an ID token's claims, as the application layer sees them.

    The user row is upserted by issuer and subject (e-mail and name are labels,
    refreshed); their roles come from their memberships. NotMember when they have
    none, or were turned off by an administrator.
    """
    identity = access.identity_from_claims(claims)
    email, name = access.labels_from_claims(claims)
    user_id = store.upsert_user(identity.issuer, identity.subject, email, name)
    return _user_of(store, user_id, identity, email, name)


def current_user(
    store: Any, identity: access.Identity, email: str = "", name: str = ""
) -> access.User:
    """The user's roles as stored now (read each rerun: a revoked role takes effect at once)."""
    user_id = store.find_user(identity.issuer, identity.subject)
    if user_id is None:
        raise NotMember(
            "access.error.not_member", who=email or name or str(identity), identity=str(identity)
        )
    return _user_of(store, user_id, identity, email, name)


def _user_of(
    store: Any, user_id: int, identity: access.Identity, email: str, name: str
) -> access.User:
    disabled, rows = store.user_memberships(user_id)
    if disabled:
        raise NotMember("access.error.disabled")
    if not rows:
        raise NotMember(
            "access.error.not_member", who=email or name or str(identity), identity=str(identity)
        )
    organisation = rows[0][1]  # one organisation per person (the first by key if several)
    roles = access.parse_roles(role for _id, key, _name, role in rows if key == organisation)
    return access.User(identity, organisation, roles, email=email, name=name)


def for_user(store: Any, user: access.User) -> Any:
    """The store as `user` may use it (coach.store.scoped.ScopedStore)."""
    from coach.store.scoped import ScopedStore

    user_id = store.find_user(user.identity.issuer, user.identity.subject)
    if user_id is None:
        raise NotMember(
            "access.error.not_member",
            who=user.email or str(user.identity),
            identity=str(user.identity),
        )
    disabled, rows = store.user_memberships(user_id)
    org_ids = [org_id for org_id, key, _name, _role in rows if key == user.organisation]
    if disabled or not org_ids:
        raise NotMember(
            "access.error.not_member",
            who=user.email or str(user.identity),
            identity=str(user.identity),
        )
    return ScopedStore(store, user, user_id, org_ids[0])


def record_export(
    store: Any, profile: ProfileRef, kind: str, detail: dict[str, Any] | None = None
) -> None:
    """Say in the audit log that the signed-in user exported `profile` (board pack, CSV…)."""
    record = getattr(store, "record_export", None)
    if record is not None:  # a plain Store (local mode, CLI) keeps no audit log of exports
        record(profile, f"export.{kind}", detail or {})


# ---- administration (users, roles, coach assignments, the audit log) -----------------------------


def _admin(store: Any) -> tuple[access.User, int]:
    user = getattr(store, "user", access.LOCAL_USER)
    if not access.may_manage_organisation(user, user.organisation):
        raise access.Forbidden("access.error.not_admin")
    return user, int(store.organisation_id)


def _user_id(store: Any, identity: str | access.Identity) -> int:
    if isinstance(identity, str):
        issuer, _, subject = identity.rpartition("#")
        identity = access.Identity(issuer, subject)
    found = store.find_user(identity.issuer, identity.subject)
    if found is None:
        raise CoachError("access.error.unknown_user", user=str(identity))
    return int(found)


def list_members(store: Any) -> list[Any]:
    """Everybody with a role in the admin's organisation (coach.store.people.UserRecord)."""
    _user, org = _admin(store)
    return list(store.organisation_users(org))


def set_role(store: Any, identity: str | access.Identity, role: str, granted: bool = True) -> bool:
    """Grant (or revoke) a role in the admin's organisation; audited. True when it changed."""
    _user, org = _admin(store)
    (parsed,) = access.parse_roles([role])
    return bool(
        store.set_role(org, _user_id(store, identity), parsed.value, granted, store.user_id)
    )


def set_disabled(store: Any, identity: str | access.Identity, disabled: bool = True) -> None:
    """Turn a user's access off (or on again); audited."""
    _user, org = _admin(store)
    store.set_disabled(org, _user_id(store, identity), disabled, store.user_id)


def assign_coach(
    store: Any, profile: ProfileRef, coach: str | access.Identity, assigned: bool = True
) -> None:
    """Give (or take back) a profile to a coach of the organisation; audited."""
    _user, org = _admin(store)
    coach_id = _user_id(store, coach)
    roles = {r.roles for r in store.organisation_users(org) if r.id == coach_id}
    if not any(access.Role.COACH.value in r for r in roles):
        raise CoachError("access.error.not_coach", user=str(coach))
    target = next((p for p in store.assignable_profiles() if _same(p, profile)), None)
    if target is None:
        raise access.Forbidden("access.error.forbidden")
    store.set_assignment(target.id, coach_id, assigned, store.user_id)


def _same(found: Profile, profile: ProfileRef) -> bool:
    if isinstance(profile, Profile):
        return found.id == profile.id
    if isinstance(profile, int):
        return found.id == profile
    return found.name == profile


def coach_assignments(store: Any) -> list[tuple[int, int]]:
    """(profile id, coach user id) pairs of the admin's organisation."""
    _user, org = _admin(store)
    return list(store.assignments(org))


def audit_log(store: Any, profile: ProfileRef | None = None, limit: int = 200) -> list[Any]:
    """Who changed what: the organisation's log for its admins, a profile's for its owner."""
    user = getattr(store, "user", access.LOCAL_USER)
    if profile is None:
        _user, org = _admin(store)
        return list(store.audit_entries(org, None, limit))
    found = store.get_profile(profile)  # checks the user may read it
    mine = store.profile_owner(found.id) == getattr(store, "user_id", None)
    if not (mine or access.may_manage_organisation(user, user.organisation)):
        raise access.Forbidden("access.error.forbidden")
    return list(store.audit_entries(int(store.organisation_id), found.id, limit))
