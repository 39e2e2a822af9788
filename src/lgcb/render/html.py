"""A self-contained HTML page in the style of a UN document annex.

Everything is inline (CSS in ``<style>``, no script, no fetch: a Content-Security-Policy in the
page forbids both), so the file can be mailed, attached or opened offline.  Autoescaping is on:
plan text such as ``<script>`` is shown as text, never run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lgcb.render.text import render_text

if TYPE_CHECKING:
    from lgcb.model import Plan
    from lgcb.render import RenderOptions

TEMPLATE = "html/report.html.j2"


def render(plan: Plan, options: RenderOptions) -> bytes:
    return render_text(plan, options, TEMPLATE, autoescape=True)
