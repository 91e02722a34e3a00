"""Self-checking exercises, one module of questions per chapter.

``from actlib.exercises import sigmoid as ex`` then ``ex.q1.check(answer)``,
``ex.q1.hint()`` and ``ex.q1.solution()``.
"""

from actlib.exercises.checker import (
    Case,
    ChoiceQuestion,
    CodeQuestion,
    FunctionQuestion,
    Note,
    NumericQuestion,
    Question,
    Result,
    case,
)

__all__ = [
    "Case",
    "ChoiceQuestion",
    "CodeQuestion",
    "FunctionQuestion",
    "Note",
    "NumericQuestion",
    "Question",
    "Result",
    "case",
]
