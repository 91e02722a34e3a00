"""Tests of actlib.lab: the training lab that compares every hidden activation."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlib import lab, registry

QUICK = {"epochs": 20, "n": 120}  # a small configuration for tests that only need a run


@pytest.fixture(scope="module")
def default():
    """The lab's default run (the chapter's configuration)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return lab.run_lab()


# ----------------------------------------------------------------------------- configuration


def test_run_lab_defaults_are_the_lab_config():
    signature = inspect.signature(lab.run_lab).parameters
    config = lab.LabConfig()
    for name in ("dataset", "n", "noise", "epochs", "lr", "seed", "data_seed", "init"):
        assert signature[name].default == getattr(config, name), name
    assert tuple(signature["hidden"].default) == config.hidden
    assert signature["batch_size"].default == config.batch_size
    assert signature["keys"].default is None


def test_default_keys_are_the_hidden_activations():
    assert set(lab.DEFAULT_KEYS) <= set(registry.names(elementwise=True))
    assert "log_sigmoid" not in lab.DEFAULT_KEYS
    assert "swish" not in lab.DEFAULT_KEYS  # swish(beta=1) is silu
    assert len(set(lab.DEFAULT_KEYS)) == len(lab.DEFAULT_KEYS) == 11


def test_paired_initialisers():
    config = lab.LabConfig()
    assert config.init_for("sigmoid") == config.init_for("tanh") == "xavier"
    assert config.init_for("selu") == "lecun"
    for key in ("relu", "leaky_relu", "prelu", "elu", "gelu", "silu", "softplus", "mish"):
        assert config.init_for(key) == "he"
    assert lab.LabConfig(init="xavier").init_for("selu") == "xavier"


# ----------------------------------------------------------------------------- the default run


def test_default_run_has_every_default_key(default):
    assert default.keys == lab.DEFAULT_KEYS
    assert tuple(default.runs) == lab.DEFAULT_KEYS
    for key, run in default.runs.items():
        assert run.key == key
        assert run.name == registry.get(key).name
        assert run.init == default.config.init_for(key)
        assert run.model.sizes == [2, 32, 32, 3]
        assert run.model.act.key == key
        assert run.history.epochs == 150
        assert not run.history.diverged


def test_default_data_split(default):
    assert default.X_train.shape == (338, 2) and default.X_test.shape == (112, 2)
    assert len(default.y_train) == 338 and len(default.y_test) == 112
    assert set(np.unique(default.y_test)) == {0, 1, 2}


def test_table_columns_and_values(default):
    rows = default.table()
    assert [row["key"] for row in rows] == list(lab.DEFAULT_KEYS)
    for row, run in zip(rows, default.runs.values(), strict=True):
        assert list(row) == list(lab.COLUMNS)
        assert row["test_accuracy"] == run.history.test_accuracy[-1]
        assert row["train_accuracy"] == run.history.train_accuracy[-1]
        assert row["train_loss"] == run.history.loss[-1]
        assert 0 <= row["dead_fraction"] <= 1
        assert row["seconds_per_epoch"] > 0
        # test accuracy is a whole number of the 112 test points
        assert row["test_accuracy"] * 112 == pytest.approx(round(row["test_accuracy"] * 112))


def test_dead_fraction_counts_all_hidden_units(default):
    relu = default.runs["relu"]
    per_layer = relu.history.dead_fraction[-1]
    assert relu.dead_fraction == pytest.approx(per_layer.mean())  # equal widths
    assert relu.dead_units == round(per_layer @ [32, 32])
    final = relu.model.forward(default.X_train).post
    assert relu.dead_units == sum(int(np.all(a == 0, axis=0).sum()) for a in final)


def test_epochs_to(default):
    run = default.runs["relu"]
    reached = run.epochs_to(0.9)
    assert run.history.train_accuracy[reached - 1] >= 0.9
    assert np.all(run.history.train_accuracy[: reached - 1] < 0.9)
    assert run.epochs_to(1.01) is None
    assert default.runs["sigmoid"].epochs_to(0.9) is None


def test_sorting_and_ranking(default):
    by_acc = default.table(sort_by="test_accuracy")
    accs = [row["test_accuracy"] for row in by_acc]
    assert accs == sorted(accs, reverse=True)
    by_epochs = default.table(sort_by="epochs_to_90")
    assert by_epochs[-1]["epochs_to_90"] is None  # never reached: last
    values = [row["epochs_to_90"] for row in by_epochs if row["epochs_to_90"] is not None]
    assert values == sorted(values)
    assert default.ranking()[-1] == "sigmoid"
    assert default.ranking() == tuple(row["key"] for row in by_acc)
    with pytest.raises(ValueError, match="unknown column"):
        default.table(sort_by="speed")


def test_format_table_is_rounded_and_deterministic(default):
    text = default.format_table()
    lines = text.splitlines()
    assert len(lines) == 2 + len(lab.DEFAULT_KEYS)
    assert lines[0].split()[:2] == ["key", "init"]
    assert max(len(line) for line in lines) <= 72  # fits a book page without scrolling
    assert "ms/epoch" not in text  # machine-dependent column only on request
    assert "never" in lines[2]  # the sigmoid row: 90% never reached
    assert "ms/epoch" in default.format_table(columns=["name", "seconds_per_epoch"])
    with pytest.raises(ValueError, match="unknown or no columns"):
        default.format_table(columns=["name", "colour"])
    with pytest.raises(ValueError, match="unknown or no columns"):
        default.format_table(columns=[])


def test_html_table(default):
    page = default.html_table(sort_by="test_accuracy")
    assert page.startswith("<table") and page.endswith("</table>")
    assert page.count("<tr>") == 1 + len(lab.DEFAULT_KEYS)
    assert "<td>tanh</td>" in page
    assert "Hyperbolic tangent (tanh)" in default.html_table(columns=["name", "test_accuracy"])


# ----------------------------------------------------------------------------- determinism


def test_same_seed_same_results():
    keys = ["relu", "tanh", "prelu"]
    first = lab.run_lab(keys, **QUICK)
    second = lab.run_lab(keys, **QUICK)
    for key in keys:
        a, b = first.runs[key].history, second.runs[key].history
        np.testing.assert_array_equal(a.loss, b.loss)
        np.testing.assert_array_equal(a.test_accuracy, b.test_accuracy)
        np.testing.assert_array_equal(a.dead_fraction, b.dead_fraction)
    assert first.format_table() == second.format_table()


def test_seed_changes_the_initialisation_not_the_data():
    a = lab.run_lab(["relu"], seed=0, **QUICK)
    b = lab.run_lab(["relu"], seed=1, **QUICK)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.runs["relu"].history.loss, b.runs["relu"].history.loss)
    c = lab.run_lab(["relu"], data_seed=1, **QUICK)
    assert not np.array_equal(a.X_test, c.X_test)


def test_every_elementwise_activation_runs():
    keys = registry.names(elementwise=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = lab.run_lab(keys, epochs=3, n=60)
    assert result.keys == keys
    for run in result.runs.values():
        assert run.history.epochs == 3
        assert np.isfinite(run.train_loss)


def test_params_init_dataset_and_batches():
    result = lab.run_lab(
        ["swish", "elu"],
        params={"swish": {"beta": 2.0}},
        init="xavier",
        dataset="moons",
        batch_size=32,
        **QUICK,
    )
    assert result.runs["swish"].model.params == {"beta": 2.0}
    assert {run.init for run in result.runs.values()} == {"xavier"}
    assert result.runs["elu"].model.sizes[-1] == 2  # two classes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"keys": ["softmax"]}, "not an elementwise activation"),
        ({"keys": ["relu", "swishy"]}, "not an elementwise activation"),
        ({"keys": []}, "empty"),
        ({"keys": "relu"}, "not the string"),
        ({"keys": ["relu", "tanh", "relu"]}, "repeated: relu"),
        ({"keys": ["relu"], "params": {"elu": {"alpha": 2.0}}}, "not in keys: elu"),
        ({"keys": ["relu"], "dataset": "mnist"}, "unknown dataset"),
        ({"keys": ["elu"], "params": {"elu": {"beta": 2.0}}}, "unknown parameter"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lab.run_lab(**kwargs, epochs=1)


# ----------------------------------------------------------------------------- dead_fraction


def test_dead_fraction_function():
    a = np.array([[0.0, 1.0, 0.0, -0.5], [0.0, 0.0, 0.0, -0.1]])
    assert lab.dead_fraction(a) == 0.5  # columns 0 and 2; negative outputs are alive
    assert lab.dead_fraction(np.zeros((3, 4))) == 1.0
    assert lab.dead_fraction(np.ones((3, 4))) == 0.0
    for bad in (np.zeros(3), np.zeros((0, 3)), np.zeros((2, 2, 2))):
        with pytest.raises(ValueError, match="non-empty"):
            lab.dead_fraction(bad)


# ----------------------------------------------------------------------------- snapshots, plots


def test_last_snapshot_is_the_lab_network():
    result = lab.run_lab(["gelu"], **QUICK)
    snaps = lab.snapshots("gelu", at=(5, 12, 20), n=QUICK["n"])
    assert [epochs for epochs, _ in snaps] == [5, 12, 20]
    final = snaps[-1][1].parameters()
    for name, value in result.runs["gelu"].model.parameters().items():
        np.testing.assert_array_equal(final[name], value)
    assert not np.array_equal(snaps[0][1].weights[0], snaps[1][1].weights[0])  # copies


@pytest.mark.parametrize(
    ("at", "settings", "message"),
    [
        ((), {}, "increasing"),
        ((10, 5), {}, "increasing"),
        ((5, 5), {}, "increasing"),
        ((-1, 5), {}, "increasing"),
        ((5,), {"epochs": 3}, "unknown setting"),
    ],
)
def test_snapshots_bad_arguments(at, settings, message):
    with pytest.raises(ValueError, match=message):
        lab.snapshots("relu", at=at, **settings)


def test_plot_snapshots():
    fig = lab.plot_snapshots(["relu", "tanh"], at=(1, 2), resolution=20, n=60)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 4
    assert fig.axes[0].get_title() == "ReLU, epoch 1"
    assert all(ax.get_legend() is None for ax in fig.axes)


def test_explorer_refreshes_on_change():
    panel = lab.explorer(keys=["relu", "tanh"], max_epochs=30)
    dropdown, epochs, _seed, status, image = panel.children
    assert dropdown.value == "relu" and image.value[:4] == b"\x89PNG"
    before = image.value
    epochs.value = 20
    assert image.value != before
    assert "test accuracy" in status.value and "of 64" in status.value
    assert epochs.max == 30 and epochs.value == 20
