"""Tests for actlib.tables: comparison tables generated from the registry."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from actlib import registry, tables


class _Cells(HTMLParser):
    """Collects the text of every table row's cells (th and td), the rows' data attributes,
    the table's head cells, and any script."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.attrs: list[dict[str, str]] = []
        self.head: list[str] = []
        self.scripts: list[str] = []
        self._in_head = self._in_cell = self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
            self.attrs.append({k: v for k, v in attrs if k.startswith("data-")})
        elif tag in ("td", "th"):
            self._in_cell = True
            (self.head if self._in_head else self.rows[-1]).append("")
        elif tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th"):
            self._in_cell = False
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        elif self._in_cell:
            target = self.head if self._in_head else self.rows[-1]
            target[-1] += data


def parse(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(text)
    parser.close()
    return parser


# --------------------------------------------------------------------------------- rows


def test_rows_cover_the_registry_in_course_order():
    rows = tables.properties_rows()
    assert [r["name"] for r in rows] == [registry.get(k).name for k in registry.names()]
    assert all(list(r) == list(tables.COLUMNS) for r in rows)
    assert all(isinstance(v, str) for r in rows for v in r.values())


@pytest.mark.parametrize("key", registry.names())
def test_row_values_come_from_the_record(key):
    act = registry.get(key)
    (row,) = tables.properties_rows([key])
    p = act.properties
    assert row["formula"] == act.formula
    assert row["output_range"] == act.output_range
    assert row["max_slope"] == act.max_slope
    assert row["monotonic"] == ("yes" if p.monotonic else "no")
    assert row["smooth"] == ("yes" if p.smooth else "no")
    assert row["zero_centred"] == ("yes" if p.zero_centred else "no")
    assert row["saturation"] == p.saturation
    assert row["reference"].endswith(re.search(r"\d{4}", act.cite).group())


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("sigmoid", ("yes", "yes", "no", "both sides", "both sides")),
        ("tanh", ("yes", "yes", "yes", "both sides", "both sides")),
        ("relu", ("yes", "no", "no", "below", "negative side")),
        ("leaky_relu", ("yes", "no", "no", "no", "none")),
        ("gelu", ("no", "yes", "no", "below", "negative side")),
        ("log_sigmoid", ("yes", "yes", "no", "above", "both sides")),
    ],
)
def test_known_properties(key, expected):
    (row,) = tables.properties_rows([key])
    cols = ("monotonic", "smooth", "zero_centred", "bounded", "saturation")
    assert tuple(row[c] for c in cols) == expected


@pytest.mark.parametrize(
    ("cite", "label"),
    [
        ("nair2010rectified", "Nair 2010"),
        ("lecun1998efficient", "LeCun 1998"),
        ("he2015delving", "He 2015"),
        ("not-a-bib-key", "not-a-bib-key"),
    ],
)
def test_reference_label(cite, label):
    assert tables.reference_label(cite) == label


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("relu", "not the string"),
        ([], "empty"),
        (["relu", "nope"], "unknown activation 'nope'"),
    ],
)
def test_bad_keys_raise(keys, message):
    for fn in (tables.properties_rows, tables.properties_table, tables.properties_text):
        with pytest.raises(ValueError, match=message):
            fn(keys)


@pytest.mark.parametrize(
    ("columns", "message"), [(["name", "colour"], "colour"), ([], "no columns"), ("name", "string")]
)
def test_bad_columns_raise(columns, message):
    for fn in (tables.properties_table, tables.properties_text):
        with pytest.raises(ValueError, match=message):
            fn(["relu"], columns=columns)


# --------------------------------------------------------------------------------- HTML


def test_html_table_has_one_row_per_activation_and_every_column():
    parsed = parse(tables.properties_table())
    assert parsed.head == list(tables.COLUMNS.values())
    assert len(parsed.rows) == len(registry.names())
    assert all(len(r) == len(tables.COLUMNS) for r in parsed.rows)
    assert parsed.scripts == []
    assert parsed.attrs == [{}] * len(parsed.rows)


def test_html_math_cells_are_delimited_and_decode_to_the_latex():
    parsed = parse(tables.properties_table(["elu", "relu"]))
    i = list(tables.COLUMNS).index("formula")
    elu = registry.get("elu")
    assert parsed.rows[0][i] == f"\\({elu.formula}\\)"  # "&" and ">" survive the escaping
    assert "&" in elu.formula and ">" in elu.formula
    j = list(tables.COLUMNS).index("monotonic")
    assert parsed.rows[1][j] == "yes"  # plain cells carry no delimiters


@pytest.mark.parametrize("filterable", [False, True])
def test_html_asks_mathjax_to_typeset_it(filterable):
    # A Sphinx page marks its body "mathjax_ignore"; this class opts the table back in.
    text = tables.properties_table(["relu"], filterable=filterable)
    assert text.startswith('<div class="actlib-table mathjax_process"')


def test_html_escapes_markup():
    text = tables.properties_table(["elu"])
    assert "x > 0" not in text and "x &gt; 0" in text
    assert html.unescape(text).count("\\(") == 3


def test_html_column_subset_in_given_order():
    parsed = parse(tables.properties_table(["relu"], columns=["max_slope", "name"]))
    assert parsed.head == ["largest slope", "activation"]
    assert parsed.rows == [["\\(1 \\text{ for all } x > 0\\)", "ReLU"]]


def test_filterable_table_marks_rows_and_has_a_script():
    text = tables.properties_table(["relu", "tanh", "leaky_relu"], filterable=True)
    parsed = parse(text)
    assert len(parsed.scripts) == 1 and "addEventListener" in parsed.scripts[0]
    assert parsed.attrs[0] == {
        "data-monotonic": "yes",
        "data-smooth": "no",
        "data-zero_centred": "no",
        "data-unbounded_above": "yes",
        "data-saturation": "negative side",
    }
    assert parsed.attrs[1]["data-unbounded_above"] == "no"  # tanh
    assert parsed.attrs[2]["data-saturation"] == "none"  # leaky ReLU
    assert text.count('type="checkbox"') == len(tables.FILTERS)
    assert "hidden" in text.split("<table")[0]  # boxes hidden until the script runs


def test_filterable_table_is_deterministic_and_ids_differ():
    a = tables.properties_table(["relu"], filterable=True)
    assert a == tables.properties_table(["relu"], filterable=True)
    b = tables.properties_table(["tanh"], filterable=True)
    uid = re.search(r'id="([^"]+)"', a).group(1)
    assert uid not in b


# --------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"[0, \infty)", "[0, ∞)"),
        (r"(-\lambda\alpha, \infty) \approx (-1.7581, \infty)", "(-λα, ∞) ≈ (-1.7581, ∞)"),
        (r"1 \text{ for all } x > 0", "1 for all x > 0"),
        (r"\max(1, a)", "max(1, a)"),
        (r"\approx 1.1289 \text{ at } x = \sqrt{2}", "≈ 1.1289 at x = √2"),
        (r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e^(-x))"),
        (
            r"\operatorname{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 "
            r"\end{cases}",
            "ELU(x) = (x if x > 0; α (e^x - 1) if x ≤ 0)",
        ),
        (r"\log\sigma(x)", "log σ(x)"),
    ],
)
def test_plain(latex, text):
    assert tables.plain(latex) == text


def test_text_table_is_aligned_and_readable():
    text = tables.properties_text()
    lines = text.splitlines()
    assert len(lines) == 2 + len(registry.names())
    assert lines[0].split("  ")[0].strip() == "activation"
    assert "formula" not in lines[0]  # the default text columns leave the formula out
    assert "\\" not in text and "{" not in text  # no LaTeX left
    relu = next(line for line in lines if line.startswith("ReLU "))
    assert "[0, ∞)" in relu and "Nair 2010" in relu
    starts = {line.index(" yes ") for line in lines[2:4]}  # sigmoid and tanh: monotone column
    assert len(starts) == 1


def test_text_table_with_formula_column():
    text = tables.properties_text(["sigmoid"], columns=["name", "formula"])
    assert text.splitlines()[-1] == "Sigmoid (logistic)  σ(x) = 1/(1 + e^(-x))"
