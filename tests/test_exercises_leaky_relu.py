"""Tests for the Leaky ReLU chapter's questions (actlib.exercises.leaky_relu)."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, strict_check

from actlib.exercises import FunctionQuestion
from actlib.exercises import leaky_relu as ex

CORRECT_ANSWERS = {
    "q1": (-1.0, -0.1, 0.0, 3.0),
    "q2": ex.leaky_relu_grad,
    "q3": ex.leaky_relu,
    "q4": (0.0, 0.008, 0.24),
    "q5": "b",
}


# ----------------------------------------------------------------------------- correct answers


def _torch_like_grad(x, negative_slope=0.01):
    x = np.asarray(x)
    x = x if x.dtype.kind == "f" else x.astype(np.float64)
    one = np.ones_like(x)
    return np.where(x <= 0, negative_slope * one, np.where(x > 0, one, x))[()]


def _where_leaky(x, negative_slope=0.01):
    x = np.asarray(x)
    if negative_slope == 0:
        return np.maximum(x, 0)[()]
    return np.where(x > 0, x, negative_slope * x)[()]


def _min_form(x, negative_slope=0.01):  # right for a >= 1 only: the mirror of max(a x, x)
    x = np.asarray(x)
    if negative_slope == 0:
        return np.maximum(x, 0)[()]
    form = np.minimum if negative_slope > 1 else np.maximum
    return form(negative_slope * x, x)[()]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [-1.0, -0.1, 0.0, 3.0]),
        (ex.q1, np.array([-1.0, -0.1, -0.0, 3.0])),
        (ex.q1, (Fraction(-1), Fraction(-1, 10), 0, 3)),
        (ex.q1, (0.2 * -5, 0.2 * -0.5, 0, 3)),
        (ex.q4, (0, 0.8 * 0.01, 0.8 * 0.3)),
        (ex.q4, [-0.0, 0.008, 0.24]),
        (ex.q2, _torch_like_grad),
        (ex.q3, _where_leaky),
        (ex.q3, _min_form),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_functions_match_actlib():
    import actlib

    x = np.array([-np.inf, -1e308, -2.0, -0.0, 0.0, 0.5, 1e308, np.inf, np.nan])
    for a in (0.0, 0.01, 0.3, 1.0, -0.5):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            np.testing.assert_array_equal(ex.leaky_relu(x, a), actlib.leaky_relu(x, a))
            np.testing.assert_array_equal(ex.leaky_relu_grad(x, a), actlib.leaky_relu_grad(x, a))
    for f in (ex.leaky_relu, ex.leaky_relu_grad):
        assert f(np.float32([-1.0, 2.0]), 0.1).dtype == np.float32
        assert f(np.array([-1, 2]), 0.1).dtype == np.float64
        assert isinstance(f(-1.0, 0.1), np.floating)


def test_tolerance_is_relative_not_exact():
    assert strict_check(ex.q3, lambda x, a: ex.leaky_relu(x, a) * (1 + 1e-14))
    assert strict_check(ex.q1, (-1.0 + 1e-9, -0.1, 0.0, 3.0))
    assert_incorrect(ex.q3, lambda x, a: ex.leaky_relu(x, a) * (1 + 1e-6), "slightly")
    assert_incorrect(ex.q1, (-1.0, -0.1, 0.0, 3.1), "f(3): this is too large")


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong: q2


def _silenced(f):
    def g(*args):
        with np.errstate(all="ignore"):
            return f(*args)

    return g


def _grad_mutating(x, a):
    x = np.asarray(x)
    x[x > 0] = 1.0  # "reuse" the input
    return np.where(np.isnan(x), x, np.where(x > 0, 1.0, a))


GRAD_CATALOGUE = [
    (lambda x, a: np.where(x >= 0, 1.0, a), ["x[2] = 0.0", "At x = 0 your derivative is 1"]),
    (lambda x, a: np.where(x >= 0, 1.0, a), ["PyTorch", "x > 0, not x >= 0"]),
    (lambda x, a: np.maximum(x, 0) + a * np.minimum(x, 0), ["Leaky ReLU itself"]),
    (lambda x, a: np.where(x > 0, 1.0, 0.0), ["exactly 0", "ignored negative_slope"]),
    (lambda x, a: np.where(x > 0, a, 1.0), ["slopes are swapped"]),
    (lambda x, a: np.where(x > 0, 1.0, a), ["x[1] = nan", "should be NaN", "np.isnan"]),
    (lambda x, a: np.where(x > 0, 1.0, a) + 0 * x, ["RuntimeWarning", "x[0] = -inf"]),
    (_silenced(lambda x, a: np.where(x > 0, 1.0, a) + 0 * x), ["0 · inf is NaN"]),
    (
        lambda x, a: np.where(np.isnan(x), x, np.where(x > 0, 1.0, a)),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x, a: np.sign(x), ["x[0] = -3.0", "wrong sign"]),
    (lambda x, a: np.mean(np.where(x > 0, 1.0, a)), ["single number", "shape (5,)"]),
    (lambda x, a: [1.0 if v > 0 else a for v in x], ["returned a list"]),
    (lambda x, a: 1.0 if x > 0 else a, ["ambiguous", "np.where"]),
    (_grad_mutating, ["modified its input x in place"]),
    (lambda x: x, ["raised TypeError"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"), GRAD_CATALOGUE, ids=[f"wrong{i}" for i in range(len(GRAD_CATALOGUE))]
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


# ----------------------------------------------------------------------------- wrong: q3


def _python_max(x, a):  # scalar code: Python's max and min drop NaN
    x = np.asarray(x)
    out = [max(0.0, v) + a * min(0.0, v) for v in x.ravel().tolist()]
    return np.array(out, dtype=x.dtype).reshape(x.shape)[()]


def _mutating_leaky(x, a):
    x = np.asarray(x)
    np.multiply(x, a, out=x, where=x < 0)
    return x


LEAKY_CATALOGUE = [
    (lambda x, a: np.maximum(a * x, x), ["negative_slope = 1.5", "max(a·x, x)", "a <= 1"]),
    (lambda x, a: np.maximum(x, 0), ["x = -2.0", "exactly 0", "plain ReLU"]),
    (lambda x, a: np.where(x > 0, a * x, x), ["wrong side"]),
    (
        lambda x, a: np.maximum(x, 0) + a * np.minimum(x, 0),
        ["negative_slope = 0.0", "invalid value encountered in multiply", "x[0] = -inf"],
    ),
    (lambda x, a: np.where(x > 0, x, a * x), ["negative_slope = 0.0", "x[0] = -inf"]),
    (
        _silenced(lambda x, a: np.maximum(x, 0) + a * np.minimum(x, 0)),
        ["x[0] = -inf", "NaN, where a number was expected", "0 · (−inf) = NaN"],
    ),
    (lambda x, a: np.fmax(x, 0) + a * np.fmin(x, 0), ["x[2] = nan", "np.fmax"]),
    (_python_max, ["x[2] = nan", "should be NaN"]),
    (
        lambda x, a: x * (x > 0) + a * x * (x <= 0),
        ["RuntimeWarning", "invalid value", "x[0] = -inf"],
    ),
    (
        lambda x, a: np.maximum(x, 0) + np.float64(a) * np.minimum(x, 0),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x, a: np.asarray(x, dtype=float) * 0 + ex.leaky_relu(x, a), ["dtype float64"]),
    (_mutating_leaky, ["modified its input x in place"]),
    (lambda x, a: list(np.atleast_1d(ex.leaky_relu(x, a))), ["returned a list"]),
    (lambda x, a: np.atleast_1d(ex.leaky_relu(x, a)), ["shape (1,) for a scalar input"]),
    (lambda x, a: float(np.sum(ex.leaky_relu(x, a))), ["Python float", "shape (5,)"]),
    (lambda x, a: -ex.leaky_relu(x, a), ["off by a sign"]),
    (lambda x: x, ["raised TypeError"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    LEAKY_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(LEAKY_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_catches_the_max_form_only_through_a_slope_above_one():
    """max(a x, x) is right for every a <= 1, negative slopes included."""
    max_form = ex.q3.mistakes[0][0]
    for c in ex.q3.cases:
        x, a = c.args
        if a == 1.5:
            assert not np.allclose(max_form(x, a), ex.q3.expected(x, a), equal_nan=True)
        elif a != 0:  # a = 0 differs only through 0 * (-inf)
            np.testing.assert_array_equal(max_form(x, a), ex.q3.expected(x, a))
    assert any(c.args[1] < 0 for c in ex.q3.cases)  # a negative slope is tested


# ----------------------------------------------------------------------------- wrong numbers

Q1_WRONG = [
    ((0.0, 0.0, 0.0, 3.0), ["plain ReLU"]),
    ((-5.0, -0.5, 0.0, 0.6), ["wrong side"]),
    ((-1.0, -0.1, 0.0, 0.6), ["multiplied every input by a"]),
    ((1.0, 0.1, 0.0, 3.0), ["signs"]),
    ((-1.0, -0.01, 0.0, 3.0), ["f(-0.5): this is too small, by a factor of about 10"]),
    ((-1.0, -0.1, 0.2, 3.0), ["f(0): this is too large"]),
    ((-1.0, -0.1, 0.0), ["3 value(s)", "4 numbers"]),
    ("-1, -0.1, 0, 3", ["string", "without quotes"]),
    ((-1.0, math.nan, 0.0, 3.0), ["f(-0.5): this is NaN"]),
]


@pytest.mark.parametrize(("answer", "fragments"), Q1_WRONG)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


Q4_WRONG = [
    ((0.8, 0.8, 0.8), ["passed the gradient through unchanged"]),
    ((0.0, 0.0, 0.0), ["slope a, not 0"]),
    ((0.0, 0.01, 0.3), ["local slopes", "incoming gradient"]),
    ((0.0, -0.012, -0.36), ["output f(z)", "derivative"]),
    ((0.0, 0.008, 0.3), ["Leaky ReLU a = 0.3: this is too large"]),
    ((0.8, 0.008, 0.24), ["ReLU: this is too large"]),
    (0.008, ["1 value(s)"]),
]


@pytest.mark.parametrize(("answer", "fragments"), Q4_WRONG)
def test_q4_wrong_answers_get_a_nudge(answer, fragments):
    assert_incorrect(ex.q4, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "a = 2 and x = 3"), ("C", "x > 0"), ("d", "recover"), ("e", "not an option"),
     (1, "an int")],
)  # fmt: skip
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


# numbers that the prompts and labels show: they are no spoilers
NUMERIC_INPUTS = {"q1": {5.0, 0.5, 0.0, 3.0, 0.2}, "q4": {0.0, 1.5, 0.8, 0.01, 0.3}}


def _spoilers(question) -> set[str]:
    """Texts of the expected values that a message must never contain."""
    values: list[float] = []
    if isinstance(question, FunctionQuestion):
        for c in question.cases:
            values.extend(np.ravel(question._truth(c)).tolist())
        inputs = {abs(float(v)) for c in question.cases for a in c.args for v in np.ravel(a)}
    else:
        values.extend(question.expected.tolist())
        inputs = NUMERIC_INPUTS[question.name]
    texts = set()
    for v in values:
        if np.isfinite(v) and abs(v) not in inputs:
            texts |= {repr(v), f"{v:.6g}", f"{v:.4g}"}
            if abs(v) < 1e38:
                texts.add(str(np.float32(v)))
    return {t for t in texts if len(t.lstrip("-")) >= 3 or len(values) <= 4}


WRONG_ANSWERS = (
    [(ex.q2, a) for a, _ in GRAD_CATALOGUE]
    + [(ex.q3, a) for a, _ in LEAKY_CATALOGUE]
    + [(ex.q1, a) for a, _ in Q1_WRONG]
    + [(ex.q4, a) for a, _ in Q4_WRONG]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    result = strict_check(question, answer)
    assert result.status != "correct"
    for spoiler in _spoilers(question):
        assert spoiler not in result.message, (spoiler, result.message)
    for text in ("0.008", "0.24", "-0.1,", "(-1.0"):
        assert text not in result.message


# ----------------------------------------------------------------------------- hostile input


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [(ex.q1, "0.2 · (−5) = −1"), (ex.q4, "0.8 · 0.3 = 0.24"), (ex.q5, "(b)")],
)
def test_numeric_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


def test_question_repr_shows_the_prompt():
    assert repr(ex.q3).startswith("q3: Implement leaky_relu(x, negative_slope)")
    assert "(b) With a = 1 it is the identity" in repr(ex.q5)
