"""The HTML report: a self-contained, accessible page, checked as text, by the W3C Nu checker and
axe-core, and in a real headless Chromium (the Debian package, never a downloaded browser)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annex import content_units, normalise
from conftest import require_tool
from lgcb.checks.load import load_plan
from lgcb.model import Plan
from lgcb.render import RenderOptions, render
from render_support import (
    AXE_JS,
    ROOT,
    html_text,
    nu_check,
    plan_with_monitoring,
    plan_with_result_text,
    require_file,
)

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _html(plan: Plan, *objectives: int) -> str:
    return render(plan, "html", RenderOptions(objectives=objectives)).decode("utf-8")


@pytest.fixture(scope="module")
def report(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_bytes(render(plan, "html"))
    return path


def test_every_content_line_of_annex_i_is_in_the_page_text(plan: Plan) -> None:
    text = html_text(_html(plan))
    assert [unit for unit in content_units() if unit not in text] == []


def test_the_page_is_self_contained_and_needs_no_script(plan: Plan) -> None:
    html = _html(plan)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert "<script" not in html
    assert "default-src 'none'" in html  # the page itself forbids fetches and scripts
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith("#") for link in links)


def test_eight_tables_each_with_caption_and_four_column_headers(plan: Plan) -> None:
    html = _html(plan)
    assert html.count('<table class="plan-table">') == 8
    assert html.count("<caption>Operational objective ") == 8
    headers = (
        '<tr><th scope="col">Outcomes</th><th scope="col">Indicators</th>'
        '<th scope="col">Results/Outputs</th><th scope="col">Activities</th></tr>'
    )
    assert html.count(headers) == 8


def test_every_item_and_group_carries_its_id_as_anchor_and_visible_label(plan: Plan) -> None:
    html = _html(plan)
    wrong = [
        located.id
        for located in plan.walk()
        if html.count(f'id="{located.id}"') != 1 or f'<a class="id" href="#{located.id}">{located.id}</a>' not in html
    ]
    assert wrong == []


def test_group_headings_and_nested_items_are_kept(plan: Plan) -> None:
    html = _html(plan)
    assert (
        '<li id="3.G1" class="group"><p class="group-heading">'
        '<span class="text">Related to establishment of the system</span> <a class="id" href="#3.G1">3.G1</a></p>'
    ) in html
    nested = html.split('<li id="1.A1" class="activity">')[1].split("</li>\n</ul>\n</li>")[0]
    assert [m for m in re.findall(r'<li id="([^"]+)"', nested)] == ["1.A1.1", "1.A1.2", "1.A1.3"]


def test_print_style_is_a4_landscape_with_repeated_headers(plan: Plan) -> None:
    html = _html(plan)
    assert "@page { size: A4 landscape;" in html
    assert "thead { display: table-header-group; }" in html
    assert "break-inside: avoid" in html


def test_plan_text_with_html_is_shown_as_text_never_run(copy_plan: Path) -> None:
    plan = plan_with_result_text(copy_plan, "<script>alert(1)</script>")
    html = _html(plan, 3)
    assert '<span class="number">3.1</span> &lt;script&gt;alert(1)&lt;/script&gt;</span>' in html
    assert "<script" not in html


def test_links_notes_and_monitoring_fields_are_shown_under_their_item(copy_plan: Path) -> None:
    html = _html(plan_with_monitoring(copy_plan), 3)
    assert (
        '<a class="id" href="#3.I1">3.I1</a><span class="link">Measures: <a href="#3.O1">3.O1</a></span>'
        '<dl class="monitoring">\n<dt>Measure</dt><dd>number (people trained)</dd>'
        "<dt>Baseline</dt><dd>120 (2012, National reports)</dd>"
        "<dt>Target</dt><dd>300 by 2015</dd><dt>Target</dt><dd>600 by 2020</dd>"
        "<dt>Means of verification</dt><dd>Third national reports</dd></dl>"
    ) in html
    assert (
        '<a class="id" href="#3.A10">3.A10</a><span class="note">Note: Drafted with 3.A9</span>'
        '<span class="link">Serves: <a href="#3.R1">3.R1</a>, <a href="#3.R2">3.R2</a></span>'
    ) in html


def test_objective_option_renders_only_those_objectives(plan: Plan) -> None:
    html = _html(plan, 3, 5)
    assert html.count('<table class="plan-table">') == 2
    assert re.findall(r'<section class="objective" id="([^"]+)"', html) == ["objective-3", "objective-5"]


@pytest.fixture(scope="module")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The illustrative monitoring example: the page with progress tables and charts."""
    result = load_plan(ROOT / "examples" / "monitoring")
    assert result.plan is not None, result.problems
    path = tmp_path_factory.mktemp("html") / "example.html"
    path.write_bytes(render(result.plan, "html"))
    return path


def test_the_w3c_nu_checker_finds_no_errors(report: Path, example_report: Path) -> None:
    assert nu_check(report, example_report) == (0, "", "")


# --- In a real browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_tool("chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, report: Path) -> Iterator[Any]:
    """The report loaded in a fresh tab, with console messages and requests recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.requests = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(report.as_uri())
    yield page
    context.close()


def test_the_page_loads_without_errors_or_network_requests(page: Any, report: Path) -> None:
    assert page.console_errors == []
    assert page.requests == [report.as_uri()]


def test_browser_shows_eight_tables_and_every_activity(page: Any, plan: Plan) -> None:
    assert page.locator("table.plan-table").count() == 8
    activities = [located for located in plan.walk() if located.kind == "activity"]
    hidden = page.evaluate(
        """ids => ids.filter(id => {
            const e = document.getElementById(id);
            if (!e) return true;
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return r.width === 0 || r.height === 0 || s.visibility !== 'visible' || s.display === 'none';
        })""",
        [a.id for a in activities],
    )
    assert hidden == []
    shown = normalise(page.evaluate("document.body.innerText"))
    assert [a.text for a in activities if normalise(a.text) not in shown] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))


def test_an_id_in_the_address_scrolls_to_its_item(page: Any, report: Path) -> None:
    page.goto(f"{report.as_uri()}#3.R1")
    where = page.evaluate(
        """() => ({top: document.getElementById('3.R1').getBoundingClientRect().top,
                  scrolled: window.scrollY, target: document.querySelector(':target').id})"""
    )
    assert where["target"] == "3.R1"
    assert where["scrolled"] > 1000
    assert -1 < where["top"] < 50


@pytest.mark.parametrize("which", ["report", "example_report"])
def test_axe_core_finds_no_accessibility_violations(browser: Any, which: str, request: pytest.FixtureRequest) -> None:
    report = request.getfixturevalue(which)
    axe = require_file(AXE_JS, "npm install --prefix .ci/tools axe-core@4")
    # The page's own policy forbids scripts: this test's tab lets axe in.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        page.add_script_tag(path=str(axe))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    violations = [(v["id"], v["help"], len(v["nodes"])) for v in results["violations"]]
    assert violations == [], json.dumps(violations, indent=1)


def test_printing_gives_a4_landscape_pages(page: Any) -> None:
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {tuple(round(float(n)) for n in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert sizes == {(842, 595)}
