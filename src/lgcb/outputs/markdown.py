"""Markdown, the one way: plan text escaped so that it reads as written, in a paragraph or a table.

Every Markdown lgcb writes (the rendered plan, coverage, progress and diff reports) escapes text
through :func:`escape`: a ``*`` or ``<`` in an item stays a character instead of turning into
emphasis or raw HTML, a ``|`` does not end a table cell, and a line break does not end one either.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))(?=\s|$)")
"""What would start a heading or a list at the start of a line: "# ", "- ", "1. " (not "0.4")."""


_AS_IS = re.compile(r"[^\\`*_\[\]<>|~&\s#+=\-0-9][^\\`*_\[\]<>|~&\s]*(?: [^\\`*_\[\]<>|~&\s]+)*")
"""A text :func:`escape` leaves as it is: no markup, no whitespace but single spaces between words,
and nothing at its start that could start a heading or a list."""


def escape(text: object) -> str:
    """Text as literal Markdown: inline markup escaped, whitespace (line breaks) collapsed."""
    value = str(text)
    if _AS_IS.fullmatch(value):
        return value  # most plan texts: the checks below would change nothing
    value = " ".join(value.split())
    value = _ENTITY.sub("&amp;", value)
    value = _INLINE.sub(r"\\\1", value)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", value)


def code(text: str) -> str:
    """``text`` as an inline code span (for labels such as revision names, paths and IDs)."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"
