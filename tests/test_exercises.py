"""Tests for the exercise checker framework and the sigmoid chapter's questions."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import (
    RaisingArray,
    RaisingEq,
    assert_correct,
    assert_incorrect,
    assert_reveals_nothing,
    raising,
    strict_check,
)
from scipy.special import expit, log_expit

from actlib.exercises import (
    ChoiceQuestion,
    FunctionQuestion,
    NumericQuestion,
    case,
)
from actlib.exercises import sigmoid as ex

CORRECT_ANSWERS = {
    "q1": (0.5, 0.75, 0.25),
    "q2": ex.sigmoid_grad,
    "q3": ex.sigmoid,
    "q4": 0.25**10,
    "q5": ex.bce_with_logits,
    "q6": "b",
}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [0.5, 0.75, 0.25]),
        (ex.q1, np.array([0.5, 0.75, 0.25])),
        (ex.q1, (Fraction(1, 2), Fraction(3, 4), Fraction(1, 4))),
        (ex.q1, (expit(0.0), expit(math.log(3)), expit(-math.log(3)))),
        (ex.q4, 2.0**-20),
        (ex.q4, np.float32(0.25**10)),
        (ex.q2, lambda x: expit(x) * expit(-x)),
        (ex.q3, expit),
        (ex.q3, lambda x: np.exp(log_expit(x))),
        (ex.q5, lambda z, y: -(y * log_expit(z) + (1 - y) * log_expit(-z))),
        (ex.q5, lambda z, y: np.logaddexp(0, z) - y * z),
        (ex.q6, " B "),
        (ex.q6, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_tolerance_is_relative_not_exact():
    assert strict_check(ex.q3, lambda x: expit(x) * (1 + 1e-12))
    assert strict_check(ex.q1, (0.5 + 1e-9, 0.75, 0.25))
    assert_incorrect(ex.q3, lambda x: expit(x) * (1 + 1e-6), "slightly too large")
    assert_incorrect(ex.q1, (0.5, 0.75, 0.26), "sigmoid(-ln 3): this is too large")


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- wrong functions


def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def where_sigmoid(x):  # both branches are evaluated: still overflows
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def cancelling_sigmoid(x):
    x = np.asarray(x)
    s = 1 / (1 + np.exp(-np.abs(x)))
    return np.where(x >= 0, s, 1 - s)


def mutating_sigmoid(x):
    x = np.asarray(x)  # no copy for an array
    x *= -1
    np.exp(x, out=x) if x.ndim else None
    return 1 / (1 + (x if x.ndim else np.exp(x)))


def float64_sigmoid(x):
    return expit(np.asarray(x, dtype=float))


def list_sigmoid(x):
    return [float(v) for v in np.atleast_1d(expit(x))]


def mean_sigmoid(x):
    return np.mean(expit(x))


def python_float_sigmoid(x):
    return float(np.mean(expit(x)))


def nan_to_zero_sigmoid(x):
    return np.nan_to_num(expit(x))


def branchy_sigmoid(x):
    if np.ndim(x) == 0:
        return expit(x)
    return None if np.asarray(x).ndim == 2 else expit(x)


SIGMOID_CATALOGUE = [
    (naive_sigmoid, ["RuntimeWarning", "overflow encountered in exp", "x[0] = -1000.0"]),
    (where_sigmoid, ["RuntimeWarning", "overflow", "x[0] = -1000.0"]),
    (lambda x: 1 / (1 + np.exp(x)), ["x[0] = -3.0", "σ(−x)", "sign"]),
    (cancelling_sigmoid, ["x[1] = -40.0", "exactly 0", "cancel"]),
    (mutating_sigmoid, ["modified its input x in place"]),
    (float64_sigmoid, ["dtype float64 for a float32 input"]),
    (list_sigmoid, ["returned a list, not a NumPy array"]),
    (mean_sigmoid, ["single number (float64)", "shape (5,)"]),
    (python_float_sigmoid, ["returned a Python float", "shape (5,)"]),
    (lambda x: expit(np.atleast_1d(x)), ["array of shape (1,) for a scalar input"]),
    (lambda x: np.round(expit(x)).astype(int), ["integers"]),
    (lambda x: expit(x) + 0j, ["complex"]),
    (lambda x: expit(x) > 0.5, ["booleans"]),
    (nan_to_zero_sigmoid, ["x[2] = nan", "should be NaN"]),
    (lambda x: np.where(np.abs(x) > 30, np.inf, expit(x)), ["infinite", "x[0] = -1000.0"]),
    (branchy_sigmoid, ["returned None", "return statement"]),
    (raising(ValueError("nope, not today")), ["raised ValueError: nope, not today"]),
    (raising(SystemExit(3)), ["raised SystemExit"]),
    (lambda x: 1 / (1 + math.exp(-x)), ["raised TypeError", "use np.exp"]),
    (lambda x: expit(x) if x > 0 else 0.5, ["ambiguous", "np.where"]),
    (lambda: 0.5, ["raised TypeError"]),
    (lambda x: "0.5", ["returned a string"]),
    (lambda x: RaisingArray(), ["cannot read as numbers", "boom from __array__"]),
    (lambda x: RaisingEq(), ["does not hold numbers"]),
    (lambda x: (v for v in [1.0]), ["does not hold numbers"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    SIGMOID_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(SIGMOID_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    result = assert_incorrect(ex.q3, answer, *fragments)
    assert "Traceback" not in result.message


def test_q3_naive_sigmoid_message_reads_well():
    result = strict_check(ex.q3, naive_sigmoid)
    assert result.message.startswith("for x = np.array([-1000.0, -40.0, 40.0, 1000.0]), sigmoid")
    assert "q3.hint()" in result.message


def test_q3_float32_overflow_is_caught_for_float32_limits():
    def float32_unsafe(x):  # stable in float64 only: exp(88.8) overflows in float32
        x = np.asarray(x)
        return expit(x) if x.dtype == np.float64 else 1 / (1 + np.exp(-x))

    assert_incorrect(ex.q3, float32_unsafe, "dtype=float32", "x[0] = -100.0", "overflow")


SIGMOID_GRAD_CATALOGUE = [
    (lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2, ["overflow", "x[0] = -1000.0"]),
    (lambda x: naive_sigmoid(x) * (1 - naive_sigmoid(x)), ["overflow", "x[0] = -1000.0"]),
    (expit, ["σ(x) itself", "derivative"]),
    (lambda x: x * (1 - x), ["x(1 − x)", "s = σ(x)"]),
    (lambda x: expit(x) * (1 + expit(x)), ["sign"]),
    (lambda x: -expit(x) * (1 - expit(x)), ["off by a sign"]),
    (lambda x: expit(np.asarray(x, dtype=np.float64)) * (1 - expit(x)), ["dtype float64"]),
    (lambda x: np.sum(expit(x) * expit(-x)), ["single number", "shape (5,)"]),
]


@pytest.mark.parametrize(("answer", "fragments"), SIGMOID_GRAD_CATALOGUE)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def naive_bce(z, y):
    p = expit(z)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def silenced_naive_bce(z, y):
    with np.errstate(all="ignore"):
        return naive_bce(z, y)


def mutating_bce(z, y):
    y = np.asarray(y)
    loss = np.logaddexp(0, z) - y * z
    y[...] = 0  # "clean up"
    return loss


BCE_CATALOGUE = [
    (naive_bce, ["divide by zero encountered in log", "z[0] = -1000.0, y[0] = 0.0"]),
    (silenced_naive_bce, ["z[0] = -1000.0, y[0] = 0.0", "NaN, where a number was expected"]),
    (lambda z, y: np.mean(np.logaddexp(0, z) - y * z), ["single number", "shape (6,)"]),
    (lambda z, y: np.logaddexp(0, z) - (1 - y) * z, ["labels are swapped"]),
    (lambda z, y: np.logaddexp(0, z) + y * z, ["sign of the y·z term"]),
    (lambda z, y: -(np.logaddexp(0, z) - y * z), ["off by a sign"]),
    (mutating_bce, ["modified its input y in place"]),
    (lambda z: z, ["raised TypeError"]),
]


@pytest.mark.parametrize(("answer", "fragments"), BCE_CATALOGUE)
def test_q5_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q5, answer, *fragments)


# ----------------------------------------------------------------------------- wrong numbers


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((0.5, 0.25, 0.75), ["swapped"]),
        ((0.5, 0.7, 0.25), ["sigmoid(ln 3): this is too small"]),
        ((0.0, 0.75, 0.25), ["sigmoid(0): this is exactly 0"]),
        ((0.1, 0.75, 0.25), ["sigmoid(0): this is too small, by a factor of about 5"]),
        ((0.5, -0.75, 0.25), ["sigmoid(ln 3): this is off by a sign"]),
        ((0.5, float("nan"), 0.25), ["sigmoid(ln 3): this is NaN"]),
        ((0.5, math.inf, 0.25), ["sigmoid(ln 3): this is infinite"]),
        (0.5, ["1 value(s)", "3 numbers"]),
        ((0.5, 0.75), ["2 value(s)"]),
        ("0.5, 0.75, 0.25", ["string", "without quotes"]),
        ((True, False, True), ["booleans"]),
        ((0.5j, 0.75, 0.25), ["complex"]),
        ({"a": 1}, ["could not read"]),
        (RaisingArray(), ["could not read", "boom from __array__"]),
        (naive_sigmoid, ["you passed a function"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (0.25, "single sigmoid"),
        (2.5, "added"),
        (0.5**10, "instead of its largest slope"),
        (0.25**9, "count the factors"),
        (0.25**11, "count the factors"),
        (4.0**10, "reciprocal"),
        (1e-3, "too large, by a factor of about 1000"),
        (-(0.25**10), "off by a sign"),
        (0.25**10 * 1.2, "too large (relative error about 20%)"),
    ],
)
def test_q4_wrong_answers_get_a_nudge(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "zero-centred"),
        ("C", "ReLU"),
        ("d", "1 − σ(x)"),
        ("e", "not an option"),
        (2, "an int"),
    ],
)
def test_q6_wrong_answers(answer, fragment):
    assert_incorrect(ex.q6, answer, fragment)


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in SIGMOID_CATALOGUE]
    + [(ex.q2, a) for a, _ in SIGMOID_GRAD_CATALOGUE]
    + [(ex.q5, a) for a, _ in BCE_CATALOGUE]
    + [(ex.q1, a) for a in [(0.5, 0.25, 0.75), (0.5, 0.7, 0.25), (0.4, 0.7, 0.2), (0.5,), "x"]]
    + [(ex.q4, a) for a in [0.25, 2.5, 0.5**10, 1.0, 1e-6, 0.0]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(question, answer, "0.75", "3/4", "9.5367", "(1/4)^10", "2^(−20)")


# ----------------------------------------------------------------------------- hostile input


def test_checker_safety_net_reports_its_own_failure():
    def broken_truth(x):
        raise ArithmeticError("truth is broken")

    q = FunctionQuestion(
        "qx",
        "p",
        func_name="f",
        arg_names=("x",),
        reference=expit,
        expected=broken_truth,
        cases=[case(1.0)],
    )
    assert_incorrect(q, expit, "checker could not evaluate", "truth is broken")


def test_question_definitions_are_validated():
    with pytest.raises(ValueError, match="argument"):
        FunctionQuestion(
            "qx", "p", func_name="f", arg_names=("x",), reference=expit, expected=expit,
            cases=[case(1.0, 2.0)],
        )  # fmt: skip
    with pytest.raises(ValueError, match="labels"):
        NumericQuestion("qx", "p", (1.0, 2.0), labels=("only one",))
    with pytest.raises(ValueError, match="not an option"):
        ChoiceQuestion("qx", "p", {"a": "A"}, "z")


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [(ex.q1, "1 / (1 + 1/3) = 3/4"), (ex.q4, "(1/4)^10"), (ex.q6, "(b)")],
)
def test_numeric_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


# ----------------------------------------------------------------------------- rendering


def test_text_rendering_is_the_plain_message():
    ok, bad, todo = strict_check(ex.q3, ex.sigmoid), strict_check(ex.q3, naive_sigmoid), None
    todo = strict_check(ex.q3, None)
    assert repr(ok) == str(ok) == f"✓ Correct (q3): {ok.message}"
    assert repr(bad).startswith("✗ Incorrect (q3): for x = ")
    assert repr(todo).startswith("○ Not attempted (q3): ")
    assert repr(strict_check(ex.q3, naive_sigmoid)) == repr(bad)  # deterministic for nbval


def test_html_escapes_learner_text():
    page = strict_check(ex.q3, raising(ValueError("<script>alert(1)</script>")))._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    code_page = ex.q3.solution()._repr_html_()
    assert "<pre" in code_page and "x &gt;= 0" in code_page


def test_question_repr_shows_the_prompt():
    assert repr(ex.q3).startswith("q3: Implement a numerically stable sigmoid")
    assert "(b) Its derivative is largest at x = 0" in repr(ex.q6)


# ----------------------------------------------------------------------------- checker details


@pytest.mark.parametrize(
    ("got", "expected", "message"),
    [
        (
            -0.6,
            -0.5,
            "this is too large (relative error about 20%) in magnitude, i.e. too negative",
        ),
        (
            -0.4,
            -0.5,
            "this is too small (relative error about 20%) in magnitude, i.e. too close to 0",
        ),
        (-3.0, -1.0, "this is too large, by a factor of about 3 in magnitude, i.e. too negative"),
        (0.6, 0.5, "this is too large (relative error about 20%)"),
        (0.1, 0.5, "this is too small, by a factor of about 5"),
        (-1.0, 0.0, "this is too small"),
        (0.5, -0.5, "this is off by a sign: you have the negative of the right value"),
    ],
)
def test_diagnosis_of_size_is_right_for_negative_values(got, expected, message):
    from actlib.exercises.checker import _diagnose

    assert _diagnose(got, expected) == message


def test_articles_follow_the_spoken_type_name():
    from actlib.exercises.checker import _a

    assert _a(np.zeros(2)) == "an ndarray"
    assert (_a(np.uint8(1)), _a(1), _a("s"), _a(None), _a(1.0)) == (
        "a uint8",
        "an int",
        "a str",
        "a NoneType",
        "a float",
    )
    choice = ChoiceQuestion("q", "?", {"a": "yes", "b": "no"}, "a")
    assert_incorrect(choice, np.array(["a"]), "you passed an ndarray")


def _relu_question(**kwargs) -> FunctionQuestion:
    return FunctionQuestion(
        "qr",
        "relu",
        func_name="relu",
        arg_names=("x",),
        reference=lambda x: np.maximum(x, 0),
        expected=lambda x: np.maximum(np.asarray(x, dtype=np.float64), 0),
        cases=[case(np.array([-2.0, 1.0])), case(np.array([-np.inf, 1.0, np.inf]))],
        rtol=0.0,
        **kwargs,
    )


def test_float32_inputs_are_shown_as_float32():
    q = FunctionQuestion(
        "qf",
        "identity",
        func_name="ident",
        arg_names=("x",),
        reference=lambda x: x,
        expected=lambda x: np.asarray(x, dtype=np.float64),
        cases=[case(np.array([0.1, 0.3], dtype=np.float32))],
    )
    result = assert_incorrect(q, lambda x: x * np.float32(2), "at x[0] = 0.1:")
    assert "0.10000000149" not in result.message


def test_mistakes_are_consulted_when_the_function_warns():
    specific = "x * (x > 0) computes -inf * 0 = NaN at -inf: select, do not multiply."
    q = _relu_question(mistakes=[(lambda x: x * (x > 0), specific)])
    result = assert_incorrect(q, lambda x: x * (x > 0), "RuntimeWarning", "x[0] = -inf", specific)
    assert result.message.index("RuntimeWarning") < result.message.index(specific)
    # a warning with no matching mistake gets the generic message only
    noisy = assert_incorrect(q, lambda x: np.maximum(x, 0) * np.exp(x) / np.exp(x), "Warning")
    assert specific not in noisy.message
    assert strict_check(q, lambda x: np.maximum(x, 0))


def test_a_mistake_that_equals_the_right_output_is_not_blamed_for_a_warning():
    def warns_but_right(x):
        with np.errstate(over="warn"):
            np.exp(np.float64(1000.0))  # an overflow on the way; the result is right
        return np.maximum(x, 0)

    q = _relu_question(mistakes=[(lambda x: np.abs(x) * (x > 0), "ABS MISTAKE")])
    result = assert_incorrect(q, warns_but_right, "overflow")
    assert "ABS MISTAKE" not in result.message


def test_advice_is_appended_to_warning_and_exception_verdicts_only():
    q = _relu_question(advice="ADVICE: use np.maximum.")

    def raises(x):
        raise ValueError("boom")

    assert assert_incorrect(q, raises, "ValueError: boom").message.endswith(
        "ADVICE: use np.maximum."
    )
    warned = assert_incorrect(q, lambda x: x * (x > 0), "RuntimeWarning")
    assert warned.message.endswith("\nADVICE: use np.maximum.")
    wrong = assert_incorrect(q, lambda x: np.abs(x), "is wrong")
    assert "ADVICE" not in wrong.message
    assert "ADVICE" not in strict_check(q, lambda x: np.maximum(x, 0)).message
    assert "ADVICE" not in _relu_question().check(raises).message


def _batch_sum_question() -> FunctionQuestion:
    return FunctionQuestion(
        "qs",
        "sum over the batch",
        func_name="batch_sum",
        arg_names=("x",),
        reference=lambda x: x.sum(axis=0),
        expected=lambda x: np.asarray(x, dtype=np.float64).sum(axis=0),
        cases=[case(np.arange(6.0).reshape(2, 3))],
        output_shape=lambda x: np.shape(x)[1:],
    )


def test_output_shape_hook_for_reductions():
    q = _batch_sum_question()
    assert strict_check(q, lambda x: x.sum(axis=0))
    assert_incorrect(
        q, lambda x: x * 1.0, "returned shape (2, 3); the result should be shape (3,)."
    )
    assert_incorrect(q, lambda x: x.sum(), "returned shape (); the result should be shape (3,).")
    result = assert_incorrect(q, lambda x: x.sum(axis=0) + np.array([0.0, 1.0, 0.0]))
    assert "at result[1]: this is too large" in result.message
    assert "input's shape" not in result.message
    warned = assert_incorrect(q, lambda x: np.log(x).sum(axis=0), "divide by zero")
    assert "triggered" not in warned.message  # no element-by-element rerun of a reduction


def test_output_shape_hook_for_a_scalar_result():
    q = FunctionQuestion(
        "qm",
        "mean",
        func_name="mean",
        arg_names=("x",),
        reference=np.mean,
        expected=lambda x: np.mean(np.asarray(x, dtype=np.float64)),
        cases=[case(np.array([1.0, 2.0, 4.0]))],
        output_shape=lambda x: (),
    )
    assert strict_check(q, np.mean)  # an np.float64, not an ndarray: right for a scalar result
    assert_incorrect(
        q, lambda x: x / 3, "returned shape (3,); the result should be a single number."
    )
    result = assert_incorrect(q, np.sum, "mean is wrong: this is too large, by a factor of about 3")
    assert " at " not in result.message
