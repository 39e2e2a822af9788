"""Plan files in the block layout lgcb writes, read line by line without a YAML node tree.

libyaml's composer makes two Python objects per node (the node and its marks), and that is most
of the cost of reading a large plan.  The files lgcb writes (and that editors keep) use a small
part of YAML: block mappings and block lists, one scalar per line, plain or quoted on one line,
and comments.  :func:`read` reads exactly that part, giving the same data libyaml would, and
declines everything else (``None``): the caller then reads the file with libyaml, which gives its
usual result or error.  Anything unusual is declined rather than interpreted — a tab, a line
break YAML counts that Python does not, a multi-line or block scalar, a flow collection, an
anchor, alias or tag, a duplicate key, an indentation libyaml would read differently — so a text
is never read differently from what YAML makes of it (checked against libyaml by property tests).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

STR = "tag:yaml.org,2002:str"

_DECLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters this reader leaves to libyaml: tabs, carriage returns, NEL and the Unicode line and
paragraph separators (YAML line breaks), other characters YAML does not print, a byte-order mark."""
_MARKERS = ("---", "...", "%")
"""Line starts this reader leaves to libyaml: document markers and directives (checked in :func:`read`)."""

_LINES = re.compile(r"^( *)(- +)?(?:([A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}):(?: +(.*))?|(.*))$", re.MULTILINE)
"""Each line: indentation, a list dash, then ``key:`` with an optional value, or a value alone (a
group that does not take part is ""; a key cannot be "")."""

_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)? *")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\[0abtnvfre"/\\N_LP])*)"(?: +#.*)? *')
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_ESCAPE = re.compile(r"\\(.)")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

_constructor = yaml.constructor.SafeConstructor()
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_BUILD: dict[str, Any] = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": lambda node: node.value,  # dates stay text, as read.py reads them
}


MAX_DEPTH = 64
"""Nesting beyond this is left to libyaml, which reports it (a plan file nests a few levels): the
reader's recursion stays far from Python's limit whatever a file holds."""


class Declined(Exception):
    """The file uses YAML this reader leaves to libyaml."""


_TEXT_KEYS: set[str] = set()
"""Keys seen to resolve to text: a plan's keys are few and repeated, so each is resolved once."""

_DASH = 0
_KEY = 1
_VALUE = 2


def read(text: str, positions: dict[tuple[Any, ...], tuple[int, int]] | None = None) -> Any:
    """The data of ``text`` exactly as libyaml's safe loader (with dates as text) reads it, or
    ``None`` when the file uses YAML beyond the block layout (see the module's description).

    With ``positions``, the line and column (from 1) where each list entry starts are put in it,
    keyed by the entry's path of keys and indexes: what libyaml's node marks would say.
    """
    if _DECLINE.search(text) or text.startswith(_MARKERS) or "\n---" in text or "\n..." in text or "\n%" in text:
        return None
    tokens: list[tuple[int, int, int, str | None, str | None]] = []
    append = tokens.append
    # One match per line, in order (the pattern matches any line), all made by the regex engine at once.
    for number, (indent, dash, key, value, alone) in enumerate(_LINES.findall(text), 1):
        if not key:
            stripped = alone.rstrip(" ")
            if not stripped or stripped[0] == "#":
                if not dash:
                    continue  # a blank line or a comment
                return None  # a dash with no value on its line
        column = len(indent)
        if dash:
            append((_DASH, column, number, None, None))
            column += len(dash)
        if key:
            append((_KEY, column, number, key, value if value.strip(" ") else None))  # `key:` alone: None
        else:
            append((_VALUE, column, number, None, alone))
    if not tokens:
        return None
    try:
        data, end = _Reader(tokens, positions).mapping(0, 0, ())
    except Declined:
        if positions is not None:
            positions.clear()
        return None
    if end != len(tokens):
        if positions is not None:
            positions.clear()
        return None
    return data


class _Reader:
    __slots__ = ("positions", "tokens")

    def __init__(
        self,
        tokens: list[tuple[int, int, int, str | None, str | None]],
        positions: dict[tuple[Any, ...], tuple[int, int]] | None,
    ) -> None:
        self.tokens = tokens
        self.positions = positions

    def mapping(self, i: int, indent: int, path: tuple[Any, ...], depth: int = 0) -> tuple[dict[str, Any], int]:
        if depth > MAX_DEPTH:
            raise Declined
        tokens = self.tokens
        count = len(tokens)
        result: dict[str, Any] = {}
        while i < count:
            kind, column, _, key, value = tokens[i]
            if column < indent:
                break
            if column > indent or kind != _KEY:
                raise Declined
            assert key is not None
            if key not in _TEXT_KEYS:
                if resolve(key) != STR:
                    raise Declined  # a key YAML reads as a number, a truth value or null
                if len(_TEXT_KEYS) < 10_000:
                    _TEXT_KEYS.add(key)
            if key in result:
                raise Declined  # a duplicate key: libyaml's path records it
            i += 1
            if value is not None:
                result[key] = scalar(value)
                continue
            if i < count and tokens[i][1] > indent:
                kind, column = tokens[i][0], tokens[i][1]
                here = (*path, key) if self.positions is not None else path
                if kind == _DASH:
                    result[key], i = self.sequence(i, column, here, depth + 1)
                elif kind == _KEY:
                    result[key], i = self.mapping(i, column, here, depth + 1)
                else:
                    raise Declined  # a scalar on the next line
            elif i < count and tokens[i][1] == indent and tokens[i][0] == _DASH:
                raise Declined  # a list not indented under its key
            else:
                result[key] = None
        return result, i

    def sequence(self, i: int, indent: int, path: tuple[Any, ...], depth: int) -> tuple[list[Any], int]:
        if depth > MAX_DEPTH:
            raise Declined
        tokens = self.tokens
        count = len(tokens)
        positions = self.positions
        result: list[Any] = []
        while i < count:
            kind, column, _, _, _ = tokens[i]
            if column < indent:
                break
            if column > indent or kind != _DASH:
                raise Declined
            kind, column, number, _, value = tokens[i + 1]  # a dash is always followed by its entry
            here = (*path, len(result)) if positions is not None else path
            if positions is not None:
                positions[here] = (number, column + 1)
            if kind == _KEY:
                entry, i = self.mapping(i + 1, column, here, depth + 1)
                result.append(entry)
            elif kind == _VALUE:
                assert value is not None
                result.append(scalar(value))
                i += 2
                if i < count and tokens[i][1] > indent:
                    raise Declined  # the text goes on over the next line
            else:
                raise Declined  # a list in a list
        return result, i


_WORD_TAGS = {tag for first, found in _IMPLICIT.items() if first.isalpha() for tag, _ in found}
assert _WORD_TAGS <= {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}, "a word is text unless it is one of those"


_DIGIT_TAGS = {tag for first, found in _IMPLICIT.items() if first.isdigit() for tag, _ in found}
assert _DIGIT_TAGS <= {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_NOT_NUMERIC = re.compile(r"[^0-9_.:+\- \tabcdefABCDEFxTtZ]")
"""A character none of YAML 1.1's numbers and dates holds (they hold digits, signs, ``_ . :``, the
hexadecimal digits, ``0x``, ``0b`` and a date's ``T``, ``Z`` and spaces): an ID such as ``3.O1`` is
text at once, without trying three regular expressions."""


def resolve(plain: str) -> str:
    """The tag libyaml's safe loader gives a plain scalar (what ``read.py``'s resolver gives)."""
    first = plain[0]
    if first.isalpha():
        if len(plain) > 5:
            return STR  # longer than any truth value or null word ("false", "FALSE")
    elif "0" <= first <= "9" and _NOT_NUMERIC.search(plain):
        return STR
    for tag, regexp in _IMPLICIT.get(plain[:1], ()):
        if regexp.match(plain):
            return tag
    return STR


def scalar(value: str) -> Any:
    """A one-line scalar, as libyaml reads it, or :class:`Declined`."""
    first = value[0]
    if first == "'":
        m = _SINGLE.fullmatch(value)
        if m is None:
            raise Declined
        return m.group(1).replace("''", "'")
    if first == '"':
        m = _DOUBLE.fullmatch(value)
        if m is None:
            raise Declined
        inner = m.group(1)
        return _ESCAPE.sub(lambda e: _ESCAPES[e.group(1)], inner) if "\\" in inner else inner
    if first in _INDICATORS and (first not in "-?:" or len(value) < 2 or value[1] == " "):
        raise Declined
    cut = value.find(" #")
    if cut >= 0:
        value = value[:cut]
    value = value.rstrip(" ")
    if ": " in value or value[-1] == ":":
        raise Declined
    tag = resolve(value)
    if tag == STR:
        return value
    builder = _BUILD.get(tag)
    if builder is None:
        raise Declined
    return builder(yaml.ScalarNode(tag, value))
