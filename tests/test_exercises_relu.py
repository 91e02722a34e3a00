"""Tests for the ReLU chapter's questions: references pass, typical mistakes fail specifically."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, strict_check

from actlib.exercises import relu as ex

CORRECT_ANSWERS = {
    "q1": (0, 0, 2, 0, 0, 1),
    "q2": ex.relu_grad,
    "q3": ex.relu,
    "q4": (-3, 1, 2),
    "q5": 0.2,
    "q6": "b",
}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0.0, 0.0, 2.0, 0.0, 0.0, 1.0]),
        (ex.q1, np.array([0, 0, 2, 0, 0, 1])),
        (ex.q2, lambda x: np.heaviside(x, 0.0)),
        (ex.q2, lambda x: np.where(np.isnan(x), x, np.greater(x, 0).astype(np.asarray(x).dtype))),
        (ex.q2, lambda x: np.sign(np.maximum(x, 0))),  # sign(NaN) = NaN, sign(0) = 0
        (ex.q3, lambda x: np.maximum(x, 0)),
        (ex.q3, lambda x: np.maximum(0, x)),  # gives -0.0 for -0.0, which equals 0.0
        (ex.q3, lambda x: np.clip(x, 0, None)),
        (ex.q4, [-3.0, 1.0, 2.0]),
        (ex.q4, (Fraction(-3), Fraction(1), Fraction(2))),
        (ex.q5, math.sqrt(2 / 50)),
        (ex.q5, np.float32(0.2)),
        (ex.q6, " B "),
        (ex.q6, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_solutions_match_actlib():
    import actlib

    x = np.array([-np.inf, -2.0, -0.0, 0.0, 1e-300, 3.0, np.inf, np.nan])
    for f, g in ((ex.relu, actlib.relu), (ex.relu_grad, actlib.relu_grad)):
        for dtype in (np.float64, np.float32, np.float16):
            xd = x.astype(dtype)
            got, want = f(xd), g(xd)
            assert got.dtype == want.dtype == dtype
            np.testing.assert_array_equal(got, want)
        assert np.ndim(f(0.0)) == 0 and np.asarray(f(3)).dtype == np.float64


def test_kinks_are_the_ones_of_the_network():
    w, b = np.array(ex._W), np.array(ex._B)
    x = np.linspace(-5, 5, 100001)
    f = ex.relu(np.outer(x, w) + b) @ np.array([1.0, -2.0, 3.0])  # any non-zero v
    slope = np.diff(f) / np.diff(x)
    jumps = np.flatnonzero(np.abs(np.diff(slope)) > 1e-6)
    np.testing.assert_allclose(x[jumps + 1], ex.q4.expected, atol=2e-4)


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong answers


def _silenced(f):
    def g(x):
        with np.errstate(all="ignore"):
            return f(x)

    return g


def _mask_relu(x):
    y = np.array(x, copy=True)
    y[~(y > 0)] = 0  # "not positive" includes NaN, since NaN > 0 is False
    return y


def _mutating_relu(x):
    x = np.asarray(x)
    if x.ndim:
        np.maximum(x, 0, out=x)
        return x
    return np.maximum(x, 0)


RELU_CATALOGUE = [
    (lambda x: np.where(x > 0, x, 0), ["x[1] = nan", "should be NaN", "NaN became 0"]),
    (lambda x: np.fmax(x, 0), ["x[1] = nan", "NaN became 0", "np.fmax"]),
    (_mask_relu, ["x[1] = nan", "NaN became 0"]),
    (
        lambda x: x * (x > 0),
        ["RuntimeWarning", "invalid value encountered in multiply", "x[0] = -inf"],
    ),
    (_silenced(lambda x: x * (x > 0)), ["x[0] = -inf", "−inf × 0 = NaN", "selects"]),
    (
        lambda x: (x + np.abs(x)) / 2,  # x + |x| overflows for x = 1e308
        ["RuntimeWarning", "overflow encountered in add", "x[3] = 1e+308"],
    ),
    (np.abs, ["|x|"]),
    (lambda x: np.minimum(x, 0), ["min(0, x)"]),
    (lambda x: x, ["for x = -3.0", "this is too small"]),
    (_mutating_relu, ["modified its input x in place"]),
    (lambda x: np.maximum(np.asarray(x, dtype=float), 0), ["dtype float64 for a float32 input"]),
    (lambda x: max(0, x), ["for x = -3.0", "returned integers"]),
    (lambda x: [max(0.0, v) for v in np.atleast_1d(x)], ["returned a list"]),
    (lambda x: np.sum(np.maximum(x, 0)), ["single number", "shape (5,)"]),
    (lambda x: np.maximum(x, 0) > 0, ["booleans"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    RELU_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(RELU_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_elementwise_if_gets_advice():
    def branchy(x):
        return x if x > 0 else 0.0

    assert_incorrect(ex.q3, branchy, "ambiguous", "np.where")


GRAD_CATALOGUE = [
    (
        lambda x: (np.asarray(x) >= 0).astype(np.asarray(x).dtype),
        ["x[2] = 0.0", "too large", "at x = 0 you return 1"],
    ),
    (lambda x: np.heaviside(x, 1.0), ["x[2] = 0.0", "at x = 0 you return 1", "valid subgradient"]),
    (lambda x: np.heaviside(x, 0.5), ["x[2] = 0.0", "1/2", "midpoint"]),
    (lambda x: (np.asarray(x) > 0).astype(np.asarray(x).dtype), ["x[1] = nan", "NaN became 0"]),
    (lambda x: np.where(x > 0, 1.0, 0.0).astype(np.asarray(x).dtype), ["NaN became 0"]),
    (lambda x: np.where(x > 0, 1, 0), ["returned integers"]),
    (lambda x: np.where(x > 0, 1.0, 0.0), ["dtype float64 for a float32 input"]),
    (lambda x: np.maximum(x, 0), ["ReLU itself", "derivative"]),
    (lambda x: np.asarray(x) > 0, ["booleans"]),
    (np.sign, ["x[0] = -2.0", "np.sign"]),
    (
        lambda x: (~np.signbit(x)).astype(np.asarray(x).dtype),
        ["x[2] = 0.0", "at x = 0 you return 1"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_grad_one_at_zero_is_named():
    result = assert_incorrect(ex.q2, lambda x: (np.asarray(x) >= 0).astype(np.asarray(x).dtype))
    assert "at x = 0 you return 1" in result.message
    assert "PyTorch" in result.message


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0, 0, 2, 0, 1, 1), ["relu'(0)", "valid subgradient", "Definition section"]),
        ((0, 0, 2, 0, 0.5, 1), ["relu'(0)", "any number in [0, 1]"]),
        ((1.5, 0, 2, 0, 0, 1), ["relu(-1.5)", "not the absolute value"]),
        ((1.5, 0, 2, -1, 0, 1), ["absolute value |x|"]),
        ((0, 0, 2, 0, 0, 2), ["relu'(2)", "slope"]),
        ((-1.5, 0, 2, 0, 0, 1), ["relu(-1.5): this is too small"]),
        ((0, 0, 2, 1, 0, 1), ["relu'(-1.5): this is too large"]),
        ((0, 0, 2, 0, 0), ["5 value(s)", "6 numbers"]),
        ("0, 0, 2, 0, 0, 1", ["string"]),
        ((0, 0, 2, 0, ..., 1), ["still missing: relu'(0)"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    result = strict_check(ex.q1, answer)
    assert result.status in {"incorrect", "not_attempted"}, result.message
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((1, 2, -3), ["right values, in the wrong order"]),
        ((2, 1, -3), ["right values, in the wrong order"]),
        ((-3, 2, 1), ["right values, in the wrong order"]),
        ((-2, -1, 3), ["check the sign", "−b_i / w_i"]),
        ((-1.5, -1, 4), ["you used −b_i", "divide by the weight"]),
        ((-1.0 / 3.0, 0.5, 1.0), ["divided the wrong way round"]),
        ((-3, 1, 3), ["the largest kink: this is too large"]),
        ((-3, 2), ["2 value(s)"]),
    ],
)
def test_q4_wrong_answers(answer, fragments):
    assert_incorrect(ex.q4, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (0.04, "that is the variance"),
        (math.sqrt(1 / 50), "LeCun"),
        (0.02, "without the factor 2"),
        (0.4, "too large, by a factor of about 2"),
        (-0.2, "off by a sign"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "exactly 0"), ("C", "ordinary 0"), ("d", "learning rate"), ("e", "not an option")],
)
def test_q6_wrong_answers(answer, fragment):
    assert_incorrect(ex.q6, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in RELU_CATALOGUE]
    + [(ex.q2, a) for a, _ in GRAD_CATALOGUE]
    + [(ex.q1, a) for a in [(0, 0, 2, 0, 1, 1), (0, 0, 2, 0, 0.5, 1), (1, 1, 1, 1, 1, 1)]]
    + [(ex.q4, a) for a in [(2, 1, -3), (-2, -1, 3), (-1.5, -1, 4), (0, 0, 0), (-3, 1, 3)]]
    + [(ex.q5, a) for a in [0.04, math.sqrt(1 / 50), 0.02, 0.4, 1.0]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    result = strict_check(question, answer)
    assert result.status != "correct"
    msg = result.message
    if question is ex.q4:
        for text in ("(-3, 1, 2)", "-3, 1, 2", "−3, 1, 2", "x = 2", "x = 1", "x = −3"):
            assert text not in msg, msg
    if question is ex.q5:
        for text in ("0.2", "sqrt(2 / 50)", "sqrt(2/50)", "0.04"):
            if text == "0.04" and answer == 0.04:
                continue  # the learner's own value may be named
            assert text not in msg, msg
    if question in (ex.q1, ex.q2):
        for text in ("use 0", "is 0 at", "other end", "relu'(0) = 0", "ReLU'(0) = 0"):
            assert text not in msg, msg


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [(ex.q1, "ReLU'(0) = 0"), (ex.q4, "q4.check((-3, 1, 2))"), (ex.q5, "0.2"), (ex.q6, "(b)")],
)
def test_numeric_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())
