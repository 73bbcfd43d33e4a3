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
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from coach import access, clock, planner, progress, scoring, tracking
from coach.checkin import CheckIn, week_of
from coach.errors import CoachError, InvalidInput
from coach.i18n import normalize_lang, pick
from coach.model import Plan, Playbook, Step
from coach.profile import CLOSED_STATES, Profile, check_name, name_key
from coach.records import PostDraft, ProfileData, ProfileRef, Store, StoredAssessment, StoredPlan

if TYPE_CHECKING:
    from coach.exports.pack import BoardPack
    from coach.importers.plan import ImportPreview
    from coach.review import Review

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

    `playbook` defaults to the profile's own (the app passes the one it has cached). The
    records are read in one transaction (`store.profile_data`): one moment, one view.
    """
    return snapshot_of(store.profile_data([profile])[0], lang, today, playbook, store)


def snapshot_of(
    data: ProfileData,
    lang: str | None = None,
    today: date | None = None,
    playbook: Playbook | None = None,
    store: Store | None = None,
) -> ProfileSnapshot:
    """The snapshot of records already read (`snapshot`, and `snapshots` for many).

    With `store`, the employee side (pulse rounds, question box) is added to the
    check-ins; the portfolio's many snapshots leave it out to stay one query per table.
    """
    found = data.profile
    revision = data.revision
    playbook = playbook or find_playbook(found)
    lang = normalize_lang(lang or found.language)
    today = today or today_for(found)
    assessments = data.assessments
    stored = reworded(data.stored, playbook, assessments, lang)
    checkins = (
        with_employee_side(store, found, data.checkins, today)
        if store is not None
        else data.checkins
    )
    targets = data.targets
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
        draft=data.draft,
        stored=stored,
        checkins=checkins,
        targets=targets,
        goals=tuple(goals),
        completion=tracking.plan_completion(stored, today),
        where_to_start=progress.where_to_start(plan, states) if plan else (),
        this_week=progress.this_week(plan, states, today) if plan else None,
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
    if isinstance(changes.get("new_name"), str):  # "marie" when "Marie" exists is taken
        check_name_free(store, check_name(changes["new_name"]), keep=found)
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
    """A new profile; a name that differs from another only in case is refused."""
    check_name_free(store, check_name(name))
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

    snap = snapshot(store, profile, lang, today, playbook)
    pack = exports.make_pack(**pack_inputs(snap))
    return with_perception(store, snap.profile, pack)


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
    # One read for all (roll-out): `snapshots` reads every profile in one query per table.
    rows = [
        portfolio_row(snap)
        for snap in snapshots(store, store.list_profiles(), lang, today, playbook)
    ]
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


def snapshots(
    store: Store,
    profiles: Sequence[ProfileRef],
    lang: str | None = None,
    today: date | None = None,
    playbook: Any = None,
) -> list[ProfileSnapshot]:
    """The snapshots of many profiles (a portfolio), read in one transaction, one query per
    table. `playbook`: a function from a profile to its playbook (`find_playbook` by default);
    `today`: one date for all (each profile's own day by default)."""
    find = playbook or find_playbook
    books: dict[str, Any] = {}
    out = []
    for data in store.profile_data(list(profiles)):
        key = data.profile.playbook_id
        if key not in books:
            books[key] = find(data.profile)
        out.append(snapshot_of(data, lang, today, books[key]))
    return out


class SnapshotCache:
    """Snapshots kept per (user, profile, profile revision, language, day, playbook).

    A profile's revision moves with every change to it, so after one manager saves a
    week only their snapshot is read again: a portfolio of 500 stays quick to rerun
    while the company works. Bounded; safe to share between the sessions of one server
    (the user is part of the key, so one user's snapshot never serves another).
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[tuple[Any, ...], ProfileSnapshot] = {}
        import threading

        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> ProfileSnapshot | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[Any, ...], snap: ProfileSnapshot) -> None:
        with self._lock:
            if len(self._items) >= self.size:
                for old in list(self._items)[: self.size // 4]:  # the oldest quarter goes
                    del self._items[old]
            self._items[key] = snap


def portfolio_snapshots(
    store: Store,
    lang: str | None = None,
    today: date | None = None,
    playbook: Any = None,
    cache: SnapshotCache | None = None,
) -> list[ProfileSnapshot]:
    """The snapshot of every profile the store lists (a coach's: the assigned ones), by name;
    with `cache`, only profiles changed since their cached snapshot are read again."""
    profiles = store.list_profiles()
    if cache is None:
        return snapshots(store, profiles, lang, today, playbook)
    user = str(getattr(getattr(store, "user", None), "identity", ""))
    revisions = store.profile_revisions([p.id for p in profiles])

    def key(p: Profile) -> tuple[Any, ...]:
        day = today or today_for(p)
        return (user, p.id, revisions.get(p.id), normalize_lang(lang or p.language), day)

    found = {p.id: cache.get(key(p)) for p in profiles}
    missing = [p for p in profiles if found[p.id] is None]
    for snap in snapshots(store, missing, lang, today, playbook):
        found[snap.profile.id] = snap
        cache.put(key(snap.profile), snap)
    return [s for s in (found[p.id] for p in profiles) if s is not None]


# ---- operators' commands (`python -m coach db grant|assign`): before any admin exists -------------


def operator_store(target: str | None, organisation: str, name: str | None = None) -> Any:
    """The database at `target`, as the operator of `organisation` (created when missing).

    Whoever can run commands on the server can already read the database: these commands
    bootstrap the first administrator, and are audited with no actor (the system).
    """
    from coach.store import Store

    store = Store(target)
    store.organisation_id = store.ensure_organisation(organisation, name)
    return store


def grant_role_as_operator(
    store: Any, identity: str, role: str, granted: bool = True, email: str = ""
) -> bool:
    """Grant (or revoke) a role to `issuer#subject`; the user row is made when they never
    signed in yet (their e-mail and name come at their first sign-in)."""
    issuer, _, subject = identity.rpartition("#")
    who = access.Identity(issuer, subject)
    (parsed,) = access.parse_roles([role])
    user_id = store.find_user(who.issuer, who.subject)
    if user_id is None:
        user_id = store.upsert_user(who.issuer, who.subject, email.strip().lower(), "")
    return bool(store.set_role(store.organisation_id, user_id, parsed.value, granted, None))


def assign_as_operator(store: Any, profile: str, coach: str, assigned: bool = True) -> None:
    """Give (or take back) the organisation's profile `profile` to the coach `issuer#subject`."""
    coach_id = _user_id(store, coach)
    found = store.get_profile(profile)
    store.set_assignment(found.id, coach_id, assigned, None)


# ==== the employees' side: perception pulse and "ask me anything" (docs/PULSE.md) ================
#
# `pulse_results` is the only door to pulse answers: pages, the CLI and the board pack read
# it, never the tables. Employee functions take a token, never a profile, and return only the
# manager's display name and the pulse or inbox texts. Check-ins see the employee side through
# `with_employee_side` (called by `snapshot`): figures are added when read, never written, so
# the check-in form keeps showing what was typed and nothing is counted twice.

import statistics  # noqa: E402 - this block's own imports, kept with it
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, time  # noqa: E402

from coach.inbox import InboxQuestion, InboxWeek  # noqa: E402
from coach.pulse import Pulse, PulseAnswer, PulseRound, PulseTrend, RoundSummary  # noqa: E402
from coach.pulse.forms import ImportedPulse  # noqa: E402
from coach.pulse.links import LinkKind, LinkRefused, RateLimited  # noqa: E402

if TYPE_CHECKING:
    from coach.store.pulse import PulseRepository, StoredLink, Submission


@dataclass(frozen=True)
class PulseOpened:
    round: PulseRound
    token: str  # shown once: only its digest is kept
    url: str


@dataclass(frozen=True)
class PulseResults:
    summaries: tuple[RoundSummary, ...]  # oldest first
    trend: PulseTrend
    comments: dict[str, tuple[str, ...]]  # round id -> shuffled comments (empty when hidden)
    pulses: dict[str, Pulse]  # round id -> the questions pinned when it opened
    open_round: RoundSummary | None  # the round still collecting answers, if any
    open_until: date | None = None  # its last day

    @property
    def latest_shown(self) -> RoundSummary | None:
        return next((s for s in reversed(self.summaries) if s.shown), None)


@dataclass(frozen=True)
class EmployeePulsePage:
    manager: str
    lang: str
    intro: str
    questions: tuple[tuple[str, str, str], ...]  # (id, "scale" | "text", text)
    labels: tuple[str, ...]  # the five scale labels, 1 to 5
    threshold: int
    max_comment: int


@dataclass(frozen=True)
class PublishedAnswer:
    question: str
    answer: str
    answered_on: date


@dataclass(frozen=True)
class EmployeeInboxPage:
    manager: str
    published: tuple[PublishedAnswer, ...]  # newest first; never who asked
    max_question: int
    max_name: int


def _pulse_repo(store: Store) -> PulseRepository:
    """The employees' side of `store`'s database, with `store`'s access checks."""
    from coach.store.pulse import PulseRepository
    from coach.store.rows import Repository

    if not isinstance(store, Repository):
        raise TypeError("the employees' side needs coach.store.Store")
    return PulseRepository.of(store)


def _pulse_reader(store: Store) -> PulseRepository | None:
    """The same, or None for a store that is not a database (a test double)."""
    from coach.store.rows import Repository

    return _pulse_repo(store) if isinstance(store, Repository) else None


def share_url(base_url: str, param: str, token: str) -> str:
    """The link employees open: the app's address with `?pulse=` or `?ask=` and the token."""
    base = (base_url or "http://localhost:8501/").split("?", 1)[0]
    return f"{base}?{param}={token}"


def _link_expiry(last_day: date, tz: str) -> datetime:
    """A pulse link works until the end of its last day in the profile's zone."""
    return datetime.combine(last_day + timedelta(days=1), time(0), clock.zone(tz)).astimezone(UTC)


def open_pulse(
    store: Store,
    profile: ProfileRef,
    days: int = 14,
    base_url: str = "",
    playbook: Playbook | None = None,
) -> PulseOpened:
    """Open a round answered through a new link for `days` days (one open round at a time)."""
    from coach.pulse import open_link, open_round
    from coach.pulse.definition import pulse_to_dict
    from coach.store.pulse import StoredRound, new_id

    found = store.get_profile(profile)
    book = playbook or find_playbook(found)
    pulse = getattr(book, "pulse", None)
    if book is None or pulse is None:
        raise CoachError("pulse.error.no_pulse", playbook=found.playbook_id)
    now, today = clock.now(), today_for(found)
    new_round = open_round(pulse, new_id(), today, days)
    token, link = open_link("pulse", now, days)
    link = dataclasses.replace(link, expires=_link_expiry(new_round.expires, found.timezone))
    stored = StoredRound(new_round, found.id, None, book.id, book.version, pulse_to_dict(pulse))
    kept = _pulse_repo(store).add_round(found, stored, link, today=today)
    return PulseOpened(kept.round, token, share_url(base_url, "pulse", token))


def close_pulse(store: Store, profile: ProfileRef) -> RoundSummary | None:
    """Close the open round now (its link stops working); None when no round was open."""
    found = store.get_profile(profile)
    closed = _pulse_repo(store).close_round(found, today_for(found), clock.now())
    if closed is None:
        return None
    return next(
        (s for s in pulse_results(store, found).summaries if s.round_id == closed.round.id), None
    )


def import_pulse(
    store: Store, profile: ProfileRef, data: bytes, playbook: Playbook | None = None
) -> ImportedPulse:
    """Read a Google Forms or Microsoft Forms CSV export; writes nothing (a preview)."""
    from coach.pulse import read_forms_csv
    from coach.store.pulse import new_id

    found = store.get_profile(profile)
    book = playbook or find_playbook(found)
    pulse = getattr(book, "pulse", None)
    if book is None or pulse is None:
        raise CoachError("pulse.error.no_pulse", playbook=found.playbook_id)
    return read_forms_csv(pulse, data, new_id(), today_for(found))


def apply_pulse_import(
    store: Store, profile: ProfileRef, imported: ImportedPulse, playbook: Playbook | None = None
) -> RoundSummary:
    """Keep an imported round (one batch, same threshold) and return what the manager may see."""
    from coach.pulse.definition import pulse_to_dict
    from coach.store.pulse import StoredRound

    found = store.get_profile(profile)
    book = playbook or find_playbook(found)
    pulse = getattr(book, "pulse", None)
    if book is None or pulse is None:
        raise CoachError("pulse.error.no_pulse", playbook=found.playbook_id)
    pinned = dataclasses.replace(imported.round, threshold=pulse.threshold)
    stored = StoredRound(pinned, found.id, None, book.id, book.version, pulse_to_dict(pulse))
    _pulse_repo(store).add_round(found, stored, None, imported.answers, today=today_for(found))
    summaries = pulse_results(store, found).summaries
    return next(s for s in summaries if s.round_id == pinned.id)


def pulse_results(store: Store, profile: ProfileRef, today: date | None = None) -> PulseResults:
    """Every round as a manager may see it: nothing below a round's threshold, comments apart."""
    from coach.pulse import comments, parse_pulse, pulse_trend, summarise_round

    found = store.get_profile(profile)
    day = today or today_for(found)
    summaries: list[RoundSummary] = []
    said: dict[str, tuple[str, ...]] = {}
    pulses: dict[str, Pulse] = {}
    still_open: RoundSummary | None = None
    until: date | None = None
    reader = _pulse_reader(store)
    for stored, answers in reader.rounds_with_answers(found) if reader else []:
        pulse = parse_pulse(stored.pulse)[0]
        if pulse is None:  # a pinned section always parses; a damaged row shows nothing
            continue
        summary = summarise_round(pulse, stored.round, answers, day)
        summaries.append(summary)
        said[summary.round_id] = comments(stored.round, answers)
        pulses[summary.round_id] = pulse
        if stored.round.is_open(day) and stored.round.source == "link":
            still_open, until = summary, stored.round.expires
    return PulseResults(tuple(summaries), pulse_trend(summaries), said, pulses, still_open, until)


def pulse_results_json(
    store: Store, profile: ProfileRef, today: date | None = None
) -> dict[str, Any]:
    """What `pulse results --format json` prints (null wherever the threshold is not met)."""
    from coach.pulse import results_json

    return results_json(pulse_results(store, profile, today).summaries)


def pulse_link_open(store: Store, profile: ProfileRef) -> bool:
    """True while the profile has a round collecting answers through a link."""
    found = store.get_profile(profile)
    now = clock.now()
    reader = _pulse_reader(store)
    return reader is not None and any(
        s.link.state(now) == "open" for s in reader.links(found, "pulse")
    )


# ---- the inbox, manager side ---------------------------------------------------------------------


def open_inbox_link(store: Store, profile: ProfileRef, base_url: str = "") -> PulseOpened:
    """A new question-box link (the token shown once); an older open link stops working."""
    from coach.pulse import open_link

    found = store.get_profile(profile)
    now = clock.now()
    token, link = open_link("inbox", now, None)
    _pulse_repo(store).add_link(found, link, replace_open=True)
    today = today_for(found)
    placeholder = PulseRound("inbox", today, today)
    return PulseOpened(placeholder, token, share_url(base_url, "ask", token))


def close_inbox_link(store: Store, profile: ProfileRef) -> bool:
    """Close the question box; True when it was open."""
    return _pulse_repo(store).close_links(store.get_profile(profile), "inbox", clock.now()) > 0


def inbox_link_open(store: Store, profile: ProfileRef) -> bool:
    found = store.get_profile(profile)
    now = clock.now()
    reader = _pulse_reader(store)
    return reader is not None and any(
        s.link.state(now) == "open" for s in reader.links(found, "inbox")
    )


def inbox(store: Store, profile: ProfileRef) -> list[InboxQuestion]:
    """The profile's questions: new ones first, then the others, newest first in each."""
    reader = _pulse_reader(store)
    found = reader.questions(store.get_profile(profile)) if reader else []
    return sorted(found, key=lambda q: q.state != "new")


def answer_question(
    store: Store, profile: ProfileRef, question_id: str, channel: str
) -> InboxQuestion:
    """Mark a question answered privately, at a town hall or in a post."""
    from coach.inbox import mark_answered

    now = clock.now()
    return _pulse_repo(store).change_question(
        store.get_profile(profile), question_id, lambda q: mark_answered(q, channel, now), now
    )


def publish_answer(store: Store, profile: ProfileRef, question_id: str, text: str) -> InboxQuestion:
    """Publish (or edit) the answer every employee with the inbox link reads."""
    from coach.inbox import publish_answer as publish

    now = clock.now()
    return _pulse_repo(store).change_question(
        store.get_profile(profile), question_id, lambda q: publish(q, text, now), now
    )


def inbox_figures(store: Store, profile: ProfileRef, week: str) -> InboxWeek:
    """The inbox's received items, replies and median response time for `week`."""
    from coach.inbox import inbox_week

    found = store.get_profile(profile)
    reader = _pulse_reader(store)
    return inbox_week(reader.questions(found) if reader else [], week, found.timezone)


# ---- the employee side (by token only) -----------------------------------------------------------


def _by_token(store: Store, token: object, kind: LinkKind) -> tuple[StoredLink, str, Any]:
    from coach.pulse.links import check_link, token_digest, well_formed

    if not well_formed(token):
        raise LinkRefused(f"pulse.link.unknown_{kind}")
    reader = _pulse_reader(store)
    found = reader.by_token(token_digest(token)) if reader else None
    if found is None:
        raise LinkRefused(f"pulse.link.unknown_{kind}")
    link, manager, stored_round = found
    check_link(link.link, token, clock.now(), kind)
    return link, manager, stored_round


def pulse_page(store: Store, token: object, lang: str) -> EmployeePulsePage:
    """What an employee reads through a pulse link; LinkRefused (a polite sentence) otherwise."""
    from coach.pulse import parse_pulse
    from coach.pulse.results import MAX_TEXT_CHARS

    _, manager, stored_round = _by_token(store, token, "pulse")
    pulse = parse_pulse(stored_round.pulse)[0] if stored_round is not None else None
    if pulse is None:
        raise LinkRefused("pulse.link.unknown_pulse")
    lang = normalize_lang(lang)
    return EmployeePulsePage(
        manager=manager,
        lang=lang,
        intro=pulse.intro_text(lang, manager),
        questions=tuple((q.id, q.type, q.render(lang, manager)) for q in pulse.questions),
        labels=tuple(label.get(lang) for label in pulse.scale_labels),
        threshold=stored_round.round.min_answers,
        max_comment=MAX_TEXT_CHARS,
    )


def _checked_submission(
    kind: LinkKind, token: str, now: datetime
) -> Callable[[Submission | None], Submission]:
    from coach.pulse.links import RATE_RULES, check_link, rate_decision

    def decide(seen: Submission | None) -> Submission:
        if seen is None:
            raise LinkRefused(f"pulse.link.unknown_{kind}")
        check_link(seen.link.link, token, now, kind)
        wait = rate_decision(seen.hits, now, RATE_RULES[kind])
        if not wait.allowed:
            raise RateLimited("pulse.link.slow_down", seconds=wait.retry_after_seconds)
        return seen

    return decide


def _request_size(*parts: object) -> int:
    import json

    return len(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8"))


def submit_pulse(store: Store, token: object, raw: dict[str, Any]) -> int:
    """Keep one anonymous answer (the day only); returns the round's threshold.

    The token, the size caps, the rate limit and the batch are checked inside the
    transaction that writes; anything refused writes nothing.
    """
    from coach.pulse import build_answer, next_batch, parse_pulse
    from coach.pulse.links import (
        MAX_ANSWERS_PER_ROUND,
        MAX_REQUEST_BYTES,
        token_digest,
        well_formed,
    )

    if not well_formed(token):
        raise LinkRefused("pulse.link.unknown_pulse")
    if _request_size(raw) > MAX_REQUEST_BYTES:
        raise InvalidInput("pulse.error.too_big", max_kb=MAX_REQUEST_BYTES // 1000)
    now = clock.now()
    repo = _pulse_repo(store)
    check = _checked_submission("pulse", token, now)

    def decide(seen: Submission | None) -> tuple[PulseAnswer, str, int]:
        ok = check(seen)
        if ok.round is None:
            raise LinkRefused("pulse.link.unknown_pulse")
        pulse = parse_pulse(ok.round.pulse)[0]
        if pulse is None:
            raise LinkRefused("pulse.link.unknown_pulse")
        if sum(ok.batch_counts.values()) >= MAX_ANSWERS_PER_ROUND:
            raise InvalidInput("pulse.error.round_full", max=MAX_ANSWERS_PER_ROUND)
        threshold = ok.round.round.min_answers
        day = now.astimezone(clock.zone(ok.timezone)).date()
        answer = build_answer(pulse, raw, day, next_batch(ok.batch_counts, threshold))
        return answer, ok.round.round.id, threshold

    def keep(conn: Any, _seen: Submission, decision: tuple[PulseAnswer, str, int]) -> None:
        repo.insert_answer(conn, decision[1], decision[0])

    return repo.submit(token_digest(token), now, decide, keep)[2]


def _zone_of(store: Store, profile_id: int) -> str:
    return store.get_profile(profile_id).timezone


def inbox_page(store: Store, token: object) -> EmployeeInboxPage:
    """What an employee reads through the question-box link: published answers, never who asked."""
    from coach.inbox import published
    from coach.pulse.links import MAX_NAME_CHARS, MAX_QUESTION_CHARS

    link, manager, _ = _by_token(store, token, "inbox")
    zone = clock.zone(_zone_of(store, link.profile_id))
    shown = tuple(
        PublishedAnswer(
            q.text, q.answer or "", (q.answered_at or q.received).astimezone(zone).date()
        )
        for q in published(_pulse_repo(store).questions(link.profile_id))  # exists: a link was read
    )
    return EmployeeInboxPage(manager, shown, MAX_QUESTION_CHARS, MAX_NAME_CHARS)


def ask_question(store: Store, token: object, text: str, signed_by: str | None = None) -> None:
    """Send the manager a question, anonymous unless the employee gives a name."""
    from coach.inbox import new_question
    from coach.pulse.links import MAX_REQUEST_BYTES, token_digest, well_formed
    from coach.store.pulse import new_id

    if not well_formed(token):
        raise LinkRefused("pulse.link.unknown_inbox")
    if _request_size(text, signed_by) > MAX_REQUEST_BYTES:
        raise InvalidInput("pulse.error.too_big", max_kb=MAX_REQUEST_BYTES // 1000)
    now = clock.now()
    repo = _pulse_repo(store)
    check = _checked_submission("inbox", token, now)

    def decide(seen: Submission | None) -> InboxQuestion:
        check(seen)
        return new_question(new_id(), text, now, signed_by)

    def keep(conn: Any, seen: Submission, question: InboxQuestion) -> None:
        repo.insert_question(conn, seen.link.profile_id, question)

    repo.submit(token_digest(token), now, decide, keep)


# ---- feeding the check-in (read-time, never written) ---------------------------------------------


def _reveal_week(summary: RoundSummary, answers: Sequence[PulseAnswer]) -> str | None:
    """The ISO week the round's shown results were complete (its latest counted answer)."""
    from coach.pulse import counted_answers

    counted = counted_answers(answers, summary.threshold)
    return week_of(max(a.day for a in counted)) if summary.shown and counted else None


def with_employee_side(
    store: Store, profile: Profile, checkins: tuple[CheckIn, ...], today: date | None = None
) -> tuple[CheckIn, ...]:
    """Check-ins with the employee side added, for goals, charts, status and the board pack.

    - `pulse_score`: each shown round's score goes to the check-in of the week its
      results were complete, when that week has a check-in whose `pulse_score` was
      not typed (a typed value always wins); hidden rounds add nothing.
    - the inbox: the week's questions are added to `received`, those answered to
      `replies`, and the median response time becomes the reply-weighted mean of the
      typed median and the inbox's (an approximation of the combined median).
    Nothing is written: the check-in form keeps showing what was typed, so nothing
    is counted twice. Weeks without a check-in get nothing until the manager checks in.
    """
    from coach.inbox import inbox_week
    from coach.pulse import parse_pulse, summarise_round

    repo = _pulse_reader(store) if checkins else None
    if repo is None:
        return checkins  # nothing to add to, or nothing of the employees' side yet
    questions = repo.questions(profile)
    scores: dict[str, float] = {}
    day = today or today_for(profile)
    for stored, answers in repo.rounds_with_answers(profile):
        pulse = parse_pulse(stored.pulse)[0]
        if pulse is None:
            continue
        summary = summarise_round(pulse, stored.round, answers, day)
        week = _reveal_week(summary, answers)
        if week is not None and summary.score is not None:
            scores[week] = summary.score
    if not questions and not scores:
        return checkins
    out = []
    for checkin in checkins:
        changes: dict[str, Any] = {}
        if checkin.week in scores and checkin.pulse_score is None:
            changes["pulse_score"] = scores[checkin.week]
        box = inbox_week(questions, checkin.week, profile.timezone) if questions else None
        if box is not None and box.received:
            changes["received"] = checkin.received + box.received
            changes["replies"] = checkin.replies + box.replies
            changes["median_response_hours"] = _combined_median(checkin, box)
        out.append(dataclasses.replace(checkin, **changes) if changes else checkin)
    return tuple(out)


def _combined_median(checkin: CheckIn, box: InboxWeek) -> float | None:
    typed, mine = checkin.median_response_hours, box.median_response_hours
    if mine is None:
        return typed
    if typed is None or not checkin.replies:
        return mine
    weight = checkin.replies + box.replies
    return round((typed * checkin.replies + mine * box.replies) / weight, 2)


# ---- the board pack's perception section ---------------------------------------------------------


def with_perception(store: Store, profile: Profile, pack: BoardPack) -> BoardPack:
    """The pack with its perception section, read through `pulse_results` (never a comment).

    Only for a profile whose playbook has a pulse, or that has rounds or questions.
    """
    from coach.exports.perception import Perception
    from coach.pulse import MIN_THRESHOLD
    from coach.store.db import Database

    if not isinstance(getattr(store, "db", None), Database):
        return pack
    results = pulse_results(store, profile, pack.today)
    reader = _pulse_reader(store)
    if reader is None:
        return pack
    questions = reader.questions(profile)
    book_pulse = getattr(pack.playbook, "pulse", None)
    if book_pulse is None and not results.summaries:
        return pack  # nothing to say, and no threshold to state
    latest = results.latest_shown
    threshold = results.summaries[-1].threshold if results.summaries else MIN_THRESHOLD
    if not results.summaries and book_pulse is not None:
        threshold = int(book_pulse.threshold)
    weakest = None
    if latest is not None and latest.weakest:
        question = results.pulses[latest.round_id].question(latest.weakest)
        weakest = question.render(pack.lang, profile.name) if question else None
    trend = results.trend
    last_is_latest = latest is not None and trend.points and trend.points[-1][0] == latest.round_id
    since = pack.today - timedelta(days=28)
    zone = clock.zone(profile.timezone)
    recent = [q for q in questions if q.received.astimezone(zone).date() > since]
    hours = [
        (q.answered_at - q.received).total_seconds() / 3600
        for q in recent
        if q.answered_at is not None
    ]
    perception = Perception(
        threshold=threshold,
        rounds=len(results.summaries),
        score=latest.score if latest else None,
        shown_on=latest.opened if latest else None,
        direction=trend.direction if last_is_latest else "no_data",
        change=trend.change if last_is_latest else None,
        weakest=weakest,
        received=len(recent),
        answered=len(hours),
        median_hours=round(statistics.median(hours), 2) if hours else None,
        published=sum(1 for q in questions if q.state == "published"),
    )
    return dataclasses.replace(pack, perception=perception)


# ==== drafts (TEMPORARY here: moves to coach/service/drafts.py once the package split lands) ====
# ---- Before you post: the never-say list and saved drafts ----------------------------------------


class ReviewOptions(TypedDict, total=False):
    never_say: Sequence[str]  # phrases for this review only, on top of the stored list
    playbook: Playbook | None  # the profile's, already loaded (else found from its id)


def never_say_list(store: Store, profile: ProfileRef) -> list[str]:
    """The profile's own "never say" phrases, in the order they were added."""
    return store.never_say(profile)


def add_never_say(store: Store, profile: ProfileRef, phrases: Sequence[str]) -> list[str]:
    """Add phrases to the profile's list; the ones that were not on it yet.

    Only what is added is written: a phrase someone else added meanwhile stays. An empty,
    too long or multi-line phrase, or a full list, is InvalidInput and writes nothing.
    """
    return store.add_never_say(profile, phrases)


def remove_never_say(store: Store, profile: ProfileRef, phrase: str) -> bool:
    """Take one phrase off the list; False when someone already had."""
    return store.remove_never_say(profile, phrase)


def review_post(
    store: Store,
    profile: ProfileRef | None,
    text: str,
    network: str,
    lang: str,
    **more: Unpack[ReviewOptions],
) -> Review:
    """A draft reviewed as `review_draft` does, with the profile's stored never-say list.

    Without a profile, the default playbook and no stored list. Writes nothing.
    """
    phrases = [
        *(store.never_say(profile) if profile is not None else ()),
        *more.get("never_say", ()),
    ]
    book = more.get("playbook")
    return review_draft(store, profile, text, network, lang, never_say=phrases, playbook=book)


def save_post_draft(
    store: Store,
    profile: ProfileRef,
    text: str,
    network: str,
    over: PostDraft | None = None,
    **more: Unpack[ReviewOptions],
) -> PostDraft:
    """Save a draft to the profile with the verdict the review gives it now.

    A new draft, or the saved draft `over` (as it was opened) changed, only if nobody
    changed it since (CoachError `review.saved.changed` otherwise: nothing is written).
    """
    # the messages' language changes no verdict: any will do
    verdict = review_post(store, profile, text, network, "en", **more).verdict
    draft = PostDraft(text, network, verdict, clock.now())
    if over is not None:
        draft = dataclasses.replace(draft, id=over.id, version=over.version)
    return store.save_post_draft(profile, draft)


def post_drafts(store: Store, profile: ProfileRef) -> list[PostDraft]:
    """The drafts saved to the profile, the latest first."""
    return store.post_drafts(profile)


def open_post_draft(store: Store, profile: ProfileRef, draft_id: int) -> PostDraft:
    """One saved draft, to put back in the editor; NotFound when it was deleted."""
    return store.get_post_draft(profile, draft_id)


def delete_post_draft(store: Store, profile: ProfileRef, draft: PostDraft) -> None:
    """Delete a saved draft, if nobody changed it since it was listed."""
    store.delete_post_draft(profile, draft)
