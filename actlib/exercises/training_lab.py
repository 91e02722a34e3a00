"""Exercises for the training lab chapter: read the table, measure, and judge an experiment.

Usage in a notebook::

    from actlib.exercises import training_lab as ex
    ex.q1.check("b")
    ex.q1.hint()
    ex.q1.solution()

Questions 1, 4 and 5 are about the lab's default run (:func:`actlib.lab.run_lab` with its
defaults); the tests check that their answers still match what the lab computes.
"""

from __future__ import annotations

import numpy as np

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5"]

#: Size of the lab's test set (450 points, a quarter held out); question 4 depends on it.
TEST_POINTS = 112


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent "truth" functions further below, not against these.


def dead_fraction(activations):
    """Fraction of units (columns) that output exactly 0 on every example (row)."""
    a = np.asarray(activations)
    silent = np.all(a == 0, axis=0)  # one boolean per unit: zero on every example?
    return float(np.mean(silent))


def accuracy_from_logits(logits, y):
    """Fraction of examples whose largest logit is the one of the true class."""
    predicted = np.argmax(logits, axis=1)  # one predicted class per row (example)
    return float(np.mean(predicted == y))


# ----------------------------------------------------------------------------- truth


def _true_dead_fraction(a: object) -> float:
    a = np.asarray(a, dtype=np.float64)
    return float(sum(not a[:, j].any() for j in range(a.shape[1])) / a.shape[1])


def _true_accuracy(z: object, y: object) -> float:
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y)
    right = sum(int(np.argmax(row) == label) for row, label in zip(z, y, strict=True))
    return float(right / len(y))


_RELU_OUT = np.array(
    [
        [0.0, 1.2, 0.0, 0.3, 0.0],
        [0.0, 0.0, 0.0, 2.1, 0.0],
        [0.0, 0.4, 0.0, 0.0, 0.7],
        [0.0, 0.9, 0.0, 1.5, 0.0],
    ]
)  # units 0 and 2 are dead; the others are zero on some examples only
_LEAKY_OUT = np.array(
    [
        [-0.01, 0.5, 0.0, -0.02],
        [-0.03, 1.1, 0.0, 0.8],
        [-0.02, 0.0, 0.0, 0.0],
    ]
)  # unit 0 is negative everywhere (alive: leaky), unit 2 is dead
_ALIVE = np.array([[0.5, 0.0, 1.0], [0.0, 0.2, 0.0]])
_LOGITS_SQUARE = np.array(
    [
        [4.1, -5.1, 0.8, -1.1],
        [-0.9, -0.4, -4.0, -0.5],
        [-1.7, 6.6, 0.5, -0.7],
        [-0.6, -1.3, -2.1, -0.8],
    ]
)  # square, so that argmax over the wrong axis runs; each typical mistake gives its own value
_LOGITS = np.array(
    [[2.0, 0.1, -1.0], [0.3, 1.5, 0.2], [0.0, 2.5, 1.0], [-1.0, -0.5, 3.0], [1.2, 1.1, 0.9]]
)


# ----------------------------------------------------------------------------- questions

q1 = ChoiceQuestion(
    "q1",
    "Read the lab's table: which activation ends training with dead hidden units (units "
    "whose slope is 0 on every training example)? Answer with a letter, e.g. q1.check('a').",
    options={
        "a": "Sigmoid: its saturated units have no gradient.",
        "b": "ReLU: a unit whose input is negative on every example outputs 0 with slope 0.",
        "c": "ELU: its negative side is flat.",
        "d": "Softplus: it is a smooth ReLU, so it dies like ReLU.",
    },
    answer="b",
    feedback={
        "a": "the sigmoid's slope σ(z)(1 − σ(z)) gets tiny when a unit saturates but is never "
        "exactly 0, and the table shows 0.0% dead units for it (slow is not dead).",
        "c": "ELU's slope for z < 0 is α·e^z, small for very negative z but never 0; the "
        "table shows no dead ELU units.",
        "d": "softplus' slope is σ(z) > 0 for every z, so a softplus unit always passes some "
        "gradient; the table shows no dead softplus units.",
    },
    hints=[
        "Look at the 'dead units' column: only one row is not 0.0%.",
        "A unit is dead when f'(z) = 0 for every example. Which activation has a slope of "
        "exactly 0 on a whole half-line?",
    ],
    solution_text=(
        "(b) ReLU. Its slope is exactly 0 for every z ≤ 0, so a unit whose pre-activation is "
        "negative on all training examples outputs 0 everywhere and receives no gradient: "
        "nothing can revive it. Leaky ReLU and PReLU keep a small negative slope, and the "
        "smooth activations (sigmoid, tanh, ELU, SELU, GELU, SiLU, softplus, Mish) have a "
        "non-zero slope almost everywhere, so none of their units are dead."
    ),
    success_note="only ReLU has a slope of exactly 0 on a whole half-line, so only its units "
    "can die.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement dead_fraction(activations): given a matrix of hidden-layer outputs with one "
    "row per example and one column per unit, return the fraction of units (a single number "
    "between 0 and 1) whose output is exactly 0 on every example. Do not modify the input.",
    func_name="dead_fraction",
    arg_names=("activations",),
    reference=dead_fraction,
    expected=_true_dead_fraction,
    cases=[
        case(_RELU_OUT),
        case(_LEAKY_OUT),
        case(_ALIVE),
        case(np.zeros((3, 4))),
        case(_RELU_OUT.astype(np.float32), dtype=np.float64),
    ],
    rtol=1e-12,
    mistakes=[
        (
            lambda a: float(np.mean(np.asarray(a) == 0)),
            "you counted zero entries. A unit is dead only if its whole column is 0: a ReLU "
            "unit that is 0 on some examples and positive on others is alive.",
        ),
        (
            lambda a: float(np.mean(np.any(np.asarray(a) == 0, axis=0))),
            "you counted units that are 0 on at least one example (np.any); a dead unit is 0 "
            "on every example (np.all).",
        ),
        (
            lambda a: float(np.mean(np.all(np.asarray(a) == 0, axis=1))),
            "you reduced along the wrong axis: rows are examples and columns are units, so "
            "ask, for each column, whether all its entries are 0 (axis=0).",
        ),
        (
            lambda a: float(np.mean(np.all(np.asarray(a) <= 0, axis=0))),
            "you treated negative outputs as dead. A Leaky ReLU unit with negative outputs "
            "still has slope 0.01 and still learns; dead means exactly 0 on every example.",
        ),
        (
            lambda a: float(np.sum(np.all(np.asarray(a) == 0, axis=0))),
            "you returned the number of dead units; the question asks for the fraction of "
            "all units.",
        ),
    ],
    hints=[
        "Work column by column: a unit (column) is dead when every entry in it is 0.",
        "np.all(a == 0, axis=0) gives one boolean per column. What is the mean of a boolean array?",
        "Return a single number: float(np.mean(...)).",
    ],
    solution_text=(
        "a == 0 marks the zero entries; np.all(..., axis=0) asks, for each column (unit), "
        "whether all of its rows (examples) are zero; the mean of those booleans is the "
        "fraction of dead units. Negative outputs (Leaky ReLU) are not dead: the unit still "
        "has a slope and still learns."
    ),
    template=(
        "def dead_fraction(activations):\n"
        '    """Fraction of units (columns) that are 0 on every example (row)."""\n'
        "    ...  # your code here\n"
    ),
    success_note="dead_fraction counts whole silent columns, as the lab does.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement accuracy_from_logits(logits, y): logits has one row per example and one "
    "column per class, y holds the true class of each example (integers). Return the "
    "fraction of examples whose largest logit is at the true class (a single number).",
    func_name="accuracy_from_logits",
    arg_names=("logits", "y"),
    reference=accuracy_from_logits,
    expected=_true_accuracy,
    cases=[
        case(_LOGITS_SQUARE, np.array([0, 0, 2, 1]), dtype=np.float64),
        case(_LOGITS, np.array([0, 1, 1, 2, 1]), dtype=np.float64),
        case(_LOGITS, np.array([0, 1, 1, 2, 0]), dtype=np.float64),
        case(_LOGITS.astype(np.float32), np.array([2, 0, 1, 2, 0]), dtype=np.float64),
        case(np.array([[0.2, 0.7, 0.1]]), np.array([1]), dtype=np.float64),
    ],
    rtol=1e-12,
    mistakes=[
        (
            lambda z, y: 1 - _true_accuracy(z, y),
            "you returned the error rate (the fraction of wrong predictions); the question "
            "asks for the fraction of right ones.",
        ),
        (
            lambda z, y: float(np.mean(np.argmax(z, axis=0) == y)),
            "you took the argmax down each column (axis=0). Each row is an example: take the "
            "largest logit of each row (axis=1).",
        ),
        (
            lambda z, y: float(np.mean(np.argmin(z, axis=1) == y)),
            "you took the smallest logit; the predicted class has the largest logit.",
        ),
        (
            lambda z, y: float(np.sum(np.argmax(z, axis=1) == y)),
            "you returned the number of right predictions; divide by the number of examples.",
        ),
    ],
    hints=[
        "The predicted class of an example is the position of its largest logit.",
        "np.argmax(logits, axis=1) gives one predicted class per row; compare it with y.",
        "The mean of a boolean array is the fraction of True values.",
    ],
    solution_text=(
        "Softmax is increasing in each logit, so the class with the largest probability is "
        "the class with the largest logit: no softmax is needed. np.argmax(logits, axis=1) "
        "predicts one class per example, == y marks the right ones, and the mean of those "
        "booleans is the accuracy."
    ),
    template=(
        "def accuracy_from_logits(logits, y):\n"
        '    """Fraction of examples whose largest logit is at the true class."""\n'
        "    ...  # your code here\n"
    ),
    success_note="accuracy needs only the argmax of the logits: softmax would not change it.",
)

q4 = NumericQuestion(
    "q4",
    f"The lab holds out {TEST_POINTS} test points. What is the smallest possible non-zero "
    "difference between two test accuracies? Answer as a fraction (a number between 0 and "
    "1), not in percent.",
    expected=1 / TEST_POINTS,
    labels=("the smallest non-zero difference",),
    rtol=1e-3,
    mistakes=[
        (
            100 / TEST_POINTS,
            "that is the difference in percentage points; give it as a fraction between 0 and 1.",
        ),
        (1 / 450, "450 is the whole dataset; accuracy is measured on the test points only."),
        (1 / 338, "338 is the training set; test accuracy is measured on the test points."),
        (0.01, "accuracies do not move in steps of 1%: one test point is worth 1/(test size)."),
    ],
    hints=[
        "Test accuracy is (number of correctly classified test points) / (number of test points).",
        "Two accuracies differ least when one network gets exactly one more test point right.",
    ],
    solution_text=(
        f"Accuracy = k / {TEST_POINTS} for a whole number k of right answers, so two "
        f"accuracies differ by a multiple of 1/{TEST_POINTS} ≈ 0.0089, about 0.9 percentage "
        "points. A gap of 0.9 points in the table is one test point: far too little to rank "
        "two activations."
    ),
    success_note=f"one test point is worth 1/{TEST_POINTS} ≈ 0.9 percentage points.",
)

q5 = ChoiceQuestion(
    "q5",
    "Re-run the lab with other seeds of the weight initialisation (run_lab(seed=1), "
    "run_lab(seed=2), ...) and compare the tables. Which conclusion do the runs support? "
    "Answer with a letter.",
    options={
        "a": "The ranking by test accuracy is the same for every seed, so it is reliable.",
        "b": "Sigmoid and softplus stay at the bottom within 150 epochs, while the order of "
        "the other activations, within a few test points of each other, changes from seed to "
        "seed.",
        "c": "The ranking is pure chance: with another seed the sigmoid can come first.",
        "d": "ReLU's dead units are an accident of seed 0: with other seeds it has none.",
    },
    answer="b",
    feedback={
        "a": "compare the test accuracies of, say, ELU, SELU and GELU across seeds: their "
        "order changes, and their gaps are one or two test points.",
        "c": "the sigmoid stays far below the others (between about 55% and 75% test "
        "accuracy) for every seed; some differences are real.",
        "d": "ReLU ends with dead units for every seed (between 2 and 6 of its 64 hidden "
        "units for seeds 0 to 3), and no other activation has any.",
    },
    hints=[
        "Run lab.run_lab(seed=1) and lab.run_lab(seed=2) and print their format_table().",
        "Separate large, repeatable gaps (tens of percentage points) from gaps of one or two "
        "test points (about 1 percentage point each).",
    ],
    solution_text=(
        "(b). For seeds 0 to 3, the sigmoid never reaches 90% training accuracy within 150 "
        "epochs and softplus ends well below the others, but the activations at the top "
        "(ReLU, Leaky ReLU, PReLU, ELU, SELU, GELU, SiLU, Mish, tanh) swap places by one or "
        "two test points. A fair comparison repeats the experiment over several seeds and "
        "reports the spread; one run ranks only the large differences."
    ),
    success_note="large gaps repeat across seeds; gaps of a test point or two are noise.",
)
