"""Tests for the SiLU and Swish chapter's questions (actlib.exercises.silu)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing
from scipy.optimize import brentq
from scipy.special import expit

import actlib
from actlib.exercises import silu as ex

BETA = ex.GELU_APPROX_BETA
X_STAR = brentq(actlib.silu_grad, -3.0, -0.5, xtol=1e-15)
F_STAR = float(actlib.silu(X_STAR))
Q3_ANSWER = (X_STAR / BETA, F_STAR / BETA)
CORRECT_ANSWERS = {
    "q1": (0.0, 0.75 * math.log(3), 3.0),
    "q2": ex.swish_grad,
    "q3": Q3_ANSWER,
    "q4": ex.swish,
    "q5": "b",
}


# ----------------------------------------------------------------------------- the facts


def test_minimum_constants_match_a_root_finder_and_the_closed_form():
    assert ex.X_MIN == pytest.approx(X_STAR, abs=1e-13)
    assert ex.F_MIN == pytest.approx(F_STAR, abs=1e-13)
    assert ex.F_MIN == pytest.approx(ex.X_MIN + 1, abs=1e-15)  # SiLU(x*) = x* + 1
    assert ex.X_MIN == pytest.approx(-1.2784645427610738, abs=1e-15)


def test_gelu_minimum_is_close_to_but_not_the_swish_1702_minimum():
    x, f = ex._gelu_minimum()
    assert float(actlib.gelu_grad(x)) == pytest.approx(0.0, abs=1e-12)
    assert f == pytest.approx(float(actlib.gelu(x)), rel=1e-12)
    assert x == pytest.approx(Q3_ANSWER[0], rel=4e-3)  # same location to the tolerance,
    assert abs(f / Q3_ANSWER[1] - 1) > 0.03  # but a clearly different value


# ----------------------------------------------------------------------------- correct answers


def _swish_via_logaddexp(x, beta):
    """x sigma(beta x) = x exp(-log(1 + e^(-beta x))), with the limits handled."""
    x = np.asarray(x)
    if beta == 0:
        return x / 2
    with np.errstate(invalid="ignore"):
        out = x * np.exp(-np.logaddexp(0, -beta * x))
    return np.where(np.isneginf(x), 0, out)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0, 0.75 * math.log(3), 3]),
        (ex.q1, (float(actlib.silu(0.0)), float(actlib.silu(math.log(3))), 3.0)),
        (ex.q1, np.array([0.0, 0.8239592165010823, 3.0])),
        (ex.q2, actlib.swish_grad),
        (ex.q2, lambda x, beta: actlib.silu_grad(beta * np.asarray(x))),
        (ex.q2, lambda x, beta: expit(beta * x) * (1 + beta * x * expit(-beta * x))),
        (ex.q3, (-0.751, -0.164)),  # 3 significant digits are enough
        (ex.q3, (-0.7512, -0.1636)),
        (ex.q3, [np.float32(Q3_ANSWER[0]), np.float32(Q3_ANSWER[1])]),
        (ex.q4, actlib.swish),
        (ex.q4, _swish_via_logaddexp),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_functions_keep_dtype_shape_and_input():
    for f in (ex.swish, ex.swish_grad):
        assert f(np.float32(0.5), 1.0).dtype == np.float32
        assert np.ndim(f(0.5, 2.0)) == 0
        assert f(np.array([1, 2]), 1.0).dtype == np.float64  # integers become float64
        x = np.array([-1.0, 2.0])
        f(x, 1.5)
        np.testing.assert_array_equal(x, [-1.0, 2.0])
    assert ex.swish(-710.0, 1.0) == pytest.approx(-710 * math.exp(-710), rel=1e-12)
    assert ex.swish(np.float32(-100), 1.0) == pytest.approx(-100 * math.exp(-100), rel=1e-3)


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong swish_grad


def _gate(x, beta):
    return expit(beta * np.asarray(x, dtype=np.float64))


def naive_swish_grad(x, beta):
    x = np.asarray(x)
    s = 1 / (1 + np.exp(-beta * x))
    return s + beta * x * s * (1 - s)


SWISH_GRAD_CATALOGUE = [
    (_gate, ["x = 2.0", "the gate alone", "product rule"]),
    (lambda x, beta: beta * x * _gate(x, beta) * (1 - _gate(x, beta)), ["only the gate"]),
    (
        lambda x, beta: _gate(x, beta) + x * _gate(x, beta) * (1 - _gate(x, beta)),
        ["beta = 2.0", "inner derivative", "chain rule"],
    ),
    (lambda x, beta: actlib.silu_grad(x), ["beta = 2.0", "ignores β"]),
    (lambda x, beta: beta * _gate(x, beta) * _gate(-np.asarray(x), beta), ["the gate σ(βx) alone"]),
    (lambda x, beta: x * _gate(x, beta), ["swish itself"]),
    (naive_swish_grad, ["overflow encountered in exp", "x[0] = -1000.0", "q2.hint()"]),
    (
        lambda x, beta: _gate(x, beta) - beta * x * _gate(x, beta) * (1 - _gate(x, beta)),
        ["x = 2.0", "too small (relative error about 40%)"],
    ),
    (
        lambda x, beta: ex.swish_grad(np.asarray(x, dtype=np.float64), beta),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x, beta: np.sum(ex.swish_grad(x, beta)), ["single number", "shape (5,)"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SWISH_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SWISH_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


# ----------------------------------------------------------------------------- wrong swish


def naive_swish(x, beta):
    return x / (1 + np.exp(-beta * x))


def silenced_naive_swish(x, beta):
    with np.errstate(all="ignore"):
        return naive_swish(x, beta)


def expit_swish(x, beta):
    return x * expit(beta * x)


def expit_swish_with_limit(x, beta):
    x = np.asarray(x)
    if beta == 0:
        return x / 2
    with np.errstate(invalid="ignore"):
        out = x * expit(beta * x)
    return np.where(np.isneginf(x), 0, out)


def no_beta_zero_rule(x, beta):
    """The stable branch form without the special case beta = 0."""
    x = np.asarray(x)
    t = beta * x
    e = np.exp(-np.abs(t))
    finite = np.where(np.isinf(x), 0, x)
    return np.where(t >= 0, x / (1 + e), finite * e / (1 + e))


def no_infinity_rule(x, beta):
    """The stable branch form computing x * e at x = -inf (NaN), warnings silenced."""
    x = np.asarray(x)
    if beta == 0:
        return x / 2
    with np.errstate(all="ignore"):
        t = beta * x
        e = np.exp(-np.abs(t))
        return np.where(t >= 0, x / (1 + e), x * e / (1 + e))


def mutating_swish(x, beta):
    if isinstance(x, np.ndarray):
        x[...] = ex.swish(x, beta)
        return x
    return ex.swish(x, beta)


SWISH_CATALOGUE = [
    (naive_swish, ["overflow encountered in exp", "x[0] = -1000.0", "q4.hint()"]),
    (silenced_naive_swish, ["x[0] = -inf", "NaN, where a number was expected", "−inf · 0"]),
    (expit_swish, ["invalid value", "x[0] = -inf"]),
    (expit_swish_with_limit, ["x[0] = -710.0", "exactly 0", "tiny but representable"]),
    (no_beta_zero_rule, ["invalid value", "beta = 0.0", "x[0] = -inf"]),
    (no_infinity_rule, ["x[0] = -inf", "NaN", "−inf · 0"]),
    (lambda x, beta: ex.swish(x, 1.0), ["beta = 2.0", "ignores β"]),
    (_gate, ["x = 0.0", "the gate σ(βx) alone"]),
    (lambda x, beta: -ex.swish(-np.asarray(x), beta), ["sign in the exponent"]),
    (lambda x, beta: np.asarray(x) * 1.0 if beta == 0 else ex.swish(x, beta), ["not x."]),
    (
        lambda x, beta: np.maximum(x, 0.0) if beta == 0 else ex.swish(x, beta),
        ["ReLU only as β grows"],
    ),
    (
        lambda x, beta: ex.swish(np.asarray(x, dtype=np.float64), beta),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x, beta: ex.swish(np.atleast_1d(x), beta), ["array of shape (1,) for a scalar input"]),
    (lambda x, beta: np.where(np.isnan(x), 0.0, ex.swish(x, beta)), ["x[2] = nan", "be NaN"]),
    (mutating_swish, ["modified its input x in place"]),
    (lambda x, beta: x * (1 / (1 + math.exp(-beta * x))), ["raised TypeError", "use np.exp"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"), SWISH_CATALOGUE, ids=[f"wrong{i}" for i in range(len(SWISH_CATALOGUE))]
)
def test_q4_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q4, answer, *fragments)


def test_q4_float32_overflow_is_caught():
    def float32_unsafe(x, beta):  # stable in float64 only: exp(100) overflows in float32
        x = np.asarray(x)
        return ex.swish(x, beta) if x.dtype == np.float64 else naive_swish(x, beta)

    assert_incorrect(ex.q4, float32_unsafe, "dtype=float32", "x[0] = -100.0", "overflow")


# ----------------------------------------------------------------------------- wrong numbers

LN3 = math.log(3)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.0, 0.75, 3.0), ["σ(ln 3), the gate", "x = ln 3"]),
        ((0.0, 0.25 * LN3, 3.0), ["σ(−ln 3)"]),
        ((0.5, 0.75 * LN3, 3.0), ["SiLU(0): 1/2 is σ(0)"]),
        ((0.0, 0.75 * LN3, 6.0), ["not 1"]),
        ((0.0, 0.75 * LN3, 0.0), ["tends to ReLU when β grows large"]),
        ((0.0, 0.8, 3.0), ["SiLU(ln 3): this is too small"]),
        ((0.0, 0.75 * LN3), ["2 value(s)"]),
        ("0, 0.82, 3", ["string"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((X_STAR, F_STAR), ["SiLU's minimum (β = 1)"]),
        ((X_STAR * BETA, F_STAR * BETA), ["wrong direction"]),
        ((X_STAR / BETA, F_STAR), ["x_min is right", "also depends on β"]),
        ((F_STAR / BETA, X_STAR / BETA), ["swapped"]),
        ((-2.3994 / BETA, -0.0998), ["smallest slope"]),
        (ex._gelu_minimum(), ["GELU's own minimum"]),
        ((-0.75, -0.16), ["f_min: this is too small"]),  # 2 digits are not enough
        ((0.7512, 0.1636), ["x_min: this has the wrong sign", "f_min: this has the wrong sign"]),
        (-0.7512, ["1 value(s)"]),
    ],
)
def test_q3_wrong_answers(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "negative"), ("C", "1.0998"), ("d", "not monotone"), ("e", "not an option")],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q2, a) for a, _ in SWISH_GRAD_CATALOGUE]
    + [(ex.q4, a) for a, _ in SWISH_CATALOGUE]
    + [(ex.q1, a) for a in [(0.0, 0.75, 3.0), (0.5, 0.5, 0.5), (0.0, 0.8, 3.0), (1.0, 1.0, 6.0)]]
    + [(ex.q3, a) for a in [(X_STAR, F_STAR), (-0.75, -0.16), (-1.0, -0.1), (0.0, 0.0)]]
    + [(ex.q5, a) for a in ["a", "c", "d"]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "0.75 ln 3", "3/4", "x/2 =", "(b)", "−0.751", "-0.751", "−0.164"
    )


# ----------------------------------------------------------------------------- hostile input


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "swish(x) = x/2 and swish(6) = 3"),
        (ex.q2, "σ(βx) + βx σ(βx)(1 − σ(βx))"),
        (ex.q3, "swish_β(x) = SiLU(βx) / β"),
        (ex.q4, "x e / (1 + e)"),
        (ex.q5, "z ≈ −1.2785"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())
