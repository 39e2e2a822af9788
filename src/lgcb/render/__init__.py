"""Rendering a plan into a publishable document: one registry of formats, one module per format.

Every renderer is a function ``render(plan, options) -> bytes`` named in ``RENDERERS`` and
imported only when used.  Templates are resolved through a search path (the user's directory
first, then the shipped ``templates/``) and run in Jinja's sandbox, so a template from a pull
request cannot reach Python internals.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lgcb.model import Plan
    from lgcb.render.bounds import BoundedEnvironment


DEFAULT_TIMEOUT = 60.0
"""Seconds a render may take (``lgcb render --timeout``); the shipped plan renders in well under 1 s."""

DEFAULT_MAX_SIZE = 64 * 1024 * 1024
OUTPUT_PER_ENTRY = 4096
"""The output a large plan's report may have, per entry (the shipped reports use under 1,000
characters an entry): the cap on the whole output grows with the plan, never below ``max_size``."""
"""Characters in any one text a template builds, and in the whole output: 64 MiB."""


class RenderError(Exception):
    """A failure the user can act on (bad template, unknown objective); its text is the whole message."""


class RenderWarning(UserWarning):
    """The output was written, but not all as asked (e.g. a PDF that cannot be PDF/A); the text says why."""


@dataclass(frozen=True)
class RenderOptions:
    objectives: tuple[int, ...] = ()
    """Only these objectives (all when empty)."""
    template_dir: Path | None = None
    """A directory searched before the shipped templates: override one file, keep the rest."""
    template: Path | None = None
    """A single template file to render with (for docx: the organisation's own .docx)."""
    ids: bool = True
    """Show lgcb's IDs ("1.R1") with the entries; False for a publication with the source's numbers only."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds the template may run before the render is stopped."""
    max_size: int = DEFAULT_MAX_SIZE
    """Characters in any text the template builds, and in the output."""
    max_output: int | None = None
    """Characters in the whole output, when that may be more than ``max_size``; :func:`render` sets
    it to :data:`OUTPUT_PER_ENTRY` characters per entry of the plan, where that is more."""


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    binary: bool
    description: str
    target: str
    """``module:function`` of the render function, imported on first use."""

    def load(self) -> Callable[[Plan, RenderOptions], bytes]:
        module, _, attribute = self.target.partition(":")
        function: Callable[[Plan, RenderOptions], bytes] = getattr(importlib.import_module(module), attribute)
        return function


RENDERERS: dict[str, Renderer] = {
    "md": Renderer("md", ".md", False, "GitHub-flavoured Markdown", "lgcb.render.markdown:render"),
    "html": Renderer("html", ".html", False, "a self-contained web page", "lgcb.render.html:render"),
    "docx": Renderer("docx", ".docx", True, "a Word document", "lgcb.render.docx:render"),
    "pdf": Renderer("pdf", ".pdf", True, "a paged A4 landscape PDF", "lgcb.render.pdf:render"),
}
"""Format name → renderer; ``lgcb render --format`` offers exactly these."""


def render(plan: Plan, fmt: str, options: RenderOptions | None = None) -> bytes:
    """Render ``plan`` in format ``fmt``; raises :class:`RenderError` with a user-facing message.

    The cyclic collector is paused: a report's context and output are hundreds of thousands of
    objects without cycles, and its passes over them grew faster than the plan (a quarter of
    rendering 3,000 objectives to HTML)."""
    from lgcb.memory import collector_paused

    with collector_paused():
        return RENDERERS[fmt].load()(plan, checked_options(plan, options))


def checked_options(plan: Plan, options: RenderOptions | None) -> RenderOptions:
    """``options`` for rendering ``plan``: the objectives asked for exist, the output cap is set."""
    options = options or RenderOptions()
    from lgcb.results.query import missing_objective

    missing = missing_objective(plan, options.objectives)
    if missing:
        raise RenderError(missing)
    if options.max_output is None:
        options = replace(options, max_output=max(options.max_size, OUTPUT_PER_ENTRY * plan.count()))
    return options


def shipped_templates() -> Path:
    from lgcb.planfile.layout import shipped

    return shipped("templates")


def template_search_path(options: RenderOptions) -> list[Path]:
    return ([options.template_dir] if options.template_dir else []) + [shipped_templates()]


def environment(options: RenderOptions, *, autoescape: bool) -> BoundedEnvironment:
    """A sandboxed, bounded Jinja environment over the template search path; its clock starts now."""
    from jinja2 import StrictUndefined

    from lgcb.render.bounds import BoundedEnvironment
    from lgcb.render.loader import SearchPathLoader

    return BoundedEnvironment(
        loader=SearchPathLoader(template_search_path(options)),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        timeout=options.timeout,
        max_size=options.max_size,
        max_output=options.max_output,
    )


def template_error(error: Exception) -> RenderError:
    """Turn a Jinja failure into a message naming the template file and line."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    if isinstance(error, TemplateSyntaxError):
        where = f"{error.filename or error.name or 'template'}:{error.lineno}"
        return RenderError(f"{where}: template syntax error: {error.message}")
    if isinstance(error, TemplateNotFound):
        return RenderError(f"template not found: {error.name}")
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if not f.filename.endswith(".py") and f.filename != "<template>"
    ]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
    from lgcb.render.bounds import LimitError

    if isinstance(error, LimitError):
        return RenderError(f"{where}{error}")
    if isinstance(error, SecurityError):
        return RenderError(f"{where}the template tried something the sandbox forbids: {error}")
    if isinstance(error, TemplateError):
        return RenderError(f"{where}template error: {error}")
    return RenderError(f"{where}template error: {type(error).__name__}: {error}")
