"""``lgcb list``, ``lgcb show`` and ``lgcb search``: reading the plan at a terminal or in a script."""

from __future__ import annotations

import difflib
import json

import click

from lgcb.cli._common import fail, load, print_lines, print_table, write_stdout


@click.command("list")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
@click.pass_context
def list_command(ctx: click.Context, fmt: str) -> None:
    """List the objectives with their Strategic Plan link and item counts.

    \b
    Example:
      lgcb list
    """
    from lgcb.outputs.show import LIST_HEADERS, list_view
    from lgcb.results.query import counts

    plan = load(ctx)
    if fmt == "json":
        data = [
            {
                "number": o.number,
                "title": o.title,
                "strategic_plan_objective": o.strategic_plan_objective,
                "counts": counts(o),
            }
            for o in plan.objectives
        ]
        write_stdout(json.dumps(data, indent=2, ensure_ascii=False))
        return
    print_table(LIST_HEADERS, list_view(plan), numeric={0, 3, 4, 5, 6})


_KIND_WORDS = {"outcome", "indicator", "result", "activity", "group", "item"}


def _dump(data: object, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


@click.command()
@click.argument("what", nargs=-1, required=True, metavar="[objective N | result N.N | KIND ID | ID]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
    help="Output format; json and yaml are for scripts.",
)
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
    from lgcb.outputs.show import item_view, objective_view
    from lgcb.results.query import find_item, find_result

    plan = load(ctx)
    words = [w for w in what]
    kind = words[0].lower() if len(words) == 2 and words[0].lower() in {"objective", *_KIND_WORDS} else None
    if len(words) == 2 and kind is None:
        fail(ctx, f"unknown kind {words[0]!r}: use objective, outcome, indicator, result, activity, group or item")
    if len(words) > 2:
        fail(ctx, "give one objective or one item, e.g. `lgcb show objective 3` or `lgcb show 3.R1`")
    target = words[-1]

    if kind == "objective" or (kind is None and target.isdigit()):
        if not target.isdigit():
            fail(ctx, f"objective numbers are whole numbers, not {target!r}")
        objective = plan.objective(int(target))
        if objective is None:
            numbers = ", ".join(str(o.number) for o in plan.objectives)
            fail(ctx, f"there is no objective {target} in the plan (objectives: {numbers})")
        if fmt == "text":
            print_lines(objective_view(plan, objective))
        else:
            write_stdout(_dump(objective.model_dump(mode="json", exclude_defaults=True), fmt))
        return

    located = find_result(plan, target) if kind == "result" else find_item(plan, target)
    if located is None or (kind not in (None, "item", "result") and located.kind != kind):
        ids = [other.id for other in plan.walk()]
        close = difflib.get_close_matches(target.upper(), [i.upper() for i in ids], n=1, cutoff=0.6)
        suggestion = next((i for i in ids if close and i.upper() == close[0]), None)
        hint = f"; did you mean {suggestion}?" if suggestion else "; `lgcb search TEXT` finds items by their words"
        label = kind if kind not in (None, "item") else "item"
        fail(ctx, f"there is no {label} {target} in the plan{hint}")
    if fmt == "text":
        print_lines(item_view(plan, located))
    else:
        data = {
            "objective": located.objective.number,
            "column": located.column,
            "kind": located.kind,
            "parent": located.parent,
            **located.entry.model_dump(mode="json", exclude_defaults=True),
        }
        write_stdout(_dump(data, fmt))


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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
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
    from lgcb.outputs.show import search_view
    from lgcb.results.query import search as run_search

    plan = load(ctx)
    unknown = [n for n in objectives if plan.objective(n) is None]
    if unknown:
        fail(ctx, f"there is no objective {unknown[0]} in the plan")
    query = " ".join(text)
    matches = run_search(plan, query, kinds=tuple(k.lower() for k in kinds), objectives=objectives)
    if fmt == "json":
        data = [
            {
                "id": m.located.id,
                "kind": m.located.kind,
                "objective": m.located.objective.number,
                "text": m.located.text,
                "spans": [list(s) for s in m.spans],
            }
            for m in matches
        ]
        write_stdout(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not matches:
        click.echo(f"No item matches {query!r}.", err=True)
        return
    print_lines(search_view(matches))
    click.echo(f"{len(matches)} match{'es' * (len(matches) != 1)}.", err=True)
