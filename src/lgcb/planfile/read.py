"""Reading plan files: plan discovery, safe YAML with bounded cost, and node marks for errors.

The valid path is kept fast: files are parsed straight to Python data by libyaml.  Only a file
that turns out to have a problem is composed again into a node tree, so that the problem can be
pointed at the exact line and column of the YAML node concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from lgcb.checks.problem import Problem
from lgcb.fileio import display_path

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A plan file larger than this is refused before it is parsed (an objective file is ~10 KiB)."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MarkLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class AliasUsed(yaml.MarkedYAMLError):
    """Raised on the first reuse of an anchored node, which stops alias bombs before they expand."""


class _PlanLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, refusing aliases and recording duplicate keys instead of dropping them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, str]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasUsed(problem="alias", problem_mark=node.start_mark)
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((key_node, key_node.value))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlanLoader.construct_yaml_str)
"""Dates stay text: a plan has no use for datetime objects, and text keeps error messages exact."""


class _Unusual(Exception):
    """A node the fast path leaves to PyYAML's own constructor (merge keys, tags, complex keys)."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS: dict[str, Any] = {
    "tag:yaml.org,2002:null": lambda loader, node: None,
    "tag:yaml.org,2002:bool": _PlanLoader.construct_yaml_bool,
    "tag:yaml.org,2002:int": _PlanLoader.construct_yaml_int,
    "tag:yaml.org,2002:float": _PlanLoader.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": lambda loader, node: node.value,
}


def _fast_data(loader: _PlanLoader, text: str) -> Any:
    """The file's data, exactly as ``loader.get_single_data()`` gives it, in about two thirds of the time.

    PyYAML's generic constructor is a large part of the cost of a big plan.  Plan files hold only
    mappings, lists and plain scalars, so those are built here directly from libyaml's node tree,
    with the same alias refusal and duplicate-key record; anything else (a tag, a merge key, a
    list as a key) is handed to the full constructor, which gives its usual result or error.
    """
    node = loader.get_single_node()
    if node is None:
        return None
    seen: set[int] = set()
    duplicates = loader.duplicates

    def build(node: yaml.Node) -> Any:
        if id(node) in seen:
            raise AliasUsed(problem="alias", problem_mark=node.start_mark)
        seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            mapping: dict[Any, Any] = {}
            raw: set[str] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or (key_node.tag != _STR and key_node.tag not in _SCALARS):
                    raise _Unusual
                if key_node.value in raw:
                    duplicates.append((key_node, key_node.value))
                raw.add(key_node.value)
                key = build(key_node)
                mapping[key] = build(value_node)
            return mapping
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [build(child) for child in node.value]
        if isinstance(node, yaml.ScalarNode) and tag in _SCALARS:
            return _SCALARS[tag](loader, node)
        raise _Unusual

    try:
        return build(node)
    except _Unusual:
        slow = _PlanLoader(text)
        try:
            data = slow.get_single_data()
            loader.duplicates = slow.duplicates
            return data
        finally:
            slow.dispose()


@dataclass
class Document:
    """One YAML file: its text, its data once parsed, and the problems found while reading it."""

    path: Path
    display: str
    text: str = ""
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, col: int, message: str, rule: str, level: str = "error") -> Problem:
        p = Problem(self.display, line, col, message, rule, level)  # type: ignore[arg-type]
        self.problems.append(p)
        return p

    @cached_property
    def root(self) -> yaml.Node | None:
        """The node tree, composed only when a problem needs a location.

        Composed without resolving tags (``BaseLoader``): locating needs the structure and the
        marks, and the scalars' raw text, not what YAML would make of them.
        """
        try:
            return yaml.compose(self.text, Loader=_MarkLoader)
        except yaml.YAMLError:
            return None

    def release(self) -> None:
        """Let go of the node tree (it is composed again if asked for)."""
        self.__dict__.pop("root", None)

    def locate(self, loc: Sequence[Any]) -> tuple[yaml.Node | None, yaml.Node | None, int]:
        """Follow ``loc`` (keys and indexes, as in pydantic errors) down the node tree.

        Returns the deepest node reached, the key node of the last mapping step, and how many
        parts of ``loc`` were resolved; parts that are not keys of a mapping (such as pydantic's
        union tags) are skipped.
        """
        node = self.root
        key_node = None
        resolved = 0
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        node, key_node = v, k
                        resolved += 1
                        break
                else:
                    if isinstance(part, str) and part.startswith("<"):
                        resolved += 1
                        continue
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node, key_node = node.value[part], None
                resolved += 1
            else:
                break
        return node, key_node, resolved

    def position(self, loc: Sequence[Any], at_key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the node at ``loc``; of its key with ``at_key``."""
        node, key_node, _ = self.locate(loc)
        target = key_node if at_key and key_node is not None else node
        if target is None:
            return 1, 1
        return target.start_mark.line + 1, target.start_mark.column + 1


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    if "tab" in problem:
        return "a tab character is used for indentation; YAML needs spaces: replace the tab with spaces"
    if problem.startswith("mapping values are not allowed"):
        return "unexpected ':' — text that contains ': ' must be quoted, e.g. text: \"Development of a guide on: ...\""
    if problem == "found undefined alias":
        return "'*' starts an alias, which plan files do not use: put text that starts with '*' in quotes"
    if "exceeded maximum nesting depth" in problem:
        return "the YAML is nested far too deeply to be a plan file"
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.rsplit(" ", 1)[-1]
        return f"the tag {tag} is not allowed: plan files hold plain text, numbers, lists and mappings"
    if "unexpected end of stream" in problem and "quoted scalar" in (error.context or ""):
        return "a quoted text is never closed: add the closing quote"
    context = f" ({error.context.strip()})" if error.context else ""
    return f"YAML syntax error: {problem}{context}"


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _within(text: str, line: int, col: int) -> tuple[int, int]:
    """Keep a position inside the file: libyaml puts "unexpected end" one line past a last line
    that has no newline, where an editor has no such line; point at the end of the last line."""
    lines = text.split("\n")
    if line <= len(lines):
        return line, col
    return len(lines), len(lines[-1]) + 1


def parse_yaml(text: str) -> Any:
    """The data of a plan file's text exactly as :func:`read_yaml` reads it (for tools such as
    ``lgcb fmt`` that must compare contents); raises ``yaml.YAMLError`` on a bad file."""
    loader = _PlanLoader(text)
    try:
        return _fast_data(loader, text)
    finally:
        loader.dispose()


def read_yaml(path: Path) -> Document:
    """Read one YAML file safely; problems are collected on the returned document, never raised."""
    doc = Document(path, display_path(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            doc.problem(
                1,
                1,
                f"the file is {size / 1048576:.1f} MiB; plan files may be at most {MAX_FILE_BYTES // 1048576} MiB",
                "file-too-large",
            )
            return doc
        raw = path.read_bytes()
    except OSError as e:
        doc.problem(1, 1, f"cannot read the file: {e.strerror or e}", "unreadable")
        return doc
    try:
        doc.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        doc.problem(
            line,
            col,
            f"the file is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save it with UTF-8 encoding",
            "encoding",
        )
        return doc
    loader = _PlanLoader(doc.text)
    try:
        doc.data = _fast_data(loader, doc.text)
    except AliasUsed as e:
        mark = e.problem_mark
        doc.problem(
            mark.line + 1,
            mark.column + 1,
            "anchors and aliases ('&name', '*name') are not allowed in plan files: write the text out",
            "alias",
        )
        return doc
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = _within(doc.text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        doc.problem(line, col, _yaml_message(e), "yaml-syntax")
        return doc
    except yaml.reader.ReaderError as e:
        line, col = _line_col(doc.text, e.position)
        doc.problem(line, col, f"the character {e.character!r} is not allowed in a YAML file", "yaml-syntax")
        return doc
    except yaml.YAMLError as e:
        doc.problem(1, 1, f"YAML error: {e}", "yaml-syntax")
        return doc
    except RecursionError:
        doc.problem(1, 1, "the YAML is nested far too deeply to be a plan file", "yaml-syntax")
        return doc
    finally:
        loader.dispose()
    for key_node, key in loader.duplicates:
        doc.problem(
            key_node.start_mark.line + 1,
            key_node.start_mark.column + 1,
            f"the field `{key}` appears twice in the same mapping; keep only one",
            "duplicate-key",
        )
    if doc.data is None:
        doc.problem(1, 1, "the file is empty", "empty-file")
    elif not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        doc.problem(
            1,
            1,
            f"the file holds {kind}; a plan file must be a mapping of fields (`name: value` lines)",
            "not-a-mapping",
        )
    return doc
