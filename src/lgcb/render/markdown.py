"""GitHub-flavoured Markdown: the plan as a page that reads well in the repository.

The templates (``templates/md/``) lay the plan out; the ``md`` filter escapes plan text so that a
``*`` or ``<`` in an item stays a character instead of turning into emphasis or raw HTML.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lgcb.render.text import render_text

if TYPE_CHECKING:
    from lgcb.model import Plan
    from lgcb.render import RenderOptions

TEMPLATE = "md/report.md.j2"

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))(?=\s|$)")
"""What would start a heading or a list at the start of a line: "# ", "- ", "1. " (not "0.4")."""


def escape_markdown(text: object) -> str:
    """Plan text as literal Markdown: inline markup escaped, whitespace (line breaks) collapsed."""
    value = " ".join(str(text).split())
    value = _ENTITY.sub("&amp;", value)
    value = _INLINE.sub(r"\\\1", value)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", value)


def render(plan: Plan, options: RenderOptions) -> bytes:
    return render_text(plan, options, TEMPLATE, autoescape=False, filters={"md": escape_markdown})
