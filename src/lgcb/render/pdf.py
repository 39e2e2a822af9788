"""PDF output: the plan typeset by Typst, A4 landscape, as a UN document annex.

Typst comes as the ``typst`` wheel (the compiler itself, in Rust, for Windows, macOS and Linux):
no system library, browser or office suite, and its own fonts (Libertinus Serif, DejaVu Sans Mono),
so the PDF is the same on every desktop and every font is embedded.  It writes tagged PDF that
conforms to PDF/A-2a and PDF/UA-1.

The Typst source is a Jinja template (``templates/pdf/report.typ.j2``, found through the template
search path like the HTML ones).  The plan's text never goes into that source: the template context
is handed to Typst as JSON (``sys.inputs``) and the Typst code reads it with ``json()``, so text
such as ``#`` or ``]`` in an item is shown as written, never read as markup.  A template that puts
a context value into the source itself writes it as a Typst string with the ``typst`` filter.

Typst runs with an empty temporary directory as its root, so a template cannot read files, and
with the system's fonts ignored, so that what the fonts are does not depend on the machine.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from lgcb.render import RenderError, RenderWarning, template_search_path
from lgcb.render.context import build_context
from lgcb.render.loader import TEXT_TEMPLATE_LIMIT, read_template
from lgcb.render.text import render_text

if TYPE_CHECKING:
    from typst import PDFStandard

    from lgcb.model import Plan
    from lgcb.render import RenderOptions

TEMPLATE = "pdf/report.typ.j2"
DATA_INPUT = "lgcb-data"
"""The ``sys.inputs`` key under which the Typst code finds the template context, as JSON."""
PDF_STANDARDS: list[PDFStandard] = ["a-2a", "ua-1"]
"""PDF/A-2a (archival, tagged) and PDF/UA-1 (accessible); Typst checks the document against both."""

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_string(value: object) -> str:
    """``value`` as a Typst string literal (``"..."``): shown as written wherever the template puts it.

    Inside a string only ``\\`` and ``"`` are special (and line breaks, which a literal cannot
    hold), so markup characters such as ``#``, ``*`` or ``]`` need nothing.  Other control
    characters become ``\\u{..}`` escapes.
    """
    out = []
    for char in str(value):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _timestamp() -> datetime | None:
    """The creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return None


_LOCATION = re.compile(r"\.typ:(\d+):(\d+)")


def _template_line(line: str, options: RenderOptions) -> str | None:
    """``file:line`` of the template line that produced ``line`` of the Typst source, if one did verbatim."""
    wanted = line.strip()
    if not wanted:
        return None
    directories = [options.template.parent] if options.template is not None else []
    for directory in directories + template_search_path(options):
        files = sorted(directory.glob("*.j2")) + sorted((directory / "pdf").glob("*.j2"))
        for path in files:
            try:  # only what a template may be: a capped regular file inside the directory
                data = read_template(path, directory, TEXT_TEMPLATE_LIMIT)
            except RenderError:
                continue
            lines = data.decode("utf-8", errors="replace").splitlines()
            found = [n for n, text in enumerate(lines, 1) if text.strip() == wanted]
            if len(found) == 1:
                shown = path.relative_to(directory).as_posix()
                return f"{shown}:{found[0]}"
    return None


def typst_error(error: Any, source: str, template: str, options: RenderOptions) -> RenderError:
    """Typst's message located in the template (``pdf/objective.typ.j2:12: ...``) where it can be.

    Typst reports a line of the generated source; when that line stands verbatim in one template
    file, the message names that file and line, else the top-level template and the source line.
    """
    message = str(getattr(error, "message", "") or error).strip()
    hints = [h for h in getattr(error, "hints", None) or [] if h]
    message += "".join(f" (hint: {h})" for h in hints)
    match = _LOCATION.search(str(getattr(error, "diagnostic", "") or ""))
    lines = source.splitlines()
    if match is None or not 0 < int(match[1]) <= len(lines):
        return RenderError(f"{template}: Typst cannot typeset the document: {message}")
    line = lines[int(match[1]) - 1]
    where = _template_line(line, options)
    if where is not None:
        return RenderError(f"{where}: Typst error: {message}")
    shown = line.strip()[:120]
    return RenderError(f"{template}: Typst error in line {match[1]} of the Typst it produced ({shown}): {message}")


_NO_GLYPH = "could not be displayed"
"""How Typst says that a character has no glyph in any font it has (PDF/A and PDF/UA forbid that)."""


def compile_pdf(source: str, data: dict[str, Any], template: str, options: RenderOptions) -> bytes:
    """Typeset ``source`` with ``data`` as its input; a Typst error becomes a located RenderError.

    Typst runs in a process of its own (:mod:`lgcb.render.typeset`), ended at the render's deadline
    and capped in memory.  Text that no font can show (a control character, a script such as Chinese
    that Typst's own fonts lack) makes a PDF/A or PDF/UA file impossible: the PDF is then written
    without those claims, and a :class:`RenderWarning` names the character.
    """
    from lgcb.render.typeset import DEFAULT_MEMORY, Limit, TypstFailure, typeset, write_request

    # ASCII JSON (other characters as \u escapes, which Typst's json() reads back): one byte a
    # character in Python's memory, where a text with one curly quote would take two or four.
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    request = write_request(source, payload)
    del payload  # only the request file holds the data while Typst runs
    stamp = _timestamp()
    when = stamp.isoformat() if stamp else None

    def run(standards: list[PDFStandard]) -> bytes:
        return typeset(request, list(standards), when, timeout=options.timeout, memory=DEFAULT_MEMORY)

    try:
        try:
            result = run(PDF_STANDARDS)
        except TypstFailure as e:
            if _NO_GLYPH not in e.message:
                raise
            result = run([])
            detail = e.message.partition("error: ")[2] or e.message
            warnings.warn(
                f"the PDF is not PDF/A or PDF/UA: {detail}; such characters show as empty boxes "
                "and may not copy from the PDF",
                RenderWarning,
                stacklevel=2,
            )
    except TypstFailure as e:
        raise typst_error(e, source, template, options) from None
    except Limit as e:
        advice = ""
        if e.memory and len(data.get("objectives", ())) > 1:
            advice = (
                "; Typst lays out the whole PDF at once (about 4.5 GB for 1,000 objectives): publish the plan "
                "in parts, a few objectives a file (--objective N, repeated)"
            )
        raise RenderError(f"{template}: {e}{advice}") from None
    finally:
        request.close()
    if not result.startswith(b"%PDF"):
        raise RenderError(f"{template}: Typst produced no PDF")
    return result


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 forbids; a chart's SVG drops them (Typst's SVG reader refuses the whole chart)."""


def _clean_charts(context: dict[str, Any]) -> None:
    for objective in context["objectives"]:
        for p in objective["progress"]:
            p["svg"] = _NOT_XML.sub("", p["svg"])


def render(plan: Plan, options: RenderOptions) -> bytes:
    context = build_context(plan, options.objectives, ids=options.ids)
    _clean_charts(context)
    name = options.template.name if options.template is not None else TEMPLATE
    source = render_text(
        plan, options, TEMPLATE, autoescape=False, filters={"typst": typst_string}, context=context
    ).decode("utf-8")
    return compile_pdf(source, context, name, options)
