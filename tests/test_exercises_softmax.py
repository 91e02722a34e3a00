"""Tests for the softmax chapter's questions (actlib.exercises.softmax)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check
from scipy.special import expit, log_softmax, logsumexp, softmax

import actlib
from actlib.exercises import softmax as ex

FUNCTION_QUESTIONS = [ex.q2, ex.q3, ex.q4]
CORRECT_ANSWERS = {
    "q1": (1 / 6, 1 / 3, 1 / 2),
    "q2": ex.softmax,
    "q3": ex.log_softmax,
    "q4": ex.cross_entropy_grad,
    "q5": (2.0, 1 / (1 + math.exp(-2))),
    "q6": "b",
}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [Fraction(1, 6), Fraction(1, 3), Fraction(1, 2)]),
        (ex.q1, tuple(actlib.softmax([0.0, math.log(2), math.log(3)]))),
        (ex.q2, lambda x: softmax(x, axis=-1)),
        (ex.q2, actlib.softmax),
        (ex.q2, lambda x: np.exp(actlib.log_softmax(x))),
        (ex.q3, actlib.log_softmax),
        (ex.q3, lambda x: x - logsumexp(x, axis=-1, keepdims=True)),
        (ex.q4, lambda z, y: actlib.softmax(z) - y),
        (ex.q4, lambda z, y: np.exp(log_softmax(z, axis=-1)) - y),
        (ex.q5, (2, expit(2.0))),
        (ex.q6, " B "),
        (ex.q6, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_tolerance():
    assert strict_check(ex.q2, lambda x: softmax(x, axis=-1) * (1 + 1e-12))
    assert_incorrect(ex.q2, lambda x: softmax(x, axis=-1) * (1 + 1e-6), "slightly too large")
    assert_incorrect(ex.q1, (1 / 6, 1 / 3, 0.51), "softmax(x)_2: this is too large")


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q2: softmax


def naive_softmax(x):
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def silenced_naive_softmax(x):
    with np.errstate(all="ignore"):
        return naive_softmax(x)


def no_keepdims(x):
    e = np.exp(x - x.max(axis=-1))
    return e / e.sum(axis=-1)


def no_keepdims_on_sum(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def no_keepdims_on_max(x):
    e = np.exp(x - x.max(axis=-1))
    return e / e.sum(axis=-1, keepdims=True)


def no_keepdims_square_only(x):  # a learner whose keepdims slip only breaks non-square input
    x = np.asarray(x)
    if x.ndim == 2 and x.shape[0] != x.shape[1]:
        return no_keepdims(x)
    return softmax(x, axis=-1)


def axis0(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def global_max(x):  # one shift for the whole batch: a row far below it underflows to 0 / 0
    e = np.exp(x - x.max())
    return e / e.sum(axis=-1, keepdims=True)


def mutating_softmax(x):
    x -= x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


SOFTMAX_CATALOGUE = [
    (naive_softmax, ["RuntimeWarning: overflow encountered in exp", "x[0] = 1000.0",
                     "e^1000 = inf", "inf / inf = NaN", "subtract the maximum"]),
    (silenced_naive_softmax, ["x = np.array([1000.0, 0.0])", "NaN", "naive formula"]),
    (no_keepdims, ["[2.0, -1.0, 0.5]]", "forgot keepdims=True"]),
    (no_keepdims_on_sum, ["forgot keepdims=True"]),
    (no_keepdims_on_max, ["forgot keepdims=True"]),
    (no_keepdims_square_only, ["could not be broadcast", "forgot keepdims=True"]),
    (axis0, ["normalised along axis 0", "axis=-1"]),
    (lambda x: softmax(x, axis=None), ["whole array", "axis=-1"]),
    (global_max, ["invalid value encountered in divide", "underflowed", "OWN maximum"]),
    (lambda x: np.exp(x - x.max(axis=-1, keepdims=True)), ["did not normalise"]),
    (lambda x: log_softmax(x, axis=-1), ["log-probabilities"]),
    (lambda x: softmax(np.asarray(x, dtype=np.float64), axis=-1),
     ["dtype float64 for a float32 input"]),
    (lambda x: softmax(x, axis=-1).tolist(), ["returned a list"]),
    (lambda x: softmax(x, axis=-1)[..., :-1], ["shape"]),
    (lambda x: softmax(np.where(np.isinf(x), 0, x), axis=-1), ["x[0] = -inf"]),
    (mutating_softmax, ["modified its input x in place"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SOFTMAX_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SOFTMAX_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_messages_are_distinct_per_mistake():
    axis = strict_check(ex.q2, axis0).message
    keep = strict_check(ex.q2, no_keepdims).message
    assert "keepdims" not in axis and "axis 0" not in keep


def test_q2_float32_overflow_is_caught():
    def float32_unsafe(x):  # stable in float64 only: e^100 overflows in float32
        x = np.asarray(x)
        return softmax(x, axis=-1) if x.dtype == np.float64 else naive_softmax(x)

    assert_incorrect(ex.q2, float32_unsafe, "dtype=float32", "overflow")
    assert_incorrect(
        ex.q2,
        lambda x: naive_softmax(x) if x.dtype == np.float32 and x.size == 3 else softmax(x, -1),
        "np.array([100.0, 0.0, -100.0], dtype=float32)",
    )


# ----------------------------------------------------------------------------- q3: log_softmax


def log_of_softmax(x):
    return np.log(actlib.softmax(x))


def silenced_log_of_softmax(x):
    with np.errstate(divide="ignore"):
        return log_of_softmax(x)


def naive_lse(x):
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


LOG_SOFTMAX_CATALOGUE = [
    (log_of_softmax, ["divide by zero encountered in log", "x = np.array([1000.0, 0.0])",
                      "underflowed to 0", "Never form the softmax"]),
    (silenced_log_of_softmax, ["returned -inf", "x[1] = 0.0", "log(softmax(x))"]),
    (naive_lse, ["overflow encountered in exp", "log Σ e^(x_j) = m + log Σ e^(x_j − m)"]),
    (lambda x: x - x.max(axis=-1, keepdims=True), ["not the log of the sum"]),
    (lambda x: log_softmax(x, axis=0), ["axis 0", "axis=-1"]),
    (lambda x: softmax(x, axis=-1), ["probabilities", "logarithms"]),
    (lambda x: -log_softmax(x, axis=-1), ["sign"]),
    (lambda x: x - logsumexp(x, axis=-1), ["[2.0, -1.0, 0.5]]", "forgot keepdims=True"]),
    (lambda x: x - logsumexp(x, axis=-1) if np.shape(x)[:1] == (2,) else log_softmax(x, -1),
     ["could not be broadcast", "forgot keepdims=True"]),

]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "fragments"),
    LOG_SOFTMAX_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(LOG_SOFTMAX_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


# ----------------------------------------------------------------------------- q4: p - y


def mutating_grad(z, y):
    y -= actlib.softmax(z)
    np.negative(y, out=y)
    return y


CE_CATALOGUE = [
    (lambda z, y: y - actlib.softmax(z), ["off by a sign", "p − y"]),
    (lambda z, y: actlib.softmax(z), ["probabilities p = softmax(z)", "target y"]),
    (lambda z, y: -y / actlib.softmax(z), ["with respect to the probabilities"]),
    (lambda z, y: (actlib.softmax(z) - y) * actlib.softmax(z) * (1 - actlib.softmax(z)),
     ["as if softmax were elementwise", "diag(p) − p pᵀ"]),
    (lambda z, y: (actlib.softmax(z) - y) / np.shape(z)[0] if np.ndim(z) == 2
     else actlib.softmax(z) - y, ["averaged over the batch"]),
    (lambda z, y: naive_softmax(z) - y, ["overflow encountered in exp", "z[0] = 1000.0",
                                         "subtract the maximum"]),
    (mutating_grad, ["modified its input y in place"]),
    (lambda z: z, ["raised TypeError"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "fragments"),
    CE_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(CE_CATALOGUE))],
)
def test_q4_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q4, answer, *fragments)


def test_q4_truth_is_the_numerical_gradient():
    """The expected p - y really is dL/dz (central differences on the cross-entropy)."""
    for c in ex.q4.cases:
        z, y = (np.asarray(a, dtype=np.float64) for a in c.args)
        if not np.isfinite(z).all() or np.abs(z).max() > 100:
            continue
        zs, ys = np.atleast_2d(z), np.atleast_2d(y)
        numeric = np.zeros_like(zs)
        h = 1e-6
        for idx in np.ndindex(zs.shape):
            step = np.zeros_like(zs)
            step[idx] = h
            loss_plus = -(ys * log_softmax(zs + step, axis=-1)).sum()
            loss_minus = -(ys * log_softmax(zs - step, axis=-1)).sum()
            numeric[idx] = (loss_plus - loss_minus) / (2 * h)
        np.testing.assert_allclose(numeric.reshape(z.shape), ex.q4._truth(c), atol=1e-8)


# ----------------------------------------------------------------------------- numbers, choices


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((1.0, 2.0, 3.0), ["exponentials", "sum"]),
        ((0.0, 0.3869, 0.6131), ["logits themselves"]),
        ((0.5, 1 / 3, 1 / 6), ["reverse order"]),
        ((1 / 3, 1 / 3, 1 / 3), ["uniform"]),
        ((1 / 6, 1 / 3, 0.6), ["softmax(x)_2: this is too large"]),
        ((1 / 6, 1 / 3), ["2 value(s)"]),
        (ex.softmax, ["you passed a function"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    if fragments == ["logits themselves"]:
        answer = (0.0, math.log(2) / math.log(6), math.log(3) / math.log(6))
    assert_incorrect(ex.q1, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((-2.0, expit(-2.0)), "z_1 − z_0"),
        ((1.5, expit(1.5)), "ignores the other class"),
        ((1.0, expit(1.0)), "added the logits"),
        ((2.0, 0.5), "p0: this is too small"),
        ((2.0,), "1 value(s)"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "equal at every T"),
        ("C", "T → ∞"),
        ("d", "x / Σx"),
        ("e", "not an option"),
        (2, "an int"),
    ],
)
def test_q6_wrong_answers(answer, fragment):
    assert_incorrect(ex.q6, answer, fragment)


def test_q6_answer_is_the_limit():
    p = actlib.softmax(np.array([1.0, 3.0, 3.0]) / 1e-3)
    np.testing.assert_allclose(p, [0, 0.5, 0.5], atol=1e-300)
    np.testing.assert_allclose(actlib.softmax(np.array([1.0, 3.0, 3.0]) / 1e6), 1 / 3, rtol=1e-5)


def test_q6_option_d_is_reached_at_one_temperature():
    """The feedback for (d) says x / sum(x) is softmax(x / T) at T = 2 / ln 3, not the limit."""
    p = actlib.softmax(np.array([1.0, 3.0, 3.0]) / (2 / math.log(3)))
    np.testing.assert_allclose(p, np.array([1.0, 3.0, 3.0]) / 7, rtol=1e-14)
    assert "1.82" in ex.q6.feedback["d"]


def test_q5_answer_is_the_softmax():
    p = actlib.softmax([1.5, -0.5])[0]
    assert ex.q5.expected[0] == 2.0 and math.isclose(ex.q5.expected[1], p, rel_tol=1e-15)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q2, a) for a, _ in SOFTMAX_CATALOGUE]
    + [(ex.q3, a) for a, _ in LOG_SOFTMAX_CATALOGUE]
    + [(ex.q4, a) for a, _ in CE_CATALOGUE]
    + [(ex.q1, a) for a in [(1.0, 2.0, 3.0), (0.5, 1 / 3, 1 / 6), (0.2, 0.3, 0.5), "x"]]
    + [(ex.q5, a) for a in [(-2.0, 0.1), (1.5, 0.8), (2.0, 0.5), (3.0, 0.9)]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(question, answer, "1/6", "0.8808", "0.1667", "2/6")


# ----------------------------------------------------------------------------- robustness


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize("question", FUNCTION_QUESTIONS, ids=lambda q: q.name)
def test_function_solutions_show_the_reference_code(question):
    note = question.solution()
    assert f"def {question.func_name}(" in note.code and "keepdims=True" in note.code
