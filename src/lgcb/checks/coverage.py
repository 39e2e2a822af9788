"""How far the plan is from a complete, aligned and monitorable results framework.

The 2012 evaluation asked for "specific targets (expected results) and a limited number of
indicators to be used to monitor progress", aligned with the Strategic Plan.  ``check_coverage``
measures that with five checks, each over countable *subjects* (things that pass or fail):

``alignment``
    Subjects: each objective (passes when its ``strategic_plan_objective`` is declared in
    ``plan.yaml``) and each declared Strategic Plan objective (passes when at least one objective
    serves it).  Rules: ``unknown-strategic-objective`` (error), ``strategic-objective-not-served``
    (error).
``completeness``
    Subjects: the six parts of an objective's row in the annex: title, aim, and the columns
    outcomes, indicators, results/outputs and activities.  A part passes when it has text (a
    column: at least one item, and no entry with blank text).  Rules: ``missing-column`` (error),
    ``empty-text`` (error), ``empty-group`` (warning: a group heading with no items under it).
``chain``
    Subjects: every result (passes when an activity ``serves`` it), outcome (an indicator
    ``measures`` it), activity (it serves an existing result) and indicator (it measures an
    existing outcome).  Rules: ``result-without-activity``, ``outcome-without-indicator``,
    ``activity-serves-nothing``, ``indicator-measures-nothing`` (warnings), ``dangling-link``
    (error).  A kind of link the plan records nowhere is reported once, as ``links-not-recorded``
    (warning), instead of one miss per item; its subjects still fail.
``monitoring``
    Subjects: four fields of every indicator: ``baseline`` (value and year), ``targets`` (at
    least one, each with a year), ``unit`` and ``means_of_verification``.  ``unit`` is not asked
    of an indicator recorded as ``measure: qualitative``; ``measure`` itself belongs to the
    ``measurable`` check.  Rule: ``monitoring-incomplete`` (warning, one per indicator).
``measurable``
    Subjects: every indicator.  It passes when its text counts something ("Number of",
    "Percentage of", "Ratio of", "Amount of"… see ``COUNTABLE_OPENINGS``) or when a countable
    ``measure`` (number, percentage, ratio, amount) is recorded for it: the text is the source's
    and may not be reworded.  Rule: ``indicator-not-countable`` (warning).

A check's percentage is ``100 × passed / subjects`` (pooled over all subjects, so the plan row
is not a mean of the objective rows); a check with no subjects has no percentage.  The **score**
(of the plan, or of one objective) is the unweighted mean of its checks' percentages, leaving
out checks without one, rounded to one decimal.  It depends only on the plan's content, so the
same plan always has the same score.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lgcb import ids
from lgcb.checks.problem import Problem
from lgcb.checks.rules import RULES
from lgcb.model import KINDS, Indicator, Located, Objective, Plan

if TYPE_CHECKING:
    from lgcb.checks.load import LoadResult
    from lgcb.planfile.read import Document


CHECKS: dict[str, str] = {
    "alignment": "Alignment",
    "completeness": "Completeness",
    "chain": "Results chain",
    "monitoring": "Monitoring",
    "measurable": "Measurable",
}
"""Check key (stable, used in JSON) → its title in tables."""

COUNTABLE_OPENINGS = (
    "number of",
    "numbers of",
    "total number of",
    "percentage of",
    "proportion of",
    "share of",
    "ratio of",
    "rate of",
    "amount of",
    "total amount of",
    "volume of",
)
"""An indicator whose text starts with one of these (ignoring case) says what it counts."""

COUNTABLE_MEASURES = ("number", "percentage", "ratio", "amount")
"""Values of ``Indicator.measure`` that make an indicator countable whatever its wording."""

PLAN_WIDE_RULES = frozenset({"links-not-recorded"})
"""Plan-level findings that concern every objective, so a report on one objective keeps them."""

MONITORING_FIELDS = ("baseline", "targets", "unit", "means_of_verification")


@dataclass(frozen=True)
class Tally:
    """Subjects of one check that passed, out of how many."""

    passed: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.passed / self.total, 1) if self.total else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.passed + other.passed, self.total + other.total)

    def as_dict(self) -> dict[str, Any]:
        return {"percent": self.percent, "passed": self.passed, "total": self.total}


def score(tallies: dict[str, Tally]) -> float | None:
    """The unweighted mean of the checks' percentages (checks without subjects left out)."""
    percents = [t.passed / t.total for t in tallies.values() if t.total]
    return round(100 * sum(percents) / len(percents), 1) if percents else None


@dataclass(frozen=True)
class ObjectiveCoverage:
    number: int
    title: str
    checks: dict[str, Tally]
    strategic_plan_objective: str = ""
    """The Strategic Plan operational objective the objective serves, and its title (if declared)."""
    strategic_plan_title: str | None = None

    @property
    def score(self) -> float | None:
        return score(self.checks)


@dataclass(frozen=True)
class CoverageReport:
    """Per-objective and plan-wide tallies of each check, the score, and every finding."""

    objectives: list[ObjectiveCoverage]
    overall: dict[str, Tally]
    findings: list[Problem] = field(default_factory=list)
    objective: int | None = None
    """Set when the report is narrowed to one objective (``only``)."""

    @property
    def score(self) -> float | None:
        return score(self.overall)

    @property
    def errors(self) -> int:
        return sum(f.level == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.level == "warning" for f in self.findings)

    def only(self, number: int) -> CoverageReport:
        """The report of one objective: its row (also as the overall), its findings, and the plan-wide
        findings that explain its row (``links-not-recorded``)."""
        rows = [o for o in self.objectives if o.number == number]
        overall = rows[0].checks if rows else {key: Tally() for key in CHECKS}
        findings = [f for f in self.findings if f.objective == number or f.rule in PLAN_WIDE_RULES]
        return replace(self, objectives=rows, overall=overall, findings=findings, objective=number)

    def rules(self) -> list[str]:
        """The rule of each finding, in report order (handy to see a report's shape at a glance)."""
        return [f.rule for f in self.findings]


class _Collector:
    """Accumulates tallies and findings, placing each finding at its YAML node when files are known."""

    def __init__(self, plan: Plan, loaded: LoadResult | None) -> None:
        self.plan = plan
        self.documents: dict[int, Document] = dict(loaded.documents) if loaded else {}
        self.info_document = loaded.info_document if loaded else None
        self.counts: dict[tuple[int | None, str], list[int]] = {}
        """(objective number or None for the plan, check) → [passed, total]: tallied as plain counters,
        made :class:`Tally` values once, in :meth:`report`."""
        self.findings: list[Problem] = []
        self.check = ""
        """The check being run: the findings it adds count against it."""
        self.pending: dict[int, tuple[Document, list[tuple[int, tuple[Any, ...]]]]] = {}
        self._walked: dict[int, list[Located]] = {}

    def walk(self, objective: Objective) -> list[Located]:
        """The objective's entries, walked once for all five checks."""
        walked = self._walked.get(id(objective))
        if walked is None:
            walked = self._walked[id(objective)] = list(objective.walk())
        return walked

    def items(self, objective: Objective, kind: str) -> Iterator[Located]:
        return (located for located in self.walk(objective) if located.kind == kind)

    def walk_plan(self) -> Iterator[Located]:
        for objective in self.plan.objectives:
            yield from self.walk(objective)

    def count(self, check: str, objective: Objective | None, passed: bool) -> None:
        key = (objective.number if objective is not None else None, check)
        counter = self.counts.get(key)
        if counter is None:
            counter = self.counts[key] = [0, 0]
        counter[0] += passed
        counter[1] += 1

    def tallies(self, number: int | None) -> dict[str, Tally]:
        """The tallies of one objective (``None``: the plan-wide ones), a :class:`Tally` per check."""
        return {key: Tally(*self.counts.get((number, key), (0, 0))) for key in CHECKS}

    def add(
        self,
        rule: str,
        message: str,
        objective: Objective | None = None,
        item: str | None = None,
        loc: tuple[Any, ...] | None = None,
        *,
        in_plan_file: bool = False,
    ) -> None:
        doc = self.info_document if in_plan_file else self.documents.get(objective.number) if objective else None
        number = objective.number if objective else None
        level = RULES[rule].level
        path, line, col, later = "", None, None, False
        if doc is not None and loc is not None:
            kept = doc.kept_position(loc)
            if kept is not None:  # where the entry starts was kept while loading: placed at once
                path, (line, col) = doc.display, kept
            else:
                later = True
        self.findings.append(
            Problem(path, line, col, message, rule, level, objective=number, item=item, check=self.check)
        )
        if later:
            assert doc is not None and loc is not None
            self.pending.setdefault(id(doc), (doc, []))[1].append((len(self.findings) - 1, loc))

    def locate(self) -> None:
        """Give findings their ``file:line:col``, one file at a time.

        A file's node tree is composed for its findings and let go straight after, so that a large
        plan with findings everywhere never holds every file's tree at once.
        """
        for doc, wanted in self.pending.values():
            for index, loc in wanted:
                line, col = doc.position(loc)
                self.findings[index] = replace(self.findings[index], path=doc.display, line=line, col=col)
            doc.release()
        self.pending.clear()

    def report(self) -> CoverageReport:
        self.locate()
        rows = [
            ObjectiveCoverage(
                o.number,
                o.title,
                self.tallies(o.number),
                o.strategic_plan_objective,
                sp.title if (sp := self.plan.strategic_objective(o.strategic_plan_objective)) else None,
            )
            for o in self.plan.objectives
        ]
        overall = self.tallies(None)
        for row in rows:
            for key in CHECKS:
                overall[key] += row.checks[key]
        order = {key: i for i, key in enumerate(CHECKS)}
        numbers = {o.number: i for i, o in enumerate(self.plan.objectives)}
        # Plan-wide findings first, then objective by objective, check by check; within that, the
        # order in which the checks met them (file order).
        indexed = sorted(
            enumerate(self.findings),
            key=lambda pair: (
                -1 if pair[1].objective is None else numbers.get(pair[1].objective, len(numbers)),
                order[pair[1].check or ""],
                pair[0],
            ),
        )
        return CoverageReport(rows, overall, [f for _, f in indexed])


def _is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _check_alignment(c: _Collector) -> None:
    declared = [s.number for s in c.plan.info.strategic_plan.objectives]
    for objective in c.plan.objectives:
        linked = objective.strategic_plan_objective
        ok = linked in declared
        c.count("alignment", objective, ok)
        if not ok:
            c.add(
                "unknown-strategic-objective",
                f"objective {objective.number}: it serves Strategic Plan objective {linked}, which plan.yaml "
                f"does not declare (declared: {', '.join(declared)}); correct `strategic_plan_objective` or "
                "declare the objective under `strategic_plan`",
                objective,
                None,
                ("strategic_plan_objective",),
            )
    served = {o.strategic_plan_objective for o in c.plan.objectives}
    for i, sp in enumerate(c.plan.info.strategic_plan.objectives):
        ok = sp.number in served
        c.count("alignment", None, ok)
        if not ok:
            c.add(
                "strategic-objective-not-served",
                f"Strategic Plan objective {sp.number} ({sp.title}) is declared but no objective serves it: "
                f"set `strategic_plan_objective: '{sp.number}'` on the objective that does, or remove the "
                "declaration",
                None,
                None,
                ("strategic_plan", "objectives", i),
                in_plan_file=True,
            )


def _check_completeness(c: _Collector) -> None:
    for objective in c.plan.objectives:
        for name in ("title", "aim"):
            blank = _is_blank(getattr(objective, name))
            c.count("completeness", objective, not blank)
            if blank:
                c.add(
                    "empty-text",
                    f"objective {objective.number}: `{name}` is blank; write the source's {name}",
                    objective,
                    None,
                    (name,),
                )
        for key, kind in KINDS.items():
            entries = [located for located in c.walk(objective) if located.column == key]
            complete = any(located.kind == kind for located in entries)
            if not complete:
                column = "results/outputs" if key == "results" else key
                c.add(
                    "missing-column",
                    f"objective {objective.number}: the {column} column has no {kind}; every objective needs at "
                    f"least one {kind} (add it under `{key}:` with its ID and text)",
                    objective,
                    None,
                    (key,),
                )
            for located in entries:
                name = "group heading" if located.kind == "group" else located.kind
                if _is_blank(located.text):
                    complete = False
                    field_name = "group" if located.kind == "group" else "text"
                    c.add(
                        "empty-text",
                        f"{name} {located.id}: `{field_name}` is blank; write its text or remove the {name}",
                        objective,
                        located.id,
                        (*located.loc, field_name),
                    )
                if located.kind == "group" and not located.entry.items:
                    c.add(
                        "empty-group",
                        f"group heading {located.id}: nothing is listed under it; add its items under `items:` "
                        "or remove the heading",
                        objective,
                        located.id,
                        located.loc,
                    )
            c.count("completeness", objective, complete)


_LINKS = {
    # link field: (item kind holding it, kind it names, kind missing a link, rule for a target nobody links)
    "serves": ("activity", "result", "result-without-activity", "activity-serves-nothing"),
    "measures": ("indicator", "outcome", "outcome-without-indicator", "indicator-measures-nothing"),
}


def _check_chain(c: _Collector) -> None:
    kinds = {ids.key(located.id): located.kind for located in c.walk_plan()}
    recorded = {
        "serves": any(located.serves for located in c.walk_plan()),
        "measures": any(located.measures for located in c.walk_plan()),
    }
    if not any(recorded.values()):
        c.add(
            "links-not-recorded",
            "the plan records no results chain yet: no activity lists the results it `serves` and no indicator "
            "the outcomes it `measures`, so every result, outcome, activity and indicator counts as unlinked; "
            f"add the links as they are agreed{_link_example(c)}",
        )
    else:
        for name, is_recorded in recorded.items():
            holder, target, _, _ = _LINKS[name]
            if not is_recorded:
                c.add(
                    "links-not-recorded",
                    f"no {holder} records `{name}` yet, so no {target} is linked to an {holder}; add `{name}: [...]` "
                    f"to the {'activities' if holder == 'activity' else 'indicators'} as the links are agreed",
                )
    linked: dict[str, set[str]] = {name: set() for name in _LINKS}
    for objective in c.plan.objectives:
        for name, (holder, target, _, serves_nothing) in _LINKS.items():
            for located in c.items(objective, holder):
                links = located.serves if name == "serves" else located.measures
                good = [i for i in links if kinds.get(ids.key(i)) == target]
                linked[name].update(ids.key(i) for i in good)
                c.count("chain", objective, bool(good))
                if not links and recorded[name]:
                    c.add(
                        serves_nothing,
                        f"{holder} {located.id}: it lists no {target} under `{name}`; say which {target}s it {name}",
                        objective,
                        located.id,
                        located.loc,
                    )
    for objective in c.plan.objectives:
        for name, (holder, target, without, _) in _LINKS.items():
            for located in c.items(objective, target):
                ok = ids.key(located.id) in linked[name]
                c.count("chain", objective, ok)
                if not ok and recorded[name]:
                    c.add(
                        without,
                        f"{target} {located.id}: no {holder} {name} it; "
                        f"add `{name}: [{located.id}]` to the {holder} that {name} it",
                        objective,
                        located.id,
                        located.loc,
                    )


def _link_example(c: _Collector) -> str:
    """E.g. "(e.g. `serves: [1.R1]` on activity 1.A1, ...)", with IDs of this plan, or nothing."""
    for objective in c.plan.objectives:
        first = {kind: next((located.id for located in c.items(objective, kind)), None) for kind in KINDS.values()}
        if all(first.values()):
            return (
                f" (e.g. `serves: [{first['result']}]` on activity {first['activity']}, "
                f"`measures: [{first['outcome']}]` on indicator {first['indicator']})"
            )
    return ""


_FIELD_WORDS = {
    "baseline": "baseline",
    "targets": "target",
    "unit": "unit",
    "means_of_verification": "means of verification",
}


def _check_monitoring(c: _Collector) -> None:
    for objective in c.plan.objectives:
        for located in c.items(objective, "indicator"):
            entry = located.indicator
            assert entry is not None
            missing = []
            for name in MONITORING_FIELDS:
                if name == "unit" and entry.measure == "qualitative":
                    continue
                value = getattr(entry, name)
                present = bool(value) and not (isinstance(value, str) and _is_blank(value))
                c.count("monitoring", objective, present)
                if not present:
                    missing.append(name)
            if missing:
                words = [_FIELD_WORDS[m] for m in missing]
                listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
                fields = ", ".join(f"`{m}`" for m in missing)
                c.add(
                    "monitoring-incomplete",
                    f"indicator {located.id}: no {listed} recorded; add {fields} from real data as they are agreed",
                    objective,
                    located.id,
                    located.loc,
                )


def countable(indicator: Indicator) -> bool:
    """Whether the indicator says what it counts, by its wording or by a recorded countable ``measure``."""
    if indicator.measure in COUNTABLE_MEASURES:
        return True
    if indicator.measure == "qualitative":
        return False
    text = " ".join(indicator.text.split()).casefold()
    return any(text.startswith(opening + " ") for opening in COUNTABLE_OPENINGS)


def _check_measurable(c: _Collector) -> None:
    for objective in c.plan.objectives:
        for located in c.items(objective, "indicator"):
            entry = located.indicator
            assert entry is not None
            ok = countable(entry)
            c.count("measurable", objective, ok)
            if ok:
                continue
            if entry.measure == "qualitative":
                reason = (
                    "it is recorded as `measure: qualitative`, so progress on it cannot be counted; if it can be "
                    "counted after all, record `measure` as number, percentage, ratio or amount"
                )
            else:
                reason = (
                    "its text names no quantity (it does not start with “Number of”, “Percentage of”, “Ratio of”, "
                    "“Amount of” or the like); the text is the source's and stays as it is: record how it is "
                    "counted in `measure` (number, percentage, ratio or amount) and `unit`"
                )
            c.add(
                "indicator-not-countable",
                f"indicator {located.id} is not countable as written: “{entry.text}”: {reason}",
                objective,
                located.id,
                located.loc,
            )


def check_coverage(plan: Plan, loaded: LoadResult | None = None) -> CoverageReport:
    """Run the five checks on ``plan``; with ``loaded`` (from ``load_plan``) findings get ``file:line:col``."""
    collector = _Collector(plan, loaded)
    for check, run in (
        ("alignment", _check_alignment),
        ("completeness", _check_completeness),
        ("chain", _check_chain),
        ("monitoring", _check_monitoring),
        ("measurable", _check_measurable),
    ):
        collector.check = check
        run(collector)
    return collector.report()
