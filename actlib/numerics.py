"""Show a textbook formula failing: run it and record its floating-point warnings quietly.

The chapters' "Compute it safely" sections print what a naive formula returns *and* the
warnings it raised, without letting a warning escape to the page:

>>> import numpy as np
>>> from actlib.numerics import caught
>>> y, messages = caught(lambda x: 1 / (1 + np.exp(-x)), -800.0)
>>> messages
['RuntimeWarning: overflow encountered in exp']
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

__all__ = ["Caught", "caught", "warning_kinds"]


class Caught(NamedTuple):
    """What ``f`` returned, and its warnings as ``"Category: message"``, each once, in order."""

    value: Any
    messages: list[str]

    @property
    def kinds(self) -> str:
        """The warnings' first words, e.g. ``"overflow, invalid"``, or ``"-"`` for none."""
        return warning_kinds(self.messages)


def caught(f: Callable[..., Any], *args: Any, **kwargs: Any) -> Caught:
    """Call ``f(*args, **kwargs)`` recording every warning instead of printing it."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        value = f(*args, **kwargs)
    messages = [f"{w.category.__name__}: {w.message}" for w in log]
    return Caught(value, list(dict.fromkeys(messages)))


def warning_kinds(messages: Iterable[str]) -> str:
    """``"overflow, invalid"`` from ``["RuntimeWarning: overflow encountered in exp", ...]``."""
    words = (m.split(": ", 1)[-1].split()[0] for m in messages)
    return ", ".join(dict.fromkeys(words)) or "-"
