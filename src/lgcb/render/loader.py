"""Templates come from the template search path and from nowhere else.

A template directory arrives in a pull request, and git can commit a symbolic link: a
``md/title.md.j2`` that links to ``/proc/self/environ`` would publish the CI job's secrets in the
report.  So every template — a Jinja file found on the search path, an ``{% include %}``, an
``{% import %}``, an ``{% extends %}``, the Word template — must be, after following links, a regular
file inside the directory it was found in and outside hidden folders (``.git`` holds the checkout's
credentials).  It is read with a size cap, never as a stream: a FIFO or ``/dev/zero`` is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path

from lgcb.fileio import FileError, display_path, read_regular
from lgcb.render import RenderError

TEXT_TEMPLATE_LIMIT = 1024 * 1024
"""Bytes in one Jinja template file: the shipped ones are under 8 KiB."""

DOCX_TEMPLATE_LIMIT = 64 * 1024 * 1024
"""Bytes in a Word template (the package as stored; its members are checked when it is opened)."""


class TemplateRefused(RenderError):
    """A template file that is not a regular file inside its template directory; names the file."""


def inside(candidate: Path, directory: Path) -> Path:
    """Where ``candidate`` leads after links, if that is inside ``directory`` and, as written and
    as followed, not in a hidden folder."""
    try:
        root = directory.resolve(strict=True)
    except OSError as e:
        raise TemplateRefused(f"{directory}: cannot read the template directory: {e.strerror or e}") from None
    target = Path(os.path.realpath(candidate))
    try:
        relative = target.relative_to(root)
    except ValueError:
        to = str(candidate.readlink()) if candidate.is_symlink() else str(target)
        raise TemplateRefused(
            f"{candidate}: the template links outside the template directory (to {to}); "
            "templates must be regular files inside it"
        ) from None
    for path in (_lexical(candidate, directory), relative):
        if any(part.startswith(".") for part in path.parts):
            raise TemplateRefused(
                f"{candidate}: the template is in a hidden folder ({path.as_posix()}); "
                "templates must be regular files outside hidden folders such as .git"
            )
    return target


def _lexical(candidate: Path, directory: Path) -> Path:
    """The name below the template directory as written (before links are followed)."""
    try:
        return candidate.relative_to(directory)
    except ValueError:
        return Path(candidate.name)


def read_template(candidate: Path, directory: Path, limit: int) -> bytes:
    """The bytes of the template ``candidate`` found in ``directory``, refused unless it is safe to read."""
    target = inside(candidate, directory)
    try:
        return read_regular(target, limit, what="template")
    except FileError as e:
        reason = str(e).removeprefix(f"{display_path(target)}: ")
        raise TemplateRefused(f"{candidate}: {reason}") from None


class SearchPathLoader(BaseLoader):
    """Jinja's file loader, but reading only what :func:`read_template` allows.

    A name is looked up in each directory in turn, as ``FileSystemLoader`` does: the first
    directory that has anything under that name decides, so a directory or a link in the user's
    templates is refused rather than silently replaced by the shipped template.
    """

    def __init__(self, searchpath: list[Path], limit: int = TEXT_TEMPLATE_LIMIT) -> None:
        self.searchpath = [str(p) for p in searchpath]
        self.limit = limit

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if not os.path.lexists(candidate):
                continue
            data = read_template(candidate, Path(folder), self.limit)
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError as e:
                raise TemplateRefused(
                    f"{candidate}: the template is not UTF-8 text (byte {e.start + 1}); save it as UTF-8"
                ) from None
            return source, str(candidate), _unchanged
        raise TemplateNotFound(template)


def _unchanged() -> bool:
    """Templates are read once per render; a file changed meanwhile is not read again."""
    return True
