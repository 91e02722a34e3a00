"""Tests for the Softplus and Mish chapter's questions (the framework: test_exercises.py)."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check
from scipy.special import expit

import actlib
from actlib.exercises import softplus_mish as ex

CORRECT_ANSWERS = {
    "q1": (math.log(2), math.log(4), math.log(4 / 3)),
    "q2": ex.softplus,
    "q3": ex.mish_grad,
    "q4": 100 * math.log(2),
    "q5": ex.softplus_inverse,
}


# ----------------------------------------------------------------------------- correct answers


def _mish_grad_via_rational(x):
    """Mish' from g = tanh(softplus(x)) = n(n + 2) / (n(n + 2) + 2), n = e^x (x <= 0 branch)."""
    x = np.asarray(x)
    n = np.exp(-np.abs(x))
    g = np.where(x > 0, (1 + 2 * n) / (1 + 2 * n + 2 * n * n), n * (n + 2) / (n * (n + 2) + 2))
    return g + x * expit(x) * (1 - g) * (1 + g)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0.6931, 1.3863, 0.2877]),
        (ex.q1, np.log([2.0, 4.0, 4 / 3])),
        (ex.q1, (0.693, 1.386, 0.288)),
        (ex.q1, tuple(actlib.softplus([0.0, math.log(3), -math.log(3)]))),
        (ex.q2, actlib.softplus),
        (ex.q2, lambda x: np.logaddexp(0, x)),
        (ex.q2, lambda x: actlib.softplus(x, threshold=np.inf)),
        (ex.q3, actlib.mish_grad),
        (ex.q3, _mish_grad_via_rational),
        (ex.q4, 69.3147),
        (ex.q4, np.float32(100 * math.log(2))),
        (ex.q5, lambda y: np.where(y < 20, np.log(np.expm1(np.minimum(y, 20))), y)),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_pytorch_like_threshold_softplus_passes():
    """PyTorch returns x for x > 20: off by at most log1p(e^-20) ~ 2e-9, relative 1e-10."""
    assert strict_check(ex.q2, lambda x: actlib.softplus(x))
    assert math.isclose(math.log1p(math.exp(-20.0)), 2.061153620314381e-09, rel_tol=1e-12)


def test_the_reference_solutions_agree_with_actlib_and_mpmath():
    x = np.array([-np.inf, -1000.0, -40.0, -3.0, -1e-10, 0.0, 1e-10, 2.0, 30.0, 1000.0, np.inf])
    np.testing.assert_allclose(
        ex.softplus(x), actlib.softplus(x, threshold=np.inf), rtol=1e-15, atol=0
    )
    finite = x[np.isfinite(x)]
    np.testing.assert_allclose(ex.mish_grad(finite), actlib.mish_grad(finite), rtol=1e-14, atol=0)
    assert np.isnan(ex.softplus(np.nan)) and np.isnan(ex.softplus_inverse(np.nan))
    assert ex.softplus(np.float32(-1.0)).dtype == np.float32
    assert ex.mish_grad(np.float32(-1.0)).dtype == np.float32
    assert ex.softplus_inverse(np.float32(0.5)).dtype == np.float32
    mpmath.mp.dps = 50
    for y in (1e-300, 1e-20, 1e-10, 0.1, 0.999, 1.0, 3.0, 40.0, 1000.0):
        exact = y + mpmath.log(-mpmath.expm1(-mpmath.mpf(y)))
        for f in (ex.softplus_inverse, ex._true_softplus_inverse):
            assert math.isclose(float(f(y)), float(exact), rel_tol=4e-16), (f, y)
        assert math.isclose(float(actlib.softplus(ex.softplus_inverse(y))), y, rel_tol=1e-12)
    for v in (-40.0, -3.0, -0.5, 0.0, 0.5, 2.0):
        exact = mpmath.diff(lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t))), v)
        assert math.isclose(float(ex.mish_grad(v)), float(exact), rel_tol=1e-14)


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q1, by hand

LN2, LN3 = math.log(2), math.log(3)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((math.log10(2), math.log10(4), math.log10(4 / 3)), ["base-10"]),
        ((LN2, math.log(4 / 3), math.log(4)), ["swapped"]),
        ((0.0, LN3, 0.0), ["that is ReLU"]),
        ((0.0, LN3, -LN3), ["dropped the 1"]),
        ((LN2, math.log(4), 0.3), ["softplus(-ln 3): this is too large"]),
        ((1.0, math.log(4), math.log(4 / 3)), ["softplus(0): this is too large"]),
        ((LN2, math.log(4)), ["2 value(s)", "3 numbers"]),
        ("0.69, 1.39, 0.29", ["string", "without quotes"]),
        (Fraction(1, 2), ["1 value(s)"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


# ----------------------------------------------------------------------------- q2, softplus


def naive_softplus(x):  # log(1 + e^x): loses tiny values, then overflows
    return np.log(1 + np.exp(x))


def log1p_softplus(x):  # log1p(e^x): accurate for x << 0, still overflows for x = 1000
    return np.log1p(np.exp(x))


def no_log1p_softplus(x):  # no overflow, but 1 + e^-40 rounds to 1
    return np.maximum(x, 0) + np.log(1 + np.exp(-np.abs(x)))


def where_softplus(x):  # np.where evaluates both branches: exp(1000) still overflows
    return np.where(x > 20, x, np.log1p(np.exp(x)))


def mutating_softplus(x):
    x = np.asarray(x)
    if x.ndim:
        x[...] = np.logaddexp(0, x)
        return x
    return np.logaddexp(0, x)


SOFTPLUS_CATALOGUE = [
    (naive_softplus, ["x[0] = -40.0", "exactly 0", "np.log1p"]),
    (no_log1p_softplus, ["x[0] = -40.0", "exactly 0", "1 + e^(−40) is exactly 1"]),
    (log1p_softplus, ["RuntimeWarning", "overflow encountered in exp", "x[1] = 1000.0"]),
    (where_softplus, ["RuntimeWarning", "overflow", "x[1] = 1000.0"]),
    (lambda x: np.maximum(x, 0.0), ["for x = 0.0", "that is ReLU"]),
    (lambda x: expit(x), ["derivative of softplus"]),
    (lambda x: np.logaddexp(0, -np.asarray(x)), ["softplus(−x)"]),
    (lambda x: np.logaddexp(0, x) / np.log(10), ["base-10"]),
    (mutating_softplus, ["modified its input x in place"]),
    (lambda x: np.logaddexp(0.0, np.asarray(x, dtype=float)), ["dtype float64 for a float32"]),
    (lambda x: list(np.atleast_1d(np.logaddexp(0, x))), ["not a NumPy array"]),
    (lambda x: x if x > 20 else math.log1p(math.exp(x)), ["ambiguous", "np.where"]),
    (lambda x: np.nan_to_num(np.logaddexp(0, x)), ["x[1] = inf", "infinite"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SOFTPLUS_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SOFTPLUS_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_naive_formula_loses_accuracy_before_it_overflows():
    """The chapter's numbers: log(1 + e^-40) is 0, the truth about 4.248e-18."""
    with np.errstate(all="raise"):
        assert naive_softplus(-40.0) == 0.0
        assert math.isclose(ex.softplus(-40.0), 4.248354255291589e-18, rel_tol=1e-15)
    message = assert_incorrect(ex.q2, naive_softplus).message
    assert "returned 0.0" in message


def test_q2_float32_overflow_is_caught():
    def float32_unsafe(x):  # stable in float64 only: exp(100) overflows in float32
        x = np.asarray(x)
        return ex.softplus(x) if x.dtype == np.float64 else log1p_softplus(x)

    assert_incorrect(ex.q2, float32_unsafe, "dtype=float32", "x[3] = 100.0", "overflow")


# ----------------------------------------------------------------------------- q3, Mish'


def _sp(x):
    return np.logaddexp(0, x)


def cosh_mish_grad(x):  # sech^2 via cosh: overflows for x = 1000
    sp = _sp(x)
    return np.tanh(sp) + x * expit(x) / np.cosh(sp) ** 2


MISH_GRAD_CATALOGUE = [
    (lambda x: np.tanh(_sp(x)), ["x[0] = -3.0", "kept only the first term", "product rule"]),
    (lambda x: np.tanh(_sp(x)) + x * (1 - np.tanh(_sp(x)) ** 2), ["chain rule", "σ(x)"]),
    (
        lambda x: np.tanh(_sp(x)) - x * expit(x) * (1 - np.tanh(_sp(x)) ** 2),
        ["sign of the second term"],
    ),
    (lambda x: actlib.mish(x), ["Mish itself"]),
    (lambda x: np.tanh(_sp(x)) + x * expit(x) * np.tanh(_sp(x)) ** 2, ["not tanh²(u)"]),
    (cosh_mish_grad, ["RuntimeWarning", "overflow", "x[3] = 1000.0"]),
    (lambda x: actlib.mish_grad(np.asarray(x, dtype=float)), ["dtype float64 for a float32"]),
    (lambda x: np.mean(actlib.mish_grad(x)), ["single number", "shape (5,)"]),
    (lambda x: actlib.mish_grad(x) * 1.001, ["for x = 0.0", "relative error about 1e-03"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    MISH_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(MISH_GRAD_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_first_case_is_the_by_hand_value():
    """Mish'(0) = tanh(ln 2) = 3/5, as the solution says."""
    assert math.isclose(ex.mish_grad(0.0), 0.6, rel_tol=1e-15)
    assert_incorrect(ex.q3, lambda x: np.zeros_like(np.asarray(x, dtype=float)), "for x = 0.0")


# ----------------------------------------------------------------------------- q4, sharpness


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (100.0, "the largest gap is not 1/β"),
        (100 * math.log10(2), "natural logarithm"),
        (0.01 / LN2, "reciprocal"),
        (LN2, "β = 1"),
        (50.0, "your answer is too small"),
        (1000.0, "your answer is too large, by a factor of about 10"),
        ("69", "string"),
        ((69.3, 1.0), "2 value(s)"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


def test_q4_answer_is_what_actlib_says():
    beta = 100 * math.log(2)
    x = np.linspace(-1, 1, 20001)
    gap = actlib.softplus(x, beta=beta) - actlib.relu(x)
    assert math.isclose(gap.max(), 0.01, rel_tol=1e-12)
    assert (actlib.softplus(0.0, beta=0.99 * beta) - 0.0) > 0.01


# ----------------------------------------------------------------------------- q5, inverse


def naive_inverse(y):  # cancels for small y, log(0) for y = 1e-20, overflows for y = 1000
    return np.log(np.exp(y) - 1)


def expm1_inverse(y):  # accurate for small y, but expm1(1000) overflows
    return np.log(np.expm1(y))


SOFTPLUS_INVERSE_CATALOGUE = [
    (naive_inverse, ["y[0] = 1e-10", "relative error about 4e-09", "np.expm1"]),
    (expm1_inverse, ["RuntimeWarning", "overflow encountered in expm1", "y[1] = 1000.0"]),
    (lambda y: np.logaddexp(0, y), ["softplus itself"]),
    (lambda y: np.asarray(y) * 1.0, ["returned y itself"]),
    (lambda y: -ex.softplus_inverse(y), ["off by a sign"]),
    (
        lambda y: ex.softplus_inverse(np.asarray(y, dtype=float)),
        ["dtype float64 for a float32"],
    ),
    (
        lambda y: np.where(np.isnan(y), 0.0, ex.softplus_inverse(y)),
        ["y[3] = nan", "should be NaN"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SOFTPLUS_INVERSE_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SOFTPLUS_INVERSE_CATALOGUE))],
)
def test_q5_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q5, answer, *fragments)


def test_q5_log_of_zero_is_caught():
    def clipped(y):  # avoids the overflow but not the cancellation to exactly 0 at 1e-20
        y = np.asarray(y)
        return np.where(y > 30, y, np.log(np.exp(np.minimum(y, 30)) - 1))

    assert_incorrect(ex.q5, clipped, "y[0] = 1e-10", "np.expm1")

    def clipped_expm1_small(y):  # exact except e^y - 1 = 0 for y = 1e-20
        y = np.asarray(y)
        return np.where(y < 1e-15, np.log(np.exp(y) - 1), ex.softplus_inverse(y))

    assert_incorrect(ex.q5, clipped_expm1_small, "divide by zero", "y[0] = 1e-20")


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q2, a) for a, _ in SOFTPLUS_CATALOGUE]
    + [(ex.q3, a) for a, _ in MISH_GRAD_CATALOGUE]
    + [(ex.q5, a) for a, _ in SOFTPLUS_INVERSE_CATALOGUE]
    + [(ex.q1, a) for a in [(0.5, 1.5, 0.25), (LN2, 1.0, 0.3), (0, 0, 0), (1, 2, 3)]]
    + [(ex.q4, a) for a in [100.0, 0.01 / LN2, 50.0, 1.0, LN2]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "0.693", "1.386", "0.287", "0.288", "69.3", "100 ln 2", "ln 4", "4.25e-18"
    )


# ----------------------------------------------------------------------------- hints, solutions
