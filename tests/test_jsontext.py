"""jsontext.compact writes what json.dumps wrote, so that no page, search file or open-data
file changed by the switch to orjson (but for coordinates under 0.0001, written 0.00001
instead of 1e-05), and refuses what it refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from buylocal import jsontext
from hypothesis import example, given
from hypothesis import strategies as st

# What our JSON holds: texts (any character but lone surrogates, which neither UTF-8
# decoding nor the YAML loader lets through), whole numbers, coordinates, None, booleans.
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) >= 1e-4)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(values, st.booleans())
@example({"b": 1, "a": [48.4489, -68.5234], "é": "</script>\u2028\x00\x7f"}, True)
@example({"z": {"y": 1, "x": 2}, "a": None}, False)
def test_compact_is_what_json_dumps_wrote(value, sort_keys):
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    assert jsontext.compact(value, sort_keys=sort_keys) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_is_valid_json_for_the_same_number(number):
    assert json.loads(jsontext.compact([number])) == [number]


@dataclass
class Thing:
    secret: str


@pytest.mark.parametrize(
    "value",
    [{"about": Thing("source path")}, {"date": date(2026, 11, 24)}, {1: "x", None: "y"}],
    ids=["dataclass", "date", "keys that are not text"],
)
def test_what_json_dumps_refused_or_turned_into_text_stays_so(value):
    """A town's template giving `jsonld` a merchant must fail, not publish its fields."""
    try:
        expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except TypeError:
        with pytest.raises(TypeError):
            jsontext.compact(value)
    else:
        assert jsontext.compact(value) == expected
