"""What the Markdown and HTML renderers share: pick the top-level template, render it, report failures.

A top-level template is the format's shipped ``report`` template, or the user's ``--template FILE``
(whose directory is then searched first, so its own parts win).  Any failure inside Jinja, from a
syntax error to the sandbox refusing ``''.__class__``, becomes a :class:`RenderError` naming the
template file and line: CI renders templates from pull requests, and their authors need to know
where to look, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from lgcb.render import RenderError, RenderOptions, environment, template_error
from lgcb.render.context import build_context

if TYPE_CHECKING:
    from lgcb.model import Plan

_UNSAFE = "is unsafe"


def render_text(
    plan: Plan,
    options: RenderOptions,
    default: str,
    *,
    autoescape: bool,
    filters: dict[str, Callable[..., Any]] | None = None,
    context: dict[str, Any] | None = None,
    charts: bool = True,
) -> bytes:
    """Render the template ``default`` (or ``options.template``) with the documented context, as UTF-8.

    ``context`` is that context when the caller has built it already (the PDF renderer also hands it
    to Typst as data); ``charts`` False builds it without the SVG charts (see :func:`build_context`).
    """
    from jinja2 import TemplateNotFound
    from jinja2.exceptions import UndefinedError

    name = default
    chosen = options.template
    if chosen is not None:
        options = replace(options, template_dir=chosen.parent)
        name = chosen.name
    env = environment(options, autoescape=autoescape)
    env.filters.update(filters or {})
    try:
        template = env.get_template(name)
        if context is None:
            context = build_context(plan, options.objectives, ids=options.ids, charts=charts)
        data = env.encode(template.generate(context))
    except TemplateNotFound as e:
        searched = ", ".join(str(p) for p in env.loader.searchpath)  # type: ignore[union-attr]
        raise RenderError(f"template not found: {e.name} (searched {searched})") from None
    except UndefinedError as e:
        error = template_error(e)
        if _UNSAFE in str(e):
            where, _, _ = str(error).partition("template error: ")
            error = RenderError(f"{where}the template tried something the sandbox forbids: {e}")
        raise error from None
    except RenderError:  # a template file refused by the loader, already naming the file
        raise
    except Exception as e:
        raise template_error(e) from None
    return data
