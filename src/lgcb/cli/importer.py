"""``lgcb import``: a Word document → a plan directory, or a reviewed Word report → edits to a plan
(core: lgcb.word.read, lgcb.word.review)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from lgcb.cli._common import emit, fail, owns_process


@click.command("import")
@click.argument("source", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    metavar="DIR",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="The plan directory to write (plan.yaml and objectives/), for a Word document.",
)
@click.option(
    "--onto",
    "onto",
    metavar="DIR",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Apply the edits of a workbook from `lgcb export --format xlsx`, or of a reviewed Word report made "
    "by lgcb, to the plan in DIR, entry by entry (by ID); only changed files are written.",
)
@click.option(
    "--changes",
    type=click.Choice(["accept", "reject", "fail"]),
    default=None,
    help="Tracked changes in the document: accept them all, reject them all, or fail (refuse the "
    "document). Default: accept with --onto; without it, a document with tracked changes is refused.",
)
@click.option(
    "--comments",
    "comments_file",
    metavar="FILE.md",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --onto: write the document's Word comments to FILE.md as a Markdown list.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="-o: overwrite a plan already in DIR. --onto: write even when the document has IDs that DIR "
    "does not (a report made from another version of the plan).",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    source: Path,
    output: Path | None,
    onto: Path | None,
    changes: str | None,
    comments_file: Path | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Import a plan kept in Word into DIR as YAML, or a reviewed report or edited workbook onto a plan.

    A Word document (.docx laid out like Annex I) is read with -o DIR.

    It reads each "Operational objective N" heading, the "Title: aim" line, the "Strategic Plan
    operational objective" line and the four-column table Outcomes | Indicators | Results/Outputs |
    Activities: one entry per bullet or paragraph, nesting from list levels or indentation, group
    headings, result numbers ("1.1"). IDs written by `lgcb render --format docx` are kept; other
    entries get IDs the way the plan assigns them. Text it cannot place is listed with where it was
    found, and the exit code is then 1 (the files are still written). Tracked changes must be
    accepted or rejected (in Word, or with --changes); text boxes, notes, comments and headers
    are not plan text and are listed, as are equations, symbols only a symbol font can show,
    phonetic guides and embedded documents or objects. A table inside a cell is read as the
    cell's paragraphs.

    With --onto DIR, FILE is a Word report made by lgcb that a reviewer edited (typing, Track
    Changes, comments): its edits are applied to the plan in DIR by ID, new bullets become new
    entries, deleted ones are removed; the change is printed as lgcb diff prints it. Exit 1 when
    something could not be applied.

    \b
    Examples:
      lgcb import annex.docx -o plan --dry-run     show what would be written
      lgcb import annex.docx -o plan               write plan/plan.yaml and plan/objectives/
      lgcb import annex.docx -o plan --force       replace the plan already there
      lgcb --plan plan validate                    then check it
      lgcb import reviewed.docx --onto plan --comments comments.md
                                                   a reviewer's edits back into the plan

    An Excel workbook written by `lgcb export --format xlsx` and edited is read back with
    --onto DIR: edited cells become edits of the entries they belong to (by ID), a row without an
    ID a new entry, a deleted row a removal. Only changed files are written, all or none, and the
    change is shown as `lgcb diff` shows it; every problem is reported by sheet and cell
    (docs/excel.md).

    \b
      lgcb import plan.xlsx --onto plan --dry-run  show what the edits change
      lgcb import plan.xlsx --onto plan            write them
    """
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        from lgcb.cli.import_workbook import import_workbook

        import_workbook(ctx, source, onto, output, dry_run)
        return
    from lgcb.word.account import UnresolvedRevisions
    from lgcb.word.read import ImportFailed, PlanExists, check_written, existing_plan, read_document, write_plan

    if (output is None) == (onto is None):
        fail(ctx, "give -o DIR (a new plan from the document) or --onto DIR (a reviewed report onto a plan)")
    if comments_file is not None and onto is None:
        fail(ctx, "--comments is for --onto (the comments of a reviewed report)")
    if onto is not None:
        _onto(ctx, source, onto, changes or "accept", comments_file, dry_run, force)
        return
    assert output is not None

    if not dry_run and existing_plan(output) and not force:
        fail(ctx, f"{output} already holds a plan ({existing_plan(output)[0].name}); use --force to overwrite it")
    try:
        result = read_document(source, changes or "fail")
    except ImportFailed as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    except UnresolvedRevisions as e:
        _unresolved(ctx, source, e)
    problems = check_written(result)
    if problems:  # the importer's own guarantee failed: say so rather than write a broken plan
        click.echo("\n".join(f"Error: {p}" for p in problems), err=True)
        ctx.exit(1)
    for finding in result.findings:
        click.echo(str(dataclasses.replace(finding, path=finding.path or source.name)), err=True)

    plan = result.plan
    entries = plan.count()
    summary = f"{len(plan.objectives)} objectives, {entries} entries"
    if dry_run:
        for name, text in result.files.items():
            emit(f"# --- {output / name}\n{text}")
        click.echo(f"Dry run: {summary}; would write {len(result.files)} files to {output}.", err=True)
    else:
        try:
            written, removed = write_plan(result, output, force=force)
        except PlanExists as e:
            fail(ctx, str(e))
        except OSError as e:
            click.echo(f"Error: cannot write to {output}: {e.strerror or e}", err=True)
            ctx.exit(1)
        for path in written:
            click.echo(f"wrote {path}")
        for path in removed:
            click.echo(f"removed {path} (not in the imported document)")
        click.echo(f"Imported {source.name}: {summary}. Check it with: lgcb --plan {output} validate")
    errors = result.errors
    if errors:
        count = f"{len(errors)} pieces of text" if len(errors) != 1 else "1 piece of text"
        click.echo(
            f"{count} could not be placed (listed above): add {'them' if len(errors) != 1 else 'it'} "
            "to the YAML by hand, or fix the document and import again.",
            err=True,
        )
        ctx.exit(1)


def _unresolved(ctx: click.Context, source: Path, error: object) -> None:
    from lgcb.word.account import describe

    revisions = error.revisions  # type: ignore[attr-defined]
    for revision in revisions:
        click.echo(
            f"{source.name}: {revision.where}: error: tracked change not accepted or rejected: {describe(revision)}",
            err=True,
        )
    click.echo(
        f"{source.name} has {len(revisions)} tracked change{'s' * (len(revisions) != 1)}: accept or reject "
        "them in Word (Review > Accept > Accept All Changes) and import again, or pass --changes accept "
        "(or --changes reject).",
        err=True,
    )
    ctx.exit(1)


def _onto(
    ctx: click.Context,
    source: Path,
    plan_dir: Path,
    changes: str,
    comments_file: Path | None,
    dry_run: bool,
    force: bool,
) -> None:
    """``--onto``: a reviewed report's edits onto the plan in DIR."""
    from lgcb.checks.problem import summary
    from lgcb.fileio import display_path
    from lgcb.outputs import output
    from lgcb.outputs.problems import text as report
    from lgcb.results.diff import diff_plans
    from lgcb.word.account import UnresolvedRevisions
    from lgcb.word.read import ImportFailed
    from lgcb.word.review import NotMadeByLgcb, PlanInvalid, comments_markdown, review_onto

    name = source.name
    try:
        review = review_onto(source, plan_dir, changes, freeze=owns_process(ctx))  # type: ignore[arg-type]
    except PlanInvalid as e:
        click.echo(f"The plan in {plan_dir} is not valid:", err=True)
        click.echo(report(e.problems), err=True, nl=False)
        click.echo(f"{summary(e.problems)} Fix it (lgcb validate) before applying a review to it.", err=True)
        ctx.exit(1)
    except NotMadeByLgcb as e:
        click.echo(
            f"Error: {e}: this is not a Word report made by lgcb with IDs (its entries carry none such as 3.R1; "
            "a report rendered with --no-ids has none either), so it cannot be applied entry by entry. Import it "
            f"as a plan of its own: lgcb import {name} -o DIR",
            err=True,
        )
        ctx.exit(1)
    except ImportFailed as e:
        click.echo(f"Error: {e}", err=True)
        ctx.exit(1)
    except UnresolvedRevisions as e:
        _unresolved(ctx, source, e)
    prepared = review.result.prepared
    for finding in review.findings:
        click.echo(str(dataclasses.replace(finding, path=finding.path or name)), err=True)
    for line in review.refused:
        click.echo(f"{name}: {line}", err=True)
    for conflict in review.conflicts:
        click.echo(f"{name}: conflict: {conflict}", err=True)
    if prepared.revisions or prepared.refused:
        verb = "accepted" if changes == "accept" else "rejected"
        applied = len(prepared.revisions)
        refused = f", {len(prepared.refused)} not applied" if prepared.refused else ""
        click.echo(f"Tracked changes: {applied} {verb}{refused} (listed above).", err=True)
    if review.comments:
        click.echo(f"Comments ({len(review.comments)}):")
        for c in review.comments:
            by = f" ({c.author})" if c.author else ""
            click.echo(f"  {c.anchor}{by}: {' '.join(c.text.split())}")
    if comments_file is not None and not dry_run:
        from lgcb.fileio import write_atomic

        try:
            write_atomic(comments_file, comments_markdown(review.comments, name).encode("utf-8"))
        except OSError as e:
            click.echo(f"Error: cannot write {comments_file}: {e.strerror or e}", err=True)
            ctx.exit(1)
        count = len(review.comments)
        click.echo(f"wrote {comments_file} ({count} comment{'s' * (count != 1)})", err=True)

    onto = review.onto
    failed = bool(review.result.errors or review.refused or review.conflicts)
    shown = display_path(plan_dir)
    if onto.empty:
        click.echo(f"No changes: the plan in {shown} already says what {name} says.")
        ctx.exit(1 if failed else 0)
    emit(output("diff", "text", diff_plans(onto.before, onto.after, shown, name)))
    if not onto.ok:
        click.echo(report(onto.problems), err=True, nl=False)
        click.echo(f"{summary(onto.problems)} The edited plan would not be valid: nothing written.", err=True)
        ctx.exit(1)
    if review.conflicts and not force:
        click.echo(
            f"Nothing written: {len(review.conflicts)} conflict{'s' * (len(review.conflicts) != 1)} (listed above). "
            f"Make the report again from the plan in {shown} (lgcb render --format docx), or use --force to "
            "apply the document as it is.",
            err=True,
        )
        ctx.exit(1)
    if dry_run:
        click.echo(f"Dry run: would write {len(onto.files)} file{'s' * (len(onto.files) != 1)}.", err=True)
        ctx.exit(1 if failed else 0)
    try:
        paths = onto.write()
    except OSError as e:
        click.echo(f"Error: cannot write to {shown}: {e.strerror or e}; nothing was changed", err=True)
        ctx.exit(1)
    for path in paths:
        click.echo(f"{'removed' if onto.files[path] is None else 'wrote'} {display_path(path)}", err=True)
    ctx.exit(1 if failed else 0)
