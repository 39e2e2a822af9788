"""One render request from start to finish: check it, render, write the file atomically.

The command line only parses and prints; everything it can get wrong is checked here first, before
any rendering, so that a mistake costs nothing and leaves nothing behind.  Two kinds of failure:
:class:`RequestError` (the request itself is wrong: an unknown objective, a missing directory;
exit 2) and :class:`lgcb.render.RenderError` (the request is fine but rendering failed, e.g. a
broken template; exit 1).  Either way no output file is created or changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lgcb.fileio import write_atomic
from lgcb.render import RENDERERS, RenderError, RenderOptions, render

if TYPE_CHECKING:
    from lgcb.model import Plan

STDOUT = Path("-")
"""``-o -``: write to standard output."""

DEFAULT_STEM = "action-plan"
"""Name of the file written for a binary format when no ``-o`` is given (``action-plan.docx``)."""


class RequestError(ValueError):
    """A render request that cannot be carried out as given; the text says how to fix it."""


@dataclass(frozen=True)
class Request:
    fmt: str | None
    """A name in ``RENDERERS``; None to take it from the output file's extension."""
    objectives: tuple[int, ...] = ()
    output: Path | None = None
    """A file, a directory (the default name is written into it), ``-`` for stdout, or None."""
    template_dir: Path | None = None
    template: Path | None = None


@dataclass(frozen=True)
class Published:
    fmt: str
    data: bytes
    path: Path | None
    """The file written, or None when the caller is to print ``data`` to stdout."""


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
    if output == STDOUT or (output is None and not renderer.binary):
        return None
    if output is None:
        output = Path(f"{DEFAULT_STEM}{renderer.extension}")
    elif output.is_dir():
        output = output / f"{DEFAULT_STEM}{renderer.extension}"
    directory = output.parent
    if not directory.exists():
        raise RequestError(f"cannot write {output}: the directory {directory} does not exist (create it first)")
    if not directory.is_dir():
        raise RequestError(f"cannot write {output}: {directory} is a file, not a directory")
    if not os.access(directory, os.W_OK | os.X_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise RequestError(f"cannot write {output}: permission denied (choose another place with -o)")
    return output


def check_templates(request: Request, fmt: str) -> None:
    if request.template_dir is not None and request.template is not None:
        raise RequestError("give either --template-dir (to override some parts) or --template (one file), not both")
    if request.template_dir is not None and not request.template_dir.is_dir():
        raise RequestError(f"--template-dir {request.template_dir}: no such directory")
    if request.template is not None:
        if not request.template.is_file():
            raise RequestError(f"--template {request.template}: no such file")
        is_docx = request.template.suffix.lower() in {".docx", ".dotx"}
        if is_docx != RENDERERS[fmt].binary:
            kind = "a Word file (.docx)" if RENDERERS[fmt].binary else "a text (Jinja) template"
            raise RequestError(f"--template {request.template}: --format {fmt} needs {kind}")


def check_objectives(plan: Plan, objectives: tuple[int, ...]) -> None:
    numbers = [o.number for o in plan.objectives]
    unknown = [n for n in objectives if n not in numbers]
    if unknown:
        listed = ", ".join(str(n) for n in numbers)
        raise RequestError(f"there is no objective {unknown[0]} in the plan; its objectives are {listed}")


def publish(plan: Plan, request: Request) -> Published:
    """Render ``plan`` as requested and write it; raises RequestError or RenderError, writing nothing."""
    fmt = format_for(request)
    if fmt not in RENDERERS:
        raise RequestError(f"unknown format {fmt!r}; formats: {', '.join(RENDERERS)}")
    check_templates(request, fmt)
    check_objectives(plan, request.objectives)
    path = target_path(request, fmt)
    options = RenderOptions(
        objectives=tuple(dict.fromkeys(request.objectives)),
        template_dir=request.template_dir,
        template=request.template,
    )
    data = render(plan, fmt, options)
    if path is not None:
        try:
            write_atomic(path, data)
        except OSError as e:
            raise RenderError(f"cannot write {path}: {e.strerror or e}") from None
    return Published(fmt, data, path)
