"""The ``lgcb`` command: global options, and subcommands loaded only when they run.

Each subcommand lives in its own module and is imported on demand, so ``lgcb --help`` and
``lgcb validate`` do not pay for what they do not use.  To add a command, add one line to
``COMMANDS``.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from lgcb import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("lgcb.cli.browse:list_command", "List the objectives with their Strategic Plan link and item counts."),
    "show": ("lgcb.cli.browse:show", "Show an objective or a single item, with IDs."),
    "search": ("lgcb.cli.browse:search", "Search all items, ignoring case and accents."),
    "validate": ("lgcb.cli.check:validate", "Check the plan files and report every problem."),
    "coverage": ("lgcb.cli.coverage:coverage", "Score how complete, aligned and monitorable the plan is."),
    "progress": (
        "lgcb.cli.progress:progress",
        "Show the indicators' baselines, latest values, targets, status; collect values in forms.",
    ),
    "diff": ("lgcb.cli.diff:diff", "Show what changed in the plan, entry by entry, since a revision."),
    "render": ("lgcb.cli.render:render", "Publish the plan as Markdown, HTML or a Word document."),
    "export": ("lgcb.cli.export:export", "Export the whole plan as an Excel workbook, CSV or JSON."),
    "import": ("lgcb.cli.importer:import_command", "Import a plan from Word (.docx), or edits made in a workbook."),
    "fmt": ("lgcb.cli.fmt:fmt", "Lay out the plan files in the one canonical way, keeping comments."),
    "schema": ("lgcb.cli.schema:schema", "Write the JSON Schema of the plan files, for editors."),
}
"""Command name → ("module:attribute", one-line help shown by ``lgcb --help``)."""


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target[0].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_text) for name, (_, help_text) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--plan",
    "plan",
    metavar="DIR",
    type=click.Path(file_okay=True, dir_okay=True),
    help="The plan directory (holding plan.yaml and objectives/). Default: $LGCB_PLAN, else the nearest "
    "plan/ found from the current directory up (as git finds .git), else the plan shipped with lgcb.",
)
@click.version_option(__version__, "-V", "--version", prog_name="lgcb", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, plan: str | None) -> None:
    """Keep the results-oriented capacity-building action plan for biosafety as data.

    \b
    Examples:
      lgcb list                    the eight objectives at a glance
      lgcb show objective 3        one objective, all four columns
      lgcb show 3.R1               one item by its ID
      lgcb search "risk assessment"
      lgcb validate                check every plan file
      lgcb coverage                how complete and monitorable the plan is
      lgcb render --format html -o action-plan.html

    Shell completion (bash): eval "$(_LGCB_COMPLETE=bash_source lgcb)"; use zsh_source or
    fish_source for those shells.
    """
    ctx.ensure_object(dict)["plan"] = plan


def main(argv: list[str] | None = None) -> Any:
    """Entry point: click's own handling, plus a last guard so no traceback reaches a user.

    ``own_process`` tells the commands that lgcb owns the process and may tune it (see
    ``_common.load_result``), which it may not when it runs inside a test runner.

    Pydantic plugins installed in the environment (telemetry, say) are not loaded unless
    ``PYDANTIC_DISABLE_PLUGINS`` is set by the user: a plugin would see every plan text validated,
    could change what validation accepts, and finding plugins scans every installed package's
    metadata on each run.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        return cli.main(args=argv, prog_name="lgcb", obj={"own_process": True})
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as e:  # pragma: no cover - the guard of last resort
        if os.environ.get("LGCB_DEBUG"):
            raise
        click.echo(
            f"lgcb: internal error: {type(e).__name__}: {e}\n"
            "This is a bug in lgcb; run again with LGCB_DEBUG=1 for details and report it.",
            err=True,
        )
        sys.exit(3)
