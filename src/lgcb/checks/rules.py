"""Every rule lgcb checks, in one registry: its name, level, what it means and how to fix it.

``docs/rules.md`` is generated from this table (``cog -r docs/rules.md``), and a test fails when the
page is stale or when a problem names a rule that is not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lgcb.checks.problem import Level


@dataclass(frozen=True)
class Rule:
    name: str
    level: Level
    stage: str
    """Which part of lgcb reports it: see :data:`STAGES`."""
    summary: str
    fix: str
    check: str | None = None
    """For coverage rules: the coverage check whose score the rule explains."""


STAGES: dict[str, str] = {
    "read": "Reading a file (`lgcb validate`, every command)",
    "fields": "The fields of each file (`lgcb validate`)",
    "plan": "Rules across entries and files (`lgcb validate`)",
    "monitoring": "Monitoring data: indicator fields and `progress/` files (`lgcb validate`)",
    "coverage": "Coverage: complete, aligned, monitorable (`lgcb coverage`)",
    "import": "Reading a Word document (`lgcb import`)",
    "write": "Writing files (`lgcb fmt`, `lgcb import`, every command that writes)",
}

_RULES = [
    # read
    Rule(
        "unreadable",
        "error",
        "read",
        "The file cannot be read (permissions, a broken link, not a regular file).",
        "Check that the file exists, is a regular file and can be read.",
    ),
    Rule(
        "file-too-large",
        "error",
        "read",
        "The file is larger than a plan file can be (1 MiB).",
        "Split the content into one file per objective, or remove what does not belong in the plan.",
    ),
    Rule(
        "encoding",
        "error",
        "read",
        "The file is not valid UTF-8.",
        "Save the file with UTF-8 encoding (in Notepad: Save as, Encoding: UTF-8).",
    ),
    Rule(
        "yaml-syntax",
        "error",
        "read",
        "The file is not valid YAML: the message says what YAML could not read.",
        "Correct the line shown; text with ': ' or starting with a special character goes in quotes.",
    ),
    Rule(
        "alias",
        "error",
        "read",
        "An anchor (`&name`) or alias (`*name`) is used: plan files write every text out.",
        "Write the text out in full; a text that starts with `&` or `*` goes in quotes.",
    ),
    Rule(
        "tag",
        "error",
        "read",
        "A YAML tag (`!name`, `!!str`) is used: it changes how the text is read, and plan files use none.",
        "Put the text in quotes, or remove the tag.",
    ),
    Rule(
        "directive",
        "error",
        "read",
        "A YAML directive (`%YAML`, `%TAG`) is used; plan files use none.",
        "Remove the line.",
    ),
    Rule(
        "comment-in-text",
        "error",
        "read",
        "A ` #` followed by a word or number after a text (`#1 priority`) starts a YAML comment, so the words "
        "after it would not be read.",
        "Put the whole text in quotes if the words belong to it; move a note to a line of its own.",
    ),
    Rule(
        "indentation",
        "error",
        "read",
        "A non-breaking or other special space is used for indentation, which YAML reads as text.",
        "Replace it with an ordinary space.",
    ),
    Rule(
        "too-many-problems",
        "error",
        "read",
        "A file has more problems than are listed one by one; the rest are counted.",
        "Fix the problems listed (often one mistake repeated) and validate again.",
    ),
    Rule(
        "link-outside",
        "error",
        "plan",
        "A plan file is a link to a file outside the plan directory.",
        "Replace the link with the file itself, inside the plan directory.",
    ),
    Rule(
        "duplicate-key",
        "error",
        "read",
        "A field appears twice in the same mapping, so one value would be lost.",
        "Keep one of the two fields; if they belong to two list items, start the second with `- `.",
    ),
    Rule("empty-file", "error", "read", "The file holds nothing.", "Write the file's fields, or remove the file."),
    Rule(
        "not-a-mapping",
        "error",
        "read",
        "The file holds a list or a single value instead of `name: value` fields.",
        "Start the file with its fields (`number:`, `title:` …) as the shipped files do.",
    ),
    # fields
    Rule("missing-field", "error", "fields", "A required field is missing.", "Add the field named in the message."),
    Rule(
        "unknown-field",
        "error",
        "fields",
        "A field the plan does not know (often a misspelling).",
        "Use the suggested name, or remove the field.",
    ),
    Rule(
        "text-expected",
        "error",
        "fields",
        "YAML reads the value as a number, date or yes/no, but it is text.",
        "Put the text in quotes, as the message shows.",
    ),
    Rule("empty-text", "error", "fields", "A text field is empty.", "Write the text, or remove the entry."),
    Rule(
        "wrong-type",
        "error",
        "fields",
        "A value of the wrong kind (a list where text belongs, and so on).",
        "Write the value in the form the message gives.",
    ),
    Rule(
        "invalid-value",
        "error",
        "fields",
        "A value outside what the field allows (a number out of range, an unknown measure…).",
        "Use one of the values the message lists.",
    ),
    Rule(
        "id-format",
        "error",
        "plan",
        "An ID does not have the form `<objective>.<letter><n>` for its kind.",
        "Write the ID as the message shows, e.g. 3.R1 for a result of objective 3.",
    ),
    # plan
    Rule(
        "no-plan-file",
        "error",
        "plan",
        "The plan directory has no `plan.yaml`.",
        "Add plan.yaml (see the shipped plan), or point --plan at the right directory.",
    ),
    Rule(
        "no-objectives",
        "error",
        "plan",
        "The plan has no objective files in `objectives/`.",
        "Add one file per objective, named NN-title.yaml.",
    ),
    Rule(
        "not-a-plan-file",
        "error",
        "plan",
        "A file or folder in `objectives/` or `progress/` that lgcb does "
        "not read as a plan file, so its content would be left out.",
        "Rename it to NN-title.yaml (objectives) or YEAR.yaml (progress), or move it out of the plan.",
    ),
    Rule(
        "duplicate-objective",
        "error",
        "plan",
        "Two files have the same objective number.",
        "Give each objective its own number.",
    ),
    Rule(
        "file-name",
        "error",
        "plan",
        "An objective file's name does not start with its number.",
        "Rename the file as the message shows.",
    ),
    Rule(
        "duplicate-id",
        "error",
        "plan",
        "An ID is used twice in the plan (IDs are compared ignoring case).",
        "Give one of the entries a new ID.",
    ),
    Rule(
        "nesting-depth",
        "error",
        "plan",
        "Entries nest too deep, or a group heading is nested.",
        "Move the entry up a level.",
    ),
    Rule(
        "unknown-reference",
        "error",
        "plan",
        "A link (`serves`, `measures`) names an ID that is not in the plan, or an entry of the wrong kind.",
        "Use the ID of an existing result (serves) or outcome (measures).",
    ),
    Rule(
        "unknown-strategic-objective",
        "error",
        "plan",
        "An objective serves a Strategic Plan objective that plan.yaml does not declare.",
        "Correct `strategic_plan_objective`, or declare the objective in plan.yaml.",
        check="alignment",
    ),
    Rule(
        "duplicate-strategic-objective",
        "error",
        "plan",
        "plan.yaml lists a Strategic Plan objective twice.",
        "Keep one of the two.",
    ),
    # monitoring
    Rule(
        "measure-value",
        "error",
        "monitoring",
        "A baseline, target or observed value does not fit the "
        "indicator's measure (a text for a number, a percentage over 100…).",
        "Write a value of the measure.",
    ),
    Rule(
        "outside-timeframe",
        "error",
        "monitoring",
        "A year outside the plan's timeframe.",
        "Use a year within the timeframe in plan.yaml.",
    ),
    Rule(
        "target-year",
        "error",
        "monitoring",
        "A target year that does not come after the baseline year.",
        "Correct the target or the baseline year.",
    ),
    Rule("duplicate-target", "error", "monitoring", "Two targets for the same year.", "Keep one target per year."),
    Rule(
        "unknown-indicator",
        "error",
        "monitoring",
        "A progress file names an ID that is not an indicator of the plan.",
        "Use the ID of an indicator (`lgcb show` lists them).",
    ),
    Rule(
        "file-year",
        "error",
        "monitoring",
        "An observation is in the progress file of another year.",
        "Move it to progress/<year>.yaml for the year its period ends.",
    ),
    Rule(
        "duplicate-observation",
        "error",
        "monitoring",
        "The same indicator and period are recorded twice.",
        "Keep one observation per indicator and period.",
    ),
    # coverage
    Rule(
        "strategic-objective-not-served",
        "error",
        "coverage",
        "A Strategic Plan objective declared in plan.yaml that no objective serves.",
        "Link an objective to it (`strategic_plan_objective`), or remove it from plan.yaml.",
        check="alignment",
    ),
    Rule(
        "missing-column",
        "error",
        "coverage",
        "An objective has no entries in one of the four columns.",
        "Add the column's entries, as the source states them.",
        check="completeness",
    ),
    Rule(
        "empty-group",
        "warning",
        "coverage",
        "A group heading with no entries under it.",
        "Add its entries, or remove the heading.",
        check="completeness",
    ),
    Rule(
        "result-without-activity",
        "warning",
        "coverage",
        "No activity `serves` this result.",
        "Add the result's ID to the `serves` of the activities that deliver it.",
        check="chain",
    ),
    Rule(
        "outcome-without-indicator",
        "warning",
        "coverage",
        "No indicator `measures` this outcome.",
        "Add the outcome's ID to the `measures` of the indicators that measure it.",
        check="chain",
    ),
    Rule(
        "activity-serves-nothing",
        "warning",
        "coverage",
        "An activity with no `serves` link.",
        "List the results it serves in `serves`.",
        check="chain",
    ),
    Rule(
        "indicator-measures-nothing",
        "warning",
        "coverage",
        "An indicator with no `measures` link.",
        "List the outcomes it measures in `measures`.",
        check="chain",
    ),
    Rule(
        "links-not-recorded",
        "warning",
        "coverage",
        "The plan records no link of this kind at all (reported once instead of once per entry).",
        "Record the links (`serves`, `measures`).",
        check="chain",
    ),
    Rule(
        "monitoring-incomplete",
        "warning",
        "coverage",
        "An indicator lacks baseline, targets, unit or means of verification.",
        "Add the fields the message lists, from a source that states them.",
        check="monitoring",
    ),
    Rule(
        "indicator-not-countable",
        "warning",
        "coverage",
        "An indicator whose text does not say what it counts and that has no countable `measure`.",
        "Record its `measure` (the text stays the source's).",
        check="measurable",
    ),
    # import
    Rule(
        "unplaced-text",
        "error",
        "import",
        "Text of the document that the import could not place in the plan, or does not read: a text box, a "
        "footnote, an equation, a symbol only a symbol font can show, a SmartArt diagram, a chart, an embedded "
        "document or object.",
        "Add it to the YAML by hand, or type it as plain text laid out as Annex I and import again.",
    ),
    Rule(
        "import-assumed",
        "warning",
        "import",
        "Something the document does not state, set to a stated default (a title, the timeframe, a new ID).",
        "Check the value in the YAML and correct it.",
    ),
    Rule(
        "tracked-change",
        "warning",
        "import",
        "A tracked change (Word's Track Changes) was accepted or rejected as `--changes` says.",
        "Check the change in the diff that follows.",
    ),
    Rule(
        "not-read",
        "warning",
        "import",
        "Text that is not part of the plan (a comment, a header) and is not imported.",
        "Nothing to do; move it into the plan's text if it belongs there.",
    ),
    # write
    Rule(
        "fmt-refused",
        "error",
        "write",
        "`lgcb fmt` would change the file's content, so it left the file alone.",
        "Report it; the file is unchanged.",
    ),
    Rule("unwritable", "error", "write", "A file cannot be written.", "Check the folder's permissions and space."),
    Rule(
        "onto-mismatch",
        "error",
        "write",
        "The edited files would not read back as the edited plan.",
        "Report it; nothing was written.",
    ),
]

RULES: dict[str, Rule] = {rule.name: rule for rule in _RULES}
"""Rule name → rule; every problem lgcb reports names one of these."""


def markdown() -> str:
    """docs/rules.md: every rule by stage, with its level, meaning and fix."""
    lines = [
        "Every problem lgcb reports names its rule in brackets, e.g. `[unknown-field]`. The tables below are",
        "generated from the rule registry (`src/lgcb/checks/rules.py`) by `cog -r docs/rules.md`; a test",
        "fails when they are stale.",
        "",
        "In JSON output (`--format json`) each problem has the keys `path`, `line`, `col` (from 1; `null`",
        "when the input has no lines), `where` (a place in a file without lines, such as `paragraph 12`),",
        "`level` (`error` or `warning`), `rule`, `check` (the coverage check a rule explains, else `null`),",
        "`objective` and `item` (the objective number and entry ID concerned, where known), `message`, and",
        "`fix`: `null`, or the change that mends the problem — replace the text from `line`:`col` up to",
        "`end_line`:`end_col` (exclusive) with `replacement` — given only where it surely leads to a file that",
        "passes (put a text in quotes, add a missing `- `, remove a NUL byte…).",
        "",
    ]
    for stage, title in STAGES.items():
        lines += [f"## {title}", "", "| rule | level | what it means | how to fix it |", "| --- | --- | --- | --- |"]
        for rule in _RULES:
            if rule.stage == stage:
                lines.append(f"| `{rule.name}` | {rule.level} | {rule.summary} | {rule.fix} |")
        lines.append("")
    return "\n".join(lines)
