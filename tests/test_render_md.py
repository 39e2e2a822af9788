"""The Markdown report: the whole annex, readable on GitHub, parsed cleanly by pandoc."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annex import content_units, normalise
from conftest import require_tool
from lgcb.model import Plan
from lgcb.outputs.markdown import escape as escape_markdown
from lgcb.render import RenderOptions, render
from render_support import plan_with_monitoring, plan_with_result_text


def _md(plan: Plan, *objectives: int) -> str:
    return render(plan, "md", RenderOptions(objectives=objectives)).decode("utf-8")


def test_every_content_line_of_annex_i_is_in_the_markdown(plan: Plan) -> None:
    text = normalise(_md(plan))
    assert [unit for unit in content_units() if unit not in text] == []


def test_the_page_opens_with_the_title_block_and_a_linked_table_of_contents(plan: Plan) -> None:
    lines = _md(plan).splitlines()
    assert lines[:3] == [
        "# results-oriented CAPACITY-BUILDING ACTION PLAN",
        "",
        "**(aligned with THE STRATEGIC PLAN FOR THE CARTAGENA PROTOCOL ON BIOSAFETY)**",
    ]
    assert "## Contents" in lines
    assert "- [Operational objective 3: Handling, transport, packaging and identification](#objective-3)" in lines


def test_each_objective_is_a_section_with_an_anchor_aim_link_and_four_columns(plan: Plan) -> None:
    md = _md(plan)
    assert md.count("\n## Operational objective ") == 8
    section = md.split('<a id="objective-3"></a>')[1].split('<a id="objective-4"></a>')[0]
    assert section.splitlines()[:8] == [
        "",
        "",
        "## Operational objective 3: Handling, transport, packaging and identification",
        "",
        "**Aim:** To develop capacity for handling, transport, packaging and identification of living modified"
        " organisms",
        "",
        "**Strategic Plan:** Strategic Plan for the Cartagena Protocol on Biosafety, operational objective 2.3:"
        " Handling, transport, packaging and identification",
        "",
    ]
    headings = [line for line in section.splitlines() if line.startswith("### ")]
    assert headings == ["### Outcomes", "### Indicators", "### Results/Outputs", "### Activities"]


def test_every_item_and_group_has_an_anchor_named_by_its_id(plan: Plan) -> None:
    md = _md(plan)
    missing = [located.id for located in plan.walk() if md.count(f'<a id="{located.id}"></a>') != 1]
    assert missing == []


def test_nested_items_and_group_headings_keep_their_nesting(plan: Plan) -> None:
    lines = _md(plan).splitlines()
    group = lines.index('- <a id="3.G1"></a>**Related to establishment of the system** `3.G1`')
    assert lines[group + 1].startswith('  - <a id="3.A1"></a>Establishing and implementing measures')
    assert '  - <a id="1.A1.1"></a>Implementation of national biosafety frameworks `1.A1.1`' in lines
    assert '- <a id="3.R1"></a>**3.1** Systems identification of LMOs for established `3.R1`' in lines


def test_objective_option_renders_only_those_objectives(plan: Plan) -> None:
    md = _md(plan, 3)
    assert md.count("\n## Operational objective ") == 1
    assert '<a id="objective-3"></a>' in md
    assert "(#objective-1)" not in md


def test_markup_in_plan_text_is_escaped_to_stay_literal() -> None:
    assert escape_markdown("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert escape_markdown("*not bold* and [not](a link) `x`") == r"\*not bold\* and \[not\](a link) \`x\`"
    assert escape_markdown("# not a heading") == r"\# not a heading"
    assert escape_markdown("Fish &amp; chips &copy; R&D") == "Fish &amp;amp; chips &amp;copy; R&D"
    assert escape_markdown("two\n  lines") == "two lines"


@given(st.text(alphabet=st.sampled_from(list("ab1 #-+=.)*_&<|\n\t\u00a0é")), max_size=12) | st.text(max_size=12))
def test_a_text_left_as_it_is_is_one_the_full_escape_leaves_alone(text: str) -> None:
    """``escape`` returns most texts untouched without its substitutions: only those they would not change."""
    from lgcb.outputs import markdown

    full = markdown._LINE_START.sub(
        lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}",
        markdown._INLINE.sub(r"\\\1", markdown._ENTITY.sub("&amp;", " ".join(text.split()))),
    )
    assert escape_markdown(text) == full


def test_charts_are_left_out_of_the_markdown_context_and_drawn_for_html(copy_plan: Path) -> None:
    from lgcb.render.context import build_context

    monitored = plan_with_monitoring(copy_plan)
    drawn = [p["svg"] for o in build_context(monitored)["objectives"] for p in o["progress"]]
    left = [p["svg"] for o in build_context(monitored, charts=False)["objectives"] for p in o["progress"]]
    assert any(s.startswith("<svg") for s in drawn) and set(left) == {""}


def test_plan_text_with_html_renders_as_text_in_markdown(copy_plan: Path) -> None:
    plan = plan_with_result_text(copy_plan, "<script>alert(1)</script> *now*")
    md = _md(plan, 3)
    assert r"**3.1** \<script\>alert(1)\</script\> \*now\* `3.R1`" in md
    assert "<script>" not in md


def test_template_syntax_in_plan_text_is_never_evaluated(copy_plan: Path) -> None:
    plan = plan_with_result_text(copy_plan, "{{ 7 * 7 }} {% if true %}x{% endif %}")
    assert "**3.1** {{ 7 \\* 7 }} {% if true %}x{% endif %} `3.R1`" in _md(plan, 3)
    html = render(plan, "html", RenderOptions(objectives=(3,))).decode("utf-8")
    assert '<span class="number">3.1</span> {{ 7 * 7 }} {% if true %}x{% endif %}</span>' in html


def test_links_notes_and_monitoring_fields_are_shown_under_their_item(copy_plan: Path) -> None:
    md = _md(plan_with_monitoring(copy_plan), 3)
    lines = md.splitlines()
    start = lines.index(
        '- <a id="3.I1"></a>Number of customs officers and laboratory personnel trained `3.I1` — Measures: [3.O1](#3.O1)'
    )
    assert lines[start + 1 : start + 7] == [
        "  - Measure: number (people trained)",
        "  - Baseline: 120 (2012, National reports)",
        "  - Target: 300 by 2015",
        "  - Target: 600 by 2020",
        "  - Means of verification: Third national reports",
        '- <a id="3.I2"></a>Percentage of Parties that have established or have reliable access to detection'
        " laboratories `3.I2`",
    ]
    assert (
        '  - <a id="3.A10"></a>Developing forms, manuals and checklists `3.A10` *(Note: Drafted with 3.A9)*'
        " — Serves: [3.R1](#3.R1), [3.R2](#3.R2)"
    ) in lines


def test_pandoc_parses_the_markdown_without_warnings(plan: Plan, tmp_path: Path) -> None:
    pandoc = require_tool("pandoc", "apt-get install pandoc")
    source = tmp_path / "plan.md"
    source.write_bytes(render(plan, "md"))
    done = subprocess.run(
        [pandoc, "-f", "gfm", "-t", "html", "--fail-if-warnings", str(source)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("<h2") == 10  # contents, 8 objectives, monitoring
    assert '<a id="3.R1"></a>' in done.stdout
