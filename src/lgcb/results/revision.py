"""The two sides of ``lgcb diff``: a plan directory, or the plan as it was in a git revision.

A revision is read without touching the working tree or the index: ``git rev-parse`` finds the
commit, ``git ls-tree`` lists the plan's files in it and one ``git cat-file --batch`` reads them
into a temporary directory, which :func:`~lgcb.checks.load.load_plan` then reads like any plan.
Problems found there are reported at ``REV:plan/objectives/03-….yaml:12:5``, the name
``git show`` understands.  git runs as a list of arguments, never through a shell.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lgcb.checks.load import load_plan
from lgcb.checks.problem import Problem
from lgcb.fileio import display_path
from lgcb.model import Objective, Plan
from lgcb.planfile.layout import OBJECTIVES_DIR, PLAN_FILE
from lgcb.results.diff import PlanDiff, diff_plans


class SideError(Exception):
    """A side cannot be read (no such directory or revision, no plan there, no git): a usage error."""


@dataclass
class InvalidSide(Exception):
    """A side holds a plan with errors: its problems, already located for the user."""

    role: str
    label: str
    problems: list[Problem]


@dataclass
class Side:
    """One side of a comparison, and where its files are in git when it is a revision."""

    label: str
    plan: Plan
    commit: str | None = None
    files: dict[int, str] = field(default_factory=dict)
    """Objective number → its file's path in the repository (for a revision)."""
    info_file: str = PLAN_FILE


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise SideError(
            "git is not installed: install git to compare revisions, or give two plan directories"
        ) from None


def repository_top(cwd: Path) -> Path:
    result = _git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise SideError(
            f"not inside a git repository ({cwd.resolve()}): to compare with a revision, run lgcb "
            "inside the repository that holds the plan; or give two plan directories"
        )
    return Path(result.stdout.decode("utf-8").strip())


def resolve_revision(revision: str, top: Path) -> str:
    """The commit ``revision`` names (a branch, tag, ``HEAD~1``, a hash…)."""
    if revision.startswith("-") or not revision.strip():
        raise SideError(f"no such revision: {revision}")
    result = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    if result.returncode != 0:
        raise SideError(
            f"no such revision: {revision} (neither a plan directory nor a branch, tag or commit of the "
            f"repository at {top})"
        )
    return result.stdout.decode("ascii").strip()


def plan_path_in_repository(plan_dir: Path, top: Path) -> PurePosixPath:
    """Where the working plan sits inside the repository: the same path is read from revisions."""
    try:
        return PurePosixPath(plan_dir.resolve().relative_to(top.resolve()).as_posix())
    except ValueError:
        raise SideError(
            f"the plan in use ({display_path(plan_dir)}) is not inside the git repository at "
            f"{top}: run lgcb from the repository that holds the plan, or use --plan"
        ) from None


def export_revision(top: Path, commit: str, plan_rel: PurePosixPath, target: Path, revision: str) -> None:
    """Lay out the plan at ``plan_rel`` in ``commit`` under ``target`` as it would be checked out.

    Every entry of the plan directory's top, ``objectives/`` and ``progress/`` is laid out, so the
    revision is checked exactly as a working copy is: a link stays a link (and one leading out of
    the plan is refused), a submodule becomes a folder (reported), a file that is not a plan file is
    reported.  Sizes come from ``git ls-tree -l`` first: a blob over the plan-file cap is never read
    (it is laid out as an empty file of its size, which the reader refuses unread).
    """
    from lgcb.planfile.layout import PROGRESS_DIR
    from lgcb.planfile.read import MAX_FILE_BYTES

    spec = [] if str(plan_rel) == "." else ["--", f"{plan_rel}/"]
    listing = _git(["--literal-pathspecs", "ls-tree", "-r", "-l", "-z", commit, *spec], top)
    if listing.returncode != 0:
        raise SideError(f"cannot list the files of {revision}: {listing.stderr.decode('utf-8', 'replace').strip()}")
    blobs: list[tuple[str, Path]] = []
    """(blob hash, where to write it) for the files small enough to be read."""
    links: list[tuple[str, Path]] = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, sha, size = meta.decode("ascii").split()
        inner = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        relative = inner.relative_to(plan_rel) if str(plan_rel) != "." else inner
        parts = relative.parts
        if not (len(parts) == 1 or (len(parts) == 2 and parts[0] in (OBJECTIVES_DIR, PROGRESS_DIR))):
            continue
        if parts[0].startswith(".") or (len(parts) == 2 and parts[1].startswith(".")):
            continue
        path = target.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "commit":  # a submodule: checked out, it is a folder
            path.mkdir(exist_ok=True)
        elif mode == "120000":
            links.append((sha, path))
        elif kind == "blob" and int(size) > MAX_FILE_BYTES:
            with path.open("wb") as handle:
                handle.truncate(int(size))  # sparse: refused by its size without the blob being read
        elif kind == "blob":
            blobs.append((sha, path))
    where = f"{plan_rel}/" if str(plan_rel) != "." else "the top of the repository"
    if target / PLAN_FILE not in {path for _, path in blobs + links} and not (target / PLAN_FILE).exists():
        raise SideError(
            f"{revision} has no plan at {where}: {plan_rel / PLAN_FILE} is not in that revision "
            "(is the revision older than the plan, or was the plan elsewhere then?)"
        )
    wanted = blobs + links
    batch = _git(["cat-file", "--batch"], top, stdin="".join(f"{sha}\n" for sha, _ in wanted).encode("ascii"))
    if batch.returncode != 0:
        raise SideError(f"cannot read the files of {revision}: {batch.stderr.decode('utf-8', 'replace').strip()}")
    (target / OBJECTIVES_DIR).mkdir(parents=True, exist_ok=True)
    data, offset = batch.stdout, 0
    link_paths = {path for _, path in links}
    for _, path in wanted:
        header_end = data.index(b"\n", offset)
        length = int(data[offset:header_end].split()[2])
        content = data[header_end + 1 : header_end + 1 + length]
        if path in link_paths:
            path.symlink_to(content.decode("utf-8", "surrogateescape"))
        else:
            path.write_bytes(content)
        offset = header_end + 1 + length + 1


def _relocate(problems: list[Problem], root: Path, prefix: str) -> list[Problem]:
    """Problems in the temporary copy, renamed to ``REV:plan/…`` so the user can find the file."""
    roots = {root.absolute(), root.resolve()}
    out = []
    for p in problems:
        inner = None
        for base in roots:  # a link in the revision is named by where it is, not where it leads
            try:
                inner = Path(p.path).absolute().relative_to(base).as_posix()
                break
            except ValueError:
                continue
        if inner is None:
            out.append(p)
            continue
        out.append(dataclasses.replace(p, path=f"{prefix}{inner}"))
    return out


def _load(
    directory: Path,
    role: str,
    label: str,
    rename: tuple[Path, str] | None = None,
    reuse: dict[str, Objective] | None = None,
) -> Side:
    result = load_plan(directory, reuse=reuse)
    if result.plan is None:
        problems = _relocate(result.problems, *rename) if rename else result.problems
        raise InvalidSide(role, label, problems)
    return Side(label, result.plan, files={n: str(doc.path) for n, doc in result.documents.items()})


def read_side(
    argument: str | None, role: str, working_plan: Path, cwd: Path, reuse: dict[str, Objective] | None = None
) -> Side:
    """``argument`` as a plan directory if one exists by that name, else as a git revision; ``None``
    is the working plan.  ``reuse`` is shared between the sides of one comparison (see
    :func:`~lgcb.checks.load.load_plan`): the files they have in common are read once."""
    if argument is None:
        return _load(working_plan, role, f"{display_path(working_plan)} (working copy)", reuse=reuse)
    directory = cwd / argument
    if directory.is_dir():
        if (directory / PLAN_FILE).is_file():
            return _load(directory, role, argument, reuse=reuse)
        if (directory / "plan" / PLAN_FILE).is_file():
            return _load(directory / "plan", role, argument, reuse=reuse)
        raise SideError(f"{argument} is a directory but holds no plan: expected {argument}/{PLAN_FILE}")
    try:
        top = repository_top(cwd)
        commit = resolve_revision(argument, top)
    except SideError:
        if directory.is_file():
            raise SideError(
                f"{argument} is a file: give a plan directory (holding {PLAN_FILE}) or a git revision"
            ) from None
        raise
    plan_rel = plan_path_in_repository(working_plan, top)
    with tempfile.TemporaryDirectory(prefix="lgcb-diff-") as tmp:
        target = Path(tmp)
        export_revision(top, commit, plan_rel, target, argument)
        prefix = f"{argument}:{plan_rel}/" if str(plan_rel) != "." else f"{argument}:"
        side = _load(target, role, argument, (target, prefix), reuse)
        files = {
            n: str(plan_rel / PurePosixPath(Path(p).relative_to(target).as_posix())) for n, p in side.files.items()
        }
        return Side(argument, side.plan, commit, files, str(plan_rel / PLAN_FILE))


def compare(old: str, new: str | None, working_plan: Path, cwd: Path | None = None) -> PlanDiff:
    """``lgcb diff OLD [NEW]``: read both sides (NEW defaults to the working plan) and diff them.

    Raises :class:`SideError` when a side cannot be read and :class:`InvalidSide` when it holds an
    invalid plan.
    """
    cwd = cwd or Path.cwd()
    reuse: dict[str, Objective] = {}
    before = read_side(old, "old", working_plan, cwd, reuse)
    after = read_side(new, "new", working_plan, cwd, reuse)
    return diff_plans(before.plan, after.plan, before.label, after.label)
