"""Reading plan files: safe YAML with bounded cost, and node marks for locating problems.

The valid path is kept fast: a file in the block layout lgcb writes is read line by line
(:mod:`lgcb.planfile.block`), any other file straight to Python data by libyaml.  Only a file that
turns out to have a problem is composed into a node tree, so that the problem can be pointed at
the exact line and column of the YAML node concerned.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from lgcb.checks.problem import Fix, Problem
from lgcb.fileio import display_path
from lgcb.planfile import block, verbatim

MAX_FILE_BYTES = 1024 * 1024
"""A plan file larger than this is refused before it is parsed (an objective file is 4–10 KiB): the cap
bounds the work a hostile file can cause, to about a second."""
MAX_PROBLEMS = 200
"""Problems reported in detail per file; beyond them one line says how many more there are."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MarkLoader: Any = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Duplicate:
    """A key given twice in one mapping: the second key node, the mapping, whether it is a list entry."""

    key: yaml.Node
    name: str
    mapping: yaml.MappingNode
    in_list: bool


class AliasUsed(yaml.MarkedYAMLError):
    """Raised on the first reuse of an anchored node, which stops alias bombs before they expand."""


class _PlanLoader(_BaseLoader):  # type: ignore[misc]
    """libyaml's safe loader, refusing aliases and recording duplicate keys instead of dropping them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []
        self.root: yaml.Node | None = None
        """The node tree the data was built from, kept for locating problems until released."""

    # libyaml calls these three back for every node of the file, which makes them a large part of
    # the cost of composing a big plan.  PyYAML's versions serve path resolvers and wildcard
    # resolvers as well, which the safe loader has none of (checked below); these give the same tags.

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasUsed(problem="alias", problem_mark=node.start_mark)
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append(Duplicate(key_node, key_node.value, node, False))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)


_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = _PlanLoader.yaml_implicit_resolvers
assert not _PlanLoader.yaml_path_resolvers and None not in _IMPLICIT, "the fast resolver assumes neither"
_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlanLoader.construct_yaml_str)
"""Dates stay text: a plan has no use for datetime objects, and text keeps error messages exact."""


class _Unusual(Exception):
    """A node the fast path leaves to PyYAML's own constructor (merge keys, tags, complex keys)."""


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
    loader.root = node
    if node is None:
        return None
    try:
        return _Builder(loader).build(node)
    except _Unusual:
        slow = _PlanLoader(text)
        try:
            data = slow.get_single_data()
            loader.duplicates = slow.duplicates
            return data
        finally:
            slow.dispose()


class _Builder:
    """Plain data from a node tree.  A class rather than a recursive closure: a closure that calls
    itself is a reference cycle, which would keep every file's node tree alive while the garbage
    collector is paused for loading."""

    __slots__ = ("duplicates", "loader", "seen")

    def __init__(self, loader: _PlanLoader) -> None:
        self.loader = loader
        self.seen: set[int] = set()
        self.duplicates = loader.duplicates

    def build(self, node: yaml.Node, in_list: bool = False) -> Any:
        seen = self.seen
        if id(node) in seen:
            raise AliasUsed(problem="alias", problem_mark=node.start_mark)
        seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            build = self.build
            mapping: dict[Any, Any] = {}
            raw: set[str] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or (key_node.tag != _STR and key_node.tag not in _SCALARS):
                    raise _Unusual
                if key_node.value in raw:
                    self.duplicates.append(Duplicate(key_node, key_node.value, node, in_list))
                raw.add(key_node.value)
                mapping[build(key_node)] = build(value_node)
            return mapping
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            build = self.build
            return [build(child, True) for child in node.value]
        if isinstance(node, yaml.ScalarNode) and tag in _SCALARS:
            return _SCALARS[tag](self.loader, node)
        raise _Unusual


@dataclass
class Document:
    """One YAML file: its text, its data once parsed, and the problems found while reading it."""

    path: Path
    display: str
    text: str = ""
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, repr=False)
    more: int = 0
    """Problems found beyond :data:`MAX_PROBLEMS`, counted but not listed."""
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict, repr=False)
    """Line and column of list entries, kept by :meth:`keep_positions` so that locating them needs
    no node tree."""

    def problem(
        self, line: int, col: int, message: str, rule: str, level: str = "error", fix: Fix | None = None
    ) -> Problem | None:
        """Record a problem; beyond :data:`MAX_PROBLEMS` it is only counted (see :meth:`all_problems`)."""
        if self.full:
            self.more += 1
            return None
        if fix is not None and any(_overlap(fix, other.fix) for other in self.problems if other.fix is not None):
            fix = None  # two fixes of one place cannot both be applied: the problem keeps its advice only
        p = Problem(self.display, line, col, message, rule, level, fix=fix)  # type: ignore[arg-type]
        self.problems.append(p)
        return p

    def all_problems(self) -> list[Problem]:
        """The problems recorded, and one more that counts those beyond the limit."""
        if not self.more:
            return list(self.problems)
        last = Problem(
            self.display,
            1,
            1,
            f"and {self.more} more problem{'s' * (self.more != 1)} in this file, not listed: fix the ones above "
            "(often one mistake repeated) and validate again",
            "too-many-problems",
        )
        return [*self.problems, last]

    @property
    def full(self) -> bool:
        """Whether the file already has as many problems as are reported in detail (see :data:`MAX_PROBLEMS`)."""
        return len(self.problems) >= MAX_PROBLEMS

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

    def keep_positions(self, keys: Iterable[str], nested: str) -> None:
        """Record where each entry of the lists under the top-level ``keys`` starts, and of the lists
        under ``nested`` in them, recursively: a command that locates findings on many entries
        (coverage) then finds them there, without composing the file again once it is released."""
        root = self.__dict__.get("root")
        if not isinstance(root, yaml.MappingNode):  # read without a node tree: kept while reading
            return
        wanted = set(keys)
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in wanted:
                _keep_positions(self.positions, (key_node.value,), value_node, nested)

    def release(self) -> None:
        """Let go of the node tree (it is composed again if asked for)."""
        self.__dict__.pop("root", None)
        self._keys.clear()

    def _children(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping node's keys, indexed once: locating many problems in one mapping stays linear."""
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._keys[id(node)] = index
        return index

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
                found = self._children(node).get(str(part))
                if found is not None:
                    key_node, node = found
                    resolved += 1
                elif isinstance(part, str) and part.startswith("<"):
                    resolved += 1
                    continue
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node, key_node = node.value[part], None
                resolved += 1
            else:
                break
        return node, key_node, resolved

    def kept_position(self, loc: Sequence[Any]) -> tuple[int, int] | None:
        """Line and column of the entry at ``loc`` if :meth:`keep_positions` (or the reader) kept it."""
        return self.positions.get(tuple(loc)) if "root" not in self.__dict__ else None

    def position(self, loc: Sequence[Any], at_key: bool = False) -> tuple[int, int]:
        """Line and column (from 1) of the node at ``loc``; of its key with ``at_key``."""
        if not at_key:
            kept = self.kept_position(loc)
            if kept is not None:
                return kept
        node, key_node, _ = self.locate(loc)
        target = key_node if at_key and key_node is not None else node
        if target is None:
            return 1, 1
        return target.start_mark.line + 1, target.start_mark.column + 1


def _keep_positions(
    found: dict[tuple[Any, ...], tuple[int, int]], loc: tuple[Any, ...], node: yaml.Node, nested: str
) -> None:
    if not isinstance(node, yaml.SequenceNode):
        return
    for i, child in enumerate(node.value):
        here = (*loc, i)
        found[here] = (child.start_mark.line + 1, child.start_mark.column + 1)
        if isinstance(child, yaml.MappingNode):
            for key_node, value_node in child.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == nested:
                    _keep_positions(found, (*here, nested), value_node, nested)


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
    data = block.read(text)
    if data is not None:
        return data
    loader = _PlanLoader(text)
    try:
        return _fast_data(loader, text)
    finally:
        loader.dispose()


_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""What YAML does not allow in a file: the complement of its printable set (TAB, LF, CR, NEL and the
rest of Unicode but controls, surrogates and U+FFFE/U+FFFF), written as the characters themselves
because a class of the printable ones takes several milliseconds to compile, on every start."""


def _overlap(a: Fix, b: Fix) -> bool:
    return (a.line, a.col) < (b.end_line, b.end_col) and (b.line, b.col) < (a.end_line, a.end_col)


def _control_character(char: str) -> str:
    if char == "\x00":
        return "a NUL byte (U+0000)"
    return f"the control character U+{ord(char):04X}"


_SPECIAL_START = {"@": "'@'", "`": "a backtick", "%": "'%'"}


def _syntax(doc: Document, error: yaml.MarkedYAMLError) -> None:
    """A YAML syntax error, placed and worded for an editor; with the quoting fix where it is sure."""
    mark = error.problem_mark or error.context_mark
    line, col = _within(doc.text, mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    before = doc.text[doc.text.rfind("\n", 0, mark.index) + 1 : mark.index] if mark is not None else ""
    at_value = re.fullmatch(r"\s*(?:-\s+)?[\w-]+:\s+", before) is not None
    starts_badly = mark is not None and doc.text[mark.index : mark.index + 1] not in " \t\n"
    if problem.startswith("found character") and "cannot start any token" in problem and at_value and starts_badly:
        assert mark is not None
        char = doc.text[mark.index : mark.index + 1]
        what = _SPECIAL_START.get(char, f"'{char}'")
        fix = verbatim.quote_rest(doc.text, mark.index, line, col)
        doc.problem(
            line,
            col,
            f"a text cannot start with {what} unless it is in quotes: put the text in quotes",
            "yaml-syntax",
            fix=fix,
        )
        return
    message = _yaml_message(error)
    curly = _curly_at(doc.text, line)
    if curly:
        message += f"; {curly}"
    doc.problem(line, col, message, "yaml-syntax")


_CURLY = "“”‘’„‚"


def _curly_at(text: str, line: int) -> str:
    """Advice when a line holds curly quotes where YAML needs straight ones."""
    lines = text.split("\n")
    if 0 < line <= len(lines) and re.search(rf":\s+[{_CURLY}]", lines[line - 1]):
        return (
            "the value is in curly quotes (“ ” or ‘ ’), which YAML reads as text, not as quotes: "
            "use straight quotes (' or \")"
        )
    return ""


def read_yaml(path: Path, known: Container[str] = (), positions: bool = False, raw: bytes | None = None) -> Document:
    """Read one YAML file safely; problems are collected on the returned document, never raised.

    The file must be a regular file of at most :data:`MAX_FILE_BYTES` (enforced by what is read);
    constructs that would change what the editor typed are reported (:mod:`lgcb.planfile.verbatim`).
    A file whose text is in ``known`` (texts read before, without problems) is not parsed again:
    the document then holds its text only, and the caller reuses what it made of that text.
    With ``positions``, where each list entry starts is kept if it comes at no cost (see
    :meth:`Document.keep_positions`).  ``raw`` is the file's content when it is not on disk yet (a
    file about to be written, checked first).
    """
    from lgcb.fileio import FileError, read_regular

    doc = Document(path, display_path(path))
    try:
        if raw is None:
            raw = read_regular(path, MAX_FILE_BYTES, what="file")
        elif len(raw) > MAX_FILE_BYTES:
            raise FileError(path, "too large", "too-large")
    except FileError as e:
        rule = "file-too-large" if e.kind == "too-large" else "unreadable"
        message = (
            f"the file is larger than {MAX_FILE_BYTES // 1048576} MiB, the most a plan file may be"
            if e.kind == "too-large"
            else e.reason
        )
        doc.problem(1, 1, message, rule)
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
    if doc.text in known:
        return doc
    changed = verbatim.scan(doc.text)
    for found in changed:
        doc.problem(found.line, found.col, found.message, found.rule, fix=found.fix)
    data = block.read(doc.text, doc.positions if positions else None)
    if data is not None:
        doc.data = data
        return _shape(doc)
    flagged = {f.line for f in changed}
    indented = min((f.line for f in changed if f.rule == "indentation"), default=None)
    loader = _PlanLoader(doc.text)
    try:
        doc.data = _fast_data(loader, doc.text)
        if loader.root is not None:
            doc.__dict__["root"] = loader.root  # located problems need it: kept until release()
    except AliasUsed as e:
        mark = e.problem_mark
        if not (mark and mark.line + 1 in flagged):
            doc.problem(
                mark.line + 1 if mark else 1,
                mark.column + 1 if mark else 1,
                "anchors and aliases ('&name', '*name') are not allowed in plan files: write the text out",
                "alias",
            )
        return doc
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        # The construct is reported already, with its fix; a bad indentation confuses what follows it.
        if line not in flagged and not (indented is not None and line >= indented):
            _syntax(doc, e)
        return doc
    except yaml.reader.ReaderError as e:
        # libyaml counts the position in bytes; find the character itself in the text.
        bad = _NOT_PRINTABLE.search(doc.text)
        line, col = _line_col(doc.text, bad.start() if bad else e.position)
        text_line = doc.text.split("\n")[line - 1]
        doc.problem(
            line,
            col,
            f"{_control_character(chr(e.character) if isinstance(e.character, int) else str(e.character))} "
            "is not allowed in a plan file: remove it",
            "yaml-syntax",
            fix=Fix(line, 1, line, len(text_line) + 1, _NOT_PRINTABLE.sub("", text_line)),
        )
        return doc
    except yaml.YAMLError as e:
        doc.problem(1, 1, f"YAML error: {e}", "yaml-syntax")
        return doc
    except RecursionError:
        doc.problem(1, 1, "the YAML is nested far too deeply to be a plan file", "yaml-syntax")
        return doc
    finally:
        loader.dispose()
    _duplicates(doc, loader.duplicates)
    return _shape(doc)


def _shape(doc: Document) -> Document:
    """The document, with a problem if its data is not a mapping of fields."""
    if doc.data is None and not doc.problems:
        doc.problem(1, 1, "the file is empty", "empty-file")
    elif doc.data is not None and not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        doc.problem(
            1,
            1,
            f"the file holds {kind}; a plan file must be a mapping of fields (`name: value` lines)",
            "not-a-mapping",
        )
    return doc


def _duplicates(doc: Document, duplicates: list[Duplicate]) -> None:
    """A field given twice loses one value.  In a list entry, a second ``id`` most likely means a
    missing ``- ``: two entries run together, and "keep only one" would delete one of them."""
    merged: set[int] = set()
    for d in duplicates:
        if id(d.mapping) in merged:
            continue
        line, col = d.key.start_mark.line + 1, d.key.start_mark.column + 1
        if d.in_list and d.name == "id":
            merged.add(id(d.mapping))
            first = d.mapping.value[0][0].start_mark.column + 1 if d.mapping.value else col
            prefix = doc.text.split("\n")[line - 1][: col - 1]
            fix = Fix(line, col - 2, line, col, "- ") if col == first and prefix.endswith("  ") else None
            doc.problem(
                line,
                col,
                "a second `id` in the same entry: most likely the `- ` that starts a new entry is missing, so two "
                "entries run together; write `- id: …` on this line (or, if it is one entry, keep one `id`)",
                "duplicate-key",
                fix=fix,
            )
            continue
        doc.problem(
            line, col, f"the field `{d.name}` appears twice in the same mapping; keep only one", "duplicate-key"
        )
