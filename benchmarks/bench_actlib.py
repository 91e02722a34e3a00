"""Time every actlib function against the best NumPy/SciPy equivalent and the naive formula.

Usage::

    python benchmarks/bench_actlib.py                       # full run (a few minutes)
    python benchmarks/bench_actlib.py --quick               # fewer repeats (noisier)
    python benchmarks/bench_actlib.py --only tanh_grad gelu # re-run some rows (name prefixes)

For every function and derivative, in float64 and float32, on 1e6 standard-normal inputs
(a 1000 x 1000 array; softmax_jacobian: 100000 x 10 inputs, i.e. 1e7 outputs), it prints the
time of

* ``actlib``: the library call;
* ``best``: the fastest of the robust NumPy/SciPy expressions of the same work (e.g.
  ``scipy.special.expit`` for the sigmoid, ``np.maximum(x, 0)`` for ReLU,
  ``scipy.special.softmax``), none of which overflow on large inputs;
* ``naive``: the textbook formula (``1 / (1 + exp(-x))``, ...), run under
  ``np.errstate(all="ignore")`` because it overflows; it is timed, not trusted;

and the ratios actlib/best (the library's goal: <= 1.5) and naive/best. Every time is the
timeit-style minimum over repeats, all measured in the same run: the three contenders of a
row are timed in short interleaved batches (about 1 ms), so that a burst of load from other
processes hits them alike and the minimum over many batches is an unloaded time. On a busy
machine, re-run the rows that look noisy with ``--only`` and more ``--repeat``.

On this machine ``OPENBLAS_CORETYPE`` may be set in the environment; it does not matter here:
the elementwise ufuncs and ``scipy.special`` kernels do not call BLAS.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.special import erf, expit, log_expit, log_softmax, ndtr
from scipy.special import softmax as sp_softmax

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from actlib import functional as F

Fn = Callable[[np.ndarray], object]

SLOPE, ALPHA, BETA = 0.01, 1.0, 1.5
SA, SS = F.SELU_ALPHA, F.SELU_SCALE
C = np.sqrt(2.0 / np.pi)
INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
SQRT_HALF = np.sqrt(0.5)


def _sp(x):
    """Stable softplus, the textbook way."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _sm_naive(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _jac_best(x):
    s = sp_softmax(x, axis=-1)
    return s[..., :, None] * (np.eye(x.shape[-1], dtype=x.dtype) - s[..., None, :])


def _jac_naive(x):
    s = _sm_naive(x)
    return np.einsum("...i,ij->...ij", s, np.eye(x.shape[-1])) - np.einsum("...i,...j->...ij", s, s)


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(C * (x + 0.044715 * x * x * x)))


def _gelu_tanh_grad(x):
    t = np.tanh(C * (x + 0.044715 * x * x * x))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * C * (1 + 3 * 0.044715 * x * x)


def _gelu_tanh_naive(x):
    return 0.5 * x * (1 + np.tanh(C * (x + 0.044715 * x**3)))


def _gelu_tanh_grad_naive(x):
    t = np.tanh(C * (x + 0.044715 * x**3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t**2) * C * (1 + 3 * 0.044715 * x**2)


def _mish_grad(x, sp):
    t = np.tanh(sp(x))
    return t + x * (1 - t * t) * expit(x)


def cases(dtype: np.dtype) -> list[tuple[str, Fn, list[Fn], Fn, str]]:
    """(name, actlib, best candidates, naive, input kind) for every function and derivative."""
    w = np.full(1000, 0.25, dtype=dtype)  # PReLU: one slope per channel (axis 1)
    wn = w[:, None].T  # the same, as a naive broadcast
    return [
        ("sigmoid", F.sigmoid, [expit], _sig, "vec"),
        (
            "sigmoid_grad",
            F.sigmoid_grad,
            [lambda x: (s := expit(x)) * (1 - s), lambda x: 0.25 / np.cosh(0.5 * x) ** 2],
            lambda x: _sig(x) * (1 - _sig(x)),
            "vec",
        ),
        (
            "tanh",
            F.tanh,
            [np.tanh],
            lambda x: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x)),
            "vec",
        ),
        (
            "tanh_grad",
            F.tanh_grad,
            [lambda x: 1 - np.tanh(x) ** 2, lambda x: 1 / np.cosh(x) ** 2],
            lambda x: 1 - ((np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))) ** 2,
            "vec",
        ),
        ("relu", F.relu, [lambda x: np.maximum(x, 0)], lambda x: np.where(x > 0, x, 0), "vec"),
        (
            "relu_grad",
            F.relu_grad,
            [lambda x: (x > 0).astype(x.dtype), lambda x: np.heaviside(x, 0)],
            lambda x: np.where(x > 0, 1.0, 0.0),
            "vec",
        ),
        (
            "leaky_relu",
            F.leaky_relu,
            [
                lambda x: np.where(x > 0, x, SLOPE * x),
                lambda x: np.maximum(x, 0) + SLOPE * np.minimum(x, 0),
            ],
            lambda x: np.maximum(SLOPE * x, x),
            "vec",
        ),
        (
            "leaky_relu_grad",
            F.leaky_relu_grad,
            [lambda x: np.where(x > 0, 1.0, SLOPE).astype(x.dtype)],
            lambda x: (x > 0) * 1.0 + (x <= 0) * SLOPE,
            "vec",
        ),
        (
            "prelu",
            lambda x: F.prelu(x, w),
            [
                lambda x: np.where(x > 0, x, w * x),
                lambda x: np.maximum(x, 0) + w * np.minimum(x, 0),
            ],
            lambda x: np.maximum(x, 0) + wn * np.minimum(x, 0),
            "vec",
        ),
        (
            "prelu_grad",
            lambda x: F.prelu_grad(x, w),
            [lambda x: np.where(x > 0, 1.0, w).astype(x.dtype)],
            lambda x: (x > 0) * 1.0 + (x <= 0) * wn,
            "vec",
        ),
        (
            "prelu_weight_grad",
            lambda x: F.prelu_weight_grad(x, w),
            [lambda x: np.minimum(x, 0)],
            lambda x: np.where(x > 0, 0, x),
            "vec",
        ),
        (
            "elu",
            F.elu,
            [lambda x: np.where(x > 0, x, ALPHA * np.expm1(np.minimum(x, 0)))],
            lambda x: np.where(x > 0, x, ALPHA * (np.exp(x) - 1)),
            "vec",
        ),
        (
            "elu_grad",
            F.elu_grad,
            [lambda x: np.where(x > 0, 1.0, ALPHA * np.exp(np.minimum(x, 0)))],
            lambda x: np.where(x > 0, 1.0, ALPHA * np.exp(x)),
            "vec",
        ),
        (
            "selu",
            F.selu,
            [lambda x: SS * np.where(x > 0, x, SA * np.expm1(np.minimum(x, 0)))],
            lambda x: SS * np.where(x > 0, x, SA * (np.exp(x) - 1)),
            "vec",
        ),
        (
            "selu_grad",
            F.selu_grad,
            [lambda x: SS * np.where(x > 0, 1.0, SA * np.exp(np.minimum(x, 0)))],
            lambda x: SS * np.where(x > 0, 1.0, SA * np.exp(x)),
            "vec",
        ),
        (
            "gelu",
            F.gelu,
            [lambda x: x * ndtr(x)],
            lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2))),
            "vec",
        ),
        (
            "gelu_grad",
            F.gelu_grad,
            [lambda x: ndtr(x) + x * np.exp(-0.5 * x * x) * INV_SQRT_2PI],
            lambda x: (
                0.5 * (1 + erf(x / np.sqrt(2))) + x * np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi)
            ),
            "vec",
        ),
        (
            "gelu(tanh)",
            lambda x: F.gelu(x, approximate="tanh"),
            [_gelu_tanh],
            _gelu_tanh_naive,
            "vec",
        ),
        (
            "gelu_grad(tanh)",
            lambda x: F.gelu_grad(x, approximate="tanh"),
            [_gelu_tanh_grad],
            _gelu_tanh_grad_naive,
            "vec",
        ),
        ("silu", F.silu, [lambda x: x * expit(x)], lambda x: x / (1 + np.exp(-x)), "vec"),
        (
            "silu_grad",
            F.silu_grad,
            [lambda x: (s := expit(x)) * (1 + x * (1 - s))],
            lambda x: _sig(x) * (1 + x * (1 - _sig(x))),
            "vec",
        ),
        (
            "swish",
            lambda x: F.swish(x, BETA),
            [lambda x: x * expit(BETA * x)],
            lambda x: x / (1 + np.exp(-BETA * x)),
            "vec",
        ),
        (
            "swish_grad",
            lambda x: F.swish_grad(x, BETA),
            [lambda x: (s := expit(BETA * x)) + BETA * x * s * (1 - s)],
            lambda x: _sig(BETA * x) + BETA * x * _sig(BETA * x) * (1 - _sig(BETA * x)),
            "vec",
        ),
        (
            "softplus",
            F.softplus,
            [lambda x: np.logaddexp(0, x), _sp],
            lambda x: np.log(1 + np.exp(x)),
            "vec",
        ),
        ("softplus_grad", F.softplus_grad, [expit], _sig, "vec"),
        (
            "mish",
            F.mish,
            [lambda x: x * np.tanh(np.logaddexp(0, x)), lambda x: x * np.tanh(_sp(x))],
            lambda x: x * np.tanh(np.log(1 + np.exp(x))),
            "vec",
        ),
        (
            "mish_grad",
            F.mish_grad,
            [lambda x: _mish_grad(x, lambda y: np.logaddexp(0, y)), lambda x: _mish_grad(x, _sp)],
            lambda x: _mish_grad(x, lambda y: np.log(1 + np.exp(y))),
            "vec",
        ),
        (
            "log_sigmoid",
            F.log_sigmoid,
            [
                log_expit,
                lambda x: -np.logaddexp(0, -x),
                lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
            ],
            lambda x: np.log(1 / (1 + np.exp(-x))),
            "vec",
        ),
        (
            "log_sigmoid_grad",
            F.log_sigmoid_grad,
            [lambda x: expit(-x)],
            lambda x: 1 - 1 / (1 + np.exp(-x)),
            "vec",
        ),
        ("softmax", F.softmax, [lambda x: sp_softmax(x, axis=-1)], _sm_naive, "mat"),
        (
            "log_softmax",
            F.log_softmax,
            [lambda x: log_softmax(x, axis=-1)],
            lambda x: np.log(_sm_naive(x)),
            "mat",
        ),
        ("softmax_jacobian", F.softmax_jacobian, [_jac_best], _jac_naive, "jac"),
    ]


def min_times(fns: list[Fn], x: np.ndarray, repeat: int) -> list[float]:
    """Time of one call of each fn, in ms: timeit-style minimum over repeats.

    The calls are interleaved (one batch of each per repeat), so that load from other
    processes hits all of them alike. A batch lasts about 1 ms (one call if the call is
    longer): short enough to often run between two preemptions, long enough to time reliably.
    """
    with np.errstate(all="ignore"):
        warm = [min(timeit.repeat(lambda fn=fn: fn(x), number=1, repeat=3)) for fn in fns]
        numbers = [max(1, int(1e-3 / w)) for w in warm]
        times: list[list[float]] = [[] for _ in fns]
        for _ in range(repeat):
            for fn, n, t in zip(fns, numbers, times, strict=True):
                t.append(timeit.timeit(lambda fn=fn: fn(x), number=n) / n)
    return [1e3 * min(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    parser.add_argument("--repeat", type=int, help="repeats per row (default 30, quick: 8)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="rows whose name starts so")
    args = parser.parse_args()
    repeat = args.repeat or (8 if args.quick else 30)
    rng = np.random.default_rng(0)
    shapes = {"vec": (1000, 1000), "mat": (1000, 1000), "jac": (100_000, 10)}
    print(f"numpy {np.__version__}; min of {repeat} repeats; times in ms")
    header = f"{'function':18s} {'dtype':7s} {'actlib':>8s} {'best':>8s} {'naive':>8s} "
    print(header + f"{'actlib/best':>11s} {'naive/best':>10s}")
    worst = 0.0
    for dtype in (np.dtype(np.float64), np.dtype(np.float32)):
        data = {k: rng.standard_normal(v).astype(dtype) for k, v in shapes.items()}
        for name, ours, best, naive, kind in cases(dtype):
            if args.only and not name.startswith(tuple(args.only)):
                continue
            x = data[kind]
            t_ours, t_naive, *t_bests = min_times([ours, naive, *best], x, repeat)
            t_best = min(t_bests)
            ratio = t_ours / t_best
            worst = max(worst, ratio)
            flag = "  <-- over 1.5" if ratio > 1.5 else ""
            print(
                f"{name:18s} {dtype.name:7s} {t_ours:8.2f} {t_best:8.2f} {t_naive:8.2f} "
                f"{ratio:11.2f} {t_naive / t_best:10.2f}{flag}"
            )
    print(f"worst actlib/best: {worst:.2f}")


if __name__ == "__main__":
    main()
