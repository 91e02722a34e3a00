"""Tests for the GELU chapter's questions (the checker framework is tested in test_exercises.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check
from scipy import integrate, optimize, stats
from scipy.special import erf, erfc, expit, ndtr

import actlib
from actlib.exercises import gelu as ex

PHI_1 = float(stats.norm.cdf(1.0))
X_MIN = optimize.brentq(lambda x: actlib.gelu_grad(x), -2.0, 0.0, xtol=1e-14)
FRACTION = float(ndtr(X_MIN))
CORRECT_ANSWERS = {
    "q1": (0.0, 0.841345, -0.158655, 10.0),
    "q2": ex.gelu_grad,
    "q3": ex.gelu,
    "q4": 0.2261,
    "q5": "b",
}
SQRT2 = math.sqrt(2)


# ----------------------------------------------------------------------------- constants


def test_the_module_constants_are_right():
    assert math.isclose(ex._X_MIN, X_MIN, rel_tol=1e-12)
    assert math.isclose(ex._FRACTION, FRACTION, rel_tol=1e-12)
    assert abs(ex._PHI_1 - PHI_1) < 5e-7  # the 6 digits the learner is given
    # the minimum's value, quoted in q4's mistakes and q5's solution
    assert math.isclose(float(actlib.gelu(X_MIN)), -0.16997120747990366, rel_tol=1e-12)


def test_monte_carlo_agrees_with_the_q4_answer():
    z = np.random.default_rng(0).standard_normal(10**6)
    fraction = np.mean(actlib.gelu_grad(z) < 0)
    assert abs(fraction - FRACTION) < 2e-3
    assert strict_check(ex.q4, round(float(fraction), 3))


# ----------------------------------------------------------------------------- correct answers


def _quad_fraction():
    return integrate.quad(stats.norm.pdf, -np.inf, X_MIN)[0]


def silenced_gelu(x):
    """A learner who silences the warning and fixes -inf by hand."""
    x = np.asarray(x)
    with np.errstate(invalid="ignore"):
        return np.where(np.isneginf(x), 0.0, x * ndtr(x))[()]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0, PHI_1, PHI_1 - 1, 10]),
        (ex.q1, tuple(actlib.gelu([0.0, 1.0, -1.0, 10.0]))),
        (ex.q1, (0, 0.8413, -0.1587, 10.0)),
        (ex.q2, actlib.gelu_grad),
        (  # the erf form of Phi is accurate enough over the derivative's cases
            ex.q2,
            lambda x: 0.5 * (1 + erf(x / SQRT2)) + x * np.exp(-x * x / 2) / math.sqrt(2 * math.pi),
        ),
        (ex.q2, lambda x: ndtr(x) + x * stats.norm.pdf(x).astype(np.asarray(x).dtype)),
        (ex.q3, actlib.gelu),
        (ex.q3, lambda x: np.maximum(x, -40.0) * 0.5 * erfc(-np.maximum(x, -40.0) / SQRT2)),
        (ex.q3, silenced_gelu),
        (ex.q4, FRACTION),
        (ex.q4, _quad_fraction()),
        (ex.q4, 0.226),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_the_reference_solutions_agree_with_actlib():
    x = np.array([-np.inf, -1000.0, -40.0, -30.0, -10.0, -1.0, 0.0, 1.0, 3.0, 1e300, np.inf])
    np.testing.assert_allclose(ex.gelu(x), actlib.gelu(x), rtol=1e-14, atol=0)
    finite = x[np.abs(x) <= 1000]
    np.testing.assert_allclose(ex.gelu_grad(finite), actlib.gelu_grad(finite), rtol=1e-14)
    assert np.isnan(ex.gelu(np.nan)) and np.isnan(ex.gelu_grad(np.nan))
    assert ex.gelu(np.float32(-10.0)).dtype == np.float32
    assert ex.gelu_grad(np.float32(-1.0)).dtype == np.float32
    assert ex.gelu(3).dtype == np.float64


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q1, by hand


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.0, PHI_1, -PHI_1, 10.0), ["not an odd function", "1 − Φ(1)"]),
        ((0.0, PHI_1, 1 - PHI_1, 10.0), ["sign of GELU(−1)"]),
        ((0.5, PHI_1, PHI_1 - 1, 10.0), ["1/2 is Φ(0)"]),
        ((0.5, PHI_1, 1 - PHI_1, 1.0), ["probabilities Φ(x)"]),
        ((0.0, 1.0, 0.0, 10.0), ["ReLU's values"]),
        ((0.0, 0.84, -0.16, 10.0), ["GELU(1): this is slightly too small"]),
        ((0.0, PHI_1, PHI_1 - 1, 1.0), ["GELU(10): this is too small, by a factor of about 10"]),
        ((0.0, PHI_1, PHI_1 - 1), ["3 value(s)", "4 numbers"]),
        ("0, 0.84, -0.16, 10", ["string", "without quotes"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


# ----------------------------------------------------------------------------- q2, derivative


def _pdf(x):
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def float64_constant_grad(x):  # np.sqrt(2 * np.pi) is a float64 NumPy scalar
    x = np.asarray(x)
    return ndtr(x) + x * np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)


def mutating_grad(x):
    x = np.asarray(x)
    if x.ndim:
        x *= 1.0
        x[...] = ex.gelu_grad(x)
        return x
    return ex.gelu_grad(x)


def tanh_grad(x):
    x = np.asarray(x)
    return actlib.gelu_grad(x, approximate="tanh")


GELU_GRAD_CATALOGUE = [
    (lambda x: ndtr(x), ["for x = 0.5", "Φ(x) only", "product rule"]),
    (lambda x: ndtr(x) - x * _pdf(x), ["sign of the x φ(x) term"]),
    (lambda x: x * _pdf(x), ["x φ(x) only"]),
    (lambda x: ndtr(x) + _pdf(x), ["factor x is missing"]),
    (lambda x: _pdf(x), ["That is φ(x)"]),
    (lambda x: actlib.gelu(x), ["GELU itself"]),
    (tanh_grad, ["tanh approximation"]),
    (float64_constant_grad, ["dtype float64 for a float32 input"]),
    (mutating_grad, ["modified its input x in place"]),
    (lambda x: np.nan_to_num(ex.gelu_grad(x)), ["x[0] = nan", "should be NaN"]),
    (lambda x: np.mean(ex.gelu_grad(x)), ["single number", "shape (7,)"]),
    (
        lambda x: ndtr(x) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi),
        ["raised TypeError", "np.exp"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    GELU_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(GELU_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_overflow_is_caught():
    def squared_overflow(x):  # exp(+x^2/2) / exp(x^2) overflows for |x| = 1000
        x = np.asarray(x)
        return ndtr(x) + x * np.exp(0.5 * x * x) / np.exp(x * x) / math.sqrt(2 * math.pi)

    assert_incorrect(ex.q2, squared_overflow, "RuntimeWarning", "overflow", "x[0] = -1000.0")


# ----------------------------------------------------------------------------- q3, stable GELU


def naive_gelu(x):
    return 0.5 * x * (1 + erf(x / SQRT2))


def naive_tanh_gelu(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def unclipped_ndtr_gelu(x):  # accurate, but -inf * 0 = NaN with a warning
    return x * ndtr(x)


def silenced_unclipped_gelu(x):  # no warning, but NaN at -inf
    with np.errstate(invalid="ignore"):
        return x * ndtr(x)


def mutating_gelu(x):
    x = np.asarray(x)
    if x.ndim:
        np.maximum(x, -40.0, out=x)
        x *= ndtr(x)
        return x
    return ex.gelu(x)


def float32_naive_gelu(x):  # exact in float64, 1 + erf in float32
    x = np.asarray(x)
    if x.dtype == np.float64:
        return ex.gelu(x)
    return 0.5 * x * (1 + erf(x / np.float32(SQRT2)))


GELU_CATALOGUE = [
    (
        naive_gelu,
        ["x = np.array([-10.0, -20.0, -30.0])", "returned -0.0 at x[0] = -10.0", "cancellation",
         "1 + erf", "ndtr"],
    ),
    (naive_tanh_gelu, ["for x = 0.5", "tanh approximation"]),
    (lambda x: x * expit(1.702 * np.asarray(x)), ["for x = 0.5", "x σ(1.702 x)"]),
    (lambda x: np.maximum(x, 0.0), ["for x = 0.5", "This is ReLU"]),
    (lambda x: ndtr(x), ["for x = 0.5", "You returned Φ(x)"]),
    (unclipped_ndtr_gelu, ["RuntimeWarning", "invalid value", "x[0] = -inf", "q3.hint()"]),
    (lambda x: np.where(np.isnan(x), 0.0, ex.gelu(x)), ["x[4] = nan", "should be NaN"]),
    (silenced_unclipped_gelu, ["x[0] = -inf", "NaN, where a number was expected"]),
    (mutating_gelu, ["modified its input x in place"]),
    (lambda x: ex.gelu(np.asarray(x, dtype=np.float64)), ["dtype float64 for a float32 input"]),
    (float32_naive_gelu, ["dtype=float32", "x[0] = -10.0", "exactly 0"]),
    (lambda x: list(np.atleast_1d(ex.gelu(x))), ["not a NumPy array"]),
    (lambda x: x * 0.5 * (1 + math.erf(x / SQRT2)), ["raised TypeError", "np.exp"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "fragments"),
    GELU_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(GELU_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_scalar_minus_ten_is_caught_too():
    def scalar_naive(x):  # right for arrays, naive for a plain number
        x = np.asarray(x)
        return ex.gelu(x) if x.ndim else naive_gelu(x)

    assert_incorrect(ex.q3, scalar_naive, "for x = -10.0", "cancellation")


# ----------------------------------------------------------------------------- q4, q5


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (0.5, "left of its minimum, not left of 0"),
        (1 - FRACTION, "complement"),
        (-X_MIN, "an input value, not a probability"),
        (X_MIN, "location of GELU's minimum"),
        (-0.16997, "smallest value"),
        (0.16997, "smallest value"),
        (float(ndtr(-SQRT2)), "most negative"),
        (0.23, "too large (relative error about 2%)"),
        ((0.2, 0.3), "2 value(s)"),
        ("0.226", "string"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "decreases left of its minimum"),
        ("c", "x = √2"),
        ("d", "5e-4"),
        ("e", "not an option"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


def test_q5_statements_are_what_the_numbers_say():
    x = np.linspace(-8, 8, 16001)
    # (b) true: GELU(-x) = GELU(x) - x
    np.testing.assert_allclose(actlib.gelu(-x), actlib.gelu(x) - x, rtol=0, atol=1e-15 * 8)
    # (a) false: the slope is negative somewhere
    assert actlib.gelu_grad(-1.0) < 0
    # (c) false: slope above 1 from about 0.75, largest about 1.1289 at sqrt 2
    assert actlib.gelu_grad(1.0) > 1
    assert math.isclose(float(actlib.gelu_grad(SQRT2)), 1.1289041451851547, rel_tol=1e-12)
    assert math.isclose(optimize.brentq(lambda t: actlib.gelu_grad(t) - 1, 0.1, 1.4), -X_MIN)
    # (d) false: the tanh approximation's largest error is about 4.7e-4, near |x| = 2.70
    err = np.abs(actlib.gelu(x, approximate="tanh") - actlib.gelu(x))
    assert 4.7e-4 < err.max() < 4.8e-4
    assert abs(abs(x[np.argmax(err)]) - 2.70) < 0.01


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in GELU_CATALOGUE]
    + [(ex.q2, a) for a, _ in GELU_GRAD_CATALOGUE]
    + [(ex.q1, a) for a in [(0.0, 0.84, -0.16, 10.0), (1, 1, 1, 1), (0, 0, 0, 0)]]
    + [(ex.q4, a) for a in [0.5, 0.23, 0.2, 0.1, 1 - FRACTION]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "0.226", "0.2261", "22.6", "0.1586", "−0.1586", "-0.1586"
    )


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "GELU(−1) = (−1) · Φ(−1) = −(1 − Φ(1))"),
        (ex.q1, "q1.check((0, 0.841345, -0.158655, 10))"),
        (ex.q2, "Φ(x) + x φ(x)"),
        (ex.q3, "ndtr"),
        (ex.q4, "q4.check(0.2261)"),
        (ex.q5, "(b)"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


def test_solution_answers_pass_their_own_checks():
    assert strict_check(ex.q1, (0, 0.841345, -0.158655, 10))
    assert strict_check(ex.q4, 0.2261)
