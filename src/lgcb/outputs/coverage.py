"""Coverage reports: the objective × check table with the findings, as text, JSON or Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lgcb.checks.coverage import CHECKS, CoverageReport
from lgcb.outputs import Pieces
from lgcb.outputs.markdown import escape

JSON_VERSION = 1
"""Bumped only when a key of the JSON output changes meaning or disappears."""


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} %" if value == int(value) else f"{value:.1f} %"


def summary_line(report: CoverageReport) -> str:
    errors, warnings = report.errors, report.warnings
    return (
        f"Coverage score {percent_text(report.score)} · {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}"
    )


def table_rows(report: CoverageReport) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the objective × check table, with the plan row last (unless narrowed)."""
    headers = ["Objective", *CHECKS.values(), "Score"]
    rows = [
        [f"{o.number} {o.title}", *(percent_text(o.checks[k].percent) for k in CHECKS), percent_text(o.score)]
        for o in report.objectives
    ]
    if report.objective is None:
        rows.append(["Plan", *(percent_text(report.overall[k].percent) for k in CHECKS), percent_text(report.score)])
    return headers, rows


def json(report: CoverageReport) -> Pieces:
    """The keys are documented in docs/coverage.md.  Written as it is made, the findings one by one."""
    from lgcb.outputs.jsontext import document

    data = {
        "version": JSON_VERSION,
        "objective": report.objective,
        "score": report.score,
        "errors": report.errors,
        "warnings": report.warnings,
        "checks": {key: report.overall[key].as_dict() for key in CHECKS},
        "objectives": [
            {
                "number": o.number,
                "title": o.title,
                "strategic_plan_objective": {"number": o.strategic_plan_objective, "title": o.strategic_plan_title},
                "score": o.score,
                "checks": {key: o.checks[key].as_dict() for key in CHECKS},
            }
            for o in report.objectives
        ],
        "findings": (f.as_dict() for f in report.findings),
    }
    return document(data)


def plain(report: CoverageReport) -> Pieces:
    """Plain text: the table in aligned columns, then one finding per line (``file:line:col: ...``),
    printed as it is made (a large plan has tens of thousands of findings)."""
    headers, rows = table_rows(report)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    def pieces() -> Iterator[str]:
        yield "".join(f"{line(r)}\n" for r in [headers, *rows]) + "\n"
        yield from (f"{f}\n" for f in report.findings)
        yield ("\n" if report.findings else "") + summary_line(report) + "\n"

    return Pieces(pieces())


MD_MARKER = "<!-- lgcb coverage -->"
"""First line of the Markdown report (invisible when rendered)."""


def markdown(report: CoverageReport) -> Pieces:
    """GitHub-flavoured Markdown for a pull-request comment: the table, then the findings folded
    away; printed as it is made."""
    headers, rows = table_rows(report)
    scope = "Plan" if report.objective is None else f"Objective {report.objective}"
    # The marker lets a CI job find and update its earlier comment instead of adding one per push.
    out = [MD_MARKER, f"### {scope} coverage: {percent_text(report.score)}", ""]
    out.append("| " + " | ".join(headers) + " |")
    out.append("|" + "|".join([":---"] + ["---:"] * (len(headers) - 1)) + "|")
    for i, r in enumerate(rows):
        bold = report.objective is None and i == len(rows) - 1
        out.append("| " + " | ".join(f"**{escape(c)}**" if bold else escape(c) for c in r) + " |")
    out.append("")
    errors, warnings = report.errors, report.warnings
    out.append(f"**{errors}** error{'s' * (errors != 1)}, **{warnings}** warning{'s' * (warnings != 1)}.")

    def pieces() -> Iterator[str]:
        yield "\n".join(out) + "\n"
        if report.findings:
            yield f"\n<details><summary>Findings ({len(report.findings)})</summary>\n\n"
            for f in report.findings:
                yield f"- **{f.level}** `{f.rule}` `{f.location()}`: {escape(f.message)}\n"
            yield "\n</details>\n"

    return Pieces(pieces())


def _style(percent: float | None) -> str:
    if percent is None:
        return "dim"
    return "green" if percent >= 100 else "yellow" if percent >= 50 else "red"


def print_rich(report: CoverageReport, console: Any) -> None:
    """The table with percentages coloured (green complete, yellow half or more, red less), then the findings."""
    from rich.table import Table
    from rich.text import Text

    headers, rows = table_rows(report)
    # Narrow terminals: titles are cut short (the number stays), "Results chain" takes two lines.
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    widths = []
    for i, header in enumerate(headers[1:], start=1):
        label = header.replace(" ", "\n")
        widths.append(max(len(word) for word in [*label.split("\n"), *(row[i] for row in rows)]))
    room = max(12, console.width - sum(widths) - 2 * len(widths))
    table.add_column(headers[0], no_wrap=True, overflow="ellipsis", max_width=room)
    for header, width in zip(headers[1:], widths, strict=True):
        table.add_column(header.replace(" ", "\n"), justify="right", no_wrap=True, min_width=width)
    percents = [[o.checks[k].percent for k in CHECKS] + [o.score] for o in report.objectives]
    if report.objective is None:
        percents.append([report.overall[k].percent for k in CHECKS] + [report.score])
    for i, (row, values) in enumerate(zip(rows, percents, strict=True)):
        last = report.objective is None and i == len(rows) - 1
        cells = [Text(row[0], style="bold" if last else "")]
        cells += [
            Text(cell, style=_style(value) + (" bold" if last else ""))
            for cell, value in zip(row[1:], values, strict=True)
        ]
        table.add_row(*cells, end_section=i == len(rows) - 2)
    console.print(table)
    if report.findings:
        console.print()
    for finding in report.findings:
        console.print(
            Text.assemble(
                (finding.location(), "dim"),
                " ",
                (finding.level, "bold red" if finding.level == "error" else "yellow"),
                " ",
                finding.message,
                (f" [{finding.rule}]", "dim"),
            )
        )
    console.print()
    console.print(Text(summary_line(report), style="bold"))


@dataclass
class CoverageText:
    """The text report: coloured on a terminal, aligned plain columns in a pipe."""

    report: CoverageReport

    def plain(self) -> Pieces:
        return plain(self.report)

    def print_rich(self, console: Any) -> None:
        print_rich(self.report, console)


def text(report: CoverageReport) -> CoverageText:
    return CoverageText(report)
