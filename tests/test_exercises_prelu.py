"""Tests of the PReLU chapter's questions: references pass, typical mistakes get specific help."""

from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check

import actlib
from actlib import nn
from actlib.exercises import prelu as ex

CORRECT_ANSWERS = {
    "q1": (-1.0, -0.25, 0.0, 2.0, 2.0),
    "q2": ex.prelu_weight_grad,
    "q3": ex.prelu_channel_weight_grad,
    "q4": (-0.5, -0.032, 0.282),
    "q5": "b",
}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [-1, -0.25, 0, 2, 2]),
        (ex.q1, np.array([-1.0, -0.25, 0.0, 2.0, 2.0])),
        (ex.q1, (*actlib.prelu(np.array([-4.0, -1.0, 0.0, 2.0]), 0.25), 2.0)),
        (ex.q1, (Fraction(-1), Fraction(-1, 4), 0, 2, 2)),
        (ex.q2, actlib.prelu_weight_grad),
        (ex.q2, lambda x, weight: np.where(x > 0, 0, x)[()]),
        (ex.q2, lambda x, weight: np.clip(x, None, 0)),
        (ex.q3, lambda x, g: np.einsum("nc,nc->c", g, np.minimum(x, 0))),
        (ex.q3, lambda x, g: (g * actlib.prelu_weight_grad(x, 0.25)).sum(axis=0)),
        (ex.q3, lambda x, g: np.sum(np.where(x < 0, g * x, 0), axis=0)),
        (ex.q4, (-0.5, 0.9 * 0.02 + 0.1 * -0.5, 0.25 - (0.9 * 0.02 + 0.1 * -0.5))),
        (ex.q4, [Fraction(-1, 2), Fraction(-4, 125), Fraction(141, 500)]),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_actlib_agrees_with_the_questions_truth():
    for c in ex.q2.cases:
        expected = ex.q2._truth(c)
        np.testing.assert_array_equal(
            np.asarray(actlib.prelu_weight_grad(*c.args), float), expected
        )
    for c in ex.q3.cases:
        x, g = c.args
        got = (g * actlib.prelu_weight_grad(x, 0.25)).sum(axis=0)
        np.testing.assert_allclose(got, ex.q3._truth(c), rtol=1e-6)


def test_q4_expected_values_follow_from_the_statement():
    x, upstream = np.array([-2.0, 1.0, -0.5]), np.array([0.3, -0.4, -0.2])
    grad = np.sum(upstream * np.minimum(x, 0))
    step = 0.9 * 0.02 + 0.1 * grad
    np.testing.assert_allclose(ex.q4.expected, [grad, step, 0.25 - step])
    opt = nn.SGD(lr=0.1, momentum=0.9)  # nn's velocity form gives the same slope
    a = {"slope0": np.array([0.25])}
    opt.state["slope0"] = {"v": np.array([0.02 / 0.1])}  # velocity = step / lr
    opt.step(a, {"slope0": np.array([grad])})
    np.testing.assert_allclose(a["slope0"], [0.282])


def test_q1_expected_values_follow_from_actlib():
    got = [*actlib.prelu(np.array([-4.0, -1.0, 0.0, 2.0]), 0.25), actlib.prelu(-4.0, -0.5)]
    np.testing.assert_array_equal(ex.q1.expected, got)


def test_tolerance_is_relative_not_exact():
    assert strict_check(ex.q3, lambda x, g: ex.prelu_channel_weight_grad(x, g) * (1 + 1e-13))
    assert strict_check(ex.q4, (-0.5 * (1 + 1e-9), -0.032, 0.282))
    assert_incorrect(ex.q4, (-0.5, -0.032, 0.2821), "new a: this is slightly too large")
    assert_incorrect(
        ex.q3, lambda x, g: ex.prelu_channel_weight_grad(x, g) * (1 + 1e-6), "slightly too"
    )


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q1: by hand


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.0, 0.0, 0.0, 2.0, 0.0), ["ReLU's values"]),
        ((1.0, 0.25, 0.0, 2.0, -2.0), ["signs", "flipped"]),
        ((-1.0, -0.25, 0.0, 0.5, 2.0), ["only to the negative side"]),
        ((-1.0, -0.25, 0.0, 2.0, -2.0), ["last value", "negative slope"]),
        ((-1.0, -0.25, 0.0, 2.0, 3.0), ["f(-4) with a = -0.5: this is too large"]),
        ((-0.04, -0.01, 0.0, 2.0, 2.0), ["f(-4): this is too small, by a factor of about 20"]),
        ((-1.0, -0.25, 0.0, 2.0), ["4 value(s)", "5 numbers"]),
        ("-1, -0.25, 0, 2, 2", ["string", "without quotes"]),
        (ex.prelu_weight_grad, ["you passed a function"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


# ----------------------------------------------------------------------------- q2: df/da


def mutating_weight_grad(x, weight):
    x = np.asarray(x)
    if x.ndim:
        x[x > 0] = 0  # "clip" in place
        return x
    return np.minimum(x, 0)


def product_weight_grad(x, weight):
    """min(0, x) written as x * (x <= 0): inf * 0 = NaN with a warning."""
    x = np.asarray(x)
    return x * (x <= 0)


def where_with_nan_lost(x, weight):
    x = np.asarray(x)
    return np.where(x <= 0, x, 0.0).astype(x.dtype)[()]  # NaN <= 0 is False: NaN -> 0


WEIGHT_GRAD_CATALOGUE = [
    (lambda x, w: np.asarray(x), ["x[3] = 0.5", "returned x everywhere"]),
    (lambda x, w: np.zeros_like(np.asarray(x, dtype=float)), ["exactly 0", "0 everywhere"]),
    (lambda x, w: actlib.prelu_grad(x, w), ["∂f/∂x", "with respect to the input"]),
    (lambda x, w: np.maximum(x, 0), ["max(0, x)", "does not involve the slope"]),
    (lambda x, w: actlib.prelu(x, w) - np.maximum(x, 0), ["negative part of PReLU itself"]),
    (lambda x, w: -np.minimum(x, 0), ["off by a sign"]),
    (mutating_weight_grad, ["modified its input x in place"]),
    (product_weight_grad, ["RuntimeWarning", "x[1] = inf"]),
    (where_with_nan_lost, ["x[2] = nan", "should be NaN"]),
    (lambda x, w: np.minimum(np.asarray(x, dtype=float), 0), ["dtype float64 for a float32"]),
    (lambda x, w: np.minimum(x, 0).sum(), ["single number", "shape (5,)"]),
    (lambda x, w: list(np.minimum(x, 0)), ["returned a list"]),
    (lambda x: np.minimum(x, 0), ["raised TypeError"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    WEIGHT_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(WEIGHT_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_checks_the_per_channel_case():
    def shared_only(x, weight):  # fails when weight is an array of per-channel slopes
        if np.ndim(weight):
            raise ValueError("only scalars")
        return np.minimum(x, 0)[()]

    assert_incorrect(ex.q2, shared_only, "weight = np.array([0.25, 0.1, -0.2])", "only scalars")


# ----------------------------------------------------------------------------- q3: chain rule


def _grad(x, g):
    return np.asarray(g) * np.minimum(x, 0)


CHANNEL_CATALOGUE = [
    (_grad, ["returned shape (4, 3), one value per element", "sum over axis 0"]),
    (lambda x, g: _grad(x, g).sum(axis=1), ["shape (4,)", "summed over axis 1"]),
    (lambda x, g: _grad(x, g).sum(), ["single number", "channel-shared"]),
    (lambda x, g: _grad(x, g).sum(axis=0, keepdims=True), ["shape (1, 3)", "shape (3,)"]),
    (lambda x, g: (g * x).sum(axis=0), ["channel 0", "You used x where"]),
    (lambda x, g: np.minimum(x, 0).sum(axis=0), ["upstream gradient"]),
    (lambda x, g: _grad(x, g).mean(axis=0), ["averaged over the batch"]),
    (lambda x, g: (g * np.maximum(x, 0)).sum(axis=0), ["max(0, x)"]),
    (lambda x, g: -_grad(x, g).sum(axis=0), ["off by a sign"]),
    (lambda x, g: _grad(x, g).sum(axis=0).astype(np.float64), ["dtype float64 for a float32"]),
    (lambda x, g: list(_grad(x, g).sum(axis=0)), ["returned a list"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    CHANNEL_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(CHANNEL_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_wrong_axis_is_caught_also_when_n_equals_c():
    def wrong_axis_when_square(x, g):  # right on the non-square cases, wrong on the square one
        axis = 1 if x.shape[0] == x.shape[1] else 0
        return _grad(x, g).sum(axis=axis)

    result = assert_incorrect(ex.q3, wrong_axis_when_square, "summed over axis 1")
    assert "shape (3, 3)" not in result.message  # found by value, for the 3 x 3 case
    assert "[-2.0, 1.0, -1.0]" in result.message


def test_q3_names_the_channel_not_a_row():
    result = assert_incorrect(ex.q3, lambda x, g: (g * x).sum(axis=0))
    assert "at channel 0 (column x[:, 0])" in result.message
    assert "x[0] = [" not in result.message


def test_q3_mutation_is_caught_and_does_not_corrupt_the_cases():
    def mutating(x, g):
        g *= np.minimum(x, 0)  # in place on the caller's array
        return g.sum(axis=0)

    before = [copy.deepcopy(c.args) for c in ex.q3.cases]
    assert_incorrect(ex.q3, mutating, "modified its input grad_out in place")
    for saved, c in zip(before, ex.q3.cases, strict=True):
        for a, b in zip(saved, c.args, strict=True):
            np.testing.assert_array_equal(a, b)
    assert strict_check(ex.q3, ex.prelu_channel_weight_grad)


# ----------------------------------------------------------------------------- q4, q5


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((-0.9, -0.072, 0.322), "uses x itself"),
        ((-0.5, -0.05, 0.3), "momentum term"),
        ((-0.5, -0.032, 0.218), "subtracts the step"),
        ((-0.5 / 3, 0.018 - 0.05 / 3, 0.25 - 0.018 + 0.05 / 3), "averaged"),
        ((0.5, 0.068, 0.182), "sign of ∂E/∂a"),
        ((-0.5, -0.032, 0.3), "new a: this is too large"),
        ((-0.6, -0.042, 0.292), "dE/da: this is too large (relative error about 20%)"),
        (-0.5, "1 value(s)"),
    ],
)
def test_q4_wrong_answers_get_a_nudge(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "toward 0, not toward 1"),
        ("C", "every parameter that is decayed shrinks"),
        ("d", "does not clip"),
        ("e", "not an option"),
        (2, "an int"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q2, a) for a, _ in WEIGHT_GRAD_CATALOGUE]
    + [(ex.q3, a) for a, _ in CHANNEL_CATALOGUE]
    + [(ex.q4, a) for a in [(-0.9, -0.072, 0.322), (-0.5, -0.05, 0.3), (0.0, 0.0, 0.25),
                            (-0.4, -0.02, 0.27), (1.0, 1.0, 1.0)]]
)  # fmt: skip


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(question, answer, "0.282", "-0.032", "0.032")


# ----------------------------------------------------------------------------- hostile input


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "(−0.5)·(−4) = 2"),
        (ex.q4, "0.25 − (−0.032) = 0.282"),
        (ex.q5, "(b)"),
        (ex.q3, "sum over axis 0"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


def test_question_repr_shows_the_prompt():
    assert repr(ex.q3).startswith("q3: Channel-wise PReLU has one slope a[c] per channel")
    assert "(b) The decay pulls every slope toward 0" in repr(ex.q5)
