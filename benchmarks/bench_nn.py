"""Time actlib.nn training: a 2-32-32-3 MLP, 1,000 spiral points, 500 full-batch Adam steps.

Run with ``python benchmarks/bench_nn.py [activation ...]``. Target: about 2 s per run.
Each figure is the best of ``REPEATS`` runs (the least disturbed by other processes).
The matrices are tiny, so multithreaded BLAS gains nothing; on a busy machine its threads
spin-wait and can make a run several times slower. For stable figures run with
``OPENBLAS_NUM_THREADS=1`` (the header line shows the setting).
"""

from __future__ import annotations

import os
import sys
import time

from actlib import nn

STEPS = 500
REPEATS = 3
DEFAULT_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "prelu", "elu", "gelu", "mish")


def best_time(activation: str) -> tuple[float, float, float]:
    """Best wall and CPU times of REPEATS training runs, and the final training accuracy."""
    X, y = nn.spirals(n=1000, classes=3, seed=0)
    walls, cpus = [], []
    for _ in range(REPEATS):
        model = nn.MLP([2, 32, 32, 3], activation=activation, seed=0)
        wall, cpu = time.perf_counter(), time.process_time()
        history = nn.train(model, X, y, optimizer="adam", lr=0.01, epochs=STEPS)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), float(history.train_accuracy[-1])


def main(activations: tuple[str, ...]) -> None:
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"2-32-32-3 MLP, 1000 spiral points, {STEPS} full-batch Adam steps, best of {REPEATS}")
    print(f"OPENBLAS_NUM_THREADS={threads}, load average {os.getloadavg()[0]:.1f}")
    print(f"{'activation':<12} {'s/run':>7} {'ms/step':>8} {'cpu s':>7} {'train acc':>10}")
    for name in activations:
        wall, cpu, accuracy = best_time(name)
        print(f"{name:<12} {wall:7.3f} {1e3 * wall / STEPS:8.3f} {cpu:7.3f} {accuracy:10.3f}")


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or DEFAULT_ACTIVATIONS)
