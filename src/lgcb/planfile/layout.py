"""Where a plan's files are: the directory layout, finding the plan to use, and file names.

A plan directory holds ``plan.yaml``, ``objectives/NN-slug.yaml`` (one file per objective) and,
when there is monitoring data, ``progress/<year>.yaml``.  Every module that needs one of these
names takes it from here.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

PLAN_FILE = "plan.yaml"
OBJECTIVES_DIR = "objectives"
PROGRESS_DIR = "progress"
PLAN_DIR = "plan"
"""The name of the plan directory in a repository; lgcb looks for it from the working directory up."""
ENV_PLAN = "LGCB_PLAN"
SUFFIX = ".yaml"


@dataclass(frozen=True)
class PlanLocation:
    """Where the plan was found and why, so messages can say which plan is in use."""

    path: Path
    origin: str
    """"option" (--plan), "environment" ($LGCB_PLAN), "found" (walking up from the working
    directory) or "shipped" (the plan inside lgcb, read-only)."""

    @property
    def shipped(self) -> bool:
        return self.origin == "shipped"


class PlanNotFound(Exception):
    """``--plan`` or ``$LGCB_PLAN`` names no directory; the text names which of the two."""


def shipped(name: str) -> Path:
    """Data shipped with lgcb (``plan``, ``templates``, ``schema``): inside the installed package, or the
    repository's own folder when running from a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "data" / name
    return packaged if packaged.is_dir() else here.parent.parent / name


def shipped_plan() -> Path:
    return shipped(PLAN_DIR)


def is_plan_dir(path: Path) -> bool:
    """A directory that holds ``plan.yaml``, or is named ``plan`` and holds ``objectives/``."""
    return (path / PLAN_FILE).exists() or (path.name == PLAN_DIR and (path / OBJECTIVES_DIR).is_dir())


def _walk_up(start: Path) -> Path | None:
    """The nearest plan directory at or above ``start``: ``start`` itself (or a parent) when it is one,
    else a ``plan/`` beside it; as git finds ``.git``, so lgcb works from any folder of a repository."""
    for directory in (start, *start.parents):
        if is_plan_dir(directory):
            return directory
        candidate = directory / PLAN_DIR
        if candidate.is_dir():
            return candidate
    return None


def find_plan(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> PlanLocation:
    """``--plan``, else ``$LGCB_PLAN``, else the nearest plan directory from ``cwd`` up, else the shipped plan.

    A plan directory found on the way up is used even when it is broken (say, plan.yaml is missing),
    so that the user hears about their own plan rather than silently getting the shipped one.
    """
    for value, origin in ((explicit, "option"), (os.environ.get(ENV_PLAN) or None, "environment")):
        if value is None:
            continue
        path = Path(value)
        if path.is_file() and path.name == PLAN_FILE:
            path = path.parent
        if not path.is_dir():
            source = "--plan" if origin == "option" else f"${ENV_PLAN}"
            raise PlanNotFound(
                f"{source}: {value} is not a directory (a plan directory holds {PLAN_FILE} and {OBJECTIVES_DIR}/)"
            )
        return PlanLocation(path, origin)
    start = (cwd or Path.cwd()).absolute()
    found = _walk_up(start)
    if found is not None:
        return PlanLocation(found, "found")
    return PlanLocation(shipped_plan(), "shipped")


_NUMBERED = re.compile(r"^(\d+)")


def _yaml_files(folder: Path) -> list[Path]:
    """The plan files of a folder: names ending in ``.yaml`` that are files or links (a link that leads
    nowhere is read, and reported, rather than skipped)."""
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.name.endswith(SUFFIX) and not p.name.startswith(".") and not p.is_dir()
    )


_NOT_READ_HIDDEN = (".yaml", ".yml", ".txt", ".YAML", ".YML")


def stray_files(plan_dir: Path) -> list[tuple[Path, str]]:
    """What lgcb does not read in ``objectives/`` and ``progress/`` (and a misnamed ``plan.yaml``),
    each with what to do: content there would otherwise vanish from the plan without a word.

    Hidden files are left alone (``.DS_Store``, ``.gitkeep``) unless their name says YAML or text.
    """
    found: list[tuple[Path, str]] = []
    if not (plan_dir / PLAN_FILE).exists():
        for other in sorted(plan_dir.iterdir()) if plan_dir.is_dir() else []:
            if other.name.lower() in ("plan.yml", "plan.yaml", "plan.yaml.txt", "plan.yml.txt") and other.is_file():
                found.append((other, f"lgcb reads {PLAN_FILE}, not {other.name}: rename it to {PLAN_FILE}"))
    for folder, example in ((OBJECTIVES_DIR, "03-title.yaml"), (PROGRESS_DIR, "2015.yaml")):
        directory = plan_dir / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            name = path.name
            if name.startswith(".") and not name.endswith(_NOT_READ_HIDDEN):
                continue
            if name.endswith(SUFFIX) and not name.startswith(".") and not path.is_dir():
                continue
            if path.is_dir():
                what = f"a folder, which lgcb does not read in {folder}/: move its files up or remove it"
            elif name.startswith("."):
                what = f"a hidden file, which lgcb does not read: rename it to a name like {example} or remove it"
            else:
                stem = name
                for suffix in (".txt", ".YAML", ".YML", ".yml", ".Yaml", ".yaml"):
                    stem = stem.removesuffix(suffix)
                if stem != name:
                    what = f"lgcb reads only files ending in {SUFFIX}: rename it to {stem}{SUFFIX}"
                else:
                    what = (
                        f"not a plan file, which lgcb does not read: move it out of {folder}/ or name it like {example}"
                    )
            found.append((path, what))
    return found


def objective_files(plan_dir: Path) -> list[Path]:
    """The objective files of a plan, in name order (which is number order for ``NN-slug.yaml``)."""
    return _yaml_files(plan_dir / OBJECTIVES_DIR)


def progress_files(plan_dir: Path) -> list[Path]:
    """The observation files ``progress/<year>.yaml`` of a plan, in name order; none if the folder is absent."""
    return _yaml_files(plan_dir / PROGRESS_DIR)


def number_in_name(path: Path) -> int | None:
    m = _NUMBERED.match(path.name)
    return int(m.group(1)) if m else None


def slug(title: str, limit: int = 60) -> str:
    """A file-name slug of a title: lower-case ASCII words joined by '-' ("Évaluation" → "evaluation")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    text = "-".join(words)[:limit].rstrip("-")
    return text or "objective"


def objective_file_name(number: int, title: str, width: int = 2) -> str:
    """``NN-slug.yaml``; ``width`` pads the number so that name order is number order."""
    return f"{number:0{width}d}-{slug(title)}{SUFFIX}"


def progress_file_name(year: int) -> str:
    return f"{year}{SUFFIX}"
