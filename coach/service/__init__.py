"""The application layer: the use cases every front (app, CLI, board pack) goes through.

Functions take explicit arguments (a store, a profile by id, name or `Profile`, a
language, a date) and return plain objects; nothing here knows about a UI. The
app caches what it needs keyed on `store.revision()`.

`ProfileSnapshot` is everything a page, `status` and the board pack show about
one profile, in one language, at one date: one source of truth.

The package's modules: `summary` (the snapshot), `writes`, `profiles`, `imports`, `pack`,
`focus`, `rollout`, `admin`, `pulse`, `employees`, `drafts`, `authoring` (answers files, no
profile), and `common` (what they all look up).
Every name is re-exported here (`name as name`), so `from coach import service` and
`service.<name>` work as they did when this was one module.
"""

from coach.service.admin import SnapshotCache as SnapshotCache
from coach.service.admin import assign_as_operator as assign_as_operator
from coach.service.admin import assign_coach as assign_coach
from coach.service.admin import audit_log as audit_log
from coach.service.admin import coach_assignments as coach_assignments
from coach.service.admin import grant_role_as_operator as grant_role_as_operator
from coach.service.admin import list_members as list_members
from coach.service.admin import operator_store as operator_store
from coach.service.admin import portfolio_snapshots as portfolio_snapshots
from coach.service.admin import set_disabled as set_disabled
from coach.service.admin import set_role as set_role
from coach.service.admin import snapshots as snapshots
from coach.service.authoring import Assessed as Assessed
from coach.service.authoring import assess_answers as assess_answers
from coach.service.authoring import plan_from_answers as plan_from_answers
from coach.service.common import find_playbook as find_playbook
from coach.service.common import today_for as today_for
from coach.service.drafts import *  # noqa: F403 - Before you post: never-say list, saved drafts
from coach.service.employees import EmployeeInboxPage as EmployeeInboxPage
from coach.service.employees import EmployeePulsePage as EmployeePulsePage
from coach.service.employees import PublishedAnswer as PublishedAnswer
from coach.service.employees import ask_question as ask_question
from coach.service.employees import inbox_page as inbox_page
from coach.service.employees import pulse_page as pulse_page
from coach.service.employees import submit_pulse as submit_pulse
from coach.service.employees import with_employee_side as with_employee_side
from coach.service.focus import Deferred as Deferred
from coach.service.focus import PortfolioRow as PortfolioRow
from coach.service.focus import StepFocus as StepFocus
from coach.service.focus import deferred as deferred
from coach.service.focus import portfolio as portfolio
from coach.service.focus import portfolio_row as portfolio_row
from coach.service.focus import review_draft as review_draft
from coach.service.focus import step_focus as step_focus
from coach.service.imports import apply_import as apply_import
from coach.service.imports import preview_import as preview_import
from coach.service.pack import build_pack as build_pack
from coach.service.pack import pack_inputs as pack_inputs
from coach.service.pack import with_perception as with_perception
from coach.service.profiles import check_name_free as check_name_free
from coach.service.profiles import create_demo as create_demo
from coach.service.profiles import create_profile as create_profile
from coach.service.profiles import delete_profile as delete_profile
from coach.service.profiles import export_profile as export_profile
from coach.service.profiles import find_profile as find_profile
from coach.service.profiles import import_profile as import_profile
from coach.service.pulse import PulseOpened as PulseOpened
from coach.service.pulse import PulseResults as PulseResults
from coach.service.pulse import answer_question as answer_question
from coach.service.pulse import apply_pulse_import as apply_pulse_import
from coach.service.pulse import close_inbox_link as close_inbox_link
from coach.service.pulse import close_pulse as close_pulse
from coach.service.pulse import import_pulse as import_pulse
from coach.service.pulse import inbox as inbox
from coach.service.pulse import inbox_figures as inbox_figures
from coach.service.pulse import inbox_link_open as inbox_link_open
from coach.service.pulse import open_inbox_link as open_inbox_link
from coach.service.pulse import open_pulse as open_pulse
from coach.service.pulse import publish_answer as publish_answer
from coach.service.pulse import pulse_link_open as pulse_link_open
from coach.service.pulse import pulse_results as pulse_results
from coach.service.pulse import pulse_results_json as pulse_results_json
from coach.service.pulse import share_url as share_url
from coach.service.rollout import DatabaseReport as DatabaseReport
from coach.service.rollout import NotMember as NotMember
from coach.service.rollout import current_user as current_user
from coach.service.rollout import database_sql as database_sql
from coach.service.rollout import database_status as database_status
from coach.service.rollout import for_user as for_user
from coach.service.rollout import record_export as record_export
from coach.service.rollout import sign_in as sign_in
from coach.service.rollout import upgrade_database as upgrade_database
from coach.service.summary import ProfileSnapshot as ProfileSnapshot
from coach.service.summary import reworded as reworded
from coach.service.summary import snapshot as snapshot
from coach.service.summary import snapshot_of as snapshot_of
from coach.service.summary import status_report as status_report
from coach.service.writes import ProfileChange as ProfileChange
from coach.service.writes import change_profile as change_profile
from coach.service.writes import complete_assessment as complete_assessment
from coach.service.writes import plan_start as plan_start
from coach.service.writes import save_answers as save_answers
from coach.service.writes import save_week as save_week
from coach.service.writes import set_goal_target as set_goal_target
from coach.service.writes import set_step_state as set_step_state
