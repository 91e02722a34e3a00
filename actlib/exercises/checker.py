"""Self-checking exercises: questions with ``check``, ``hint`` and ``solution``.

A chapter module defines its questions as ``q1, q2, ...``::

    from actlib.exercises import sigmoid as ex
    ex.q1.check((0.5, 0.7, 0.3))   # a Result: shown as text in a terminal, as HTML in Jupyter
    ex.q1.hint()                   # hint 1, then hint 2, ...
    ex.q1.solution()               # the worked solution

Display scheme: ``check``, ``hint`` and ``solution`` print nothing; they return an object
that renders itself (``__repr__`` is the plain text, ``_repr_html_`` the coloured box), so a
call as the last expression of a notebook cell is displayed exactly once. To show several
results from one cell (or from a script), call ``.show()`` on each.

Checking never raises, whatever the learner passes, and messages never reveal the expected
numbers: they say which input fails and how (warning, exception, NaN, shape, dtype, sign, ...).
"""

from __future__ import annotations

import copy
import html
import inspect
import textwrap
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Status = Literal["correct", "incorrect", "not_attempted"]
CORRECT: Status = "correct"
INCORRECT: Status = "incorrect"
NOT_ATTEMPTED: Status = "not_attempted"

# (label, icon, colour): Okabe-Ito colours (colour-blind safe); icon and word carry the meaning.
_STYLE: dict[str, tuple[str, str, str]] = {
    CORRECT: ("Correct", "✓", "#009E73"),
    INCORRECT: ("Incorrect", "✗", "#D55E00"),
    NOT_ATTEMPTED: ("Not attempted", "○", "#999999"),
    "hint": ("Hint", "💡", "#0072B2"),
    "solution": ("Solution", "✎", "#CC79A7"),
}


def _box_html(kind: str, heading: str, body: str, code: str | None = None) -> str:
    """An accessible feedback box that reads well on light and dark backgrounds."""
    _, icon, colour = _STYLE[kind]
    style = (
        f"border:1px solid {colour};border-left:6px solid {colour};border-radius:4px;"
        f"background:{colour}1f;color:inherit;padding:0.5em 0.8em;margin:0.4em 0;"
    )
    parts = [
        f'<div class="actlib-feedback actlib-{kind}" role="status" style="{style}">',
        f'<strong><span aria-hidden="true">{icon}</span> {html.escape(heading)}</strong>',
    ]
    if body:
        parts.append(
            f'<div style="white-space:pre-wrap;margin-top:0.3em">{html.escape(body)}</div>'
        )
    if code:
        parts.append(
            '<pre style="background:transparent;color:inherit;border:1px solid currentColor;'
            f'padding:0.5em;overflow-x:auto"><code>{html.escape(code)}</code></pre>'
        )
    parts.append("</div>")
    return "".join(parts)


class _Rendered:
    """Something shown to the learner: plain text in a terminal, a box in Jupyter."""

    def _text(self) -> str:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self._text()

    __str__ = __repr__

    def show(self) -> None:
        """Display now: HTML in a Jupyter kernel, printed text elsewhere."""
        try:
            from IPython import get_ipython  # lazy: IPython is optional

            shell = get_ipython()
            in_kernel = shell is not None and getattr(shell, "kernel", None) is not None
        except ImportError:
            in_kernel = False
        if in_kernel:
            from IPython.display import display

            display(self)
        else:
            print(self._text())


class Result(_Rendered):
    """The verdict of ``check``: true when correct, with a status and a message."""

    def __init__(self, status: Status, message: str, question: str = "") -> None:
        self.status = status
        self.message = message
        self.question = question

    def __bool__(self) -> bool:
        return self.status == CORRECT

    def _heading(self) -> str:
        label = _STYLE[self.status][0]
        return f"{label} ({self.question})" if self.question else label

    def _text(self) -> str:
        return f"{_STYLE[self.status][1]} {self._heading()}: {self.message}"

    def _repr_html_(self) -> str:
        return _box_html(self.status, self._heading(), self.message)


class Note(_Rendered):
    """A hint or a worked solution (explanation plus optional code)."""

    def __init__(self, kind: Literal["hint", "solution"], heading: str, body: str, code: str = ""):
        self.kind = kind
        self.heading = heading
        self.body = body
        self.code = code

    def _text(self) -> str:
        text = f"{_STYLE[self.kind][1]} {self.heading}: {self.body}"
        return f"{text}\n\n{self.code}" if self.code else text

    def _repr_html_(self) -> str:
        return _box_html(self.kind, self.heading, self.body, self.code or None)


# ----------------------------------------------------------------------------- formatting


def _safe_str(obj: object, limit: int = 200) -> str:
    """str(obj), shortened, and never raising."""
    try:
        text = str(obj)
    except Exception:
        try:
            text = object.__repr__(obj)
        except Exception:
            text = "<unprintable object>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(obj: object) -> str:
    return type(obj).__name__


# type names whose first sound is not what their first letter suggests ("an ndarray", "a uint8")
_SOUNDS_VOWEL = ("nd",)
_SOUNDS_CONSONANT = ("uint", "ufunc")


def _article(word: str) -> str:
    """'a' or 'an', by how ``word`` is spoken."""
    w = word.lower()
    if w.startswith(_SOUNDS_VOWEL):
        return "an"
    if w.startswith(_SOUNDS_CONSONANT):
        return "a"
    return "an" if w[:1] in tuple("aeiou") else "a"


def _a(obj: object) -> str:
    """'a str', 'an int', 'an ndarray': the type of obj with its article."""
    name = _type_name(obj)
    return f"{_article(name)} {name}"


def _fmt_input(value: object) -> str:
    """A short, deterministic description of an input given to the learner's function."""
    if isinstance(value, np.ndarray):
        body = np.array2string(
            value, separator=", ", formatter={"float_kind": str}, threshold=20, max_line_width=100
        )
        suffix = "" if value.dtype == np.float64 else f", dtype={value.dtype}"
        return f"np.array({body}{suffix})"
    if isinstance(value, np.generic):
        return f"np.{value.dtype}({value})"
    return _safe_str(value)


def _round_sig(x: float) -> str:
    """x rounded to one significant digit, e.g. 0.0731 -> '0.07', 3.4 -> '3'."""
    return f"{float(f'{x:.1g}'):g}"


def _diagnose(got: float, expected: float) -> str:
    """How a single wrong value is wrong, without revealing the expected value."""
    got, expected = float(got), float(expected)
    if np.isnan(got):
        return "this is NaN, where a number was expected"
    if np.isnan(expected):
        return "this should be NaN (NaN in, NaN out)"
    if np.isinf(got):
        if np.isinf(expected):
            return "this infinity has the wrong sign"
        return "this is infinite, where a finite number was expected"
    if np.isinf(expected):
        return "this is finite, but the result here is infinite"
    if expected == 0:
        return "this is too large" if got > 0 else "this is too small"
    with np.errstate(all="ignore"):
        ratio = float(np.float64(got) / np.float64(expected))
    if ratio < 0:
        if abs(ratio + 1) < 1e-6:
            return "this is off by a sign: you have the negative of the right value"
        return "this has the wrong sign"
    if np.isinf(ratio):
        return "this is far too large in magnitude"
    if got == 0:
        return "this is exactly 0, but the result here is not zero"
    # got and expected have the same sign: compare sizes, and for negative values say that the
    # size is meant (-0.6 against -0.5 is too large in magnitude, i.e. too negative)
    direction = "too large" if ratio > 1 else "too small"
    if ratio >= 2:
        text = f"this is {direction}, by a factor of about {_round_sig(ratio)}"
    elif ratio <= 0.5:
        text = f"this is {direction}, by a factor of about {_round_sig(1 / ratio)}"
    elif abs(ratio - 1) >= 0.01:
        text = f"this is {direction} (relative error about {_round_sig(100 * abs(ratio - 1))}%)"
    else:
        text = f"this is slightly {direction} (relative error about {abs(ratio - 1):.0e})"
    if expected < 0:
        text += " in magnitude, i.e. " + ("too negative" if ratio > 1 else "too close to 0")
    return text


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Elementwise tolerant equality; NaN equals NaN, inf equals inf of the same sign."""
    with np.errstate(all="ignore"):
        return np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)


def _ordinal(i: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(i, f"{i}th")


# ----------------------------------------------------------------------------- questions


class Question:
    """Common behaviour: a name, a prompt, progressive hints and a solution."""

    def __init__(self, name: str, prompt: str, hints: Sequence[str], solution_text: str) -> None:
        self.name = name
        self.prompt = prompt
        self.hints = tuple(hints)
        self.solution_text = solution_text
        self._next_hint = 1

    def __repr__(self) -> str:
        return f"{self.name}: {self.prompt}"

    def check(self, answer: Any) -> Result:
        """Check an answer; never raises. ``bool(result)`` is True when it is correct."""
        try:
            status, message = self._check(answer)
        except Exception as exc:  # a safety net: the checker itself must never crash
            status = INCORRECT
            message = (
                "the checker could not evaluate this answer "
                f"({_type_name(exc)}: {_safe_str(exc)}). Check what you passed to check()."
            )
        return Result(status, message, self.name)

    def _check(self, answer: Any) -> tuple[Status, str]:
        raise NotImplementedError

    def hint(self, n: int | None = None) -> Note:
        """Hint ``n``, or the next one not yet seen (hint 1, then hint 2, ...)."""
        total = len(self.hints)
        if n is None:
            if self._next_hint > total:
                return Note(
                    "hint",
                    f"No more hints ({self.name})",
                    f"You have seen all {total} hints. {self.name}.hint(n) shows hint n again; "
                    f"{self.name}.solution() shows the worked solution.",
                )
            n = self._next_hint
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= total:
            return Note(
                "hint",
                f"No such hint ({self.name})",
                f"{self.name} has hints 1 to {total}; there is no hint {_safe_str(n, 40)}.",
            )
        n = int(n)
        self._next_hint = max(self._next_hint, n + 1)
        text = self.hints[n - 1]
        if n == total:
            text += f"\n(That was the last hint; {self.name}.solution() shows the worked solution.)"
        return Note("hint", f"Hint {n} of {total} ({self.name})", text)

    def solution(self) -> Note:
        """The worked solution."""
        return Note("solution", f"Solution ({self.name})", self.solution_text)


_NOT_ATTEMPTED_VALUES = (None, Ellipsis)


def _is_placeholder(x: object) -> bool:
    return any(x is p for p in _NOT_ATTEMPTED_VALUES)


class NumericQuestion(Question):
    """The answer is a number, or a tuple of numbers (one per ``labels`` entry)."""

    def __init__(
        self,
        name: str,
        prompt: str,
        expected: float | Sequence[float],
        *,
        labels: Sequence[str] = (),
        hints: Sequence[str] = (),
        solution_text: str = "",
        rtol: float = 1e-6,
        atol: float = 0.0,
        mistakes: Sequence[tuple[float | Sequence[float], str]] = (),
        success_note: str = "",
    ) -> None:
        super().__init__(name, prompt, hints, solution_text)
        self.expected = np.atleast_1d(np.asarray(expected, dtype=np.float64))
        n = self.expected.size
        self.labels = tuple(labels) or tuple(f"value {i + 1}" for i in range(n))
        if len(self.labels) != n:
            raise ValueError(f"{name}: {n} expected values but {len(self.labels)} labels")
        self.rtol, self.atol = rtol, atol
        self.mistakes = tuple((np.atleast_1d(np.asarray(v, float)), m) for v, m in mistakes)
        self.success_note = success_note

    def _wants(self) -> str:
        n = self.expected.size
        if n == 1:
            return f"a single number ({self.labels[0]})"
        names = ", ".join(self.labels)
        return f"{n} numbers ({names}) as a tuple, e.g. {self.name}.check((a, b, ...))"

    def _check(self, answer: Any) -> tuple[Status, str]:
        if _is_placeholder(answer):
            return NOT_ATTEMPTED, f"replace the ... with your answer: {self._wants()}."
        if isinstance(answer, (tuple, list)):
            missing = [i for i, a in enumerate(answer) if _is_placeholder(a)]
            if missing:
                names = ", ".join(self.labels[i] if i < len(self.labels) else "?" for i in missing)
                return NOT_ATTEMPTED, f"fill in every value; still missing: {names}."
        if callable(answer):
            return INCORRECT, f"you passed a function; this question wants {self._wants()}."
        if isinstance(answer, (str, bytes)):
            return INCORRECT, (
                f"you passed a string; this question wants {self._wants()}, written without quotes."
            )
        try:
            raw = np.asarray(answer)
            if raw.dtype.kind in "USb":
                raise TypeError(f"it holds {'booleans' if raw.dtype.kind == 'b' else 'text'}")
            if raw.dtype.kind == "c":
                raise TypeError("it holds complex numbers")
            values = raw.astype(np.float64).ravel()
        except Exception as exc:
            return INCORRECT, (
                f"could not read your answer ({_type_name(answer)}) as real numbers "
                f"({_safe_str(exc)}); this question wants {self._wants()}."
            )
        if values.size != self.expected.size:
            return INCORRECT, (
                f"your answer has {values.size} value(s); this question wants {self._wants()}."
            )
        ok = _close(values, self.expected, self.rtol, self.atol)
        if ok.all():
            return CORRECT, self.success_note or "well done."
        for wrong, message in self.mistakes:
            if wrong.size == values.size and _close(values, wrong, self.rtol, self.atol).all():
                return INCORRECT, message
        if self.expected.size == 1:  # every diagnosis starts with "this ..."
            return INCORRECT, f"your answer{_diagnose(values[0], self.expected[0])[4:]}."
        wrong = np.flatnonzero(~ok)
        return INCORRECT, "\n".join(
            f"{self.labels[i]}: {_diagnose(values[i], self.expected[i])}." for i in wrong
        )


class ChoiceQuestion(Question):
    """Multiple choice: the answer is the letter of one option, e.g. ``"b"``."""

    def __init__(
        self,
        name: str,
        prompt: str,
        options: Mapping[str, str],
        answer: str,
        *,
        feedback: Mapping[str, str] | None = None,
        hints: Sequence[str] = (),
        solution_text: str = "",
        success_note: str = "",
    ) -> None:
        super().__init__(name, prompt, hints, solution_text)
        self.options = {k.lower(): v for k, v in options.items()}
        if answer.lower() not in self.options:
            raise ValueError(f"{name}: answer {answer!r} is not an option")
        self.answer = answer.lower()
        self.feedback = {k.lower(): v for k, v in (feedback or {}).items()}
        self.success_note = success_note

    def __repr__(self) -> str:
        options = "\n".join(f"  ({k}) {v}" for k, v in self.options.items())
        return f"{self.name}: {self.prompt}\n{options}"

    def _check(self, answer: Any) -> tuple[Status, str]:
        letters = ", ".join(repr(k) for k in self.options)
        if _is_placeholder(answer) or (isinstance(answer, str) and not answer.strip()):
            return NOT_ATTEMPTED, f"answer with the letter of one option: {letters}."
        if not isinstance(answer, str):
            return INCORRECT, (
                f"you passed {_a(answer)}; answer with the letter of one option, "
                f"as a string: {letters}."
            )
        choice = answer.strip().lower().strip("()")
        if choice not in self.options:
            return (
                INCORRECT,
                f"{_safe_str(answer, 40)!r} is not an option; choose one of {letters}.",
            )
        if choice == self.answer:
            return CORRECT, self.success_note or "well done."
        why = self.feedback.get(choice, "that statement is not right.")
        return INCORRECT, f"({choice}) is not the best answer: {why}"


# ----------------------------------------------------------------------------- functions


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: its arguments and the expected output dtype."""

    args: tuple[Any, ...]
    dtype: np.dtype | None = None  # default: the first argument's float dtype, else float64


def case(*args: Any, dtype: Any = None) -> Case:
    """A test case calling the learner's function with ``args``."""
    return Case(tuple(args), None if dtype is None else np.dtype(dtype))


def _expected_dtype(c: Case) -> np.dtype:
    if c.dtype is not None:
        return c.dtype
    first = c.args[0]
    if isinstance(first, (np.ndarray, np.generic)) and first.dtype.kind == "f":
        return first.dtype
    return np.dtype(np.float64)  # Python numbers, integers and booleans give float64


def _tolerances(dtype: np.dtype, rtol: float, atol: float) -> tuple[float, float]:
    """Per-dtype tolerances: float32/16 results are only as good as their precision allows."""
    info = np.finfo(dtype)
    if dtype == np.float64:
        return max(rtol, 8 * info.eps), max(atol, float(info.tiny))
    loose = 64 * float(info.eps)
    return max(rtol, loose), max(atol, loose) if atol > 0 else float(info.tiny)


_EXCEPTION_ADVICE = (
    ("truth value of an array", "`if x > 0:` does not work elementwise on arrays; "
     "use np.where or boolean masks instead."),
    ("can be converted to python scalars", "math.exp and friends only take single numbers; "
     "use np.exp, which works elementwise on arrays."),
    ("math range error", "math.exp overflowed; large inputs need a formula that never "
     "exponentiates a large positive number."),
)  # fmt: skip


class _Call:
    """The outcome of calling the learner's function once, with warnings recorded."""

    def __init__(self, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.args = tuple(copy.deepcopy(a) for a in args)  # the learner gets copies
        self.out: Any = None
        self.error: BaseException | None = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
                try:
                    self.out = func(*self.args)
                except (Exception, SystemExit) as exc:
                    self.error = exc
        self.runtime_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]


def _unchanged(original: Any, passed: Any) -> bool:
    if not isinstance(original, np.ndarray):
        return True
    try:
        return (
            isinstance(passed, np.ndarray)
            and passed.shape == original.shape
            and passed.dtype == original.dtype
            and bool(np.array_equal(passed, original, equal_nan=original.dtype.kind in "fc"))
        )
    except Exception:
        return False


class CodeQuestion(Question):
    """The answer is a function, run on the question's ``cases``; how is up to the subclass.

    Shared by every question that asks for code: the placeholder and not-a-function verdicts,
    the loop over the cases (a subclass implements ``_check_case``), and a solution that shows
    the source of ``reference``, the worked solution. ``template`` is the starting code given
    to the learner (its function body is ``...``).
    """

    def __init__(
        self,
        name: str,
        prompt: str,
        *,
        func_name: str,
        reference: Callable[..., Any],
        cases: Sequence[Any],
        hints: Sequence[str] = (),
        solution_text: str = "",
        template: str = "",
        success_note: str = "",
    ) -> None:
        super().__init__(name, prompt, hints, solution_text)
        self.func_name = func_name
        self.reference = reference
        self.cases = tuple(cases)
        self.template = template
        self.success_note = success_note

    def solution(self) -> Note:
        """The explanation and the source code of the reference solution."""
        try:
            code = textwrap.dedent(inspect.getsource(self.reference)).strip()
        except (OSError, TypeError):
            code = f"# source of {self.func_name} unavailable"
        return Note("solution", f"Solution ({self.name})", self.solution_text, code)

    def _check(self, answer: Any) -> tuple[Status, str]:
        use = f"{self.name}.check({self.func_name})"
        if _is_placeholder(answer):
            return NOT_ATTEMPTED, (
                f"write your function {self.func_name}, then check it with {use} "
                "(pass the function itself, without parentheses)."
            )
        if not callable(answer):
            return INCORRECT, (
                f"this question wants a function, but you passed {_a(answer)}. "
                f"Pass the function itself, without calling it: {use}."
            )
        for i, c in enumerate(self.cases):
            verdict = self._check_case(answer, c, first=i == 0)
            if verdict is not None:
                return verdict
        return CORRECT, self.success_note or f"{self.func_name} passed all {len(self.cases)} tests."

    def _check_case(
        self, func: Callable[..., Any], c: Any, first: bool
    ) -> tuple[Status, str] | None:
        """The verdict on case ``c`` (``first``: the first case), or None if it passes."""
        raise NotImplementedError


class FunctionQuestion(CodeQuestion):
    """The answer is a function, run on the question's test cases and compared tolerantly.

    ``expected`` computes the true outputs (independently of ``reference``, the worked
    solution whose source ``solution()`` shows). ``mistakes`` pairs a function computing a
    typical wrong answer with the message to give when the learner's output matches it
    (also when the learner's function emitted a RuntimeWarning on the way).

    ``output_shape`` maps a case's arguments to the shape of the right output, for functions
    that are not elementwise (reductions such as a loss or a sum over a batch); by default
    the output has the input's shape. ``advice`` is extra text appended to the verdict when
    the learner's function emits a RuntimeWarning or raises an exception.
    """

    def __init__(
        self,
        name: str,
        prompt: str,
        *,
        func_name: str,
        arg_names: Sequence[str],
        reference: Callable[..., Any],
        expected: Callable[..., Any],
        cases: Sequence[Case],
        hints: Sequence[str] = (),
        solution_text: str = "",
        rtol: float = 1e-9,
        atol: float = 0.0,
        mistakes: Sequence[tuple[Callable[..., Any], str]] = (),
        template: str = "",
        success_note: str = "",
        output_shape: Callable[..., tuple[int, ...]] | None = None,
        advice: str | None = None,
    ) -> None:
        super().__init__(
            name,
            prompt,
            func_name=func_name,
            reference=reference,
            cases=cases,
            hints=hints,
            solution_text=solution_text,
            template=template,
            success_note=success_note,
        )
        self.arg_names = tuple(arg_names)
        self.expected = expected
        if any(len(c.args) != len(self.arg_names) for c in self.cases):
            raise ValueError(f"{name}: every case needs {len(self.arg_names)} argument(s)")
        self.rtol, self.atol = rtol, atol
        self.mistakes = tuple(mistakes)
        self.output_shape = output_shape
        # not ``self.advice``: subclasses in chapter modules use that name for their own data
        self.extra_advice = advice or ""

    # -- helpers

    def _inputs(self, c: Case) -> str:
        return ", ".join(
            f"{n} = {_fmt_input(a)}" for n, a in zip(self.arg_names, c.args, strict=True)
        )

    def _where(self, c: Case, index: tuple[int, ...]) -> str:
        """The inputs at one element, e.g. 'x[0] = -1000.0' (or 'result[0]' for a reduction)."""
        if self.output_shape is not None:
            return f"result[{', '.join(map(str, index))}]"
        parts = []
        for n, a in zip(self.arg_names, c.args, strict=True):
            if isinstance(a, np.ndarray) and a.ndim > 0:
                sub = ", ".join(map(str, index))
                parts.append(f"{n}[{sub}] = {a[index]!s}")
        return ", ".join(parts)

    def _truth(self, c: Case) -> np.ndarray:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return np.asarray(self.expected(*copy.deepcopy(c.args)), dtype=np.float64)

    def _first_warning_element(self, func: Callable[..., Any], c: Case) -> str:
        """Re-run element by element to find the first input that triggers a warning (not for
        a reduction, whose result on one element alone means something else)."""
        arrays = [a for a in c.args if isinstance(a, np.ndarray) and a.ndim > 0]
        if (
            self.output_shape is not None
            or not arrays
            or arrays[0].size > 64
            or any(a.shape != arrays[0].shape for a in arrays)
        ):
            return ""
        for index in np.ndindex(arrays[0].shape):
            args = tuple(
                a[index].reshape(1) if isinstance(a, np.ndarray) and a.ndim > 0 else a
                for a in c.args
            )
            if _Call(func, args).runtime_warnings:
                return f" (first triggered by {self._where(c, index)})"
        return ""

    # -- checking

    def _check_case(
        self, func: Callable[..., Any], c: Case, first: bool
    ) -> tuple[Status, str] | None:
        call = _Call(func, c.args)
        inputs = self._inputs(c)
        fn = self.func_name
        if isinstance(call.error, NotImplementedError) and first:
            return (
                NOT_ATTEMPTED,
                f"{fn} still raises NotImplementedError: replace it with your code.",
            )
        if call.error is not None:
            text = _safe_str(call.error)
            advice = next((a for key, a in _EXCEPTION_ADVICE if key in text.lower()), "")
            return INCORRECT, self._advised(
                f"for {inputs}, {fn} raised {_type_name(call.error)}: {text}"
                + (f"\n{advice}" if advice else "")
            )
        if call.out is None:
            if first:
                return NOT_ATTEMPTED, (
                    f"{fn} returned None. Replace the ... in the template with your code, "
                    "and return the result."
                )
            return INCORRECT, f"for {inputs}, {fn} returned None (is a return statement missing?)."
        if call.runtime_warnings:
            w = call.runtime_warnings[0]
            message = (
                f"for {inputs}, {fn} emitted {w.category.__name__}: {_safe_str(w.message)}"
                f"{self._first_warning_element(func, c)}. A numerically stable implementation "
                "never overflows, divides by zero or makes invalid values along the way, even "
                f"when the final value looks right. Stuck? Try {self.name}.hint()."
            )
            mistake = self._warned_mistake(c, call.out)
            return INCORRECT, self._advised(f"{message}\n{mistake}" if mistake else message)
        for n, original, passed in zip(self.arg_names, c.args, call.args, strict=True):
            if not _unchanged(original, passed):
                return INCORRECT, (
                    f"{fn} modified its input {n} in place (called with {n} = "
                    f"{_fmt_input(original)}). Never change the caller's array: use "
                    f"out-of-place operations such as `{n} = -{n}` instead of `{n} *= -1` or "
                    f"`{n}[mask] = ...`, or work on a copy."
                )
        problem = self._check_output(c, call.out)
        return None if problem is None else (INCORRECT, f"for {inputs}, {fn} {problem}")

    def _advised(self, message: str) -> str:
        return f"{message}\n{self.extra_advice}" if self.extra_advice else message

    def _warned_mistake(self, c: Case, out: Any) -> str:
        """The message of the typical mistake whose outputs the learner's equal on case ``c``
        (both computed with warnings suppressed), or ''. A mistake counts only where it
        differs from the right output: equal outputs would not tell it apart."""
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")  # e.g. ComplexWarning: it must not leak
                values = np.asarray(out, dtype=np.float64)
        except Exception:
            return ""
        rtol, atol = _tolerances(_expected_dtype(c), self.rtol, self.atol)
        truth = self._truth(c)
        if values.shape == truth.shape and _close(values, truth, rtol, atol).all():
            return ""
        return self._match_mistake(c, values, rtol, atol)

    def _shape_problem(self, out: Any, got: np.ndarray, want: tuple[int, ...]) -> str:
        """The message for an output of the wrong shape."""
        if self.output_shape is not None:
            shape = "a single number" if want == () else f"shape {want}"
            return f"returned shape {got.shape}; the result should be {shape}."
        if want and got.ndim == 0:
            what = (
                "a Python float" if type(out) is float else f"a single number ({_type_name(out)})"
            )
            return (
                f"returned {what} for an array input of shape {want}. Return one value "
                "per element, with the input's shape (math.* functions, float(...) or "
                "reductions such as np.mean and np.sum collapse the array)."
            )
        if not want:
            return f"returned an array of shape {got.shape} for a scalar input; return a number."
        return f"returned shape {got.shape}; the output must have the input's shape {want}."

    def _check_output(self, c: Case, out: Any) -> str | None:
        """What is wrong with ``out`` for case ``c`` (as '... returned ...'), or None."""
        truth = self._truth(c)
        want_shape = truth.shape if self.output_shape is None else tuple(self.output_shape(*c.args))
        array_input = len(want_shape) > 0
        if isinstance(out, (str, bytes)):
            return f"returned a string ({_safe_str(out, 40)!r}); it should return numbers."
        if isinstance(out, (list, tuple)):
            return (
                f"returned {_a(out)}, not a NumPy array. Use NumPy operations "
                "(np.exp, ...) on the whole array, or convert with np.asarray(...)."
            )
        try:
            got = np.asarray(out)
        except Exception as exc:
            return (
                f"returned {_a(out)}, which NumPy cannot read as numbers "
                f"({_type_name(exc)}: {_safe_str(exc)})."
            )
        if got.dtype.kind == "c":
            return "returned complex numbers; the result should be real."
        if got.dtype.kind == "b":
            return "returned booleans (True/False); it should return numbers."
        if got.dtype.kind not in "fiu":
            return f"returned {_a(out)} that does not hold numbers (dtype {got.dtype})."
        if got.shape != want_shape:
            return self._shape_problem(out, got, want_shape)
        if array_input and not isinstance(out, np.ndarray):
            return f"returned {_a(out)}; for an array input, return a NumPy array."
        want = _expected_dtype(c)
        if got.dtype.kind in "iu":
            return f"returned integers ({got.dtype}); the result should be floating point ({want})."
        if got.dtype != want:
            return (
                f"returned dtype {got.dtype} for a {want} input: keep the input's dtype "
                "(avoid astype(float), np.asarray(x, dtype=float) and float64 constants)."
                if want != np.float64
                else f"returned dtype {got.dtype}; it should be float64 here (full precision)."
            )
        rtol, atol = _tolerances(want, self.rtol, self.atol)
        values = got.astype(np.float64)
        bad = ~_close(values, truth, rtol, atol)
        if not bad.any():
            return None
        index = tuple(int(i) for i in np.argwhere(bad)[0]) if array_input else ()
        at = f" at {self._where(c, index)}" if array_input else ""
        value = values[index]
        # the learner's own value is shown only when it cannot hint at the expected one
        shown = f"returned {got[index]}" if value == 0 or not np.isfinite(value) else "is wrong"
        message = f"{shown}{at}: {_diagnose(value, truth[index])}."
        mistake = self._match_mistake(c, values, rtol, atol)
        return f"{message}\n{mistake}" if mistake else message

    def _match_mistake(self, c: Case, values: np.ndarray, rtol: float, atol: float) -> str:
        for wrong, message in self.mistakes:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    typical = np.asarray(wrong(*copy.deepcopy(c.args)), dtype=np.float64)
            except Exception:
                continue
            if typical.shape == values.shape and _close(values, typical, rtol, atol).all():
                return message
        return ""
