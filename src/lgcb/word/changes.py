"""``lgcb diff --format docx``: a revision of the plan as NEW's Word report with tracked changes.

Both sides are rendered through the normal Word renderer (same template, same options) and
:func:`lgcb.word.revisions.revision_document` turns the difference into Word revisions.  Each
revision says who made the change and when: when both sides are git revisions, the author and
date of the last commit between them that touched the file the change is in (one ``git log`` per
changed file, not per entry); otherwise ``--author`` and the current time.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lgcb.memory import collector_paused, freeze_for_the_process
from lgcb.model import Objective
from lgcb.render import RenderOptions
from lgcb.results.diff import PlanDiff, diff_plans
from lgcb.results.revision import Side, read_side, repository_top
from lgcb.word.revisions import RevisionDocument, Stamp, Stamper, revision_document

DEFAULT_AUTHOR = "lgcb"


def word_date(moment: dt.datetime) -> str:
    """A revision date as Word writes it: UTC, to the second, with a Z."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def fixed_stamper(author: str, now: dt.datetime | None = None) -> Stamper:
    stamp = Stamp(author, word_date(now or dt.datetime.now(dt.timezone.utc)))
    return lambda _objective: stamp


def git_stamper(top: Path, old: Side, new: Side, fallback: Stamp) -> Stamper:
    """The last commit between OLD and NEW that touched the file a change is in (cached per file)."""
    cache: dict[int | None, Stamp] = {}

    def log(paths: list[str]) -> Stamp | None:
        spec = f"{old.commit}..{new.commit}"
        args = ["git", "--literal-pathspecs", "log", "-1", "--format=%an%x00%at", spec, "--", *paths]
        result = subprocess.run(args, cwd=top, capture_output=True, check=False)
        out = result.stdout.decode("utf-8", "replace").strip()
        if result.returncode != 0 or "\0" not in out:
            return None
        name, _, seconds = out.partition("\0")
        return Stamp(name, word_date(dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc)))

    def stamp(objective: int | None) -> Stamp:
        if objective not in cache:
            if objective is None:
                paths = [new.info_file]
            else:
                paths = sorted({p for p in (new.files.get(objective), old.files.get(objective)) if p})
            found = log(paths) if paths else None
            if found is None:  # e.g. a change shown in a computed section: the plan's last commit
                found = log([str(PurePosixPath(new.info_file).parent)]) or fallback
            cache[objective] = found
        return cache[objective]

    return stamp


@dataclass(frozen=True)
class Changes:
    diff: PlanDiff
    document: RevisionDocument | None
    """None when the plans are the same."""


def revision_report(
    old: str,
    new: str | None,
    working_plan: Path,
    options: RenderOptions,
    author: str = DEFAULT_AUTHOR,
    cwd: Path | None = None,
    now: dt.datetime | None = None,
    *,
    freeze: bool = False,
) -> Changes:
    """Read both sides, compare them, and when they differ render NEW's report with tracked changes.

    ``freeze``: the process keeps both plans to its end (lgcb's own process), so they are moved out
    of the garbage collector's sight once read, and the collector stops: its passes over them, and
    over what the rendering and aligning that follow make, would cost seconds on a large plan."""
    from lgcb.render import checked_options
    from lgcb.render.docx import render as render_docx
    from lgcb.word.revisions import Kept

    cwd = cwd or Path.cwd()
    reuse: dict[str, Objective] = {}  # the files both sides share are read once
    before = read_side(old, "old", working_plan, cwd, reuse)
    after = read_side(new, "new", working_plan, cwd, reuse)
    del reuse
    if freeze:
        freeze_for_the_process()
    diff = diff_plans(before.plan, after.plan, before.label, after.label)
    if diff.empty:
        return Changes(diff, None)
    stamper: Callable[[int | None], Stamp] = fixed_stamper(author, now)
    if before.commit and after.commit:
        stamper = git_stamper(repository_top(cwd), before, after, stamper(None))
    # each plan is let go once rendered: from here on the two reports are all that is needed; their
    # bodies' blocks are taken as rendered, not zipped into the packages to be read out again.  NEW
    # is rendered first: OLD's blocks written like one of NEW's share what was kept of it.
    new_kept = Kept(indexed=True)
    new_docx = render_docx(after.plan, checked_options(after.plan, options), new_kept)
    after.plan = None  # type: ignore[assignment]
    old_kept = Kept(like=new_kept)
    old_docx = render_docx(before.plan, checked_options(before.plan, options), old_kept)
    before.plan = None  # type: ignore[assignment]
    with collector_paused():  # aligning two large reports makes hundreds of thousands of objects, no cycles
        document = revision_document(old_docx, new_docx, stamper, old_kept, new_kept)
    return Changes(diff, document)
