"""`lgcb fmt`: one canonical layout for plan files; formatting never changes the content."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from lgcb.checks.load import load_plan, validate_files
from lgcb.model import Objective, Plan, PlanInfo
from lgcb.planfile import fmt as fmt_module
from lgcb.planfile.fmt import LayoutError, format_text
from lgcb.planfile.layout import objective_files
from lgcb.planfile.read import read_yaml

MESSY = Path(__file__).resolve().parent / "fixtures" / "messy"


def loaded(path: Path) -> object:
    doc = read_yaml(path)
    assert not doc.problems, doc.problems
    return doc.data


def test_the_shipped_plan_is_already_canonical(invoke: Callable[..., Result], plan_dir: Path) -> None:
    result = invoke("fmt", "--check", str(plan_dir))
    assert result.exit_code == 0
    assert result.output == "9 files already formatted.\n"


@pytest.mark.parametrize(
    ("name", "model"), [("03-messy.yaml", Objective), ("plan.yaml", PlanInfo)], ids=["objective", "plan"]
)
def test_a_messy_file_gets_the_canonical_layout_and_keeps_its_content_and_comments(name: str, model: type) -> None:
    source = (MESSY / name).read_text(encoding="utf-8")
    expected = (MESSY / name.replace(".yaml", ".expected.yaml")).read_text(encoding="utf-8")
    formatted = format_text(source, model)
    assert formatted == expected
    assert yaml.safe_load(formatted) == yaml.safe_load(source)
    assert format_text(formatted, model) == formatted, "formatting twice changes nothing more"


def test_the_canonical_layout_in_detail() -> None:
    formatted = (MESSY / "03-messy.expected.yaml").read_text(encoding="utf-8")
    lines = formatted.splitlines()
    # comments kept, the editor's $schema line first
    assert lines[0] == "# yaml-language-server: $schema=../../schema/objective.schema.json"
    assert "        text: Establishing measures – the Protocol’s   # keep me" in lines
    assert "    # a comment before 3.R2" in lines
    # keys in model order, id and number first, nested items last; block style; dashes indented
    assert lines[3] == "number: 3"
    assert lines[4].startswith("title: Handling, transport, packaging and identification ")
    assert "  - id: 3.R1\n    number: '3.1'\n    text: Systems identification" in formatted
    assert "  - id: 3.G1\n    group: Related to establishment of the system\n    items:\n      - id: 3.A1" in formatted
    assert "    measures:\n      - 3.O1\n" in formatted
    # quotes only where YAML needs them, single quotes, no folding
    assert "    text: 'yes'" in lines and "    unit: 'null'" in lines and "strategic_plan_objective: '2.3'" in lines
    assert "    text: 'Development of a guide on:'" in lines
    assert "    text: Customs officials trained by GenØk" in lines
    assert "        text: Literal text" in lines
    assert all("{" not in line and "[" not in line for line in lines)


def test_fmt_rewrites_a_messy_plan_in_place_and_it_loads_the_same(
    invoke: Callable[..., Result], tmp_path: Path, plan_dir: Path
) -> None:
    """Every shipped file written out the way another tool might (keys sorted, flow style, folded)."""
    target = tmp_path / "plan"
    shutil.copytree(plan_dir, target)
    files = [target / "plan.yaml", *objective_files(target)]
    for path in files:
        data = loaded(path)
        path.write_text(yaml.safe_dump(data, sort_keys=True, default_flow_style=None, width=50), encoding="utf-8")
    before = load_plan(target).plan
    assert isinstance(before, Plan)
    target.joinpath("plan.yaml").chmod(0o644)

    result = invoke("fmt", str(target))
    assert result.exit_code == 0
    assert result.output.count("reformatted ") == 9
    assert load_plan(target).plan == before
    assert target.joinpath("plan.yaml").stat().st_mode & 0o777 == 0o644
    assert invoke("fmt", "--check", str(target)).exit_code == 0
    # apart from its comments and blank lines, each file is the shipped file again
    for path in files:
        shipped = plan_dir / path.relative_to(target)
        strip = [ln for ln in shipped.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        assert path.read_text(encoding="utf-8").splitlines() == strip


def test_check_lists_the_files_that_would_change_and_changes_nothing(
    invoke: Callable[..., Result], copy_plan: Path
) -> None:
    messy = copy_plan / "objectives" / "03-handling-transport-packaging-identification.yaml"
    text = messy.read_text(encoding="utf-8").replace("number: 3\ntitle:", "title:", 1)
    text = text.replace("aim:", "number: 3\naim:", 1)
    messy.write_text(text, encoding="utf-8")

    result = invoke("fmt", "--check", str(copy_plan))
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {messy}\n"
    assert result.stderr == "1 file would be reformatted; 8 files already formatted. Run `lgcb fmt` to reformat.\n"
    assert messy.read_text(encoding="utf-8") == text

    diff = invoke("fmt", "--check", "--diff", str(messy))
    assert "\n+number: 3\n" in diff.stdout
    assert "\n-number: 3\n" in diff.stdout


def test_fmt_without_paths_formats_the_current_plan(invoke: Callable[..., Result], copy_plan: Path) -> None:
    result = invoke("fmt", "--check", plan=copy_plan)
    assert (result.exit_code, result.stderr) == (0, "9 files already formatted.\n")


def test_a_file_that_does_not_parse_is_refused_with_its_location(
    invoke: Callable[..., Result], copy_plan: Path
) -> None:
    broken = copy_plan / "objectives" / "04-liability-and-redress.yaml"
    text = broken.read_text(encoding="utf-8") + "extra: [unclosed\n"
    broken.write_text(text, encoding="utf-8")

    result = invoke("fmt", str(copy_plan))
    assert result.exit_code == 1
    line = text.count("\n") + 1
    assert f"{broken}:{line}:1: error: YAML syntax error: did not find expected ',' or ']'" in result.stderr
    assert "1 file left alone (fix the problems above first)" in result.stderr
    assert broken.read_text(encoding="utf-8") == text


def test_a_layout_that_would_change_the_content_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fmt_module._canonical

    def lossy(node: object, candidates: tuple[type, ...]) -> object:
        node = real(node, candidates)
        if isinstance(node, dict):
            node["number"] = 4
        return node

    monkeypatch.setattr(fmt_module, "_canonical", lossy)
    with pytest.raises(LayoutError, match="would change this file's content"):
        format_text("number: 3\n", Objective)


def test_text_that_yaml_would_read_as_another_type_keeps_its_quotes() -> None:
    source = "".join(f"{key}: '{value}'\n" for key, value in [("a", "yes"), ("b", "No"), ("c", "1.0"), ("d", "~")])
    source += "e: '2012-03-15'\nf: '1:20'\ng: \"plain\"\nh: 'a # b'\n"
    formatted = format_text(source, Objective)
    assert formatted == "a: 'yes'\nb: 'No'\nc: '1.0'\nd: '~'\ne: '2012-03-15'\nf: '1:20'\ng: plain\nh: 'a # b'\n"


def test_the_formatted_messy_objective_is_a_valid_objective_file(tmp_path: Path) -> None:
    target = tmp_path / "03-messy.yaml"
    target.write_bytes((MESSY / "03-messy.expected.yaml").read_bytes())
    assert validate_files([target]) == []


def test_a_windows_file_gets_utf8_without_bom_and_lf_line_ends(invoke: Callable[..., Result], copy_plan: Path) -> None:
    path = copy_plan / "objectives" / "07-biosafety-education-and-training.yaml"
    shipped = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + shipped.replace(b"\n", b"\r\n"))
    result = invoke("fmt", str(path))
    assert (result.exit_code, result.stdout) == (0, f"reformatted {path}\n")
    assert path.read_bytes() == shipped


def test_a_field_written_twice_is_refused_not_silently_dropped(invoke: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "03-twice.yaml"
    text = "number: 3\ntitle: Handling\ntitle: Handling, transport\n"
    path.write_text(text, encoding="utf-8")
    result = invoke("fmt", str(path))
    assert result.exit_code == 1
    assert f"{path}:3:1: error: the field `title` appears twice in the same mapping; keep only one" in result.stderr
    assert path.read_text(encoding="utf-8") == text


TEXTS = st.one_of(
    st.sampled_from(["yes", "No", "1.0", "~", "a: b", "#x", "a #b", " lead", "trail ", "'q'", '"d"', "1:20", "017"]),
    st.sampled_from(["2012-03-15", "@x", "`x", "%x", "!x", "&x", "*x", "?", "-", "[a]", "{a}", "a\nb", "\ttab", "ü’–"]),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40),
)
OBJECTIVES = st.fixed_dictionaries(
    {
        "number": st.integers(1, 9),
        "title": TEXTS,
        "aim": TEXTS,
        "strategic_plan_objective": st.sampled_from(["2.1", "1.2"]),
        "activities": st.lists(st.fixed_dictionaries({"id": st.sampled_from(["1.A1", "1.A2"]), "text": TEXTS})),
    }
)


@settings(max_examples=60, deadline=None)
@given(OBJECTIVES, st.sampled_from([None, True, False]), st.integers(10, 200), st.booleans())
def test_any_text_written_any_way_keeps_its_content(data: dict, flow: bool | None, width: int, uni: bool) -> None:
    """Whatever another tool writes (flow or block, folded at any width, escaped or not), content is kept."""
    source = yaml.safe_dump(data, default_flow_style=flow, width=width, allow_unicode=uni, sort_keys=True)
    formatted = format_text(source, Objective)
    assert yaml.safe_load(formatted) == data
    assert format_text(formatted, Objective) == formatted


def test_every_line_break_is_kept_in_double_quotes(invoke: Callable[..., Result], tmp_path: Path) -> None:
    """NEL (U+0085) and the line separator read back as written only inside double quotes."""
    path = tmp_path / "03-nel.yaml"
    path.write_text('number: 3\naim: "a\\x85b"\ntitle: "c\\Ld"\n', encoding="utf-8")
    result = invoke("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == 'number: 3\ntitle: "c\\Ld"\naim: "a\\Nb"\n'


def test_a_file_the_layout_cannot_keep_is_left_alone(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every layout is read back and compared with the original: a difference is refused, not written."""
    path = tmp_path / "03-any.yaml"
    text = "aim: a\nnumber: 3\n"  # keys out of order: the formatter runs
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr("lgcb.planfile.fmt._parse", lambda text: {"changed": True})
    result = invoke("fmt", str(path))
    assert result.exit_code == 1
    assert f"{path}:1:1: error: lgcb fmt: the canonical layout would change this file's content" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_file_in_a_read_only_folder_is_reported_not_a_crash(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "03-messy.yaml"
    path.write_bytes((MESSY / "03-messy.yaml").read_bytes())

    def refuse(target: Path, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("lgcb.fileio.write_atomic", refuse)
    result = invoke("fmt", str(path))
    assert result.exit_code == 1
    assert f"{path}:1:1: error: cannot write the file: Permission denied [unwritable]" in result.stderr
    assert "1 file left alone (fix the problems above first)." in result.stderr
