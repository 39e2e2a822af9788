"""Progress reports: each indicator's baseline, latest value, target and status, as text, JSON or Markdown."""

from __future__ import annotations

import functools
import math
from html import escape as html_escape
from typing import Any

from lgcb.model import Observation
from lgcb.outputs import Pieces
from lgcb.outputs.markdown import escape
from lgcb.outputs.terminal import Line, Lines
from lgcb.results.progress import (
    HOW_TO_RECORD,
    STATUS_LEGEND,
    STATUSES,
    IndicatorProgress,
    ProgressReport,
    format_number,
    format_value,
    is_number,
)

_STYLES = {"achieved": "bold green", "on track": "green", "off track": "bold red", "not assessed": "yellow"}


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


def markdown(report: ProgressReport) -> str:
    """A Markdown report: a table per objective, and plain statements where nothing is recorded."""
    out = ["# Progress on the indicators", ""]
    if report.notice:
        out += [f"> **{report.notice}**", ""]
    if not report.recorded:
        return "\n".join([*out, report.message or "", "", HOW_TO_RECORD, ""])
    start, end = report.timeframe
    out += [f"Timeframe {start}–{end}. {STATUS_LEGEND}", ""]
    for o in report.objectives:
        out += [f"## Operational objective {o.number}: {escape(o.title)}", ""]
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
            out.append("| " + " | ".join(escape(c) for c in cells) + " |")
        out += ["", f"Summary: {_summary_text(o.summary)}.", ""]
    if len(report.objectives) > 1:
        out += [f"All objectives: {_summary_text(report.summary)}.", ""]
    if report.notice:
        out += [f"> **{report.notice}**", ""]
    return "\n".join(out)


# --- Formatting -----------------------------------------------------------------------------------


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


# --- Chart ------------------------------------------------------------------------------------------

_W, _H = 360, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 16, 26, 144


def _nice_step(value: float) -> float:
    """The "round" step (1, 2, 2.5 or 5 × a power of ten) at or above ``value``, for the axis ticks."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    return next(step * magnitude for step in (1, 2, 2.5, 5, 10) if step * magnitude >= value * (1 - 1e-9))


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


def _axis_label(p: IndicatorProgress) -> str:
    """What the vertical axis counts: "%" for a percentage, else the unit as written ("" when none)."""
    if p.measure == "percentage":
        return "%"
    return (p.unit or "").strip()


def _x(year: float, first: int, last: int) -> float:
    """Where a year sits on a chart's horizontal axis, from ``first`` to ``last``."""
    return _LEFT + (year - first) / max(last - first, 1) * (_W - _LEFT - _RIGHT)


def _y(value: float, top: float) -> float:
    """Where a value sits on the vertical axis, which runs from 0 to ``top``; a value beyond it
    (negative, say) is drawn at its edge."""
    return _BOTTOM - min(max(value / top, 0.0), 1.0) * (_BOTTOM - _TOP)


@functools.lru_cache(maxsize=256)
def _axes(first: int, last: int, step: float, top: float, unit: str) -> tuple[str, str, str]:
    """A chart's grid, axes with their ticks, and axis labels: the same for every chart with the
    same years, scale and unit (most of a plan's), so drawn once for them."""

    def x(year: float) -> float:
        return _x(year, first, last)

    def y(value: float) -> float:
        return _y(value, top)

    ticks = [step * i for i in range(round(top / step) + 1)]
    grid = "".join(f'<line x1="{_LEFT}" y1="{y(v):.1f}" x2="{_W - _RIGHT}" y2="{y(v):.1f}"/>' for v in ticks if v > 0)
    every = 1 if last - first <= 6 else 2
    years = list(range(first, last + 1))
    labelled = [year for year in years if (year - first) % every == 0]
    marks = "".join(f'<line x1="{_LEFT - 4}" y1="{y(v):.1f}" x2="{_LEFT}" y2="{y(v):.1f}"/>' for v in ticks)
    marks += "".join(
        f'<line x1="{x(year):.1f}" y1="{_BOTTOM}" x2="{x(year):.1f}" y2="{_BOTTOM + (4 if year in labelled else 2)}"/>'
        for year in years
    )
    axes = (
        f'<g stroke="#595959" stroke-width="1" aria-hidden="true"><line x1="{_LEFT}" y1="{_BOTTOM}" '
        f'x2="{_W - _RIGHT}" y2="{_BOTTOM}"/><line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_BOTTOM}"/>{marks}</g>'
    )
    labels = "".join(
        f'<text x="{_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{html_escape(format_number(v))}</text>'
        for v in ticks
    )
    labels += "".join(
        f'<text x="{x(year):.1f}" y="{_BOTTOM + 16}" text-anchor="middle">{year}</text>' for year in labelled
    )
    if unit:
        labels += f'<text x="{_LEFT - 6}" y="{_TOP - 10}" text-anchor="start">{html_escape(unit)}</text>'
    return (
        f'<g stroke="#d9d9d9" stroke-width="1" aria-hidden="true">{grid}</g>',
        axes,
        f'<g fill="#333333" aria-hidden="true">{labels}</g>',
    )


def progress_svg(p: IndicatorProgress, *, ident: str | None = None, show_id: bool = True) -> str:
    """A small inline SVG chart of one indicator: baseline, observations, targets and the expected path.

    Accessible (``role="img"`` with a ``<title>`` and a ``<desc>`` that state every value), no
    script, no external reference; every text from the plan is escaped.  It scales with the page
    (``viewBox``), takes the page's font (no font family of its own), labels both axes with ticks
    and the unit, and draws the observed values last so that a target marker never hides them.
    ``ident`` names its elements (default from the indicator's ID); ``show_id=False`` leaves the
    ID out of the title, for publications without IDs.  Returns "" when there is no numeric
    value to draw (nothing recorded, or a qualitative indicator).
    """
    points: list[tuple[int, float]] = []
    if p.baseline is not None and is_number(p.baseline.value):
        points.append((p.baseline.year, float(p.baseline.value)))
    observed = [(o.end, float(o.value)) for o in p.observations if is_number(o.value)]
    targets = [(t.year, float(t.value)) for t in p.targets if is_number(t.value)]
    everything = points + observed + targets
    if p.measure == "qualitative" or not everything:
        return ""
    first = min([p.timeframe[0], *(y for y, _ in everything)])
    last = max([p.timeframe[1], *(y for y, _ in everything)])
    highest = max(0.0, *(v for _, v in everything))
    if p.measure == "percentage" and highest <= 100:
        step, top = 20.0, 100.0
    else:
        step = _nice_step(max(highest, 1e-9) / 4)
        top = step * max(1, math.ceil(highest / step - 1e-9))
        if not math.isfinite(top):  # values near the largest float: the axis ends at the value itself
            step, top = highest / 4, highest

    def x(year: float) -> float:
        return _x(year, first, last)

    def y(value: float) -> float:
        return _y(value, top)

    ident = ident or f"lgcb-progress-{p.id}"
    title = f"Indicator {p.id}: {p.text}" if show_id else f"Indicator: {p.text}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lgcb-progress-chart" role="img" '
        f'aria-labelledby="{html_escape(ident)}-title {html_escape(ident)}-desc" '
        f'width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" font-size="11">',
        f'<title id="{html_escape(ident)}-title">{html_escape(title)}</title>',
        f'<desc id="{html_escape(ident)}-desc">{html_escape(_description(p))}</desc>',
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#ffffff"/>',
    ]
    out += _axes(first, last, step, top, _axis_label(p))
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
            f'<path d="M{cx:.1f},{cy - 7:.1f} L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} L{cx - 7:.1f},{cy:.1f} Z" '
            f'fill="none" stroke="#a04000" stroke-width="2" aria-hidden="true"/>'
        )
    if points:
        bx, by = x(points[0][0]), y(points[0][1])
        out.append(f'<rect x="{bx - 4:.1f}" y="{by - 4:.1f}" width="8" height="8" fill="#333333" aria-hidden="true"/>')
    if observed:
        line = [points[0], *observed] if points else observed
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in line)
        out.append(f'<polyline points="{coords}" fill="none" stroke="#0b5394" stroke-width="2" aria-hidden="true"/>')
        out += [
            f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="4" fill="#0b5394" stroke="#ffffff" stroke-width="1" '
            f'aria-hidden="true"/>'
            for a, b in observed
        ]
    legend_y = _H - 8
    swatches = {
        "baseline": f'<rect x="0" y="{legend_y - 8}" width="8" height="8" fill="#333333"/>',
        "observed": f'<circle cx="4" cy="{legend_y - 4}" r="4" fill="#0b5394"/>',
        "target": f'<path d="M4,{legend_y - 10} l6,6 l-6,6 l-6,-6 Z" fill="none" stroke="#a04000" stroke-width="2"/>',
        "expected": f'<line x1="-4" y1="{legend_y - 4}" x2="14" y2="{legend_y - 4}" stroke="#7f7f7f" '
        f'stroke-width="1.5" stroke-dasharray="5 4"/>',
    }
    shown = [
        name
        for name, present in (
            ("baseline", bool(points)),
            ("observed", bool(observed)),
            ("target", bool(targets)),
            ("expected", bool(points and targets)),
        )
        if present
    ]
    legend = "".join(
        f'<g transform="translate({_LEFT - 40 + 76 * i},0)">{swatches[name]}'
        f'<text x="14" y="{legend_y}">{name}</text></g>'
        for i, name in enumerate(shown)
    )
    out.append(f'<g aria-hidden="true" fill="#333333">{legend}</g>')
    out.append("</svg>")
    return "".join(out)


def text(report: ProgressReport) -> Lines:
    return Lines(text_lines(report))


def json(report: ProgressReport) -> Pieces:
    """The keys are documented in docs/monitoring.md."""
    from lgcb.outputs.jsontext import document

    return document(to_json_data(report))
