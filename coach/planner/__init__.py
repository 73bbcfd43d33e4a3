"""Triggered actions -> a diagnosed, ordered, paced, explained plan.

A coach names the central issue first (`diagnosis`): the first playbook `diagnoses`
rule that holds gives the plan's diagnosis, and its actions lead the plan in their
order. The other triggered actions follow dependencies, `sequence` rules and a
stable priority (`ordering`). Scheduling is week by week from the start date
(`calendar`, `pacing`, `schedule`): no week ever holds more hours than the manager
gives, and the playbook's `pacing` spaces new habits. Every step says why it is
there and why it comes where it does (`reasons`); goals get personal targets
(`goals`). `build` puts a plan together, `changes` moves it after new hours, facts
or answers, `saved` reads a stored plan later and `dicts` stores it as JSON-safe data.
"""

from coach.planner.build import WHERE_TO_START as WHERE_TO_START
from coach.planner.build import build_plan as build_plan
from coach.planner.build import check_hours as check_hours
from coach.planner.calendar import EPSILON as EPSILON
from coach.planner.calendar import PHASE_LIMITS as PHASE_LIMITS
from coach.planner.calendar import phase_of as phase_of
from coach.planner.calendar import week_start as week_start
from coach.planner.changes import replan as replan
from coach.planner.changes import reschedule as reschedule
from coach.planner.diagnosis import diagnose as diagnose
from coach.planner.dicts import plan_from_dict as plan_from_dict
from coach.planner.dicts import plan_to_dict as plan_to_dict
from coach.planner.goals import baseline_of as baseline_of
from coach.planner.goals import goal_targets as goal_targets
from coach.planner.ordering import Edges as Edges
from coach.planner.ordering import order_actions as order_actions
from coach.planner.ordering import priority as priority
from coach.planner.ordering import sequence_edges as sequence_edges
from coach.planner.ordering import triggered as triggered
from coach.planner.pacing import MIN_FREE_SHARE as MIN_FREE_SHARE
from coach.planner.reasons import merge_reasons as merge_reasons
from coach.planner.reasons import quote_titles as quote_titles
from coach.planner.saved import board_asks as board_asks
from coach.planner.saved import open_steps as open_steps
from coach.planner.saved import reword as reword
from coach.planner.schedule import LOAD_WEEKS as LOAD_WEEKS
from coach.planner.schedule import Fixed as Fixed
from coach.planner.schedule import occurrences as occurrences
from coach.planner.schedule import weekly_load as weekly_load
