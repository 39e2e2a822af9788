"""Putting an edited plan onto an existing plan directory: only what changed is written.

Importers that read edits back (a reviewed Word report, an edited workbook) build the plan as it
should now be and hand it here.  :func:`plan_onto` compares it with the plan on disk and works out
the new bytes of each file that changes:

- a file whose content is unchanged is left alone, byte for byte;
- a changed file is edited in place through the round-trip parser that ``lgcb fmt`` uses, so its
  comments stay where they were and it comes out in the canonical layout; entries are matched by
  ID, so a comment stays with its entry when entries around it are added, removed or moved;
- a new objective or progress year gets a new file, a removed one loses its file.

The result is checked before anything is written: the new files are read back as ``lgcb
validate`` reads them and must give exactly the edited plan.  :meth:`Onto.write` then writes all
the files or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from lgcb import ids
from lgcb.checks.problem import Problem
from lgcb.fileio import display_path
from lgcb.model import Objective, Plan
from lgcb.planfile.layout import OBJECTIVES_DIR, PLAN_FILE, PROGRESS_DIR, objective_file_name, progress_file_name
from lgcb.planfile.write import model_text, progress_by_year

if TYPE_CHECKING:
    from lgcb.checks.load import LoadResult
    from lgcb.results.diff import PlanDiff


class OntoError(Exception):
    """The existing plan cannot take the edits (it does not load); the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"the plan in the target directory is not valid ({len(problems)} problems)")
        self.problems = problems


@dataclass
class Onto:
    """The edits as files: new bytes (or ``None`` for removal) for every file that changes."""

    plan_dir: Path
    before: Plan
    after: Plan
    files: dict[Path, bytes | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Problems of the edited plan as written; when there are any, nothing may be written."""

    @property
    def empty(self) -> bool:
        return not self.files

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def diff(self) -> PlanDiff:
        """The change, as ``lgcb diff`` shows it."""
        from lgcb.results.diff import diff_plans

        return diff_plans(self.before, self.after)

    def write(self) -> list[Path]:
        """Write every changed file, all or none; returns the paths written or removed."""
        from lgcb.fileio import write_all

        if not self.ok:
            raise OntoError(self.problems)
        write_all(self.files)
        return list(self.files)


def _commented(value: Any) -> Any:
    """Plain data as ruamel's round-trip containers, so new parts dump in block style like the rest."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((k, _commented(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def _entry_key(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return ids.key(value["id"])
    return None


def _merge(node: Any, new: Any) -> Any:
    """``new`` (plain data) laid over ``node`` (ruamel data), keeping the comments of what stays."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for k in [k for k in node if k not in new]:
            del node[k]
        for k, v in new.items():
            node[k] = _merge(node[k], v) if k in node else _commented(v)
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        old_by_id = {k: v for v in node if (k := _entry_key(v)) is not None}
        if old_by_id:
            merged = [_merge(old_by_id[k], v) if (k := _entry_key(v)) in old_by_id else _commented(v) for v in new]
        else:
            merged = [_merge(node[i], v) if i < len(node) else _commented(v) for i, v in enumerate(new)]
        same_order = [_entry_key(v) for v in node] == [_entry_key(v) for v in new]
        if same_order:
            node[:] = merged
            return node
        fresh = CommentedSeq(merged)
        return fresh
    return _commented(new)


def edited_text(old_text: str, value: BaseModel) -> str:
    """``old_text`` with its content replaced by ``value``'s, comments kept, in the canonical layout."""
    from lgcb.planfile.fmt import _canonical, _yaml
    from lgcb.planfile.read import parse_yaml
    from lgcb.planfile.write import same_data

    expected_text = model_text(value)
    expected = parse_yaml(expected_text)
    y = _yaml()
    try:
        data = y.load(old_text.replace("\r\n", "\n").replace("\r", "\n"))
        data = _merge(data, expected)
        data = _canonical(data, (type(value),))
        out = StringIO()
        y.dump(data, out)
        text = out.getvalue()
        if same_data(parse_yaml(text), expected):
            return text
    except Exception:  # a file ruamel cannot keep is written afresh, still canonical
        pass
    return expected_text


def _files_of(loaded: LoadResult) -> dict[int, Path]:
    return {number: doc.path for number, doc in loaded.documents.items()}


def plan_onto(
    plan_dir: Path, after: Plan, *, loaded: LoadResult | None = None, reuse: dict[str, Objective] | None = None
) -> Onto:
    """What writing ``after`` onto the plan in ``plan_dir`` changes, file by file (nothing is written).

    ``reuse`` is the one given to :func:`lgcb.checks.load.load_plan` when ``loaded`` was read: the
    check reads back only the files that change, the others' models are shared.
    """
    from lgcb.checks.load import load_plan

    loaded = loaded or load_plan(plan_dir, reuse=reuse)
    if loaded.plan is None:
        raise OntoError(loaded.problems)
    before = loaded.plan
    onto = Onto(plan_dir, before, after)
    files = onto.files

    def put(path: Path, old: bytes | None, value: BaseModel) -> None:
        if old is None:
            files[path] = model_text(value).encode("utf-8")
            return
        text = edited_text(old.decode("utf-8-sig"), value)
        if text.encode("utf-8") != old:
            files[path] = text.encode("utf-8")

    if after.info != before.info:
        path = plan_dir / PLAN_FILE
        put(path, path.read_bytes(), after.info)

    paths = _files_of(loaded)
    old_objectives = {o.number: o for o in before.objectives}
    width = max([2, *(len(str(o.number)) for o in after.objectives)])
    for objective in after.objectives:
        previous = old_objectives.get(objective.number)
        if previous == objective:
            continue
        if previous is not None and objective.number in paths:
            path = paths[objective.number]
            put(path, path.read_bytes(), objective)
        else:
            path = plan_dir / OBJECTIVES_DIR / objective_file_name(objective.number, objective.title, width)
            put(path, None, objective)
    kept = {o.number for o in after.objectives}
    for number, path in paths.items():
        if number not in kept:
            files[path] = None

    if after.progress != before.progress:
        old_years = progress_by_year(before.progress)
        new_years = progress_by_year(after.progress)
        read = {doc.path.name: doc.path for doc in loaded.progress_documents}
        for year, progress in new_years.items():
            if old_years.get(year) == progress:
                continue
            name = progress_file_name(year)
            path = read.get(name, plan_dir / PROGRESS_DIR / name)
            put(path, path.read_bytes() if path.is_file() else None, progress)
        for year in old_years.keys() - new_years.keys():
            name = progress_file_name(year)
            if name in read:
                files[read[name]] = None

    onto.problems = _check(onto, reuse)
    return onto


def _check(onto: Onto, reuse: dict[str, Objective] | None = None) -> list[Problem]:
    """Read the plan as it would be with the edited files written (not writing them) and compare it
    with the edited plan."""
    from lgcb.checks.load import load_plan

    if not onto.files:
        return []
    result = load_plan(onto.plan_dir, reuse=reuse, edits=onto.files)
    problems = list(result.problems)
    if not problems and result.plan != onto.after:
        problems.append(
            Problem(
                display_path(onto.plan_dir),
                1,
                1,
                "the edited files would not read back as the edited plan",
                "onto-mismatch",
            )
        )
    return problems
