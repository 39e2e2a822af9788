"""One render request: check it, then render; the command line writes the result.

Everything a request can get wrong is checked here first, before any rendering, so that a mistake
costs nothing and leaves nothing behind.  Three kinds of failure: :class:`RequestError` (the
request itself is wrong: an unknown objective or template; exit 2), :class:`lgcb.fileio.FileError`
(the output cannot be written there; exit 1) and :class:`lgcb.render.RenderError` (rendering
failed, e.g. a broken template; exit 1).  Either way no output file is created or changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lgcb.fileio import FileError, check_writable
from lgcb.render import DEFAULT_TIMEOUT, RENDERERS, RenderOptions, render

if TYPE_CHECKING:
    from lgcb.model import Plan

STDOUT = Path("-")
"""``-o -``: write to standard output."""

DEFAULT_STEM = "action-plan"
"""Name of the file written when ``-o`` names a directory (``action-plan.docx``)."""


class RequestError(ValueError):
    """A render request that cannot be carried out as given; the text says how to fix it."""


@dataclass(frozen=True)
class Request:
    fmt: str | None
    """A name in ``RENDERERS``; None to take it from the output file's extension."""
    objectives: tuple[int, ...] = ()
    output: Path | None = None
    """A file, a directory (the default name is written into it), ``-`` or None for stdout."""
    template_dir: Path | None = None
    template: Path | None = None
    ids: bool = True
    """Show lgcb's IDs with the entries (``--no-ids``: the source's numbers only)."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds the template may run."""


@dataclass(frozen=True)
class Published:
    fmt: str
    data: bytes
    path: Path | None
    """Where to write ``data``, or None for standard output."""


def format_for(request: Request) -> str:
    """The format asked for, or the one the output file's extension names."""
    if request.fmt is not None:
        return request.fmt
    if request.output is not None and request.output != STDOUT:
        suffix = request.output.suffix.lower()
        for name, renderer in RENDERERS.items():
            if renderer.extension == suffix:
                return name
    names = "|".join(RENDERERS)
    raise RequestError(f"choose an output format with --format {names} (or give -o a file ending in its extension)")


def target_path(request: Request, fmt: str) -> Path | None:
    """Where to write, checked for writability; None for stdout."""
    renderer = RENDERERS[fmt]
    output = request.output
    if output is None or output == STDOUT:
        return None
    if output.is_dir():
        output = output / f"{DEFAULT_STEM}{renderer.extension}"
    directory = output.parent
    if not directory.exists():
        raise FileError(output, f"the directory {directory} does not exist (create it first)", "unwritable")
    if not directory.is_dir():
        raise FileError(output, f"{directory} is a file, not a directory", "unwritable")
    if not os.access(directory, os.W_OK | os.X_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise FileError(output, "Permission denied", "unwritable")
    check_writable(output)
    return output


def check_templates(request: Request, fmt: str) -> None:
    if request.template_dir is not None and request.template is not None:
        raise RequestError("give either --template-dir (to override some parts) or --template (one file), not both")
    if request.template_dir is not None and not request.template_dir.is_dir():
        raise RequestError(f"--template-dir {request.template_dir}: no such directory")
    if request.template is not None:
        if not request.template.exists():  # what else it is (a link out, a FIFO) is refused when read
            raise RequestError(f"--template {request.template}: no such file")
        is_docx = request.template.suffix.lower() in {".docx", ".dotx"}
        if is_docx != (fmt == "docx"):
            kind = "a Word file (.docx)" if fmt == "docx" else "a text (Jinja) template"
            raise RequestError(f"--template {request.template}: --format {fmt} needs {kind}")


def publish(plan: Plan, request: Request) -> Published:
    """Render ``plan`` as requested; raises RequestError, FileError or RenderError."""
    fmt = format_for(request)
    if fmt not in RENDERERS:
        raise RequestError(f"unknown format {fmt!r}; formats: {', '.join(RENDERERS)}")
    check_templates(request, fmt)
    from lgcb.results.query import missing_objective

    unknown = missing_objective(plan, request.objectives)
    if unknown:
        raise RequestError(unknown)
    path = target_path(request, fmt)
    options = RenderOptions(
        objectives=tuple(dict.fromkeys(request.objectives)),
        template_dir=request.template_dir,
        template=request.template,
        ids=request.ids,
        timeout=request.timeout,
    )
    return Published(fmt, render(plan, fmt, options), path)
