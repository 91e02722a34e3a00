"""Exercises for the PReLU chapter: by hand, the slope's gradient, the chain rule, one update.

Usage in a notebook::

    from actlib.exercises import prelu as ex
    ex.q1.check((-1.0, -0.25, 0.0, 2.0, 2.0))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

from typing import Any

import numpy as np

from actlib.exercises.checker import (
    Case,
    ChoiceQuestion,
    FunctionQuestion,
    NumericQuestion,
    case,
)

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def prelu_weight_grad(x, weight):
    """d PReLU / d weight, elementwise: 0 where x > 0, x where x <= 0 (weight is not used)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    return np.minimum(x, 0)[()]  # min(0, x); NaN stays NaN; a 0-d array becomes a scalar


def prelu_channel_weight_grad(x, grad_out):
    """dE/da for one slope per channel: sum over the batch of grad_out * min(0, x)."""
    x, grad_out = np.asarray(x), np.asarray(grad_out)
    return (grad_out * np.minimum(x, 0)).sum(axis=0)  # (N, C) -> (C,): one value per channel


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_weight_grad(x: object, weight: object) -> np.ndarray:
    x = _f64(x)
    return np.where(x > 0, 0.0, x)  # NaN > 0 is False, so NaN stays NaN


def _true_channel_grad(x: object, grad_out: object) -> np.ndarray:
    x, g = _f64(x), _f64(grad_out)
    return np.einsum("nc,nc->c", g, np.where(x > 0, 0.0, x))


def _f32(values: list) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: PReLU(x) = max(0, x) + a·min(0, x). With the initial slope a = 0.25, compute "
    "PReLU(x) for x = −4, −1, 0 and 2; then PReLU(−4) for a unit whose learned slope is "
    "a = −0.5. Answer with a tuple of five numbers: q1.check((v1, v2, v3, v4, v5)).",
    expected=(-1.0, -0.25, 0.0, 2.0, 2.0),
    labels=("f(-4)", "f(-1)", "f(0)", "f(2)", "f(-4) with a = -0.5"),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (
            (0.0, 0.0, 0.0, 2.0, 0.0),
            "these are ReLU's values. PReLU keeps a fraction a of a negative input: "
            "a·min(0, x) is not zero for x < 0.",
        ),
        (
            (1.0, 0.25, 0.0, 2.0, -2.0),
            "the signs of your negative-side values are flipped: for x < 0 the output is a·x, "
            "and a positive a times a negative x is negative (a negative a gives a positive "
            "result).",
        ),
        (
            (-1.0, -0.25, 0.0, 0.5, 2.0),
            "the slope a applies only to the negative side: for x > 0, PReLU(x) = x.",
        ),
        (
            (-1.0, -0.25, 0.0, 2.0, -2.0),
            "check the last value: with a = −0.5, a·x = (−0.5)·(−4). A negative slope turns "
            "a negative input into a positive output.",
        ),
    ],
    hints=[
        "For x > 0 the output is x itself; for x ≤ 0 it is a·x.",
        "With a = 0.25: PReLU(−4) = 0.25·(−4). The sign of a·x depends on the signs of both "
        "a and x.",
        "For the last value a = −0.5 and x = −4: multiply them. A negative slope makes the "
        "function non-monotone: it goes down, then up.",
    ],
    solution_text=(
        "For x ≤ 0, PReLU(x) = a·x: 0.25·(−4) = −1, 0.25·(−1) = −0.25 and 0.25·0 = 0. For "
        "x = 2 > 0 the output is 2. With the learned slope a = −0.5: (−0.5)·(−4) = 2, a "
        "positive output for a negative input, so this unit is V-shaped, not monotone.\n"
        "Answer: q1.check((-1, -0.25, 0, 2, 2))."
    ),
    success_note=(
        "PReLU keeps a·x of a negative input; with a < 0 the unit is no longer monotone."
    ),
)

q2 = FunctionQuestion(
    "q2",
    "Implement prelu_weight_grad(x, weight): the derivative of PReLU(x) = max(0, x) + "
    "weight·min(0, x) with respect to its slope weight, elementwise, with x's shape. "
    "weight is a number, or one value per channel (axis 1 of x). Keep float32 as float32, "
    "propagate NaN, do not warn for ±inf, and do not modify x.",
    func_name="prelu_weight_grad",
    arg_names=("x", "weight"),
    reference=prelu_weight_grad,
    expected=_true_weight_grad,
    cases=[
        case(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 0.25),
        case(-2.0, 0.25),
        case(_f32([-3.0, -0.5, 0.0, 0.5, 3.0]), 0.25),
        case(np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 0.5]]), np.array([0.25, 0.1, -0.2])),
        case(np.array([-_INF, _INF, _NAN, -1e308, 1e308]), 0.25),
    ],
    rtol=1e-12,
    atol=0.0,
    mistakes=[
        (
            lambda x, w: _f64(x),
            "You returned x everywhere. For x > 0 the output is x, whatever the slope, so "
            "the derivative with respect to the slope is 0 there.",
        ),
        (
            lambda x, w: np.zeros_like(_f64(x)),
            "You returned 0 everywhere. That is right for x > 0 only: for x ≤ 0 the output "
            "weight·x changes when the slope changes.",
        ),
        (
            lambda x, w: np.where(_f64(x) > 0, 1.0, np.broadcast_to(w, np.shape(x))),
            "That is ∂f/∂x (1 or the slope), the derivative with respect to the input. The "
            "question asks for the derivative with respect to the slope.",
        ),
        (
            lambda x, w: np.maximum(_f64(x), 0),
            "You returned max(0, x), the part of PReLU that does not involve the slope. "
            "Differentiate weight·min(0, x) with respect to weight.",
        ),
        (
            lambda x, w: np.broadcast_to(w, np.shape(x)) * np.minimum(_f64(x), 0),
            "You returned weight·min(0, x), the negative part of PReLU itself. Its derivative "
            "with respect to weight drops the factor weight.",
        ),
    ],
    hints=[
        "Write PReLU(x) = max(0, x) + weight·min(0, x) and treat x as a constant: which term "
        "depends on weight?",
        "The derivative of weight·c with respect to weight is c. Here c = min(0, x): 0 for "
        "x > 0 and x for x ≤ 0.",
        "np.minimum(x, 0) computes min(0, x) elementwise, keeps float32, propagates NaN and "
        "never warns. The weight argument is not needed for the result.",
    ],
    solution_text=(
        "PReLU is linear in its slope: f(x) = max(0, x) + a·min(0, x). So ∂f/∂a = min(0, x): "
        "0 where x > 0 and x where x ≤ 0, whatever the value of a. np.minimum(x, 0) computes "
        "it in one vectorised call, keeps the dtype and passes NaN through; min(0, −inf) = "
        "−inf is the right limit. The weight argument only fixes the signature (actlib's "
        "prelu_weight_grad checks its shape)."
    ),
    template=(
        "def prelu_weight_grad(x, weight):\n"
        '    """d PReLU / d weight, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="∂f/∂a = min(0, x): the slope only learns from inputs on the negative side.",
)


class _ChannelGradQuestion(FunctionQuestion):
    """A reduction (N, C) -> (C,): wrong output shapes get messages about the sum's axis."""

    def _where(self, c: Case, index: tuple[int, ...]) -> str:
        if len(index) == 1:  # an index into the (C,) result: name the channel, not a row of x
            return f"channel {index[0]} (column x[:, {index[0]}])"
        return super()._where(c, index)

    def _check_output(self, c: Case, out: Any) -> str | None:
        n, channels = np.shape(c.args[0])
        numeric = isinstance(out, np.ndarray | np.generic | int | float) and not isinstance(
            out, bool
        )
        if numeric and np.asarray(out).dtype.kind in "fiu" and np.shape(out) != (channels,):
            shape = np.shape(out)
            if shape == (n, channels):
                return (
                    f"returned shape {shape}, one value per element. The slope of a channel is "
                    "shared by every example, so the chain rule adds up the contributions of "
                    f"all {n} examples: sum over axis 0, to get shape ({channels},)."
                )
            if shape == (n,):
                return (
                    f"returned shape {shape}, one value per example: you summed over axis 1, "
                    f"the channels. Sum over axis 0, the batch, to get one value per channel, "
                    f"shape ({channels},)."
                )
            if shape == ():
                return (
                    "returned a single number: summing over the channels too gives the gradient "
                    "of one slope shared by all channels (channel-shared PReLU). Here each "
                    f"channel has its own slope: return shape ({channels},)."
                )
            return (
                f"returned shape {shape}; the gradient has one value per channel, shape "
                f"({channels},)."
            )
        return super()._check_output(c, out)


q3 = _ChannelGradQuestion(
    "q3",
    "Channel-wise PReLU has one slope a[c] per channel, shared by every example of a batch. "
    "Implement prelu_channel_weight_grad(x, grad_out): for an input x of shape (N, C) and the "
    "upstream gradient grad_out = ∂E/∂f of the same shape, return ∂E/∂a, of shape (C,). "
    "Keep float32 as float32 and modify neither input.",
    func_name="prelu_channel_weight_grad",
    arg_names=("x", "grad_out"),
    reference=prelu_channel_weight_grad,
    expected=_true_channel_grad,
    cases=[
        case(
            np.array([[-1.3, 2.0, -0.5], [3.0, -2.2, -1.0], [-4.0, -1.0, 2.0], [0.5, 1.0, -3.1]]),
            np.array([[0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [-0.7, 2.0, 1.0], [3.0, -2.0, 0.5]]),
        ),
        case(
            _f32([[-1.3, 2.0, -0.5], [3.0, -2.2, -1.0], [-4.0, -1.0, 2.0], [0.5, 1.0, -3.1]]),
            _f32([[0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [-0.7, 2.0, 1.0], [3.0, -2.0, 0.5]]),
        ),
        case(
            np.array([[-2.0, 1.0, -1.0], [-1.0, -3.0, 2.0], [4.0, -0.5, -2.0]]),
            np.array([[1.0, 0.5, -1.0], [2.0, -1.0, 0.5], [0.5, 3.0, 1.5]]),
        ),
        case(np.array([[-2.0, 0.0, 3.0, -0.25]]), np.array([[1.5, -2.0, 4.0, -4.0]])),
    ],
    rtol=1e-10,
    atol=1e-12,
    mistakes=[
        (
            lambda x, g: (_f64(g) * _f64(x)).sum(axis=0),
            "You used x where the local derivative is min(0, x): positive inputs do not "
            "depend on the slope and must contribute nothing.",
        ),
        (
            lambda x, g: np.minimum(_f64(x), 0).sum(axis=0),
            "You added up min(0, x) alone. The chain rule multiplies each local derivative by "
            "the upstream gradient grad_out before summing.",
        ),
        (
            lambda x, g: (_f64(g) * np.minimum(_f64(x), 0)).mean(axis=0),
            "You averaged over the batch. The chain rule adds the contributions of the "
            "examples: use a sum (if the loss is a mean, grad_out already holds the 1/N).",
        ),
        (
            lambda x, g: (_f64(g) * np.minimum(_f64(x), 0)).sum(axis=1),
            "You summed over axis 1, the channels. Sum over axis 0, the examples of the batch.",
        ),
        (
            lambda x, g: (_f64(g) * np.maximum(_f64(x), 0)).sum(axis=0),
            "You used max(0, x); the slope multiplies min(0, x), the negative part.",
        ),
    ],
    hints=[
        "For one element, ∂E/∂a[c] gets grad_out[n, c] · ∂f/∂a = grad_out[n, c] · min(0, "
        "x[n, c]) (chain rule).",
        "The same slope a[c] is used by all N examples of channel c, so its gradient is the "
        "sum of these contributions over the examples n.",
        "Multiply elementwise, then reduce axis 0: (grad_out * np.minimum(x, 0)).sum(axis=0).",
    ],
    solution_text=(
        "Each element contributes grad_out[n, c] · ∂f/∂a = grad_out[n, c] · min(0, x[n, c]); "
        "a parameter used in several places receives the sum of the gradients of all its "
        "uses, so ∂E/∂a[c] = Σ_n grad_out[n, c] · min(0, x[n, c]), a sum over axis 0. For "
        "images of shape (N, C, H, W) the sum runs over axes (0, 2, 3), every position of the "
        "feature map; for a slope shared by the whole layer, over all axes."
    ),
    template=(
        "def prelu_channel_weight_grad(x, grad_out):\n"
        '    """dE/da, one value per channel, for x and grad_out of shape (N, C)."""\n'
        "    ...  # your code here\n"
    ),
    success_note="the gradient of a shared slope is the sum of its uses' gradients.",
)

q4 = NumericQuestion(
    "q4",
    "One update of a slope, as in He et al. (2015). A channel has slope a = 0.25 and "
    "momentum buffer Δa = 0.02 from the previous step. In this step its inputs are "
    "x = (−2, 1, −0.5) with upstream gradients ∂E/∂f = (0.3, −0.4, −0.2). With momentum "
    "μ = 0.9 and learning rate ε = 0.1, compute ∂E/∂a, the new Δa = μ·Δa + ε·∂E/∂a, and the "
    "new slope a − Δa. Answer with a tuple of three numbers.",
    expected=(-0.5, -0.032, 0.282),
    labels=("dE/da", "new delta a", "new a"),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (
            (-0.9, -0.072, 0.322),
            "your ∂E/∂a uses x itself; ∂f/∂a = min(0, x), so the positive input x = 1 "
            "contributes nothing.",
        ),
        (
            (-0.5, -0.05, 0.3),
            "you left out the momentum term μ·Δa, which carries 0.9 of the previous step "
            "into this one.",
        ),
        (
            (-0.5, -0.032, 0.218),
            "you moved the slope along the gradient. Gradient descent subtracts the step: "
            "new a = a − Δa.",
        ),
        (
            (-0.5 / 3, 0.018 - 0.05 / 3, 0.25 - 0.018 + 0.05 / 3),
            "you averaged over the three inputs; the chain rule sums their contributions.",
        ),
        (
            (0.5, 0.068, 0.182),
            "check the sign of ∂E/∂a: each term is (∂E/∂f)·min(0, x), e.g. 0.3·(−2).",
        ),
    ],
    hints=[
        "∂E/∂a = Σ (∂E/∂f)·min(0, x) over the three inputs; min(0, 1) = 0.",
        "Then Δa = 0.9·0.02 + 0.1·(∂E/∂a): the old step, damped, plus the new gradient step.",
        "The step is subtracted: new a = 0.25 − Δa. A negative ∂E/∂a makes the slope grow.",
    ],
    solution_text=(
        "∂E/∂a = 0.3·(−2) + (−0.4)·0 + (−0.2)·(−0.5) = −0.6 + 0 + 0.1 = −0.5.\n"
        "Δa = 0.9·0.02 + 0.1·(−0.5) = 0.018 − 0.05 = −0.032.\n"
        "New a = 0.25 − (−0.032) = 0.282.\n"
        "Answer: q4.check((-0.5, -0.032, 0.282)). The loss falls when the slope grows, so "
        "the slope grows; no weight decay is applied to a, as the paper recommends."
    ),
    success_note="the slope learns only from the negative inputs, with the momentum update.",
)

q5 = ChoiceQuestion(
    "q5",
    "You train a PReLU network with L2 weight decay on every parameter, the slopes a "
    "included. Which statement is true? Answer with a letter, e.g. q5.check('a').",
    options={
        "a": "The decay pulls every slope toward 1, so the units become linear.",
        "b": "The decay pulls every slope toward 0, so the units drift toward ReLU; this is "
        "why He et al. exclude the slopes from weight decay.",
        "c": "The decay has no effect on the slopes, because there is only one per channel.",
        "d": "The decay keeps every slope between 0 and 1, so the units stay monotone.",
    },
    answer="b",
    feedback={
        "a": "L2 decay adds λ·a to the gradient, which shrinks a toward 0, not toward 1.",
        "c": "every parameter that is decayed shrinks, however few there are; the small "
        "number of slopes only means they add little to the parameter count.",
        "d": "L2 decay only shrinks parameters toward 0; it does not clip them to [0, 1], "
        "and a slope can still become negative or exceed 1 if the loss pushes it there.",
    },
    hints=[
        "L2 weight decay adds λ·a to ∂E/∂a, so every step also subtracts ε·λ·a from a.",
        "What value does a reach if only the decay acts? And which activation has a = 0?",
    ],
    solution_text=(
        "(b). With decay, each step subtracts ε·λ·a from a: on its own this shrinks a "
        "geometrically toward 0, and PReLU with a = 0 is ReLU. He et al. (2015) therefore "
        "do not apply weight decay to the slopes; PyTorch's documentation of nn.PReLU gives "
        "the same advice. (a) is false: the pull is toward 0. (c) is false: the number of "
        "slopes does not matter. (d) is false: nothing clips a to [0, 1]."
    ),
    success_note="weight decay pulls the slopes toward 0, turning PReLU back into ReLU.",
)
