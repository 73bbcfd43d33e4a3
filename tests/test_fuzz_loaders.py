"""Property: the YAML and JSON loaders, fed nested and numeric extremes, answer or refuse in words.

Whatever the document, a loader returns plain values that fit the product (integers within
64 bits, finite floats, at most MAX_DEPTH levels) or raises the one error its callers turn
into a sentence. The command line and the importers built on them never say "unexpected".
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import safejson, yamlsafe
from coach.cli import main
from coach.errors import InvalidInput
from coach.i18n import has_key
from coach.importers import detect_and_parse
from coach.yamlsafe import YamlProblem

UNEXPECTED = ("Something unexpected went wrong", "Une erreur inattendue")
MAX_INT = 2**63 - 1
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- documents ----------------------------------------------------------------------------------

number_literals = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),  # nan, inf, 1e+308, 5e-324
    st.from_regex(r"-?[0-9]{1,450}(\.[0-9]{0,40})?([eE][+-]?[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(
        [
            "9" * 400,
            "-" + "9" * 5000,
            str(2**63),
            str(-(2**63)),
            "1e400",
            "1.0e+400",
            "-1.5E-400",
            ".inf",
            "-.Inf",
            ".nan",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x" + "f" * 30,
            "0b" + "1" * 80,
            "0o" + "7" * 30,
            "1_000_000",
            "1:20:30",
            "1" + ":59" * 60,
            "-0",
            "0.0",
            "9999-12-31T23:59:59-01:00",  # YAML timestamps at the calendar's edges
            "0001-01-01T00:00:00+01:00",
            "2026-02-30",
        ]
    ),
)
depths = st.one_of(st.integers(min_value=0, max_value=130), st.sampled_from([64, 65, 60_000]))


@st.composite
def flow_nesting(draw) -> str:
    """A number inside `depth` flow collections, JSON style ([ and {"k": ...})."""
    depth = draw(depths)
    kinds = draw(st.lists(st.booleans(), min_size=1, max_size=4))
    opening = "".join('{"k": ' if kinds[i % len(kinds)] else "[" for i in range(depth))
    closing = "".join("}" if kinds[i % len(kinds)] else "]" for i in reversed(range(depth)))
    return opening + draw(number_literals) + closing


@st.composite
def block_nesting(draw) -> str:
    """A number inside `depth` block mappings (YAML indentation, one space per level)."""
    depth = draw(st.integers(min_value=0, max_value=100))
    lines = [" " * level + "k:" for level in range(depth)]
    lines.append(" " * depth + "leaf: " + draw(number_literals))
    return "\n".join(lines)


structural = st.text(alphabet='[]{}",:0123456789.eE-+ \n\\aNIfinty&*!|>#', max_size=200)
answers_documents = st.one_of(
    flow_nesting().map(lambda value: "reach.touchpoints: " + value),
    number_literals.map(lambda value: "reach.touchpoints: " + value),
    number_literals.map(lambda value: "facts:\n  hours_per_week: " + value + "\nanswers: {}"),
    number_literals.map(lambda value: '{"listening.sessions": ' + value + "}"),
    block_nesting(),
    structural,
)


# ---- what a loaded value may hold ---------------------------------------------------------------


def depth_of(value) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack.extend((child, level + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
    return deepest


def assert_fits(value) -> None:
    assert depth_of(value) <= yamlsafe.MAX_DEPTH + 1
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            stack.extend(node.keys())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, bool):
            continue
        elif isinstance(node, int):
            assert -MAX_INT <= node <= MAX_INT
        elif isinstance(node, float):
            assert math.isfinite(node)


# ---- the loaders --------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(answers_documents, flow_nesting(), block_nesting()))
def test_the_yaml_loader_returns_plain_values_or_a_problem_it_can_say(text):
    try:
        value, problems = yamlsafe.parse(text)
    except YamlProblem as problem:
        assert has_key("engine.problem." + problem.key, "en"), problem.key
        assert problem.line >= 1
        return
    assert all(has_key("engine.problem." + p.key, "fr") for p in problems)
    assert_fits(value)


@FUZZ
@given(st.one_of(flow_nesting(), number_literals, structural))
def test_the_json_loader_returns_plain_values_or_a_refusal_it_can_say(text):
    try:
        value = safejson.loads(text, file="fuzz.json")
    except safejson.JsonProblem as problem:
        message = problem.message("fr")
        assert "fuzz.json" in message and not message.startswith("importers.")
        return
    except json.JSONDecodeError:
        return  # not JSON: callers already say so in words
    assert_fits(value)


# ---- what people see ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "answers.yaml"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=answers_documents, command=st.sampled_from(["assess", "plan"]))
def test_assess_and_plan_answer_or_refuse_in_words(capsys, answers_file, text, command):
    answers_file.write_text(text, encoding="utf-8")
    capsys.readouterr()
    try:
        code = main([command, "--answers", str(answers_file), "--lang", "fr"])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code in (0, 1), (code, err)
    assert not any(u in err for u in UNEXPECTED), err
    assert "Traceback" not in err


@FUZZ
@given(st.one_of(flow_nesting(), number_literals))
def test_a_tweets_archive_with_extreme_values_is_read_or_refused_in_words(value):
    tweet = (
        '{"tweet": {"id_str": "1", "created_at": "2026-01-20T08:00:00Z", "full_text": "x", '
        '"extra": ' + value + "}}"
    )
    data = ("window.YTD.tweets.part0 = [" + tweet + "]").encode()
    try:
        result = detect_and_parse(data, "tweets.js")
    except InvalidInput as err:
        message = err.message("en")
        assert message and not message.startswith("importers.") and "tweets.js" in message
        return
    assert len(result.events) == 1
