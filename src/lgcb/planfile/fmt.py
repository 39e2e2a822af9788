"""``lgcb fmt``: one canonical layout for plan files, so that every editor's changes diff cleanly.

The layout: keys in the order the model declares its fields (with an entry's ``id`` and a
result's ``number`` first and its nested ``items`` last, as the annex reads), block style with
2-space indentation and list dashes indented under their key, quotes only where YAML needs them
(single quotes, e.g. '2.3' or 'Development of a guide on:'), no line folding, UTF-8 and LF line
endings.  Comments and blank lines are kept (a comment stays after the field it follows).

A file that is already exactly what lgcb's writer makes of its data (after a header of comment
lines) is left as it is without running the formatter (:func:`already_canonical`).  Any other
file is re-read with ruamel.yaml's round-trip parser, which keeps comments.  Scalars are
resolved with PyYAML's YAML 1.1 rules, the rules ``lgcb validate`` reads with, so that a text
such as 'yes' keeps its quotes.  Every result is parsed again and compared with the original
data, value and type: a layout that would change the content is refused, never written.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel

from lgcb.checks.problem import Problem
from lgcb.fileio import FileError
from lgcb.planfile.layout import PLAN_FILE, PROGRESS_DIR, objective_files, progress_files
from lgcb.planfile.read import parse_yaml, read_yaml
from lgcb.planfile.write import BREAKS, canonical_text, choose, fields_of, float_text, key_rank, same_data


@dataclass
class Formatted:
    """One file: its text before and after formatting, or the problems that stopped it."""

    path: Path
    display: str
    before: bytes = b""
    after: bytes | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    def diff(self) -> str:
        """A unified diff of the change, for ``--check --diff`` and for review."""
        if not self.changed or self.after is None:
            return ""
        old = self.before.decode("utf-8-sig", errors="replace").splitlines(keepends=True)
        new = self.after.decode("utf-8").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.display}", f"b/{self.display}"))


class LayoutError(Exception):
    """The canonical layout would change the file's content: nothing is written."""


def model_for(path: Path) -> type[BaseModel]:
    """The model of a plan file, by its name and folder, as ``lgcb validate`` decides it."""
    from lgcb.model import Objective, PlanInfo, ProgressFile

    if path.name == PLAN_FILE:
        return PlanInfo
    return ProgressFile if path.parent.name == PROGRESS_DIR else Objective


def _canonical(node: Any, candidates: tuple[type[BaseModel], ...]) -> Any:
    """Reorder keys, turn flow style into block style and block scalars into plain text, in place.

    ``candidates`` are the models the node may be (an item or a group heading in a column).
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.compat import ordereddict
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(node, str):
        # Text with a line break goes in double quotes, as the writer puts it (see lgcb.planfile.write).
        return DoubleQuotedScalarString(node) if BREAKS.search(node) else str(node)
    # The plain list/dict setters: ruamel's own would give the new value the old quoting style.
    if isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for i, value in enumerate(node):
            list.__setitem__(node, i, _canonical(value, candidates))
        return node
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        model = choose(candidates, node)
        if model is not None and issubclass(model, RootModel):  # a progress file: indicator ID → observations
            inner = fields_of(model)["root"]
            for key in list(node):
                ordereddict.__setitem__(node, key, _canonical(node[key], inner))
            return node
        fields = fields_of(model) if model else {}
        for key in list(node):
            ordereddict.__setitem__(node, key, _canonical(node[key], fields.get(key, ())))
        if model is not None:
            _reorder(node, key_rank(model))
    return node


def _reorder(node: Any, rank: dict[str, int]) -> None:
    """Put a mapping's keys in canonical order; a comment after the last key stays at the end."""
    keys = list(node)
    ordered = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
    if ordered == keys:
        return
    for key in ordered:
        node.move_to_end(key)
    old_last, new_last = keys[-1], ordered[-1]
    trailing = node.ca.items.get(old_last)
    if trailing and len(trailing) > 2 and trailing[2] is not None and not isinstance(node[new_last], (dict, list)):
        slot = node.ca.items.setdefault(new_last, [None, None, None, None])
        if slot[2] is None:
            slot[2], trailing[2] = trailing[2], None


@cache
def _resolver() -> type:
    """A ruamel resolver with PyYAML's implicit rules (YAML 1.1), the rules plan files are read with."""
    import yaml
    from ruamel.yaml.resolver import BaseResolver

    class PlanResolver(BaseResolver):
        yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012

        def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
            super().__init__(loader if loader is not None else loadumper)

        @property
        def processing_version(self) -> tuple[int, int]:
            return (1, 1)

    for first, rules in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        for tag, regexp in rules:
            PlanResolver.add_implicit_resolver_base(tag, regexp, [first])
    return PlanResolver


def _represent_float(representer: Any, value: float) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:float", float_text(value))


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarfloat import ScalarFloat

    y = YAML(typ="rt")
    y.Resolver = _resolver()
    y.preserve_quotes = False
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = sys.maxsize
    y.allow_unicode = True
    y.representer.add_representer(float, _represent_float)
    y.representer.add_representer(ScalarFloat, _represent_float)
    return y


def _parse(text: str) -> Any:
    """The data as ``lgcb validate`` reads it."""
    return parse_yaml(text)


def format_text(text: str, model: type[BaseModel], original: Any = None) -> str:
    """The canonical layout of one plan file's text; raises :class:`LayoutError` if content would change."""
    y = _yaml()
    # YAML reads any line break as LF; ruamel keeps a CR in comments, so line ends are made LF first.
    data = y.load(text.replace("\r\n", "\n").replace("\r", "\n"))
    data = _canonical(data, (model,))
    out = StringIO()
    y.dump(data, out)
    result = out.getvalue()
    before = _parse(text) if original is None else original
    if not same_data(before, _parse(result)):
        raise LayoutError("the canonical layout would change this file's content")
    return result


def scalar_text(text: str) -> str:
    """A text as the formatter writes it as a value (plain, single- or double-quoted, escaped)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    y = _yaml()
    out = StringIO()
    y.dump({"k": DoubleQuotedScalarString(text) if BREAKS.search(text) else text}, out)
    written = out.getvalue()
    return written[len("k: ") : -1]


_HEADER = re.compile("#[^\n\r\x85\u2028\u2029]*\n(?:#[^\n\r\x85\u2028\u2029]*\n|\n)*")
"""Comment lines at the top of a file (blank lines between and after them): kept as they are."""


def already_canonical(text: str, data: Any, model: type[BaseModel]) -> bool:
    """Whether ``text`` is, after a header of comment lines, exactly what the writer makes of its
    ``data``: the formatter would give it back unchanged, so it is not run (the round trip costs
    some 60 ms a file, a minute for a large plan)."""
    canonical = canonical_text(data, model)
    if canonical is None:
        return False
    if text.startswith("#"):
        header = _HEADER.match(text)
        return header is not None and text[header.end() :] == canonical
    return text == canonical


def format_file(path: Path) -> Formatted:
    """Format one file in memory: safe-read it first, and refuse one that does not parse."""
    doc = read_yaml(path)
    item = Formatted(path, doc.display)
    if doc.problems:
        item.problems = [p for p in doc.problems if p.level == "error"]
        return item
    item.before = path.read_bytes()
    model = model_for(path)
    if already_canonical(doc.text, doc.data, model):
        item.after = doc.text.encode("utf-8")  # the layout it has (a byte-order mark still goes)
        return item
    try:
        item.after = format_text(doc.text, model, doc.data).encode("utf-8")
    except LayoutError as e:
        doc.problem(1, 1, f"lgcb fmt: {e}; the file is left as it is (please report this)", "fmt-refused")
        item.problems = doc.problems
    except Exception as e:  # ruamel.yaml can be stricter than the reader in odd corners
        doc.problem(1, 1, f"lgcb fmt cannot lay out this file: {e}; the file is left as it is", "fmt-refused")
        item.problems = doc.problems
    return item


def write(item: Formatted) -> None:
    """Write a changed file in place, atomically, keeping its permissions."""
    from lgcb.fileio import write_atomic

    if not item.changed or item.after is None:
        return
    target = item.path.resolve()
    mode = target.stat().st_mode & 0o777
    write_atomic(target, item.after)
    target.chmod(mode)


def plan_files(plan_dir: Path) -> list[Path]:
    """The files of a plan: ``plan.yaml``, the objective files and the progress files."""
    head = [plan_dir / PLAN_FILE] if (plan_dir / PLAN_FILE).is_file() else []
    return head + objective_files(plan_dir) + progress_files(plan_dir)


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; a plan directory as its plan files; another directory as its YAML files."""
    for path in paths:
        if path.is_dir():
            if (path / PLAN_FILE).is_file():
                yield from plan_files(path)
            else:
                yield from sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            yield path


def format_paths(paths: Iterable[Path], *, apply: bool) -> list[Formatted]:
    """Format every file (each once); with ``apply``, write the changed ones in place."""
    seen: set[Path] = set()
    results = []
    for path in expand(paths):
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        item = format_file(path)
        if apply:
            try:
                write(item)
            except FileError as e:
                item.problems.append(Problem(item.display, 1, 1, e.reason, "unwritable"))
                item.after = None
            except OSError as e:
                item.problems.append(
                    Problem(item.display, 1, 1, f"cannot write the file: {e.strerror or e}", "unwritable")
                )
                item.after = None
        results.append(item)
    return results
