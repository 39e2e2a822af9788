"""JSON written as it is made: the text of ``json.dumps(value, indent=2, ensure_ascii=False)``, in pieces.

A report of a large plan is tens of megabytes of JSON (``lgcb coverage --format json``: 42,000
findings, 21 MB, at 50,000 entries).  ``json.dumps`` holds all of it as one string, and printing
it makes a second copy as bytes; the report's data is built whole before either.  Here the text
comes out piece by piece and is printed as it comes (:class:`~lgcb.outputs.Pieces`), and an
array may be given as a generator, whose items are made as they are written: memory holds the
report, not the report and its text twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any

from lgcb.outputs import Pieces

INDENT = "  "


def document(value: Any) -> Pieces:
    """``value`` as a JSON document (two-space indent, UTF-8 text as it is, a final newline)."""

    def pieces() -> Iterator[str]:
        yield from encode(value)
        yield "\n"

    return Pieces(pieces())


def encode(value: Any, level: int = 0) -> Iterator[str]:
    """The pieces of ``json.dumps(value, indent=2, ensure_ascii=False)``, which takes what it
    takes (dicts, lists, tuples, strings, numbers, booleans and None); an iterator, such as a
    generator, is an array too."""
    if isinstance(value, str):
        yield _string(value)
    elif value is None or isinstance(value, (bool, int, float)):
        yield _scalar(value)
    elif isinstance(value, dict):
        yield from _object(value, level)
    elif isinstance(value, (list, tuple, Iterator)):
        yield from _array(value, level)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_string: Callable[[str], str] = encode_basestring
"""json's own quoting of a string (its C version where there is one)."""


def _scalar(value: bool | int | float | None) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _flat(value: Any) -> str | None:
    """The text of a string, number, boolean or None; None for a container."""
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int, float)):
        return _scalar(value)
    return None


def _key(key: Any) -> str:
    """A key as ``json.dumps`` writes it: a string, or a number, true, false or null as its text."""
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, (bool, int, float)):
        return _string(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _object(value: dict[Any, Any], level: int) -> Iterator[str]:
    return _members(((_key(key) + ": ", item) for key, item in value.items()), level, "{}")


def _array(value: Iterable[Any], level: int) -> Iterator[str]:
    return _members((("", item) for item in value), level, "[]")


def _members(members: Iterable[tuple[str, Any]], level: int, brackets: str) -> Iterator[str]:
    """An object's or an array's members, each after its label (``"key": `` or nothing)."""
    inner = "\n" + INDENT * (level + 1)
    first = True
    for label, item in members:
        yield (brackets[0] if first else ",") + inner + label
        first = False
        flat = _flat(item)
        if flat is not None:
            yield flat
        else:
            yield from encode(item, level + 1)
    yield brackets if first else "\n" + INDENT * level + brackets[1]
