"""Rules for monitoring data: indicator baselines and targets, and the ``progress/<year>.yaml`` files.

The models check each value on its own (a number or a text, a well-formed period); the rules here
need context: the indicator's ``measure``, the plan's timeframe, the file a period is filed in,
the other observations.  Each problem is attached to the document it concerns, at the node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lgcb import ids
from lgcb.model import Indicator, Objective, Observation, Timeframe
from lgcb.planfile.layout import PROGRESS_DIR
from lgcb.planfile.read import Document

_YEAR_FILE = re.compile(r"^\d{4}$")


def measure_problem(measure: str | None, value: Any) -> str | None:
    """Why ``value`` does not fit an indicator measured as ``measure``, or None if it fits.

    A percentage lies in 0–100; a number, amount or ratio is a number that is not negative;
    a qualitative value is a text.  Without a measure any number or text is accepted.
    """
    if measure is None:
        return None
    if measure == "qualitative":
        if not isinstance(value, str):
            return f'must be a text for a qualitative indicator, not the number {value}; put it in quotes: "{value}"'
        return None
    if isinstance(value, str):
        hint = ""
        stripped = value.strip().rstrip("%").strip().replace(",", "")
        try:
            float(stripped)
            hint = f"; write it as a plain number without quotes{' or %' if '%' in value else ''}: {stripped}"
        except ValueError:
            pass
        return f"must be a number for a {measure} indicator, not the text {value!r}{hint}"
    if value < 0:
        return f"must not be negative for a {measure} indicator, not {value}"
    if measure == "percentage" and value > 100:
        return f"is a percentage, which lies between 0 and 100, not {value}"
    return None


def _outside(timeframe: Timeframe | None, start: int, end: int) -> bool:
    return timeframe is not None and (start < timeframe.start or end > timeframe.end)


def _span(timeframe: Timeframe) -> str:
    return f"{timeframe.start}–{timeframe.end}"


def _reporter(doc: Document, at: tuple[Any, ...], subject: str) -> Callable[[tuple[Any, ...], str, str], None]:
    def report(loc: tuple[Any, ...], message: str, rule: str) -> None:
        line, col = doc.position((*at, *loc))
        doc.problem(line, col, f"{subject}: {message}", rule)

    return report


def check_indicators(objectives: list[tuple[Objective, Document]], timeframe: Timeframe | None) -> None:
    """Baseline and targets of every indicator: values fit the measure, years fit the timeframe and order."""
    for objective, doc in objectives:
        for located in objective.walk("indicators"):
            entry = located.entry
            if not isinstance(entry, Indicator):
                continue
            subject = f"indicator {entry.id}"
            report = _reporter(doc, located.loc, subject)
            baseline = entry.baseline
            if baseline is not None:
                why = measure_problem(entry.measure, baseline.value)
                if why:
                    report(("baseline", "value"), f"the baseline `value` {why}", "measure-value")
                if _outside(timeframe, baseline.year, baseline.year):
                    report(
                        ("baseline", "year"),
                        f"the baseline year {baseline.year} is outside the plan's timeframe ({_span(timeframe)})",  # type: ignore[arg-type]
                        "outside-timeframe",
                    )
            years: dict[int, int] = {}
            for i, target in enumerate(entry.targets):
                why = measure_problem(entry.measure, target.value)
                if why:
                    report(("targets", i, "value"), f"the target `value` for {target.year} {why}", "measure-value")
                if _outside(timeframe, target.year, target.year):
                    report(
                        ("targets", i, "year"),
                        f"the target year {target.year} is outside the plan's timeframe ({_span(timeframe)})",  # type: ignore[arg-type]
                        "outside-timeframe",
                    )
                elif baseline is not None and target.year <= baseline.year:
                    report(
                        ("targets", i, "year"),
                        f"the target year {target.year} must come after the baseline year ({baseline.year})",
                        "target-year",
                    )
                if target.year in years:
                    report(
                        ("targets", i, "year"),
                        f"there are two targets for {target.year}; keep one target per year",
                        "duplicate-target",
                    )
                years.setdefault(target.year, i)


@dataclass(frozen=True)
class _Recorded:
    doc: Document
    loc: tuple[Any, ...]


def index_entries(objectives: list[tuple[Objective, Document]]) -> ids.Index:
    """Entry ID (any case) → (kind, entry), as :func:`~lgcb.checks.plan_rules.check_plan` returns it."""
    return ids.Index((located.id, (located.kind, located.entry)) for o, _ in objectives for located in o.walk())


def check_progress(
    docs: Iterable[Document],
    known: ids.Index | None,
    timeframe: Timeframe | None,
    validate: Callable[[Document, type, str, tuple[Any, ...]], Any],
    *,
    complete: bool = True,
) -> dict[str, list[Observation]]:
    """Check the progress files; return their valid observations by indicator, oldest period first.

    ``known`` is the plan's entries by ID (from :func:`~lgcb.checks.plan_rules.check_plan`); None
    skips the rules that need the whole plan (the indicator exists, its
    measure), for checking one file on its own; ``complete`` False (an objective file could not be
    read) keeps quiet about IDs that may be in that file.  ``validate`` is the model validator of
    :mod:`lgcb.checks.load`, passed in to keep one way of turning pydantic errors into problems.
    """
    suggest = ids.Suggestions(i for i in known.ids() if known[i][0] == "indicator") if known is not None else None
    recorded: dict[tuple[str, str], _Recorded] = {}
    progress: dict[str, list[Observation]] = {}
    for doc in docs:
        if doc.problems or not isinstance(doc.data, dict):
            continue
        year = int(doc.path.stem) if _YEAR_FILE.match(doc.path.stem) else None
        if year is None:
            doc.problem(
                1,
                1,
                f"progress files are named after the year their periods end in, e.g. {PROGRESS_DIR}/2015.yaml; "
                f"rename {doc.path.name}",
                "file-name",
            )
        for key, entries in doc.data.items():
            indicator_id = key
            if not isinstance(key, str):
                line, col = doc.position((key,), at_key=True)
                doc.problem(
                    line,
                    col,
                    f"{key!r} is not an indicator ID: each entry starts with an indicator ID such as 3.I2",
                    "unknown-indicator",
                )
                continue
            indicator: Indicator | None = None
            if known is not None:
                kind, entry = known.get(key, (None, None))
                if kind is None:
                    if complete and doc.full:
                        doc.more += 1  # beyond the problems listed: counted, not looked up
                    elif complete and suggest is not None:
                        close = suggest(key)
                        hint = f"; did you mean {close}?" if close else "; `lgcb show` lists the indicator IDs"
                        line, col = doc.position((key,), at_key=True)
                        doc.problem(line, col, f"{key} is not an indicator of the plan{hint}", "unknown-indicator")
                elif kind != "indicator":
                    what = "a group heading" if kind == "group" else f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
                    line, col = doc.position((key,), at_key=True)
                    doc.problem(
                        line,
                        col,
                        f"{key} is {what}, not an indicator: progress files record observations of indicators",
                        "unknown-indicator",
                    )
                else:
                    indicator = entry
                    indicator_id = known.spelling(key) or key  # kept under the plan's spelling of the ID
            if not isinstance(entries, list) or not entries:
                vline, vcol = doc.position((key,))
                doc.problem(
                    vline,
                    vcol,
                    f"indicator {key}: give a list of observations, each starting with '- period:'",
                    "wrong-type",
                )
                continue
            for i in range(len(entries)):
                subject = f"indicator {key}, observation {i + 1}"
                observation: Observation | None = validate(doc, Observation, subject, (key, i))
                if observation is None:
                    continue
                if year is not None and observation.end != year:
                    pline, pcol = doc.position((key, i, "period"))
                    doc.problem(
                        pline,
                        pcol,
                        f"{subject}: the period {observation.period} ends in {observation.end}, so it belongs in "
                        f"{PROGRESS_DIR}/{observation.end}.yaml (this file holds periods ending in {year})",
                        "file-year",
                    )
                if _outside(timeframe, observation.start, observation.end):
                    pline, pcol = doc.position((key, i, "period"))
                    doc.problem(
                        pline,
                        pcol,
                        f"{subject}: the period {observation.period} is outside the plan's timeframe "
                        f"({_span(timeframe)})",  # type: ignore[arg-type]
                        "outside-timeframe",
                    )
                if indicator is not None:
                    why = measure_problem(indicator.measure, observation.value)
                    if why:
                        vline, vcol = doc.position((key, i, "value"))
                        doc.problem(vline, vcol, f"{subject}: `value` {why}", "measure-value")
                first = recorded.get((ids.key(indicator_id), observation.period))
                if first is not None:
                    pline, pcol = doc.position((key, i, "period"))
                    fline, _ = first.doc.position(first.loc)
                    doc.problem(
                        pline,
                        pcol,
                        f"{subject}: the period {observation.period} is already recorded for {key} at "
                        f"{first.doc.display}:{fline}; keep one observation per indicator and period",
                        "duplicate-observation",
                    )
                    continue
                recorded[(ids.key(indicator_id), observation.period)] = _Recorded(doc, (key, i, "period"))
                progress.setdefault(indicator_id, []).append(observation)
        if not doc.problems:
            doc.release()  # a decade of rounds never holds every file's node tree at once
    return {key: sorted(values, key=lambda o: o.sort_key) for key, values in progress.items()}
