"""YAML constructs that would change what an editor typed, found before they can.

A plan file is a record: what an editor types must be what lgcb reads.  Some YAML constructs
quietly change it — ``text: &Improved mechanisms`` makes "Improved" an anchor name and keeps
"mechanisms"; ``!x`` is a tag, ``%YAML`` a directive; `` # `` after a text on the same line starts a
comment that swallows the rest; a non-breaking space used as indentation is read as text.  Each is
reported here as a problem with the fix (usually: put the text in quotes).

The valid path stays cheap: the token scan runs only on a file holding ``&``, ``!`` or ``%`` at all,
and the line checks are one regular expression each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from lgcb.checks.problem import Fix

_TokenLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

# A ` #` followed by a space reads as a note (`title: X  # verbatim`) and is left alone; one followed by
# a word or number (`#1 priority`, `#BCH`) is most likely part of the text.
TEXT_KEYS = (
    "title|subtitle|aim|text|group|note|unit|means_of_verification|source|document|annex|meeting|place|dates"
    "|paragraphs|symbol|distribution|date|original_language"
)
"""Fields that hold words: a `` #`` after their value on the same line would cut the words short."""

_COMMENT_AFTER_TEXT = (
    rf"(?m)^(?P<lead>[ ]*(?:-[ ]+)?(?:{TEXT_KEYS}):[ ]+)"
    rf"(?P<value>[^'\"\s|>&!*%@`\[{{#][^\n]*?)(?P<comment>[ \t]+#[^ \t\n][^\n]*)$"
)
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")
_ODD_INDENT = "(?m)^[ \\t]*([\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff])"
_SPACE_NAMES = {"\u00a0": "a non-breaking space (U+00A0)", "\ufeff": "a zero-width no-break space (U+FEFF)"}


@dataclass(frozen=True)
class Found:
    line: int
    col: int
    message: str
    rule: str
    fix: Fix | None = None


def quoted(text: str) -> str:
    """``text`` as a single-quoted YAML scalar, which reads back exactly as ``text`` (one line)."""
    return "'" + text.replace("'", "''") + "'"


def _space_name(char: str) -> str:
    return _SPACE_NAMES.get(char, f"the space character U+{ord(char):04X}")


def quote_rest(text: str, index: int, line: int, col: int) -> Fix | None:
    """The fix that puts the rest of the line, from ``index`` (at ``line``:``col``), in quotes: what the
    editor typed, as one text; none when a comment is on the line (it may be a note, not text)."""
    end = text.find("\n", index)
    typed = text[index : len(text) if end < 0 else end].rstrip()
    if not typed or " #" in typed:
        return None
    return Fix(line, col, line, col + len(typed), quoted(typed))


def scan(text: str) -> list[Found]:
    """Every construct of ``text`` that would change what the editor typed."""
    found: list[Found] = []
    for m in re.finditer(_ODD_INDENT, text) if _ODD_SPACE.search(text) else ():
        line = text.count("\n", 0, m.start()) + 1
        col = m.start(1) - (text.rfind("\n", 0, m.start()) + 1) + 1
        found.append(
            Found(
                line,
                col,
                f"{_space_name(m.group(1))} is used for indentation; YAML needs ordinary spaces: "
                "replace it with a space",
                "indentation",
                Fix(line, col, line, col + 1, " "),
            )
        )
    for m in re.finditer(_COMMENT_AFTER_TEXT, text) if " #" in text or "\t#" in text else ():
        line = text.count("\n", 0, m.start()) + 1
        col = len(m.group("lead")) + 1
        value = m.group("value") + m.group("comment")
        found.append(
            Found(
                line,
                col + len(m.group("value")),
                f"YAML reads `{m.group('comment').strip()}` after the text as a comment, so the text would end at "
                f"{m.group('value')!r}: if it is part of the text, put the whole text in quotes; if it is a note, "
                "put it on a line of its own",
                "comment-in-text",
                Fix(line, col, line, col + len(value), quoted(value.rstrip())),
            )
        )
    if "&" in text or "!" in text or "%" in text:
        found += _tokens(text)
    return found


def _tokens(text: str) -> list[Found]:
    """Anchors, tags and directives, from libyaml's scanner (comments and quoted text cannot fool it)."""
    found: list[Found] = []
    tokens: list[Any] = []
    try:
        for token in yaml.scan(text, Loader=_TokenLoader):
            tokens.append(token)
    except yaml.YAMLError:
        pass  # the parser reports the syntax error itself; what was scanned before it still counts
    for i, token in enumerate(tokens):
        if isinstance(token, yaml.DirectiveToken):
            mark = token.start_mark
            found.append(
                Found(
                    mark.line + 1,
                    mark.column + 1,
                    f"the directive `%{token.name}` is not used in plan files; remove the line",
                    "directive",
                    Fix(mark.line + 1, 1, mark.line + 2, 1, ""),
                )
            )
        elif isinstance(token, yaml.AnchorToken | yaml.TagToken):
            kind = "an anchor" if isinstance(token, yaml.AnchorToken) else "a tag"
            written = text[token.start_mark.index : token.end_mark.index]
            mark = token.start_mark
            fix = None
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if isinstance(following, yaml.AnchorToken | yaml.TagToken):
                following = tokens[i + 2] if i + 2 < len(tokens) else None
            if (
                isinstance(following, yaml.ScalarToken)
                and following.plain
                and following.end_mark.line == mark.line
                and (i == 0 or not isinstance(tokens[i - 1], yaml.AnchorToken | yaml.TagToken))
            ):
                fix = quote_rest(text, mark.index, mark.line + 1, mark.column + 1)
            advice = (
                f": YAML would leave `{written}` out of the text; put the text in quotes"
                if fix is not None
                else "; remove it"
            )
            found.append(
                Found(
                    mark.line + 1,
                    mark.column + 1,
                    f"`{written}` is {kind}, which plan files do not use{advice}",
                    "alias" if kind == "an anchor" else "tag",
                    fix,
                )
            )
    return found
