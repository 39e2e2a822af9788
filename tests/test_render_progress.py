"""Reports gain a progress view where monitoring data exists, and say plainly where none does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lgcb.checks.load import load_plan
from lgcb.model import Plan
from lgcb.render import render

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"


@pytest.fixture(scope="module")
def example() -> Plan:
    result = load_plan(EXAMPLE)
    assert result.plan is not None, result.problems
    return result.plan


def test_html_shows_a_progress_table_and_a_chart_per_measured_indicator(example: Plan) -> None:
    html = render(example, "html").decode("utf-8")
    assert html.count('<h3 id="objective-1-progress">Progress on the indicators</h3>') == 1
    assert "<strong>ILLUSTRATIVE DATA — not recorded by the Liaison Group</strong>" in html
    row = re.search(r'<tr class="status-off-track"><th scope="row"><span class="id">1\.I1</span>.*?</tr>', html)
    assert row is not None
    assert re.findall(r"<td[^>]*>(.*?)</td>", row.group(0)) == [
        "98 Parties (2011)",
        "131 Parties (2018-2019)",
        "150 Parties by 2020",
        "63.5%",
        "off track",
    ]
    charts = html.count('<figure class="progress-chart"><svg')
    assert charts >= 4
    assert html.count('role="img"') == charts
    assert "<script" not in html
    assert "Monitoring</h2>" not in html  # data exists: no "none recorded" statement


def test_markdown_shows_a_progress_table(example: Plan) -> None:
    md = render(example, "md").decode("utf-8")
    assert (
        "| `1.I1` Number of Parties with operational regulatory frameworks | 98 Parties (2011) | "
        "131 Parties (2018-2019) | 150 Parties by 2020 | 63.5% | off track |" in md
    )
    assert (
        "| `2.I1` Ratio of risk assessment summary reports as against number of decisions on LMOs on the BCH "
        "| 0.4 (2011) | 0.6 (2015) | 0.8 by 2020 | 50% | on track |" in md
    )
    assert "> **ILLUSTRATIVE DATA — not recorded by the Liaison Group**" in md


def test_without_data_the_reports_say_so_once(plan: Plan) -> None:
    message = "No baselines, targets or observations are recorded for the 29 indicators of this plan."
    html = render(plan, "html").decode("utf-8")
    assert "Progress on the indicators" not in html
    assert html.count(f"<p>{message}</p>") == 1
    md = render(plan, "md").decode("utf-8")
    assert "Progress on the indicators" not in md
    assert md.count(f"## Monitoring\n\n{message}\n") == 1
