"""Tests for the SELU chapter's questions (the checker framework is tested in test_exercises.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check
from scipy import integrate, optimize, stats

import actlib
from actlib.exercises import selu as ex
from actlib.functional import SELU_ALPHA, SELU_SCALE

LAM, ALPHA = SELU_SCALE, SELU_ALPHA
RELU_MEAN = 1 / math.sqrt(2 * math.pi)


def _second_moment_quad(q: float) -> float:
    """E[selu(z)^2] for z ~ N(0, q), by quadrature (independent of the module's closed form)."""

    def g(u):
        return float(actlib.selu(math.sqrt(q) * u)) ** 2 * stats.norm.pdf(u)

    return integrate.quad(g, -np.inf, 0)[0] + integrate.quad(g, 0, np.inf)[0]


Q4, Q_QUARTER = _second_moment_quad(4.0), _second_moment_quad(0.25)
CORRECT_ANSWERS = {
    "q1": (2 * LAM, -LAM * ALPHA / 2, -LAM * ALPHA),
    "q2": ex.selu_grad,
    "q3": ex.selu,
    "q4": (RELU_MEAN, 0.5, 0.5 - 1 / (2 * math.pi)),
    "q5": (Q4, Q_QUARTER),
    "q6": "c",
}


# ----------------------------------------------------------------------------- the constants


def test_module_constants_are_actlibs_and_pytorchs():
    assert ex.LAMBDA == SELU_SCALE
    assert ex.ALPHA == SELU_ALPHA
    assert math.isclose(SELU_SCALE, 1.0507009873554804934193349852946, rel_tol=1e-15)
    assert math.isclose(SELU_ALPHA, 1.6732632423543772848170429916717, rel_tol=1e-15)


def test_constants_solve_the_fixed_point_equations():
    """E[selu(z)] = 0 and E[selu(z)^2] = 1 for z ~ N(0, 1): the chapter's derivation."""

    def moments(params):
        lam, alpha = params

        def f(z):
            return lam * (z if z > 0 else alpha * math.expm1(z))

        def expect(g):
            h = lambda z: g(z) * stats.norm.pdf(z)  # noqa: E731
            return integrate.quad(h, -np.inf, 0)[0] + integrate.quad(h, 0, np.inf)[0]

        return [expect(f), expect(lambda z: f(z) ** 2) - 1.0]

    lam, alpha = optimize.fsolve(moments, [1.0, 1.0], xtol=1e-14)
    assert math.isclose(lam, SELU_SCALE, rel_tol=1e-10)
    assert math.isclose(alpha, SELU_ALPHA, rel_tol=1e-10)


def test_q5_closed_form_matches_quadrature_and_sampling():
    np.testing.assert_allclose(ex.q5.expected, [Q4, Q_QUARTER], rtol=1e-10)
    u = np.random.default_rng(0).standard_normal(10**6)
    sample = [(actlib.selu(math.sqrt(q) * u) ** 2).mean() for q in (4.0, 0.25)]
    np.testing.assert_allclose(sample, [Q4, Q_QUARTER], rtol=0.01)
    assert 1 < Q4 < 4 and 0.25 < Q_QUARTER < 1  # both move towards the fixed point 1


# ----------------------------------------------------------------------------- correct answers


def _relu_sample():
    a = actlib.relu(np.random.default_rng(0).standard_normal(10**6))
    return a.mean(), (a**2).mean(), a.var()


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, (2.1014, -0.879, -1.758)),
        (ex.q1, [2 * 1.0507, -1.0507 * 1.6733 / 2, -1.0507 * 1.6733]),
        (ex.q1, tuple(actlib.selu([2.0, -math.log(2), -np.inf]))),
        (ex.q2, actlib.selu_grad),
        (ex.q2, lambda x: np.where(x > 0, SELU_SCALE, actlib.selu(x) + SELU_SCALE * SELU_ALPHA)),
        (ex.q3, actlib.selu),
        (
            ex.q3,
            lambda x: SELU_SCALE * (np.maximum(x, 0) + SELU_ALPHA * np.expm1(np.minimum(x, 0))),
        ),
        (ex.q4, _relu_sample()),
        (ex.q4, (0.3989, 0.5, 0.3408)),
        (ex.q5, (3.006, 0.3307)),
        (ex.q5, (3.0, 0.33)),
        (ex.q6, " C "),
        (ex.q6, "(c)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_the_reference_solutions_agree_with_actlib():
    x = np.array([-np.inf, -1000.0, -3.0, -1e-10, 0.0, 1e-10, 2.0, 1000.0, np.inf, np.nan])
    np.testing.assert_allclose(ex.selu(x), actlib.selu(x), rtol=1e-15, atol=0)
    np.testing.assert_allclose(ex.selu_grad(x), actlib.selu_grad(x), rtol=1e-15, atol=0)
    assert ex.selu_grad(0.0) == actlib.selu_grad(0.0)  # PyTorch's value at the kink: λα
    assert math.isclose(ex.selu_grad(0.0), SELU_SCALE * SELU_ALPHA, rel_tol=1e-15)
    assert ex.selu(np.float32(-1e-10)).dtype == np.float32
    assert ex.selu_grad(np.float32(-1.0)).dtype == np.float32


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q1, by hand


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((2.0, -ALPHA / 2, -ALPHA), ["ELU values", "multiplies both pieces by the scale λ"]),
        ((2 * LAM, -ALPHA / 2, -ALPHA), ["multiplies the negative piece too"]),
        ((2 * LAM, -LAM / 2, -LAM), ["left out α"]),
        ((LAM * ALPHA * math.expm1(2), -LAM * math.log(2), -math.inf), ["swapped"]),
        ((2 * LAM, LAM * ALPHA / 2, LAM * ALPHA), ["check the signs"]),
        ((2 * LAM, LAM * ALPHA / 2, 0.0), ["forgot the − 1"]),
        ((2 * LAM, -LAM * ALPHA / 2, -1.0), ["the limit as x -> -inf: this is too small"]),
        ((2.0 * LAM, -1.0, -LAM * ALPHA), ["SELU(-ln 2): this is too large"]),
        ((2 * LAM, -LAM * ALPHA), ["2 value(s)", "3 numbers"]),
        ("2.1, -0.88, -1.76", ["string", "without quotes"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


# ----------------------------------------------------------------------------- q2, derivative


def naive_selu_grad(x):  # exp in both branches: overflows for x = 1000
    return np.where(x > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(x))


def kink_lambda_selu_grad(x):  # slope λ at x = 0
    return np.where(x >= 0, SELU_SCALE, actlib.selu_grad(np.minimum(x, 0)))


def rounded_constants_selu_grad(x):  # 1.0507 and 1.6733: not full precision
    return np.where(x > 0, 1.0507, 1.0507 * 1.6733 * np.exp(np.minimum(x, 0)))


SELU_GRAD_CATALOGUE = [
    (
        lambda x: np.where(x > 0, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 700)), SELU_SCALE),
        ["x[0] = -3.0", "regions are swapped"],
    ),
    (naive_selu_grad, ["RuntimeWarning", "overflow encountered in exp", "x[3] = 1000.0", "hint"]),
    (kink_lambda_selu_grad, ["for x = 0.0", "PyTorch's convention"]),
    (lambda x: actlib.selu(x), ["SELU itself"]),
    (lambda x: actlib.elu_grad(x, alpha=SELU_ALPHA), ["left out the scale λ"]),
    (
        lambda x: np.where(x > 0, SELU_SCALE, actlib.elu_grad(x, alpha=SELU_ALPHA)),
        ["left out the factor λ there"],
    ),
    (
        lambda x: np.where(x > 0, SELU_SCALE, SELU_SCALE * np.exp(np.minimum(x, 0))),
        ["left out the factor α"],
    ),
    (
        lambda x: actlib.selu(x) + SELU_SCALE * SELU_ALPHA,
        ["x[3] = 0.5", "only for x ≤ 0"],
    ),
    (lambda x: actlib.elu_grad(x), ["derivative of ELU with α = 1"]),
    (rounded_constants_selu_grad, ["slightly too large", "relative error about 2e-05"]),
    (
        lambda x: actlib.selu_grad(np.asarray(x, dtype=np.float64)),
        ["dtype float64 for a float32 input"],
    ),
    (
        lambda x: np.nan_to_num(actlib.selu_grad(x)),
        ["x[2] = nan", "should be NaN"],
    ),
    (lambda x: np.mean(actlib.selu_grad(x)), ["single number", "shape (5,)"]),
    (lambda x, alpha: actlib.selu_grad(x), ["raised TypeError"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SELU_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SELU_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_overflow_is_caught_in_float32_too():
    def float32_unsafe(x):  # stable in float64 only: exp(100) overflows in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.selu_grad(x)
        return naive_selu_grad(x)

    assert_incorrect(ex.q2, float32_unsafe, "dtype=float32", "x[3] = 100.0", "overflow")


# ----------------------------------------------------------------------------- q3, stable SELU


def naive_selu(x):  # cancellation near 0 and overflow in the unused branch
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1))


def expm1_both_branches(x):  # accurate, but expm1(1000) still overflows
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))


def clipped_naive_selu(x):  # no overflow, but still cancels
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(np.minimum(x, 0)) - 1))


def mutating_selu(x):
    x = np.asarray(x)
    if x.ndim:
        neg = x <= 0
        x[neg] = SELU_ALPHA * np.expm1(x[neg])
        x *= SELU_SCALE
        return x
    return actlib.selu(x)


SELU_CATALOGUE = [
    (clipped_naive_selu, ["x[1] = -1e-10", "relative error about 8e-08", "cancel", "np.expm1"]),
    (naive_selu, ["x[1] = -1e-10", "cancel"]),
    (expm1_both_branches, ["RuntimeWarning", "overflow encountered in expm1", "x[3] = 1000.0"]),
    (
        lambda x: SELU_SCALE * np.where(x > 0, SELU_ALPHA * np.expm1(np.minimum(x, 700)), x),
        ["for x = 0.5", "regions are swapped"],
    ),
    (lambda x: actlib.elu(x, alpha=SELU_ALPHA), ["left out the scale λ"]),
    (
        lambda x: np.where(x > 0, SELU_SCALE * x, actlib.elu(x, alpha=SELU_ALPHA)),
        ["multiplies the negative piece too"],
    ),
    (lambda x: SELU_SCALE * actlib.elu(x), ["left out the factor α"]),
    (lambda x: SELU_SCALE * actlib.relu(x), ["x[0] = -3.0", "scaled ReLU"]),
    (
        lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.exp(np.minimum(x, 0))),
        ["left out the − 1"],
    ),
    (
        lambda x: SELU_SCALE * np.where(x > 0, x, -SELU_ALPHA * np.expm1(np.minimum(x, 0))),
        ["sign of the negative part"],
    ),
    (lambda x: actlib.elu(x), ["for x = 0.5, selu is wrong: this is too small"]),
    (mutating_selu, ["modified its input x in place"]),
    (
        lambda x: actlib.selu(np.asarray(x, dtype=np.float64)),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x: list(np.atleast_1d(actlib.selu(x))), ["not a NumPy array"]),
    (
        lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * math.expm1(x)),
        ["ambiguous", "np.where"],
    ),
    (
        lambda x: np.where(np.isnan(x), 0.0, actlib.selu(x)),
        ["x[2] = nan", "should be NaN"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SELU_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SELU_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_float32_cancellation_is_caught():
    def float32_naive(x):  # exact in float64, e^x - 1 in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.selu(x)
        return clipped_naive_selu(x)

    assert_incorrect(ex.q3, float32_naive, "dtype=float32", "x[0] = -0.001")


def test_q3_float32_overflow_is_caught():
    def float32_unsafe(x):  # stable in float64 only: expm1(100) overflows in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.selu(x)
        return expm1_both_branches(x)

    assert_incorrect(ex.q3, float32_unsafe, "dtype=float32", "x[3] = 100.0", "overflow")


# ----------------------------------------------------------------------------- q4, q5, q6

VAR = 0.5 - 1 / (2 * math.pi)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((RELU_MEAN, VAR, 0.5), "swapped"),
        ((0.5, 0.5, 0.25), "not P(z > 0)"),
        ((RELU_MEAN, 1.0, 1.0 - RELU_MEAN**2), "not E[z²]"),
        ((RELU_MEAN, 0.5, 0.5 - RELU_MEAN), "without squaring it"),
        ((RELU_MEAN, 0.5, 0.0), "the variance: this is exactly 0"),
        ((RELU_MEAN * 1.05, 0.5, VAR), "the mean: this is too large"),
        ((RELU_MEAN, 0.5), "2 value(s)"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


def _sample_second_moment(scale: float) -> float:
    u = np.random.default_rng(0).standard_normal(10**6)
    return float((actlib.selu(scale * u) ** 2).mean())


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((_sample_second_moment(4.0), _sample_second_moment(0.25)), "standard deviation"),
        ((Q4 / LAM**2, Q_QUARTER / LAM**2), "left out the scale λ"),
        ((2.0, 0.125), "ReLU's map"),
        ((4.0, 0.25), "only q = 1 is a fixed point"),
        ((Q4, 0.25), "q' for q = 1/4: this is too small"),
        ((Q4 * 1.03, Q_QUARTER), "q' for q = 4: this is too large"),
        (Q4, "1 value(s)"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


def test_q5_variance_instead_of_second_moment_is_rejected():
    """Var = E[selu^2] - E[selu]^2 is 2% lower for q = 4: outside the 1% tolerance."""
    u = np.random.default_rng(0).standard_normal(10**6)
    variances = tuple(float(actlib.selu(math.sqrt(q) * u).var()) for q in (4.0, 0.25))
    assert_incorrect(ex.q5, variances, "q' for q = 4: this is too small")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "without batch normalisation"),
        ("b", "no longer a fixed point"),
        ("d", "gradual"),
        ("e", "not an option"),
        (3, "as a string"),
    ],
)
def test_q6_wrong_answers(answer, fragment):
    assert_incorrect(ex.q6, answer, fragment)


def test_q6_b_he_init_breaks_the_fixed_point():
    """With weight variance 2/n, q' = 2 E[selu(sqrt(q) u)^2], and q = 1 maps to 2, not 1."""
    assert math.isclose(2 * _second_moment_quad(1.0), 2.0, rel_tol=1e-9)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in SELU_CATALOGUE]
    + [(ex.q2, a) for a, _ in SELU_GRAD_CATALOGUE]
    + [(ex.q1, a) for a in [(2.0, -ALPHA / 2, -ALPHA), (2.1, -0.8, -1.7), (0, 0, 0)]]
    + [(ex.q4, a) for a in [(0.5, 0.5, 0.25), (0.3, 0.4, 0.2), (RELU_MEAN, 0.5, 0.0)]]
    + [(ex.q5, a) for a in [(4.0, 0.25), (2.5, 0.5), (Q4, 0.0), (1.0, 1.0)]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "1.758", "1.0507", "2.101", "0.879", "0.398", "0.340", "3.006", "0.330"
    )


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "λα(1/2 − 1) = −λα/2"),
        (ex.q1, "q1.check((2.1014, -0.8790, -1.7581))"),
        (ex.q4, "q4.check((0.3989, 0.5, 0.3408))"),
        (ex.q5, "q5.check((3.006, 0.3307))"),
        (ex.q6, "(c)"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, (2.1014, -0.8790, -1.7581)),
        (ex.q4, (0.3989, 0.5, 0.3408)),
        (ex.q5, (3.006, 0.3307)),
    ],
)
def test_solution_answers_pass_their_own_checks(question, answer):
    assert strict_check(question, answer)
