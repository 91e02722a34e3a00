"""Tests for the "Choosing an activation" chapter's questions: references pass, typical wrong
answers fail with their specific messages, and the facts the feedback states are true."""

from __future__ import annotations

import re

import numpy as np
import pytest
from exercise_contract import assert_incorrect, strict_check

from actlib import functional as F
from actlib import registry
from actlib.exercises import ChoiceQuestion
from actlib.exercises import choosing as ex

ALL_QUESTIONS = [ex.q1, ex.q2, ex.q3, ex.q4, ex.q5]
CHOICE_QUESTIONS = [q for q in ALL_QUESTIONS if isinstance(q, ChoiceQuestion)]
CORRECT_ANSWERS = {"q1": "b", "q2": "b", "q3": "b", "q4": "a", "q5": 4**5}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, "B"),
        (ex.q1, " (b) "),
        (ex.q4, "A"),
        (ex.q5, 1024),
        (ex.q5, 1024.0),
        (ex.q5, np.float32(1024)),
        (ex.q5, 1 / 0.25**5),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_forms_pass(question, answer):
    assert strict_check(question, answer).status == "correct"


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize(
    ("question", "answer", "fragment"),
    [
        (ex.q1, "a", "softmax makes the labels compete"),
        (ex.q1, "c", "raw scores are not probabilities"),
        (ex.q1, "d", "not in [0, 1]"),
        (ex.q2, "a", "log s = −∞"),
        (ex.q2, "c", "never exceeds 1"),
        (ex.q2, "d", "negative values"),
        (ex.q3, "a", "nothing pulls mean and variance back"),
        (ex.q3, "c", "variance grows"),
        (ex.q3, "d", "halves at every layer"),
        (ex.q4, "b", "zero gradient for every example"),
        (ex.q4, "c", "saturate"),
        (ex.q4, "d", "more units start dead"),
    ],
)
def test_every_wrong_option_gets_its_own_feedback(question, answer, fragment):
    result = assert_incorrect(question, answer, fragment)
    assert result.message.startswith(f"({answer}) is not the best answer")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("e", "is not an option"), ("softplus", "is not an option"), (2, "as a string")],
)
def test_choice_input_errors(answer, fragment):
    assert_incorrect(ex.q2, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (4, "ratio for a single layer"),
        (20, "you added the 5 factors"),
        (1 / 1024, "upside down"),
        (4**4, "count the factors again"),
        (4**6, "count the factors again"),
        (0.25**5, "the sigmoid's bound alone"),  # the same number as 1 / 1024
        (1, "tanh's bound alone"),
        (2**5, "a ratio of 4, not 2"),
        (1000, "too small"),
        ("1024", "without quotes"),
        ((4, 5), "2 value(s)"),
        (lambda: 1024, "you passed a function"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=lambda q: q.name)
@pytest.mark.parametrize("answer", ["a", "c", "d", 1000, 3.0, 0.5])
def test_messages_never_reveal_expected_values(question, answer):
    result = question.check(answer)
    if result:
        return
    assert "1024" not in result.message
    if isinstance(question, ChoiceQuestion):
        assert f"({question.answer})" not in result.message.replace(f"({answer})", "")


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda q: q.name)
def test_solution_names_the_right_option(question):
    assert question.solution_text.startswith(f"({question.answer}).")


def test_q5_solution_code_passes():
    assert "q5.check(4**5)" in ex.q5.solution_text
    assert strict_check(ex.q5, eval("4**5"))


# ----------------------------------------------------------------------------- facts behind


def _max_slope(key: str) -> float:
    x = np.linspace(-8, 8, 160001)
    return float(registry.get(key).grad(x).max())


def test_q5_facts_match_the_registry_and_the_functions():
    assert registry.get("tanh").max_slope.startswith("1 ")
    assert registry.get("sigmoid").max_slope.startswith("1/4 ")
    ratio = (_max_slope("tanh") / _max_slope("sigmoid")) ** 5
    assert ratio == pytest.approx(ex.q5.expected[0], rel=1e-9)


def _second_moments(f, variance: float, layers: int = 30, width: int = 256) -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((500, width))
    out = []
    for _ in range(layers):
        x = f(x @ (rng.standard_normal((width, width)) * np.sqrt(variance / width)))
        out.append(float(np.mean(x * x)))
    return np.array(out)


def test_q3_feedback_facts():
    selu_lecun = _second_moments(F.selu, 1.0)
    assert np.all(np.abs(selu_lecun - 1) < 0.15)  # settles at mean 0, variance 1
    selu_he = _second_moments(F.selu, 2.0)
    assert selu_he[-1] > 10 * selu_he[0] > 10  # grows layer after layer
    relu_lecun = _second_moments(F.relu, 1.0)
    assert relu_lecun[10] / relu_lecun[9] == pytest.approx(0.5, abs=0.1)  # halves per layer
    assert relu_lecun[-1] < 1e-6
    relu_he = _second_moments(F.relu, 2.0)
    assert 0.3 < relu_he[-1] / relu_he[0] < 3  # He keeps the scale


def test_q2_and_q4_facts():
    z = np.array([-3.0, -1.0, 0.0])
    assert np.all(F.relu(z) == 0) and np.all(F.relu_grad(z) == 0)  # stuck at 0, no gradient
    assert np.all(F.softplus_grad(np.array([-30.0, 0.0, 30.0])) > 0)
    assert np.all(F.softplus(np.array([-30.0, 0.0, 30.0])) > 0)
    assert F.sigmoid(40.0) <= 1 and F.tanh(-1.0) < 0
    assert np.all(F.leaky_relu_grad(z) > 0)


def test_statements_name_letters_in_prompt():
    for q in ALL_QUESTIONS:
        assert re.search(rf"{q.name}\.check\(", q.prompt)
