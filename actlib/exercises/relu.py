"""Exercises for the ReLU chapter: by hand, the derivative at the kink, NaN-correct code, networks.

Usage in a notebook::

    from actlib.exercises import relu as ex
    ex.q1.check((0, 0, 2, 0, 0, 1))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

_INF, _NAN = np.inf, np.nan

# The network of q4: f(x) = sum_i v_i relu(w_i x + b_i), one input, three hidden units.
_W = (2.0, -1.0, 0.5)
_B = (-4.0, 1.0, 1.5)


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def relu_grad(x):
    """Derivative of ReLU, elementwise: 1 where x > 0, 0 where x <= 0 (also at 0), NaN for NaN."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    step = (x > 0).astype(x.dtype)  # NaN > 0 is False, so NaN would become 0 here...
    return np.where(np.isnan(x), x, step)[()]  # ...so put NaN back; 0-d becomes a scalar


def relu(x):
    """ReLU, elementwise: max(x, 0), with NaN in, NaN out and relu(-inf) = 0."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    return np.maximum(x, 0)  # np.maximum propagates NaN; no multiplication, so no -inf * 0


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_relu(x: object) -> np.ndarray:
    x = _f64(x)
    return np.where(np.isnan(x), x, np.where(x > 0, x, 0.0))


def _true_relu_grad(x: object) -> np.ndarray:
    x = _f64(x)
    return np.where(np.isnan(x), x, np.where(x > 0, 1.0, 0.0))


def _step_at_zero(value: float):
    """A ReLU derivative that is right everywhere except at x = 0, where it is ``value``."""

    def wrong(x: object) -> np.ndarray:
        x = _f64(x)
        return np.where(x == 0, value, _true_relu_grad(x))

    return wrong


def _nan_to_zero(f):
    """``f`` with NaN results replaced by 0: what a comparison-based formula does."""

    def wrong(x: object) -> np.ndarray:
        y = f(x)
        return np.where(np.isnan(y), 0.0, y)

    return wrong


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: for x = −1.5, 0 and 2, compute ReLU(x) = max(0, x) and its derivative ReLU'(x), "
    "with the convention PyTorch and actlib use at the kink. Answer with a tuple of six "
    "numbers: q1.check((relu(-1.5), relu(0), relu(2), grad(-1.5), grad(0), grad(2))).",
    expected=(0.0, 0.0, 2.0, 0.0, 0.0, 1.0),
    labels=("relu(-1.5)", "relu(0)", "relu(2)", "relu'(-1.5)", "relu'(0)", "relu'(2)"),
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            (0.0, 0.0, 2.0, 0.0, 1.0, 1.0),
            "relu'(0): 1 is a valid subgradient at the kink, but it is not the value PyTorch "
            "and actlib use there. Look up the convention in the Definition section.",
        ),
        (
            (0.0, 0.0, 2.0, 0.0, 0.5, 1.0),
            "relu'(0): 1/2 is a valid subgradient (any number in [0, 1] is), but it is not the "
            "value PyTorch and actlib use at the kink. Look up the convention in the "
            "Definition section.",
        ),
        (
            (1.5, 0.0, 2.0, 0.0, 0.0, 1.0),
            "relu(-1.5): ReLU is not the absolute value; it replaces negative inputs by 0.",
        ),
        (
            (1.5, 0.0, 2.0, -1.0, 0.0, 1.0),
            "that is the absolute value |x| and its derivative, not ReLU: ReLU replaces "
            "negative inputs by 0.",
        ),
        (
            (0.0, 0.0, 2.0, 0.0, 0.0, 2.0),
            "relu'(2): the derivative is the slope of the line y = x, not the value of the "
            "function.",
        ),
    ],
    hints=[
        "ReLU keeps a positive input and replaces a negative one by 0. Its graph is the line "
        "y = x on the right of 0 and the line y = 0 on the left.",
        "The derivative is the slope of that graph: the slope of y = x is 1, the slope of "
        "y = 0 is 0.",
        "At x = 0 the two slopes disagree and there is no derivative; frameworks pick one "
        "value. The chapter's Definition section says which one PyTorch and actlib pick.",
    ],
    solution_text=(
        "ReLU(−1.5) = max(0, −1.5) = 0, ReLU(0) = 0, ReLU(2) = 2.\n"
        "For x < 0 the graph is flat, so ReLU'(−1.5) = 0; for x > 0 it is the line y = x, so "
        "ReLU'(2) = 1. At x = 0 the left slope is 0 and the right slope is 1: ReLU is not "
        "differentiable there, and any number in [0, 1] is a subgradient. PyTorch and actlib "
        "use 0, so ReLU'(0) = 0.\n"
        "Answer: q1.check((0, 0, 2, 0, 0, 1))."
    ),
    success_note="ReLU passes positive inputs with slope 1 and zeroes the rest; at the kink "
    "the convention is 0.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement relu_grad(x), the derivative of ReLU, elementwise, for numbers and NumPy arrays: "
    "1 where x > 0, 0 where x < 0, and at x = 0 the value PyTorch and actlib use. NaN in must "
    "give NaN out, ±inf must work, float32 input must give float32 output, there must be no "
    "warning, and x must not be modified.",
    func_name="relu_grad",
    arg_names=("x",),
    reference=relu_grad,
    expected=_true_relu_grad,
    cases=[
        case(2.0),
        case(np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(0.0),
        case(-0.0),
        case(_f32([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-_INF, -1e-300, 1e-300, _INF])),
        case(np.array([-1.0, _NAN, 1.0])),
        case(_f32([_NAN, 0.0, -_INF])),
    ],
    rtol=0.0,
    atol=0.0,
    mistakes=[
        (
            _nan_to_zero(_true_relu_grad),
            "NaN became 0. Every comparison with NaN is False, so a formula built from x > 0 "
            "(or np.where(x > 0, 1, 0)) turns NaN into 0 and silently hides it. Find the NaN "
            "entries with np.isnan(x) and put NaN back there.",
        ),
        (
            _step_at_zero(1.0),
            "at x = 0 you return 1 (as x >= 0 or np.heaviside(x, 1) do). That is a valid "
            "subgradient, but not the value PyTorch and actlib use at the kink: see the "
            "convention in the Definition section.",
        ),
        (
            _step_at_zero(0.5),
            "at x = 0 you return 1/2, the midpoint of the subgradients [0, 1]. Valid in theory, "
            "but not the value PyTorch and actlib use at the kink: see the convention in the "
            "Definition section.",
        ),
        (
            lambda x: np.sign(_f64(x)),
            "np.sign(x) is −1 for negative x, but there ReLU is flat: its slope is 0.",
        ),
        (
            _true_relu,
            "You returned ReLU itself (max(0, x)); the question asks for its derivative.",
        ),
    ],
    hints=[
        "The derivative is a step: 1 where x > 0, otherwise 0. Start from the boolean array "
        "x > 0 and convert it to x's float dtype with .astype(x.dtype).",
        "Check x = 0 against the convention: does your expression give 0 or 1 there? And NaN: "
        "np.nan > 0 is False, so the step alone turns NaN into 0.",
        "np.where(np.isnan(x), x, step) puts the NaN back. Start with x = np.asarray(x) so that "
        "scalars work, and end with [()] to turn a 0-d array back into a number.",
    ],
    solution_text=(
        "For x > 0, ReLU(x) = x has slope 1; for x < 0, ReLU(x) = 0 has slope 0. At x = 0 "
        "PyTorch and actlib return 0 (the strict comparison x > 0 is False there, also for "
        "−0.0). A comparison is False for NaN too, so the step alone would turn NaN into 0; "
        "np.where(np.isnan(x), x, step) keeps it. (np.heaviside(x, 0.0), the Heaviside step "
        "with value 0 at 0, does the same in one call and propagates NaN.)"
    ),
    template=(
        'def relu_grad(x):\n    """Derivative of ReLU, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="relu_grad is right: 0 at the kink, as in PyTorch, and NaN stays NaN.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement relu(x) = max(0, x), elementwise, for numbers and NumPy arrays, without calling "
    "actlib. NaN in must give NaN out, relu(−inf) must be 0 and relu(inf) inf, without any "
    "warning. Keep float32 as float32, keep the input's shape, and never modify x.",
    func_name="relu",
    arg_names=("x",),
    reference=relu,
    expected=_true_relu,
    cases=[
        case(2.5),
        case(-3.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(_f32([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1e308, -1e-300, 1e-300, 1e308])),
        case(np.array([-1.0, _NAN, 2.0])),
        case(np.array([-_INF, 1.0, _INF])),
        case(_f32([_NAN, -_INF, _INF])),
    ],
    rtol=0.0,
    atol=0.0,
    mistakes=[
        (
            lambda x: np.where(_f64(x) == -_INF, _NAN, _true_relu(x)),
            "relu(−inf) came out as NaN. A product such as x * (x > 0) computes −inf × 0 = NaN "
            "there. Use a function that selects instead of multiplying.",
        ),
        (
            _nan_to_zero(_true_relu),
            "NaN became 0. np.where(x > 0, x, 0) does this, because every comparison with NaN "
            "is False, and so does np.fmax(x, 0), which ignores NaN by design. A NaN means "
            "something upstream went wrong; hiding it makes the bug invisible. Pick a function "
            "that propagates NaN.",
        ),
        (
            lambda x: np.abs(_f64(x)),
            "you returned |x|; ReLU replaces negative inputs by 0 instead of flipping their sign.",
        ),
        (
            lambda x: np.minimum(_f64(x), 0.0),
            "that is min(0, x), the negative part; ReLU is max(0, x).",
        ),
    ],
    hints=[
        "One NumPy function computes an elementwise maximum of an array and a number.",
        "Mind NaN and −inf: np.where(x > 0, x, 0) turns NaN into 0 (comparisons with NaN are "
        "False), and x * (x > 0) computes −inf × 0 = NaN with a RuntimeWarning.",
        "np.maximum propagates NaN, while np.fmax ignores it. Start with x = np.asarray(x) so "
        "that scalars and lists work, and keep float dtypes as they are.",
    ],
    solution_text=(
        "np.maximum(x, 0) compares elementwise and returns NaN wherever x is NaN; for −inf it "
        "returns 0 and for inf it returns inf, and it keeps float32 as float32. It neither "
        "multiplies (−inf × 0 = NaN) nor relies on a comparison alone (NaN > 0 is False, so "
        "np.where(x > 0, x, 0) turns NaN into 0). np.clip(x, 0, None) works too."
    ),
    template=('def relu(x):\n    """ReLU, elementwise."""\n    ...  # your code here\n'),
    success_note="your ReLU keeps NaN visible and handles ±inf, with no warnings.",
)

_KINKS = sorted(-b / w for w, b in zip(_W, _B, strict=True))
_WRONG_ORDERS = [p for p in permutations(_KINKS) if list(p) != _KINKS]

q4 = NumericQuestion(
    "q4",
    "In a network: a network with one input x, one hidden layer of three ReLU units and a linear "
    "output computes f(x) = v1 relu(2x − 4) + v2 relu(−x + 1) + v3 relu(0.5x + 1.5), with "
    "non-zero output weights v1, v2, v3. At which x does f have a kink (a change of slope)? "
    "Answer with the three x values in increasing order: q4.check((a, b, c)).",
    expected=_KINKS,
    labels=("the smallest kink", "the middle kink", "the largest kink"),
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        *[
            (p, "these are the right values, in the wrong order: sort them increasingly.")
            for p in _WRONG_ORDERS
        ],
        (
            sorted(b / w for w, b in zip(_W, _B, strict=True)),
            "check the sign: unit i switches where w_i x + b_i = 0, that is at x = −b_i / w_i.",
        ),
        (
            sorted(-b for b in _B),
            "you used −b_i; the kink is where w_i x + b_i = 0, so divide by the weight too.",
        ),
        (
            sorted(-w / b for w, b in zip(_W, _B, strict=True)),
            "you divided the wrong way round: solve w_i x + b_i = 0 for x.",
        ),
    ],
    hints=[
        "Each term relu(w x + b) is a straight line except at one point: where its input "
        "w x + b crosses 0.",
        "Solve w x + b = 0 for each unit: x = −b / w. The output weights do not move the "
        "kinks; they only scale the change of slope there.",
        "Mind the unit with a negative weight: −x + 1 = 0 at x = 1, and that unit is active "
        "on the left of its kink.",
    ],
    solution_text=(
        "Unit i is linear on each side of the point where its input w_i x + b_i is 0, that "
        "is x = −b_i / w_i: 2x − 4 = 0 at x = 2, −x + 1 = 0 at x = 1, 0.5x + 1.5 = 0 at "
        "x = −3. A sum of functions that are linear between these points is linear between "
        "them too, so f has kinks at most at −3, 1 and 2 (exactly there, since each v_i is "
        "non-zero) and consists of 4 linear pieces. Answer: q4.check((-3, 1, 2))."
    ),
    success_note="each ReLU unit adds one kink, at x = −b/w: 3 units, 3 kinks, 4 linear pieces.",
)

q5 = NumericQuestion(
    "q5",
    "In a network: a dense layer with 50 inputs (fan_in = 50) feeds ReLU units. He "
    "initialisation draws its weights from a normal distribution with mean 0. What standard "
    "deviation does it use? Answer with a single number.",
    expected=float(np.sqrt(2 / 50)),
    labels=("the standard deviation",),
    rtol=1e-6,
    mistakes=[
        (2 / 50, "that is the variance, 2 / fan_in; the question asks for its square root."),
        (
            np.sqrt(1 / 50),
            "that is sqrt(1 / fan_in), LeCun's initialisation. ReLU zeroes about half of its "
            "inputs, and He initialisation compensates with a factor 2.",
        ),
        (1 / 50, "that is 1 / fan_in, a variance and without the factor 2 of He."),
    ],
    hints=[
        "He initialisation chooses the weight variance so that the second moment of the "
        "pre-activations stays the same from layer to layer.",
        "A ReLU passes on only half of the second moment: E[relu(z)²] = Var(z) / 2. So the "
        "variance must be twice the LeCun value 1 / fan_in.",
        "Var(w) = 2 / fan_in; the standard deviation is its square root.",
    ],
    solution_text=(
        "The next layer's pre-activation is z' = Σ w_j relu(z_j), a sum of fan_in terms, so "
        "Var(z') = fan_in · Var(w) · E[relu(z)²] = fan_in · Var(w) · Var(z) / 2. Keeping "
        "Var(z') = Var(z) needs Var(w) = 2 / fan_in = 2/50 = 0.04, a standard deviation of "
        "sqrt(0.04) = 0.2. Answer: q5.check(0.2)."
    ),
    success_note="std = sqrt(2 / fan_in) = 0.2: the factor 2 makes up for the half that ReLU "
    "zeroes.",
)

q6 = ChoiceQuestion(
    "q6",
    "A ReLU unit in the first hidden layer outputs 0 for every training example (a dead unit). "
    "The network is trained with plain gradient descent, no weight decay. Which statement is "
    "true? Answer with a letter, e.g. q6.check('a').",
    options={
        "a": "Its gradient is small but non-zero, so it will slowly come back to life.",
        "b": "Its incoming weights and bias get zero gradient, so they never change again.",
        "c": "It makes the network's output NaN.",
        "d": "It cannot happen with He initialisation.",
    },
    answer="b",
    feedback={
        "a": "for z < 0 the ReLU's slope is exactly 0, not small: no gradient reaches the "
        "unit's incoming weights at all (that is what Leaky ReLU changes).",
        "c": "a dead unit outputs an ordinary 0; the network just loses that unit's contribution.",
        "d": "He initialisation makes dead units rare at the start, but a too-large learning "
        "rate can still kill units during training, as the chapter's experiment shows.",
    },
    hints=[
        "What is ReLU'(z) for every z < 0?",
        "The gradient of a unit's incoming weights is the upstream gradient times ReLU'(z) "
        "times the input. In the first layer, the inputs (the data) never change.",
    ],
    solution_text=(
        "(b). The unit's pre-activation z is negative (or 0) for every example, where ReLU' = "
        "0, so every gradient through it is multiplied by 0: its incoming weights and bias "
        "stop changing. In the first layer its inputs, the data, are fixed, so z stays "
        "negative and the unit stays dead for good. (In deeper layers a unit can come back "
        "if the layers below change its inputs.) (a) is false: the slope is exactly 0. (c) is "
        "false: it outputs 0, not NaN. (d) is false: He initialisation does not stop a large "
        "learning rate from killing units."
    ),
    success_note="no slope, no gradient, no update: a dead first-layer unit stays dead.",
)
