"""From YAML documents to a typed, checked :class:`~lgcb.model.Plan`, with every problem located.

``load_plan`` is the one entry point: it reads every file, validates each against its pydantic
model, then checks the rules that span files (unique numbers and IDs, file names, references).
Messages speak the plan's language (objective, item ID, field) and say how to fix the problem.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from lgcb.checks.plan_rules import check_plan
from lgcb.checks.problem import Fix, Problem, has_errors
from lgcb.checks.progress_rules import check_indicators, check_progress
from lgcb.fileio import display_path
from lgcb.model import KINDS, Objective, Plan, PlanInfo
from lgcb.planfile.layout import (
    OBJECTIVES_DIR,
    PLAN_FILE,
    PROGRESS_DIR,
    SUFFIX,
    objective_files,
    progress_files,
    stray_files,
)
from lgcb.planfile.read import Document, read_yaml
from lgcb.planfile.verbatim import quote_rest


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


def _one_line_flow(node: yaml.Node | None) -> bool:
    """A ``[…]`` or ``{…}`` on one line where a text belongs: most likely a text that starts with a bracket."""
    return (
        isinstance(node, yaml.SequenceNode | yaml.MappingNode)
        and bool(node.flow_style)
        and node.start_mark.line == node.end_mark.line
    )


def _validate(doc: Document, model: type[BaseModel], subject: str, at: tuple[Any, ...] = ()) -> Any:
    """Validate a document's data (or the part of it at ``at``) against ``model``; errors become located problems."""
    data = doc.data
    for part in at:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as e:
        from lgcb.checks import messages  # only a file with problems needs the plan's words for them

        for err in e.errors(include_url=False):
            loc = err["loc"]
            if err["type"] == "missing":
                loc = loc[:-1]
            if doc.full:
                doc.more += 1  # counted, not worded: the file has more problems than are listed
                continue
            node, key_node, _ = doc.locate((*at, *loc))
            scalar = node if isinstance(node, yaml.ScalarNode) else None
            said = messages.message(
                err, data, model, subject, scalar.value if scalar else None, bool(scalar and scalar.style)
            )
            line, col = doc.position((*at, *loc), at_key=said.at_key)
            target = key_node if said.at_key else scalar
            fix = None
            if said.replacement is not None and target is not None:
                start, end = target.start_mark, target.end_mark
                fix = Fix(start.line + 1, start.column + 1, end.line + 1, end.column + 1, said.replacement)
            elif err["type"] == "string_type" and node is not None and _one_line_flow(node):
                mark = node.start_mark
                fix = quote_rest(doc.text, mark.index, mark.line + 1, mark.column + 1)
            doc.problem(line, col, said.text, said.rule, fix=fix)
        return None


def load_plan(
    plan_dir: Path,
    *,
    freeze: bool = False,
    reuse: dict[str, Objective] | None = None,
    positions: bool = False,
    edits: Mapping[Path, bytes | None] | None = None,
) -> LoadResult:
    """Read, validate and check a whole plan directory.

    Loading allocates hundreds of thousands of objects that all survive, so the cyclic garbage
    collector's passes would find nothing and cost a quarter of the time on a large plan: it is
    paused meanwhile.  ``freeze`` (for a process that keeps the plan to its end) also moves what
    survives out of the collector's sight (``gc.freeze``), and leaves the collector stopped for the
    rest of the process (:func:`lgcb.memory.freeze_for_the_process`).

    ``reuse`` (objective file text → its model) lets two versions of a plan share the work and the
    memory of the files they have in common: a file whose text was read without problems before is
    not parsed again, and its (immutable) model is shared.  New files are added to it.

    ``positions`` keeps where every entry starts in its objective file (see
    :meth:`~lgcb.planfile.read.Document.keep_positions`), for a command that will locate findings
    on many entries; without it they are found by composing the file again.

    ``edits`` (a file's path → its new bytes, ``None`` for a file removed) reads the plan as it
    would be with those files written, without writing them: a command checks what it is about to
    write as ``lgcb validate`` will read it, and problems name the files it would write.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_plan(plan_dir, {} if reuse is None else reuse, positions, edits or {})
    finally:
        if freeze:
            from lgcb.memory import freeze_for_the_process

            freeze_for_the_process()
        elif enabled:
            gc.enable()


@functools.cache
def _folder_inside_cached(folder: str, root: str) -> bool:
    return Path(folder).resolve().is_relative_to(root)


def _folder_inside(folder: Path, root: Path) -> bool:
    return _folder_inside_cached(str(folder.absolute()), str(root))


def _read(
    path: Path,
    root: Path,
    known: Container[str] = (),
    positions: bool = False,
    edits: Mapping[Path, bytes | None] | None = None,
) -> Document:
    """A plan file, read only if it is inside the plan directory once links are followed (or the
    bytes ``edits`` has for it)."""
    new = edits.get(path) if edits else None
    if new is not None:
        return read_yaml(path, known, positions, raw=new)
    try:
        # Only a link, or a folder that is one, can lead out: the common case costs one lstat.
        plain = not path.is_symlink() and _folder_inside(path.parent, root)
        inside = plain or path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links
        inside = True  # read_yaml says what is wrong with it
    if not inside:
        doc = Document(path, display_path(path))
        doc.problem(
            1,
            1,
            f"the file is a link to {path.resolve()}, outside the plan directory; plan files must be in the plan "
            "directory: replace the link with the file",
            "link-outside",
        )
        return doc
    return read_yaml(path, known, positions)


def _edited(paths: list[Path], folder: Path, edits: Mapping[Path, bytes | None]) -> list[Path]:
    """The plan files of ``folder`` once ``edits`` are written: those removed gone, new ones in."""
    if not edits:
        return paths
    kept = {p for p in paths if p not in edits or edits[p] is not None}
    kept.update(
        p
        for p, data in edits.items()
        if data is not None and p.parent == folder and p.name.endswith(SUFFIX) and not p.name.startswith(".")
    )
    return sorted(kept)


def _load_plan(
    plan_dir: Path, reuse: dict[str, Objective], positions: bool, edits: Mapping[Path, bytes | None]
) -> LoadResult:
    root = plan_dir.resolve()
    edits = {plan_dir / path.relative_to(plan_dir): data for path, data in edits.items()}
    info_path = plan_dir / PLAN_FILE
    there = edits[info_path] is not None if info_path in edits else info_path.exists() or info_path.is_symlink()
    info_doc = _read(info_path, root, edits=edits) if there else None
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
    for path, what in stray_files(plan_dir):
        problems.append(Problem(display_path(path), 1, 1, what, "not-a-plan-file"))

    # Each file is read and validated in turn, and its raw data dropped once it is a model: a large
    # plan then never holds all its YAML data and all its models at once.
    docs: list[Document] = []
    objectives: list[tuple[Objective, Document]] = []
    for path in _edited(objective_files(plan_dir), plan_dir / OBJECTIVES_DIR, edits):
        doc = _read(path, root, reuse, positions, edits)
        docs.append(doc)
        if doc.problems:
            continue
        known = reuse.get(doc.text) if doc.data is None else None
        if known is not None:
            objectives.append((known, doc))
            continue
        subject = f"objective {doc.data.get('number', '?')}" if isinstance(doc.data, dict) else "objective"
        objective = _validate(doc, Objective, subject)
        if objective is not None:
            objectives.append((objective, doc))
            doc.data = None
        if not doc.problems:
            if positions:
                doc.keep_positions(KINDS, "items")
            doc.release()  # composed again only if a rule across files needs a position in it
            if objective is not None:
                reuse[doc.text] = objective
    if not docs and info_doc is not None:
        problems.append(
            Problem(info_doc.display, 1, 1, "the plan has no objective files in objectives/", "no-objectives")
        )
    entries = check_plan(info, info_doc, objectives)

    # Monitoring data: checked only where there is some, so a plan without it pays one stat.
    timeframe = info.timeframe if info else None
    check_indicators(objectives, timeframe)
    # Read one file at a time as it is checked (and let go of once checked), like the objectives.
    progress_docs: list[Document] = []

    def read_progress(paths: list[Path]) -> Iterator[Document]:
        for path in paths:
            progress_docs.append(_read(path, root, edits=edits))
            yield progress_docs[-1]

    paths = _edited(progress_files(plan_dir), plan_dir / PROGRESS_DIR, edits)
    complete = len(objectives) == len(docs)
    progress = check_progress(read_progress(paths), entries, timeframe, _validate, complete=complete) if paths else {}

    for doc in ([info_doc] if info_doc else []) + docs + progress_docs:
        problems.extend(doc.all_problems())
        doc.release()
    problems.sort()
    plan = None
    if info is not None and not has_errors(problems):
        ordered = sorted(objectives, key=lambda pair: pair[0].number)
        # Every part is a validated model already: constructing skips building Plan's own validator,
        # which every run of every command would otherwise pay for (models are built on first use).
        plan = Plan.model_construct(info=info, objectives=[o for o, _ in ordered], progress=progress)
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
                    check_plan(None, None, [(objective, doc)], references=False)
                    check_indicators([(objective, doc)], None)
        problems.extend(doc.all_problems())
    return sorted(problems)
