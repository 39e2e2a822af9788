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

import math
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import Any

from lgcb.model import ILLUSTRATIVE_NOTICE, Baseline, Indicator, Objective, Observation, Plan, Target
from lgcb.outputs.show import Line

STATUSES = ("achieved", "on track", "off track", "not assessed", "no data")
"""Every status, best first; summaries count them in this order."""

NONE_RECORDED = (
    "No baselines, targets or observations are recorded for the {count} indicators of {scope}. "
    "The action plan (Annex I) names its indicators but sets no baselines or targets, and lgcb invents none."
)
HOW_TO_RECORD = (
    "To record them, give an indicator `measure`, `baseline` and `targets` in its objective file and "
    "put observations in progress/<year>.yaml (see docs/monitoring.md)."
)

STATUS_LEGEND = (
    "Status: *achieved*, the final target is reached; *on track*, at or beyond the straight line from the "
    "baseline to the targets in the year of the latest value; *off track*, short of it; *not assessed*, no "
    "baseline, no target or not a number; *no data*, nothing observed yet."
)

_STYLES = {"achieved": "bold green", "on track": "green", "off track": "bold red", "not assessed": "yellow"}


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


def _is_number(value: Any) -> bool:
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
    if indicator.measure == "qualitative" or not all(_is_number(v) for v in values):
        return result("not assessed", "the values are not numbers, so they cannot be compared automatically")
    direction = -1 if baseline is not None and final.value < baseline.value else 1
    if baseline is not None:
        expected = round(expected_value(baseline, targets, latest.end), 2)
        span = target.value - baseline.value  # type: ignore[union-attr, operator]
        reached = direction * (latest.value - target.value) >= 0  # type: ignore[union-attr, operator]
        percent = round((latest.value - baseline.value) / span * 100, 1) if span else (100.0 if reached else 0.0)
    if direction * (latest.value - final.value) >= 0:
        return result("achieved", f"the final target for {final.year} is reached")
    if baseline is None:
        return result("not assessed", "no baseline is recorded, so there is no expected path to compare with")
    if direction * (latest.value - expected) >= 0:  # type: ignore[operator]
        return result("on track", f"at or beyond the {format_number(expected)} expected by {latest.end}")
    return result("off track", f"short of the {format_number(expected)} expected by {latest.end}")


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


# --- Formatting -----------------------------------------------------------------------------------


def format_number(value: float | int) -> str:
    """12 → "12", 12.5 → "12.5", 12.0 → "12", 250000 → "250,000"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_value(value: Any, measure: str | None = None, unit: str | None = None) -> str:
    """A value as a reader expects it: "45%", "120 officers", or the text as written."""
    if not _is_number(value):
        return str(value)
    text = format_number(value)
    if measure == "percentage":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def _baseline_text(p: IndicatorProgress) -> str:
    if p.baseline is None:
        return "—"
    return f"{format_value(p.baseline.value, p.measure, p.unit)} ({p.baseline.year})"


def _latest_text(p: IndicatorProgress) -> str:
    if p.latest is None:
        return "—"
    return f"{format_value(p.latest.value, p.measure, p.unit)} ({p.latest.period})"


def _target_text(p: IndicatorProgress) -> str:
    if p.target is None:
        return "—"
    return f"{format_value(p.target.value, p.measure, p.unit)} by {p.target.year}"


def _percent_text(p: IndicatorProgress) -> str:
    if p.percent is None or p.target is None:
        return "—"
    return f"{format_number(p.percent)}% of the way to the {p.target.year} target"


def _summary_text(summary: dict[str, int]) -> str:
    total = summary["indicators"]
    parts = [f"{summary[s]} {s}" for s in STATUSES if summary[s]]
    return f"{total} indicator{'s' * (total != 1)}: {', '.join(parts) if parts else 'none'}"


def display(p: IndicatorProgress) -> dict[str, str]:
    """The values as the text reports show them ("—" when absent), for templates."""
    percent = f"{format_number(p.percent)}%" if p.percent is not None else "—"
    return {"baseline": _baseline_text(p), "latest": _latest_text(p), "target": _target_text(p), "percent": percent}


def indicator_dict(p: IndicatorProgress) -> dict[str, Any]:
    """Plain data for JSON and templates (the same keys in both)."""
    return {
        "id": p.id,
        "objective": p.objective,
        "text": p.text,
        "measure": p.measure,
        "unit": p.unit,
        "means_of_verification": p.means_of_verification,
        "has_data": p.has_data,
        "baseline": p.baseline.model_dump() if p.baseline else None,
        "targets": [t.model_dump() for t in p.targets],
        "observations": [_observation_dict(o) for o in p.observations],
        "latest": _observation_dict(p.latest) if p.latest else None,
        "target": p.target.model_dump() if p.target else None,
        "expected": p.expected,
        "percent": p.percent,
        "status": p.status,
        "reason": p.reason,
    }


def _observation_dict(o: Observation) -> dict[str, Any]:
    return {"period": o.period, "start": o.start, "end": o.end, "value": o.value, "source": o.source, "note": o.note}


def to_json_data(report: ProgressReport) -> dict[str, Any]:
    return {
        "illustrative": report.illustrative,
        "notice": report.notice,
        "recorded": report.recorded,
        "message": report.message,
        "timeframe": {"start": report.timeframe[0], "end": report.timeframe[1]},
        "summary": report.summary,
        "objectives": [
            {
                "number": o.number,
                "title": o.title,
                "summary": o.summary,
                "indicators": [indicator_dict(i) for i in o.indicators],
            }
            for o in report.objectives
        ],
    }


def text_lines(report: ProgressReport) -> list[Line]:
    """The ``lgcb progress`` text view: per objective each indicator and a summary, then the total."""
    lines: list[Line] = []
    if report.notice:
        lines += [Line([(report.notice, "bold reverse")]), Line()]
    if not report.recorded:
        return [*lines, Line([(report.message or "", "")]), Line([(HOW_TO_RECORD, "dim")])]
    start, end = report.timeframe
    lines += [Line([(f"Progress on the indicators, timeframe {start}–{end}", "bold")])]
    for o in report.objectives:
        lines += [Line(), Line([(f"Operational objective {o.number}: {o.title}", "bold")])]
        for p in o.indicators:
            lines.append(Line([(f"{p.id:<8}", "cyan"), (" ", ""), (p.text, "")], 2))
            if p.status == "no data" and not p.has_data:
                lines.append(Line([("no data", "dim"), (": nothing recorded", "dim")], 11))
                continue
            detail = [
                f"baseline {_baseline_text(p)}",
                f"latest {_latest_text(p)}",
                f"target {_target_text(p)}",
            ]
            if p.percent is not None:
                detail.append(_percent_text(p))
            lines.append(
                Line([(p.status, _STYLES.get(p.status, "dim")), (f": {p.reason}", "dim")], 11),
            )
            lines.append(Line([(" · ".join(detail), "")], 11))
        lines.append(Line([(f"Summary: {_summary_text(o.summary)}", "italic")], 2))
    if len(report.objectives) > 1:
        lines += [Line(), Line([(f"All objectives: {_summary_text(report.summary)}", "bold")])]
    if report.notice:
        lines += [Line(), Line([(report.notice, "bold reverse")])]
    return lines


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def to_markdown(report: ProgressReport) -> str:
    """A Markdown report: a table per objective, and plain statements where nothing is recorded."""
    out = ["# Progress on the indicators", ""]
    if report.notice:
        out += [f"> **{report.notice}**", ""]
    if not report.recorded:
        return "\n".join([*out, report.message or "", "", HOW_TO_RECORD, ""])
    start, end = report.timeframe
    out += [f"Timeframe {start}–{end}. {STATUS_LEGEND}", ""]
    for o in report.objectives:
        out += [f"## Operational objective {o.number}: {_md_cell(o.title)}", ""]
        out += [
            "| Indicator | Baseline | Latest | Target | Progress | Status |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for p in o.indicators:
            shown = display(p)
            cells = [
                f"{p.id} {p.text}",
                shown["baseline"],
                shown["latest"],
                shown["target"],
                shown["percent"],
                p.status,
            ]
            out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        out += ["", f"Summary: {_summary_text(o.summary)}.", ""]
    if len(report.objectives) > 1:
        out += [f"All objectives: {_summary_text(report.summary)}.", ""]
    if report.notice:
        out += [f"> **{report.notice}**", ""]
    return "\n".join(out)


# --- Chart ------------------------------------------------------------------------------------------

_W, _H = 360, 176
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 14, 12, 132


def _nice_ceiling(value: float) -> float:
    """The next "round" number at or above ``value`` (1, 2, 2.5 or 5 × a power of ten), for the axis."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= value)


def _description(p: IndicatorProgress) -> str:
    parts = []
    if p.baseline is not None:
        parts.append(f"Baseline {format_value(p.baseline.value, p.measure, p.unit)} in {p.baseline.year}.")
    if p.observations:
        observed = ", ".join(f"{format_value(o.value, p.measure, p.unit)} in {o.period}" for o in p.observations)
        parts.append(f"Observed {observed}.")
    if p.targets:
        targets = ", ".join(f"{format_value(t.value, p.measure, p.unit)} by {t.year}" for t in p.targets)
        parts.append(f"Target{'s' * (len(p.targets) != 1)} {targets}.")
    parts.append(f"Status: {p.status} ({p.reason}).")
    return " ".join(parts)


def progress_svg(p: IndicatorProgress) -> str:
    """A small inline SVG chart of one indicator: baseline, observations, targets and the expected path.

    Accessible (``role="img"`` with a ``<title>`` and a ``<desc>`` that state every value), no
    script, no external reference; every text from the plan is escaped.  Returns "" when there
    is no numeric value to draw (nothing recorded, or a qualitative indicator).
    """
    points: list[tuple[int, float]] = []
    if p.baseline is not None and _is_number(p.baseline.value):
        points.append((p.baseline.year, float(p.baseline.value)))
    observed = [(o.end, float(o.value)) for o in p.observations if _is_number(o.value)]
    targets = [(t.year, float(t.value)) for t in p.targets if _is_number(t.value)]
    everything = points + observed + targets
    if p.measure == "qualitative" or not everything:
        return ""
    first = min([p.timeframe[0], *(y for y, _ in everything)])
    last = max([p.timeframe[1], *(y for y, _ in everything)])
    top = 100.0 if p.measure == "percentage" else _nice_ceiling(max(v for _, v in everything))
    top = max(top, max(v for _, v in everything))

    def x(year: float) -> float:
        return _LEFT + (year - first) / max(last - first, 1) * (_W - _LEFT - _RIGHT)

    def y(value: float) -> float:
        return _BOTTOM - value / top * (_BOTTOM - _TOP)

    ident = f"lgcb-progress-{p.id}"
    title = f"Indicator {p.id}: {p.text}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lgcb-progress-chart" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc" '
        f'width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" font-family="sans-serif" font-size="11">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(_description(p))}</desc>',
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#ffffff"/>',
        f'<g stroke="#595959" stroke-width="1"><line x1="{_LEFT}" y1="{_BOTTOM}" x2="{_W - _RIGHT}" y2="{_BOTTOM}"/>'
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_BOTTOM}"/></g>',
        f'<g fill="#333333" aria-hidden="true">'
        f'<text x="{_LEFT - 4}" y="{_BOTTOM + 4}" text-anchor="end">0</text>'
        f'<text x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end">{escape(format_value(top, p.measure))}</text>'
        f'<text x="{_LEFT}" y="{_BOTTOM + 16}" text-anchor="start">{first}</text>'
        f'<text x="{_W - _RIGHT}" y="{_BOTTOM + 16}" text-anchor="end">{last}</text></g>',
    ]
    if p.baseline is not None and targets and points:
        path = [points[0]] + [t for t in targets if t[0] > points[0][0]]
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in path)
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="#7f7f7f" stroke-width="1.5" '
            f'stroke-dasharray="5 4" aria-hidden="true"/>'
        )
    for year, value in targets:
        cx, cy = x(year), y(value)
        out.append(
            f'<path d="M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} L{cx - 6:.1f},{cy:.1f} Z" '
            f'fill="#ffffff" stroke="#a04000" stroke-width="2" aria-hidden="true"/>'
        )
    if observed:
        line = [points[0], *observed] if points else observed
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in line)
        out.append(f'<polyline points="{coords}" fill="none" stroke="#0b5394" stroke-width="2" aria-hidden="true"/>')
        out += [
            f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="4" fill="#0b5394" aria-hidden="true"/>' for a, b in observed
        ]
    if points:
        bx, by = x(points[0][0]), y(points[0][1])
        out.append(f'<rect x="{bx - 4:.1f}" y="{by - 4:.1f}" width="8" height="8" fill="#333333" aria-hidden="true"/>')
    legend_y = _H - 8
    swatches = {
        "baseline": f'<rect x="0" y="{legend_y - 8}" width="8" height="8" fill="#333333"/>',
        "observed": f'<circle cx="4" cy="{legend_y - 4}" r="4" fill="#0b5394"/>',
        "target": f'<path d="M4,{legend_y - 10} l6,6 l-6,6 l-6,-6 Z" fill="#ffffff" stroke="#a04000" '
        f'stroke-width="2"/>',
        "path": f'<line x1="-4" y1="{legend_y - 4}" x2="14" y2="{legend_y - 4}" stroke="#7f7f7f" stroke-width="1.5" '
        f'stroke-dasharray="5 4"/>',
    }
    shown = [
        name
        for name, present in (
            ("baseline", bool(points)),
            ("observed", bool(observed)),
            ("target", bool(targets)),
            ("path", bool(points and targets)),
        )
        if present
    ]
    legend = "".join(
        f'<g transform="translate({_LEFT + 76 * i},0)">{swatches[name]}<text x="14" y="{legend_y}">{name}</text></g>'
        for i, name in enumerate(shown)
    )
    out.append(f'<g aria-hidden="true" fill="#333333">{legend}</g>')
    out.append("</svg>")
    return "".join(out)
