"""The training lab: every hidden activation trains the same small network on the same data.

>>> from actlib import lab
>>> result = lab.run_lab()                 # the course's configuration (see LabConfig)
>>> print(result.format_table())           # test accuracy, dead units, convergence speed
>>> result.runs["relu"].history.loss       # per-epoch measurements (an actlib.nn.History)

Everything except the activation is held fixed: the data and its train/test split
(``data_seed``), the architecture (``hidden``), the optimiser (full-batch Adam with one learning
rate), the number of epochs and the seed of the weight initialisation. Each activation gets the
initialiser it is normally paired with (:data:`PAIRED_INIT`: Xavier for sigmoid and tanh, LeCun
for SELU, He for the ReLU family and its smooth relatives), or one common initialiser if
``init`` is given. The defaults of :func:`run_lab` are the lab chapter's configuration, so other
chapters that call ``run_lab()`` get the same numbers.

Everything a run reports is deterministic for fixed seeds except ``seconds_per_epoch``, which
is a wall-clock measurement and depends on the machine and its load.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from actlib import nn, registry

__all__ = [
    "COLUMNS",
    "DATASETS",
    "DEFAULT_KEYS",
    "PAIRED_INIT",
    "TABLE_COLUMNS",
    "LabConfig",
    "LabResult",
    "Run",
    "dead_fraction",
    "explorer",
    "plot_snapshots",
    "run_lab",
    "snapshots",
]

#: The activations the lab compares by default, in course order. Left out: ``swish`` (at its
#: default beta = 1 it is ``silu``) and ``log_sigmoid`` (a log-probability, not a hidden unit).
DEFAULT_KEYS: tuple[str, ...] = (
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "selu",
    "gelu",
    "silu",
    "softplus",
    "mish",
)

#: The initialiser each activation is usually paired with; anything not listed gets "he".
PAIRED_INIT: Mapping[str, str] = {"sigmoid": "xavier", "tanh": "xavier", "selu": "lecun"}

#: Toy datasets of :mod:`actlib.nn` the lab can use (all have 2 input features).
DATASETS: Mapping[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "spirals": nn.spirals,
    "moons": nn.moons,
    "circles": nn.circles,
    "xor": nn.xor,
}

#: Columns of :meth:`LabResult.table`, in order, with their meaning.
COLUMNS: Mapping[str, str] = {
    "key": "registry key of the hidden activation",
    "name": "its display name",
    "init": "weight initialiser used",
    "train_loss": "training loss (cross-entropy) after the last epoch",
    "train_accuracy": "training accuracy after the last epoch",
    "test_accuracy": "accuracy on the held-out test set after the last epoch",
    "epochs_to_90": "first epoch with training accuracy >= 0.9 (None if never)",
    "dead_fraction": "fraction of hidden units with zero slope on every training example",
    "seconds_per_epoch": "wall-clock seconds per epoch (machine dependent)",
}


@dataclass(frozen=True)
class LabConfig:
    """Everything that is held fixed across the activations of one lab run."""

    dataset: str = "spirals"
    n: int = 450
    noise: float = 0.2
    test_fraction: float = 0.25
    data_seed: int = 0
    hidden: tuple[int, ...] = (32, 32)
    init: str | None = None  # None: each activation's PAIRED_INIT
    optimizer: str = "adam"
    lr: float = 0.01
    epochs: int = 150
    batch_size: int | None = None  # None: full batch, one step per epoch
    seed: int = 0  # weight initialisation (and mini-batch order)

    def init_for(self, key: str) -> str:
        """The initialiser the lab uses for activation ``key``."""
        return self.init if self.init is not None else PAIRED_INIT.get(key, "he")


@dataclass
class Run:
    """One activation's result: its trained model, its history and summary numbers."""

    key: str
    name: str
    init: str
    model: nn.MLP
    history: nn.History

    @property
    def train_loss(self) -> float:
        return float(self.history.loss[-1]) if self.history.epochs else float("nan")

    @property
    def train_accuracy(self) -> float:
        return _last(self.history.train_accuracy)

    @property
    def test_accuracy(self) -> float:
        return _last(self.history.test_accuracy)

    @property
    def dead_fraction(self) -> float:
        """Fraction of all hidden units that are dead (f' = 0 on every example) at the end."""
        if not self.history.epochs:
            return float("nan")
        widths = np.array(self.model.sizes[1:-1], dtype=np.float64)
        return float(self.history.dead_fraction[-1] @ widths / widths.sum())

    @property
    def dead_units(self) -> int:
        """Number of dead hidden units at the end (all hidden layers together)."""
        if not self.history.epochs:
            return 0
        widths = np.array(self.model.sizes[1:-1], dtype=np.float64)
        return round(float(self.history.dead_fraction[-1] @ widths))

    @property
    def seconds_per_epoch(self) -> float:
        """Wall-clock training time divided by the number of epochs (machine dependent)."""
        if not self.history.epochs:
            return float("nan")
        return float(self.history.time[-1]) / self.history.epochs

    def epochs_to(self, accuracy: float) -> int | None:
        """The first epoch (1-based) whose training accuracy is at least ``accuracy``."""
        reached = np.flatnonzero(self.history.train_accuracy >= accuracy)
        return int(reached[0]) + 1 if reached.size else None

    def row(self) -> dict[str, object]:
        """This run as a row of :meth:`LabResult.table` (keys: :data:`COLUMNS`)."""
        return {
            "key": self.key,
            "name": self.name,
            "init": self.init,
            "train_loss": self.train_loss,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "epochs_to_90": self.epochs_to(0.9),
            "dead_fraction": self.dead_fraction,
            "seconds_per_epoch": self.seconds_per_epoch,
        }


def _last(values: np.ndarray | None) -> float:
    return float(values[-1]) if values is not None and len(values) else float("nan")


_HEADINGS = {
    "key": "key",
    "name": "activation",
    "init": "init",
    "train_loss": "train loss",
    "train_accuracy": "train acc",
    "test_accuracy": "test acc",
    "epochs_to_90": "epochs to 90%",
    "dead_fraction": "dead units",
    "seconds_per_epoch": "ms/epoch",
}
#: Default columns of the printed tables: deterministic, and narrow enough for a book page.
TABLE_COLUMNS: tuple[str, ...] = (
    "key",
    "init",
    "train_loss",
    "test_accuracy",
    "epochs_to_90",
    "dead_fraction",
)


def _cell(column: str, value: object) -> str:
    """A table cell, rounded so that last-bit noise cannot change it."""
    if value is None:
        return "never"
    if column == "train_loss":
        return f"{value:.3f}"
    if column in ("train_accuracy", "test_accuracy", "dead_fraction"):
        return f"{100 * value:.1f}%"
    if column == "seconds_per_epoch":
        return f"{1000 * value:.2f}"
    return str(value)


@dataclass
class LabResult:
    """The outcome of :func:`run_lab`: one :class:`Run` per activation, plus the shared data."""

    config: LabConfig
    runs: dict[str, Run]
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    keys: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = tuple(self.runs)

    def table(self, sort_by: str | None = None) -> list[dict[str, object]]:
        """One row (a dict keyed by :data:`COLUMNS`) per activation, in run order or sorted.

        ``sort_by`` is a column name; accuracies sort best first, everything else ascending
        (``epochs_to_90`` of None sorts last).
        """
        rows = [run.row() for run in self.runs.values()]
        if sort_by is None:
            return rows
        if sort_by not in COLUMNS:
            raise ValueError(f"unknown column {sort_by!r}; choose one of {', '.join(COLUMNS)}")
        descending = sort_by in ("train_accuracy", "test_accuracy")

        def order(row: dict[str, object]) -> tuple[bool, object]:
            value = row[sort_by]
            if value is None:
                return (True, 0)
            if isinstance(value, str):
                return (False, value)
            return (False, -value if descending else value)

        return sorted(rows, key=order)

    def ranking(self, metric: str = "test_accuracy") -> tuple[str, ...]:
        """Activation keys, best first by ``metric`` (ties keep the run order)."""
        return tuple(row["key"] for row in self.table(sort_by=metric))

    def format_table(
        self, columns: Sequence[str] = TABLE_COLUMNS, sort_by: str | None = None
    ) -> str:
        """A plain-text table, rounded for reproducible printing.

        The default columns (:data:`TABLE_COLUMNS`) are deterministic; ``columns`` picks others
        from :data:`COLUMNS`. Add ``"seconds_per_epoch"`` (shown in milliseconds) only where
        machine-dependent output is acceptable.
        """
        _check_columns(columns)
        rows = [[_cell(c, row[c]) for c in columns] for row in self.table(sort_by)]
        heads = [_HEADINGS[c] for c in columns]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

        def line(cells: Sequence[str]) -> str:
            left = ("name", "key", "init")
            return "  ".join(
                s.ljust(w) if c in left else s.rjust(w)
                for c, s, w in zip(columns, cells, widths, strict=True)
            ).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(heads), rule, *(line(r) for r in rows)])

    def html_table(self, columns: Sequence[str] = TABLE_COLUMNS, sort_by: str | None = None) -> str:
        """The same table as HTML (for ``IPython.display.HTML``)."""
        _check_columns(columns)
        head = "".join(f"<th>{html.escape(_HEADINGS[c])}</th>" for c in columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(c, row[c]))}</td>" for c in columns) + "</tr>"
            for row in self.table(sort_by)
        )
        return (
            '<table class="actlib-lab-table">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def _check_columns(columns: Sequence[str]) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or not columns:
        raise ValueError(f"unknown or no columns {unknown}; choose from {', '.join(COLUMNS)}")


def _check_keys(keys: Sequence[str] | None) -> tuple[str, ...]:
    if keys is None:
        return DEFAULT_KEYS
    if isinstance(keys, str):
        raise ValueError(f"keys must be a sequence of activation keys, not the string {keys!r}")
    keys = tuple(keys)
    if not keys:
        raise ValueError("keys is empty: give at least one activation key")
    hidden = registry.names(elementwise=True)
    for key in keys:
        if key not in hidden:
            raise ValueError(
                f"{key!r} is not an elementwise activation; choose from {', '.join(hidden)}"
            )
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"each activation may appear once; repeated: {', '.join(repeated)}")
    return keys


def dead_fraction(activations: np.ndarray) -> float:
    """Fraction of units (columns) whose output is exactly 0 on every example (row)."""
    a = np.asarray(activations)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"activations must be a non-empty (examples, units) array, got {a.shape}")
    return float(np.mean(np.all(a == 0, axis=0)))


def _data(config: LabConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The configuration's dataset, split into ``X_train, X_test, y_train, y_test``."""
    X, y = DATASETS[config.dataset](n=config.n, noise=config.noise, seed=config.data_seed)
    return nn.train_test_split(X, y, test_fraction=config.test_fraction, seed=config.data_seed)


def _sizes(config: LabConfig, *labels: np.ndarray) -> list[int]:
    classes = max(int(y.max()) for y in labels) + 1
    return [2, *config.hidden, classes]


def run_lab(
    keys: Sequence[str] | None = None,
    dataset: str = "spirals",
    n: int = 450,
    noise: float = 0.2,
    hidden: Sequence[int] = (32, 32),
    epochs: int = 150,
    lr: float = 0.01,
    seed: int = 0,
    data_seed: int = 0,
    init: str | None = None,
    batch_size: int | None = None,
    params: Mapping[str, Mapping[str, float | str]] | None = None,
) -> LabResult:
    """Train one MLP per activation on the same data with the same budget; see the module doc.

    ``keys`` are registry keys of elementwise activations (default :data:`DEFAULT_KEYS`);
    ``params`` maps a key to parameter overrides, e.g. ``{"swish": {"beta": 2.0}}``. The
    network is ``[2, *hidden, classes]`` with a softmax output; training is Adam with learning
    rate ``lr`` for ``epochs`` epochs (full batch unless ``batch_size`` is given).
    """
    keys = _check_keys(keys)
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
    stray = set(params or {}) - set(keys)
    if stray:
        raise ValueError(f"params given for activations not in keys: {', '.join(sorted(stray))}")
    config = LabConfig(
        dataset=dataset,
        n=n,
        noise=noise,
        data_seed=data_seed,
        hidden=tuple(hidden),
        init=init,
        lr=lr,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
    )
    X_train, X_test, y_train, y_test = _data(config)
    sizes = _sizes(config, y_train, y_test)
    runs = {}
    for key in keys:
        model = nn.MLP(
            sizes,
            key,
            activation_params=dict((params or {}).get(key, {})),
            init=config.init_for(key),
            seed=seed,
        )
        history = nn.train(
            model,
            X_train,
            y_train,
            optimizer=config.optimizer,
            lr=lr,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            X_test=X_test,
            y_test=y_test,
        )
        runs[key] = Run(key, registry.get(key).name, config.init_for(key), model, history)
    return LabResult(config, runs, X_train, X_test, y_train, y_test)


def snapshots(
    key: str, at: Sequence[int] = (10, 30, 75, 150), **settings: object
) -> list[tuple[int, nn.MLP]]:
    """Copies of one activation's network after each number of epochs in ``at``.

    ``settings`` are :func:`run_lab`'s keyword arguments except ``keys`` and ``epochs``. The
    optimiser's state carries over between the checkpoints, so the last snapshot is the
    network that ``run_lab(epochs=at[-1], ...)`` trains (with full-batch training).
    """
    (key,) = _check_keys([key])
    at = [int(a) for a in at]
    if not at or any(a < 0 for a in at) or at != sorted(set(at)):
        raise ValueError(f"at must be increasing epoch counts >= 0, got {at}")
    unknown = set(settings) - _SETTINGS
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; allowed: {sorted(_SETTINGS)}")
    params = dict(settings.pop("params", None) or {})  # type: ignore[call-overload]
    config = LabConfig(**{k: tuple(v) if k == "hidden" else v for k, v in settings.items()})
    X_train, _, y_train, y_test = _data(config)
    model = nn.MLP(
        _sizes(config, y_train, y_test),
        key,
        activation_params=dict(params.get(key, {})),
        init=config.init_for(key),
        seed=config.seed,
    )
    optimizer = nn.Adam(lr=config.lr) if config.optimizer == "adam" else nn.SGD(lr=config.lr)
    done, out = 0, []
    for epochs in at:
        nn.train(
            model,
            X_train,
            y_train,
            optimizer=optimizer,
            epochs=epochs - done,
            batch_size=config.batch_size,
            seed=config.seed + done,
        )
        done = epochs
        out.append((epochs, copy.deepcopy(model)))
    return out


_SETTINGS = {
    "dataset",
    "n",
    "noise",
    "hidden",
    "lr",
    "seed",
    "data_seed",
    "init",
    "batch_size",
    "params",
}


def plot_snapshots(
    keys: Sequence[str], at: Sequence[int] = (10, 30, 75, 150), resolution: int = 80, **settings
):
    """A grid of decision regions: one row per activation, one column per epoch count.

    Returns the matplotlib Figure (styled like :mod:`actlib.plotting`).
    """
    from actlib.plotting import new_figure

    keys = _check_keys(keys)
    config = LabConfig(**{k: v for k, v in settings.items() if k in ("dataset", "n", "noise")})
    X_train, _, y_train, _ = _data(config)
    fig = new_figure(len(at), figsize=(2.2 * len(at), 2.2 * len(keys) + 0.3))
    fig.clear()
    axes = fig.subplots(len(keys), len(at), squeeze=False, sharex=True, sharey=True)
    for row, key in zip(axes, keys, strict=True):
        for ax, (epochs, model) in zip(row, snapshots(key, at, **settings), strict=True):
            nn.plot_decision_boundary(model, X_train, y_train, ax=ax, resolution=resolution)
            ax.get_legend().remove()
            ax.set_title(f"{registry.get(key).name}, epoch {epochs}", fontsize="small")
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.set_xticks([])
            ax.set_yticks([])
    return fig


def explorer(keys: Sequence[str] = DEFAULT_KEYS, max_epochs: int = 300):
    """A live ipywidgets panel: pick an activation, epochs and seed; see its decision regions.

    Each change retrains the lab's network (a fraction of a second) and redraws the regions
    and the loss curve. Needs a running kernel (Jupyter, Binder).
    """
    import ipywidgets as widgets

    from actlib.explore import figure_png
    from actlib.plotting import new_figure

    keys = _check_keys(keys)
    style = {"description_width": "initial"}
    controls = {
        "key": widgets.Dropdown(
            options=[(registry.get(k).name, k) for k in keys],
            value=keys[0],
            description="activation",
            style=style,
        ),
        "epochs": widgets.IntSlider(
            value=min(LabConfig().epochs, max_epochs),
            min=10,
            max=max_epochs,
            step=10,
            description="epochs",
            continuous_update=False,
            style=style,
        ),
        "seed": widgets.IntSlider(
            value=0, min=0, max=9, description="seed", continuous_update=False, style=style
        ),
    }
    image = widgets.Image(format="png")
    status = widgets.HTML()

    def refresh(_change: object = None) -> None:
        key, epochs, seed = (controls[c].value for c in ("key", "epochs", "seed"))
        result = run_lab([key], epochs=epochs, seed=seed)
        run = result.runs[key]
        fig = new_figure(2, figsize=(8.0, 3.6))
        ax_regions, ax_loss = fig.axes
        nn.plot_decision_boundary(run.model, result.X_train, result.y_train, ax=ax_regions)
        ax_loss.semilogy(np.arange(1, epochs + 1), run.history.loss)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("training loss (log scale)")
        image.value = figure_png(fig)
        status.value = (
            f"test accuracy {100 * run.test_accuracy:.1f}%, "
            f"dead units {run.dead_units} of {sum(result.config.hidden)}"
        )

    for control in controls.values():
        control.observe(refresh, names="value")
    refresh()
    return widgets.VBox([*controls.values(), status, image])
