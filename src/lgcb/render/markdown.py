"""GitHub-flavoured Markdown: the plan as a page that reads well in the repository.

The templates (``templates/md/``) lay the plan out; the ``md`` filter escapes plan text so that a
``*`` or ``<`` in an item stays a character instead of turning into emphasis or raw HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lgcb.outputs.markdown import escape
from lgcb.render.text import render_text

if TYPE_CHECKING:
    from lgcb.model import Plan
    from lgcb.render import RenderOptions

TEMPLATE = "md/report.md.j2"


def render(plan: Plan, options: RenderOptions) -> bytes:
    return render_text(plan, options, TEMPLATE, autoescape=False, filters={"md": escape}, charts=False)
