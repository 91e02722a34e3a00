"""A tiny NumPy multilayer perceptron for the chapters' "in a network" experiments.

Everything a learner needs to watch an activation function at work in a real (small) network:

* toy datasets: :func:`xor`, :func:`circles`, :func:`moons`, :func:`spirals`, and
  :func:`train_test_split`;
* weight initialisers: :func:`xavier`, :func:`xavier_normal`, :func:`he`, :func:`lecun`;
* :class:`MLP`, a stack of dense layers whose hidden activation comes from
  :mod:`actlib.registry`, so every registered elementwise activation works, including PReLU with
  one learnable slope per unit;
* the optimisers :class:`SGD` (with momentum) and :class:`Adam`;
* :func:`train`, which returns a :class:`History` of per-epoch measurements (loss, accuracy,
  gradient norms, dead units, activation statistics, PReLU slopes, time);
* :func:`gradient_norms` and :func:`plot_decision_boundary`.

Conventions: a batch ``X`` has shape ``(n, features)``; a dense layer computes ``z = a @ W + b``
with ``W`` of shape ``(fan_in, fan_out)``; class labels are ``int64`` in ``0 .. classes - 1``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from actlib import registry
from actlib.functional import log_softmax, prelu_weight_grad, sigmoid

__all__ = [
    "INITIALISERS",
    "MLP",
    "SGD",
    "Adam",
    "Cache",
    "History",
    "circles",
    "gradient_norms",
    "he",
    "lecun",
    "moons",
    "plot_decision_boundary",
    "spirals",
    "train",
    "train_test_split",
    "xavier",
    "xavier_normal",
    "xor",
]

OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
OUTPUTS = ("softmax", "sigmoid", "linear")

Array = np.ndarray


# --------------------------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------------------------


def _check_dataset_args(n: int, noise: float, min_n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < min_n:
        raise ValueError(f"n must be an integer >= {min_n}, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")


def _split_counts(n: int, parts: int) -> list[int]:
    """Sizes of ``parts`` groups that add up to ``n`` and differ by at most one."""
    return [n // parts + (i < n % parts) for i in range(parts)]


def _shuffled(X: Array, y: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    order = rng.permutation(len(y))
    return X[order].astype(np.float64), y[order].astype(np.int64)


def xor(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[Array, Array]:
    """Four Gaussian blobs at the corners (+-1, +-1); the label is 1 where x1 and x2 differ in sign.

    With ``n=4, noise=0`` the points are exactly the four corners (the XOR truth table, with
    -1 playing the role of 0).
    """
    _check_dataset_args(n, noise, 4)
    rng = np.random.default_rng(seed)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    X = corners[which] + noise * rng.standard_normal((n, 2))
    y = (corners[which, 0] != corners[which, 1]).astype(np.int64)
    return _shuffled(X, y, rng)


def circles(
    n: int = 200, noise: float = 0.05, factor: float = 0.5, seed: int = 0
) -> tuple[Array, Array]:
    """Two concentric circles: radius 1 (label 0) and radius ``factor`` (label 1), plus noise."""
    _check_dataset_args(n, noise, 2)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    parts = []
    for label, (count, radius) in enumerate(zip(_split_counts(n, 2), (1.0, factor), strict=True)):
        t = np.linspace(0.0, 2.0 * np.pi, count, endpoint=False)
        parts.append((radius * np.column_stack([np.cos(t), np.sin(t)]), np.full(count, label)))
    X = np.concatenate([p[0] for p in parts]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([p[1] for p in parts])
    return _shuffled(X, y, rng)


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[Array, Array]:
    """Two interleaving half circles (label 0 upper, label 1 lower), centred on the origin."""
    _check_dataset_args(n, noise, 2)
    rng = np.random.default_rng(seed)
    n0, n1 = _split_counts(n, 2)
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.concatenate([upper, lower]) - [0.5, 0.25] + noise * rng.standard_normal((n, 2))
    y = np.repeat([0, 1], [n0, n1])
    return _shuffled(X, y, rng)


def spirals(
    n: int = 300, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[Array, Array]:
    """``classes`` interleaved spiral arms in the unit disc (CS231n style); noise jitters angles."""
    if isinstance(classes, bool) or not isinstance(classes, int | np.integer) or classes < 2:
        raise ValueError(f"classes must be an integer >= 2, got {classes!r}")
    _check_dataset_args(n, noise, classes)
    rng = np.random.default_rng(seed)
    Xs, ys = [], []
    for label, count in enumerate(_split_counts(n, classes)):
        r = np.linspace(0.0, 1.0, count + 1)[1:]  # skip r = 0, where all arms would meet
        t = np.linspace(4.0 * label, 4.0 * (label + 1), count) + noise * rng.standard_normal(count)
        Xs.append(r[:, None] * np.column_stack([np.sin(t), np.cos(t)]))
        ys.append(np.full(count, label))
    return _shuffled(np.concatenate(Xs), np.concatenate(ys), rng)


def train_test_split(
    X: Array, y: Array, test_fraction: float = 0.25, seed: int = 0
) -> tuple[Array, Array, Array, Array]:
    """Shuffle and split into ``X_train, X_test, y_train, y_test`` (scikit-learn's order)."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y have different lengths: {len(X)} and {len(y)}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n_test = round(test_fraction * len(y))
    if not 0 < n_test < len(y):
        raise ValueError(f"test_fraction={test_fraction} leaves an empty split of {len(y)} points")
    order = np.random.default_rng(seed).permutation(len(y))
    test, tr = order[:n_test], order[n_test:]
    return X[tr], X[test], y[tr], y[test]


# --------------------------------------------------------------------------------------------
# Initialisers: each returns a (fan_in, fan_out) weight matrix
# --------------------------------------------------------------------------------------------


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """Glorot & Bengio (2010), uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out))."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def xavier_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """Glorot & Bengio (2010), normal: N(0, 2 / (fan_in + fan_out))."""
    return np.sqrt(2.0 / (fan_in + fan_out)) * rng.standard_normal((fan_in, fan_out))


def he(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """He et al. (2015), Kaiming normal with fan_in: N(0, 2 / fan_in); suits ReLU."""
    return np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))


def lecun(fan_in: int, fan_out: int, rng: np.random.Generator) -> Array:
    """LeCun et al. (1998), normal: N(0, 1 / fan_in); suits SELU and tanh."""
    return np.sqrt(1.0 / fan_in) * rng.standard_normal((fan_in, fan_out))


Initialiser = Callable[[int, int, np.random.Generator], Array]
INITIALISERS: dict[str, Initialiser] = {
    "xavier": xavier,
    "xavier_normal": xavier_normal,
    "he": he,
    "lecun": lecun,
}


# --------------------------------------------------------------------------------------------
# Losses: each returns (mean loss, dL/dz) for the output pre-activation z of shape (n, out)
# --------------------------------------------------------------------------------------------


def _softmax_cross_entropy(z: Array, y: Array) -> tuple[float, Array]:
    n = len(y)
    logp = log_softmax(z, axis=1)
    loss = -logp[np.arange(n), y].mean()
    delta = np.exp(logp)  # softmax(z), without overflow since logp <= 0
    delta[np.arange(n), y] -= 1.0
    return float(loss), delta / n


def _binary_cross_entropy(z: Array, y: Array) -> tuple[float, Array]:
    t = y.reshape(-1, 1)
    loss = np.mean(np.logaddexp(0.0, z) - t * z)  # = -[t log s(z) + (1 - t) log s(-z)]
    return float(loss), (sigmoid(z) - t) / len(t)


def _mean_squared_error(z: Array, y: Array) -> tuple[float, Array]:
    diff = z - y.reshape(z.shape)
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


_LOSSES = {
    "softmax": _softmax_cross_entropy,
    "sigmoid": _binary_cross_entropy,
    "linear": _mean_squared_error,
}


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------


@dataclass
class Cache:
    """What a forward pass keeps for the backward pass.

    ``pre[l]`` is the pre-activation ``z`` of dense layer ``l`` (``pre[-1]`` are the logits);
    ``post[h]`` is the output of hidden layer ``h`` (its activation applied to ``pre[h]``).
    ``backward`` fills ``derivatives[h]`` with the local derivative f'(pre[h]).
    """

    X: Array
    pre: list[Array]
    post: list[Array]
    derivatives: list[Array] = field(default_factory=list)

    @property
    def logits(self) -> Array:
        return self.pre[-1]

    def layer_input(self, layer: int) -> Array:
        return self.X if layer == 0 else self.post[layer - 1]


_BLAS_LIMITED = False


def _single_threaded_blas(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn`` with one BLAS thread: on matrices this small, extra threads only contend.

    Switching the limit costs about a millisecond, so nested calls (forward inside train)
    reuse the limit already in force.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _BLAS_LIMITED
        if _BLAS_LIMITED:
            return fn(*args, **kwargs)
        _BLAS_LIMITED = True
        try:
            with threadpool_limits(limits=1, user_api="blas"):
                return fn(*args, **kwargs)
        finally:
            _BLAS_LIMITED = False

    return wrapper


class MLP:
    """A fully connected network: ``sizes = [inputs, hidden..., outputs]``.

    Parameters
    ----------
    sizes : layer widths, e.g. ``[2, 32, 32, 3]``.
    activation : key of an elementwise activation in :mod:`actlib.registry`.
    activation_params : overrides of the activation's default parameters, e.g.
        ``{"alpha": 0.5}``; for ``"prelu"``, ``{"weight": a}`` sets the initial slope.
    output : ``"softmax"`` (cross-entropy, integer labels), ``"sigmoid"`` (binary cross-entropy,
        one output unit, labels 0/1) or ``"linear"`` (mean squared error, real targets).
    init : a name in :data:`INITIALISERS` or a function ``(fan_in, fan_out, rng) -> W``.
    bias_init : initial value of every bias (a large negative value makes ReLU units dead).
    seed : seed of the weight initialisation.
    """

    def __init__(
        self,
        sizes: list[int] | tuple[int, ...],
        activation: str = "relu",
        activation_params: dict[str, float | str] | None = None,
        output: str = "softmax",
        init: str | Initialiser = "he",
        bias_init: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.sizes = _check_sizes(sizes, output)
        self.output = output
        self.act = _hidden_activation(activation)
        self.params = _activation_params(self.act, activation_params)
        self.act.f(np.zeros(1), **self.params)  # a bad parameter value raises ValueError now
        initialise = _initialiser(init)
        rng = np.random.default_rng(seed)
        pairs = list(zip(self.sizes[:-1], self.sizes[1:], strict=True))
        self.weights = [np.asarray(initialise(i, o, rng), dtype=np.float64) for i, o in pairs]
        self.biases = [np.full(o, float(bias_init)) for _, o in pairs]
        # PReLU: one learnable slope per hidden unit, initialised at the "weight" parameter.
        self.slopes: list[Array] = []
        if self.learns_slopes:
            slope = float(self.params.pop("weight"))
            self.slopes = [np.full(o, slope) for o in self.sizes[1:-1]]

    @property
    def learns_slopes(self) -> bool:
        return self.act.key == "prelu"

    @property
    def n_layers(self) -> int:
        """Number of dense layers (hidden layers + the output layer)."""
        return len(self.weights)

    def __repr__(self) -> str:
        widths = "-".join(map(str, self.sizes))
        return f"MLP({widths}, activation={self.act.key!r}, output={self.output!r})"

    def parameters(self) -> dict[str, Array]:
        """The live parameter arrays by name: ``W0, b0, W1, b1, ...`` then ``slope0, ...``."""
        params = {}
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            params[f"W{l}"], params[f"b{l}"] = W, b
        params.update({f"slope{h}": a for h, a in enumerate(self.slopes)})
        return params

    def _kwargs(self, h: int) -> dict[str, float | str | Array]:
        return {**self.params, "weight": self.slopes[h]} if self.slopes else self.params

    @_single_threaded_blas
    def forward(self, X: Array) -> Cache:
        """Run the network on ``X`` and keep every pre-activation and hidden activation."""
        a = self._check_X(X)
        cache = Cache(X=a, pre=[], post=[])
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged model gives inf/NaN
            for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
                z = a @ W
                z += b
                cache.pre.append(z)
                if l < self.n_layers - 1:
                    a = self.act.f(z, **self._kwargs(l))
                    cache.post.append(a)
        return cache

    @_single_threaded_blas
    def backward(self, cache: Cache, y: Array) -> dict[str, Array]:
        """Gradients of the mean loss, keyed like :meth:`parameters`."""
        return self._backprop(cache, self._loss(cache.logits, self._check_y(y, len(cache.X)))[1])

    def _loss(self, z: Array, y: Array) -> tuple[float, Array]:
        with np.errstate(over="ignore", invalid="ignore"):
            return _LOSSES[self.output](z, y)

    def _backprop(self, cache: Cache, delta: Array) -> dict[str, Array]:
        grads = {}
        cache.derivatives = [np.empty(0)] * (self.n_layers - 1)
        with np.errstate(over="ignore", invalid="ignore"):
            for l in reversed(range(self.n_layers)):
                grads[f"W{l}"] = cache.layer_input(l).T @ delta
                grads[f"b{l}"] = delta.sum(axis=0)
                if l == 0:
                    break
                upstream = delta @ self.weights[l].T  # dL/d(post[l - 1])
                h, z = l - 1, cache.pre[l - 1]
                if self.slopes:
                    grads[f"slope{h}"] = (upstream * prelu_weight_grad(z, self.slopes[h])).sum(0)
                cache.derivatives[h] = self.act.df(z, **self._kwargs(h))
                delta = upstream * cache.derivatives[h]
        return {name: grads[name] for name in self.parameters()}

    def loss(self, X: Array, y: Array) -> float:
        """Mean loss on ``(X, y)``: cross-entropy, binary cross-entropy or MSE."""
        return self._loss(self.forward(X).logits, self._check_y(y, len(X)))[0]

    def predict_proba(self, X: Array) -> Array:
        """Class probabilities, shape ``(n, classes)`` (``(n, 2)`` for a sigmoid output)."""
        z = self.forward(X).logits
        if self.output == "softmax":
            return np.exp(log_softmax(z, axis=1))
        if self.output == "sigmoid":
            return np.hstack([sigmoid(-z), sigmoid(z)])
        raise ValueError("predict_proba needs a classification output ('softmax' or 'sigmoid')")

    def predict(self, X: Array) -> Array:
        """Predicted labels (int64) for classifiers; the outputs for a linear (regression) model."""
        z = self.forward(X).logits
        if self.output == "softmax":
            return z.argmax(axis=1)
        if self.output == "sigmoid":
            return (z[:, 0] > 0).astype(np.int64)
        return z[:, 0] if z.shape[1] == 1 else z

    def accuracy(self, X: Array, y: Array) -> float:
        """Fraction of correctly classified points."""
        if self.output == "linear":
            raise ValueError("accuracy needs a classification output ('softmax' or 'sigmoid')")
        return float(np.mean(self.predict(X) == self._check_y(y, len(X))))

    def _check_X(self, X: Array) -> Array:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), got {X.shape}")
        return X

    def _check_y(self, y: Array, n: int) -> Array:
        y = np.asarray(y)
        out = self.sizes[-1]
        if self.output == "linear":
            y = y.astype(np.float64)
            if y.shape != (n, out) and not (out == 1 and y.shape == (n,)):
                raise ValueError(f"targets must have shape ({n}, {out}), got {y.shape}")
            return y
        if y.shape != (n,):
            raise ValueError(f"labels must have shape ({n},), got {y.shape}")
        if not (np.issubdtype(y.dtype, np.integer) or y.dtype == bool):
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
        classes = out if self.output == "softmax" else 2
        if n and (y.min() < 0 or y.max() >= classes):
            raise ValueError(
                f"labels must be in 0..{classes - 1}, got values in {y.min()}..{y.max()}"
            )
        return y.astype(np.int64)


def _check_sizes(sizes: list[int] | tuple[int, ...], output: str) -> list[int]:
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose one of {OUTPUTS}")
    sizes = list(sizes)
    if len(sizes) < 2 or not all(
        isinstance(s, int | np.integer) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        raise ValueError(f"sizes must be at least two positive integers, got {sizes!r}")
    if output == "softmax" and sizes[-1] < 2:
        raise ValueError("a softmax output needs at least 2 units (use output='sigmoid' for 1)")
    if output == "sigmoid" and sizes[-1] != 1:
        raise ValueError(f"a sigmoid output needs exactly 1 unit, got {sizes[-1]}")
    return [int(s) for s in sizes]


def _hidden_activation(name: str) -> registry.Activation:
    act = registry.get(name)  # unknown names raise ValueError listing the known ones
    if not act.elementwise or act.df is None:
        known = ", ".join(registry.names(elementwise=True))
        raise ValueError(f"hidden activation must be elementwise ({known}), got {name!r}")
    return act


def _activation_params(
    act: registry.Activation, overrides: dict[str, float | str] | None
) -> dict[str, float | str]:
    params = act.defaults()
    unknown = set(overrides or {}) - set(params)
    if unknown:
        allowed = ", ".join(params) or "none"
        raise ValueError(
            f"unknown parameter(s) {sorted(unknown)} for activation {act.key!r} "
            f"(allowed: {allowed})"
        )
    return {**params, **(overrides or {})}


def _initialiser(init: str | Initialiser) -> Initialiser:
    if callable(init):
        return init
    if init not in INITIALISERS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITIALISERS)}")
    return INITIALISERS[init]


# --------------------------------------------------------------------------------------------
# Optimisers: step() updates the parameter arrays in place
# --------------------------------------------------------------------------------------------


class _Optimizer:
    """Shared weight-decay rule: L2 on weights ``W*`` only; on slopes only if ``decay_slopes``."""

    def __init__(self, lr: float, weight_decay: float, decay_slopes: bool) -> None:
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr!r}")
        if not weight_decay >= 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.lr, self.weight_decay, self.decay_slopes = lr, weight_decay, decay_slopes
        self.state: dict[str, dict[str, Array]] = {}

    def _decayed(self, name: str, p: Array, g: Array) -> Array:
        decays = name.startswith("W") or (self.decay_slopes and name.startswith("slope"))
        return g + self.weight_decay * p if self.weight_decay and decays else g

    def step(self, params: dict[str, Array], grads: dict[str, Array]) -> None:
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by train()
            for name, p in params.items():
                p -= self._update(name, self._decayed(name, p, grads[name]))

    def _update(self, name: str, g: Array) -> Array:
        raise NotImplementedError


class SGD(_Optimizer):
    """Stochastic gradient descent with (heavy-ball) momentum, as in PyTorch: v = m v + g."""

    def __init__(
        self,
        lr: float = 0.1,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        decay_slopes: bool = False,
    ) -> None:
        super().__init__(lr, weight_decay, decay_slopes)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = momentum

    def _update(self, name: str, g: Array) -> Array:
        if not self.momentum:
            return self.lr * g
        v = self.state.setdefault(name, {"v": np.zeros_like(g)})["v"]
        v *= self.momentum
        v += g
        return self.lr * v


class Adam(_Optimizer):
    """Adam (Kingma & Ba, 2015) with bias-corrected first and second moment estimates."""

    def __init__(
        self,
        lr: float = 0.01,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decay_slopes: bool = False,
    ) -> None:
        super().__init__(lr, weight_decay, decay_slopes)
        if not all(0 <= b < 1 for b in betas):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        self.betas, self.eps, self.t = betas, eps, 0

    def step(self, params: dict[str, Array], grads: dict[str, Array]) -> None:
        self.t += 1
        super().step(params, grads)

    def _update(self, name: str, g: Array) -> Array:
        (b1, b2), s = self.betas, self.state.setdefault(name, {})
        m = s.setdefault("m", np.zeros_like(g))
        v = s.setdefault("v", np.zeros_like(g))
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        m_hat = m / (1 - b1**self.t)
        v_hat = v / (1 - b2**self.t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


_OPTIMIZERS = {"sgd": SGD, "adam": Adam}


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------


@dataclass
class History:
    """Per-epoch measurements, taken on the whole training set after each epoch's updates.

    Arrays have one row per completed epoch; per-layer arrays are ``(epochs, layers)`` so that
    ``plt.plot(history.grad_norms)`` draws one line per layer. Accuracy is NaN for a linear
    (regression) output; the test arrays are None unless test data were given.
    """

    loss: Array
    train_accuracy: Array
    grad_norms: Array  # (epochs, dense layers): Frobenius norm of dL/dW
    dead_fraction: Array  # (epochs, hidden layers): units with f'(z) == 0 on every example
    activation_mean: Array  # (epochs, hidden layers)
    activation_var: Array  # (epochs, hidden layers)
    slopes: list[Array]  # PReLU only: one (epochs, units) array per hidden layer
    time: Array  # seconds since the start of training
    test_loss: Array | None = None
    test_accuracy: Array | None = None
    diverged: bool = False

    @property
    def epochs(self) -> int:
        return len(self.loss)


def _measure(model: MLP, X: Array, y: Array) -> tuple[dict[str, Array], dict[str, float | Array]]:
    """Loss, gradients and statistics of ``model`` on a full batch."""
    cache = model.forward(X)
    loss, delta = model._loss(cache.logits, y)
    grads = model._backprop(cache, delta)
    with np.errstate(over="ignore", invalid="ignore"):
        row = {
            "loss": loss,
            "train_accuracy": _accuracy_from_logits(model, cache.logits, y),
            "grad_norms": np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(model.n_layers)]),
            "dead_fraction": np.array([np.mean(np.all(d == 0, axis=0)) for d in cache.derivatives]),
            "activation_mean": np.array([a.mean() for a in cache.post]),
            "activation_var": np.array([a.var() for a in cache.post]),
        }
    return grads, row


def _accuracy_from_logits(model: MLP, z: Array, y: Array) -> float:
    if model.output == "softmax":
        return float(np.mean(z.argmax(axis=1) == y))
    if model.output == "sigmoid":
        return float(np.mean((z[:, 0] > 0) == y))
    return float("nan")


def _make_optimizer(optimizer: str | _Optimizer, lr: float | None, **options: float) -> _Optimizer:
    if isinstance(optimizer, _Optimizer):
        if lr is not None:
            raise ValueError("pass lr to the optimizer object, not to train()")
        return optimizer
    if optimizer not in _OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(_OPTIMIZERS)}")
    return _OPTIMIZERS[optimizer](**({} if lr is None else {"lr": lr}), **options)


@_single_threaded_blas
def train(
    model: MLP,
    X: Array,
    y: Array,
    optimizer: str | SGD | Adam = "adam",
    lr: float | None = None,
    epochs: int = 200,
    batch_size: int | None = None,
    seed: int = 0,
    X_test: Array | None = None,
    y_test: Array | None = None,
    weight_decay: float = 0.0,
) -> History:
    """Train ``model`` in place and return its :class:`History`.

    ``optimizer`` is ``"adam"`` (default lr 0.01), ``"sgd"`` (default lr 0.1, no momentum) or an
    :class:`SGD`/:class:`Adam` object (for momentum, betas, ``decay_slopes``...).
    ``batch_size=None`` means full-batch training (one step per epoch); otherwise the data are
    reshuffled every epoch with ``seed``. If the loss or gradients become inf/NaN, training
    stops and ``history.diverged`` is True (the diverged epoch is not recorded).
    """
    X = model._check_X(X)
    y = model._check_y(y, len(X))
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
    if batch_size is not None and not (isinstance(batch_size, int | np.integer) and batch_size > 0):
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    if (X_test is None) != (y_test is None):
        raise ValueError("give both X_test and y_test, or neither")
    if X_test is not None:
        X_test = model._check_X(X_test)
        y_test = model._check_y(y_test, len(X_test))
    opt = _make_optimizer(optimizer, lr, weight_decay=weight_decay)
    rng = np.random.default_rng(seed)
    params = model.parameters()
    rows: list[dict[str, float | Array]] = []
    diverged = False
    start = time.perf_counter()
    grads, _ = _measure(model, X, y)
    for _ in range(epochs):
        if batch_size is None or batch_size >= len(y):
            opt.step(params, grads)
        else:
            order = rng.permutation(len(y))
            for i in range(0, len(y), batch_size):
                batch = order[i : i + batch_size]
                cache = model.forward(X[batch])
                opt.step(params, model._backprop(cache, model._loss(cache.logits, y[batch])[1]))
        grads, row = _measure(model, X, y)
        if not (np.isfinite(row["loss"]) and all(np.isfinite(g).all() for g in grads.values())):
            diverged = True
            break
        if X_test is not None:
            cache = model.forward(X_test)
            row["test_loss"] = model._loss(cache.logits, y_test)[0]
            row["test_accuracy"] = _accuracy_from_logits(model, cache.logits, y_test)
        row["slopes"] = [a.copy() for a in model.slopes]
        row["time"] = time.perf_counter() - start
        rows.append(row)
    return _history(model, rows, diverged, with_test=X_test is not None)


def _history(model: MLP, rows: list[dict], diverged: bool, with_test: bool) -> History:
    def column(key: str, width: int | None = None) -> Array:
        shape = (0,) if width is None else (0, width)
        return np.array([r[key] for r in rows], dtype=np.float64) if rows else np.empty(shape)

    hidden = model.n_layers - 1
    return History(
        loss=column("loss"),
        train_accuracy=column("train_accuracy"),
        grad_norms=column("grad_norms", model.n_layers),
        dead_fraction=column("dead_fraction", hidden),
        activation_mean=column("activation_mean", hidden),
        activation_var=column("activation_var", hidden),
        slopes=[
            np.array([r["slopes"][h] for r in rows]).reshape(len(rows), len(a))
            for h, a in enumerate(model.slopes)
        ],
        time=column("time"),
        test_loss=column("test_loss") if with_test else None,
        test_accuracy=column("test_accuracy") if with_test else None,
        diverged=diverged,
    )


@_single_threaded_blas
def gradient_norms(model: MLP, X: Array, y: Array) -> Array:
    """Frobenius norm of dL/dW for every dense layer (input layer first) at the current weights.

    In a deep sigmoid network these shrink toward the input: the vanishing gradient.
    """
    grads = model.backward(model.forward(X), y)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(model.n_layers)])


# --------------------------------------------------------------------------------------------
# Plotting (matplotlib is imported here only)
# --------------------------------------------------------------------------------------------


def plot_decision_boundary(model: MLP, X: Array, y: Array, ax=None, resolution: int = 200):
    """Shade the plane by predicted class and scatter the data (Okabe-Ito colours).

    Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    if model.output == "linear" or model.sizes[0] != 2:
        raise ValueError("plot_decision_boundary needs a classifier with 2 inputs")
    X = model._check_X(X)
    y = model._check_y(y, len(X))
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    classes = max(model.sizes[-1], 2)
    colours = [OKABE_ITO[k % len(OKABE_ITO)] for k in range(classes)]
    cmap = ListedColormap(colours)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo) + 1e-9
    g1, g2 = np.meshgrid(
        np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
        np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution),
    )
    grid = model.predict(np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    levels = np.arange(classes + 1) - 0.5
    ax.contourf(g1, g2, grid, levels=levels, cmap=cmap, alpha=0.3)
    for k in range(classes):
        pts = X[y == k]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=14,
            color=colours[k],
            edgecolors="black",
            linewidths=0.4,
            label=f"class {k}",
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"Decision regions: {model.act.name}")
    ax.legend(loc="best", fontsize="small", framealpha=0.8)
    return ax
