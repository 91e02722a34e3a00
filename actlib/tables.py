"""Comparison tables of the activations, generated from :mod:`actlib.registry`.

>>> from actlib import tables
>>> from IPython.display import HTML
>>> HTML(tables.properties_table())               # in a notebook: math typeset by MathJax
>>> print(tables.properties_text(["relu", "gelu"]))  # in a terminal

Every cell comes from a registry record, so the tables cannot drift from the plots, explorers
and checkers that read the same records. :func:`properties_rows` gives the cells as plain
data; :func:`properties_table` renders them as HTML, with LaTeX between ``\\(`` and ``\\)``
for MathJax; :func:`properties_text` renders them as aligned plain text, with the LaTeX
turned into readable Unicode (``\\infty`` -> ``∞``).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence

from . import registry
from .registry import Activation

__all__ = [
    "COLUMNS",
    "FILTERS",
    "MATH_COLUMNS",
    "TEXT_COLUMNS",
    "bounded",
    "plain",
    "properties_rows",
    "properties_table",
    "properties_text",
    "reference_label",
]

#: Column name -> heading, in the default order of :func:`properties_table`.
COLUMNS: Mapping[str, str] = {
    "name": "activation",
    "formula": "formula",
    "output_range": "output range",
    "monotonic": "monotone",
    "smooth": "smooth",
    "zero_centred": "zero-centred",
    "bounded": "bounded",
    "saturation": "saturates",
    "max_slope": "largest slope",
    "reference": "reference",
}

#: Columns whose cells are LaTeX.
MATH_COLUMNS: tuple[str, ...] = ("formula", "output_range", "max_slope")

#: Default columns of :func:`properties_text` (a formula does not read well as plain text).
TEXT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "formula")

# Surnames whose capitalisation a bib key loses.
_SURNAMES = {"lecun": "LeCun"}

# LaTeX -> Unicode for the plain-text table: commands by name; unknown ones lose the backslash.
_SYMBOLS = {
    "infty": "∞",
    "alpha": "α",
    "beta": "β",
    "lambda": "λ",
    "sigma": "σ",
    "delta": "δ",
    "Phi": "Φ",
    "varphi": "φ",
    "approx": "≈",
    "partial": "∂",
    "le": "≤",
    "to": "→",
    "sum": "Σ",
    "sqrt": "√",
    "quad": " ",
    "textstyle": "",
    "left": "",
    "right": "",
    "bigl": "",
    "bigr": "",
}
_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_SCRIPT = re.compile(r"([\^_√])\{([^{}]*)\}")
_WRAPPER = re.compile(r"\\(?:text|operatorname)\{([^{}]*)\}")
_COMMAND = re.compile(r"\\(?!frac\b)([A-Za-z]+)")
_SPACING = re.compile(r"\\[,;! ]")
_ROW = "\x00"  # stands for a cases row break while plain() works


def _records(keys: Sequence[str] | None) -> list[Activation]:
    if keys is None:
        return [registry.get(k) for k in registry.names()]
    if isinstance(keys, str):
        raise ValueError(f"keys must be a sequence of activation keys, not the string {keys!r}")
    if not keys:
        raise ValueError("keys is empty: give at least one activation key")
    return [registry.get(k) for k in keys]  # an unknown key raises ValueError


def _columns(columns: Sequence[str]) -> tuple[str, ...]:
    if isinstance(columns, str):
        raise ValueError(f"columns must be a sequence of column names, not the string {columns!r}")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown or not columns:
        raise ValueError(f"unknown or no columns {unknown}; choose from {', '.join(COLUMNS)}")
    return tuple(columns)


def reference_label(cite: str) -> str:
    """A short label for a bib key: ``"nair2010rectified"`` -> ``"Nair 2010"``.

    The key names the first author and the year; a key in another format is returned as is.
    """
    match = re.fullmatch(r"([a-z]+)(\d{4})\w*", cite)
    if match is None:
        return cite
    surname, year = match.groups()
    return f"{_SURNAMES.get(surname, surname.capitalize())} {year}"


def bounded(act: Activation) -> str:
    """Where the outputs are bounded: "both sides", "below", "above" or "no"."""
    p = act.properties
    if p.bounded_below and p.bounded_above:
        return "both sides"
    if p.bounded_below:
        return "below"
    if p.bounded_above:
        return "above"
    return "no"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def properties_rows(keys: Sequence[str] | None = None) -> list[dict[str, str]]:
    """One dict per activation (default: all, in course order), keyed by :data:`COLUMNS`.

    Every value is a string; those of :data:`MATH_COLUMNS` are LaTeX without delimiters.
    """
    rows = []
    for act in _records(keys):
        p = act.properties
        rows.append(
            {
                "name": act.name,
                "formula": act.formula,
                "output_range": act.output_range,
                "monotonic": _yes(p.monotonic),
                "smooth": _yes(p.smooth),
                "zero_centred": _yes(p.zero_centred),
                "bounded": bounded(act),
                "saturation": p.saturation,
                "max_slope": act.max_slope,
                "reference": reference_label(act.cite),
            }
        )
    return rows


#: Filters of a filterable table: (data attribute, wanted value, label).
FILTERS: tuple[tuple[str, str, str], ...] = (
    ("monotonic", "yes", "monotone"),
    ("smooth", "yes", "smooth"),
    ("zero_centred", "yes", "zero-centred"),
    ("unbounded_above", "yes", "unbounded above"),
    ("saturation", "none", "never saturates"),
)

# Light rules and padding that read well in the light and the dark theme.
_STYLE = (
    "<style>.actlib-properties{border-collapse:collapse;font-size:0.9em;margin:0.5em 0}"
    ".actlib-properties th,.actlib-properties td{padding:0.3em 0.7em;text-align:left;"
    "vertical-align:middle;border-bottom:1px solid rgba(128,128,128,0.35)}"
    ".actlib-properties thead th{border-bottom:2px solid rgba(128,128,128,0.7)}</style>"
)

# The filter script: show the rows whose data attributes match every ticked box.
_JS_FILTER = (
    "var r=document.getElementById(U);if(!r)return;"
    "var f=r.querySelector('.actlib-filters'),o=r.querySelector('output'),"
    "bs=r.querySelectorAll('input[type=checkbox]'),rs=r.querySelectorAll('tbody tr');"
    "function apply(){var n=0;rs.forEach(function(tr){var ok=true;"
    "bs.forEach(function(b){if(b.checked&&tr.getAttribute('data-'+b.name)!==b.value)ok=false;});"
    "tr.hidden=!ok;if(ok)n++;});o.textContent=n+' of '+rs.length+' shown';}"
    "bs.forEach(function(b){b.addEventListener('change',apply);});f.hidden=false;apply();"
)


def properties_table(
    keys: Sequence[str] | None = None,
    columns: Sequence[str] = tuple(COLUMNS),
    filterable: bool = False,
) -> str:
    """The comparison table as an HTML string, for ``IPython.display.HTML``.

    LaTeX cells are wrapped in ``\\( ... \\)`` and HTML-escaped (MathJax reads the decoded
    text); the class ``mathjax_process`` makes MathJax typeset them even inside a Sphinx page,
    which marks its body ``mathjax_ignore``. The table scrolls sideways in a narrow page
    instead of overflowing it.
    ``filterable=True`` adds tick boxes (:data:`FILTERS`) and a few lines of vanilla JS that
    show only the activations with the ticked properties; it works on a static page, without
    a kernel, and without JavaScript the whole table is shown and the boxes stay hidden.
    """
    columns = _columns(columns)
    records = _records(keys)
    rows = properties_rows([a.key for a in records])
    head = "".join(f'<th scope="col">{html.escape(COLUMNS[c])}</th>' for c in columns)

    def cell(column: str, value: str) -> str:
        text = html.escape(value)
        if column == "name":
            return f'<th scope="row">{text}</th>'
        if column in MATH_COLUMNS and value:
            return f"<td>\\({text}\\)</td>"
        return f"<td>{text}</td>"

    def tr(act: Activation, row: dict[str, str]) -> str:
        data = {**row, "unbounded_above": _yes(not act.properties.bounded_above)}
        attrs = "".join(f' data-{a}="{html.escape(data[a])}"' for a, _, _ in FILTERS)
        return f"<tr{attrs if filterable else ''}>" + "".join(cell(c, row[c]) for c in columns)

    body = "".join(tr(act, row) + "</tr>" for act, row in zip(records, rows, strict=True))
    table = (
        f'{_STYLE}<table class="actlib-properties">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )
    if not filterable:
        return f'<div class="actlib-table mathjax_process" style="overflow-x:auto">{table}</div>'
    uid = "actlib-table-" + hashlib.sha1(table.encode()).hexdigest()[:10]
    boxes = " ".join(
        f'<label style="margin-right:0.8em"><input type="checkbox" name="{a}" value="{v}"> '
        f"{html.escape(label)}</label>"
        for a, v, label in FILTERS
    )
    return (
        f'<div class="actlib-table mathjax_process" id="{uid}" style="overflow-x:auto">'
        f'<div class="actlib-filters" hidden style="margin:0.3em 0">Show only: {boxes}'
        '<output style="font-family:monospace"></output></div>'
        f"{table}<script>(function(){{var U={json.dumps(uid)};{_JS_FILTER}}})();</script></div>"
    )


def _group(text: str) -> str:
    """A fraction's numerator or denominator, in brackets unless it is a single token."""
    text = text.strip()
    return text if re.fullmatch(r"[\w.√∞]+", text) else f"({text})"


def _cases(match: re.Match[str]) -> str:
    r"""``\begin{cases} a & p \\ b & q \end{cases}`` -> ``(a if p; b if q)``."""
    branches = [branch.split("&") for branch in match.group(1).split(_ROW)]
    return "(" + "; ".join(f"{v.strip()} if {c.strip()}" for v, c in branches) + ")"


def _word(match: re.Match[str]) -> str:
    """A named operator (``\\log``, ``\\operatorname{erf}``), spaced from a following word."""
    following = match.string[match.end() : match.end() + 1]
    return match.group(1) + (" " if following.isalpha() or following == "\\" else "")


def _frac(match: re.Match[str]) -> str:
    return f"{_group(match.group(1))}/{_group(match.group(2))}"


def _script(match: re.Match[str]) -> str:
    return match.group(1) + _group(match.group(2))


def plain(latex: str) -> str:
    r"""Readable Unicode for the registry's LaTeX, e.g. ``[0, \infty)`` -> ``[0, ∞)``.

    Meant for ranges and slopes; formulas come out readable but approximate.
    """
    text = latex.replace("\\\\", _ROW)
    text = _WRAPPER.sub(_word, text)
    text = _SPACING.sub(" ", text)
    text = _CASES.sub(_cases, text)
    text = _COMMAND.sub(lambda m: _SYMBOLS.get(m.group(1), _word(m)), text)
    while (simpler := _FRAC.sub(_frac, _SCRIPT.sub(_script, text))) != text:
        text = simpler  # innermost groups first, until none is left
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def properties_text(
    keys: Sequence[str] | None = None, columns: Sequence[str] = TEXT_COLUMNS
) -> str:
    """The comparison table as aligned plain text (LaTeX turned into Unicode by :func:`plain`)."""
    columns = _columns(columns)
    rows = [
        [plain(row[c]) if c in MATH_COLUMNS else row[c] for c in columns]
        for row in properties_rows(keys)
    ]
    heads = [COLUMNS[c] for c in columns]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(s.ljust(w) for s, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(heads), rule, *(line(r) for r in rows)])
