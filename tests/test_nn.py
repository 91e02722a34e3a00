"""Tests of actlib.nn: datasets, initialisers, backprop, optimisers, training history, plotting."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from actlib import nn, registry

ELEMENTWISE = registry.names(elementwise=True)


# ----------------------------------------------------------------------------- helpers


def numerical_gradients(model: nn.MLP, X, y, h: float = 1e-6) -> dict[str, np.ndarray]:
    """Central finite differences of model.loss for every parameter entry."""
    grads = {}
    for name, p in model.parameters().items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = model.loss(X, y)
            p[idx] = old - h
            down = model.loss(X, y)
            p[idx] = old
            g[idx] = (up - down) / (2 * h)
        grads[name] = g
    return grads


def assert_gradients_match(model: nn.MLP, X, y, rtol: float = 1e-5, atol: float = 1e-8) -> None:
    analytic = model.backward(model.forward(X), y)
    numeric = numerical_gradients(model, X, y)
    assert analytic.keys() == numeric.keys() == model.parameters().keys()
    for name in numeric:
        assert analytic[name].shape == model.parameters()[name].shape
        np.testing.assert_allclose(
            analytic[name], numeric[name], rtol=rtol, atol=atol, err_msg=name
        )


def points_away_from_kinks(model: nn.MLP, n: int, seed: int, margin: float = 1e-3):
    """Random inputs whose hidden pre-activations all keep |z| > margin (kinks sit at z = 0)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4 * n, model.sizes[0]))
    pre = model.forward(X).pre[:-1]
    keep = np.all([np.abs(z).min(axis=1) > margin for z in pre], axis=0)
    assert keep.sum() >= n, "could not draw enough points away from the kinks"
    return X[keep][:n]


# ----------------------------------------------------------------------------- datasets


@pytest.mark.parametrize(
    ("make", "classes"),
    [(nn.xor, 2), (nn.circles, 2), (nn.moons, 2), (nn.spirals, 3)],
)
@pytest.mark.parametrize("n", [4, 9, 200, 301])
def test_dataset_shapes_dtypes_balance(make, classes, n):
    X, y = make(n=n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=classes)
    assert len(counts) == classes
    assert counts.max() - counts.min() <= (1 if make is not nn.xor else 1 + n % 4)
    assert np.isfinite(X).all()


@pytest.mark.parametrize("make", [nn.xor, nn.circles, nn.moons, nn.spirals])
def test_datasets_are_seeded(make):
    X1, y1 = make(seed=3)
    X2, y2 = make(seed=3)
    X3, _ = make(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


def test_xor_without_noise_is_the_truth_table():
    X, y = nn.xor(n=4, noise=0.0)
    table = {tuple(x): label for x, label in zip(X, y, strict=True)}
    assert table == {(-1.0, -1.0): 0, (-1.0, 1.0): 1, (1.0, -1.0): 1, (1.0, 1.0): 0}
    X, y = nn.xor(n=400, noise=0.1)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_circles_geometry():
    X, y = nn.circles(n=100, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_moons_are_centred_and_spirals_in_unit_disc():
    X, _ = nn.moons(n=1000, noise=0.0)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=0.05)
    X, y = nn.spirals(n=500, classes=5, noise=0.0)
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-12
    assert set(np.unique(y)) == set(range(5))
    gaps = np.hypot(*(X[:, None, :] - X[None, :, :]).transpose(2, 0, 1))
    assert gaps[y[:, None] != y[None, :]].min() > 1e-3  # arms never share a point


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nn.xor(n=3), "n must be an integer >= 4"),
        (lambda: nn.moons(n=10.5), "n must be an integer"),
        (lambda: nn.circles(noise=-0.1), "noise must be"),
        (lambda: nn.circles(factor=1.5), "factor must be in"),
        (lambda: nn.spirals(classes=1), "classes must be an integer >= 2"),
        (lambda: nn.spirals(n=2, classes=3), "n must be an integer >= 3"),
    ],
)
def test_dataset_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_train_test_split():
    X, y = nn.spirals(n=100)
    X_tr, X_te, y_tr, y_te = nn.train_test_split(X, y, test_fraction=0.2, seed=1)
    assert (len(X_tr), len(X_te), len(y_tr), len(y_te)) == (80, 20, 80, 20)
    together = np.concatenate([X_tr, X_te])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))
    # rows stay paired with their labels
    lookup = {tuple(x): label for x, label in zip(X, y, strict=True)}
    assert all(lookup[tuple(x)] == label for x, label in zip(X_te, y_te, strict=True))
    again = nn.train_test_split(X, y, test_fraction=0.2, seed=1)
    np.testing.assert_array_equal(again[1], X_te)
    assert not np.array_equal(nn.train_test_split(X, y, 0.2, seed=2)[1], X_te)
    with pytest.raises(ValueError, match="test_fraction"):
        nn.train_test_split(X, y, test_fraction=1.0)
    with pytest.raises(ValueError, match="different lengths"):
        nn.train_test_split(X, y[:-1])


# ----------------------------------------------------------------------------- initialisers


@pytest.mark.parametrize(
    ("name", "std"),
    [
        ("xavier", np.sqrt(2 / (400 + 600))),
        ("xavier_normal", np.sqrt(2 / (400 + 600))),
        ("he", np.sqrt(2 / 400)),
        ("lecun", np.sqrt(1 / 400)),
    ],
)
def test_initialiser_statistics(name, std):
    W = nn.INITIALISERS[name](400, 600, np.random.default_rng(0))
    assert W.shape == (400, 600) and W.dtype == np.float64
    assert abs(W.mean()) < 0.01 * std * 10
    assert W.std() == pytest.approx(std, rel=0.01)


def test_xavier_uniform_bounds():
    W = nn.xavier(30, 20, np.random.default_rng(0))
    limit = np.sqrt(6 / 50)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.95 * limit


def test_init_is_selected_by_name_or_callable():
    he = nn.MLP([50, 40, 2], init="he", seed=1).weights[0]
    lecun = nn.MLP([50, 40, 2], init="lecun", seed=1).weights[0]
    np.testing.assert_allclose(he, np.sqrt(2) * lecun)  # same draws, different scale
    ones = nn.MLP([3, 4, 2], init=lambda i, o, rng: np.ones((i, o)))
    assert all((W == 1).all() for W in ones.weights)


# ----------------------------------------------------------------------------- the model


def test_model_shapes_and_parameters():
    model = nn.MLP([2, 5, 4, 3], activation="tanh", bias_init=0.5)
    params = model.parameters()
    assert list(params) == ["W0", "b0", "W1", "b1", "W2", "b2"]
    assert [params[f"W{l}"].shape for l in range(3)] == [(2, 5), (5, 4), (4, 3)]
    assert all((params[f"b{l}"] == 0.5).all() for l in range(3))
    assert params["W1"] is model.weights[1]  # live arrays
    cache = model.forward(np.zeros((7, 2)))
    assert [z.shape for z in cache.pre] == [(7, 5), (7, 4), (7, 3)]
    assert [a.shape for a in cache.post] == [(7, 5), (7, 4)]
    np.testing.assert_allclose(cache.post[0], np.tanh(cache.pre[0]))
    assert repr(model) == "MLP(2-5-4-3, activation='tanh', output='softmax')"


@pytest.mark.parametrize("activation", ELEMENTWISE)
def test_backprop_matches_finite_differences_for_every_activation(activation):
    model = nn.MLP([3, 5, 4, 3], activation=activation, init="xavier", bias_init=0.1, seed=2)
    X = points_away_from_kinks(model, n=6, seed=3)
    y = np.array([0, 1, 2, 2, 1, 0])
    assert_gradients_match(model, X, y)


@pytest.mark.parametrize(
    ("activation", "params"),
    [
        ("leaky_relu", {"negative_slope": 0.3}),
        ("elu", {"alpha": 0.5}),
        ("gelu", {"approximate": "tanh"}),
        ("swish", {"beta": 2.0}),
        ("softplus", {"beta": 3.0, "threshold": 1.0}),
    ],
)
def test_backprop_with_activation_params(activation, params):
    model = nn.MLP([2, 4, 2], activation=activation, activation_params=params, seed=5)
    X = points_away_from_kinks(model, n=5, seed=1)
    assert_gradients_match(model, X, np.array([0, 1, 1, 0, 1]))
    z = model.forward(X).pre[0]
    act = registry.get(activation)
    np.testing.assert_allclose(model.forward(X).post[0], act(z, **params))
    assert not np.allclose(model.forward(X).post[0], act(z))  # the override is used


@pytest.mark.parametrize(
    ("output", "sizes", "targets"),
    [
        ("softmax", [3, 4, 3], np.array([2, 0, 1, 1, 0])),
        ("sigmoid", [3, 4, 1], np.array([1, 0, 1, 1, 0])),
        ("linear", [3, 4, 2], np.random.default_rng(9).normal(size=(5, 2))),
        ("linear", [3, 4, 1], np.random.default_rng(9).normal(size=5)),
    ],
)
def test_backprop_for_each_output(output, sizes, targets):
    model = nn.MLP(sizes, activation="tanh", output=output, seed=4)
    X = np.random.default_rng(8).normal(size=(5, 3))
    assert_gradients_match(model, X, targets)


def test_losses_have_their_textbook_values():
    X = np.random.default_rng(0).normal(size=(6, 2))
    soft = nn.MLP([2, 3, 3], activation="tanh")
    y = np.array([0, 1, 2, 0, 1, 2])
    z = soft.forward(X).logits
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert soft.loss(X, y) == pytest.approx(-np.mean(np.log(p[np.arange(6), y])), rel=1e-12)
    binary = nn.MLP([2, 3, 1], activation="tanh", output="sigmoid")
    t = np.array([0, 1, 1, 0, 1, 0])
    s = 1 / (1 + np.exp(-binary.forward(X).logits[:, 0]))
    expected = -np.mean(t * np.log(s) + (1 - t) * np.log(1 - s))
    assert binary.loss(X, t) == pytest.approx(expected, rel=1e-12)
    linear = nn.MLP([2, 3, 2], activation="tanh", output="linear")
    target = np.ones((6, 2))
    expected = np.mean((linear.forward(X).logits - 1) ** 2)
    assert linear.loss(X, target) == pytest.approx(expected, rel=1e-12)


def test_losses_are_stable_for_huge_logits():
    model = nn.MLP([1, 2], activation="relu", init=lambda i, o, rng: np.array([[1e4, -1e4]]))
    X = np.array([[1.0], [-1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.loss(X, np.array([0, 0])) == pytest.approx(1e4)  # one confident mistake
        grads = model.backward(model.forward(X), np.array([0, 1]))
    assert model.loss(X, np.array([0, 1])) == 0.0
    assert np.isfinite(grads["W0"]).all()
    binary = nn.MLP([1, 1], output="sigmoid", init=lambda i, o, rng: np.array([[800.0]]))
    assert binary.loss(X, np.array([0, 0])) == pytest.approx(400.0)


def test_prelu_slopes_are_learnable_parameters():
    model = nn.MLP([2, 4, 3, 2], activation="prelu", seed=1)
    assert list(model.parameters())[-2:] == ["slope0", "slope1"]
    assert [a.tolist() for a in model.slopes] == [[0.25] * 4, [0.25] * 3]
    custom = nn.MLP([2, 4, 2], activation="prelu", activation_params={"weight": 0.1})
    assert custom.slopes[0].tolist() == [0.1] * 4
    for a in model.slopes:  # distinct slopes per unit, so a mix-up of units would show
        a[:] = np.linspace(-0.3, 0.6, len(a))
    X = points_away_from_kinks(model, n=6, seed=0)
    assert_gradients_match(model, X, np.array([0, 1, 0, 1, 1, 0]))


def test_prelu_slopes_train_and_are_recorded():
    X, y = nn.spirals(n=150)
    model = nn.MLP([2, 8, 8, 3], activation="prelu", seed=0)
    history = nn.train(model, X, y, epochs=30)
    assert [s.shape for s in history.slopes] == [(30, 8), (30, 8)]
    np.testing.assert_array_equal(history.slopes[1][-1], model.slopes[1])
    assert not np.allclose(model.slopes[0], 0.25)
    assert not np.allclose(history.slopes[0][0], history.slopes[0][-1])
    assert nn.train(nn.MLP([2, 8, 3]), X, y, epochs=3).slopes == []


def test_predict_and_probabilities():
    X, y = nn.moons(n=60)
    soft = nn.MLP([2, 6, 2], seed=3)
    proba = soft.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(soft.predict(X), proba.argmax(axis=1))
    assert soft.predict(X).dtype == np.int64
    assert soft.accuracy(X, y) == np.mean(soft.predict(X) == y)
    binary = nn.MLP([2, 6, 1], output="sigmoid", seed=3)
    proba = binary.predict_proba(X)
    assert proba.shape == (60, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(binary.predict(X), (proba[:, 1] > 0.5).astype(int))
    linear = nn.MLP([2, 6, 1], output="linear")
    assert linear.predict(X).shape == (60,)
    with pytest.raises(ValueError, match="classification output"):
        linear.predict_proba(X)
    with pytest.raises(ValueError, match="classification output"):
        linear.accuracy(X, y)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "swishy"}, "unknown activation 'swishy'"),
        ({"activation": "softmax"}, "must be elementwise"),
        ({"init": "glorious"}, "unknown init 'glorious'"),
        ({"output": "tanh"}, "unknown output 'tanh'"),
        ({"activation": "elu", "activation_params": {"beta": 1.0}}, r"unknown parameter.*beta"),
        ({"activation": "gelu", "activation_params": {"approximate": "exact"}}, "approximate"),
        ({"sizes": [2]}, "at least two positive integers"),
        ({"sizes": [2, 0, 3]}, "at least two positive integers"),
        ({"sizes": [2, 3, 1]}, "softmax output needs at least 2 units"),
        ({"sizes": [2, 3, 2], "output": "sigmoid"}, "sigmoid output needs exactly 1 unit"),
    ],
)
def test_model_bad_arguments(kwargs, message):
    kwargs = {"sizes": [2, 3, 2], **kwargs}
    with pytest.raises(ValueError, match=message):
        nn.MLP(**kwargs)


def test_data_bad_arguments():
    model = nn.MLP([2, 3, 3])
    X, y = np.zeros((4, 2)), np.array([0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(4, 3\)"):
        model.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="X must have shape"):
        model.predict(np.zeros(2))
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.2, got values in 0\.\.3"):
        model.loss(X, np.array([0, 1, 3, 0]))
    with pytest.raises(ValueError, match="labels must be in"):
        nn.train(model, X, np.array([0, -1, 2, 0]), epochs=1)
    with pytest.raises(ValueError, match="labels must be integers"):
        model.loss(X, y + 0.5)
    with pytest.raises(ValueError, match=r"labels must have shape \(4,\)"):
        model.loss(X, y[:3])
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.1"):
        nn.MLP([2, 3, 1], output="sigmoid").loss(X, y)
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        nn.train(model, X, y, optimizer="rmsprop")
    with pytest.raises(ValueError, match="lr must be > 0"):
        nn.train(model, X, y, lr=-1.0)
    with pytest.raises(ValueError, match="epochs must be"):
        nn.train(model, X, y, epochs=-1)
    with pytest.raises(ValueError, match="batch_size must be"):
        nn.train(model, X, y, batch_size=0)
    with pytest.raises(ValueError, match="both X_test and y_test"):
        nn.train(model, X, y, X_test=X)
    with pytest.raises(ValueError, match="momentum must be"):
        nn.SGD(momentum=1.0)


# ----------------------------------------------------------------------------- optimisers


def test_sgd_momentum_steps():
    p = {"W0": np.array([1.0, 2.0])}
    g = {"W0": np.array([0.5, -1.0])}
    opt = nn.SGD(lr=0.1, momentum=0.9)
    opt.step(p, g)
    np.testing.assert_allclose(p["W0"], [1.0 - 0.05, 2.0 + 0.1])
    opt.step(p, g)  # velocity 1.9 g
    np.testing.assert_allclose(p["W0"], [1.0 - 0.05 - 0.095, 2.0 + 0.1 + 0.19])


def test_adam_steps():
    p = {"W0": np.array([1.0, 2.0, 3.0])}
    g = {"W0": np.array([0.5, -1e-3, 0.0])}
    opt = nn.Adam(lr=0.01)
    opt.step(p, g)  # bias-corrected first step: lr * sign(g)
    np.testing.assert_allclose(p["W0"], [0.99, 2.01, 3.0], rtol=1e-6)
    first = p["W0"].copy()
    g2 = {"W0": np.array([-0.5, -1e-3, 0.0])}
    opt.step(p, g2)
    m = 0.9 * 0.1 * g["W0"] + 0.1 * g2["W0"]
    v = 0.999 * 0.001 * g["W0"] ** 2 + 0.001 * g2["W0"] ** 2
    step = 0.01 * (m / (1 - 0.9**2)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(p["W0"], first - step, rtol=1e-12)


@pytest.mark.parametrize("optimizer", [nn.SGD, nn.Adam])
def test_weight_decay_touches_weights_only_unless_asked(optimizer):
    def params():
        return {"W0": np.ones(2), "b0": np.ones(2), "slope0": np.ones(2)}

    zero = {name: np.zeros(2) for name in params()}
    p = params()
    optimizer(lr=0.1, weight_decay=0.5).step(p, zero)
    assert (p["W0"] < 1).all() and (p["b0"] == 1).all() and (p["slope0"] == 1).all()
    p = params()
    optimizer(lr=0.1, weight_decay=0.5, decay_slopes=True).step(p, zero)
    assert (p["slope0"] < 1).all() and (p["b0"] == 1).all()
    p = params()
    optimizer(lr=0.1).step(p, zero)
    assert all((a == 1).all() for a in p.values())


@pytest.mark.parametrize(
    ("optimizer", "lr"), [("adam", 0.01), ("sgd", 0.5), (nn.SGD(lr=0.1, momentum=0.9), None)]
)
def test_optimizers_decrease_the_loss(optimizer, lr):
    X, y = nn.moons(n=200)
    model = nn.MLP([2, 16, 2], activation="tanh", init="xavier", seed=0)
    start = model.loss(X, y)
    history = nn.train(model, X, y, optimizer=optimizer, lr=lr, epochs=100)
    assert history.loss[-1] < 0.6 * start
    assert history.loss[-1] == pytest.approx(model.loss(X, y))
    assert np.mean(np.diff(history.loss) < 0) > 0.8  # momentum may overshoot now and then
    assert history.train_accuracy[-1] > 0.85


def test_train_rejects_lr_alongside_an_optimizer_object():
    X, y = nn.xor(n=8)
    with pytest.raises(ValueError, match="pass lr to the optimizer"):
        nn.train(nn.MLP([2, 3, 2]), X, y, optimizer=nn.Adam(), lr=0.1)


# ----------------------------------------------------------------------------- training


def test_xor_is_solved_by_four_tanh_units():
    X, y = nn.xor(n=200, noise=0.1)
    model = nn.MLP([2, 4, 2], activation="tanh", init="xavier", seed=0)
    history = nn.train(model, X, y, lr=0.05, epochs=300)
    assert history.train_accuracy[-1] == 1.0
    assert model.accuracy(X, y) == 1.0
    X_new, y_new = nn.xor(n=100, seed=1)
    assert model.accuracy(X_new, y_new) == 1.0


def test_linear_model_without_hidden_layer_cannot_solve_xor():
    X, y = nn.xor(n=200, noise=0.1)
    history = nn.train(nn.MLP([2, 2]), X, y, lr=0.05, epochs=300)
    assert history.train_accuracy.max() <= 0.75


def test_history_shapes_and_contents():
    X, y = nn.spirals(n=200)
    X_tr, X_te, y_tr, y_te = nn.train_test_split(X, y)
    model = nn.MLP([2, 10, 8, 3], activation="elu")
    h = nn.train(model, X_tr, y_tr, epochs=25, X_test=X_te, y_test=y_te)
    assert h.epochs == 25 and not h.diverged
    assert h.loss.shape == h.train_accuracy.shape == h.time.shape == (25,)
    assert h.grad_norms.shape == (25, 3)
    assert h.dead_fraction.shape == h.activation_mean.shape == h.activation_var.shape == (25, 2)
    assert h.test_accuracy.shape == h.test_loss.shape == (25,)
    assert h.test_accuracy[-1] == model.accuracy(X_te, y_te)
    assert h.test_loss[-1] == pytest.approx(model.loss(X_te, y_te))
    assert (np.diff(h.time) >= 0).all() and h.time[0] >= 0
    np.testing.assert_allclose(h.grad_norms[-1], nn.gradient_norms(model, X_tr, y_tr))
    post = model.forward(X_tr).post
    np.testing.assert_allclose(h.activation_mean[-1], [a.mean() for a in post])
    np.testing.assert_allclose(h.activation_var[-1], [a.var() for a in post])
    assert (h.dead_fraction == 0).all()  # ELU units never die
    without_test = nn.train(nn.MLP([2, 4, 3]), X_tr, y_tr, epochs=2)
    assert without_test.test_accuracy is None and without_test.test_loss is None


def test_training_is_deterministic():
    X, y = nn.circles(n=120)

    def run(model_seed: int, train_seed: int):
        model = nn.MLP([2, 8, 8, 2], activation="gelu", seed=model_seed)
        history = nn.train(model, X, y, epochs=15, batch_size=32, seed=train_seed)
        return model, history

    (m1, h1), (m2, h2) = run(0, 0), run(0, 0)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    np.testing.assert_array_equal(h1.grad_norms, h2.grad_norms)
    for a, b in zip(m1.weights, m2.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(run(0, 1)[1].loss, h1.loss)  # batch order follows the seed
    assert not np.array_equal(run(1, 0)[1].loss, h1.loss)  # init follows the model seed


def test_minibatch_training_takes_several_steps_per_epoch():
    X, y = nn.moons(n=200)
    full = nn.train(nn.MLP([2, 8, 2], seed=0), X, y, epochs=5)
    mini = nn.train(nn.MLP([2, 8, 2], seed=0), X, y, epochs=5, batch_size=20)
    assert mini.loss[-1] < full.loss[-1]  # ten times as many updates
    same = nn.train(nn.MLP([2, 8, 2], seed=0), X, y, epochs=5, batch_size=500)
    np.testing.assert_array_equal(same.loss, full.loss)


def test_zero_epochs_gives_an_empty_history():
    X, y = nn.xor(n=8)
    h = nn.train(nn.MLP([2, 3, 2]), X, y, epochs=0)
    assert h.epochs == 0 and h.grad_norms.shape == (0, 2) and h.dead_fraction.shape == (0, 1)


# ----------------------------------------------------------------------------- dead units


def test_dead_fraction_counts_units_silent_on_every_example():
    X, y = nn.moons(n=100)
    model = nn.MLP([2, 10, 10, 2], activation="relu", seed=0)
    model.biases[0][:4] = -100.0  # four first-layer units can never fire
    h = nn.train(model, X, y, optimizer="sgd", lr=1e-9, epochs=1)
    assert h.dead_fraction[0, 0] == 0.4
    model.biases[0][:] = -100.0  # with nothing coming in, layer 2 sees only its biases
    model.biases[1][:] = -1.0
    h = nn.train(model, X, y, optimizer="sgd", lr=1e-9, epochs=1)
    assert h.dead_fraction[0].tolist() == [1.0, 1.0]


def test_negative_bias_init_kills_relu_units_but_not_leaky_ones():
    X, y = nn.spirals(n=300)
    healthy = nn.train(nn.MLP([2, 32, 32, 3], seed=0), X, y, epochs=5)
    killed = nn.train(nn.MLP([2, 32, 32, 3], bias_init=-2.0, seed=0), X, y, epochs=5)
    leaky = nn.MLP([2, 32, 32, 3], activation="leaky_relu", bias_init=-2.0, seed=0)
    assert healthy.dead_fraction[0, 0] < 0.1
    assert killed.dead_fraction[0, 0] > 0.5
    assert (nn.train(leaky, X, y, epochs=5).dead_fraction == 0).all()


def test_huge_learning_rate_kills_relu_units():
    X, y = nn.spirals(n=300)
    model = nn.MLP([2, 32, 32, 3], activation="relu", seed=0)
    cache = model.forward(X)
    model.backward(cache, y)  # fills cache.derivatives with relu'(z)
    before = [np.mean(np.all(d == 0, axis=0)) for d in cache.derivatives]
    h = nn.train(model, X, y, optimizer="sgd", lr=50.0, epochs=20)
    assert max(before) < 0.25
    assert h.dead_fraction[-1].min() > 0.9
    assert not h.diverged


# ----------------------------------------------------------------------------- warnings, divergence


def test_divergence_stops_training_without_warnings():
    X, y = nn.spirals(n=100)
    model = nn.MLP([2, 16, 16, 1], activation="elu", output="linear", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = nn.train(model, X, y.astype(float), optimizer="sgd", lr=10.0, epochs=50)
    assert h.diverged
    assert 0 < h.epochs < 50
    assert np.isfinite(h.loss).all() and h.loss[-1] > 1e100
    assert h.grad_norms.shape == (h.epochs, 3)


def test_no_runtime_warning_from_a_diverged_model():
    X, y = nn.moons(n=50)
    model = nn.MLP([2, 8, 2], activation="sigmoid")
    model.weights[0][:] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not np.isfinite(model.loss(X, y))
        model.predict(X)
        nn.gradient_norms(model, X, y)
        assert nn.train(model, X, y, epochs=3).diverged


# ----------------------------------------------------------------------------- gradient norms


def test_deep_sigmoid_network_has_vanishing_gradients():
    X, y = nn.spirals(n=300)
    deep = nn.MLP([2, *[32] * 20, 3], activation="sigmoid", init="xavier", seed=0)
    norms = nn.gradient_norms(deep, X, y)
    assert norms.shape == (21,)
    assert norms[0] < 1e-4 * norms[-1]
    assert np.mean(np.diff(np.log(norms)) > 0) > 0.8  # mostly growing toward the output
    relu = nn.MLP([2, *[32] * 20, 3], activation="relu", init="he", seed=0)
    relu_norms = nn.gradient_norms(relu, X, y)
    assert relu_norms[0] > 1e-2 * relu_norms[-1]


def test_gradient_norms_are_the_frobenius_norms_of_dW():
    X, y = nn.xor(n=20)
    model = nn.MLP([2, 5, 2])
    grads = model.backward(model.forward(X), y)
    expected = [np.sqrt((grads[f"W{l}"] ** 2).sum()) for l in range(2)]
    np.testing.assert_allclose(nn.gradient_norms(model, X, y), expected)


# ----------------------------------------------------------------------------- plotting


def test_importing_nn_does_not_import_matplotlib():
    code = "import sys, actlib.nn; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_plot_decision_boundary():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    X, y = nn.spirals(n=90)
    model = nn.MLP([2, 8, 3], seed=0)
    fig, ax = plt.subplots()
    try:
        assert nn.plot_decision_boundary(model, X, y, ax=ax, resolution=50) is ax
        assert ax.get_xlabel() and ax.get_ylabel()
        colours = [to_hex(c.get_facecolor()[0]) for c in ax.collections if c.get_offsets().size]
        assert colours[-3:] == [c.lower() for c in nn.OKABE_ITO[:3]]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "class 0",
            "class 1",
            "class 2",
        ]
        ax2 = nn.plot_decision_boundary(nn.MLP([2, 4, 1], output="sigmoid"), *nn.moons(n=30))
        assert ax2 is not ax and ax2.get_xlabel() == "$x_1$"
        plt.close(ax2.figure)
        with pytest.raises(ValueError, match="classifier with 2 inputs"):
            nn.plot_decision_boundary(nn.MLP([2, 3, 1], output="linear"), X, y, ax=ax)
    finally:
        plt.close(fig)


def test_training_runs_with_one_blas_thread_and_restores_it():
    from threadpoolctl import threadpool_info

    seen = []
    model = nn.MLP([2, 4, 2], activation="tanh", seed=0)
    original = model.forward.__wrapped__

    def spy(self, X):
        seen.append([i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"])
        return original(self, X)

    model.forward = spy.__get__(model)
    nn.train(model, *nn.xor(n=20), epochs=2)
    assert seen and all(threads == [1] * len(threads) for threads in seen)
    assert nn._BLAS_LIMITED is False
