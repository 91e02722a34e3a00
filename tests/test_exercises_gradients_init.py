"""Tests for the gradients/initialisation chapter's questions (the framework: test_exercises.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, strict_check

from actlib import nn
from actlib.exercises import gradients_init as ex

CORRECT_ANSWERS = {
    "q1": 0.0625,
    "q2": 4.5,
    "q3": ex.he_normal,
    "q4": (0.9**50, 1.1**50),
    "q5": "b",
}


# ----------------------------------------------------------------------------- facts


def test_the_expected_values_are_right():
    assert math.isclose(float(ex.q1.expected[0]), 1 / 16, rel_tol=1e-15)
    z = 3.0 * np.random.default_rng(1).standard_normal(2_000_000)
    assert abs(np.mean(np.maximum(z, 0) ** 2) - float(ex.q2.expected[0])) < 0.02
    assert np.allclose(ex.q4.expected, [0.005153775207320113, 117.39085287969579], rtol=1e-12)


# ----------------------------------------------------------------------------- correct answers


def _he_standard_normal(fan_in, fan_out, rng):
    return np.sqrt(2 / fan_in) * rng.standard_normal((fan_in, fan_out))


def _he_transposed_draw(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2 / fan_in), size=(fan_out, fan_in)).T.copy()


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, np.sqrt(2 / 512)),
        (ex.q1, 1 / 16),
        (ex.q1, np.float32(0.0625)),
        (ex.q2, 9 / 2),
        (ex.q2, np.array([4.5])),
        (ex.q3, nn.he),
        (ex.q3, _he_standard_normal),
        (ex.q3, _he_transposed_draw),
        (ex.q4, [0.9**50, 1.1**50]),
        (ex.q4, (0.00515, 117.4)),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_q3_reference_is_reproducible_and_right():
    a = ex.he_normal(300, 200, np.random.default_rng(7))
    b = ex.he_normal(300, 200, np.random.default_rng(7))
    assert a.shape == (300, 200) and a.dtype == np.float64
    assert np.array_equal(a, b)
    assert abs(a.std() / np.sqrt(2 / 300) - 1) < 0.02


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong answers


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (np.sqrt(1 / 512), "LeCun"),
        (2 / 512, "that is the variance"),
        (np.sqrt(2 / 128), "fan-out"),
        (np.sqrt(2 / 640), "Xavier"),
        (np.sqrt(6 / 512), "uniform variant"),
        (0.07, "too large"),
        (0.03, "too small, by a factor of about 2"),
        ("0.0625", "without quotes"),
    ],
)
def test_q1_wrong_answers(answer, fragment):
    assert_incorrect(ex.q1, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (9.0, "that is E[z²]"),
        (1.5, "halved the standard deviation"),
        (2.25, "divided by 4"),
        (9 / (2 * np.pi), "square of the mean"),
        (4.5 - 9 / (2 * np.pi), "variance of relu(z)"),
        (4.6, "relative error"),
        ((4.5, 4.5), "2 value(s)"),
    ],
)
def test_q2_wrong_answers(answer, fragment):
    assert_incorrect(ex.q2, answer, fragment)


def _normal(std_of):
    def init(fan_in, fan_out, rng):
        return rng.normal(0.0, std_of(fan_in, fan_out), size=(fan_in, fan_out))

    return init


def _global_rng(fan_in, fan_out, rng):
    return np.sqrt(2 / fan_in) * np.random.randn(fan_in, fan_out)  # noqa: NPY002 (the mistake)


def _own_rng(fan_in, fan_out, rng):
    return np.sqrt(2 / fan_in) * np.random.default_rng(0).standard_normal((fan_in, fan_out))


def _uniform_right_variance(fan_in, fan_out, rng):
    limit = np.sqrt(6 / fan_in)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def _laplace_right_variance(fan_in, fan_out, rng):
    return rng.laplace(0.0, np.sqrt(1 / fan_in), size=(fan_in, fan_out))


def _positive(fan_in, fan_out, rng):
    return np.sqrt(2 / fan_in) * rng.random((fan_in, fan_out))


def _warns(fan_in, fan_out, rng):
    return np.sqrt(2 / fan_in) * rng.standard_normal((fan_in, fan_out)) / np.float64(0.0)


def _raises(fan_in, fan_out, rng):
    raise ValueError("boom")


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (_normal(lambda i, o: np.sqrt(2 / o)), ["divided by the fan-out"]),
        (nn.xavier_normal, ["Xavier/Glorot"]),
        (nn.xavier, ["Xavier/Glorot"]),
        (nn.lecun, ["LeCun initialisation"]),
        (_normal(lambda i, o: 2 / i), ["rng.normal's scale", "square root"]),
        (_normal(lambda i, o: (2 / i) ** 0.25), ["square root twice"]),
        (lambda i, o, rng: rng.standard_normal((i, o)), ["standard deviation 1"]),
        (_normal(lambda i, o: np.sqrt(2.3 / i)), ["too large", "2/fan_in"]),
        (_normal(lambda i, o: np.sqrt(1.6 / i)), ["too small"]),
        (_uniform_right_variance, ["uniformly distributed"]),
        (_laplace_right_variance, ["not normal"]),
        (_positive, ["not centred on zero"]),
        (_global_rng, ["global generator"]),
        (_own_rng, ["ignores its rng"]),
        (lambda i, o, rng: ex.he_normal(o, i, rng), ["the transpose"]),
        (lambda i, o, rng: ex.he_normal(i, o, rng)[:, 0], ["shape (512,)"]),
        (lambda i, o, rng: ex.he_normal(i, o, rng).tolist(), ["a list", "NumPy array"]),
        (lambda i, o, rng: ex.he_normal(i, o, rng).astype(np.float32), ["float32", "float64"]),
        (lambda i, o, rng: np.zeros((i, o)), ["all the weights are equal"]),
        (lambda i, o, rng: np.full((i, o), np.nan), ["inf or NaN"]),
        (_warns, ["RuntimeWarning"]),
        (_raises, ["raised ValueError: boom"]),
        (0.0625, ["wants a function"]),
    ],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_fan_out_mistake_is_caught_in_the_first_case():
    result = assert_incorrect(ex.q3, _normal(lambda i, o: np.sqrt(2 / o)))
    assert result.message.startswith("for fan_in = 512, fan_out = 256")


def test_q3_returning_none_later_is_incorrect():
    def sometimes(fan_in, fan_out, rng):
        if fan_in == 512:
            return ex.he_normal(fan_in, fan_out, rng)
        return None

    assert_incorrect(ex.q3, sometimes, "returned None")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((0.9 * 50, 1.1 * 50), "multiplied the gain by 50"),
        ((1 - 0.1 * 50, 1 + 0.1 * 50), "added up"),
        ((0.9**49, 1.1**49), "49 factors"),
        ((1.1**50, 0.9**50), "swapped"),
        ((0.9**50, 120.0), "the factor for g = 1.1: this is too large"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "keeps only half of the second moment"),
        ("c", "twice what SELU"),
        ("d", "3-fold per layer"),
        ("e", "is not an option"),
        (2, "as a string"),
    ],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


# ----------------------------------------------------------------------------- no leaks


@pytest.mark.parametrize(
    ("question", "answer", "secrets"),
    [
        (ex.q1, 0.07, ["0.0625", "1/16", "0.06"]),
        (ex.q1, np.sqrt(1 / 512), ["0.0625", "1/16"]),
        (ex.q2, 4.6, ["4.5", "9/2"]),
        (ex.q2, 9.0, ["4.5", "9/2"]),
        (ex.q3, _normal(lambda i, o: np.sqrt(2.3 / i)), ["0.0625", "0.0884", "0.141", "0.03"]),
        (ex.q3, nn.lecun, ["0.0625", "0.0884", "0.141"]),
        (ex.q4, (0.9**50, 120.0), ["117", "0.0051"]),
    ],
)
def test_messages_never_reveal_expected_values(question, answer, secrets):
    result = assert_incorrect(question, answer)
    for secret in secrets:
        assert secret not in result.message, (secret, result.message)


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "q1.check(0.0625)"),
        (ex.q2, "q2.check(4.5)"),
        (ex.q4, "q4.check((0.9 ** 50, 1.1 ** 50))"),
        (ex.q5, "(b)"),
    ],
)
def test_solutions_give_an_answer_that_passes(question, fragment):
    assert fragment in question.solution().body
    if "check(" in fragment:
        answer = eval(fragment.split("check(", 1)[1][:-1])
        assert strict_check(question, answer)
