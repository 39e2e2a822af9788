"""From YAML documents to a typed, checked :class:`~lgcb.model.Plan`, with every problem located.

``load_plan`` is the one entry point: it reads every file, validates each against its pydantic
model, then checks the rules that span files (unique numbers and IDs, file names, references).
Messages speak the plan's language (objective, item ID, field) and say how to fix the problem.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from lgcb.checks.problem import Problem, has_errors
from lgcb.checks.progress_rules import check_indicators, check_progress
from lgcb.fileio import display_path
from lgcb.model import ID_LETTERS, KINDS, Activity, Indicator, Located, Objective, Plan, PlanInfo
from lgcb.planfile.layout import PLAN_FILE, PROGRESS_DIR, number_in_name, objective_files, progress_files
from lgcb.planfile.read import Document, read_yaml

MAX_NESTING = 4
"""Items may nest this many levels below a top-level item (the source uses one)."""


@dataclass
class LoadResult:
    """The plan (``None`` if any file has an error) and every problem found."""

    plan: Plan | None
    problems: list[Problem]
    documents: dict[int, Document] = field(default_factory=dict)
    """Objective number → the file it was read from."""
    info_document: Document | None = None
    progress_documents: list[Document] = field(default_factory=list)
    """The ``progress/<year>.yaml`` files read, in name order."""

    @property
    def ok(self) -> bool:
        return self.plan is not None and not has_errors(self.problems)


_TYPE_NAMES = {
    bool: "a yes/no value",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    str: "text",
    type(None): "empty",
}


def _describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


def _model_at(root: type[BaseModel], data: Any, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class expected for the mapping at ``loc`` (for "did you mean" suggestions).

    Follows ``loc`` through the data too, because a column entry is an item or a group heading
    depending on what it holds.
    """
    from lgcb import model as m

    columns = {
        "outcomes": (m.Outcome, m.OutcomeGroup),
        "indicators": (m.Indicator, m.IndicatorGroup),
        "results": (m.Result, m.ResultGroup),
        "activities": (m.Activity, m.ActivityGroup),
    }
    nested = {
        "baseline": m.Baseline,
        "targets": m.Target,
        "source": m.Source,
        "timeframe": m.Timeframe,
        "strategic_plan": m.StrategicPlan,
        "objectives": m.StrategicObjective,
    }
    model: type[BaseModel] | None = root
    node, column, entries = data, None, False
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int):
            if entries and column:
                item, group = columns[column]
                model = group if isinstance(node, dict) and "group" in node else item
                entries = False
            continue
        if part in columns and model is m.Objective:
            column, entries = part, True
        elif part == "items" and column:
            entries = True
        else:
            model = nested.get(part)
    return model


def _where(data: Any, loc: Sequence[Any], fallback: str) -> str:
    """The plan's name for the place of an error: the innermost item's kind and ID."""
    where = fallback
    node = data
    column = None
    for part in loc:
        if isinstance(part, str) and part.startswith("<"):
            continue
        if isinstance(node, dict):
            if part in KINDS:
                column = part
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        if isinstance(node, dict) and column and isinstance(part, int):
            kind = "group heading" if "group" in node else KINDS[column]
            if isinstance(node.get("id"), str):
                where = f"{kind} {node['id']}"
            else:
                where = f"{where}, entry {part + 1} of `{column if where == fallback else 'items'}`"
    return where


def _message(
    err: dict[str, Any], data: Any, root: type[BaseModel], subject: str, raw: str | None
) -> tuple[str, str, bool]:
    """A message for one pydantic error: (message, rule, point at the key rather than the value)."""
    loc = err["loc"]
    where = _where(data, loc, subject)
    name = next((p for p in reversed(loc) if isinstance(p, str) and not p.startswith("<")), None)
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return f"{where}: the required field `{name}` is missing", "missing-field", False
    if kind == "extra_forbidden":
        model = _model_at(root, data, loc[:-1])
        hint = ""
        if model is not None:
            import difflib  # only for messages: a valid plan never needs it

            close = difflib.get_close_matches(str(name), _fields(model), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f"; allowed fields: {', '.join(_fields(model))}"
        return f"{where}: unknown field `{name}`{hint}", "unknown-field", True
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            shown = raw if raw is not None else str(value)
            quoted = f'"{shown}"' if '"' not in shown else f"'{shown}'"
            return (
                f"{where}: `{name}` must be text, but YAML reads {shown} as {_describe(value)}; "
                f"put it in quotes: {quoted}",
                "text-expected",
                False,
            )
        if value is None:
            return f"{where}: `{name}` is empty; write its text", "empty-text", False
        return f"{where}: `{name}` must be text, not {_describe(value)}", "wrong-type", False
    if kind == "string_too_short":
        return f"{where}: `{name}` is empty; write its text", "empty-text", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            f"{where}: `{name}` must be a whole number, not {_describe(value)} (write it without quotes)",
            "wrong-type",
            False,
        )
    if kind in ("list_type", "too_short") and name in (*KINDS, "items", "objectives", "targets", "measures", "serves"):
        if kind == "too_short":
            return f"{where}: `{name}` needs at least one entry", "missing-field", False
        return (
            f"{where}: `{name}` must be a list (each entry on a line starting with '- '), not {_describe(value)}",
            "wrong-type",
            False,
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"{where}: each entry here must be a mapping of fields (`id: ...`, `text: ...`), not {_describe(value)}",
            "wrong-type",
            False,
        )
    if kind == "string_pattern_mismatch":
        if name == "id":
            return f"{where}: the ID {value!r} may only hold letters, digits, '.', '-' and '_'", "id-format", False
        return (
            f'{where}: `{name}` must be a number such as "2.3" (digits separated by dots), not {value!r}',
            "invalid-value",
            False,
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where}: `{name}` must be one of {expected}, not {value!r}", "invalid-value", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{where}: `{name}` must be true or false (without quotes), not {value!r}", "wrong-type", False
    if kind == "value_error":
        return f"{where}: `{name}` {err['msg'].removeprefix('Value error, ')}", "invalid-value", False
    if kind in ("greater_than_equal", "less_than_equal", "string_too_long"):
        return f"{where}: `{name}` {err['msg'].lower().replace('input ', '')}", "invalid-value", False
    return f"{where}: `{name}`: {err['msg']}", "invalid-value", False


def _validate(doc: Document, model: type[BaseModel], subject: str, at: tuple[Any, ...] = ()) -> Any:
    """Validate a document's data (or the part of it at ``at``) against ``model``; errors become located problems."""
    data = doc.data
    for part in at:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            loc = err["loc"]
            if err["type"] == "missing":
                loc = loc[:-1]
            node, _, _ = doc.locate((*at, *loc))
            raw = node.value if isinstance(node, yaml.ScalarNode) else None
            message, rule, at_key = _message(err, data, model, subject, raw)
            line, col = doc.position((*at, *loc), at_key=at_key)
            doc.problem(line, col, message, rule)
        return None


@dataclass
class _Seen:
    doc: Document
    loc: tuple[Any, ...]


def _id_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(rf"^\d+\.{ID_LETTERS[kind]}\d+(\.\d+)*$")


_ID_PATTERNS = {kind: _id_pattern(kind) for kind in ID_LETTERS}


def _check_rules(
    info: PlanInfo | None,
    info_doc: Document | None,
    objectives: list[tuple[Objective, Document]],
    *,
    references: bool = True,
) -> None:
    """Rules that span items and files; each problem is attached to the document it concerns."""
    numbers: dict[int, Document] = {}
    ids: dict[str, _Seen] = {}
    kinds_by_id: dict[str, str] = {}
    original: dict[str, str] = {}
    linking: list[tuple[Located, Document]] = []
    """Entries with links, in walk order: checked once every ID is known."""
    declared = {s.number for s in info.strategic_plan.objectives} if info else None

    if info and info_doc:
        if info.timeframe.start > info.timeframe.end:
            line, col = info_doc.position(("timeframe", "start"))
            info_doc.problem(
                line,
                col,
                f"plan: the timeframe starts ({info.timeframe.start}) after it ends ({info.timeframe.end})",
                "invalid-value",
            )
        seen_sp: set[str] = set()
        for i, sp in enumerate(info.strategic_plan.objectives):
            if sp.number in seen_sp:
                line, col = info_doc.position(("strategic_plan", "objectives", i, "number"))
                info_doc.problem(
                    line,
                    col,
                    f"plan: Strategic Plan objective {sp.number} is listed twice",
                    "duplicate-strategic-objective",
                )
            seen_sp.add(sp.number)

    for objective, doc in objectives:
        subject = f"objective {objective.number}"
        if objective.number in numbers:
            line, col = doc.position(("number",))
            doc.problem(
                line,
                col,
                f"{subject}: objective number {objective.number} is already used by "
                f"{numbers[objective.number].display}",
                "duplicate-objective",
            )
        else:
            numbers[objective.number] = doc
        in_name = number_in_name(doc.path)
        if in_name != objective.number:
            line, col = doc.position(("number",))
            expected = f"{objective.number:02d}-{re.sub(r'^[0-9]+-?', '', doc.path.stem) or 'objective'}.yaml"
            doc.problem(
                line,
                col,
                f"{subject}: the file name should start with the objective's number, e.g. {expected}",
                "file-name",
            )
        if declared is not None and objective.strategic_plan_objective not in declared:
            line, col = doc.position(("strategic_plan_objective",))
            doc.problem(
                line,
                col,
                f"{subject}: Strategic Plan objective {objective.strategic_plan_objective} "
                f"is not declared in {PLAN_FILE} (declared: {', '.join(sorted(declared))})",
                "unknown-strategic-objective",
            )
        for located in objective.walk():
            key = located.id.casefold()
            name = "group heading" if located.kind == "group" else located.kind
            if key in ids:
                line, col = doc.position((*located.loc, "id"))
                first = ids[key]
                fline, _ = first.doc.position((*first.loc, "id"))
                doc.problem(
                    line,
                    col,
                    f"{name} {located.id}: the ID is already used at {first.doc.display}:{fline}; "
                    "IDs must be unique across the plan",
                    "duplicate-id",
                )
            else:
                ids[key] = _Seen(doc, located.loc)
                kinds_by_id[key] = located.kind
                original[key] = located.id
            if not _ID_PATTERNS[located.kind].match(located.id):
                letter = ID_LETTERS[located.kind]
                line, col = doc.position((*located.loc, "id"))
                doc.problem(
                    line,
                    col,
                    f"{name} {located.id}: {name} IDs have the form "
                    f"<objective>.{letter}<n>, e.g. {objective.number}.{letter}1 "
                    f"(nested: {objective.number}.{letter}1.2)",
                    "id-format",
                )
            if located.depth > MAX_NESTING:
                line, col = doc.position(located.loc)
                doc.problem(
                    line, col, f"{name} {located.id}: items nest more than {MAX_NESTING} levels deep", "nesting-depth"
                )
            if located.kind == "group" and located.depth > 0:
                line, col = doc.position(located.loc)
                doc.problem(line, col, f"group heading {located.id}: group headings cannot be nested", "nesting-depth")
            entry = located.entry
            if (isinstance(entry, Indicator) and entry.measures) or (isinstance(entry, Activity) and entry.serves):
                linking.append((located, doc))

    if not references:
        return
    # References are checked once every ID is known, so forward references across files work.
    all_ids = {k: kinds_by_id[k] for k in ids}
    for located, doc in linking:
        entry = located.entry
        refs: list[tuple[str, list[str], str]] = []
        if isinstance(entry, Indicator):
            refs.append(("measures", entry.measures, "outcome"))
        if isinstance(entry, Activity):
            refs.append(("serves", entry.serves, "result"))
        for field_name, targets, want in refs:
            for i, target in enumerate(targets):
                kind = all_ids.get(target.casefold())
                if kind == want:
                    continue
                line, col = doc.position((*located.loc, field_name, i))
                if kind is None:
                    import difflib

                    close = difflib.get_close_matches(target, [original[k] for k in ids if all_ids[k] == want], n=1)
                    hint = f"; did you mean {close[0]}?" if close else ""
                    message = (
                        f"{located.kind} {located.id}: `{field_name}` names {target}, which is not "
                        f"an ID in the plan{hint}"
                    )
                else:
                    message = (
                        f"{located.kind} {located.id}: `{field_name}` must name {want}s, but "
                        f"{target} is {'a group heading' if kind == 'group' else 'an ' + kind}"
                    )
                doc.problem(line, col, message, "unknown-reference")


def load_plan(plan_dir: Path) -> LoadResult:
    """Read, validate and check a whole plan directory."""
    # Loading allocates hundreds of thousands of objects that all survive, so the cyclic garbage
    # collector's passes find nothing and cost a quarter of the time on a large plan: pause it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_plan(plan_dir)
    finally:
        if enabled:
            gc.enable()


def _load_plan(plan_dir: Path) -> LoadResult:
    info_path = plan_dir / PLAN_FILE
    info_doc = read_yaml(info_path) if info_path.exists() else None
    problems: list[Problem] = []
    info: PlanInfo | None = None
    if info_doc is None:
        problems.append(
            Problem(
                display_path(plan_dir),
                1,
                1,
                f"no {PLAN_FILE} here: a plan directory holds {PLAN_FILE} and an objectives/ folder",
                "no-plan-file",
            )
        )
    elif not info_doc.problems:
        info = _validate(info_doc, PlanInfo, "plan")

    # Each file is read and validated in turn, and its raw data dropped once it is a model: a large
    # plan then never holds all its YAML data and all its models at once.
    docs: list[Document] = []
    objectives: list[tuple[Objective, Document]] = []
    for path in objective_files(plan_dir):
        doc = read_yaml(path)
        docs.append(doc)
        if doc.problems:
            continue
        subject = f"objective {doc.data.get('number', '?')}" if isinstance(doc.data, dict) else "objective"
        objective = _validate(doc, Objective, subject)
        if objective is not None:
            objectives.append((objective, doc))
            doc.data = None
    if not docs and info_doc is not None:
        problems.append(
            Problem(info_doc.display, 1, 1, "the plan has no objective files in objectives/", "no-objectives")
        )
    _check_rules(info, info_doc, objectives)

    # Monitoring data: checked only where there is some, so a plan without it pays one stat.
    timeframe = info.timeframe if info else None
    check_indicators(objectives, timeframe)
    progress_docs = [read_yaml(p) for p in progress_files(plan_dir)]
    progress = (
        check_progress(progress_docs, objectives, timeframe, _validate, complete=len(objectives) == len(docs))
        if progress_docs
        else {}
    )

    for doc in ([info_doc] if info_doc else []) + docs + progress_docs:
        problems.extend(doc.problems)
    problems.sort()
    plan = None
    if info is not None and not has_errors(problems):
        ordered = sorted(objectives, key=lambda pair: pair[0].number)
        plan = Plan(info=info, objectives=[o for o, _ in ordered], progress=progress)
    return LoadResult(plan, problems, {o.number: d for o, d in objectives}, info_doc, progress_docs)


def validate_files(paths: Iterable[Path]) -> list[Problem]:
    """Check single files on their own (file-level rules only): for editors and pre-commit hooks."""
    problems: list[Problem] = []
    for path in paths:
        doc = read_yaml(path)
        if not doc.problems:
            if path.name == PLAN_FILE:
                _validate(doc, PlanInfo, "plan")
            elif path.parent.name == PROGRESS_DIR:
                check_progress([doc], None, None, _validate)
            else:
                subject = f"objective {doc.data.get('number', '?')}"
                objective = _validate(doc, Objective, subject)
                if objective is not None:
                    _check_rules(None, None, [(objective, doc)], references=False)
                    check_indicators([(objective, doc)], None)
        problems.extend(doc.problems)
    return sorted(problems)
