"""actlib.numerics: running a failing formula quietly and reporting its warnings."""

from __future__ import annotations

import warnings

import numpy as np

from actlib.numerics import Caught, caught, warning_kinds


def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_records_warnings_without_letting_them_escape():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an escaping warning would raise here
        y, messages = caught(naive_sigmoid, np.array([-800.0, -800.0, 0.0]))
    np.testing.assert_array_equal(y, [0.0, 0.0, 0.5])
    assert messages == ["RuntimeWarning: overflow encountered in exp"]


def test_each_message_once_in_order_and_kinds():
    def both(x):
        return np.exp(x) / np.exp(x)  # overflow, then inf / inf

    result = caught(both, np.array([1000.0]))
    assert result.messages == [
        "RuntimeWarning: overflow encountered in exp",
        "RuntimeWarning: invalid value encountered in divide",
    ]
    assert result.kinds == "overflow, invalid"
    assert np.isnan(result.value[0])


def test_clean_call_and_arguments():
    result = caught(np.clip, np.array([-2.0, 2.0]), -1.0, a_max=1.0)
    assert isinstance(result, Caught) and result.messages == [] and result.kinds == "-"
    np.testing.assert_array_equal(result.value, [-1.0, 1.0])


def test_warning_kinds_of_messages():
    assert warning_kinds([]) == "-"
    assert warning_kinds(["RuntimeWarning: divide by zero encountered in log"]) == "divide"
    assert warning_kinds(["invalid value encountered in multiply"]) == "invalid"
