"""Synthetic plans of N objectives, shaped like the shipped plan but as large as asked.

Each objective gets column sizes, group headings, nested items, numbered results and texts drawn
around the shipped plan's own distribution, scaled so that an objective holds about 50 entries on
average (1,000 objectives ≈ 50,000 entries: the size of a large national or successor plan).
Words come from the shipped plan's texts, so text lengths and characters (en dashes, curly quotes)
are realistic.  One indicator in five has a baseline, a target and a value for every year after
its baseline but the timeframe's last (``progress/<year>.yaml``): a decade of monitoring rounds.
A seeded generator makes every run identical.  The result is checked with ``load_plan`` before it
is returned: a synthetic plan is always valid.

    python benchmarks/generate.py 1000 /tmp/plan-1000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

from lgcb.checks.load import load_plan
from lgcb.model import (
    Activity,
    ActivityGroup,
    Baseline,
    Indicator,
    Objective,
    Observation,
    Outcome,
    Plan,
    PlanInfo,
    Result,
    StrategicObjective,
    StrategicPlan,
    Target,
)
from lgcb.planfile.layout import shipped_plan
from lgcb.planfile.write import write_plan

SIZES = (8, 100, 1000)
"""The sizes the benchmark uses: the shipped plan's size, a large plan, a very large one."""

# Column sizes (top-level entries) seen in the shipped plan, per objective, scaled ×2.15 below.
_OUTCOMES = (2, 3, 2, 1, 2, 3, 3, 7)
_INDICATORS = (2, 6, 4, 2, 3, 2, 2, 8)
_RESULTS = (5, 7, 3, 5, 3, 5, 7, 2)
_ACTIVITIES = (5, 10, 15, 7, 3, 11, 9, 5)
_SCALE = 2.15


def _vocabulary() -> list[str]:
    """Every word of the shipped plan's source text fields (with repeats, so frequencies carry over)."""
    result = load_plan(shipped_plan())
    assert result.plan is not None, result.problems
    words: list[str] = []
    for objective in result.plan.objectives:
        words += objective.title.split() + objective.aim.split()
        for located in objective.walk():
            words += located.text.split()
    return words


class _Writer:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.words = _vocabulary()

    def text(self, low: int = 3, high: int = 36, mean: float = 14.0) -> str:
        """A sentence of shipped-plan words; lengths around the shipped mean of ~97 characters."""
        n = max(low, min(high, round(self.random.gauss(mean, 6))))
        words = self.random.choices(self.words, k=n)
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words)

    def count(self, shipped: tuple[int, ...]) -> int:
        return max(1, round(self.random.choice(shipped) * _SCALE * self.random.uniform(0.7, 1.3)))

    def chance(self, p: float) -> bool:
        return self.random.random() < p


def _objective(w: _Writer, number: int, strategic: list[str]) -> Objective:
    r = w.random
    n = number
    outcomes = [Outcome(id=f"{n}.O{i}", text=w.text()) for i in range(1, w.count(_OUTCOMES) + 1)]
    outcome_ids = [o.id for o in outcomes]

    indicators = []
    for i in range(1, w.count(_INDICATORS) + 1):
        fields: dict = {"id": f"{n}.I{i}", "text": w.text()}
        if w.chance(0.5):
            fields["measures"] = r.sample(outcome_ids, k=min(len(outcome_ids), r.randint(1, 2)))
        if w.chance(0.2):
            start = r.randint(2011, 2015)
            fields |= {
                "measure": "number",
                "unit": "Parties",
                "baseline": Baseline(value=r.randint(0, 50), year=start, source=w.text(3, 8, 5)),
                "targets": [Target(year=start + 5, value=r.randint(50, 150))],
                "means_of_verification": w.text(4, 12, 7),
            }
        indicators.append(Indicator(**fields))

    results = []
    for i in range(1, w.count(_RESULTS) + 1):
        nested = []
        if w.chance(0.08):  # as 4.R3: a lead-in text with sub-results
            nested = [Result(id=f"{n}.R{i}.{j}", text=w.text()) for j in range(1, r.randint(2, 5) + 1)]
        numbered = {"number": f"{n}.{i}"} if w.chance(0.8) else {}
        results.append(Result(id=f"{n}.R{i}", text=w.text(), items=nested, **numbered))
    result_ids = [x.id for x in results]

    def activity(i: int) -> Activity:
        nested = []
        if w.chance(0.1):  # as 1.A1: "Development of a best practice guide on:" and its points
            nested = [Activity(id=f"{n}.A{i}.{j}", text=w.text(2, 12, 6)) for j in range(1, r.randint(2, 4) + 1)]
        serves = r.sample(result_ids, k=r.randint(1, 2)) if w.chance(0.4) else []
        return Activity(id=f"{n}.A{i}", text=w.text(), items=nested, serves=serves)

    total = w.count(_ACTIVITIES)
    activities: list = []
    if number % 8 == 3:  # as objective 3 (one in eight): activities under group headings
        start = 1
        for g in range(1, r.randint(2, 5) + 1):
            size = max(1, total // 3)
            group = ActivityGroup(
                id=f"{n}.G{g}", group=w.text(3, 8, 5), items=[activity(i) for i in range(start, start + size)]
            )
            activities.append(group)
            start += size
    else:
        activities = [activity(i) for i in range(1, total + 1)]

    return Objective(
        number=number,
        title=w.text(2, 7, 4),
        aim=w.text(12, 35, 22),
        strategic_plan_objective=strategic[(number - 1) % len(strategic)],
        outcomes=outcomes,
        indicators=indicators,
        results=results,
        activities=activities,
    )


def synthetic_plan(objectives: int, seed: int = 2012) -> Plan:
    """A valid plan of ``objectives`` objectives; the same seed always gives the same plan."""
    w = _Writer(seed * 100_003 + objectives)
    shipped = load_plan(shipped_plan()).plan
    assert shipped is not None
    strategic = [s.number for s in shipped.info.strategic_plan.objectives]
    info = PlanInfo(
        title=f"Synthetic action plan of {objectives} objectives",
        subtitle="(generated for benchmarks: not a real plan)",
        source=shipped.info.source,
        timeframe=shipped.info.timeframe,
        strategic_plan=StrategicPlan(
            title=shipped.info.strategic_plan.title,
            objectives=[StrategicObjective(number=s, title=w.text(2, 8, 4)) for s in strategic],
        ),
    )
    chosen = [_objective(w, n, strategic) for n in range(1, objectives + 1)]
    return Plan(info=info, objectives=chosen, progress=_monitoring_rounds(w, chosen, shipped.info.timeframe.end))


def _monitoring_rounds(w: _Writer, objectives: list[Objective], end: int) -> dict[str, list[Observation]]:
    """A value for every year after the baseline up to the year before the timeframe's last, for each
    indicator with a baseline: the monitoring rounds of the decade so far, one
    ``progress/<year>.yaml`` per year; the last year's round is the one being collected."""
    progress: dict[str, list[Observation]] = {}
    for objective in objectives:
        for located in objective.walk():
            indicator = located.indicator
            if indicator is None or indicator.baseline is None:
                continue
            value = indicator.baseline.value
            rounds = []
            for year in range(indicator.baseline.year + 1, end):
                value += w.random.randint(0, 12)
                rounds.append(Observation(period=str(year), value=value, source="national reports"))
            progress[indicator.id] = rounds
    return progress


def write_synthetic(objectives: int, directory: Path, seed: int = 2012) -> Path:
    """Write a synthetic plan to ``directory`` (replacing it) and check that it loads without problems."""
    if directory.exists() and any(directory.iterdir()):
        info = directory / "plan.yaml"
        if not (info.is_file() and info.read_text(encoding="utf-8").startswith("title: Synthetic action plan")):
            raise SystemExit(f"{directory} exists and is not a synthetic plan: refusing to replace it")
        shutil.rmtree(directory)
    plan = synthetic_plan(objectives, seed)
    write_plan(plan, directory)
    result = load_plan(directory)
    assert not result.problems, result.problems[:5]
    assert result.plan == plan, "the written plan does not read back as the generated one"
    return directory


def count_entries(plan: Plan) -> int:
    return sum(1 for _ in plan.walk())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("objectives", type=int, nargs="?", help="number of objectives, e.g. 1000")
    parser.add_argument(
        "directory", type=Path, nargs="?", help="where to write the plan (replaces an earlier synthetic plan)"
    )
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--count", type=Path, metavar="PLAN", help="only print a plan's objective and entry counts")
    args = parser.parse_args(argv)
    if args.count:
        counted = load_plan(args.count).plan
        assert counted is not None, f"{args.count} is not a valid plan"
        observations = sum(map(len, counted.progress.values()))
        print(
            json.dumps(
                {"objectives": len(counted.objectives), "entries": count_entries(counted), "observations": observations}
            )
        )
        return 0
    if args.objectives is None or args.directory is None:
        parser.error("give OBJECTIVES and DIRECTORY, or --count PLAN")
    write_synthetic(args.objectives, args.directory, args.seed)
    plan = load_plan(args.directory).plan
    assert plan is not None
    print(f"{args.directory}: {len(plan.objectives)} objectives, {count_entries(plan)} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
