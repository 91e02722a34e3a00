"""Tests for the "why non-linearity" chapter's questions: references pass, mistakes fail clearly."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, strict_check

from actlib.exercises import why_nonlinearity as ex

CORRECT_ANSWERS = {
    "q1": ex.collapse,
    "q2": ex.XOR_WEIGHTS,
    "q3": 16,
    "q4": 9,
    "q5": "c",
}
ONES = np.ones((2, 2))


# ----------------------------------------------------------------------------- correct answers


def _collapse_row_bias(W1, b1, W2, b2):
    return W1 @ W2, (b1 @ W2 + b2)[None, :]  # b of shape (1, outputs) broadcasts the same


def _collapse_lists(W1, b1, W2, b2):
    return [np.dot(W1, W2).tolist(), list(np.dot(b1, W2) + b2)]


def _collapse_einsum(W1, b1, W2, b2):
    return np.einsum("ih,ho->io", W1, W2), np.einsum("h,ho->o", b1, W2) + b2


def _collapse_by_probing(W1, b1, W2, b2):
    """Read the layer off the stack: b = f(0), rows of W = f(e_i) - f(0)."""
    n = W1.shape[0]
    out = (np.vstack([np.zeros(n), np.eye(n)]) @ W1 + b1) @ W2 + b2
    return out[1:] - out[0], out[0]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, _collapse_row_bias),
        (ex.q1, _collapse_lists),
        (ex.q1, _collapse_einsum),
        (ex.q1, _collapse_by_probing),
        (ex.q2, [ONES.tolist(), [0, -1], [1, -2], 0]),
        (ex.q2, (ONES, np.array([0.0, -1.0]), np.array([[1.0], [-2.0]]), np.array([0.0]))),
        (ex.q2, (np.array([[1, -1], [-1, 1]]), [0, 0], [1, 1], 0)),  # |x1 - x2|
        (ex.q2, (ONES, [-1, 0], [-2, 1], 0)),  # the units in the other order
        (ex.q2, (ONES * 2, [0, -2], [0.5, -1], 0)),  # rescaled units
        (ex.q2, (ONES, [0, -1], [1, -2], 1e-9)),  # within the tolerance
        (ex.q3, 16.0),
        (ex.q3, np.int64(16)),
        (ex.q3, Fraction(16)),
        (ex.q4, 9.0),
        (ex.q4, [9]),
        (ex.q5, " C "),
        (ex.q5, "(c)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_collapse_equals_the_stack():
    rng = np.random.default_rng(7)
    for n_in, hidden, n_out in [(1, 1, 1), (6, 2, 3), (3, 9, 4)]:
        W1, b1 = rng.normal(size=(n_in, hidden)), rng.normal(size=hidden)
        W2, b2 = rng.normal(size=(hidden, n_out)), rng.normal(size=n_out)
        X = rng.normal(size=(50, n_in))
        W, b = ex.collapse(W1, b1, W2, b2)
        np.testing.assert_allclose(X @ W + b, (X @ W1 + b1) @ W2 + b2, rtol=1e-12, atol=1e-12)


def test_truth_of_q1_is_independent_of_the_reference():
    for W1, b1, W2, b2 in ex.q1.cases:
        W_true, b_true = ex._probe(W1, b1, W2, b2)
        W, b = ex.collapse(W1, b1, W2, b2)
        np.testing.assert_allclose(W_true, W, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(b_true, b, rtol=1e-12, atol=1e-12)


def test_q1_cases_catch_the_order_mistake_by_value_and_by_shape():
    shapes = [(W1.shape, W2.shape) for W1, _, W2, _ in ex.q1.cases]
    assert shapes[0][0] == shapes[0][1]  # square first: W2 @ W1 fits but is wrong
    assert any(a[1] != b[0] or a[0] != b[1] for a, b in shapes)  # and a non-square case


def test_xor_weights_compute_xor():
    W1, b1, w2, b2 = ex.XOR_WEIGHTS
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(np.maximum(X @ W1 + b1, 0) @ w2 + b2, [0, 1, 1, 0])


def test_q4_bound_is_reached_by_a_network():
    rng = np.random.default_rng(0)
    kinks = np.sort(rng.uniform(-4, 4, 8))
    w = rng.choice([-1.0, 1.0], 8) * rng.uniform(0.5, 2, 8)
    v = rng.uniform(0.5, 2, 8)

    def f(x):
        return np.maximum(np.outer(x, w) - kinks * w, 0) @ v

    # one point inside each interval between and around the kinks: 9 intervals
    inside = np.concatenate([[kinks[0] - 1], (kinks[:-1] + kinks[1:]) / 2, [kinks[-1] + 1]])
    h = 1e-6
    slopes = (f(inside + h) - f(inside - h)) / (2 * h)
    assert len(inside) == ex.q4.expected[0] == 9
    assert np.all(np.abs(np.diff(slopes)) > 0.1)  # neighbouring pieces really differ


def test_q3_bound_is_reached_by_random_weights():
    rng = np.random.default_rng(0)
    widths = [784, 512, 16, 512, 784]
    W = np.eye(784)
    for n_in, n_out in pairwise(widths):
        W = W @ rng.normal(size=(n_in, n_out))
    assert np.linalg.matrix_rank(W) == ex.q3.expected[0] == 16


# ----------------------------------------------------------------------------- not attempted


@pytest.mark.parametrize(
    ("answer", "missing"),
    [((..., ..., ..., ...), "W1, b1, w2, b2"), ((ONES, [0, -1], ..., 0), "w2")],
)
def test_q2_partial_answer_is_not_attempted(answer, missing):
    result = strict_check(ex.q2, answer)
    assert result.status == "not_attempted"
    assert missing in result.message


# ----------------------------------------------------------------------------- q1: wrong answers


def _mutating(W1, b1, W2, b2):
    b2 += b1 @ W2
    return W1 @ W2, b2


def _warns(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2 + np.log(-np.ones_like(b2))


COLLAPSE_CATALOGUE = [
    (lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2), ["W is W2 @ W1", "wrong order", "W1 @ W2"]),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), ["b = b1 + b2", "goes through W2"]),
    (lambda W1, b1, W2, b2: (W1 @ W2, b2), ["b = b2", "forgets the first bias", "b1 @ W2"]),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), ["missing the second layer's own bias b2"]),
    (
        lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2),
        ["W2 @ b1 + b2", "column-vector formula", "b1 @ W2"],
    ),
    (lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2), ["transpose", "(inputs, outputs)"]),
    (lambda W1, b1, W2, b2: (b1 @ W2 + b2, W1 @ W2), ["returned (b, W)", "order W, b"]),
    (lambda W1, b1, W2, b2: W1 @ W2, ["returned a", "ndarray", "return the pair W, b"]),
    (
        lambda W1, b1, W2, b2: {"W": W1 @ W2, "b": b1 @ W2 + b2},
        ["returned a dict", "the pair W, b"],
    ),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2, 0), ["returned a tuple", "the pair W, b"]),
    (lambda W1, b1, W2, b2: (2 * W1 @ W2, b1 @ W2 + b2), ["W[0, 0] is wrong", "too large"]),
    (lambda W1, b1, W2, b2: (W1 @ W2, -(b1 @ W2 + b2)), ["b[0] is wrong", "off by a sign"]),
    (
        lambda W1, b1, W2, b2: (np.zeros((2, 2)), b2),
        ["for W1 of shape (3, 3)", "W has shape (2, 2)", "W of shape (3, 3)"],
    ),
    (
        lambda W1, b1, W2, b2: (W1 @ W2, np.append(b1 @ W2 + b2, 0.0)),
        ["b has shape (4,)", "one bias per output"],
    ),
    (lambda W1, b1, W2, b2: ("W", "b"), ["the returned W is a string"]),
    (lambda W1, b1, W2, b2: (W1 @ W2 > 0, b2), ["the returned W holds booleans"]),
    (lambda W1, b1, W2, b2: (W1 @ W2 + 0j, b1 @ W2 + b2), ["complex numbers"]),
    (
        lambda W1, b1, W2, b2: None if W1.shape[1] == 4 else ex.collapse(W1, b1, W2, b2),
        ["collapse returned None", "missing return"],
    ),
    (_mutating, ["modified its input b2 in place"]),
    (_warns, ["emitted RuntimeWarning", "invalid value"]),
    (
        lambda W1, b1, W2, b2: (W2 @ W1 if W1.shape == W2.shape else W2.T @ W1.T, b2),
        ["W is W2 @ W1"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    COLLAPSE_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(COLLAPSE_CATALOGUE))],
)
def test_q1_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


def test_q1_shape_errors_get_advice():
    def column_formula(W1, b1, W2, b2):
        return W1 @ W2, W2 @ b1 + b2  # fits the square case, not the next one

    def square_only(W1, b1, W2, b2):
        return W1 @ W2, b1 + b2 if W1.shape == W2.shape else b1 @ W2 + b2

    assert_incorrect(ex.q1, column_formula, "column-vector formula")
    assert_incorrect(ex.q1, square_only, "b = b1 + b2")

    def order_only_in_nonsquare(W1, b1, W2, b2):
        return (W1 @ W2 if W1.shape == W2.shape else W2 @ W1), b1 @ W2 + b2

    assert_incorrect(
        ex.q1, order_only_in_nonsquare, "raised ValueError", "shapes do not fit", "W1 @ W2"
    )

    def bias_sum(W1, b1, W2, b2):
        return W1 @ W2, (b1 @ W2 + b2 if W1.shape == W2.shape else b1 + b2)

    assert_incorrect(ex.q1, bias_sum, "raised ValueError", "b1 must go through")


def test_q1_other_exceptions_are_reported():
    def broken(W1, b1, W2, b2):
        raise KeyError("oops")

    assert_incorrect(ex.q1, broken, "raised KeyError", "oops")


@pytest.mark.parametrize("answer", [ex.collapse(*ex.q1.cases[0]), "collapse", 3])
def test_q1_non_function_is_refused(answer):
    assert_incorrect(ex.q1, answer, "wants a function", "q1.check(collapse)")


def test_q1_learner_gets_copies():
    seen = []

    def collapse(W1, b1, W2, b2):
        seen.append(W1)
        return ex.collapse(W1, b1, W2, b2)

    assert strict_check(ex.q1, collapse)
    assert all(a is not c[0] for a, c in zip(seen, ex.q1.cases, strict=False))


# ----------------------------------------------------------------------------- q2: wrong answers


XOR_CATALOGUE = [
    ((ONES, [0, 1], [1, -2], 0), ["none of your hidden units switches", "linear function"]),
    ((ONES, [0, 0], [1, -2], 0), ["none of your hidden units switches"]),
    ((np.zeros((2, 2)), [0, 0], [0, 0], 0), ["none of your hidden units switches"]),
    ((ONES, [0, -1], [1, -1], 0), ["computes OR"]),
    ((ONES, [0, -1], [0, 1], 0), ["computes AND"]),
    ((ONES, [0, -1], [-1, 2], 1), ["computes XNOR"]),
    ((ONES, [0, -1], [0, -1], 1), ["computes NAND"]),
    ((ONES, [0, -1], [1, -1.5], 0), ["thresholded at 1/2", "exact outputs 0 and 1"]),
    (
        (ONES, [0, -1], [2, -2], 0),
        ["for x = (0, 1) your network outputs 2; XOR needs 1", "for x = (1, 1)"],
    ),
    ((ONES, [0, -1], [1, -2]), ["pass the four weights as a tuple"]),
    ({"W1": ONES}, ["you passed a dict", "q2.check((W1, b1, w2, b2))"]),
    ((np.ones(2), [0, -1], [1, -2], 0), ["W1 has shape (2,)", "shape (2, 2)"]),
    ((ONES, [0, -1, 0], [1, -2], 0), ["b1 has shape (3,)"]),
    ((ONES, [0, -1], [1, -2], [0, 0]), ["b2 has shape (2,)", "a single number"]),
    ((ONES, [0, -1], np.ones((2, 2)), 0), ["w2 has shape (2, 2)"]),
    ((ONES, [0, np.nan], [1, -2], 0), ["b1 contains inf or NaN"]),
    ((ONES, "0, -1", [1, -2], 0), ["b1 is a string"]),
    ((ONES, [True, False], [1, -2], 0), ["b1 holds booleans"]),
    ((ONES, [0, -1], [1, -2j], 0), ["w2 holds complex numbers"]),
    ((ONES, [0, -1], [1, object()], 0), ["w2", "does not hold numbers"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    XOR_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(XOR_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_string_answer_is_refused():
    assert_incorrect(ex.q2, "W1, b1, w2, b2", "you passed a str")


# ----------------------------------------------------------------------------- q3-q5


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (784, "a product's rank is at most the smallest rank"),
        (512, "limited by the narrowest one"),
        (0, "the rank can be positive"),
        (1, "look for the bottleneck"),
        (15, "your answer is too small"),
        (32, "your answer is too large"),
        ("16", "you passed a string"),
        ((16, 16), "your answer has 2 value(s)"),
    ],
)
def test_q3_wrong_answers(answer, fragment):
    assert_incorrect(ex.q3, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (8, "the largest number of kinks"),
        (16, "not two pieces of its own"),
        (256, "2^8 counts the on/off patterns"),
        (7, "n + 1 pieces"),
        (10, "your answer is too large"),
        (lambda k: k + 1, "you passed a function"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "not how many"),
        ("b", "promises nothing about training"),
        ("d", "must not be a polynomial"),
        ("e", "is not an option"),
        (3, "answer with the letter"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q1, a) for a, _ in COLLAPSE_CATALOGUE]
    + [(ex.q2, a) for a, _ in XOR_CATALOGUE]
    + [(ex.q3, a) for a in (784, 512, 0, 1, 15, 32)]
    + [(ex.q4, a) for a in (8, 16, 256, 7, 10)]
    + [(ex.q5, a) for a in "abd"]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    msg = strict_check(question, answer).message
    if question is ex.q1:
        for W1, b1, W2, b2 in ex.q1.cases:
            for value in np.concatenate([(W1 @ W2).ravel(), b1 @ W2 + b2]):
                assert f"{value:.2f}" not in msg, msg
        assert "b1 @ W2 + b2" not in msg or "W2 @ b1 + b2" in msg, msg
    if question is ex.q2:
        for text in ("[0, -1]", "(0, -1)", "(1, -2)", "[1, -2]", "h1 - 2"):
            assert text not in msg, msg
    if question is ex.q3:
        assert "16" not in msg, msg
    if question is ex.q4:
        assert "9" not in msg and "k + 1" not in msg, msg
    if question is ex.q5:
        assert "(c)" not in msg, msg


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "W = W1 @ W2"),
        (ex.q2, "w2 = (1, −2)"),
        (ex.q3, "Answer: 16"),
        (ex.q4, "at most 9 linear pieces"),
        (ex.q5, "(c)"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())
