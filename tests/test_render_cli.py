"""``lgcb render`` on the command line: where output goes, templates, and every way it can fail."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from lgcb.model import Plan
from lgcb.render import RENDERERS, Renderer, RenderError, RenderOptions, render

Invoke = Callable[..., Result]

SANDBOX_ESCAPE = "{{ ''.__class__.__mro__ }}"


@dataclass(frozen=True)
class FakeRenderer(Renderer):
    """A stand-in for the Word renderer: returns fixed bytes or raises, to test the CLI around it."""

    result: bytes | Exception = b"PK\x03\x04 fake docx"

    def load(self) -> Callable[[Plan, RenderOptions], bytes]:
        def fake(plan: Plan, options: RenderOptions) -> bytes:
            if isinstance(self.result, Exception):
                raise self.result
            return self.result

        return fake


@pytest.fixture
def fake_docx(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes | Exception], None]:
    def install(result: bytes | Exception) -> None:
        monkeypatch.setitem(RENDERERS, "docx", FakeRenderer("docx", ".docx", True, "a Word document", "", result))

    install(b"PK\x03\x04 fake docx")
    return install


def _template(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- Where the output goes ---------------------------------------------------------------------


def test_help_lists_the_formats_of_the_registry_with_an_example(invoke: Invoke) -> None:
    result = invoke("render", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "md (GitHub-flavoured Markdown), html (a self-contained web page), docx (a Word document)" in text
    assert "lgcb render --format html -o report.html" in text
    assert "Publish the plan as Markdown, HTML or a Word document." in invoke("--help").output


def test_text_formats_go_to_stdout_exactly_as_rendered(invoke: Invoke, plan: Plan) -> None:
    for fmt in ("md", "html"):
        result = invoke("render", "--format", fmt)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout_bytes == render(plan, fmt)


def test_output_file_is_written_and_reported(invoke: Invoke, plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = invoke("render", "--format", "html", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    size = round(len(render(plan, "html")) / 1024)
    assert result.stderr == f"Wrote {target} (html, 8 objectives, {size} KB).\n"
    assert target.read_bytes() == render(plan, "html")


def test_a_written_report_is_readable_by_others_as_a_plain_write_would_be(invoke: Invoke, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        assert invoke("render", "--format", "md", "-o", str(tmp_path / "new.md")).exit_code == 0
        kept = tmp_path / "kept.md"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        assert invoke("render", "--format", "md", "-o", str(kept)).exit_code == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_the_format_follows_the_output_extension(invoke: Invoke, tmp_path: Path) -> None:
    assert invoke("render", "-o", str(tmp_path / "plan.md")).exit_code == 0
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").startswith("# results-oriented")
    result = invoke("render", "-o", str(tmp_path / "plan.txt"))
    assert result.exit_code == 2
    assert "Error: choose an output format with --format md|html|docx" in result.stderr


def test_a_directory_as_output_gets_the_default_name(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("render", "--format", "md", "-o", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "action-plan.md").is_file()


def test_objective_option_renders_only_that_objective(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("render", "--format", "html", "--objective", "3", "-o", str(tmp_path / "3.html"))
    assert result.exit_code == 0
    assert "(html, 1 objective, " in result.stderr
    html = (tmp_path / "3.html").read_text(encoding="utf-8")
    assert html.count('<table class="plan-table">') == 1
    assert 'id="3.R1"' in html
    assert 'id="4.A1"' not in html


def test_unknown_objective_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("render", "--format", "md", "--objective", "9")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("Error: there is no objective 9 in the plan (objectives: 1, 2, 3, 4, 5, 6, 7, 8)\n")


def test_an_output_directory_that_does_not_exist_is_reported_before_rendering(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.html"
    result = invoke("render", "--format", "html", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"lgcb: cannot write {target}: the directory {target.parent} does not exist (create it first)\n"
    )


def test_an_output_under_a_file_is_reported(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    target = tmp_path / "notes.txt" / "report.md"
    result = invoke("render", "--format", "md", "-o", str(target))
    assert result.exit_code == 1
    assert "is a file, not a directory" in result.stderr


def test_an_invalid_plan_is_reported_not_rendered(invoke: Invoke, copy_plan: Path, tmp_path: Path) -> None:
    objective = copy_plan / "objectives" / "03-handling-transport-packaging-identification.yaml"
    objective.write_text(objective.read_text(encoding="utf-8").replace("number: 3\n", "number: three\n"), "utf-8")
    result = invoke("render", "--format", "md", "-o", str(tmp_path / "out.md"), plan=copy_plan)
    assert result.exit_code == 1
    assert "03-handling-transport-packaging-identification.yaml:" in result.stderr
    assert not (tmp_path / "out.md").exists()


# --- Templates ---------------------------------------------------------------------------------


def test_template_dir_overrides_one_part_and_keeps_the_rest(invoke: Invoke, plan: Plan, tmp_path: Path) -> None:
    _template(tmp_path, "html/title.html.j2", "<h1>Ministry of Environment: {{ plan.title }}</h1>\n")
    result = invoke("render", "--format", "html", "--template-dir", str(tmp_path))
    assert result.exit_code == 0
    html = result.stdout
    assert "<h1>Ministry of Environment: results-oriented CAPACITY-BUILDING ACTION PLAN</h1>" in html
    assert '<p class="annex">' not in html
    shipped = render(plan, "html").decode("utf-8")
    assert html.split("</header>")[1] == shipped.split("</header>")[1]


def test_template_file_is_the_top_level_template_and_can_include_shipped_parts(invoke: Invoke, tmp_path: Path) -> None:
    top = _template(
        tmp_path, "short.md.j2", "# {{ objectives | length }} objectives\n\n{% include 'md/contents.md.j2' %}"
    )
    result = invoke("render", "--format", "md", "--template", str(top))
    assert result.exit_code == 0
    assert result.stdout.startswith("# 8 objectives\n\n## Contents\n\n- [Operational objective 1: ")


def test_template_options_that_cannot_work_are_usage_errors(invoke: Invoke, tmp_path: Path) -> None:
    top = _template(tmp_path, "top.md.j2", "x")
    cases = {
        ("--template-dir", str(tmp_path / "nowhere")): f"--template-dir {tmp_path / 'nowhere'}: no such directory",
        ("--template", str(tmp_path / "none.j2")): f"--template {tmp_path / 'none.j2'}: no such file",
        ("--template-dir", str(tmp_path), "--template", str(top)): "give either --template-dir",
        ("--template", str(tmp_path / "top.md.j2"), "--format", "docx"): "--format docx needs a Word file (.docx)",
    }
    for args, message in cases.items():
        result = invoke("render", "--format", "md", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr, args


def test_a_missing_included_template_is_named_with_where_it_was_looked_for(invoke: Invoke, tmp_path: Path) -> None:
    top = _template(tmp_path, "top.md.j2", "{% include 'md/letterhead.md.j2' %}\n")
    result = invoke("render", "--format", "md", "--template", str(top))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: template not found: md/letterhead.md.j2 (searched {tmp_path}, ")


def test_the_sandbox_stops_a_template_reaching_python_internals(invoke: Invoke, tmp_path: Path) -> None:
    top = _template(tmp_path, "evil.html.j2", f"<p>hello</p>\n<p>{SANDBOX_ESCAPE}</p>\n")
    result = invoke("render", "--format", "html", "--template", str(top))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {top}:2: the template tried something the sandbox forbids: "
        "access to attribute '__class__' of 'str' object is unsafe.\n"
    )


def test_a_template_syntax_error_names_file_and_line(invoke: Invoke, tmp_path: Path) -> None:
    _template(tmp_path, "md/footer.md.j2", "Generated\n{% if %}\n")
    result = invoke("render", "--format", "md", "--template-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'md' / 'footer.md.j2'}:2: template syntax error: ")


def test_an_unknown_variable_in_a_template_names_file_and_line(invoke: Invoke, tmp_path: Path) -> None:
    _template(tmp_path, "html/footer.html.j2", "<p>{{ plan.author }}</p>\n")
    result = invoke("render", "--format", "html", "--template-dir", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'html' / 'footer.html.j2'}:1: template error: ")
    assert "'author'" in result.stderr


# --- Atomic output -----------------------------------------------------------------------------


def test_a_failing_render_leaves_an_existing_output_untouched(invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.html"
    target.write_bytes(b"the report of last week\n")
    _template(tmp_path / "templates", "html/objective.html.j2", "{{ objective.nonsense }}")
    result = invoke("render", "--format", "html", "-o", str(target), "--template-dir", str(tmp_path / "templates"))
    assert result.exit_code == 1
    assert target.read_bytes() == b"the report of last week\n"
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]


def test_a_failing_write_leaves_no_temporary_file(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_bytes(b"old\n")

    def refuse(self: Path, other: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", refuse)
    result = invoke("render", "--format", "md", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"lgcb: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


# --- Word, through the registry ----------------------------------------------------------------


def test_word_without_output_goes_to_standard_output_when_it_is_redirected(
    invoke: Invoke, fake_docx: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lgcb render --format docx > plan.docx` writes the document there, and no other file."""
    monkeypatch.chdir(tmp_path)
    result = invoke("render", "--format", "docx")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"PK\x03\x04 fake docx"
    assert list(tmp_path.iterdir()) == []


def test_word_to_stdout_only_when_asked_with_a_dash(invoke: Invoke, fake_docx: Callable[..., None]) -> None:
    result = invoke("render", "--format", "docx", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == b"PK\x03\x04 fake docx"


def test_word_is_not_sent_to_a_terminal(
    invoke: Invoke, fake_docx: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("lgcb.cli.render.is_terminal", lambda: True)
    for args in (["-o", "-"], []):
        result = invoke("render", "--format", "docx", *args)
        assert result.exit_code == 2
        assert (
            "Error: a docx file is binary and is not written to a terminal: add -o action-plan.docx, "
            "or redirect (> FILE)" in result.stderr
        )
        assert result.stdout_bytes == b""


def test_a_failing_word_render_keeps_the_previous_document(
    invoke: Invoke, fake_docx: Callable[..., None], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "action-plan.docx").write_bytes(b"PK previous")
    fake_docx(RenderError("template.docx: the table row has no {%tr for %} tag"))
    result = invoke("render", "--format", "docx", "-o", "action-plan.docx")
    assert result.exit_code == 1
    assert result.stderr == "Error: template.docx: the table row has no {%tr for %} tag\n"
    assert (tmp_path / "action-plan.docx").read_bytes() == b"PK previous"
    assert [p.name for p in tmp_path.iterdir()] == ["action-plan.docx"]
