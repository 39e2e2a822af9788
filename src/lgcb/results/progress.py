"""Progress of every indicator: baseline, latest observation, target, how far along, and a status.

The status answers one question per indicator, from the data recorded and nothing else:

``achieved``
    The latest observed value has reached the final target (at or above it; at or below it for
    an indicator whose final target lies below its baseline).
``on track``
    Not yet achieved, and the latest value is at or beyond the *expected value* for the year the
    latest observation's period ends in.  The expected path runs in straight lines from the
    baseline (year, value) through each target (year, value) in year order; before the baseline
    year it is the baseline value, after the final target year the final target value.
``off track``
    Not yet achieved, and the latest value falls short of the expected value.
``not assessed``
    Observations exist but cannot be compared: no target, no baseline (needed for the path),
    or values that are not numbers (a qualitative indicator).
``no data``
    No observation is recorded.

"The target" shown for an indicator is the next target in or after the year of the latest
observation, or the final target if all lie before it (or if nothing is observed yet); "percent"
is how far the latest value has come from the baseline towards that target (100 = reached; it
can exceed 100 or be negative).  A period such as "2014-2015" counts as its last year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from lgcb.model import ILLUSTRATIVE_NOTICE, Baseline, Indicator, Objective, Observation, Plan, Target

STATUSES = ("achieved", "on track", "off track", "not assessed", "no data")
"""Every status, best first; summaries count them in this order."""

NONE_RECORDED = "No baselines, targets or observations are recorded for the {count} indicators of {scope}."
"""The plain statement, in every report, that there is no monitoring data to show."""
HOW_TO_RECORD = (
    "To record them, give an indicator `measure`, `baseline` and `targets` in its objective file and "
    "put observations in progress/<year>.yaml (see docs/monitoring.md)."
)

STATUS_LEGEND = (
    "Status: *achieved*, the final target is reached; *on track*, at or beyond the straight line from the "
    "baseline to the targets in the year of the latest value; *off track*, short of it; *not assessed*, no "
    "baseline, no target or not a number; *no data*, nothing observed yet."
)


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's monitoring data and what follows from it."""

    objective: int
    id: str
    text: str
    measure: str | None
    unit: str | None
    means_of_verification: str | None
    baseline: Baseline | None
    targets: tuple[Target, ...]
    observations: tuple[Observation, ...]
    timeframe: tuple[int, int]
    latest: Observation | None
    target: Target | None
    """The target the latest value is compared with (see the module docstring)."""
    expected: float | None
    """The value on the expected path in the latest observation's year (needs a baseline and a target)."""
    percent: float | None
    status: str
    reason: str
    """The status in words: why it is what it is."""

    @property
    def has_data(self) -> bool:
        """Anything recorded: a baseline, a target or an observation."""
        return bool(self.baseline or self.targets or self.observations)


@dataclass(frozen=True)
class ObjectiveProgress:
    number: int
    title: str
    indicators: tuple[IndicatorProgress, ...]

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.indicators)


@dataclass(frozen=True)
class ProgressReport:
    """Progress of a whole plan, or of the objectives chosen."""

    timeframe: tuple[int, int]
    illustrative: bool
    objectives: tuple[ObjectiveProgress, ...]
    scope: str = "this plan"
    """What the report covers, in words: "this plan" or "operational objective 3"."""

    @property
    def indicators(self) -> list[IndicatorProgress]:
        return [i for o in self.objectives for i in o.indicators]

    @property
    def recorded(self) -> bool:
        """Whether any baseline, target or observation is recorded for the indicators covered."""
        return any(i.has_data for i in self.indicators)

    @property
    def notice(self) -> str | None:
        return ILLUSTRATIVE_NOTICE if self.illustrative else None

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.indicators)

    @property
    def message(self) -> str | None:
        """The plain statement that nothing is recorded, or None when something is."""
        if self.recorded:
            return None
        return NONE_RECORDED.format(count=len(self.indicators), scope=self.scope)


def summarize(indicators: tuple[IndicatorProgress, ...] | list[IndicatorProgress]) -> dict[str, int]:
    """Indicator count and the count for each status (every status present, in :data:`STATUSES` order)."""
    counts = {"indicators": len(indicators)}
    for status in STATUSES:
        counts[status] = sum(1 for i in indicators if i.status == status)
    return counts


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def expected_value(baseline: Baseline, targets: tuple[Target, ...] | list[Target], year: int) -> float:
    """The value on the straight-line path from the baseline through the targets, in ``year``."""
    points = [(baseline.year, float(baseline.value))]
    points += [(t.year, float(t.value)) for t in sorted(targets, key=lambda t: t.year) if t.year > baseline.year]
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in pairwise(points):
        if year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def indicator_progress(
    objective: int, indicator: Indicator, observations: list[Observation], timeframe: tuple[int, int]
) -> IndicatorProgress:
    """Compute the latest value, target, percent and status of one indicator (rules: module docstring)."""
    targets = tuple(sorted(indicator.targets, key=lambda t: t.year))
    observed = tuple(sorted(observations, key=lambda o: o.sort_key))
    baseline = indicator.baseline
    latest = observed[-1] if observed else None
    target: Target | None = None
    if targets:
        year = latest.end if latest else None
        target = next((t for t in targets if year is not None and t.year >= year), targets[-1])
    expected = percent = None

    def result(status: str, reason: str) -> IndicatorProgress:
        return IndicatorProgress(
            objective,
            indicator.id,
            indicator.text,
            indicator.measure,
            indicator.unit,
            indicator.means_of_verification,
            baseline,
            targets,
            observed,
            timeframe,
            latest,
            target,
            expected,
            percent,
            status,
            reason,
        )

    if latest is None:
        return result("no data", "no observation is recorded")
    if not targets:
        return result("not assessed", "no target is recorded")
    final = targets[-1]
    values = [latest.value, final.value, target.value] + ([baseline.value] if baseline else [])  # type: ignore[union-attr]
    if indicator.measure == "qualitative" or not all(is_number(v) for v in values):
        return result("not assessed", "the values are not numbers, so they cannot be compared automatically")
    direction = -1 if baseline is not None and final.value < baseline.value else 1
    if baseline is not None:
        expected = round(expected_value(baseline, targets, latest.end), 2)
        span = target.value - baseline.value  # type: ignore[union-attr]
        reached = direction * (latest.value - target.value) >= 0  # type: ignore[union-attr]
        percent = round((latest.value - baseline.value) / span * 100, 1) if span else (100.0 if reached else 0.0)
    if direction * (latest.value - final.value) >= 0:
        return result("achieved", f"the final target for {final.year} is reached")
    if baseline is None or expected is None:
        return result("not assessed", "no baseline is recorded, so there is no expected path to compare with")
    shown = format_value(expected, indicator.measure, indicator.unit)
    if direction * (latest.value - expected) >= 0:
        return result("on track", f"at or beyond the {shown} expected by {latest.end}")
    return result("off track", f"short of the {shown} expected by {latest.end}")


def objective_progress(plan: Plan, objective: Objective) -> ObjectiveProgress:
    timeframe = (plan.info.timeframe.start, plan.info.timeframe.end)
    indicators = tuple(
        indicator_progress(objective.number, i, plan.observations(i.id), timeframe)  # type: ignore[arg-type]
        for i in objective.items("indicators")
    )
    return ObjectiveProgress(objective.number, objective.title, indicators)


def plan_progress(plan: Plan, objectives: tuple[int, ...] = ()) -> ProgressReport:
    """Progress of every indicator of the plan, or of the objectives numbered in ``objectives``."""
    chosen = [o for o in plan.objectives if not objectives or o.number in objectives]
    scope = "this plan"
    if objectives:
        numbers = [str(o.number) for o in chosen]
        scope = f"operational objective{'s' * (len(numbers) != 1)} {', '.join(numbers)}"
    return ProgressReport(
        (plan.info.timeframe.start, plan.info.timeframe.end),
        plan.info.illustrative,
        tuple(objective_progress(plan, o) for o in chosen),
        scope,
    )


def format_number(value: float | int) -> str:
    """12 → "12", 12.5 → "12.5", 12.0 → "12", 250000 → "250,000"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


CURRENCY_CODES = frozenset(
    "USD EUR GBP CHF JPY CNY CAD AUD NZD SEK NOK DKK ISK PLN CZK HUF RON BGN RUB UAH TRY INR PKR BDT LKR NPR "
    "IDR MYR THB VND PHP KRW SGD BRL ARS CLP COP PEN MXN BOB PYG UYU CRC GTQ ZAR NGN KES UGX TZS ETB GHS EGP MAD "
    "DZD TND XOF XAF SAR AED QAR KWD OMR IRR ILS JOD".split()
)
"""ISO 4217 codes written before the amount ("USD 20 million"), as the United Nations editorial style does."""

CURRENCY_SYMBOLS = ("US$", "R$", "$", "€", "£", "¥", "₹", "₦", "₽", "₩", "₺")
"""Currency symbols, written before the amount and without a space ("$20 million")."""

_FIRST_WORD = re.compile(r"(\S+)\s*(.*)", re.DOTALL)


def place_unit(number: str, unit: str | None) -> str:
    """The number with its unit placed the way the unit is written.

    A unit whose first word is a currency goes before the number: a code with a space ("USD
    million" → "USD 20 million"), a symbol without one ("$ million" → "$20 million"); the rest
    of the unit, and every other unit, follows the number ("20 Parties").
    """
    if not unit or not unit.strip():
        return number
    match = _FIRST_WORD.match(unit.strip())
    assert match is not None
    first, rest = match.group(1), match.group(2)
    after = f" {rest}" if rest else ""
    if first in CURRENCY_CODES:
        return f"{first} {number}{after}"
    symbol = next((s for s in CURRENCY_SYMBOLS if first == s), None)
    if symbol is not None:
        return f"{symbol}{number}{after}"
    return f"{number} {unit.strip()}"


def format_value(value: Any, measure: str | None = None, unit: str | None = None) -> str:
    """A value as a reader expects it: "45%", "120 officers", "USD 20 million", or the text as written.

    Every format (terminal, Markdown, HTML, Word, PDF) shows monitoring values through this one
    function, so a percentage keeps its sign and a unit its place wherever the value appears.
    """
    if not is_number(value):
        return str(value)
    text = format_number(value)
    if measure == "percentage":
        return f"{text}%"
    return place_unit(text, unit)
