"""Templates from a pull request are hostile: what ``lgcb render`` refuses, and how fast.

CI renders the templates a contributor sends.  A template may not read anything outside its
template directory (a committed link to ``/proc/self/environ`` would publish the job's secrets),
may not make the render wait on a pipe, and may not run or grow without end.  Each case below
gives the exact message, exit status 1, and nothing written.  Cases that would hang or eat the
machine if the guard were missing run the CLI in a subprocess with a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from lgcb.model import Plan
from lgcb.render import RenderError, RenderOptions, render

Invoke = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-token-4f9a1c"
NESTED_LOOPS = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _link(path: Path, target: str | Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.symlink_to(target)
    except OSError:  # Windows without the right to create links: nothing to guard against there
        pytest.skip("this system does not let a user create symbolic links")
    return path


def shown(name: str) -> str:
    """A relative path as lgcb prints it on this system."""
    return str(Path(name))


def lgcb(cwd: Path, *args: str, timeout: float = 60, limit_memory: int | None = None) -> subprocess.CompletedProcess:
    """The real command in its own process, stopped by the test if it hangs."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    return subprocess.run(
        [sys.executable, "-m", "lgcb", "--plan", str(ROOT / "plan"), "render", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "LGCB_TEST_SECRET": SECRET},
        preexec_fn=limit if limit_memory else None,
    )


def outside_message(name: str, target: str | Path) -> str:
    return (
        f"Error: {name}: the template links outside the template directory (to {target}); "
        "templates must be regular files inside it\n"
    )


# --- Template files stay inside the template directory -----------------------------------------


def test_a_template_linked_to_the_process_environment_is_refused(tmp_path: Path) -> None:
    _link(tmp_path / "templates" / "md" / "title.md.j2", "/proc/self/environ")

    result = lgcb(tmp_path, "--format", "md", "--template-dir", "templates", "-o", "report.md")

    assert result.returncode == 1
    assert result.stderr == outside_message(shown("templates/md/title.md.j2"), "/proc/self/environ")
    assert SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "report.md").exists()


def test_a_link_to_a_file_outside_the_directory_does_not_publish_it(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = _write(tmp_path / "private" / "credentials.txt", f"token: {SECRET}\n")
    _link(tmp_path / "templates" / "html" / "footer.html.j2", secret)
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "html", "--template-dir", "templates")

    assert result.exit_code == 1
    assert result.stderr == outside_message(shown("templates/html/footer.html.j2"), secret)
    assert SECRET not in result.output


def test_a_relative_link_out_of_the_directory_is_shown_as_written(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "secret.txt", SECRET)
    _link(tmp_path / "templates" / "md" / "footer.md.j2", "../../secret.txt")
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "md", "--template-dir", "templates")

    assert result.exit_code == 1
    assert result.stderr == outside_message(shown("templates/md/footer.md.j2"), "../../secret.txt")
    assert SECRET not in result.output


def test_a_link_to_another_file_inside_the_directory_is_followed(invoke: Invoke, tmp_path: Path) -> None:
    _write(tmp_path / "shared" / "letterhead.md.j2", "# Ministry of Environment\n")
    _link(tmp_path / "md" / "title.md.j2", "../shared/letterhead.md.j2")

    result = invoke("render", "--format", "md", "--template-dir", str(tmp_path))

    assert result.exit_code == 0
    assert result.stdout.startswith("# Ministry of Environment\n")


def test_includes_imports_and_extends_are_held_to_the_same_rule(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "secret.txt", SECRET)
    _link(tmp_path / "templates" / "parts" / "leak.j2", tmp_path / "secret.txt")
    monkeypatch.chdir(tmp_path)
    for tag in (
        "{% include 'parts/leak.j2' %}",
        "{% import 'parts/leak.j2' as leak %}",
        "{% extends 'parts/leak.j2' %}",
    ):
        _write(tmp_path / "templates" / "top.md.j2", f"{tag}\n")

        result = invoke("render", "--format", "md", "--template", "templates/top.md.j2")

        assert result.exit_code == 1, tag
        assert result.stderr == outside_message(shown("templates/parts/leak.j2"), tmp_path / "secret.txt"), tag
        assert SECRET not in result.output


def test_a_template_given_as_a_link_out_of_its_folder_is_refused(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "elsewhere" / "report.md.j2", SECRET)
    _link(tmp_path / "templates" / "report.md.j2", tmp_path / "elsewhere" / "report.md.j2")
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "md", "--template", "templates/report.md.j2")

    assert result.exit_code == 1
    assert result.stderr == outside_message(shown("templates/report.md.j2"), tmp_path / "elsewhere" / "report.md.j2")


def test_hidden_folders_such_as_git_are_never_read_as_templates(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``--template report.md.j2`` the working directory (the checkout) is the template directory."""
    _write(tmp_path / ".git" / "config", f'[http]\n\textraheader = "AUTHORIZATION: basic {SECRET}"\n')
    _write(tmp_path / "report.md.j2", "{% include '.git/config' %}\n")
    _link(tmp_path / "config.j2", ".git/config")
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "md", "--template", "report.md.j2")
    linked = invoke("render", "--format", "md", "--template", "config.j2")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {shown('.git/config')}: the template is in a hidden folder (.git/config); "
        "templates must be regular files outside hidden folders such as .git\n"
    )
    assert linked.exit_code == 1
    assert linked.stderr == (
        "Error: config.j2: the template is in a hidden folder (.git/config); "
        "templates must be regular files outside hidden folders such as .git\n"
    )
    assert SECRET not in result.output + linked.output


def test_a_hidden_folder_is_refused_even_when_it_links_to_a_visible_one(invoke: Invoke, tmp_path: Path) -> None:
    _write(tmp_path / "parts" / "title.md.j2", "# Title\n")
    _link(tmp_path / ".parts", "parts")
    top = _write(tmp_path / "top.md.j2", "{% include '.parts/title.md.j2' %}\n")

    result = invoke("render", "--format", "md", "--template", str(top))

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / '.parts' / 'title.md.j2'}: the template is in a hidden folder (.parts/title.md.j2); "
        "templates must be regular files outside hidden folders such as .git\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_pipe_named_like_a_template_is_refused_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "templates" / "md").mkdir(parents=True)
    os.mkfifo(tmp_path / "templates" / "md" / "title.md.j2")

    result = lgcb(tmp_path, "--format", "md", "--template-dir", "templates", timeout=30)

    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {shown('templates/md/title.md.j2')}: the template is not a regular file (a device, pipe or socket); "
        "lgcb reads only regular files\n"
    )


def test_a_directory_named_like_a_template_is_refused_not_passed_over(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates" / "md" / "title.md.j2").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "md", "--template-dir", "templates")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {shown('templates/md/title.md.j2')}: the template is a directory; lgcb reads only regular files\n"
    )


def test_a_template_over_the_size_cap_is_refused(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "templates" / "md" / "title.md.j2", "x" * (1024 * 1024 + 1))
    monkeypatch.chdir(tmp_path)

    result = invoke("render", "--format", "md", "--template-dir", "templates")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {shown('templates/md/title.md.j2')}: the template is larger than 1 MiB, the most lgcb reads\n"
    )


def test_a_word_template_linked_out_of_its_folder_is_refused(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    letterhead = tmp_path / "confidential" / "board-minutes.docx"
    letterhead.parent.mkdir()
    letterhead.write_bytes((ROOT / "templates" / "docx" / "report.docx").read_bytes())
    _link(tmp_path / "templates" / "letterhead.docx", letterhead)
    _link(tmp_path / "overrides" / "docx" / "report.docx", letterhead)
    monkeypatch.chdir(tmp_path)

    given = invoke("render", "--format", "docx", "--template", "templates/letterhead.docx", "-o", "out.docx")
    found = invoke("render", "--format", "docx", "--template-dir", "overrides", "-o", "out.docx")

    assert given.exit_code == 1
    assert given.stderr == outside_message(shown("templates/letterhead.docx"), letterhead)
    assert found.exit_code == 1
    assert found.stderr == outside_message(shown("overrides/docx/report.docx"), letterhead)
    assert not (tmp_path / "out.docx").exists()


# --- A render is bounded in time ----------------------------------------------------------------


def test_nested_loops_stop_at_the_timeout(tmp_path: Path) -> None:
    _write(tmp_path / "templates" / "md" / "report.md.j2", "# Report\n\n" + NESTED_LOOPS)

    result = lgcb(tmp_path, "--format", "md", "--template-dir", "templates", "--timeout", "2", "-o", "r.md", timeout=30)

    assert result.returncode == 1
    assert (
        result.stderr
        == f"Error: {shown('templates/md/report.md.j2')}:3: the template ran longer than 2 s (--timeout)\n"
    )
    assert not (tmp_path / "r.md").exists()


def test_a_loop_that_outputs_and_calls_nothing_still_stops(tmp_path: Path) -> None:
    """No range(), no call, no output: the loops go over a list; the check is in every loop body."""
    _write(
        tmp_path / "slow.md.j2",
        "{% set l = objectives * 100 %}\n{% for a in l %}{% for b in l %}{% for c in l %}{% endfor %}"
        "{% endfor %}{% endfor %}\n",
    )

    result = lgcb(tmp_path, "--format", "md", "--template", "slow.md.j2", "--timeout", "1", timeout=30)

    assert result.returncode == 1
    assert result.stderr == "Error: slow.md.j2:2: the template ran longer than 1 s (--timeout)\n"


def test_the_timeout_is_an_option_of_the_render_api(plan: Plan, tmp_path: Path) -> None:
    top = _write(tmp_path / "slow.html.j2", "<p>\n" + NESTED_LOOPS)

    with pytest.raises(RenderError) as error:
        render(plan, "html", RenderOptions(template=top, timeout=0.2))

    assert str(error.value) == f"{top}:2: the template ran longer than 0.2 s (--timeout)"


def test_a_word_template_is_bounded_too(plan: Plan, tmp_path: Path) -> None:
    """The tags inside a .docx run in the same bounded sandbox."""
    from docx import Document

    document = Document()
    document.add_paragraph("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    document.save(tmp_path / "slow.docx")

    with pytest.raises(RenderError) as error:
        render(plan, "docx", RenderOptions(template=tmp_path / "slow.docx", timeout=0.2))

    assert str(error.value) == f"{tmp_path / 'slow.docx'}: the template ran longer than 0.2 s (--timeout)"


def test_help_and_usage_of_the_timeout(invoke: Invoke) -> None:
    help_text = " ".join(invoke("render", "--help").output.split())
    assert "--timeout SECONDS Stop a template that runs longer than this" in help_text
    assert "[default: 60; x>0]" in help_text

    result = invoke("render", "--format", "md", "--timeout", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--timeout'" in result.stderr


# --- A render is bounded in what it builds -----------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is checked on Linux")
def test_a_huge_text_is_refused_before_it_is_built(tmp_path: Path) -> None:
    """Under a 1 GiB address-space limit a 1.5 GB string could not even be allocated: the message
    (not a MemoryError) shows it was refused before."""
    _write(tmp_path / "templates" / "md" / "report.md.j2", "# Report\n{{ 'x' * 1500000000 }}\n")

    result = lgcb(tmp_path, "--format", "md", "--template-dir", "templates", timeout=60, limit_memory=1 << 30)

    assert (
        result.stderr
        == f"Error: {shown('templates/md/report.md.j2')}:2: the template builds a text of more than 64 MiB\n"
    )
    assert result.returncode == 1


CASES = {
    "a text repeated": ("{{ 'x' * 1500000000 }}", "the template builds a text of more than 64 MiB"),
    "a list repeated": ("{{ [0] * 100000000 }}", "the template builds a list of more than 8,388,608 items"),
    "a text doubled in a loop": (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "the template builds a text of more than 64 MiB",
    ),
    "a list doubled in a loop": (
        "{% set ns = namespace(l=[0]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}",
        "the template builds a list of more than 8,388,608 items",
    ),
    "a list doubled with +": (
        "{% set ns = namespace(l=[0]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
        "the template builds a list of more than 8,388,608 items",
    ),
    "a padded text": ("{{ 'x'.ljust(1000000000) }}", "the template builds a text of more than 64 MiB"),
    "a centred text": ("{{ 'x' | center(1000000000) }}", "the template builds a text of more than 64 MiB"),
    "a wide % field": ("{{ '%1000000000d' % 1 }}", "the template builds a text of more than 64 MiB"),
    "a wide format field": ("{{ '{:>1000000000}'.format(1) }}", "the template builds a text of more than 64 MiB"),
    "a replacement": ("{{ 'aaaa' | replace('a', 'x' * 60000000) }}", "the template builds a text of more than 64 MiB"),
    "an escaped text": ("{{ ('\"' * 60000000) | e }}", "the template builds a text of more than 64 MiB"),
    "a wrapped text": (
        "{{ ('a ' * 1000) | wordwrap(1, wrapstring='x' * 60000000) }}",
        "the template builds a text of more than 64 MiB",
    ),
    "a huge batch": (
        "{% for b in [1] | batch(100000000, 0) %}{% endfor %}",
        "the template builds a list of more than 8,388,608 items",
    ),
    "a huge number": ("{{ 9 ** (9 ** 9) }}", "the template computes a number of more than 10,000 digits"),
    "an output too large": (
        "{% for i in range(3) %}{{ 'x' * 30000000 }}{% endfor %}",
        "the template builds a text of more than 64 MiB",
    ),
    "a block too large": (
        "{% set s %}{% for i in range(3) %}{{ 'x' * 30000000 }}{% endfor %}{% endset %}",
        "the template builds a text of more than 64 MiB",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_what_a_template_builds_is_capped(name: str, plan: Plan, tmp_path: Path) -> None:
    source, message = CASES[name]
    top = _write(tmp_path / "big.md.j2", f"# {name}\n{source}\n")

    with pytest.raises(RenderError) as error:
        render(plan, "md", RenderOptions(template=top))

    assert str(error.value) == f"{top}:2: {message}"


def test_the_caps_leave_ordinary_templates_alone(plan: Plan, tmp_path: Path) -> None:
    top = _write(
        tmp_path / "ok.md.j2",
        "{{ '%-8s|' % 'id' }}{{ '{:>6}'.format(3) }}{{ 'ab' * 3 }}{{ [1, 2] + [3] }}{{ 2 ** 10 }}"
        "{{ range(5) | map('string') | join(',') }}{{ objectives | map(attribute='number') | sum }}\n",
    )

    assert render(plan, "md", RenderOptions(template=top)) == b"id      |     3ababab[1, 2, 3]10240,1,2,3,436\n"


def test_the_shipped_templates_render_the_same_as_plain_jinja(plan: Plan) -> None:
    """The bounded environment changes nothing in what a well-behaved template produces."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from lgcb.render import shipped_templates
    from lgcb.render.context import build_context

    plain = SandboxedEnvironment(
        loader=FileSystemLoader(str(shipped_templates())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    expected = plain.get_template("html/report.html.j2").render(build_context(plan, ()))

    assert render(plan, "html").decode("utf-8") == expected


# --- The Typst stage of a PDF -------------------------------------------------------------------------


def test_typst_code_that_loops_is_stopped_at_the_deadline(tmp_path: Path) -> None:
    """The Jinja stage is bounded by the sandbox; the Typst it writes runs in a process ended at --timeout."""
    import subprocess
    import sys

    template = tmp_path / "loop.typ.j2"
    template.write_text("#for i in range(100000) { for j in range(100000) { } }\nHello\n", encoding="utf-8")
    target = tmp_path / "out.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lgcb",
            "render",
            "--format",
            "pdf",
            "--template",
            str(template),
            "--timeout",
            "2",
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Error: loop.typ.j2: Typst ran longer than 2 s (--timeout)" in done.stderr
    assert not target.exists()


def test_typst_code_that_allocates_without_end_is_stopped_by_the_memory_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    if sys.platform not in ("linux", "darwin"):
        pytest.skip("the address-space cap is set on Linux and macOS")
    monkeypatch.setattr("lgcb.render.typeset.DEFAULT_MEMORY", 1024**3)
    template = tmp_path / "grow.typ.j2"
    template.write_text("#let a = range(400000000)\n#a.len()\n", encoding="utf-8")
    from click.testing import CliRunner

    from lgcb.cli import cli

    result = CliRunner().invoke(
        cli, ["render", "--format", "pdf", "--template", str(template), "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "Error: grow.typ.j2: Typst used more than 1 GiB of memory" in result.stderr


@pytest.mark.parametrize(
    "source",
    [
        "{{ d.text }}|{{ d.missing is undefined }}|{{ d['items'] }}",
        "{{ d.items is callable }}|{{ d.keys()|list }}|{{ d.get('text') }}",
        "{{ d.__class__ is undefined }}|{{ d.update is callable }}",
    ],
)
def test_a_dict_reads_the_same_in_the_bounded_sandbox_as_in_jinjas(source: str) -> None:
    """Looking up a context dict's keys directly gives what Jinja's own sandbox gives: a dict's own
    attributes (``items``, ``keys``) still win over its keys, a missing key is undefined."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from lgcb.render.bounds import BoundedEnvironment

    data = {"d": {"text": "Protocol’s", "items": ["a"], "keys": "shadowed", "update": 1}}
    ours = BoundedEnvironment().from_string(source).render(data)
    assert ours == ImmutableSandboxedEnvironment().from_string(source).render(data)
    assert ours.split("|")[0] in ("Protocol’s", "True")


def test_the_cap_on_the_whole_output_grows_with_the_plan_and_one_on_each_text_does_not(plan: Plan) -> None:
    """A report of 150,000 entries is longer than 64 MiB; a text a template builds still may not be."""
    from lgcb.render import OUTPUT_PER_ENTRY, RenderError, RenderOptions, render

    report = render(plan, "md", RenderOptions(max_size=10_000))
    assert 10_000 < len(report.decode("utf-8")) < OUTPUT_PER_ENTRY * plan.count()
    with pytest.raises(RenderError, match="the template builds a text of more than 10,000 characters"):
        render(plan, "md", RenderOptions(max_size=10_000, max_output=10_000))


def test_a_plan_too_large_for_one_pdf_is_told_to_publish_in_parts(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    from lgcb.render.typeset import Limit

    def out_of_memory(*args: object, **kwargs: object) -> bytes:
        raise Limit("Typst used more than 8 GiB of memory", memory=True)

    monkeypatch.setattr("lgcb.render.typeset.typeset", out_of_memory)

    with pytest.raises(RenderError) as whole:
        render(plan, "pdf")
    with pytest.raises(RenderError) as one:
        render(plan, "pdf", RenderOptions(objectives=(3,)))

    assert "publish the plan in parts, a few objectives a file (--objective N, repeated)" in str(whole.value)
    assert str(one.value) == "pdf/report.typ.j2: Typst used more than 8 GiB of memory"
