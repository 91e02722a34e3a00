"""Shared helpers for the exercise tests: strict checking, spoilers, question discovery.

``test_exercise_contract.py`` runs the generic checks on every question of every chapter
module; the chapter test files import ``strict_check``, ``assert_incorrect`` and
``spoilers`` from here for their own, chapter-specific tests.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import warnings
from types import ModuleType
from typing import Any

import numpy as np

import actlib.exercises
from actlib.exercises import CodeQuestion, NumericQuestion, Question, Result

STATUSES = {"correct", "incorrect", "not_attempted"}


def strict_check(question: Question, answer: Any) -> Result:
    """check() with every warning turned into an error: nothing may leak to the caller."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = question.check(answer)
    assert isinstance(result, Result)
    assert result.status in STATUSES
    assert isinstance(result.message, str) and result.message
    return result


def assert_correct(question: Question, answer: Any) -> Result:
    """The answer is judged correct, without a warning."""
    result = strict_check(question, answer)
    assert result.status == "correct", result.message
    assert bool(result) is True
    return result


def assert_incorrect(question: Question, answer: Any, *fragments: str) -> Result:
    """The answer is judged incorrect, with every fragment in the message and no traceback."""
    result = strict_check(question, answer)
    assert result.status == "incorrect", result.message
    assert not result
    for fragment in fragments:
        assert fragment in result.message, (fragment, result.message)
    assert "Traceback" not in result.message
    return result


# ----------------------------------------------------------------------------- hostile answers


class RaisingArray:
    """An answer (or output) that NumPy cannot convert: its ``__array__`` raises."""

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise RuntimeError("boom from __array__")


class RaisingEq:
    """An answer (or output) whose comparison raises."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("boom from __eq__")

    __hash__ = object.__hash__


def raising(exc: BaseException):
    """A learner's function that raises ``exc`` whatever its arguments."""

    def f(*args: Any) -> Any:
        raise exc

    return f


# ----------------------------------------------------------------------------- discovery


def question_modules() -> list[ModuleType]:
    """Every chapter module of actlib.exercises (all but the checker and private modules)."""
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(actlib.exercises.__path__)
        if info.name != "checker" and not info.name.startswith("_")
    )
    return [importlib.import_module(f"actlib.exercises.{name}") for name in names]


def questions_of(module: ModuleType) -> list[Question]:
    """The questions q1, q2, ... of a chapter module, in order."""
    found = [
        (int(name[1:]), value)
        for name, value in vars(module).items()
        if name[:1] == "q" and name[1:].isdigit() and isinstance(value, Question)
    ]
    return [q for _, q in sorted(found, key=lambda pair: pair[0])]


def all_questions() -> list[tuple[str, Question]]:
    """(id, question) for every question of every chapter, e.g. ('sigmoid.q3', q3)."""
    return [
        (f"{m.__name__.rsplit('.', 1)[1]}.{q.name}", q)
        for m in question_modules()
        for q in questions_of(m)
    ]


def right_answer(question: Question) -> Any:
    """An answer the question must accept: the reference function, value(s) or letter."""
    if isinstance(question, CodeQuestion):
        return question.reference
    if isinstance(question, NumericQuestion):
        values = tuple(float(v) for v in question.expected)
        return values[0] if len(values) == 1 else values
    return question.answer  # ChoiceQuestion's letter; other question types expose one too


# ----------------------------------------------------------------------------- spoilers


def _truths(question: Question) -> list[float]:
    if isinstance(question, NumericQuestion):
        return question.expected.tolist()
    truth = getattr(question, "_truth", None)
    if truth is None:
        return []
    return [v for c in question.cases for v in np.ravel(truth(c)).tolist()]


def spoilers(question: Question) -> set[str]:
    """Texts of the expected values that a message must never contain.

    Only values that are not also (to 1e-6) inputs of the question's cases, which messages
    show, and only texts with 3+ significant digits ("0.5" or "1.0" also occur in prose).
    """
    args = [a for c in getattr(question, "cases", ()) for a in getattr(c, "args", c)]
    inputs = {
        abs(float(v)) for a in args for v in np.ravel(a) if np.asarray(v).dtype.kind in "biuf"
    }
    texts: set[str] = set()
    for v in _truths(question):
        if np.isfinite(v) and not any(math.isclose(abs(v), i, rel_tol=1e-6) for i in inputs):
            texts |= {repr(v), f"{v:.6g}", f"{v:.4g}", f"{v:.3g}"}
            if abs(v) <= float(np.finfo(np.float32).max):
                texts.add(str(np.float32(v)))
    return {t for t in texts if len(t.split("e")[0].lstrip("-0.").replace(".", "")) >= 3}


def assert_reveals_nothing(question: Question, answer: Any, *texts: str) -> Result:
    """A wrong answer's message shows neither an expected value nor any of ``texts``."""
    result = strict_check(question, answer)
    assert result.status != "correct", answer
    for spoiler in spoilers(question) | set(texts):
        assert spoiler not in result.message, (spoiler, result.message)
    return result
