"""Values and derivatives of actlib.functional against a 50-digit mpmath reference.

Error measure: |got - exact| in ULPs of the exact value rounded to the working dtype.
Tolerance: 4 ULP where the function is well conditioned (kappa = |x f'(x)/f(x)| <= 1);
elsewhere 4 + 2 kappa ULP, i.e. we also allow what a one-ULP change of x does to f (a
relative change of up to eps in x moves f by up to 2 kappa of its ULPs).  That still
catches every algorithmic failure (cancellation, overflow, flush to 0) because those give
errors far larger than kappa.  The derivatives of silu/swish, gelu and mish are, for x < 0,
a difference of two O(1) terms that vanishes at the function's minimum: there (and in the
cancelling region around it) a few ULP of the result is not attainable by a plain formula,
so they may instead pass an absolute test, error <= TERMS_EPS * eps * (|term1| + |term2|).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from mpmath import mp, mpf
from reference import CASE_IDS, CASES, Case, Ref, grid, naive_ulp, reference, ulp_error

import actlib.functional as F

ULP_TOL = 4.0
TERMS_EPS = 4.0  # absolute allowance in eps * (sum of |terms|), see module docstring
DTYPES = [np.float64, np.float32, np.float16]


def _fn(case: Case, which: str):
    return getattr(F, case.name if which == "f" else f"{case.name}_grad")


def _call(case: Case, which: str, x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return _fn(case, which)(x, **case.params)


def _failures(xs, got, ref, err, tol, limit: int = 8) -> str:
    bad = np.flatnonzero(~(err <= tol))
    rows = [
        f"  x={xs[i]!r}: expected {ref.hi[i]!r}, got {got[i]!r} ({err[i]:.3g} ULP > {tol[i]:.3g})"
        for i in bad[:limit]
    ]
    return f"{bad.size} of {xs.size} points fail:\n" + "\n".join(rows)


def tolerance(ref: Ref, got: np.ndarray, dtype) -> np.ndarray:
    """Allowed ULP error per point (inf where the absolute test on the terms passes)."""
    tol = np.where(ref.kappa <= 1, ULP_TOL, ULP_TOL + 2 * ref.kappa)
    if ref.terms is not None:
        # a difference of terms: its rounding error is a few eps of the terms, not of the result
        abs_err = np.abs((got.astype(np.float64) - ref.hi) - ref.lo)
        tol = np.where(abs_err <= TERMS_EPS * np.finfo(dtype).eps * ref.terms, np.inf, tol)
    return tol


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("which", ["f", "grad"])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_matches_mpmath_on_dense_grid(case: Case, which: str, dtype) -> None:
    xs = grid(dtype)
    ref = reference(case, which, dtype)
    got = _call(case, which, xs.copy())
    assert isinstance(got, np.ndarray) and got.dtype == dtype and got.shape == xs.shape
    err = ulp_error(got, ref, dtype)
    tol = tolerance(ref, got, dtype)
    assert np.all(err <= tol), _failures(xs, got, ref, err, tol)


def _moderate_points(case: Case) -> np.ndarray:
    x = np.linspace(-6.0, 6.0, 97) + 0.0123  # off the kink at 0
    if case.name == "softplus":
        beta = case.params.get("beta", 1.0)
        thr = case.params.get("threshold", 20.0)
        x = x[np.abs(beta * x - thr) > 1e-3]  # torch's softplus jumps there
    return x


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_grad_matches_central_difference(case: Case) -> None:
    """Independent of the reference: f' against (f(x+h) - f(x-h)) / 2h from actlib itself."""
    x = _moderate_points(case)
    h = 1e-5
    fd = (_call(case, "f", x + h) - _call(case, "f", x - h)) / (2 * h)
    np.testing.assert_allclose(_call(case, "grad", x), fd, rtol=1e-8, atol=1e-9)


def test_prelu_weight_grad_is_min_zero_x() -> None:
    xs = grid()
    got = F.prelu_weight_grad(xs, 0.25)
    np.testing.assert_array_equal(got, np.minimum(xs, 0.0))
    # central difference in the weight
    x = np.linspace(-3, 3, 13)
    fd = (F.prelu(x, 0.3 + 1e-6) - F.prelu(x, 0.3 - 1e-6)) / 2e-6
    np.testing.assert_allclose(F.prelu_weight_grad(x, 0.3), fd, rtol=1e-8, atol=1e-12)


def test_softplus_with_large_threshold_is_still_exact() -> None:
    """Above the threshold torch returns x; below it the value must not overflow either."""
    x = np.array([30.0, 100.0, 700.0, 800.0, 1e4])
    got = _call(Case("softplus", {"threshold": 1e6}), "f", x)
    want = np.array([float(x_ + mp.log1p(mp.exp(-x_))) for x_ in map(mpf, x.tolist())])
    assert np.all(naive_ulp(got, want) <= ULP_TOL), (got, want)
    g = _call(Case("softplus", {"threshold": 1e6}), "grad", x)
    np.testing.assert_array_equal(g, 1 / (1 + np.exp(-x)))


# ----------------------------------------------------------------------------- softmax


def _softmax_inputs() -> list[np.ndarray]:
    rng = np.random.default_rng(20240101)
    rows = [rng.normal(size=(12, 7)) * s for s in (0.1, 1.0, 5.0, 40.0)]
    rows.append(rng.normal(size=(6, 5)) + 1000.0)  # large common offset
    rows.append(rng.normal(size=(6, 1)))  # a single logit -> probability 1
    rows.append(np.array([[0.0, -40.0, -745.0, -800.0, 3.0]]))  # sub-/underflowing terms
    return rows


def _mp_softmax(row: np.ndarray) -> tuple[list, list]:
    xs = [mpf(v) for v in row.tolist()]
    m = max(xs)
    total = mp.fsum(mp.exp(v - m) for v in xs)
    return [mp.exp(v - m) / total for v in xs], [v - m - mp.log(total) for v in xs]


def _softmax_tolerance(row: np.ndarray, s: np.ndarray) -> np.ndarray:
    """ULP allowance of a max-subtracting algorithm: 4 + the rounding of x_i - max in exp,
    for the entry itself and (weighted by probability) for the normaliser."""
    d = np.abs(row - row.max())
    return ULP_TOL + 2 * (d + np.sum(s * d))


def _bad(name: str, row, got, want, err, tol) -> str:
    err = np.array(err, dtype=np.float64)
    bad = np.flatnonzero(~(err <= tol))
    return f"{name}({row.tolist()}): " + "; ".join(
        f"[{i}] expected {want[i]!r}, got {got[i]!r} ({err[i]:.3g} ULP > {tol[i]:.3g})" for i in bad
    )


@pytest.mark.parametrize("block", range(len(_softmax_inputs())))
def test_softmax_and_log_softmax_match_mpmath(block: int) -> None:
    x = _softmax_inputs()[block]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s_got, ls_got, jac = F.softmax(x), F.log_softmax(x), F.softmax_jacobian(x)
    assert s_got.shape == x.shape and jac.shape == (*x.shape, x.shape[-1])
    for r, row in enumerate(x):
        s_mp, ls_mp = _mp_softmax(row)
        s_ref = np.array([float(v) for v in s_mp])
        tol = _softmax_tolerance(row, s_ref)
        err = np.array(
            [
                abs(mpf(g) - v) / np.spacing(abs(float(v)))
                for g, v in zip(s_got[r], s_mp, strict=True)
            ]
        )
        assert np.all(err <= tol), _bad("softmax", row, s_got[r], s_ref, err, tol)
        ls_ref = np.array([float(v) for v in ls_mp])
        ls_err = np.array(
            [
                abs(mpf(g) - v) / np.spacing(abs(float(v)))
                for g, v in zip(ls_got[r], ls_mp, strict=True)
            ]
        )
        # log p_i = (x_i - max) - log(sum): abs. error ~ eps (|x_i - max| + log(sum) + the
        # normaliser's error sum(p d)); both first terms are <= |log p_i|, hence:
        d = np.abs(row - row.max())
        ls_tol = 2 * ULP_TOL + 2 * np.sum(s_ref * d) / np.maximum(np.abs(ls_ref), 1e-300)
        assert np.all(ls_err <= ls_tol), _bad("log_softmax", row, ls_got[r], ls_ref, ls_err, ls_tol)
        jac_ref = np.diag(s_ref) - np.outer(s_ref, s_ref)
        scale = np.diag(s_ref) + np.outer(s_ref, s_ref)
        jtol = 2 * np.finfo(float).eps * scale * (tol[:, None] + tol[None, :])
        assert np.all(np.abs(jac[r] - jac_ref) <= jtol + 1e-300), (row, jac[r], jac_ref)


def test_log_softmax_of_dominant_entry_is_relatively_accurate() -> None:
    """log p for p close to 1 is -sum(other p): must not be rounded to 0 (log1p, not log)."""
    for a in (-40.0, -30.0, -10.0, -1.0, 0.0, 5.0):
        got = F.log_softmax(np.array([0.0, a]))[0]
        want = -mp.log1p(mp.exp(mpf(a)))
        assert abs(mpf(got) - want) <= ULP_TOL * np.spacing(abs(float(want))), (a, got, want)


def test_float32_softmax_as_good_as_float32_allows() -> None:
    x = (np.random.default_rng(7).normal(size=(20, 9)) * 4).astype(np.float32)
    s = F.softmax(x)
    assert s.dtype == np.float32
    for r, row in enumerate(x.astype(np.float64)):
        s_ref = np.array([float(v) for v in _mp_softmax(row)[0]])
        err = np.abs(s[r] - s_ref) / np.spacing(s_ref.astype(np.float32)).astype(np.float64)
        # float32 rounding of x_i - max costs |x_i - max| * 2^-24 relative: same allowance
        assert np.all(err <= _softmax_tolerance(row, s_ref)), (row, s[r], s_ref, err)
