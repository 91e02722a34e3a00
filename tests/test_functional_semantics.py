"""Semantics of actlib.functional: special values, dtypes, shapes, mutation, errors.

Every test here runs with warnings turned into errors, so any RuntimeWarning fails it.
Adding an activation = one line in ELEMENTWISE (and its limits in LIMITS).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import SELU_ALPHA, SELU_SCALE

import actlib.functional as F

pytestmark = pytest.mark.filterwarnings("error")

INF, NAN = math.inf, math.nan
LOG2 = math.log(2)
FMAX = float(np.finfo(np.float64).max)
SA, SS = float(SELU_ALPHA), float(SELU_SCALE)

# test id -> (function name, parameters used in these tests)
ELEMENTWISE: dict[str, tuple[str, dict]] = {
    "sigmoid": ("sigmoid", {}),
    "tanh": ("tanh", {}),
    "relu": ("relu", {}),
    "leaky_relu": ("leaky_relu", {}),
    "prelu": ("prelu", {"weight": 0.25}),
    "elu": ("elu", {}),
    "selu": ("selu", {}),
    "gelu": ("gelu", {}),
    "gelu_tanh": ("gelu", {"approximate": "tanh"}),
    "silu": ("silu", {}),
    "swish": ("swish", {}),
    "swish_beta0": ("swish", {"beta": 0.0}),
    "softplus": ("softplus", {}),
    "mish": ("mish", {}),
    "log_sigmoid": ("log_sigmoid", {}),
}

# id -> (f(-inf), f(inf), f'(-inf), f'(inf)); f(nan) and f'(nan) must be nan for all.
LIMITS: dict[str, tuple[float, float, float, float]] = {
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
    "relu": (0.0, INF, 0.0, 1.0),
    "leaky_relu": (-INF, INF, 0.01, 1.0),
    "prelu": (-INF, INF, 0.25, 1.0),
    "elu": (-1.0, INF, 0.0, 1.0),
    "selu": (-SS * SA, INF, 0.0, SS),
    "gelu": (0.0, INF, 0.0, 1.0),
    "gelu_tanh": (0.0, INF, 0.0, 1.0),
    "silu": (0.0, INF, 0.0, 1.0),
    "swish": (0.0, INF, 0.0, 1.0),
    "swish_beta0": (-INF, INF, 0.5, 0.5),
    "softplus": (0.0, INF, 0.0, 1.0),
    "mish": (0.0, INF, 0.0, 1.0),
    "log_sigmoid": (-INF, 0.0, 1.0, 0.0),
}
assert LIMITS.keys() == ELEMENTWISE.keys()

# (function name, parameters) for every elementwise function and derivative
CALLS = list(ELEMENTWISE.values()) + [(f"{n}_grad", p) for n, p in ELEMENTWISE.values()]
CALLS.append(("prelu_weight_grad", {"weight": 0.25}))
CALL_IDS = [f"{n}{p or ''}" for n, p in CALLS]
SOFTMAX_NAMES = ["softmax", "log_softmax", "softmax_jacobian"]


def call(name: str, x, **params):
    return getattr(F, name)(x, **params)


def specials(dtype) -> np.ndarray:
    fi = np.finfo(dtype)
    vals = [-INF, INF, NAN, 0.0, -0.0, 1.0, -1.0, fi.max, -fi.max, fi.tiny, -fi.tiny]
    vals += [fi.smallest_subnormal, -fi.smallest_subnormal, 80.0, -80.0, 1e4, -1e4]
    if dtype == np.float64:
        vals += [1e308, -1e308, 1e300, -1e300, 710.0, -710.0, 746.0, -746.0, 1e-300]
    with np.errstate(over="ignore"):
        return np.array(vals, dtype=np.float64).astype(dtype)


# ------------------------------------------------------------------- special values


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_special_inputs_no_warning_nan_iff_nan(name, params, dtype) -> None:
    x = specials(dtype)
    y = call(name, x, **params)
    assert y.dtype == dtype and y.shape == x.shape
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x), err_msg=f"{name}: NaN pattern {y}")


@pytest.mark.parametrize("key", list(ELEMENTWISE))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_limits_at_infinity(key: str, dtype) -> None:
    name, params = ELEMENTWISE[key]
    x = np.array([-INF, INF], dtype=dtype)
    f_lo, f_hi, g_lo, g_hi = LIMITS[key]
    with np.errstate(over="ignore"):
        want_f = np.array([f_lo, f_hi]).astype(dtype)
        want_g = np.array([g_lo, g_hi]).astype(dtype)
    np.testing.assert_array_equal(call(name, x, **params), want_f, err_msg=f"{key} at -+inf")
    np.testing.assert_array_equal(
        call(f"{name}_grad", x, **params), want_g, err_msg=f"{key}_grad at -+inf"
    )


def test_prelu_weight_grad_limits() -> None:
    got = F.prelu_weight_grad(np.array([-INF, INF, NAN, 0.0, -2.0]), 0.25)
    np.testing.assert_array_equal(got, [-INF, 0.0, NAN, 0.0, -2.0])


@pytest.mark.parametrize(
    ("name", "params", "want"),
    [
        ("relu_grad", {}, 0.0),
        ("leaky_relu_grad", {}, 0.01),
        ("leaky_relu_grad", {"negative_slope": 0.3}, 0.3),
        ("prelu_grad", {"weight": 0.25}, 0.25),
        ("elu_grad", {}, 1.0),
        ("elu_grad", {"alpha": 0.7}, 0.7),
        ("selu_grad", {}, SS * SA),
        ("sigmoid_grad", {}, 0.25),
        ("tanh_grad", {}, 1.0),
        ("gelu_grad", {}, 0.5),
        ("gelu_grad", {"approximate": "tanh"}, 0.5),
        ("silu_grad", {}, 0.5),
        ("swish_grad", {"beta": 3.0}, 0.5),
        ("softplus_grad", {"beta": 2.0}, 0.5),
        ("log_sigmoid_grad", {}, 0.5),
        ("mish_grad", {}, 0.6),  # tanh(log 2) = 3/5
        ("softplus", {}, math.log(2)),
        ("log_sigmoid", {}, -math.log(2)),
        ("sigmoid", {}, 0.5),
    ],
)
def test_values_at_zero_and_kinks_follow_pytorch(name, params, want) -> None:
    for zero in (0.0, -0.0):
        got = call(name, zero, **params)
        assert got == pytest.approx(want, rel=4e-16, abs=0), (name, zero, got)


def test_swish_beta_zero_is_half_x() -> None:
    x = np.array([-3.0, -1e300, 0.0, 2.5, 1e308])
    np.testing.assert_array_equal(F.swish(x, beta=0.0), x / 2)
    np.testing.assert_array_equal(F.swish_grad(x, beta=0.0), np.full(5, 0.5))


def test_elu_at_minus_inf_is_minus_alpha() -> None:
    assert F.elu(-INF, alpha=2.5) == -2.5
    assert F.elu(-INF, alpha=0.0) == 0.0
    assert F.elu_grad(-INF, alpha=2.5) == 0.0


def test_softplus_threshold_rule_is_torchs() -> None:
    x = np.array([19.0, 20.0, 20.5, 5.0, 5.5])
    got = F.softplus(x)
    assert got[2] == 20.5 and got[0] != 19.0 and got[1] == pytest.approx(20.000000002061153)
    np.testing.assert_array_equal(F.softplus_grad(x)[2:3], [1.0])
    assert F.softplus_grad(20.0) < 1.0
    got_b = F.softplus(x, beta=2.0, threshold=10.0)
    assert got_b[4] == 5.5 and got_b[3] == pytest.approx(np.log1p(np.exp(10.0)) / 2, rel=1e-15)
    # threshold=inf switches the cut-off off: the exact softplus, x + log1p(exp(-x)) for large x
    exact = F.softplus(np.array([30.0, 800.0]), threshold=INF)
    assert exact[0] == pytest.approx(30.0 + np.exp(-30.0), rel=1e-15) and exact[0] != 30.0
    assert exact[1] == 800.0 and F.softplus_grad(30.0, threshold=INF) < 1.0


# ----------------------------------------------------------------------- dtypes, shapes

INT_INPUTS = [
    np.array([-2, 0, 3], dtype=np.int8),
    np.array([-2, 0, 3], dtype=np.int32),
    np.array([-2, 0, 3], dtype=np.int64),
    np.array([0, 3, 250], dtype=np.uint8),
    np.array([True, False, True]),
    [-2, 0, 3],
    [True, False],
]


@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_dtype_rules(name, params) -> None:
    for dtype in (np.float16, np.float32, np.float64):
        x = np.array([-1.5, 0.0, 2.0], dtype=dtype)
        assert call(name, x, **params).dtype == dtype, (name, dtype)
    for x in INT_INPUTS:
        y = call(name, x, **params)
        assert y.dtype == np.float64, (name, np.asarray(x).dtype, y.dtype)
        want = call(name, np.asarray(x, dtype=np.float64), **params)
        np.testing.assert_array_equal(y, want)
    assert call(name, [0.5, -1.0], **params).dtype == np.float64


@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_scalars_give_numpy_scalars(name, params) -> None:
    for x, dtype in [
        (1.25, np.float64),
        (-3, np.float64),
        (True, np.float64),
        (np.float32(-0.5), np.float32),
        (np.float16(2.0), np.float16),
        (np.int16(4), np.float64),
    ]:
        y = call(name, x, **params)
        assert isinstance(y, np.generic) and y.dtype == dtype, (name, x, type(y), y.dtype)
        assert y == call(name, np.array([x], dtype=dtype), **params)[0]


@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_shapes_zero_d_empty_three_d(name, params) -> None:
    y0 = call(name, np.array(-0.75), **params)
    assert np.shape(y0) == () and np.asarray(y0).dtype == np.float64
    for shape in [(0,), (2, 0, 3), (0, 0)]:
        for dtype in (np.float32, np.float64):
            y = call(name, np.zeros(shape, dtype=dtype), **params)
            assert y.shape == shape and y.dtype == dtype, (name, shape, dtype)
    x = np.random.default_rng(1).normal(size=(2, 3, 4)) * 3
    y = call(name, x, **params)
    assert y.shape == x.shape
    np.testing.assert_array_equal(y.ravel(), call(name, x.ravel(), **params))


@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_input_never_modified(name, params) -> None:
    x = np.array([[-INF, -3.0, -0.0, 0.0], [1e-310, 2.5, 50.0, NAN]])
    keep = x.copy()
    call(name, x, **params)
    np.testing.assert_array_equal(x, keep)
    assert np.signbit(x).tolist() == np.signbit(keep).tolist()
    x.flags.writeable = False
    call(name, x, **params)  # read-only input must be accepted
    lst = [-1.0, 2.0]
    call(name, lst, **params)
    assert lst == [-1.0, 2.0]


@pytest.mark.parametrize("name", SOFTMAX_NAMES)
def test_softmax_family_input_never_modified_and_read_only_ok(name) -> None:
    x = np.array([[1.0, -INF, 3.0], [0.5, 0.5, 1e308]])
    keep = x.copy()
    x.flags.writeable = False
    call(name, x)
    np.testing.assert_array_equal(x, keep)


# -------------------------------------------------------------------------- errors

BAD_INPUTS = [
    "abc",
    "1.0",
    ["a", "b"],
    np.array(["1.0", "2.0"]),
    np.array([1.0, 2.0], dtype=object),
    np.array([1, "x"], dtype=object),
    1 + 2j,
    np.array([1.0 + 0j]),
    [1j, 2.0],
    None,
    b"12",
]


@pytest.mark.parametrize(("name", "params"), CALLS, ids=CALL_IDS)
def test_non_numeric_input_raises_type_error_naming_function(name, params) -> None:
    for bad in BAD_INPUTS:
        with pytest.raises(TypeError) as err:
            call(name, bad, **params)
        assert name in str(err.value), (name, repr(bad), str(err.value))


@pytest.mark.parametrize("name", SOFTMAX_NAMES)
def test_softmax_family_type_errors(name) -> None:
    for bad in BAD_INPUTS:
        with pytest.raises(TypeError, match=name):
            call(name, bad)


def _value_error(fn_names: list[str], x, match: str, **params) -> None:
    for name in fn_names:
        with pytest.raises(ValueError, match=match):
            call(name, x, **params)


BAD_PARAMS = [
    (["gelu", "gelu_grad"], {"approximate": "erf"}, "approximate"),
    (["gelu", "gelu_grad"], {"approximate": "Tanh"}, "approximate"),
    (["gelu", "gelu_grad"], {"approximate": None}, "approximate"),
    (["softplus", "softplus_grad"], {"beta": 0.0}, "beta"),
    (["softplus", "softplus_grad"], {"beta": -1.0}, "beta"),
    (["softplus", "softplus_grad"], {"beta": NAN}, "beta"),
    (["softplus", "softplus_grad"], {"beta": INF}, "beta"),
    (["softplus", "softplus_grad"], {"threshold": NAN}, "threshold"),
    (["swish", "swish_grad"], {"beta": -0.5}, "beta"),
    (["swish", "swish_grad"], {"beta": NAN}, "beta"),
    (["swish", "swish_grad"], {"beta": INF}, "beta"),
    (["elu", "elu_grad"], {"alpha": -1.0}, "alpha"),
    (["elu", "elu_grad"], {"alpha": NAN}, "alpha"),
    (["elu", "elu_grad"], {"alpha": INF}, "alpha"),
    (["leaky_relu", "leaky_relu_grad"], {"negative_slope": NAN}, "negative_slope"),
    (["leaky_relu", "leaky_relu_grad"], {"negative_slope": -INF}, "negative_slope"),
    (["prelu", "prelu_grad", "prelu_weight_grad"], {"weight": NAN}, "weight"),
    (["prelu", "prelu_grad", "prelu_weight_grad"], {"weight": INF}, "weight"),
]


@pytest.mark.parametrize(("names", "params", "match"), BAD_PARAMS, ids=lambda v: str(v))
def test_bad_parameters_raise_value_error(names, params, match) -> None:
    _value_error(names, np.array([0.5, -1.0]), match, **params)


def test_allowed_edge_parameters() -> None:
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(F.elu(x, alpha=0.0), [0.0, 3.0])
    np.testing.assert_array_equal(F.leaky_relu(x, negative_slope=-0.5), [1.0, 3.0])
    np.testing.assert_array_equal(F.leaky_relu(x, negative_slope=2.0), [-4.0, 3.0])
    np.testing.assert_array_equal(F.swish(x, beta=0.0), [-1.0, 1.5])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_axis_out_of_range(name) -> None:
    x = np.ones((2, 3))
    for axis in (2, -3, 5):
        with pytest.raises(ValueError, match="axis"):
            call(name, x, axis=axis)
    with pytest.raises(ValueError, match="axis"):
        call(name, np.ones(4), axis=1)


def test_softmax_jacobian_of_0d_raises() -> None:
    with pytest.raises(ValueError):
        F.softmax_jacobian(np.array(1.0))
    with pytest.raises(ValueError):
        F.softmax_jacobian(2.0)


def test_prelu_weight_shape_errors() -> None:
    x = np.ones((2, 3, 4))
    for w in (np.ones(4), np.ones(2), np.ones((3, 1)), np.ones((1, 3, 1))):
        _value_error(["prelu", "prelu_grad", "prelu_weight_grad"], x, "weight", weight=w)
    _value_error(["prelu", "prelu_grad"], np.ones(5), "weight", weight=np.ones(5))


# ---------------------------------------------------------------------------- prelu


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prelu_per_channel_on_nch(dtype) -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 5)).astype(dtype)
    w = np.array([0.1, -0.2, 1.5])
    wb = w[None, :, None]
    y = F.prelu(x, w)
    assert y.dtype == dtype and y.shape == x.shape
    want = np.where(x > 0, x, (wb * x).astype(dtype))
    np.testing.assert_allclose(y, want, rtol=np.finfo(dtype).eps)
    np.testing.assert_allclose(F.prelu_grad(x, w), np.where(x > 0, 1.0, wb + 0 * x))
    np.testing.assert_array_equal(F.prelu_weight_grad(x, w), np.minimum(x, 0))
    assert F.prelu_weight_grad(x, w).shape == x.shape
    # (N, C) input and a list weight; scalar weight on any shape
    x2 = rng.normal(size=(4, 3))
    np.testing.assert_allclose(F.prelu(x2, list(w)), np.where(x2 > 0, x2, w * x2))
    np.testing.assert_array_equal(F.prelu(x, 0.25), F.leaky_relu(x, 0.25))


# -------------------------------------------------------------------------- softmax


@pytest.mark.parametrize(
    ("x", "want", "want_log"),
    [
        ([-INF, 0.0, 0.0], [0.0, 0.5, 0.5], [-INF, -LOG2, -LOG2]),
        ([-INF, -INF], [NAN, NAN], [NAN, NAN]),
        ([INF, 0.0], [1.0, 0.0], [0.0, -INF]),
        ([INF, INF, 0.0, -INF], [0.5, 0.5, 0.0, 0.0], [-LOG2, -LOG2, -INF, -INF]),
        ([INF, -INF], [1.0, 0.0], [0.0, -INF]),
        ([NAN, 0.0, 1.0], [NAN, NAN, NAN], [NAN, NAN, NAN]),
        ([NAN, INF], [NAN, NAN], [NAN, NAN]),
        ([NAN, -INF], [NAN, NAN], [NAN, NAN]),
        ([1e308, -1e308], [1.0, 0.0], [0.0, -INF]),  # log p = -2e308 overflows to -inf
        ([FMAX, FMAX], [0.5, 0.5], [-LOG2, -LOG2]),
        ([-FMAX, -FMAX], [0.5, 0.5], [-LOG2, -LOG2]),
        ([1000.0, 0.0], [1.0, 0.0], [0.0, -1000.0]),
        ([-1000.0, -1000.0], [0.5, 0.5], [-LOG2, -LOG2]),
        ([5.0], [1.0], [0.0]),
        ([-INF], [NAN], [NAN]),
    ],
)
def test_softmax_special_slices(x, want, want_log) -> None:
    x = np.array(x)
    np.testing.assert_array_equal(F.softmax(x), want)
    np.testing.assert_allclose(F.log_softmax(x), want_log, rtol=1e-15)
    jac = F.softmax_jacobian(x)
    s = np.array(want)
    np.testing.assert_allclose(jac, np.diag(s) - np.outer(s, s), atol=1e-300)


def test_softmax_special_rows_do_not_leak_into_other_rows() -> None:
    x = np.array([[NAN, 1.0], [-INF, -INF], [INF, 2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(F.softmax(x)[3], [0.5, 0.5])
    np.testing.assert_array_equal(F.softmax(x.T, axis=0)[:, 3], [0.5, 0.5])
    np.testing.assert_array_equal(F.log_softmax(x)[2], [0.0, -INF])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softmax_extremes_per_dtype(dtype) -> None:
    fi = np.finfo(dtype)
    x = np.array([[fi.max, -fi.max, 0.0], [fi.tiny, fi.smallest_subnormal, -fi.max]], dtype=dtype)
    for name in SOFTMAX_NAMES:
        y = call(name, x)
        assert y.dtype == dtype
        assert not np.isnan(y).any(), (name, y)
    np.testing.assert_array_equal(F.softmax(x)[0], np.array([1, 0, 0], dtype=dtype))


def test_softmax_axes_shapes_dtypes() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, 4))
    for axis in (0, 1, 2, -1, -2, -3):
        s = F.softmax(x, axis=axis)
        assert s.shape == x.shape
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        np.testing.assert_allclose(s, e / e.sum(axis=axis, keepdims=True), rtol=1e-14)
        ls = F.log_softmax(x, axis=axis)
        np.testing.assert_allclose(ls, np.log(e / e.sum(axis=axis, keepdims=True)), rtol=1e-13)
    assert F.softmax([1, 2, 3]).dtype == np.float64
    assert F.softmax(np.array([1, 2], dtype=np.int32)).dtype == np.float64
    assert F.softmax(np.array([True, False])).dtype == np.float64
    for dtype in (np.float16, np.float32):
        assert F.softmax(x.astype(dtype)).dtype == dtype
        assert F.log_softmax(x.astype(dtype)).dtype == dtype
        assert F.softmax_jacobian(x.astype(dtype)).dtype == dtype
    assert F.softmax_jacobian(x).shape == (2, 3, 4, 4)
    assert F.softmax_jacobian(np.ones(3)).shape == (3, 3)
    for shape in [(0,), (2, 0), (0, 3)]:
        assert F.softmax(np.zeros(shape)).shape == shape
        assert F.log_softmax(np.zeros(shape)).shape == shape
    assert F.softmax_jacobian(np.zeros((0, 3))).shape == (0, 3, 3)
    assert F.softmax_jacobian(np.zeros((2, 0))).shape == (2, 0, 0)
