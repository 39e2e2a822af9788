"""The Word layout contract, in one place: what ``lgcb render --format docx`` writes and ``lgcb import`` reads.

The template builder (``templates/docx/build_template.py``), the renderer (``lgcb.render.docx``)
and the importer (``lgcb.word.read``) all take their style names, labels and field wording from
here, so a change to the layout is one edit (docs/word-layout.md describes it for people).

Pure data and string functions only: importing this module loads no Word library.
"""

from __future__ import annotations

import re
from typing import Any

# --- Styles -----------------------------------------------------------------------------------

TITLE_STYLE = "Title"
"""Paragraph style of the plan title."""
TITLE_CAPS_STYLE = "Annex Title"
"""Character style of the title's run: capitals by style (``w:caps``), the record keeps its casing."""
SUBTITLE_STYLE = "Subtitle"
ANNEX_STYLE = "Annex Line"
"""Paragraph style of the annex line above the title ("Annex I"), bold and to the right."""
SOURCE_NOTE_STYLE = "Source Note"
"""Paragraph style of the note that cites the plan's origin, under the title."""
CONTENTS_HEADING_STYLE = "Contents Heading"
"""Paragraph style of the "Contents" heading (not a "Heading N", so it is not in the contents itself)."""
OBJECTIVE_HEADING_STYLE = "Heading 1"
PROGRESS_HEADING_STYLE = "Heading 2"
NOTICE_STYLE = "Monitoring Notice"
"""Paragraph style of the illustrative-data banner, kept with the table it introduces."""
ID_STYLE = "Item ID"
"""Character style of the item IDs: small, and dark enough grey for a 7:1 contrast on white."""
FIELD_STYLE = "Item Field"
"""Paragraph style of our own fields under an item ("Serves: 1.R1"), small and grey."""
GROUP_STYLE = "Group Heading"
"""Paragraph style of a group heading inside a column ("Related to the checkpoints")."""
BULLETS = ("List Bullet", "List Bullet 2", "List Bullet 3", "List Bullet 4", "List Bullet 5")
"""Bullet style per nesting depth (0–4, the deepest the plan allows)."""
BULLET_GLYPHS = ("\u2022", "\u2013", "\u25e6", "\u25aa", "\u00b7")
"""The bullet drawn at each depth: • – ◦ ▪ · (a distinct glyph per level)."""
TABLE_STYLE = "Table Grid"
STYLES = (
    TITLE_STYLE,
    SUBTITLE_STYLE,
    OBJECTIVE_HEADING_STYLE,
    PROGRESS_HEADING_STYLE,
    TABLE_STYLE,
    TITLE_CAPS_STYLE,
    ANNEX_STYLE,
    SOURCE_NOTE_STYLE,
    CONTENTS_HEADING_STYLE,
    NOTICE_STYLE,
    ID_STYLE,
    FIELD_STYLE,
    GROUP_STYLE,
    *BULLETS,
)
"""Every style the shipped template must have: the renderer refers to them by name."""

ID_COLOUR = "595959"
"""The grey of IDs and field lines: 7.0:1 against white (WCAG AA asks 4.5:1)."""
GREYS = frozenset({ID_COLOUR, "808080"})
"""Greys that mark lgcb's field lines (808080: documents from lgcb 0.1.0 and earlier)."""
HEADER_FILL = "E8EEF4"
"""Shading of table header rows (the HTML report's header colour)."""

# --- Tables -----------------------------------------------------------------------------------

COLUMNS = ("Outcomes", "Indicators", "Results/Outputs", "Activities")
PROGRESS_COLUMNS = ("Indicator", "Baseline", "Latest", "Target", "Progress", "Status")
DERIVED_HEADINGS = ("Progress on the indicators", "Monitoring")
"""Headings of the sections lgcb computes from the plan and its progress files: shown in the
report, skipped by ``lgcb import`` (they are regenerated, not plan data)."""
CONTENTS_HEADING = "Contents"
OBJECTIVE_HEADING = re.compile(r"(?i)^\s*operational\s+objective\s+(\d+)(?:\s*[.:]?|(?:\s*:|\s+[–—-])\s+(\S.*?))\s*$")
"""An objective heading, alone ("Operational objective 1", as a report has it) or with its
"Title: aim" after it: the number is group 1, what follows group 2.  It starts an objective for the
importer, and ends a section lgcb computes."""

# --- The plan as a whole: a source note in the text, every field in the document's properties ----

SOURCE_LABELS = ("Source document", "Annex", "Meeting", "Place", "Dates", "Paragraphs")
"""Custom document properties (and rows of the older "About this plan" table) for ``plan.source``."""
TIMEFRAME_LABEL = "Timeframe"
STRATEGIC_PLAN_LABEL = "Strategic Plan"
STRATEGIC_OBJECTIVE_LABEL = "Strategic Plan objective"
"""One property per Strategic Plan objective, numbered: "Strategic Plan objective 1" = "2.1 <title>"."""
MASTHEAD_LABELS = {
    "symbol": "Document symbol",
    "distribution": "Distribution",
    "date": "Date of issue",
    "original_language": "Original language",
}
"""Custom document properties for the masthead fields of ``plan.document``, when the plan records them."""
LANGUAGE = "en"
"""The document's language (core property and the styles' ``w:lang``): the plan is in English."""


def source_note(info: dict[str, Any]) -> str:
    """The note under the title that cites where the plan comes from, from ``plan.source`` fields only."""
    source = info["source"]
    where = ", ".join(v for v in (source.get("place"), source.get("dates")) if v)
    text = f"Source: {source['document']}"
    if where:
        text += f" ({where})"
    if source.get("annex"):
        text += f", {source['annex']}"
    return text + "."


def timeframe_note(info: dict[str, Any]) -> str:
    """The second line of the note: the timeframe and the Strategic Plan, worded as in the HTML report."""
    timeframe = info["timeframe"]
    return f"Timeframe: {timeframe['start']}–{timeframe['end']}, aligned with the {info['strategic_plan']['title']}."


def plan_properties(info: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value) of the custom document properties that carry ``plan.yaml``; empty fields left out."""
    source = info["source"]
    keys = ("document", "annex", "meeting", "place", "dates", "paragraphs")
    rows = [(label, source.get(key)) for label, key in zip(SOURCE_LABELS, keys, strict=True)]
    timeframe = info["timeframe"]
    rows.append((TIMEFRAME_LABEL, f"{timeframe['start']}–{timeframe['end']}"))
    rows.append((STRATEGIC_PLAN_LABEL, info["strategic_plan"]["title"]))
    for i, objective in enumerate(info["strategic_plan"]["objectives"], start=1):
        rows.append((f"{STRATEGIC_OBJECTIVE_LABEL} {i}", f"{objective['number']} {objective['title']}"))
    masthead = info.get("document") or {}
    rows += [(label, masthead.get(key)) for key, label in MASTHEAD_LABELS.items()]
    return [(name, value) for name, value in rows if value]


def document_symbol(info: dict[str, Any]) -> str:
    """The document symbol for the page header: ``plan.document.symbol`` if the plan records one, else ""."""
    return (info.get("document") or {}).get("symbol") or ""


def subject(info: dict[str, Any]) -> str:
    """The core "subject" property: the annex and the document it belongs to."""
    source = info["source"]
    return f"{source['annex']}, {source['document']}" if source.get("annex") else source["document"]


# --- Our own fields under an item ---------------------------------------------------------------

FIELD_NAMES = ("Serves", "Measures", "Measure", "Unit", "Baseline", "Target", "Means of verification", "Note")
"""Our own fields shown under an item, as "Name: value" lines, in this order (the HTML's wording)."""
FIELD_LINE = re.compile(r"^(?i:(serves|measures|measure|unit|baseline|target|means of verification|note)): (.+)$")
"""A field line; the name in any case (lgcb 0.1.0 wrote "measure: number" and "unit: Parties")."""
MEASURE_VALUE = re.compile(r"^(\S+)(?: \((.*)\))?$")
"""The value of a "Measure" line: the measure, then the unit in parentheses ("number (Parties)")."""


def field_lines(entry: dict[str, Any], *, ids: bool = True) -> list[str]:
    """An item's own fields as "Name: value" lines (links, monitoring, note), in contract order.

    Without IDs the links (``serves``, ``measures``) are left out: they are IDs.
    """
    lines: list[str] = []
    if ids and entry["serves"]:
        lines.append("Serves: " + ", ".join(entry["serves"]))
    if ids and entry["measures"]:
        lines.append("Measures: " + ", ".join(entry["measures"]))
    monitoring = entry["monitoring"] or {}
    if monitoring.get("measure"):
        unit = f" ({monitoring['unit']})" if monitoring.get("unit") else ""
        lines.append(f"Measure: {monitoring['measure']}{unit}")
    elif monitoring.get("unit"):
        lines.append(f"Unit: {monitoring['unit']}")
    baseline = monitoring.get("baseline")
    if baseline:
        where = f"{baseline['year']}, {baseline['source']}" if baseline.get("source") else f"{baseline['year']}"
        lines.append(f"Baseline: {baseline['value']} ({where})")
    for target in monitoring.get("targets") or []:
        lines.append(f"Target: {target['value']} by {target['year']}")
    if monitoring.get("means_of_verification"):
        lines.append(f"Means of verification: {monitoring['means_of_verification']}")
    if entry.get("note"):
        lines.append(f"Note: {entry['note']}")
    return lines
