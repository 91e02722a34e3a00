"""The contract every exercise question keeps, checked on every question of every chapter.

A chapter module of actlib.exercises defines questions q1, q2, ...; this file finds them all
and checks what holds for any question: the right answer passes, placeholders are "not
attempted", hostile answers never crash the checker nor leak a warning, hints progress and
run out, a code solution shows code that passes, wrong answers do not reveal the expected
values, and results render as text and HTML. The chapter test files test what is specific
to their questions (typical mistakes and their messages, numeric facts).
"""

from __future__ import annotations

import copy
import html
import inspect
import math
import subprocess
import sys

import numpy as np
import pytest
import scipy.special
from exercise_contract import (
    RaisingArray,
    RaisingEq,
    all_questions,
    assert_correct,
    assert_incorrect,
    assert_reveals_nothing,
    question_modules,
    questions_of,
    raising,
    right_answer,
    spoilers,
    strict_check,
)

from actlib.exercises import ChoiceQuestion, CodeQuestion, FunctionQuestion, Note, NumericQuestion

QUESTIONS = all_questions()
IDS = [name for name, _ in QUESTIONS]


def _select(kind: type) -> pytest.MarkDecorator:
    """Parametrize over the questions of one kind."""
    chosen = [(name, q) for name, q in QUESTIONS if isinstance(q, kind)]
    return pytest.mark.parametrize("question", [q for _, q in chosen], ids=[n for n, _ in chosen])


every_question = pytest.mark.parametrize("question", [q for _, q in QUESTIONS], ids=IDS)


def _has_array_args(question: CodeQuestion) -> bool:
    return any(
        isinstance(a, np.ndarray) and a.ndim > 0
        for c in question.cases
        for a in getattr(c, "args", c)
    )


def _args(c) -> tuple:
    return getattr(c, "args", c)


# ----------------------------------------------------------------------------- discovery


def test_every_chapter_module_is_found_with_its_questions():
    modules = question_modules()
    names = {m.__name__.rsplit(".", 1)[1] for m in modules}
    assert {"sigmoid", "relu", "softmax", "why_nonlinearity", "gradients_init"} <= names
    assert len(modules) >= 15
    for module in modules:
        questions = questions_of(module)
        assert questions, module.__name__
        assert [q.name for q in questions] == [f"q{i}" for i in range(1, len(questions) + 1)]
        assert {q.name for q in questions} <= set(module.__all__), module.__name__


# ----------------------------------------------------------------------------- right answers


@every_question
def test_right_answer_passes(question):
    assert_correct(question, right_answer(question))


def _notebook_namespace(question: CodeQuestion) -> dict:
    """What a learner's notebook may have imported: numpy as np, math, the functions of
    scipy.special and the chapter's public names (not the module's private helpers)."""
    module = sys.modules[question.reference.__module__]
    namespace = {"np": np, "math": math}
    namespace |= {k: v for k, v in vars(scipy.special).items() if not k.startswith("_")}
    return namespace | {k: getattr(module, k) for k in module.__all__}


@_select(CodeQuestion)
def test_solution_shows_the_reference_source_and_that_code_passes(question):
    note = question.solution()
    source = inspect.getsource(question.reference).strip()
    assert source in repr(note) and question.solution_text in repr(note)
    assert "<pre" in note._repr_html_() and html.escape(source) in note._repr_html_()
    exec(source, namespace := _notebook_namespace(question))
    assert namespace[question.func_name] is not question.reference
    assert strict_check(question, namespace[question.func_name]).status == "correct"


@_select(NumericQuestion)
def test_numeric_answers_are_checked_with_a_relative_tolerance(question):
    right = np.asarray(question.expected)
    within = right + 0.5 * (question.rtol * np.abs(right) + question.atol)
    assert strict_check(question, tuple(within)).status == "correct"
    for factor in (1.5, -1.0, 0.5, 10.0):
        wrong = right * factor
        if not np.allclose(wrong, right, rtol=question.rtol, atol=question.atol):
            assert_reveals_nothing(question, tuple(wrong))
            assert_incorrect(question, tuple(wrong))


@_select(ChoiceQuestion)
def test_choice_accepts_spaced_capital_and_bracketed_letters(question):
    for form in (f" {question.answer.upper()} ", f"({question.answer})"):
        assert strict_check(question, form).status == "correct", form
    assert_incorrect(question, "zz", "not an option")


@_select(ChoiceQuestion)
def test_every_wrong_option_gets_its_own_feedback(question):
    wrong = [k for k in question.options if k != question.answer]
    messages = [assert_incorrect(question, k, f"({k})").message for k in wrong]
    assert len(set(messages)) == len(messages)
    assert all(k in question.feedback for k in wrong)


# ----------------------------------------------------------------------------- not attempted


@every_question
@pytest.mark.parametrize("answer", [None, ...], ids=["None", "Ellipsis"])
def test_placeholder_is_not_attempted(question, answer):
    result = strict_check(question, answer)
    assert result.status == "not_attempted", result.message
    assert not result


@_select(ChoiceQuestion)
def test_blank_choice_is_not_attempted(question):
    assert strict_check(question, "  ").status == "not_attempted"


@pytest.mark.parametrize(
    "question",
    [q for _, q in QUESTIONS if isinstance(q, NumericQuestion) and q.expected.size > 1],
    ids=[n for n, q in QUESTIONS if isinstance(q, NumericQuestion) and q.expected.size > 1],
)
def test_partially_filled_tuple_is_not_attempted(question):
    answer = (float(question.expected[0]),) + (...,) * (question.expected.size - 1)
    result = strict_check(question, answer)
    assert result.status == "not_attempted", result.message
    assert ", ".join(question.labels[1:]) in result.message


def _raises_not_implemented(*args):
    raise NotImplementedError


@_select(CodeQuestion)
def test_untouched_template_is_not_attempted(question):
    namespace: dict = {}
    exec(question.template, namespace)
    result = strict_check(question, namespace[question.func_name])
    assert result.status == "not_attempted", result.message
    assert "returned None" in result.message
    raising = strict_check(question, _raises_not_implemented)
    assert raising.status == "not_attempted", raising.message
    assert "NotImplementedError" in raising.message


@_select(CodeQuestion)
def test_code_question_rejects_a_value(question):
    assert_incorrect(question, np.array([0.5, 0.7]), "wants a function", "an ndarray")
    assert_incorrect(question, question.func_name, "wants a function", "a str")


# ----------------------------------------------------------------------------- wrong code


def _mutating(reference):
    def mutating(*args):
        out = reference(*args)
        for a in args:
            if isinstance(a, np.ndarray) and a.ndim > 0:
                a.flat[0] = 0 if a.flat[0] != 0 else 1
        return out

    return mutating


@pytest.mark.parametrize(
    "question",
    [q for _, q in QUESTIONS if isinstance(q, CodeQuestion) and _has_array_args(q)],
    ids=[n for n, q in QUESTIONS if isinstance(q, CodeQuestion) and _has_array_args(q)],
)
def test_mutation_is_caught_and_does_not_corrupt_the_cases(question):
    before = copy.deepcopy([_args(c) for c in question.cases])
    assert_incorrect(question, _mutating(question.reference), "in place")
    for old, c in zip(before, question.cases, strict=True):
        for a, b in zip(old, _args(c), strict=True):
            assert np.array_equal(a, b, equal_nan=True)
    assert strict_check(question, question.reference)


def _scaled(reference):
    def scaled(*args):
        with np.errstate(all="ignore"):
            return reference(*args) * 1.5 + 0.25

    return scaled


@_select(FunctionQuestion)
def test_typical_mistakes_are_incorrect_and_reveal_nothing(question):
    for wrong, _ in question.mistakes:
        result = assert_reveals_nothing(question, wrong)
        assert result.status == "incorrect", result.message
    assert_reveals_nothing(question, _scaled(question.reference))


def test_most_questions_have_values_to_guard():
    """The spoiler texts are not empty: otherwise the tests above would guard nothing."""
    guarded = [
        bool(spoilers(q))
        for _, q in QUESTIONS
        if isinstance(q, (FunctionQuestion, NumericQuestion))
    ]
    assert sum(guarded) >= 0.6 * len(guarded)
    sigmoid = sys.modules["actlib.exercises.sigmoid"]
    assert {"0.2689", "0.268941"} <= spoilers(sigmoid.q3)  # sigmoid(-1), not an input
    assert "9.537e-07" in spoilers(sigmoid.q4)
    assert not spoilers(sigmoid.q1)  # 0.5, 0.75, 0.25: too short to tell from prose


@_select(NumericQuestion)
def test_numeric_mistakes_get_their_message(question):
    for values, message in question.mistakes:
        answer = tuple(values) if values.size > 1 else float(values[0])
        assert_incorrect(question, answer, message)
        assert_reveals_nothing(question, answer)


# ----------------------------------------------------------------------------- hostile input


def _recursive(*args):
    return _recursive(*args)


HOSTILE = {
    "str": "a string",
    "bytes": b"bytes",
    "raising-array": RaisingArray(),
    "raising-eq": RaisingEq(),
    "object": object(),
    "complex": 1j,
    "ragged": [[1.0, 2.0], [3.0]],
    "dict": {"x": 1},
    "empty-list": [],
    "empty-array": np.array([]),
    "array": np.array([1.0, 2.0, 3.0]),
    "nan": float("nan"),
    "raises": raising(RuntimeError("learner bug")),
    "exits": raising(SystemExit(1)),
    "recursion": _recursive,
    "no-args": lambda: 1,
    "returns-raising-array": lambda *a: RaisingArray(),
    "returns-raising-eq": lambda *a: RaisingEq(),
    "returns-str": lambda *a: "nope",
    "returns-object": lambda *a: object(),
    "returns-mixed-list": lambda *a: [1, "two"],
    "returns-str-array": lambda *a: np.array(["a", "b"]),
    "returns-nan-array": lambda *a: np.full(10**3, np.nan),
    "returns-bool": lambda *a: True,
    "returns-first-arg": lambda *a: a[0],
    "returns-second-arg": lambda *a: a[1],
}


@every_question
@pytest.mark.parametrize("answer", list(HOSTILE.values()), ids=list(HOSTILE))
def test_checker_survives_hostile_answers(question, answer):
    assert_incorrect(question, answer)


@_select(CodeQuestion)
def test_learner_text_is_escaped_in_html(question):
    page = strict_check(question, raising(ValueError("<script>alert(1)</script>")))._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


# ----------------------------------------------------------------------------- hints, solutions


@every_question
def test_every_question_has_a_prompt_hints_and_a_solution(question):
    assert 2 <= len(question.hints) <= 3
    assert all(h.strip() for h in question.hints) and len(set(question.hints)) == len(
        question.hints
    )
    assert len(question.solution_text) > 80
    assert question.prompt and repr(question).startswith(f"{question.name}: {question.prompt}")
    solution = question.solution()
    assert isinstance(solution, Note) and solution.kind == "solution"
    assert question.solution_text in repr(solution)


@every_question
def test_hints_progress_then_run_out(question):
    q = copy.copy(question)
    q._next_hint = 1
    total = len(q.hints)
    for n in range(1, total + 1):
        note = q.hint()
        assert isinstance(note, Note) and note.kind == "hint"
        assert f"Hint {n} of {total}" in repr(note)
        assert q.hints[n - 1] in repr(note)
    assert f"{q.name}.solution()" in repr(note)  # the last hint points to the solution
    done = repr(q.hint())
    assert "No more hints" in done and f"{q.name}.solution()" in done
    assert q.hints[0] in repr(q.hint(1))
    for bad in (0, -1, total + 1, "2", True, 1.5):
        assert "No such hint" in repr(q.hint(bad)), bad
    assert f"Hint {total} of {total}" in repr(q.hint(np.int64(total)))


@every_question
def test_a_specific_hint_advances_the_counter(question):
    q = copy.copy(question)
    q._next_hint = 1
    assert "Hint 2 of" in repr(q.hint(2))
    following = repr(q.hint())
    assert ("Hint 3 of 3" in following) if len(q.hints) == 3 else ("No more hints" in following)
    assert "Hint 1 of" in repr(q.hint(1))  # going back does not reset the counter
    assert "Hint 2 of" not in repr(q.hint())


# ----------------------------------------------------------------------------- rendering

_LOOK = {
    "correct": ("✓", "Correct", "#009E73"),
    "incorrect": ("✗", "Incorrect", "#D55E00"),
    "not_attempted": ("○", "Not attempted", "#999999"),
}


@every_question
def test_results_render_as_text_and_html(question):
    for answer, status in ((right_answer(question), "correct"), ("a string", "incorrect"),
                           (None, "not_attempted")):  # fmt: skip
        result = strict_check(question, answer)
        assert result.status == status
        icon, word, colour = _LOOK[status]
        assert repr(result) == str(result) == f"{icon} {word} ({question.name}): {result.message}"
        page = result._repr_html_()
        assert page.startswith("<div") and page.endswith("</div>")
        assert f"{word} ({question.name})" in page  # a word, not only a colour
        assert colour in page and "color:inherit" in page  # readable in dark mode
        assert 'role="status"' in page and html.escape(result.message) in page
        again = strict_check(question, answer)  # deterministic, for nbval
        assert repr(again) == repr(result) and again._repr_html_() == page


@every_question
def test_hints_and_solutions_render_as_text_and_html(question):
    q = copy.copy(question)
    for note, body in ((q.hint(1), q.hints[0]), (q.solution(), q.solution_text)):
        assert repr(note) == str(note) and body in repr(note)
        page = note._repr_html_()
        assert page.startswith("<div") and page.endswith("</div>")
        assert html.escape(body) in page and html.escape(note.heading) in page


@every_question
def test_check_prints_nothing_and_show_prints_text(question, capsys):
    result = question.check(None)
    copy.copy(question).hint(1)
    question.solution()
    assert capsys.readouterr().out == ""
    result.show()
    assert capsys.readouterr().out == repr(result) + "\n"


def test_importing_the_exercises_does_not_import_ipython():
    names = [m.__name__ for m in question_modules()]
    code = f"import sys\nfor n in {names!r}: __import__(n)\nprint('IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
