"""The small, safe condition language used by `show_if`, `when` and `unless`.

A condition is plain data (never code, never eval):

    {all: [c, ...]}  {any: [c, ...]}  {not: c}
    {answer: QID, equals|in|contains|gt|gte|lt|lte|answered: V}
    {score: DIM, gt|gte|lt|lte|equals: N}        dimension score 0-100
    {level: DIM|overall, gt|gte|lt|lte|equals|in: N}
    {fact: hours_per_week|regulated_sector, ...: V}

`evaluate` answers true/false (`evaluation`), `explain` turns the parts that made a
condition true into sentences for a manager (`explanation`), and `check` lists
what is wrong in one, for the playbook validator (`validation`).
"""

from coach.conditions.evaluation import COMPARATORS as COMPARATORS
from coach.conditions.evaluation import NUMERIC as NUMERIC
from coach.conditions.evaluation import SUBJECTS as SUBJECTS
from coach.conditions.evaluation import Context as Context
from coach.conditions.evaluation import evaluate as evaluate
from coach.conditions.explanation import answered_that as answered_that
from coach.conditions.explanation import check_and_explain as check_and_explain
from coach.conditions.explanation import explain as explain
from coach.conditions.validation import ANSWER_COMPARATORS as ANSWER_COMPARATORS
from coach.conditions.validation import Before as Before
from coach.conditions.validation import CondProblem as CondProblem
from coach.conditions.validation import Problems as Problems
from coach.conditions.validation import check as check
from coach.conditions.validation import satisfiable as satisfiable
from coach.conditions.validation import tautology as tautology
from coach.profile import FACTS as FACTS
