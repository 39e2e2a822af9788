"""Progress of indicators: statuses, the CLI's outputs, the chart and the template context.

Status rules (see lgcb.results.progress): the expected path runs straight from the baseline through the
targets; "on track" is at or beyond it in the latest observation's year; "achieved" has reached
the final target.  The numbers here are test fixtures, not plan data.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgcb.checks.load import load_plan
from lgcb.model import ILLUSTRATIVE_NOTICE, Baseline, Indicator, Observation, Plan, Target
from lgcb.outputs.progress import markdown as to_markdown
from lgcb.outputs.progress import progress_svg
from lgcb.render.context import build_context
from lgcb.results.progress import (
    STATUS_LEGEND,
    expected_value,
    format_value,
    indicator_progress,
    place_unit,
    plan_progress,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "monitoring"
TIMEFRAME = (2011, 2020)


def number_indicator(**fields: object) -> Indicator:
    """A number indicator from 10 (2011) to 100 (2020): its expected value in 2015 is exactly 50."""
    values: dict[str, object] = {
        "id": "1.I1",
        "text": "Number of Parties with operational regulatory frameworks",
        "measure": "number",
        "baseline": Baseline(value=10, year=2011),
        "targets": [Target(year=2020, value=100)],
    }
    values.update(fields)
    return Indicator(**values)  # type: ignore[arg-type]


def observed(*pairs: tuple[str, object]) -> list[Observation]:
    return [Observation(period=period, value=value) for period, value in pairs]


def progress_of(indicator: Indicator, *pairs: tuple[str, object]):  # type: ignore[no-untyped-def]
    return indicator_progress(1, indicator, observed(*pairs), TIMEFRAME)


# --- statuses --------------------------------------------------------------------------------------


def test_on_the_expected_path_is_on_track() -> None:
    p = progress_of(number_indicator(), ("2015", 50))
    assert (p.status, p.expected, p.percent) == ("on track", 50.0, 44.4)
    assert p.reason == "at or beyond the 50 expected by 2015"


def test_below_the_expected_path_is_off_track() -> None:
    p = progress_of(number_indicator(), ("2015", 49))
    assert (p.status, p.reason) == ("off track", "short of the 50 expected by 2015")


def test_reaching_the_final_target_is_achieved_even_early() -> None:
    p = progress_of(number_indicator(), ("2013", 30), ("2016", 100))
    assert (p.status, p.latest.value, p.percent) == ("achieved", 100, 100.0)  # type: ignore[union-attr]


def test_without_observations_there_is_no_data_but_the_final_target_is_shown() -> None:
    p = progress_of(number_indicator())
    assert (p.status, p.latest, p.target, p.percent) == ("no data", None, Target(year=2020, value=100), None)
    assert p.has_data


def test_an_indicator_with_nothing_recorded_has_no_data() -> None:
    p = progress_of(Indicator(id="1.I2", text="Number of Parties with functional administrative arrangements"))
    assert (p.status, p.has_data) == ("no data", False)


def test_the_target_compared_is_the_next_one_on_or_after_the_latest_observation() -> None:
    indicator = number_indicator(targets=[Target(year=2015, value=40), Target(year=2020, value=100)])
    assert progress_of(indicator, ("2014", 30)).target == Target(year=2015, value=40)
    assert progress_of(indicator, ("2014-2015", 30)).target == Target(year=2015, value=40)
    assert progress_of(indicator, ("2016", 50)).target == Target(year=2020, value=100)
    # Expected path: 10 in 2011, 40 in 2015, 100 in 2020; percent is towards the 2015 target.
    p = progress_of(indicator, ("2013", 25))
    assert (p.status, p.expected, p.percent) == ("on track", 25.0, 50.0)


def test_observations_after_the_final_target_year_are_compared_with_the_final_target() -> None:
    indicator = number_indicator(targets=[Target(year=2015, value=40)])
    p = progress_of(indicator, ("2018", 39))
    assert (p.status, p.target, p.expected) == ("off track", Target(year=2015, value=40), 40.0)


def test_a_decreasing_indicator_is_on_track_when_it_falls_fast_enough() -> None:
    indicator = number_indicator(baseline=Baseline(value=100, year=2011), targets=[Target(year=2020, value=10)])
    # Expected in 2015: 100 - 90 × 4/9 = 60.
    assert progress_of(indicator, ("2015", 60)).status == "on track"
    assert progress_of(indicator, ("2015", 61)).status == "off track"
    assert progress_of(indicator, ("2019", 10)).status == "achieved"


@pytest.mark.parametrize(
    ("indicator", "value", "reason"),
    [
        (number_indicator(targets=[]), 50, "no target is recorded"),
        (number_indicator(baseline=None), 50, "no baseline is recorded, so there is no expected path to compare with"),
        (
            number_indicator(
                measure="qualitative",
                baseline=Baseline(value="no framework", year=2011),
                targets=[Target(year=2020, value="frameworks in force")],
            ),
            "drafts under review",
            "the values are not numbers, so they cannot be compared automatically",
        ),
    ],
    ids=["no target", "no baseline", "qualitative"],
)
def test_what_cannot_be_compared_is_not_assessed(indicator: Indicator, value: object, reason: str) -> None:
    p = progress_of(indicator, ("2015", value))
    assert (p.status, p.reason, p.percent) == ("not assessed", reason, None)


def test_without_a_baseline_the_final_target_can_still_be_achieved() -> None:
    assert progress_of(number_indicator(baseline=None), ("2018", 120)).status == "achieved"


def test_the_expected_path_is_straight_between_baseline_and_targets() -> None:
    baseline = Baseline(value=0, year=2011)
    targets = [Target(year=2020, value=90), Target(year=2014, value=30)]  # any order
    assert [expected_value(baseline, targets, y) for y in (2010, 2011, 2012, 2014, 2017, 2020, 2022)] == [
        0.0,
        0.0,
        10.0,
        30.0,
        60.0,
        90.0,
        90.0,
    ]


# --- the shipped plan: nothing recorded, said plainly -----------------------------------------------


NONE_RECORDED = (
    "No baselines, targets or observations are recorded for the 29 indicators of this plan.\n"
    "To record them, give an indicator `measure`, `baseline` and `targets` in its objective file and put "
    "observations in progress/<year>.yaml (see docs/monitoring.md).\n"
)


def test_shipped_plan_states_that_nothing_is_recorded(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("progress")
    assert result.exit_code == 0
    assert result.output == NONE_RECORDED


def test_shipped_plan_nothing_recorded_for_one_objective(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("progress", "--objective", "4")
    assert result.exit_code == 0
    assert result.output.startswith(
        "No baselines, targets or observations are recorded for the 2 indicators of operational objective 4."
    )


def test_shipped_plan_json_and_markdown_say_so_too(invoke) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(invoke("progress", "--format", "json").output)
    assert (data["recorded"], data["illustrative"], data["notice"]) == (False, False, None)
    assert data["message"].startswith("No baselines, targets or observations are recorded")
    assert data["summary"] == {
        "indicators": 29,
        "achieved": 0,
        "on track": 0,
        "off track": 0,
        "not assessed": 0,
        "no data": 29,
    }
    markdown = invoke("progress", "--format", "md").output
    assert markdown.startswith("# Progress on the indicators\n\nNo baselines, targets or observations are recorded")
    assert "|" not in markdown


def test_an_unknown_objective_is_a_usage_error(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("progress", "--objective", "9")
    assert result.exit_code == 2
    assert "there is no objective 9 in the plan (objectives: 1, 2, 3, 4, 5, 6, 7, 8)" in result.output


def test_progress_is_listed_with_an_example_in_help(invoke) -> None:  # type: ignore[no-untyped-def]
    assert "progress" in invoke("--help").output
    assert "lgcb progress --objective 3" in invoke("progress", "--help").output


# --- the illustrative example data set --------------------------------------------------------------


def test_example_text_output_is_labelled_illustrative_at_both_ends(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("progress", "--objective", "3", plan=EXAMPLE)
    assert result.exit_code == 0
    assert result.output == (
        f"{ILLUSTRATIVE_NOTICE}\n"
        "\n"
        "Progress on the indicators, timeframe 2011–2020\n"
        "\n"
        "Operational objective 3: Handling, transport, packaging and identification\n"
        "  3.I1     Number of customs officers and laboratory personnel trained\n"
        "           on track: at or beyond the 850 people expected by 2015\n"
        "           baseline 250 people (2011) · latest 900 people (2015) · target 1,000 people by 2016 · "
        "86.7% of the way to the 2016 target\n"
        "  3.I2     Percentage of Parties that have established or have reliable access to detection laboratories\n"
        "           off track: short of the 60% expected by 2015\n"
        "           baseline 35% (2011) · latest 52% (2014-2015) · target 60% by 2015 · "
        "68% of the way to the 2015 target\n"
        "  3.I3     National and regional laboratories certified with the capacity to detect LMOs\n"
        "           not assessed: the values are not numbers, so they cannot be compared automatically\n"
        "           baseline no certification scheme in most regions (2011) · latest certification schemes being "
        "set up in two regions (2015) · target a certification scheme operating in every region by 2020\n"
        "  3.I4     Number of certified laboratories in operation\n"
        "           no data: nothing recorded\n"
        "  Summary: 4 indicators: 1 on track, 1 off track, 1 not assessed, 1 no data\n"
        "\n"
        f"{ILLUSTRATIVE_NOTICE}\n"
    )


def test_example_markdown_is_a_table_per_objective(invoke) -> None:  # type: ignore[no-untyped-def]
    markdown = invoke("progress", "--objective", "6", "--format", "md", plan=EXAMPLE).output
    assert markdown == (
        "# Progress on the indicators\n"
        "\n"
        f"> **{ILLUSTRATIVE_NOTICE}**\n"
        "\n"
        f"Timeframe 2011–2020. {STATUS_LEGEND}\n"
        "\n"
        "## Operational objective 6: Information sharing\n"
        "\n"
        "| Indicator | Baseline | Latest | Target | Progress | Status |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 6.I1 Number of submissions to the BCH from developing countries and countries with economies in "
        "transition | 1,200 submissions (2011) | 3,150 submissions (2014) | 3,000 submissions by 2015 | 108.3% "
        "| achieved |\n"
        "| 6.I2 Amount of traffic from users to the BCH from developing countries and countries with economies "
        "in transition | — | — | — | — | no data |\n"
        "\n"
        "Summary: 2 indicators: 1 achieved, 1 no data.\n"
        "\n"
        f"> **{ILLUSTRATIVE_NOTICE}**\n"
    )


def test_example_json_gives_every_value_of_an_indicator(invoke) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(invoke("progress", "--format", "json", plan=EXAMPLE).output)
    assert (data["illustrative"], data["notice"], data["recorded"], data["message"]) == (
        True,
        ILLUSTRATIVE_NOTICE,
        True,
        None,
    )
    assert data["summary"] == {
        "indicators": 29,
        "achieved": 1,
        "on track": 2,
        "off track": 2,
        "not assessed": 2,
        "no data": 22,
    }
    i2 = next(i for o in data["objectives"] for i in o["indicators"] if i["id"] == "3.I2")
    assert i2 == {
        "id": "3.I2",
        "objective": 3,
        "text": "Percentage of Parties that have established or have reliable access to detection laboratories",
        "measure": "percentage",
        "unit": None,
        "means_of_verification": "national reports",
        "has_data": True,
        "baseline": {"value": 35, "year": 2011, "source": "second national reports"},
        "targets": [{"year": 2015, "value": 60}, {"year": 2020, "value": 75}],
        "observations": [
            {
                "period": "2014-2015",
                "start": 2014,
                "end": 2015,
                "value": 52,
                "source": "third national reports",
                "note": None,
            }
        ],
        "latest": {
            "period": "2014-2015",
            "start": 2014,
            "end": 2015,
            "value": 52,
            "source": "third national reports",
            "note": None,
        },
        "target": {"year": 2015, "value": 60},
        "expected": 60.0,
        "percent": 68.0,
        "status": "off track",
        "reason": "short of the 60% expected by 2015",
    }


def test_markdown_cells_escape_pipes_and_angle_brackets() -> None:
    from lgcb.results.progress import IndicatorProgress, ObjectiveProgress, ProgressReport

    p = progress_of(number_indicator(text="A | B <b>"), ("2015", 50))
    assert isinstance(p, IndicatorProgress)
    report = ProgressReport(TIMEFRAME, False, (ObjectiveProgress(1, "T", (p,)),))
    assert "| 1.I1 A \\| B \\<b\\> |" in to_markdown(report)


# --- the chart -------------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_accessible_static_svg_that_states_every_value() -> None:
    p = progress_of(number_indicator(), ("2013", 30), ("2015", 50))
    svg = progress_svg(p)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "lgcb-progress-1.I1-title lgcb-progress-1.I1-desc"
    assert root.find(f"{SVG}title").text == "Indicator 1.I1: Number of Parties with operational regulatory frameworks"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == (  # type: ignore[union-attr]
        "Baseline 10 in 2011. Observed 30 in 2013, 50 in 2015. Target 100 by 2020. "
        "Status: on track (at or beyond the 50 expected by 2015)."
    )
    assert len(root.findall(f".//{SVG}circle")) == 3  # two observations and the legend's swatch
    assert not re.search(r"<script|href|url\(|on[a-z]+=", svg)
    assert svg.count("http") == 1  # only the SVG namespace


def test_chart_escapes_plan_text() -> None:
    svg = progress_svg(progress_of(number_indicator(text='Parties <script>alert("x")</script> & more'), ("2015", 5)))
    assert "<script" not in svg
    assert "Parties &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in svg
    ET.fromstring(svg)


def test_nothing_numeric_means_no_chart() -> None:
    qualitative = number_indicator(
        measure="qualitative",
        baseline=Baseline(value="none", year=2011),
        targets=[Target(year=2020, value="all")],
    )
    assert progress_svg(progress_of(qualitative, ("2015", "some"))) == ""
    assert progress_svg(progress_of(Indicator(id="1.I2", text="Number of Parties"))) == ""


def test_percentage_charts_run_from_0_to_100() -> None:
    svg = progress_svg(progress_of(number_indicator(measure="percentage"), ("2015", 50)))
    ticks = re.findall(r'<text x="46" y="[\d.]+" text-anchor="end">([^<]*)</text>', svg)
    assert ticks == ["0", "20", "40", "60", "80", "100"]
    assert '<text x="46" y="16" text-anchor="start">%</text>' in svg  # the unit, above the axis


# --- template context ------------------------------------------------------------------------------


def test_context_of_the_shipped_plan_has_no_progress(plan: Plan) -> None:
    context = build_context(plan)
    assert (context["has_progress"], context["progress_notice"]) == (False, None)
    assert context["progress_message"].startswith("No baselines, targets or observations are recorded")
    first = context["objectives"][0]
    assert [p["id"] for p in first["progress"]] == ["1.I1", "1.I2"]
    assert (first["has_progress"], first["progress"][0]["svg"], first["progress_summary"]["no data"]) == (False, "", 2)


def test_context_of_the_example_carries_progress_charts_and_the_notice() -> None:
    plan = load_plan(EXAMPLE).plan
    assert plan is not None
    context = build_context(plan, (3,))
    assert (context["has_progress"], context["progress_notice"], context["progress_message"]) == (
        True,
        ILLUSTRATIVE_NOTICE,
        None,
    )
    entries = {p["id"]: p for p in context["objectives"][0]["progress"]}
    assert entries["3.I1"]["svg"].startswith('<svg xmlns="http://www.w3.org/2000/svg" class="lgcb-progress-chart"')
    assert entries["3.I1"]["display"] == {
        "baseline": "250 people (2011)",
        "latest": "900 people (2015)",
        "target": "1,000 people by 2016",
        "percent": "86.7%",
    }
    assert (entries["3.I3"]["status"], entries["3.I3"]["svg"]) == ("not assessed", "")
    assert (entries["3.I4"]["has_data"], entries["3.I4"]["svg"]) == (False, "")
    assert context["objectives"][0]["progress_summary"]["on track"] == 1


def test_plan_progress_covers_the_chosen_objectives_only() -> None:
    plan = load_plan(EXAMPLE).plan
    assert plan is not None
    report = plan_progress(plan, (1, 6))
    assert [o.number for o in report.objectives] == [1, 6]
    assert report.scope == "operational objectives 1, 6"


# --- properties ------------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10_000)


@settings(max_examples=60, deadline=None)
@given(baseline=amounts, gain=st.integers(min_value=1, max_value=10_000), value=amounts, year=st.integers(2012, 2020))
def test_a_rising_indicator_is_achieved_exactly_when_the_final_target_is_reached(
    baseline: int, gain: int, value: int, year: int
) -> None:
    target = baseline + gain
    indicator = number_indicator(
        baseline=Baseline(value=baseline, year=2011), targets=[Target(year=2020, value=target)]
    )
    p = progress_of(indicator, (str(year), value))
    assert (p.status == "achieved") == (value >= target)
    assert p.status in ("achieved", "on track", "off track")
    assert (p.status == "off track") == (value < p.expected)  # type: ignore[operator]
    assert p.percent == round((value - baseline) / gain * 100, 1)


def test_lgcb_help_does_not_load_the_progress_code() -> None:
    code = "import sys; from lgcb.cli import cli; print(sorted(m for m in sys.modules if m.startswith('lgcb.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "lgcb.results.progress" not in out
    assert "lgcb.checks.progress_rules" not in out


# --- values with their units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "measure", "unit", "shown"),
    [
        (20, "amount", "USD million", "USD 20 million"),
        (1500000, "amount", "EUR", "EUR 1,500,000"),
        (3.5, "amount", "$ million", "$3.5 million"),
        (12, "amount", "US$", "US$12"),
        (120, "number", "Parties", "120 Parties"),
        (40, "number", "GMO applications", "40 GMO applications"),
        (45, "percentage", None, "45%"),
        (-12.5, "percentage", "Parties", "-12.5%"),
        (7, "number", None, "7"),
        ("most regions", "qualitative", "regions", "most regions"),
    ],
)
def test_a_unit_is_placed_the_way_it_is_written(value: object, measure: str, unit: str | None, shown: str) -> None:
    assert format_value(value, measure, unit) == shown


def test_place_unit_puts_only_currencies_before_the_number() -> None:
    assert place_unit("20", "USD million") == "USD 20 million"
    assert place_unit("20", "  Parties ") == "20 Parties"
    assert place_unit("20", "") == "20"
    assert place_unit("20", "usd") == "20 usd"  # currency codes are written in capitals
    assert place_unit("20", "USD million\nper year") == "USD 20 million\nper year"  # all of the unit is kept


def test_a_chart_of_values_near_the_largest_number_still_draws() -> None:
    indicator = Indicator(
        id="1.I1",
        text="Amount",
        measure="amount",
        baseline=Baseline(value=0, year=2011),
        targets=[Target(year=2020, value=1e308)],
    )
    svg = progress_svg(indicator_progress(1, indicator, [Observation(period="2015", value=1.7e308)], TIMEFRAME))
    assert svg.startswith("<svg") and "inf" not in svg and "nan" not in svg


def test_a_chart_of_negative_or_extreme_values_draws_them_at_the_axis_edge() -> None:
    """An indicator without a measure may record any number: the chart stays finite and drawable."""
    for values in ([-1.7976931348623157e308], [1.2445305079442242e16, -1e308, 100.0], [-5, -3]):
        observations = [Observation(period=str(2012 + i), value=v) for i, v in enumerate(values)]
        svg = progress_svg(indicator_progress(3, Indicator(id="3.I2", text="Any"), observations, TIMEFRAME))
        assert svg.startswith("<svg") and "inf" not in svg and "nan" not in svg
