"""Word output: the plan rendered through a docxtpl template (Jinja tags inside a .docx).

The default template, ``templates/docx/report.docx``, is an ordinary Word document that Word
users can restyle; ``--template FILE`` renders into an organisation's own (letterhead, styles)
instead.  The layout is a contract shared with ``lgcb import`` (``lgcb.word.layout``,
docs/word-layout.md): the annex line, title block and a source note, a contents field, then per
objective a "Heading 1", "Title: aim", the Strategic Plan link and one four-column table whose
cells list the entries as real Word bullets, each starting with its ID in a small grey run.  The
plan-level fields go into the document's properties (``lgcb.word.package``).

Nested entries are flattened here into ``lines`` (one per paragraph) so that the template stays a
plain loop with one branch per kind of line; everything else comes from the shared context.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgcb.render import RenderError, RenderOptions, template_search_path
from lgcb.render.context import build_context
from lgcb.word import layout

if TYPE_CHECKING:
    from lgcb.model import Plan, PlanInfo

TEMPLATE = Path("docx") / "report.docx"
"""The default template, relative to a template directory (so ``--template-dir`` can override it)."""


def about_rows(info: PlanInfo) -> list[dict[str, str]]:
    """Label/value rows of the "About this plan" table of templates made for lgcb 0.1.0 (``about``)."""
    data = info.model_dump(mode="json")
    rows = [{"label": name, "value": value} for name, value in layout.plan_properties(data)]
    for row in rows:
        if row["label"].startswith(layout.STRATEGIC_OBJECTIVE_LABEL):
            row["label"] = layout.STRATEGIC_OBJECTIVE_LABEL
    return rows


def lines(entries: list[dict[str, Any]], depth: int = 0, *, ids: bool = True) -> Iterator[dict[str, Any]]:
    """One line per paragraph of a cell: groups, items (with bullet depth), then each item's fields.

    A group's items are shown as top-level bullets under its heading, as in the source.
    """
    for entry in entries:
        if entry["is_group"]:
            yield {"kind": "group", "depth": depth, "id": entry["id"], "number": "", "text": entry["text"]}
            yield from lines(entry["items"], depth, ids=ids)
            continue
        number = f"{entry['number']} " if entry["number"] else ""
        yield {"kind": "item", "depth": depth, "id": entry["id"], "number": number, "text": entry["text"]}
        for text in layout.field_lines(entry, ids=ids):
            yield {"kind": "field", "depth": depth, "id": "", "number": "", "text": text}
        yield from lines(entry["items"], depth + 1, ids=ids)


def docx_context(plan: Plan, options: RenderOptions) -> dict[str, Any]:
    """The shared template context plus the source note, document symbol, ``about`` rows and ``lines``."""
    context = build_context(plan, options.objectives, ids=options.ids)
    context["source_note"] = layout.source_note(context["plan"])
    context["timeframe_note"] = layout.timeframe_note(context["plan"])
    context["document_symbol"] = layout.document_symbol(context["plan"])
    context["about"] = about_rows(plan.info)
    for objective in context["objectives"]:
        for column in objective["columns"]:
            column["lines"] = list(lines(column["entries"], ids=options.ids))
    return context


def template_path(options: RenderOptions) -> Path:
    """``--template FILE``, else ``docx/report.docx`` from the template search path.

    The first directory that has anything at that name decides (a link or a directory there is
    refused when read, not passed over for the shipped template).
    """
    if options.template is not None:
        if not os.path.lexists(options.template):
            raise RenderError(f"template not found: {options.template}")
        return options.template
    for folder in template_search_path(options):
        candidate = folder / TEMPLATE
        if os.path.lexists(candidate):
            return candidate
    raise RenderError(
        f"template not found: {TEMPLATE.as_posix()} (searched {', '.join(map(str, template_search_path(options)))})"
    )


def _template_class() -> Any:
    """docxtpl's DocxTemplate, with the rendered body put in place by one parse instead of a move.

    docxtpl moves the rendered body (parsed on its own) into python-docx's document tree, and lxml
    re-homes every node as it moves: 11 of 17 seconds for a plan of 1,000 objectives.  Parsing the
    document once, with the rendered body in it, costs a second and gives the same XML.
    """
    from docx.oxml.parser import parse_xml
    from docxtpl import DocxTemplate
    from lxml import etree

    class Template(DocxTemplate):  # type: ignore[misc]
        def map_tree(self, tree):  # type: ignore[no-untyped-def]
            body = etree.tostring(tree)
            tree.clear()  # nothing reads the parsed body again: free it before parsing the document
            xml = etree.tostring(self.docx._element)
            start, end = xml.index(b"<w:body"), xml.rindex(b"</w:body>") + len(b"</w:body>")
            rendered = parse_xml(b"".join((xml[:start], body, xml[end:])))
            del body
            self.docx._part._element = rendered
            self.docx._element = rendered
            self.docx._Document__body = None  # python-docx caches the body proxy

    return Template


def template_bytes(path: Path, options: RenderOptions) -> bytes:
    """The template package, read only if it is a regular file inside its template directory."""
    from lgcb.render.loader import DOCX_TEMPLATE_LIMIT, read_template

    directory = path.parent if options.template is not None else path.parent.parent
    return read_template(path, directory, DOCX_TEMPLATE_LIMIT)


def _open_template(path: Path, data: bytes):  # type: ignore[no-untyped-def]
    DocxTemplate = _template_class()

    from lgcb.office import OfficeFileError, check_data

    try:
        check_data(data, path, "docx")  # a template is as hostile as any file from a pull request
    except OfficeFileError as e:
        raise RenderError(str(e)) from None
    try:
        template = DocxTemplate(io.BytesIO(data))
        template.get_docx()
    except Exception as e:  # python-docx raises several types for a broken package
        raise RenderError(f"{path}: cannot open the template as a Word document: {e}") from None
    return template


def _template_error(path: Path, error: Exception) -> RenderError:
    """A docxtpl/Jinja failure as a message naming the template and the text around the tag."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from lgcb.render.bounds import LimitError

    if isinstance(error, LimitError):
        return RenderError(f"{path}: {error}")
    near = " ".join(t.strip() for t in getattr(error, "docx_context", []) if t.strip())
    near = f" (near: {near[:160]})" if near else ""
    if isinstance(error, SecurityError):
        return RenderError(f"{path}: the template tried something the sandbox forbids: {error}")
    if isinstance(error, TemplateSyntaxError):
        return RenderError(f"{path}: template syntax error: {error.message}{near}")
    if isinstance(error, UndefinedError):
        return RenderError(f"{path}: the template uses something the context does not have: {error.message}{near}")
    return RenderError(f"{path}: template error: {type(error).__name__}: {error}{near}")


def render(plan: Plan, options: RenderOptions) -> bytes:
    """The plan as .docx bytes, rendered through the template in a sandboxed Jinja environment."""
    from jinja2 import StrictUndefined, TemplateError

    from lgcb.render.bounds import BoundedEnvironment

    path = template_path(options)
    template = _open_template(path, template_bytes(path, options))
    # Autoescape: docxtpl writes the values into XML, where "<" and "&" must be escaped.
    context = docx_context(plan, options)
    # No loader: a tag in the document cannot include a file.
    env = BoundedEnvironment(
        autoescape=True, undefined=StrictUndefined, timeout=options.timeout, max_size=options.max_size
    )
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except TemplateError as e:
        raise _template_error(path, e) from None
    except Exception as e:  # docxtpl/lxml failing on what the template's tags produced
        raise RenderError(f"{path}: the template could not be rendered: {type(e).__name__}: {e}") from None
    from lgcb.word.package import set_properties

    set_properties(template.docx, context["plan"], context["generator"])
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
