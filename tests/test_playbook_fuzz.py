"""Property: whatever is done to a valid playbook, the loader returns a playbook or a validation error."""

from __future__ import annotations

import copy
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.model import Playbook
from coach.planner import build_plan
from coach.playbook import PlaybookInvalid, load_playbook
from coach.scoring import score
from tests.conftest import FIXTURES

BASE = yaml.safe_load((FIXTURES / "engine" / "mini.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10, max_value=1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(
        [
            "presence",
            "responsiveness",
            "never",
            "posts-per-week",
            "presence.create-profile",
            "fr",
            "en",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


ALL_PATHS = [p for p in paths(BASE) if p]


@st.composite
def mutated(draw):
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(values)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(values)
            elif isinstance(parent, list):
                parent.append(draw(values))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_loader_returns_a_playbook_or_a_validation_error(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("fuzz") / "mutant.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        playbook = load_playbook(path)
    except PlaybookInvalid as err:
        assert err.problems
        assert all(p.render("fr") and p.line >= 1 for p in err.problems)
        return
    assert isinstance(playbook, Playbook)
    # A playbook that loads must also score and plan without surprises.
    result = score(playbook, {})
    build_plan(playbook, {}, result, date(2026, 1, 5), 2, "en")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_validator(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("bytes") / "blob.yaml"
    path.write_bytes(blob)
    try:
        load_playbook(path)
    except PlaybookInvalid as err:
        assert err.problems
