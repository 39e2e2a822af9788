"""Property-based tests: whatever a user types into a plan file, ``lgcb validate`` answers with
located problems (exit 1) or success (exit 0), never a traceback; and every valid plan survives
being written back (load → dump → load) and rendered in every format the registry offers.

Hypothesis draws the edits; examples are few (``LGCB_FUZZ_EXAMPLES``, default 30) and the deadline
is off, so the file runs in a few seconds.  A failing example is printed by hypothesis and can be
replayed as a plain test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgcb.checks.load import load_plan
from lgcb.cli import cli
from lgcb.model import (
    Activity,
    ActivityGroup,
    Baseline,
    Indicator,
    Objective,
    Observation,
    Outcome,
    OutcomeGroup,
    Plan,
    Result,
    Target,
)
from lgcb.planfile.read import _fast_data, _PlanLoader
from lgcb.planfile.write import write_plan
from lgcb.render import RENDERERS, RenderError, RenderOptions, render

PLAN_DIR = Path(__file__).resolve().parent.parent / "plan"
FILES = [PLAN_DIR / "plan.yaml", *sorted((PLAN_DIR / "objectives").glob("*.yaml"))]
EXAMPLES = int(os.environ.get("LGCB_FUZZ_EXAMPLES", "30"))
"""Examples per property: few by default to keep the suite fast; raise it for a deeper search."""
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text a user could save in a UTF-8 file (lone surrogates cannot be encoded).
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
wrong_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    unicode_text,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.sampled_from(["id", "text", "x"]), unicode_text, max_size=2),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path and list index in parsed YAML data."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += [(*prefix, key), *_paths(value, (*prefix, key))]
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += [(*prefix, i), *_paths(value, (*prefix, i))]
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def edited_plan_file(draw: st.DrawFn) -> tuple[str, str]:
    """One plan file, damaged the way users damage YAML: (file name relative to the plan, new text)."""
    path = draw(st.sampled_from(FILES))
    text = path.read_text(encoding="utf-8")
    name = str(path.relative_to(PLAN_DIR))
    data = yaml.safe_load(text)
    edit = draw(
        st.sampled_from(
            ["delete", "retype", "unicode", "random-yaml", "truncate", "duplicate-key", "construct", "missing-dash"]
        )
    )
    if edit in ("delete", "retype", "unicode"):
        target = draw(st.sampled_from(_paths(data)))
        parent = _parent(data, target)
        if edit == "delete":
            del parent[target[-1]]
        elif edit == "retype":
            parent[target[-1]] = draw(wrong_values)
        else:
            parent[target[-1]] = draw(unicode_text)
        return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if edit == "random-yaml":
        return name, draw(st.one_of(unicode_text, st.text(alphabet="-:[]{}&*!|>'\"#%@` \n\tabc12", max_size=60)))
    lines = text.splitlines(keepends=True)
    if edit == "truncate":
        return name, text[: draw(st.integers(0, len(text)))]
    if edit == "construct":  # what a word processor or a careless edit puts into a line
        texts = [i for i, line in enumerate(lines) if line.lstrip().startswith(("text:", "title:", "aim:"))]
        i = draw(st.sampled_from(texts))
        key, _, value = lines[i].partition(": ")
        mangled = draw(
            st.sampled_from(
                [
                    f"{key}: &{value}",
                    f"{key}: !x {value}",
                    f"{key}: {value.rstrip()} #{draw(unicode_text)}\n",
                    f"\u00a0{key[1:]}: {value}",
                    f"{key}: “{value.rstrip()}”\n",
                    f"{key}: {draw(st.sampled_from('@`%*|>[{!&'))}{value}",
                    f"{key}: {value.rstrip()}\x00\n",
                    f"%YAML 1.1\n---\n{key}: {value}" if i == 0 else f"{key}: {value}",
                ]
            )
        )
        return name, "".join([*lines[:i], mangled, *lines[i + 1 :]])
    dashed = [i for i, line in enumerate(lines) if line.lstrip().startswith("- id:")]
    if edit == "missing-dash" and dashed:
        i = draw(st.sampled_from(dashed))
        return name, "".join([*lines[:i], lines[i].replace("- id:", "  id:", 1), *lines[i + 1 :]])
    keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    i = draw(st.sampled_from(keyed))
    return name, "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def _validate(plan: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--plan", str(plan), "validate", *args], catch_exceptions=True)


@SETTINGS
@given(edited_plan_file())
def test_a_damaged_file_gives_located_problems_never_a_traceback(edit: tuple[str, str]) -> None:
    name, text = edit
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        shutil.copytree(PLAN_DIR, plan)
        (plan / name).write_text(text, encoding="utf-8")

        result = _validate(plan, "--format", "json")

        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code in (0, 1), result.output
        report = json.loads(result.stdout)
        assert report["valid"] is (result.exit_code == 0)
        for problem in report["problems"]:
            where = Path(problem["path"])
            assert where.is_file(), problem
            assert where.resolve().is_relative_to(plan.resolve()), problem
            lines = where.read_text(encoding="utf-8").count("\n") + 1
            assert 1 <= problem["line"] <= lines and problem["col"] >= 1, problem
        _fixes_mend(plan, report["problems"])


def _fixes_mend(plan: Path, problems: list[dict[str, Any]]) -> None:
    """Applying a problem's fix makes that problem go away (advice that leads to a file that passes)."""
    from lgcb.checks.problem import Fix, apply_fixes

    fixable = [p for p in problems if p["fix"]]
    if not fixable:
        return
    by_file: dict[str, list[Fix]] = {}
    for p in fixable:
        by_file.setdefault(p["path"], []).append(Fix(**p["fix"]))
    for path, fixes in by_file.items():
        file = Path(path)
        file.write_text(apply_fixes(file.read_text(encoding="utf-8"), fixes), encoding="utf-8")
    again = json.loads(_validate(plan, "--format", "json").stdout)["problems"]
    mended = {(p["path"], p["line"], p["rule"], p["message"]) for p in fixable}
    assert not {(p["path"], p["line"], p["rule"], p["message"]) for p in again} & mended, again


leading = st.sampled_from("&!%@`*|>[{#-?:,")
"""What a text may start with that YAML reads specially (quotes are left out: they are the way to quote)."""


@SETTINGS
@given(
    first=leading, rest=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)
)
def test_a_text_typed_without_quotes_is_read_as_typed_or_refused_with_a_fix_that_keeps_it(
    first: str, rest: str
) -> None:
    """Whatever an editor types after `text: `, lgcb reads exactly that, or says how to quote it — and the
    quoted file then reads back as exactly what was typed: no word is lost either way."""
    typed = (first + rest).strip()
    if not typed or "\n" in typed:
        return
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        shutil.copytree(PLAN_DIR, plan)
        path = plan / "objectives" / "05-public-awareness-education-participation.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index("text:", text.index("results:"))
        end = text.index("\n", start)
        path.write_text(text[:start] + "text: " + typed + text[end:], encoding="utf-8")
        result = _validate(plan, "--format", "json")
        report = json.loads(result.stdout)
        if report["valid"]:
            loaded = load_plan(plan).plan
            assert loaded is not None
            assert loaded.objective(5).results[0].text == typed  # type: ignore[union-attr]
            return
        fixes = [p for p in report["problems"] if p["fix"]]
        if not fixes:  # refused with advice but no mechanical fix: nothing was read wrongly either
            return
        from lgcb.checks.problem import Fix, apply_fixes

        path.write_text(apply_fixes(path.read_text(encoding="utf-8"), [Fix(**p["fix"]) for p in fixes]), "utf-8")
        loaded = load_plan(plan).plan
        assert loaded is not None, load_plan(plan).problems
        assert loaded.objective(5).results[0].text == typed  # type: ignore[union-attr]


def test_the_text_report_names_file_line_and_column(copy_plan: Path) -> None:
    """The same contract in the default text format, on one fixed edit (a result's text as a number)."""
    target = copy_plan / "objectives" / "05-public-awareness-education-participation.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("number: 5\n", "number: five\n"), encoding="utf-8")

    result = _validate(copy_plan)

    assert result.exit_code == 1
    assert result.stdout == (
        f"{target}:7:9: error: objective five: `number` must be a whole number, not the text 'five' [wrong-type]\n"
    )


# Valid plans, drawn at random: IDs and links follow the rules, texts are any Unicode.
texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
values = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts)
observed = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts.filter(str.strip))
"""A value of an indicator without a measure: a number, or a text that is not blank."""
_non_negative = st.one_of(st.integers(0, 10**9), st.floats(0, 1e9, allow_nan=False, allow_infinity=False))
MEASURED_VALUES = {
    "number": _non_negative,
    "ratio": _non_negative,
    "amount": _non_negative,
    "percentage": st.one_of(st.integers(0, 100), st.floats(0, 100, allow_nan=False)),
    "qualitative": texts.filter(str.strip),  # a value of blanks is refused, as "empty"
}


@st.composite
def objectives(draw: st.DrawFn, number: int) -> Objective:
    n = number
    outcome_count = draw(st.integers(0, 3))
    outcomes: list[Any] = [Outcome(id=f"{n}.O{i}", text=draw(texts)) for i in range(1, outcome_count + 1)]
    if outcomes and draw(st.booleans()):
        outcomes = [OutcomeGroup(id=f"{n}.G1", group=draw(texts), items=outcomes)]
    outcome_ids = [f"{n}.O{i}" for i in range(1, outcome_count + 1)]
    indicators = []
    for i in range(1, draw(st.integers(0, 3)) + 1):
        monitored = draw(st.booleans())
        # Valid monitoring data: values that fit the measure, years inside the plan's 2011-2020.
        measure = draw(st.sampled_from(["number", "percentage", "ratio", "amount", "qualitative"]))
        fitting = MEASURED_VALUES[measure]
        baseline_year = draw(st.integers(2011, 2019))
        indicators.append(
            Indicator(
                id=f"{n}.I{i}",
                text=draw(texts),
                note=draw(st.none() | texts),
                measures=draw(st.lists(st.sampled_from(outcome_ids), max_size=2)) if outcome_ids else [],
                measure=measure if monitored else None,
                unit=draw(texts) if monitored else None,
                baseline=Baseline(value=draw(fitting), year=baseline_year) if monitored else None,
                targets=[Target(year=draw(st.integers(baseline_year + 1, 2020)), value=draw(fitting))]
                if monitored
                else [],
            )
        )
    results = [
        Result(
            id=f"{n}.R{i}",
            text=draw(texts),
            number=draw(st.none() | st.just(f"{n}.{i}")),
            items=[Result(id=f"{n}.R{i}.{j}", text=draw(texts)) for j in range(1, draw(st.integers(0, 2)) + 1)],
        )
        for i in range(1, draw(st.integers(0, 3)) + 1)
    ]
    result_ids = [r.id for r in results]
    activities: list[Any] = [
        Activity(
            id=f"{n}.A{i}",
            text=draw(texts),
            serves=draw(st.lists(st.sampled_from(result_ids), max_size=2)) if result_ids else [],
            items=[Activity(id=f"{n}.A{i}.{j}", text=draw(texts)) for j in range(1, draw(st.integers(0, 2)) + 1)],
        )
        for i in range(1, draw(st.integers(0, 3)) + 1)
    ]
    if activities and draw(st.booleans()):
        activities = [ActivityGroup(id=f"{n}.G2", group=draw(texts), items=activities)]
    return Objective(
        number=n,
        title=draw(texts),
        aim=draw(texts),
        strategic_plan_objective="2.1",
        outcomes=outcomes,
        indicators=indicators,
        results=results,
        activities=activities,
    )


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A valid plan of 1–3 objectives, with monitoring observations for some of its indicators."""
    shipped = load_plan(PLAN_DIR).plan
    assert shipped is not None
    count = draw(st.integers(1, 3))
    drawn = [draw(objectives(n)) for n in range(1, count + 1)]
    progress: dict[str, list[Observation]] = {}
    for objective in drawn:
        for indicator in objective.items("indicators"):
            assert isinstance(indicator, Indicator)
            fitting = MEASURED_VALUES[indicator.measure] if indicator.measure else observed
            years = draw(st.lists(st.integers(2011, 2020), unique=True, max_size=3))
            if years:
                observations = [
                    Observation(
                        period=str(year) if draw(st.booleans()) or year == 2011 else f"{year - 1}-{year}",
                        value=draw(fitting),
                        source=draw(st.none() | texts),
                    )
                    for year in sorted(years)
                ]
                progress[indicator.id] = sorted(observations, key=lambda o: o.sort_key)
    return Plan(info=shipped.info, objectives=drawn, progress=progress)


AVAILABLE = {
    name: renderer
    for name, renderer in RENDERERS.items()
    # A format whose module is not in this checkout (added on another branch) cannot be rendered yet.
    if importlib.util.find_spec(renderer.target.partition(":")[0]) is not None
}


@SETTINGS
@given(plans())
def test_a_valid_plan_round_trips(plan: Plan) -> None:
    """write → load gives back the same plan, monitoring data included."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = write_plan(plan, Path(tmp) / "plan")

        again = load_plan(directory)

        assert again.problems == []
        assert again.plan == plan
        assert _validate(directory).exit_code == 0


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 4))
@given(plans())
def test_the_writer_writes_the_canonical_layout(plan: Plan) -> None:
    """fmt(write(plan)) == write(plan): what lgcb writes, lgcb fmt leaves alone, file by file."""
    from lgcb.planfile.fmt import format_text, model_for
    from lgcb.planfile.write import plan_texts

    for name, text in plan_texts(plan).items():
        assert format_text(text, model_for(Path(name))) == text, name


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 4))
@given(plans())
def test_a_valid_plan_renders_in_every_format(plan: Plan) -> None:
    """Fewer examples: a Word document takes longer to build than a plan takes to check."""
    for name in AVAILABLE:
        output = render(plan, name)

        assert isinstance(output, bytes) and output, name


def _read(construct: Any, text: str) -> tuple[str, Any, list[tuple[int, str]]]:
    loader = _PlanLoader(text)
    try:
        data = construct(loader)
    except (yaml.YAMLError, RecursionError) as e:
        return "error", f"{type(e).__name__}: {e}", []
    finally:
        loader.dispose()
    return "data", data, [(d.key.start_mark.line, d.name) for d in loader.duplicates]


# A template from a pull request: expressions that grow with a number, loops nested to a depth,
# values doubled step by step.  Whatever is drawn, the render ends (within the timeout), and either
# stays under the size cap or stops with a message naming the template and line.
GROWING = (
    "'x' * {n}",
    "[0] * {n}",
    "'x'.ljust({n})",
    "'x' | center({n})",
    "'%{n}d' % 1",
    "'{{:>{n}}}'.format(1)",
    "7 ** {n}",
    "'ab' | replace('a', 'x' * {n})",
    "[1] | batch({n}, 0) | list",
    "'x' | indent({n}, true)",
    "range(100) | join('x' * {n})",
)
DOUBLING = ("ns.v ~ ns.v", "ns.v + ns.v", "[ns.v, ns.v]", "ns.v * 2")
FUZZ_CAP = 1024 * 1024
LIMITS = (
    "the template builds a text of more than 1 MiB",
    f"the template builds a list of more than {FUZZ_CAP // 8:,} items",
    "the template computes a number of more than 10,000 digits",
    "the template ran longer than 0.3 s (--timeout)",
)


@st.composite
def hostile_templates(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["grow", "loops", "double"]))
        if kind == "grow":
            n = draw(st.integers(0, 10**10))
            lines.append("{{ " + draw(st.sampled_from(GROWING)).format(n=n) + " }}")
        elif kind == "loops":
            depth, size = draw(st.integers(1, 4)), draw(st.integers(0, 100000))
            body = draw(st.sampled_from(["", "x", "{{ i }}"]))
            lines.append(("{% for i in range(" + str(size) + ") %}") * depth + body + "{% endfor %}" * depth)
        else:
            start = draw(st.sampled_from(["'x'", "[0]"]))
            step, steps = draw(st.sampled_from(DOUBLING)), draw(st.integers(0, 60))
            lines.append(
                f"{{% set ns = namespace(v={start}) %}}{{% for i in range({steps}) %}}"
                f"{{% set ns.v = {step} %}}{{% endfor %}}{{{{ ns.v | length }}}}"
            )
    return "\n".join(lines) + "\n"


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 3))
@given(hostile_templates())
def test_a_hostile_template_ends_within_the_limits(source: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / "hostile.md.j2"
        top.write_text(source, encoding="utf-8")
        plan = load_plan(PLAN_DIR).plan
        assert plan is not None
        try:
            output = render(plan, "md", RenderOptions(template=top, timeout=0.3, max_size=FUZZ_CAP))
        except RenderError as e:
            where, _, message = str(e).partition(": ")
            assert where.startswith(f"{top}:"), str(e)
            assert message in LIMITS or message.startswith("template error: "), str(e)
        else:
            assert len(output) <= FUZZ_CAP


yaml_like = st.text(alphabet="ab1.:-[]{},&*!<>?'\"# \n", max_size=40) | st.sampled_from(
    [
        "a: &x 1\nb: *x\n",
        "<<: {a: 1}\nb: 2\n",
        "? [a]\n: 1\n",
        "a: !!binary aGVsbG8=\n",
        "a: 2012-01-01\nb: yes\nc: ~\nd: 0x1F\ne: 1_000\nf: .inf\ng: 1:30\n",
        "1: a\n'1': b\na: {b: 2, b: 3}\n",
        "a: !!set {x}\n",
    ]
)


@SETTINGS
@given(yaml_like)
def test_the_fast_reader_gives_what_pyyaml_gives(text: str) -> None:
    """``read_yaml``'s fast path must not change a single value, duplicate or error of PyYAML's."""
    assert _read(lambda loader: _fast_data(loader, text), text) == _read(lambda loader: loader.get_single_data(), text)


@given(st.text(max_size=60))
def test_search_folding_is_the_same_for_a_whole_text_as_character_by_character(text: str) -> None:
    """Whole-text folding (the fast path for ASCII texts) equals folding each character."""
    from lgcb.results.query import _fold_char, _folded_with_map, fold

    folded, origin = _folded_with_map(text)
    assert fold(text) == folded == "".join(_fold_char(c) for c in text)
    if origin is not None:
        assert len(origin) == len(folded)
    else:
        assert len(folded) == len(text)


@given(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(["", "~", "null", "No", "yes", "on", "0x1F", "1_000", "1e3", ".inf", "2012-03-20", "<<", "="]),
    ),
    st.booleans(),
)
def test_the_plan_loaders_resolver_gives_pyyamls_tags(value: str, plain: bool) -> None:
    """The resolver libyaml calls back for every node is lgcb's own, for speed: it must tag every
    scalar, list and mapping as PyYAML's safe loader does."""
    ours, theirs = _PlanLoader(""), yaml.CSafeLoader("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            implicit = (plain, not plain)
            assert ours.resolve(kind, value, implicit) == yaml.SafeLoader.resolve(theirs, kind, value, implicit)
    finally:
        ours.dispose()
        theirs.dispose()
