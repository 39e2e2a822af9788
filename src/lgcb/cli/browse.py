"""``lgcb list``, ``lgcb show`` and ``lgcb search``: reading the plan at a terminal or in a script."""

from __future__ import annotations

import click

from lgcb.cli._common import check_objectives, emit, fail, format_option, load
from lgcb.outputs import output


@click.command("list")
@format_option("list")
@click.pass_context
def list_command(ctx: click.Context, fmt: str) -> None:
    """List the objectives with their Strategic Plan link and item counts.

    \b
    Example:
      lgcb list
    """
    emit(output("list", fmt, load(ctx)))


_KIND_WORDS = {"outcome", "indicator", "result", "activity", "group", "item"}


@click.command()
@click.argument("what", nargs=-1, required=True, metavar="[objective N | result N.N | KIND ID | ID]")
@format_option("show")
@click.pass_context
def show(ctx: click.Context, what: tuple[str, ...], fmt: str) -> None:
    """Show an objective or a single item, with IDs.

    IDs are case-insensitive. A result can also be named by the source's number.

    \b
    Examples:
      lgcb show objective 3
      lgcb show 3           (the same)
      lgcb show 3.R1
      lgcb show result 3.1
      lgcb show 1.a1 --format json
    """
    from lgcb.results.query import find_item, find_result

    plan = load(ctx)
    words = list(what)
    kind = words[0].lower() if len(words) == 2 and words[0].lower() in {"objective", *_KIND_WORDS} else None
    if len(words) == 2 and kind is None:
        fail(ctx, f"unknown kind {words[0]!r}: use objective, outcome, indicator, result, activity, group or item")
    if len(words) > 2:
        fail(ctx, "give one objective or one item, e.g. `lgcb show objective 3` or `lgcb show 3.R1`")
    target = words[-1]

    if kind == "objective" or (kind is None and target.isdigit()):
        if not target.isdigit():
            fail(ctx, f"objective numbers are whole numbers, not {target!r}")
        check_objectives(ctx, plan, [int(target)])
        objective = plan.objective(int(target))
        assert objective is not None
        emit(output("show", fmt, objective, plan=plan))
        return

    located = find_result(plan, target) if kind == "result" else find_item(plan, target)
    if located is not None and kind not in (None, "item", "result") and located.kind != kind:
        actual = "a group heading" if located.kind == "group" else f"an {located.kind}"
        wanted = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        fail(ctx, f"{located.id} is {actual}, not {wanted}: `lgcb show {located.id}` shows it")
    if located is None:
        from lgcb.ids import suggest

        suggestion = suggest(target, [other.id for other in plan.walk()])
        hint = f"; did you mean {suggestion}?" if suggestion else "; `lgcb search TEXT` finds items by their words"
        label = kind if kind not in (None, "item") else "item"
        fail(ctx, f"there is no {label} {target} in the plan{hint}")
    emit(output("show", fmt, located, plan=plan))


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["outcome", "indicator", "result", "activity", "group"], case_sensitive=False),
    help="Only items of this kind (repeatable).",
)
@click.option(
    "--objective",
    "objectives",
    multiple=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Only items of objective N (repeatable).",
)
@format_option("search")
@click.pass_context
def search(
    ctx: click.Context, text: tuple[str, ...], kinds: tuple[str, ...], objectives: tuple[int, ...], fmt: str
) -> None:
    """Search all items, ignoring case and accents.

    Every word must occur in an item's text; matches are highlighted on a terminal.

    \b
    Examples:
      lgcb search risk assessment
      lgcb search BCH --kind indicator
      lgcb search training --objective 2 --objective 7 --format json
    """
    from lgcb.results.query import search as run_search

    plan = load(ctx)
    check_objectives(ctx, plan, objectives)
    query = " ".join(text)
    matches = run_search(plan, query, kinds=tuple(k.lower() for k in kinds), objectives=objectives)
    if fmt == "text" and not matches:
        click.echo(f"No item matches {query!r}.", err=True)
        return
    emit(output("search", fmt, matches))
    if fmt == "text":
        click.echo(f"{len(matches)} match{'es' * (len(matches) != 1)}.", err=True)
