"""Hypothesis property tests: identities between activations, softmax algebra, monotonicity.

Tolerances are stated in machine epsilons (EPS) and follow from the rounding of the
identity's own right-hand side (each arithmetic step costs at most half an ULP).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from reference import SELU_ALPHA, SELU_SCALE

import actlib.functional as F

# "error" for all categories would also catch hypothesis' own DeprecationWarnings at teardown
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")
settings.register_profile(
    "actlib", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("actlib")

EPS = np.finfo(np.float64).eps
TINY = np.finfo(np.float64).tiny
GELU_MIN = -0.16997120747990366  # gelu at the root of gelu' (mpmath)
MISH_MIN = -0.30884341301725043


def floats(lo: float = -1e308, hi: float = 1e308, **kw) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, **kw)


def vectors(lo: float = -1e3, hi: float = 1e3, min_size: int = 1, max_size: int = 16):
    return hnp.arrays(
        np.float64, st.integers(min_size, max_size), elements=floats(lo, hi), unique=False
    )


def close(got, want, rel: float, abs_: float = 0.0) -> None:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    ok = (got == want) | (np.abs(got - want) <= rel * np.abs(want) + abs_)
    assert np.all(ok), f"got {got!r}, want {want!r}"


# ------------------------------------------------------------------- sigmoid family


@given(floats())
def test_sigmoid_symmetry(x: float) -> None:
    # both sides are in [0, 1]; 1 - s(x) is rounded once more
    close(F.sigmoid(-x), 1 - F.sigmoid(x), 0, 2 * EPS)


@given(floats(-300, 300))
def test_tanh_is_rescaled_sigmoid(x: float) -> None:
    close(F.tanh(x), 2 * F.sigmoid(2 * x) - 1, 0, 4 * EPS)


@given(floats())
def test_tanh_is_odd(x: float) -> None:
    assert F.tanh(-x) == -F.tanh(x)


@given(floats(-1e3, 1e3))
def test_softplus_grad_is_sigmoid(x: float) -> None:
    # torch's rule: softplus' is exactly 1 above the threshold, sigmoid(x) below
    want = 1.0 if x > 20 else F.sigmoid(x)
    close(F.softplus_grad(x), want, 2 * EPS)


@given(floats(-1e3, 1e3), st.sampled_from([0.25, 0.5, 2.0, 3.0]))
def test_softplus_grad_is_sigmoid_beta(x: float, beta: float) -> None:
    want = 1.0 if beta * x > 20 else F.sigmoid(beta * x)
    close(F.softplus_grad(x, beta=beta), want, 2 * EPS)


@given(floats(-30, 19.9))
def test_softplus_derivative_numerically_is_sigmoid(x: float) -> None:
    h = 1e-6
    fd = (F.softplus(x + h) - F.softplus(x - h)) / (2 * h)
    close(fd, F.sigmoid(x), 1e-7, 1e-12)


@given(floats())
def test_silu_is_x_sigmoid(x: float) -> None:
    close(F.silu(x), x * F.sigmoid(x), 4 * EPS, 2 * TINY)


@given(floats())
def test_swish_beta_one_is_silu(x: float) -> None:
    close(F.swish(x), F.silu(x), 2 * EPS, TINY)
    close(F.swish(x, beta=1.0), F.silu(x), 2 * EPS, TINY)
    close(F.swish_grad(x, beta=1.0), F.silu_grad(x), 2 * EPS, TINY)


@given(floats(-1e3, 1e3), st.sampled_from([0.5, 2.0, 4.0]))
def test_swish_is_x_sigmoid_beta_x(x: float, beta: float) -> None:
    close(F.swish(x, beta=beta), x * F.sigmoid(beta * x), 8 * EPS, 2 * TINY)


@given(floats(-20, 1e308))
def test_log_sigmoid_is_minus_softplus_of_minus_x(x: float) -> None:
    # restricted to -x <= 20, where torch's softplus is log1p(exp(-x)) and not -x
    close(F.log_sigmoid(x), -F.softplus(-x), 2 * EPS, TINY)


@given(floats(-1e308, 1e3))
def test_log_sigmoid_grad_is_sigmoid_of_minus_x(x: float) -> None:
    close(F.log_sigmoid_grad(x), F.sigmoid(-x), 2 * EPS, TINY)


@given(floats())
def test_sigmoid_grad_is_s_times_one_minus_s(x: float) -> None:
    close(F.sigmoid_grad(x), F.sigmoid(x) * F.sigmoid(-x), 4 * EPS, 2 * TINY)


@given(floats())
def test_tanh_grad_is_one_minus_tanh_squared(x: float) -> None:
    # absolute: 1 - tanh^2 cancels for large |x| (that is why actlib must not use it)
    close(F.tanh_grad(x), 1 - F.tanh(x) ** 2, 0, 4 * EPS)


@given(floats())
def test_odd_part_of_self_gated_functions_is_x(x: float) -> None:
    # silu(x) - silu(-x) = x (sigmoid(x) + sigmoid(-x) = 1); same for gelu (Phi(x) + Phi(-x) = 1)
    for f in (F.silu, F.gelu):
        close(f(x) - f(-x), x, 4 * EPS, TINY)


# --------------------------------------------------------------- piecewise-linear family


@given(floats())
def test_relu_odd_part_is_x(x: float) -> None:
    assert F.relu(x) - F.relu(-x) == x


@given(floats(-1e300, 1e300), floats(-10, 10))
def test_leaky_relu_general_form_for_any_slope(x: float, a: float) -> None:
    want = max(0.0, x) + a * min(0.0, x)
    assert F.leaky_relu(x, negative_slope=a) == want
    assert F.leaky_relu_grad(x, negative_slope=a) == (1.0 if x > 0 else a)


@pytest.mark.parametrize("a", [-0.5, 1.5, 3.0])
def test_leaky_relu_general_form_beyond_unit_slope(a: float) -> None:
    x = np.array([-2.0, 2.0])
    np.testing.assert_array_equal(F.leaky_relu(x, a), [-2.0 * a, 2.0])
    if a > 1:  # max(a x, x) would pick the wrong branch on both sides
        assert not np.array_equal(F.leaky_relu(x, a), np.maximum(a * x, x))


@given(floats())
def test_elu_with_zero_alpha_is_relu(x: float) -> None:
    assert F.elu(x, alpha=0.0) == F.relu(x)
    assert F.elu_grad(x, alpha=0.0) == F.relu_grad(x)


@given(floats(), floats(-5, 5))
def test_prelu_scalar_weight_is_leaky_relu(x: float, w: float) -> None:
    assert F.prelu(x, w) == F.leaky_relu(x, w)
    assert F.prelu_grad(x, w) == F.leaky_relu_grad(x, w)
    assert F.prelu_weight_grad(x, w) == min(0.0, x)


@given(floats(-1e300, 1e300))
def test_selu_is_scaled_elu(x: float) -> None:
    scale, alpha = float(SELU_SCALE), float(SELU_ALPHA)
    close(F.selu(x), scale * F.elu(x, alpha=alpha), 4 * EPS)
    close(F.selu_grad(x), scale * F.elu_grad(x, alpha=alpha), 4 * EPS)


@given(floats(-1e3, 1e300))
def test_mish_is_x_tanh_softplus(x: float) -> None:
    close(F.mish(x), x * np.tanh(F.softplus(x)), 8 * EPS, 2 * TINY)


# ------------------------------------------------------------------------ monotonicity

MONOTONE = [
    ("sigmoid", {}),
    ("tanh", {}),
    ("relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 1.0}),
    ("selu", {}),
    ("softplus", {}),
    ("softplus", {"beta": 3.0, "threshold": 5.0}),
    ("log_sigmoid", {}),
    ("sigmoid_grad", {"_domain": "neg"}),
    ("gelu", {"_domain": "above_min"}),
    ("silu", {"_domain": "above_min"}),
    ("mish", {"_domain": "above_min"}),
]
DOMAINS = {"neg": (-1e308, 0.0), "above_min": (-0.75, 1e300)}


@pytest.mark.parametrize(("name", "params"), MONOTONE, ids=lambda v: str(v))
@given(data=st.data())
def test_monotone_non_decreasing(name: str, params: dict, data) -> None:
    params = dict(params)
    lo, hi = DOMAINS.get(params.pop("_domain", ""), (-1e308, 1e308))
    x = np.sort(data.draw(vectors(lo, hi, 2, 30)))
    y = getattr(F, name)(x, **params)
    # composite formulas may wobble by rounding between neighbouring floats: a few ULP
    slack = 0 if name in ("relu", "leaky_relu") else 4 * np.spacing(np.abs(y[1:]))
    assert np.all(np.diff(y) >= -slack), (x, y)


@given(vectors(-1e308, 1e308, 1, 30))
def test_ranges(x: np.ndarray) -> None:
    s = F.sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(np.abs(F.tanh(x)) <= 1)
    assert np.all(F.softplus(x) >= np.maximum(x, 0))
    assert np.all(F.log_sigmoid(x) <= 0)
    assert np.all(F.elu(x) >= -1)
    assert np.all((F.sigmoid_grad(x) >= 0) & (F.sigmoid_grad(x) <= 0.25))
    assert np.all((F.tanh_grad(x) >= 0) & (F.tanh_grad(x) <= 1))
    # minima (mpmath), less a few ULP of rounding
    assert np.all(F.silu(x) >= -0.2784645427610738 - 1e-16)
    assert np.all(F.gelu(x) >= GELU_MIN - 1e-16)
    assert np.all(F.mish(x) >= MISH_MIN - 1e-16)


# ---------------------------------------------------------------------- no warnings


@given(
    hnp.arrays(
        st.sampled_from([np.float16, np.float32, np.float64]),
        hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
        elements={"allow_nan": True, "allow_infinity": True, "allow_subnormal": True},
    )
)
def test_any_float_array_no_warning_nan_only_from_nan(x: np.ndarray) -> None:
    for name in ("sigmoid", "tanh", "relu", "elu", "selu", "gelu", "silu", "softplus", "mish"):
        for fn in (getattr(F, name), getattr(F, f"{name}_grad")):
            y = np.asarray(fn(x))
            assert y.dtype == x.dtype and y.shape == x.shape
            np.testing.assert_array_equal(np.isnan(y), np.isnan(x), err_msg=fn.__name__)
    y = np.asarray(F.gelu(x, approximate="tanh"))
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x))
    y = np.asarray(F.log_sigmoid_grad(x))
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x))
    if x.ndim >= 1:
        for fn in (F.softmax, F.log_softmax):
            assert fn(x).dtype == x.dtype
        assert F.softmax_jacobian(x).shape == (*x.shape, x.shape[-1])


# ------------------------------------------------------------------------- softmax


@given(vectors(-1e3, 1e3))
def test_softmax_sums_to_one(x: np.ndarray) -> None:
    s = F.softmax(x)
    assert np.all(s >= 0) and np.all(s <= 1)
    assert abs(s.sum() - 1) <= (x.size + 1) * EPS


@given(
    hnp.arrays(
        np.float64, st.integers(1, 12), elements=st.integers(-400, 400).map(lambda k: k / 8)
    ),
    st.integers(-(10**6), 10**6).map(float),
)
def test_softmax_shift_invariant(x: np.ndarray, c: float) -> None:
    # x/8 and integer shifts: x + c is exact, so both sides see the same differences
    close(F.softmax(x + c), F.softmax(x), 2 * EPS, 1e-300)
    close(F.log_softmax(x + c), F.log_softmax(x), 2 * EPS, 2 * EPS)


@given(vectors(-1e3, 1e3))
def test_log_softmax_is_x_minus_logsumexp(x: np.ndarray) -> None:
    from scipy.special import logsumexp

    want = x - logsumexp(x)  # itself rounded twice, with errors up to eps * |x|
    atol = 8 * EPS * (np.abs(x) + np.abs(x - x.max()) + np.log(x.size) + 1)
    close(F.log_softmax(x), want, 0, atol)


@given(vectors(-30, 30))
def test_exp_log_softmax_is_softmax(x: np.ndarray) -> None:
    # exp turns the absolute error of log p (a few eps * |log p|) into a relative one
    ls = F.log_softmax(x)
    close(np.exp(ls), F.softmax(x), 4 * EPS * (2 + np.abs(ls)), 1e-300)


@given(floats(-700, 700))
def test_softmax_of_two_logits_is_sigmoid(a: float) -> None:
    s = F.softmax(np.array([a, 0.0]))
    close(s[0], F.sigmoid(a), 4 * EPS, 2 * TINY)
    close(s[1], F.sigmoid(-a), 4 * EPS, 2 * TINY)
    close(F.log_softmax(np.array([a, 0.0]))[0], F.log_sigmoid(a), 4 * EPS, 2 * TINY)


@given(
    hnp.arrays(
        np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6), elements=floats(-50, 50)
    )
)
def test_softmax_jacobian_structure(x: np.ndarray) -> None:
    jac = F.softmax_jacobian(x)
    s = F.softmax(x)
    assert jac.shape == (*x.shape, x.shape[-1])
    close(jac, np.swapaxes(jac, -1, -2), 0, 2 * EPS)
    close(jac.sum(axis=-1), 0.0, 0, (x.shape[-1] + 1) * EPS)
    eye = np.eye(x.shape[-1])
    want = s[..., :, None] * eye - s[..., :, None] * s[..., None, :]
    close(jac, want, 0, 4 * EPS)  # s_i - s_i^2 cancels when s_i ~ 1: a few eps absolute


@given(vectors(-50, 50, 2, 8), st.integers(0, 7))
def test_softmax_jacobian_matches_finite_differences(x: np.ndarray, j: int) -> None:
    j %= x.size
    h = 1e-6
    e = np.zeros_like(x)
    e[j] = h
    fd = (F.softmax(x + e) - F.softmax(x - e)) / (2 * h)
    close(F.softmax_jacobian(x)[:, j], fd, 1e-6, 1e-9)
