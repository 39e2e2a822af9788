"""``lgcb diff --format docx``: a revision of the plan as Word tracked changes.

The document is NEW's Word report; every change since OLD is a Word revision, so "Accept all"
gives NEW's report and "Reject all" OLD's — checked with lgcb's own accept/reject over the XML and
with LibreOffice's Accept All / Reject All, run headless.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from conftest import PLAN_DIR
from lgcb.checks.load import load_plan
from lgcb.render import render
from lgcb.word.revisions import W_NS
from review_support import LibreOffice, edit_plan, part, texts

W = f"{{{W_NS}}}"
REVISIONS = ("ins", "del", "moveFrom", "moveTo")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """OLD (the shipped plan) and NEW (an edited copy)."""
    return PLAN_DIR, edit_plan(tmp_path_factory.mktemp("versions") / "new")


@pytest.fixture(scope="module")
def changes(versions: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from lgcb.cli import cli

    old, new = versions
    out = tmp_path_factory.mktemp("changes") / "changes.docx"
    result = CliRunner().invoke(
        cli, ["--plan", str(old), "diff", str(old), str(new), "--format", "docx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote {out}: ")
    return out


def report(plan_dir: Path) -> bytes:
    loaded = load_plan(plan_dir)
    assert loaded.plan is not None
    return render(loaded.plan, "docx")


def test_accept_all_gives_new_and_reject_all_gives_old(changes: Path, versions: tuple[Path, Path]) -> None:
    old, new = versions
    data = changes.read_bytes()
    assert texts(data) != texts(report(new))  # deleted text is still there, as deletions
    from lgcb.word.revisions import document_paragraphs

    assert document_paragraphs(data, "accept") == texts(report(new))
    assert document_paragraphs(data, "reject") == texts(report(old))


def test_every_kind_of_change_is_a_real_revision_with_author_and_date(changes: Path) -> None:
    root = part(changes)
    kinds = Counter(el.tag.removeprefix(W) for el in root.iter(*(f"{W}{k}" for k in REVISIONS)))
    assert kinds["ins"] >= 10 and kinds["del"] >= 10
    assert kinds["moveFrom"] >= 1 and kinds["moveTo"] >= 1
    for el in root.iter(*(f"{W}{k}" for k in ("ins", "del", "moveFrom", "moveTo"))):
        assert el.get(f"{W}author") == "lgcb"
        assert el.get(f"{W}date", "").endswith("Z")
    ids = [el.get(f"{W}id") for el in root.iter(*(f"{W}{k}" for k in ("ins", "del", "moveFrom", "moveTo")))]
    assert len(ids) == len(set(ids)), "revision ids are unique"
    # a move: the same name on its "from" and "to" ranges
    starts = {el.get(f"{W}name") for el in root.iter(f"{W}moveFromRangeStart")}
    assert starts and starts == {el.get(f"{W}name") for el in root.iter(f"{W}moveToRangeStart")}
    # whole paragraphs: the paragraph mark of an added/removed entry is a revision too
    marks = [el for el in root.iter(f"{W}ins", f"{W}del") if el.getparent().tag == f"{W}rPr"]
    assert marks


def test_words_inside_a_modified_entry_are_tracked_one_by_one(changes: Path) -> None:
    root = part(changes)
    inserted = ["".join(t.text or "" for t in el.iter(f"{W}t")) for el in root.iter(f"{W}ins")]
    deleted = ["".join(t.text or "" for t in el.iter(f"{W}delText")) for el in root.iter(f"{W}del")]
    assert "for " in inserted or "for" in [i.strip() for i in inserted]  # 3.R1: "Systems for identification"
    assert "develop" in [d.strip() for d in deleted] and "strengthen" in [i.strip() for i in inserted]  # the aim
    assert "2.3:" in [d.strip() for d in deleted] and "2.2:" in [i.strip() for i in inserted]  # the link
    assert any("Results-oriented" in i for i in inserted)  # the plan's title
    assert any("target: 500 by 2020" in i.lower() for i in inserted)  # a monitoring field


def test_no_changes_writes_nothing(invoke: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "changes.docx"
    result = invoke("diff", str(PLAN_DIR), str(PLAN_DIR), "--format", "docx", "-o", str(out), "--exit-code")
    assert result.exit_code == 0
    assert result.stderr == "No changes: nothing written.\n"
    assert not out.exists()


def test_exit_code_and_a_terminal_is_never_written_to(
    invoke: Callable[..., Result], versions: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = versions
    out = tmp_path / "changes.docx"
    result = invoke("diff", str(old), str(new), "--format", "docx", "-o", str(out), "--exit-code")
    assert result.exit_code == 1 and out.is_file()
    monkeypatch.setattr("lgcb.cli.diff.is_terminal", lambda: True)
    result = invoke("diff", str(old), str(new), "--format", "docx")
    assert result.exit_code == 2
    assert "a Word file is binary: give a file name with -o changes.docx" in result.stderr


def test_the_template_is_honoured(invoke: Callable[..., Result], versions: tuple[Path, Path], tmp_path: Path) -> None:
    import docx

    old, new = versions
    template = tmp_path / "letterhead.docx"
    shipped = Path(__file__).resolve().parent.parent / "templates" / "docx" / "report.docx"
    document = docx.Document(str(shipped))
    document.sections[0].header.paragraphs[0].text = "Secretariat of the Convention on Biological Diversity"
    document.save(str(template))
    out = tmp_path / "changes.docx"
    result = invoke("diff", str(old), str(new), "--format", "docx", "-o", str(out), "--template", str(template))
    assert result.exit_code == 0, result.stderr
    headers = [n for n in __import__("zipfile").ZipFile(out).namelist() if n.startswith("word/header")]
    assert headers and "Secretariat of the Convention" in "".join(
        t.text or "" for t in part(out, headers[0]).iter(f"{W}t")
    )


def _git(repo: Path, *args: str, author: str = "", date: str = "") -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if author:
        env |= {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.org"}
        env |= {"GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.org"}
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_between_revisions_each_change_carries_its_commit(
    invoke: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Objective 3 edited by Ana, objective 1 by Ben: each revision names the commit that made it."""
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(PLAN_DIR, repo / "plan")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "plan", author="Seed", date="2012-03-16T10:00:00Z")
    edited = edit_plan(tmp_path / "edited")
    for name in ("03", "01"):
        target = next((repo / "plan" / "objectives").glob(f"{name}-*.yaml"))
        target.write_bytes(next((edited / "objectives").glob(f"{name}-*.yaml")).read_bytes())
        who, when = ("Ana", "2013-01-02T09:30:00Z") if name == "03" else ("Ben", "2013-02-03T15:45:00Z")
        _git(repo, "commit", "-qam", f"edit {name}", author=who, date=when)
    monkeypatch.chdir(repo)
    out = tmp_path / "changes.docx"
    result = invoke("diff", "HEAD~2", "HEAD", "--format", "docx", "-o", str(out), plan=repo / "plan")
    assert result.exit_code == 0, result.stderr
    root = part(out)
    stamps = Counter(
        (el.get(f"{W}author"), el.get(f"{W}date"))
        for el in root.iter(f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")
    )
    assert set(stamps) == {("Ana", "2013-01-02T09:30:00Z"), ("Ben", "2013-02-03T15:45:00Z")}


def _nonempty(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs if p.strip()]


def test_libreoffice_sees_the_revisions_and_accepts_and_rejects_them(
    changes: Path, versions: tuple[Path, Path], tmp_path: Path
) -> None:
    """LibreOffice reads every change as a tracked change, and its Accept All / Reject All give NEW's
    and OLD's report.  Compared paragraph by paragraph, without empty ones: LibreOffice keeps an
    empty paragraph where a rejected paragraph sat between two tables, or ended the document,
    since it cannot join a paragraph to a table."""
    old, new = versions
    office = LibreOffice(tmp_path)
    flat = office.convert(changes, "fodt").read_text(encoding="utf-8")
    regions = flat.count("<text:changed-region")
    assert regions >= 20
    assert "<text:insertion>" in flat and "<text:deletion>" in flat
    (tmp_path / "new.docx").write_bytes(report(new))
    (tmp_path / "old.docx").write_bytes(report(old))
    new_saved = office.convert(tmp_path / "new.docx", "docx:MS Word 2007 XML")
    old_saved = office.convert(tmp_path / "old.docx", "docx:MS Word 2007 XML")
    accepted = office.resolve_all(changes, accept=True)
    rejected = office.resolve_all(changes, accept=False)
    assert _nonempty(texts(accepted)) == _nonempty(texts(new_saved))
    assert _nonempty(texts(rejected)) == _nonempty(texts(old_saved))

    # The review loop closed: the document accepted in LibreOffice, imported onto OLD, gives NEW.
    import shutil

    from click.testing import CliRunner

    from lgcb.cli import cli

    target = tmp_path / "plan"
    shutil.copytree(old, target)
    result = CliRunner().invoke(cli, ["--plan", str(target), "import", str(accepted), "--onto", str(target)])
    assert result.exit_code == 0, result.stderr
    assert load_plan(target).plan == load_plan(new).plan
