"""JSON reports are written as they are made, and are exactly the text ``json.dumps`` writes.

``lgcb coverage --format json`` of a plan of 50,000 entries is 21 MB of JSON; made as one string
and printed, it took 140 MB more than the report itself. :mod:`lgcb.outputs.jsontext` gives the
same text in pieces, its arrays taken from generators as they are written.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgcb.outputs import Pieces
from lgcb.outputs.jsontext import document, encode

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),  # every code point: quotes, backslashes, control characters, astral planes
)
_keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.tuples(inner, inner),
        st.dictionaries(_keys, inner, max_size=5),
    ),
    max_leaves=40,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=500, deadline=None)
@given(_values)
def test_the_text_is_json_dumps_for_any_value(value: Any) -> None:
    assert "".join(encode(value)) == _dumps(value)


def _as_generators(value: Any) -> Any:
    """``value`` with every list made a generator of the same items (made when iterated)."""
    if isinstance(value, dict):
        return {k: _as_generators(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (_as_generators(v) for v in value)
    return value


@settings(max_examples=200, deadline=None)
@given(_values)
def test_an_array_may_be_a_generator_made_as_it_is_written(value: Any) -> None:
    assert "".join(encode(_as_generators(value))) == _dumps(value)


def test_the_items_of_a_generator_are_made_one_at_a_time() -> None:
    made: list[int] = []

    def items() -> Any:
        for n in range(3):
            made.append(n)
            yield {"n": n}

    pieces = iter(document({"items": items()}))
    text = ""
    while '"n": 0' not in text:
        text += next(pieces)
    assert made == [0]  # the first item is written before the second is made
    assert text + "".join(pieces) == _dumps({"items": [{"n": 0}, {"n": 1}, {"n": 2}]}) + "\n"


def test_a_document_ends_with_a_newline_and_joins_as_text() -> None:
    pieces = document({"a": [], "b": {}, "c": [1.5, math.inf, -math.inf]})
    assert isinstance(pieces, Pieces)
    assert str(pieces) == '{\n  "a": [],\n  "b": {},\n  "c": [\n    1.5,\n    Infinity,\n    -Infinity\n  ]\n}\n'


@pytest.mark.parametrize("value", [object(), b"bytes", {"k": {1, 2}}, {(1, 2): "tuple key"}, range(3), b"abc"])
def test_what_json_cannot_write_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        "".join(encode(value))
    with pytest.raises(TypeError):
        _dumps(value)


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "json"],
        ["coverage", "--format", "json"],
        ["progress", "--format", "json"],
        ["list", "--format", "json"],
        ["search", "risk", "--format", "json"],
        ["show", "objective", "3", "--format", "json"],
        ["show", "3.R1", "--format", "json"],
    ],
)
def test_every_json_report_prints_the_text_json_dumps_gives(invoke: Any, args: list[str]) -> None:
    """Printed in pieces, each report is one JSON document, laid out as ``json.dumps`` lays it out."""
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == _dumps(json.loads(result.stdout)) + "\n"
