"""``lgcb progress record``: filled monitoring forms → ``progress/<year>.yaml``, checked like a hand-written file.

The forms' values become the progress file they would make (the year's existing observations plus
the new ones), and that data goes through :func:`lgcb.checks.progress_rules.check_progress` and the
:class:`~lgcb.model.Observation` model — the very rules ``lgcb validate`` applies — with each
problem pointed back at the form cell it came from.  Only when every form is clean is the file
written, atomically, in the canonical layout (an existing file keeps its comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lgcb.checks.load import _validate
from lgcb.checks.problem import Fix, Problem
from lgcb.checks.progress_rules import check_progress, index_entries
from lgcb.excel import layout
from lgcb.excel.read import CellProblem, FormEntry, read_form
from lgcb.fileio import display_path
from lgcb.model import Observation, Plan, ProgressFile
from lgcb.planfile.layout import PROGRESS_DIR, progress_file_name
from lgcb.planfile.read import Document

Place = tuple[str, str | None, str | None]
"""file, sheet, cell."""


@dataclass(frozen=True)
class Recorded:
    """One value taken from a form, and the observation it replaces (with ``--force``), if any."""

    id: str
    value: Any
    source: str | None
    replaced: Observation | None = None


@dataclass
class Recording:
    """What recording the forms gives: the progress file to write, or the problems that stop it."""

    year: int | None = None
    path: Path | None = None
    text: str = ""
    recorded: list[Recorded] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    unread: list[CellProblem] = field(default_factory=list)
    """Warnings: what the forms hold that is not read (comments, sheets lgcb did not make)."""


class _FormDocument(Document):
    """The would-be progress file, whose problems point at form cells instead of YAML lines."""

    def __init__(self, path: Path, data: dict[str, Any], places: dict[tuple[Any, ...], Place]) -> None:
        super().__init__(path, display_path(path), "", data)
        self.places = places
        self.fallback: Place = (self.display, None, None)
        self.asked: list[Place] = []
        self.found: list[CellProblem] = []

    def locate(self, loc: Any) -> tuple[None, None, int]:
        return None, None, 0

    def position(self, loc: Any, at_key: bool = False) -> tuple[int, int]:
        key = tuple(loc)
        while key and key not in self.places:
            key = key[:-1]
        self.asked.append(self.places.get(key, self.fallback))
        return len(self.asked), 1

    def problem(
        self, line: int, col: int, message: str, rule: str, level: str = "error", fix: Fix | None = None
    ) -> Problem | None:
        """Keep the problem for the form cell it is about (a fix to the YAML text has no use here)."""
        file, sheet, cell = self.asked[line - 1]
        self.found.append(CellProblem(file, sheet, cell, _form_message(message)))
        return None


_OBSERVATION = re.compile(r"^indicator (\S+), observation \d+: (`value` )?")


_YAML_ADVICE = (
    (re.compile(r'; put it in quotes: ".*"$'), "; describe it in words"),
    (re.compile(r" without quotes"), ""),
)
"""Advice about YAML quoting, which a spreadsheet cell does not need, and what to say instead."""


def _form_message(message: str) -> str:
    """A progress-file message as said of a form cell: no observation numbers, "the value" for `value`,
    no advice about YAML quotes."""
    message = _OBSERVATION.sub(lambda m: f"indicator {m.group(1)}: " + ("the value " if m.group(2) else ""), message)
    for pattern, replacement in _YAML_ADVICE:
        message = pattern.sub(replacement, message)
    return message


def _shown(value: Any) -> str:
    return layout.format_number(value) if isinstance(value, (int, float)) else repr(value)


def record_forms(plan: Plan, plan_dir: Path, paths: list[Path], *, force: bool = False) -> Recording:
    """Read ``paths`` and make the progress file they give; nothing is written here."""
    result = Recording()
    try:
        return _record(result, plan, plan_dir, paths, force)
    finally:  # problems in the order of the files given, then of the cells
        rank = {display_path(p): i for i, p in enumerate(paths)}
        result.problems.sort(key=lambda p: (rank.get(p.file, len(rank)), *p.order()[1:]))


def _record(result: Recording, plan: Plan, plan_dir: Path, paths: list[Path], force: bool) -> Recording:
    forms = [read_form(p) for p in paths]
    for form in forms:
        result.problems.extend(form.problems)
        result.unread.extend(form.unread)
    dated = [f for f in forms if f.year is not None]
    mixed = False
    if dated:
        first = dated[0]
        result.year = first.year
        for form in dated[1:]:
            if form.year != first.year:
                mixed = True
                result.problems.append(
                    CellProblem(
                        form.file,
                        layout.INSTRUCTIONS,
                        layout.FORM_YEAR_CELL,
                        f"this form is for {form.year} but {first.file} is for {first.year}; "
                        "record the forms of one year at a time",
                    )
                )
    if mixed or result.year is None:  # the other checks need the one year the values are for
        return result
    year = result.year

    order: dict[str, int] = {}
    canonical: dict[str, str] = {}
    for i, located in enumerate(plan.walk()):
        order[located.id] = i
        canonical.setdefault(located.id.lower(), located.id)
    chosen: dict[str, FormEntry] = {}
    for form in forms:
        for entry in form.entries:
            ident = canonical.get(entry.id.lower(), entry.id)
            earlier = chosen.get(ident)
            if earlier is None:
                chosen[ident] = entry
            elif (earlier.value, earlier.source) != (entry.value, entry.source):
                result.problems.append(
                    CellProblem(
                        entry.file,
                        layout.FORM,
                        entry.cell("value"),
                        f"{ident} is given as {_shown(entry.value)} (source {entry.source or 'none'}) here, but as "
                        f"{_shown(earlier.value)} (source {earlier.source or 'none'}) in {earlier.file} cell "
                        f"{earlier.cell('value')}; the forms must agree: correct one of them",
                    )
                )

    target = plan_dir / PROGRESS_DIR / progress_file_name(year)
    result.path = target
    data: dict[str, list[dict[str, Any]]] = {}
    for ident, observations in plan.progress.items():
        kept = [o.model_dump(exclude_none=True) for o in observations if o.end == year]
        if kept:
            data[ident] = kept
    places: dict[tuple[Any, ...], Place] = {}
    for ident, entry in sorted(chosen.items(), key=lambda pair: order.get(pair[0], len(order))):
        observation: dict[str, Any] = {"period": year, "value": entry.value}
        if entry.source is not None:
            observation["source"] = entry.source
        existing = data.setdefault(ident, [])
        index = next((i for i, o in enumerate(existing) if o["period"] == str(year)), None)
        replaced = None
        if index is not None:
            old = existing[index]
            if (
                old["value"] == entry.value
                and type(old["value"]) is type(entry.value)
                and old.get("source") == (entry.source)
            ):
                result.unchanged.append(ident)
                continue
            replaced = Observation.model_validate(old)
            if not force:
                result.problems.append(
                    CellProblem(
                        entry.file,
                        layout.FORM,
                        entry.cell("value"),
                        f"{ident} already has the value {_shown(old['value'])} for {year} in "
                        f"{display_path(target)}; record with --force to replace it with {_shown(entry.value)}",
                    )
                )
                continue
            existing[index] = observation
        else:
            index = len(existing)
            existing.append(observation)
        value_cell = (entry.file, layout.FORM, entry.cell("value"))
        places[(ident,)] = (entry.file, layout.FORM, entry.cell("id"))
        places[(ident, index)] = value_cell
        places[(ident, index, "source")] = (entry.file, layout.FORM, entry.cell("source"))
        result.recorded.append(Recorded(ident, entry.value, entry.source, replaced))
    data = {k: v for k, v in data.items() if v}

    document = _FormDocument(target, data, places)
    objectives: list[Any] = [(o, None) for o in plan.objectives]
    check_progress([document], index_entries(objectives), plan.info.timeframe, _validate)
    result.problems.extend(document.found)
    if result.problems or not result.recorded:
        return result
    result.text = _file_text(target, data, order)
    return result


def _file_text(target: Path, data: dict[str, list[dict[str, Any]]], order: dict[str, int]) -> str:
    """The progress file's text: canonical layout; an existing file's comments and key order kept."""
    from lgcb.planfile.fmt import format_text

    plain = {k: [_plain(o) for o in v] for k, v in sorted(data.items(), key=lambda p: order.get(p[0], len(order)))}
    ProgressFile.model_validate(plain)  # the data is what check_progress passed: this only guards the writer
    if not target.is_file():
        from lgcb.planfile.write import to_yaml

        return to_yaml(plain, ProgressFile)
    from io import StringIO

    from lgcb.planfile.fmt import _yaml

    y = _yaml()  # fmt's own round-trip reader: YAML 1.1 scalars, as lgcb validate reads them
    existing = y.load(target.read_text(encoding="utf-8"))
    keys = list(existing)
    for ident, observations in plain.items():
        if ident in existing:
            existing[ident] = (
                observations if len(observations) != len(existing[ident]) else _merge(existing[ident], observations)
            )
            continue
        later = [i for i, k in enumerate(keys) if order.get(k, len(order)) > order.get(ident, len(order))]
        position = later[0] if later else len(keys)
        existing.insert(position, ident, observations)
        keys.insert(position, ident)
    out = StringIO()
    y.dump(existing, out)
    return format_text(out.getvalue(), ProgressFile, plain)


def _merge(old: Any, new: list[dict[str, Any]]) -> Any:
    """Replace changed observations in place, so the comments around unchanged ones stay."""
    for i, observation in enumerate(new):
        if dict(old[i]) != observation:
            old[i] = observation
    return old


def _plain(observation: dict[str, Any]) -> dict[str, Any]:
    """A single-year period as the number a person writes (``period: 2015``), a range as text."""
    period = observation["period"]
    if isinstance(period, str) and period.isdigit():
        return {**observation, "period": int(period)}
    return dict(observation)
