"""Tests for the training lab chapter's questions, and for the lab facts their answers rely on."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect

from actlib import lab
from actlib.exercises import training_lab as ex

CORRECT_ANSWERS = {
    "q1": "b",
    "q2": ex.dead_fraction,
    "q3": ex.accuracy_from_logits,
    "q4": 1 / 112,
    "q5": "b",
}


# ----------------------------------------------------------------------------- correct answers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, " B "),
        (ex.q1, "(b)"),
        (ex.q2, lab.dead_fraction),
        (ex.q2, lambda a: float((~np.asarray(a).any(axis=0)).mean())),
        (ex.q2, lambda a: np.count_nonzero(np.all(a == 0, axis=0)) / a.shape[1]),
        (ex.q3, lambda z, y: float((np.argmax(z, axis=-1) == y).mean())),
        (
            ex.q3,
            lambda z, y: np.mean(np.argmax(np.exp(z) / np.exp(z).sum(1, keepdims=True), 1) == y),
        ),
        (ex.q4, 0.00893),
        (ex.q5, "B"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_reference_functions_agree_with_the_lab():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = np.maximum(rng.normal(size=(6, 5)) - 1.0, 0.0)
        assert ex.dead_fraction(a) == lab.dead_fraction(a)
    result = lab.run_lab(["relu"], epochs=20, n=120)
    run = result.runs["relu"]
    logits = run.model.forward(result.X_test).logits
    assert ex.accuracy_from_logits(logits, result.y_test) == run.test_accuracy


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- typical mistakes


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("a", "never exactly 0"),
        ("c", "α·e^z"),
        ("d", "σ(z) > 0"),
        ("e", "not an option"),
        (2, "as a string"),
    ],
)
def test_q1_wrong_choices(answer, fragment):
    assert_incorrect(ex.q1, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (lambda a: float(np.mean(np.asarray(a) == 0)), "you counted zero entries"),
        (lambda a: float(np.mean(np.any(a == 0, axis=0))), "(np.any)"),
        (lambda a: float(np.mean(np.all(a == 0, axis=1))), "wrong axis"),
        (lambda a: float(np.mean(np.all(a <= 0, axis=0))), "negative outputs as dead"),
        (lambda a: float(np.sum(np.all(a == 0, axis=0))), "number of dead units"),
        (lambda a: int(np.sum(np.all(a == 0, axis=0))), "integers"),
        (lambda a: np.all(a == 0, axis=0), "booleans"),
        (lambda a: np.mean(np.all(a == 0, axis=0), keepdims=True), "shape"),
        (lambda a: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_q2_typical_mistakes(answer, fragment):
    assert_incorrect(ex.q2, answer, fragment)


def test_q2_in_place_modification_is_caught():
    def clobbers(a):
        a[a == 0] = -1
        return float(np.mean(np.all(a == -1, axis=0)))

    assert_incorrect(ex.q2, clobbers, "modified its input")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (lambda z, y: 1 - float(np.mean(np.argmax(z, 1) == y)), "error rate"),
        (lambda z, y: float(np.mean(np.argmax(z, 0) == y)), "axis=0"),
        (lambda z, y: float(np.mean(np.argmin(z, 1) == y)), "smallest logit"),
        (lambda z, y: float(np.sum(np.argmax(z, 1) == y)), "number of right predictions"),
        (lambda z, y: np.argmax(z, 1) == y, "booleans"),
        (lambda z, y: np.argmax(z, 1), "shape (4,)"),
        (lambda z: 0.5, "TypeError"),
    ],
)
def test_q3_typical_mistakes(answer, fragment):
    assert_incorrect(ex.q3, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (100 / 112, "percentage points"),
        (1 / 450, "whole dataset"),
        (1 / 338, "training set"),
        (0.01, "steps of 1%"),
        (1 / 56, "too large"),
        ("1/112", "without quotes"),
        ((1 / 112, 2 / 112), "2 value(s)"),
    ],
)
def test_q4_typical_mistakes(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "order changes"), ("c", "far below"), ("d", "for every seed")],
)
def test_q5_wrong_choices(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


def test_messages_never_reveal_the_expected_values():
    for text in (
        assert_incorrect(ex.q4, 1 / 56).message,
        assert_incorrect(ex.q2, lambda a: 0.3).message.split("]]), ")[-1],  # after the input
        assert_incorrect(ex.q3, lambda z, y: 0.3).message.split("dtype=int64), ")[-1],
    ):
        assert "wrong" in text or "too large" in text
        for secret in ("0.0089", "0.00892", "0.4", "0.25", "0.75"):
            assert secret not in text, (secret, text)


# ----------------------------------------------------------------------------- hints, solutions


# ----------------------------------------------------------------------------- lab facts


@pytest.fixture(scope="module")
def seeds():
    """The default lab for seeds 0 to 3 (questions 1, 4 and 5 describe these runs)."""
    return {seed: lab.run_lab(seed=seed) for seed in range(4)}


def test_q1_only_relu_has_dead_units(seeds):
    runs = seeds[0].runs
    assert runs["relu"].dead_units > 0
    assert all(run.dead_units == 0 for key, run in runs.items() if key != "relu")


def test_q4_test_set_size(seeds):
    assert len(seeds[0].y_test) == ex.TEST_POINTS == 112


def test_q5_claims_hold_for_seeds_0_to_3(seeds):
    orders = set()
    top = ("tanh", "relu", "leaky_relu", "prelu", "elu", "selu", "gelu", "silu", "mish")
    for result in seeds.values():
        runs = result.runs
        assert runs["sigmoid"].epochs_to(0.9) is None
        assert 0.55 <= runs["sigmoid"].test_accuracy <= 0.75
        worst_of_top = min(runs[k].test_accuracy for k in top)
        assert runs["softplus"].test_accuracy < worst_of_top - 0.02
        assert runs["sigmoid"].test_accuracy < runs["softplus"].test_accuracy
        assert worst_of_top >= 0.96  # the top group is within a few test points
        assert 2 <= runs["relu"].dead_units <= 6
        fastest = max(runs[k].epochs_to(0.9) for k in ("relu", "leaky_relu"))
        others = [runs[k].epochs_to(0.9) for k in top if k not in ("relu", "leaky_relu")]
        assert fastest < min(others)  # the chapter's takeaway: fastest to 90% for every seed
        assert all(run.dead_units == 0 for key, run in runs.items() if key != "relu")
        orders.add(tuple(k for k in result.ranking() if k in top))
    assert len(orders) > 1  # the order inside the top group changes with the seed


def test_relu_units_are_dead_at_initialisation(seeds):
    """The chapter's observation for seed 0: 6 of 32 second-layer units start dead."""
    result = seeds[0]
    model = lab.nn.MLP([2, 32, 32, 3], "relu", init="he", seed=0)
    post = model.forward(result.X_train).post
    assert lab.dead_fraction(post[0]) == 0
    assert lab.dead_fraction(post[1]) == 6 / 32
    assert result.runs["relu"].dead_units == 5
    assert result.runs["relu"].history.dead_fraction[0].tolist() == [0, 4 / 32]
