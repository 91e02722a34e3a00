"""Tests for the tanh chapter's questions (actlib.exercises.tanh)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing
from scipy.special import expit

import actlib
from actlib.exercises import tanh as ex

GRAD_3 = (1 - np.tanh(3.0) ** 2) ** 10
CORRECT_ANSWERS = {
    "q1": (0.0, 0.6, 0.64),
    "q2": ex.tanh_grad,
    "q3": ex.tanh,
    "q4": (2.0, -1.0, 3.0, -1.0),
    "q5": (1.0, GRAD_3),
    "q6": "c",
}


# ----------------------------------------------------------------------------- correct answers


def _grad_via_cosh(x):
    with np.errstate(over="ignore"):
        return 1 / np.cosh(x) ** 2


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0, 0.6, 0.64]),
        (ex.q1, (Fraction(0), Fraction(3, 5), Fraction(16, 25))),
        (ex.q1, (np.tanh(0.0), np.tanh(math.log(2)), 1 - np.tanh(math.log(2)) ** 2)),
        (ex.q2, actlib.tanh_grad),
        (ex.q2, lambda x: 4 * expit(2 * np.asarray(x)) * expit(-2 * np.asarray(x))),
        (ex.q2, _grad_via_cosh),
        (ex.q3, np.tanh),
        (ex.q3, actlib.tanh),
        (ex.q4, [2, -1, 3, -1]),
        (ex.q5, (1, (1 - math.tanh(3) ** 2) ** 10)),
        (ex.q6, " C "),
        (ex.q6, "(c)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_functions_keep_dtype_and_scalars():
    for f in (ex.tanh, ex.tanh_grad):
        assert f(np.float32(0.5)).dtype == np.float32
        assert np.ndim(f(0.5)) == 0 and f(0.5).dtype == np.float64
        assert f(np.array([1, 2])).dtype == np.float64  # integers become float64
        x = np.array([-1.0, 2.0])
        f(x)
        np.testing.assert_array_equal(x, [-1.0, 2.0])
    assert ex.tanh(1e-10) == pytest.approx(1e-10, rel=1e-15)
    assert ex.tanh_grad(20.0) == pytest.approx(4 * math.exp(-40), rel=1e-12)


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong functions


def naive_tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def silenced_naive_tanh(x):
    with np.errstate(all="ignore"):
        return naive_tanh(x)


def one_minus_e_tanh(x):
    """The stable form without expm1: cancels near 0."""
    x = np.asarray(x)
    e = np.exp(-2 * np.abs(x))
    return np.sign(x) * (1 - e) / (1 + e)


def mutating_tanh(x):
    if isinstance(x, np.ndarray):
        x *= 1.0
        x[...] = np.tanh(x)
        return x
    return np.tanh(x)


TANH_CATALOGUE = [
    (naive_tanh, ["overflow encountered in exp", "x[0] = -1000.0", "q3.hint()"]),
    (silenced_naive_tanh, ["x[0] = -1000.0", "NaN, where a number was expected", "∞ / ∞"]),
    (lambda x: np.sinh(x) / np.cosh(x), ["overflow encountered in sinh"]),
    (one_minus_e_tanh, ["x[0] = 1e-17", "exactly 0", "cancellation", "expm1"]),
    (lambda x: 2 * expit(2 * np.asarray(x)) - 1, ["x[0] = 1e-17", "cancellation", "2σ(2x) − 1"]),
    (lambda x: np.tanh(np.abs(x)), ["x[0] = -3.0", "off by a sign", "sign of x back"]),
    (lambda x: np.tanh(np.asarray(x) / 2), ["tanh(x/2)", "−2|x|"]),
    (lambda x: -np.tanh(x), ["off by a sign", "order of the subtraction"]),
    (lambda x: np.tanh(np.asarray(x, dtype=np.float64)), ["dtype float64 for a float32 input"]),
    (lambda x: np.tanh(np.atleast_1d(x)), ["array of shape (1,) for a scalar input"]),
    (lambda x: float(np.tanh(np.sum(x))), ["a Python float", "shape (5,)"]),
    (lambda x: list(np.tanh(np.atleast_1d(x))) if np.ndim(x) else np.tanh(x), ["a list"]),
    (lambda x: np.nan_to_num(np.tanh(x)), ["x[2] = nan", "should be NaN"]),
    (mutating_tanh, ["modified its input x in place"]),
    (lambda x: math.tanh(x), ["raised TypeError", "use np.exp"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"), TANH_CATALOGUE, ids=[f"wrong{i}" for i in range(len(TANH_CATALOGUE))]
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_float32_overflow_is_caught_for_float32_limits():
    def float32_unsafe(x):  # stable in float64 only: exp(89) overflows in float32
        x = np.asarray(x)
        return np.tanh(x) if x.dtype == np.float64 else naive_tanh(x)

    assert_incorrect(ex.q3, float32_unsafe, "dtype=float32", "x[0] = -100.0", "overflow")


def test_q3_float32_cancellation_is_caught():
    def float32_cancels(x):  # expm1 in float64 only
        x = np.asarray(x)
        return np.tanh(x) if x.dtype == np.float64 else one_minus_e_tanh(x)

    assert_incorrect(ex.q3, float32_cancels, "dtype=float32", "exactly 0", "expm1")


def one_minus_tanh_squared(x):
    return 1 - np.tanh(x) ** 2


TANH_GRAD_CATALOGUE = [
    (one_minus_tanh_squared, ["x[1] = -40.0", "exactly 0", "cancels", "4e / (1 + e)²"]),
    (lambda x: (1 - np.tanh(x)) * (1 + np.tanh(x)), ["x[1] = -40.0", "cancels"]),
    (lambda x: 1 / np.cosh(x) ** 2, ["overflow encountered in cosh", "x[0] = -1000.0"]),
    (np.tanh, ["tanh(x) itself"]),
    (lambda x: 1 - np.tanh(x), ["1 − tanh(x);"]),
    (lambda x: 1 + np.tanh(x) ** 2, ["Check the sign"]),
    (lambda x: -one_minus_tanh_squared(x), ["off by a sign"]),
    (lambda x: 2 * expit(2 * np.asarray(x)) * expit(-2 * np.asarray(x)), ["factor 2 is missing"]),
    (lambda x: expit(x) * expit(-np.asarray(x)), ["sigmoid's derivative"]),
    (lambda x: ex.tanh_grad(np.asarray(x, dtype=np.float64)), ["dtype float64"]),
    (lambda x: np.sum(ex.tanh_grad(x)), ["single number", "shape (5,)"]),
    (lambda x: 4 * np.exp(-2 * np.abs(x)), ["x = 0.0", "too large"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    TANH_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(TANH_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_float32_cancellation_is_caught():
    def float32_cancels(x):  # accurate in float64, 1 - t**2 in float32
        x = np.asarray(x)
        return ex.tanh_grad(x) if x.dtype == np.float64 else one_minus_tanh_squared(x)

    assert_incorrect(ex.q2, float32_cancels, "dtype=float32", "exactly 0", "cancels")


# ----------------------------------------------------------------------------- wrong numbers


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.0, 0.6, 0.4), ["1 − tanh(ln 2)", "squares"]),
        ((0.0, 0.6, 0.36), ["1 minus that"]),
        ((0.5, 2 / 3, 2 / 9), ["sigmoid", "zero-centred"]),
        ((0.0, -0.6, 0.64), ["sign is wrong"]),
        ((0.0, 0.5, 0.64), ["tanh(ln 2): this is too small"]),
        ((1.0, 0.6, 0.64), ["tanh(0): this is too large"]),
        ((0.0, 0.6), ["2 value(s)"]),
        ("0, 0.6, 0.64", ["string"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((2.0, -1.0, 1.5, -0.5), ["doubles the whole argument"]),
        ((2.0, -1.0, 3.0, -0.5), ["doubled w but not b"]),
        ((0.5, 0.5, 0.75, -0.25), ["reverse identity"]),
        ((2.0, 1.0, 3.0, -1.0), ["check the shift"]),
        ((1.0, 0.0, 3.0, -1.0), ["stretched and shifted"]),
        ((2.0, -1.0, 3.0, 1.0), ["b': this is off by a sign"]),
        ((2.0, -1.0, 3.0), ["3 value(s)"]),
    ],
)
def test_q4_wrong_answers(answer, fragments):
    assert_incorrect(ex.q4, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.25**10, GRAD_3), ["belongs to the sigmoid"]),
        ((1.0, np.tanh(3.0) ** 10), ["multiplied the values tanh(3)"]),
        ((1.0, 1 - np.tanh(3.0) ** 2), ["a single factor"]),
        ((1.0, (4 * np.exp(-6.0)) ** 10), ["tail approximation"]),
        ((10.0, GRAD_3), ["added 10 factors"]),
        ((1.0, 0.0), ["the product at input 3: this is exactly 0"]),
        ((1.0, 2 * GRAD_3), ["the product at input 3: this is too large, by a factor of about 2"]),
        (1.0, ["1 value(s)"]),
    ],
)
def test_q5_wrong_answers(answer, fragments):
    assert_incorrect(ex.q5, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "−i·tan(ix)"), ("B", "saturates on both sides"), ("d", "1 − tanh(x)²"), ("e", "not")],
)
def test_q6_wrong_answers(answer, fragment):
    assert_incorrect(ex.q6, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in TANH_CATALOGUE]
    + [(ex.q2, a) for a, _ in TANH_GRAD_CATALOGUE]
    + [(ex.q1, a) for a in [(0.0, 0.6, 0.4), (0.0, 0.5, 0.6), (0.1, 0.7, 0.5), (0.5, 2 / 3, 2 / 9)]]
    + [(ex.q4, a) for a in [(2.0, -1.0, 1.5, -0.5), (1.0, 1.0, 1.0, 1.0), (0.5, 0.5, 0.75, -0.25)]]
    + [(ex.q5, a) for a in [(0.25**10, GRAD_3), (1.0, 1 - np.tanh(3.0) ** 2), (1.0, 1e-20)]]
    + [(ex.q6, a) for a in ["a", "b", "d"]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "3/5", "16/25", "0.64", "8.7e-21", "2σ(3x", "(2, -1, 3, -1)", "(c)"
    )


# ----------------------------------------------------------------------------- hostile input


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "(3/2) / (5/2) = 3/5"),
        (ex.q4, "2σ(3x − 1) − 1"),
        (ex.q5, "(1 − np.tanh(3)**2)**10"),
        (ex.q6, "(c)"),
    ],
)
def test_numeric_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


def test_solution_answers_in_the_text_are_right():
    assert abs(math.tanh(math.log(2)) - 3 / 5) < 1e-15
    assert abs(math.tanh(1.5 * 0.7 - 0.5) - (2 * expit(3 * 0.7 - 1) - 1)) < 1e-15
    assert f"{GRAD_3:.2g}" == "8.7e-21"
