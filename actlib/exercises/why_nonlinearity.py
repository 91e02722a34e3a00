"""Exercises for the "why non-linearity" chapter: collapsing linear layers, XOR, counting.

Usage in a notebook::

    from actlib.exercises import why_nonlinearity as ex
    ex.q1.check(collapse)
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from actlib.exercises.checker import (
    CORRECT,
    INCORRECT,
    NOT_ATTEMPTED,
    ChoiceQuestion,
    CodeQuestion,
    NumericQuestion,
    Question,
    Status,
    _a,
    _Call,
    _close,
    _diagnose,
    _is_placeholder,
    _safe_str,
    _type_name,
    _unchanged,
)

__all__ = ["q1", "q2", "q3", "q4", "q5"]


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against
# independent "truth" computations further below, not against these.


def collapse(W1, b1, W2, b2):
    """The single layer (W, b) equivalent to x -> (x @ W1 + b1) @ W2 + b2."""
    # (x @ W1 + b1) @ W2 + b2 = x @ (W1 @ W2) + (b1 @ W2 + b2)
    W = W1 @ W2
    b = b1 @ W2 + b2
    return W, b


# Two ReLU units: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1); output h1 - 2 h2.
XOR_WEIGHTS = (
    np.array([[1.0, 1.0], [1.0, 1.0]]),  # W1: column j holds the input weights of unit j
    np.array([0.0, -1.0]),  # b1
    np.array([1.0, -2.0]),  # w2
    0.0,  # b2
)


# ----------------------------------------------------------------------------- helpers


def _shape(a: Any) -> str:
    return str(tuple(np.shape(a)))


def _as_floats(value: Any, what: str) -> tuple[np.ndarray | None, str]:
    """``value`` as a float64 array, or None and a message saying why it is not numbers."""
    if isinstance(value, (str, bytes)):
        return None, f"{what} is a string; it should hold numbers."
    try:
        raw = np.asarray(value)
    except Exception as exc:
        return None, f"{what} ({_a(value)}) cannot be read as numbers: {_safe_str(exc)}."
    if raw.dtype.kind == "b":
        return None, f"{what} holds booleans (True/False); it should hold numbers."
    if raw.dtype.kind == "c":
        return None, f"{what} holds complex numbers; it should be real."
    if raw.dtype.kind not in "fiu":
        return None, f"{what} ({_a(value)}) does not hold numbers (dtype {raw.dtype})."
    return raw.astype(np.float64), ""


def _first_wrong(got: np.ndarray, want: np.ndarray, name: str, rtol: float, atol: float) -> str:
    """Where ``got`` first differs from ``want``, and how (without revealing ``want``)."""
    bad = ~_close(got, want, rtol, atol)
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    where = f"{name}[{', '.join(map(str, index))}]" if index else name
    return f"{where} is wrong: {_diagnose(got[index], want[index])}."


# ----------------------------------------------------------------------------- q1


def _stack(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, X: np.ndarray):
    """Run the two layers on the rows of X, one after the other."""
    return (X @ W1 + b1) @ W2 + b2


def _probe(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray):
    """The true (W, b), read off the stack itself: b = f(0), row i of W = f(e_i) - f(0)."""
    n_in = W1.shape[0]
    out = _stack(W1, b1, W2, b2, np.vstack([np.zeros(n_in), np.eye(n_in)]))
    return out[1:] - out[0], out[0]


def _collapse_cases() -> list[tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(2024)
    cases = []
    for n_in, hidden, n_out in ((3, 3, 3), (3, 4, 2), (1, 5, 1), (4, 2, 3)):
        cases.append(
            (
                np.round(rng.normal(size=(n_in, hidden)), 2),
                np.round(rng.normal(size=hidden), 2),
                np.round(rng.normal(size=(hidden, n_out)), 2),
                np.round(rng.normal(size=n_out), 2),
            )
        )
    return cases


_ORDER_ADVICE = (
    "With row vectors, as in actlib.nn, a layer computes x @ W + b, with W of shape "
    "(inputs, outputs): x goes through W1 first, so the product is W1 @ W2 (the order is the "
    "reverse of the column-vector formula W2 W1 x)."
)


class _CollapseQuestion(CodeQuestion):
    """The answer is a function (W1, b1, W2, b2) -> (W, b), run on a few seeded layer pairs."""

    def __init__(self, name: str, prompt: str, **kwargs: Any) -> None:
        cases = _collapse_cases()
        super().__init__(
            name,
            prompt,
            func_name="collapse",
            cases=cases,
            template=(
                "def collapse(W1, b1, W2, b2):\n"
                '    """The single layer (W, b) equivalent to x -> (x @ W1 + b1) @ W2 + b2."""\n'
                "    ...  # your code here\n"
            ),
            success_note=f"collapse passed all {len(cases)} tests: two linear layers are one.",
            **kwargs,
        )
        self.rtol, self.atol = 1e-9, 1e-12

    def _check_case(
        self, func: Callable[..., Any], args: tuple[np.ndarray, ...], first: bool
    ) -> tuple[Status, str] | None:
        W1, b1, W2, b2 = args
        n_in, n_out = W1.shape[0], W2.shape[1]
        inputs = (
            f"W1 of shape {W1.shape}, b1 of shape {b1.shape}, "
            f"W2 of shape {W2.shape}, b2 of shape {b2.shape}"
        )
        call = _Call(func, args)
        if isinstance(call.error, NotImplementedError) and first:
            return NOT_ATTEMPTED, "collapse still raises NotImplementedError: add your code."
        if call.error is not None:
            text = _safe_str(call.error)
            advice = ""
            if "broadcast" in text:
                advice = (
                    "\nThe shapes do not fit: b1 has one entry per hidden unit and b2 one per "
                    "output. b1 must go through the second layer before it meets b2."
                )
            elif any(k in text for k in ("matmul", "aligned", "shapes")):
                advice = f"\nThe shapes do not fit. {_ORDER_ADVICE}"
            return INCORRECT, (
                f"for {inputs}, collapse raised {_type_name(call.error)}: {text}{advice}"
            )
        if call.out is None:
            if first:
                return NOT_ATTEMPTED, (
                    "collapse returned None. Replace the ... with your code and return W, b."
                )
            return INCORRECT, f"for {inputs}, collapse returned None (a missing return?)."
        if call.runtime_warnings:
            w = call.runtime_warnings[0]
            return INCORRECT, f"for {inputs}, collapse emitted {w.category.__name__}: {w.message}."
        for n, original, passed in zip(("W1", "b1", "W2", "b2"), args, call.args, strict=True):
            if not _unchanged(original, passed):
                return INCORRECT, (
                    f"collapse modified its input {n} in place. Never change the caller's "
                    f"arrays: compute new ones (`{n} @ ...`, `... + {n}`) instead of `{n} += ...`."
                )
        problem = self._check_output(args, call.out, n_in, n_out)
        return None if problem is None else (INCORRECT, f"for {inputs}, {problem}")

    def _check_output(
        self, args: tuple[np.ndarray, ...], out: Any, n_in: int, n_out: int
    ) -> str | None:
        W1, b1, W2, b2 = args
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            return f"collapse returned {_a(out)}; return the pair W, b (`return W, b`), two arrays."
        W, message = _as_floats(out[0], "the returned W")
        if W is None:
            return message
        b, message = _as_floats(out[1], "the returned b")
        if b is None:
            return message
        if W.shape == (n_out,) and b.shape == (n_in, n_out):
            return "collapse returned (b, W); return them in the order W, b."
        if W.shape != (n_in, n_out):
            if W.shape == (n_out, n_in):
                return (
                    f"W has shape {W.shape}, the transpose of the expected ({n_in}, {n_out}). "
                    + _ORDER_ADVICE
                )
            return (
                f"W has shape {W.shape}; one layer from {n_in} inputs to {n_out} outputs "
                f"needs W of shape ({n_in}, {n_out})."
            )
        if b.shape not in ((n_out,), (1, n_out)):
            return f"b has shape {b.shape}; it needs one bias per output, shape ({n_out},)."
        b = b.reshape(n_out)
        W_true, b_true = _probe(W1, b1, W2, b2)
        rtol, atol = self.rtol, self.atol
        if not _close(W, W_true, rtol, atol).all():
            if W1.shape == W2.shape and _close(W, W2 @ W1, rtol, atol).all():
                return f"W is W2 @ W1: the product is in the wrong order. {_ORDER_ADVICE}"
            if W.shape == W.T.shape and _close(W, W_true.T, rtol, atol).all():
                return (
                    "W is the transpose of the right matrix. With row vectors, as in "
                    "actlib.nn, W has shape (inputs, outputs) and y = x @ W + b."
                )
            return _first_wrong(W, W_true, "W", rtol, atol)
        if not _close(b, b_true, rtol, atol).all():
            if b1.shape == b2.shape and _close(b, b1 + b2, rtol, atol).all():
                return (
                    "b = b1 + b2 is not right: b1 is added before the second layer, so it "
                    "goes through W2 too. Expand (x @ W1 + b1) @ W2 + b2."
                )
            if _close(b, b2, rtol, atol).all():
                return (
                    "b = b2 forgets the first bias: b1 passes through the second layer and "
                    "contributes b1 @ W2."
                )
            if _close(b, b1 @ W2, rtol, atol).all():
                return "b is missing the second layer's own bias b2."
            if W2.shape[0] == W2.shape[1] and _close(b, W2 @ b1 + b2, rtol, atol).all():
                return (
                    "b is W2 @ b1 + b2, the column-vector formula. With row vectors, as in "
                    "actlib.nn, b1 is a row and is multiplied from the left: b1 @ W2."
                )
            return _first_wrong(b, b_true, "b", rtol, atol)
        return None


q1 = _CollapseQuestion(
    "q1",
    "Two dense layers without an activation between them, h = x @ W1 + b1 and "
    "y = h @ W2 + b2 (row vectors, as in actlib.nn: W1 has shape (inputs, hidden), W2 has "
    "shape (hidden, outputs)). Implement collapse(W1, b1, W2, b2), returning the single "
    "layer (W, b) with y = x @ W + b for every x. Do not modify the inputs.",
    reference=collapse,
    hints=[
        "Substitute h into the second layer: y = (x @ W1 + b1) @ W2 + b2, and expand the "
        "product (matrix multiplication distributes over addition).",
        "y = x @ W1 @ W2 + b1 @ W2 + b2. Everything that multiplies x is W; everything else is b.",
        "Check the shapes: W1 @ W2 is (inputs, outputs) and b1 @ W2 + b2 is (outputs,). "
        "W2 @ W1 does not even fit when the widths differ.",
    ],
    solution_text=(
        "Expand: (x @ W1 + b1) @ W2 + b2 = x @ (W1 @ W2) + (b1 @ W2 + b2). So W = W1 @ W2 and "
        "b = b1 @ W2 + b2: the first bias is transformed by the second layer too. By "
        "induction, any stack of dense layers without activations is one dense layer."
    ),
)


# ----------------------------------------------------------------------------- q2

_XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])
_GATES = {  # other truth tables a near miss often computes, with what to fix
    (0.0, 1.0, 1.0, 1.0): "your network computes OR: (1, 1) must give 0, not 1.",
    (0.0, 0.0, 0.0, 1.0): "your network computes AND: the outputs are the other way round.",
    (1.0, 0.0, 0.0, 1.0): (
        "your network computes XNOR, the negation of XOR: 1 minus your output would be right."
    ),
    (1.0, 1.0, 1.0, 0.0): "your network computes NAND: (0, 0) must give 0, not 1.",
}


class _XorQuestion(Question):
    """The answer is the weights (W1, b1, w2, b2) of a 2-2-1 ReLU network for XOR."""

    labels = ("W1", "b1", "w2", "b2")
    shapes = ((2, 2), (2,), (2,), ())

    def __init__(
        self, name: str, prompt: str, answer: Any, hints: Sequence[str], solution_text: str
    ) -> None:
        super().__init__(name, prompt, hints, solution_text)
        self.answer = answer  # a right answer (the tests check that it passes)
        self.atol = 1e-6

    def _parse(self, answer: Any) -> tuple[list[np.ndarray] | None, str]:
        if not isinstance(answer, (tuple, list)) or len(answer) != 4:
            return None, (
                f"you passed {_a(answer)}; pass the four weights as a tuple: "
                f"{self.name}.check((W1, b1, w2, b2))."
            )
        parts = []
        for label, shape, value in zip(self.labels, self.shapes, answer, strict=True):
            array, message = _as_floats(value, label)
            if array is None:
                return None, message
            if label == "w2" and array.shape == (2, 1):
                array = array[:, 0]
            if label == "b2" and array.size == 1:
                array = array.reshape(())
            if array.shape != shape:
                want = "a single number" if shape == () else f"shape {shape}"
                return None, f"{label} has shape {array.shape}; it should be {want}."
            if not np.isfinite(array).all():
                return None, f"{label} contains inf or NaN; use finite numbers."
            parts.append(array)
        return parts, ""

    def _check(self, answer: Any) -> tuple[Status, str]:
        if _is_placeholder(answer):
            return NOT_ATTEMPTED, (
                f"replace the ... with your weights, then {self.name}.check((W1, b1, w2, b2))."
            )
        if isinstance(answer, (tuple, list)) and any(_is_placeholder(a) for a in answer):
            missing = [
                lab for lab, a in zip(self.labels, answer, strict=False) if _is_placeholder(a)
            ]
            return NOT_ATTEMPTED, f"fill in every weight; still missing: {', '.join(missing)}."
        parts, message = self._parse(answer)
        if parts is None:
            return INCORRECT, message
        W1, b1, w2, b2 = parts
        z = _XOR_X @ W1 + b1  # (4 inputs, 2 units)
        out = np.maximum(z, 0.0) @ w2 + b2
        if _close(out, _XOR_Y, 0.0, self.atol).all():
            return CORRECT, (
                "your two ReLU units compute XOR exactly: a bend in the right place is all a "
                "line was missing."
            )
        for table, text in _GATES.items():
            if _close(out, np.array(table), 0.0, self.atol).all():
                return INCORRECT, text
        bends = [(zj > 0).any() and (zj < 0).any() for zj in z.T]
        if not any(bends):
            return INCORRECT, (
                "none of your hidden units switches between on (pre-activation > 0) and off "
                "(< 0) across the four inputs. Then every ReLU acts as x or as 0 on them, your "
                "network is a linear function of (x1, x2) there, and no linear function "
                "computes XOR. Move a bias so that a unit is off for some inputs and on for "
                "others."
            )
        if ((out > 0.5) == (_XOR_Y > 0.5)).all():
            return INCORRECT, (
                "thresholded at 1/2 your network classifies all four inputs correctly, but "
                "this exercise asks for the exact outputs 0 and 1. Adjust w2 and b2."
            )
        wrong = [
            f"for x = ({x[0]:g}, {x[1]:g}) your network outputs {o:.4g}; XOR needs {t:g}."
            for x, o, t in zip(_XOR_X, out, _XOR_Y, strict=True)
            if abs(o - t) > self.atol
        ]
        return INCORRECT, "\n".join(wrong)


q2 = _XorQuestion(
    "q2",
    "Set the weights of a network with two inputs, two ReLU units and a linear output, "
    "y = relu(x @ W1 + b1) @ w2 + b2 (W1 of shape (2, 2), column j holding the input weights "
    "of unit j; b1 and w2 of shape (2,); b2 a number), so that it computes XOR exactly: "
    "y = 0 for (0, 0) and (1, 1), y = 1 for (0, 1) and (1, 0). "
    "Check with q2.check((W1, b1, w2, b2)).",
    answer=XOR_WEIGHTS,
    hints=[
        "XOR depends only on s = x1 + x2: s = 0 gives 0, s = 1 gives 1, s = 2 gives 0. So both "
        "units can use the input weights (1, 1): W1 = [[1, 1], [1, 1]].",
        "As a function of s, y must rise with slope 1 from s = 0 to s = 1 and fall with slope "
        "−1 after it. One unit relu(s) gives the rise; a second unit that switches on at s = 1, "
        "relu(s − 1), can bend the line down.",
        "y = relu(s) + c · relu(s − 1): after s = 1 the slope is 1 + c. Which c makes it −1?",
    ],
    solution_text=(
        "Both units look at s = x1 + x2: h1 = relu(s) and h2 = relu(s − 1), so W1 = [[1, 1], "
        "[1, 1]] and b1 = (0, −1). Output y = h1 − 2 h2, so w2 = (1, −2) and b2 = 0. Check: "
        "s = 0 gives 0; s = 1 gives 1 − 0 = 1; s = 2 gives 2 − 2 = 0. The second unit is off "
        "for s < 1 and bends the line down after it: the bend a linear model lacks."
    ),
)


# ----------------------------------------------------------------------------- q3, q4, q5

q3 = NumericQuestion(
    "q3",
    "A network of dense layers with widths 784 → 512 → 16 → 512 → 784 has no activation "
    "functions at all. The whole network is then one linear map y = x @ W + b with W of shape "
    "(784, 784). What is the largest possible rank of W? Answer with a single number.",
    expected=16,
    labels=("the largest possible rank of W",),
    rtol=0.0,
    atol=1e-9,
    mistakes=[
        (
            784,
            "W is 784 × 784, but it is a product of four matrices; a product's rank is at "
            "most the smallest rank of its factors.",
        ),
        (512, "512 is the widest hidden layer; the rank is limited by the narrowest one."),
        (0, "the rank can be positive: random weights give a non-zero product."),
        (1, "a product of full-rank matrices can have rank above 1; look for the bottleneck."),
    ],
    hints=[
        "W = W1 @ W2 @ W3 @ W4, and rank(A @ B) ≤ min(rank A, rank B).",
        "Every x passes through the 16-unit layer: the outputs live in a space of dimension "
        "at most 16, whatever the other layers do.",
    ],
    solution_text=(
        "W = W1 @ W2 @ W3 @ W4 with shapes (784, 512), (512, 16), (16, 512), (512, 784). "
        "W2 has only 16 columns, so rank(W) ≤ rank(W2) ≤ 16, and random weights reach 16. "
        "Answer: 16. A linear 'autoencoder' like this can only project onto a "
        "16-dimensional subspace (the best one is the principal components' subspace)."
    ),
    success_note="the narrowest layer, 16, bounds the rank of the whole linear stack.",
)

q4 = NumericQuestion(
    "q4",
    "A network with one input x, one hidden layer of 8 ReLU units and a linear output computes "
    "f(x) = v1 relu(w1 x + b1) + ... + v8 relu(w8 x + b8) + c. Into at most how many linear "
    "pieces (intervals on which f is a straight line) can f split the real line? "
    "Answer with a single number.",
    expected=9,
    labels=("the largest number of linear pieces",),
    rtol=0.0,
    atol=1e-9,
    mistakes=[
        (
            8,
            "8 is the largest number of kinks (one per unit); count the pieces between and "
            "around them.",
        ),
        (16, "each unit contributes one kink, not two pieces of its own."),
        (
            256,
            "2^8 counts the on/off patterns of the units, but on a line they cannot all "
            "occur: the kinks are 8 points, and n points cut a line into n + 1 pieces.",
        ),
        (7, "count again: n points cut a line into n + 1 pieces."),
    ],
    hints=[
        "Each unit relu(w x + b) with w ≠ 0 is a straight line with one kink, at x = −b/w.",
        "A sum of such functions is straight between kinks. How many pieces do 8 distinct "
        "points cut the real line into?",
    ],
    solution_text=(
        "Unit i bends only at x = −b_i / w_i (and not at all if w_i = 0), so f has at most 8 "
        "kinks, and 8 distinct points cut the line into 9 intervals: at most 9 linear pieces, "
        "reached when the kinks are distinct and no bend cancels. In general, k units give at "
        "most k + 1 pieces."
    ),
    success_note="k ReLU units: at most k kinks, so at most k + 1 linear pieces.",
)

q5 = ChoiceQuestion(
    "q5",
    "Which statement does the universal approximation theorem support? Answer with a letter, "
    "e.g. q5.check('a').",
    options={
        "a": "For every continuous function on [−3, 3], 32 sigmoid hidden units are enough "
        "for a maximum error below 0.01.",
        "b": "Gradient descent from a random initialisation finds weights that approximate "
        "any continuous function.",
        "c": "For every continuous function on [−3, 3] and every ε > 0, some network with one "
        "hidden layer of sigmoid units stays within ε of it on the whole interval.",
        "d": "It holds for every activation, including the identity f(x) = x.",
    },
    answer="c",
    feedback={
        "a": "the theorem says enough units exist, not how many: a wildly oscillating "
        "function can need far more than 32.",
        "b": "the theorem is about existence; it promises nothing about training, which can "
        "get stuck (as the 2-unit XOR networks of this chapter do).",
        "d": "with the identity the network is linear, and lines cannot approximate a curve; "
        "the activation must not be a polynomial.",
    },
    hints=[
        "The theorem is an existence statement: 'there are weights such that ...'.",
        "What would a network with the identity as activation compute?",
    ],
    solution_text=(
        "(c). Cybenko (1989) proves that one hidden layer of sigmoidal units can approximate any "
        "continuous function on a compact set uniformly, for every ε > 0; Hornik (1991) extends "
        "this to any continuous bounded non-constant activation, and Leshno et al. (1993) to "
        "any non-polynomial one. The theorems say neither "
        "how many units are needed (a) nor that training finds the weights (b), and they fail "
        "for linear activations (d), which only ever give linear functions."
    ),
    success_note="existence, for any ε: not how many units, and not how to find them.",
)
