"""The playbook format, written once: every object's fields and their kinds.

`SPEC` drives the structural checks (coach/playbook/structure.py) and the JSON Schema
editors use for completion (coach/playbook/schema.py). Field kinds: "id", "str", "int",
"number", "bool", "text" (bilingual), "condition", "targets" (level -> number),
"number_map", "languages", "enum:a|b", "list:<kind or object>", "object name"; "pulse"
and "reviews" are sections their own packages check.
"""

from __future__ import annotations

from coach.model import APP_PAGES, METRICS

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
QUESTION_TYPES = ("single", "multiple", "scale", "number", "yesno", "text")
DIRECTIONS = ("at_least", "at_most")
STEP_KINDS = ("once", "habit")
LANGS = ("fr", "en")

# Each object's fields in order, written `key:kind`; a `!` after the kind marks a required
# field. `{name}` stands for the values of an enum below.
_ENUMS = {
    "question_types": "|".join(QUESTION_TYPES),
    "metrics": "|".join(METRICS),
    "directions": "|".join(DIRECTIONS),
    "step_kinds": "|".join(STEP_KINDS),
    "app_pages": "|".join(APP_PAGES),
}
_FIELDS = {
    "playbook": """id:id! version:str! languages:languages! title:text! description:text!
        sources:list:source levels:list:level! dimensions:list:dimension!
        questions:list:question! actions:list:action! goals:list:goal!
        diagnoses:list:diagnosis sequence:list:sequence_rule pacing:pacing
        board_asks:list:board_ask pulse:pulse reviews:reviews""",
    "source": "id:id! title:str! year:int! url:str measured:text",
    "level": "level:int! name:text! description:text! min_score:number!",
    "dimension": "id:id! title:text! description:text! weight:number",
    "question": """id:id! dimension:id! type:enum:{question_types}! text:text! help:text
        weight:number show_if:condition options:list:option unit:text min:number max:number
        bands:list:band scale_labels:list:text reverse:bool score_yes:number score_no:number
        reason_yes:text reason_no:text scored:bool""",
    "option": "id:id! label:text! score:number reason:text",
    "band": "min:number max:number score:number!",
    "action": """id:id! dimension:id! level:int! title:text! why:text! how:list:text!
        effort_hours:number! duration_weeks:int! starter:text! quick_win:bool
        depends_on:list:id when:condition unless:condition sets_goals:list:goal_setting
        resources:list:resource kind:enum:{step_kinds} recurrence:str habit_hours:number
        tags:list:id replaces:list:id opens:enum:{app_pages}""",
    "goal_setting": "goal:id! target:number delay_weeks:int from_end:bool",
    "resource": "title:text! url:str",
    "goal": """id:id! title:text! description:text! metric:enum:{metrics}! unit:text!
        direction:enum:{directions}! dimension:id targets:targets! baseline:baseline
        max_change:number max_change_why:text ceiling:ceiling hours_limits:list:hours_limit
        only_with_step:bool quotes:id tracked_when:condition""",
    "baseline": "question:id! values:number_map",
    "ceiling": "above:number! low:number! high:number! why:text!",
    "hours_limit": "hours_below:number! target:number! why:text!",
    "diagnosis": "id:id! dimension:id! when:condition! title:text! why:text! actions:list:id!",
    "sequence_rule": "id:id! first:list:str! then:list:str! why:text! when:condition",
    "pacing": """habit_gap_weeks:int habit_share:number first_month_limit:int
        first_month_hours:number why_gap:text why_first_month:text quick_win_hours:number
        max_plan_weeks:int""",
    "board_ask": "id:id! when:condition diagnoses:list:id text:text! why:text!",
}


def _fields(text: str) -> dict[str, tuple[str, bool]]:
    """{key: (kind, required)} from `key:kind` words, in the order written."""
    fields: dict[str, tuple[str, bool]] = {}
    for word in text.format(**_ENUMS).split():
        key, _, kind = word.partition(":")
        fields[key] = (kind.rstrip("!"), kind.endswith("!"))
    return fields


SPEC: dict[str, dict[str, tuple[str, bool]]] = {
    name: _fields(text) for name, text in _FIELDS.items()
}
