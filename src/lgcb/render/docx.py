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
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgcb.memory import collector_paused
from lgcb.render import RenderError, RenderOptions, template_search_path
from lgcb.render.context import build_context
from lgcb.word import MAIN_PART, block_xml, layout, namespaces_at, qname, xml_text

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
    context = build_context(plan, options.objectives, ids=options.ids, charts=False)  # Word shows no SVG
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
    """docxtpl's DocxTemplate, with the body rendered as a stream (see :class:`_BodyStream`)."""
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):  # type: ignore[misc]
        def render_package(
            self, context: dict[str, Any], env: Any, info: dict[str, Any], generator: str, keep: Keep | None = None
        ) -> bytes:
            """What ``render`` then ``save`` make, with the body written into the package as rendered.

            docxtpl renders the body into one string, parses it whole, fixes its tables and
            drawing IDs, and python-docx serializes it again: several copies of the whole plan at
            once (600 MB for 1,000 objectives).  Here the same steps run on one top-level block
            of the body at a time (a paragraph, an objective's table), written out and let go
            before the next, so memory follows the largest block rather than the plan.  The
            headers, footers, properties and footnotes are rendered first, as docxtpl renders them.
            """
            from lgcb.office import Compressing
            from lgcb.word.package import set_properties

            self.render_init()
            env.autoescape = True
            body = self.patch_xml(self.get_xml())
            for uri in (self.HEADER_URI, self.FOOTER_URI):
                for rel_key, xml in list(self.build_headers_footers_xml(context, uri, env)):
                    self.map_headers_footers_xml(rel_key, xml)
            self.render_properties(context, env)
            self.render_footnotes(context, env)
            self.is_rendered = True
            set_properties(self.docx, info, generator)
            stream = _BodyStream(self, body, context, env, keep)
            shell = io.BytesIO()
            self.docx.save(shell)  # every other part, as python-docx writes them
            out = io.BytesIO()
            with zipfile.ZipFile(shell) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for member in src.infolist():
                    if member.filename != MAIN_PART:
                        dst.writestr(member, src.read(member))
                        continue
                    head, tail = _around_body(src.read(member), self.docx._element)
                    with dst.open(member, "w") as part, Compressing(part) as body:
                        body.write(head)
                        stream.write_to(body)
                        body.write(tail)
            self.is_saved = True
            return out.getvalue()

    return Template


def _around_body(xml: bytes, document: Any) -> tuple[bytes, bytes]:
    """The document part as python-docx wrote it, up to its body and after it."""
    body = document.body
    name = (f"{body.prefix}:body" if body.prefix else "body").encode()
    start = xml.index(b"<" + name)
    close = xml.rfind(b"</" + name + b">")
    end = close + len(name) + 3 if close >= 0 else xml.index(b">", start) + 1  # or an empty <w:body/>
    return xml[:start], xml[end:]


_CHUNK = 1 << 18
"""Characters of rendered body text post-processed and parsed at a time."""

_LISTING_CHARACTERS = re.compile("[\t\a\n\f]")
_PARAGRAPH_END = "</w:p>"


class _BodyStream:
    """The template's body rendered piece by piece and written as the document's ``<w:body>``.

    Each step is docxtpl's, applied to a stretch of the rendered text that no match of it can
    cross, so the result is the text docxtpl makes, one stretch at a time:

    1. Jinja's output, counted against the size and time limits as ``BoundedEnvironment.concat``
       counts a whole render;
    2. docxtpl's clean-up (the line breaks it put before paragraphs, its escaped braces), on text
       cut before a line break (no pattern holds one inside);
    3. ``resolve_listing``, on text cut after a ``</w:p>`` (a paragraph it rewrites ends at the
       first one after its start);
    4. parsed by an incremental parser as python-docx parses the package (blank text dropped,
       no entities; mending what a template breaks as ``fix_tables`` does), and each top-level
       block, once complete, has its tables' grids fixed and drawing IDs numbered as docxtpl
       does for the whole body, is serialized and removed from the tree.
    """

    def __init__(self, template: Any, body: str, context: dict[str, Any], env: Any, keep: Keep | None = None) -> None:
        self.template = template
        self.keep = keep
        self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", body)
        self.context = context
        self.env = env
        self.open_tag = self.source[: self.source.index(">") + 1]
        """``<w:body …>`` with the namespaces docxtpl's text declares there, as the package keeps it."""

    def pieces(self) -> Iterator[str]:
        """Jinja's output in texts of about :data:`_CHUNK` characters, bounded; an error is raised at
        the template line that made the piece."""
        from jinja2 import TemplateError

        env = self.env
        src = self.source
        self.template.current_rendering_part = self.template.docx._part
        try:
            yield from env.chunked(env.from_string(src).generate(self.context), _CHUNK)
        except TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:
                line_number = max(exc.lineno - 4, 0)  # type: ignore[attr-defined]
                exc.docx_context = [  # type: ignore[attr-defined]
                    re.sub(r"<[^>]+>", "", x) for x in src.splitlines()[line_number : line_number + 7]
                ]
            raise

    def cleaned(self) -> Iterator[str]:
        """Steps 1 and 2."""
        carry: list[str] = []
        for text in self.pieces():
            cut = text.rfind("\n")
            if cut < 0:
                carry.append(text)
                continue
            carry.append(text[:cut])
            yield _cleaned("".join(carry))
            carry = [text[cut:]]
        yield _cleaned("".join(carry))

    def resolved(self) -> Iterator[str]:
        """Step 3."""
        carry: list[str] = []
        for text in self.cleaned():
            cut = text.rfind(_PARAGRAPH_END)
            if cut < 0:
                carry.append(text)
                continue
            cut += len(_PARAGRAPH_END)
            carry.append(text[:cut])
            yield self.resolve("".join(carry))
            carry = [text[cut:]]
        rest = "".join(carry)
        if rest:
            yield self.resolve(rest)

    def resolve(self, text: str) -> str:
        """``resolve_listing``, which only rewrites the tabs, line and page breaks in a ``<w:t>``:
        text with none of them is left as it is without its three nested regular expressions."""
        if _LISTING_CHARACTERS.search(text) is None:
            return text
        resolved: str = self.template.resolve_listing(text)
        return resolved

    def write_to(self, out: Any) -> None:
        """Step 4: the ``<w:body>`` element, block by block, into the binary stream ``out``.

        Only the body's own start is reported by the parser; after each feed every child of the
        body but the last is complete (its tail too: the next one has started), and is written.
        """
        from lxml import etree

        alone = etree.fromstring(self.open_tag + "</" + self.open_tag[1:].split(None, 1)[0].rstrip(">") + ">")
        parser = etree.XMLPullParser(
            events=("start",), tag=alone.tag, recover=True, remove_blank_text=True, resolve_entities=False
        )
        blocks = _Blocks(self.template, self.open_tag, alone, out, self.keep)
        root = None
        for text in self.resolved():
            parser.feed(text)
            if root is None:
                root = next((element for _, element in parser.read_events()), None)
                if root is None:
                    continue
                blocks.start(root)
            while len(root) > 1:
                blocks.write(root[0])
        closed = parser.close()
        if root is None:
            root = closed
            blocks.start(root)
        while len(root):
            blocks.write(root[0])
        out.write(b"</" + qname(root) + b">")


class _Blocks:
    """Writes the body's top-level blocks, each with docxtpl's fixes, without the namespaces the
    body declares (lxml would repeat them on every block written on its own)."""

    def __init__(self, template: Any, open_tag: str, alone: Any, out: Any, keep: Keep | None = None) -> None:
        self.template = template
        self.out = out
        self.keep = keep
        self.open_tag = open_tag.encode("utf-8")
        self.namespaces = namespaces_at(alone)

    def start(self, root: Any) -> None:
        self.out.write(self.open_tag)
        if root.text:
            self.out.write(xml_text(root.text))

    def write(self, block: Any) -> None:
        _fix_tables(block)
        for drawing in block.iter(_DOC_PR):
            self.template.docx_ids_index += 1
            drawing.attrib["id"] = str(self.template.docx_ids_index)
        if self.keep is not None:
            self.keep(block, self.namespaces)
        else:
            self.out.write(block_xml(block, self.namespaces)[0])
        # Emptied first, its nodes are freed at once; a whole subtree removed is first moved into a
        # document of its own (twice the time for a report's body).
        parent = block.getparent()
        block.clear()
        parent.remove(block)


def _cleaned(text: str) -> str:
    """docxtpl's clean-up of rendered text: no line break before a paragraph (``\\n<w:p([ >])``
    removed, as two plain replacements), its escaped braces back to braces (``{_{`` → ``{{``)."""
    text = text.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in text:  # one search for the two replacements that need it, usually none
        text = text.replace("{_{", "{{").replace("{_%", "{%")
    if "_}" in text:
        text = text.replace("}_}", "}}").replace("%_}", "%}")
    return text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _grid_fits(table: Any, grid: Any) -> bool:
    """Whether ``fix_tables`` leaves ``table`` as it is: it has rows, each with one cell per column of
    its grid, and no cell spans columns (a table lgcb's templates make). Three times faster to tell
    than to run it."""
    columns = sum(1 for c in grid if c.tag == _GRID_COL)
    if next(table.iter(_GRID_SPAN), None) is not None:
        return False
    rows = 0
    for row in table.iter(_TR):
        rows += 1
        if sum(1 for c in row if c.tag == _TC) != columns:
            return False
    return rows > 0


_TR, _TC, _GRID_COL, _GRID_SPAN = (_W + name for name in ("tr", "tc", "gridCol", "gridSpan"))


def _fix_tables(block: Any) -> None:
    """docxtpl's ``fix_tables`` for the tables in one block: a grid as wide as the widest row."""
    import functools

    from lxml import etree

    ns = _W
    for t in block.iter(ns + "tbl"):
        tbl_grid = t.find(ns + "tblGrid")
        if tbl_grid is None or _grid_fits(t, tbl_grid):
            continue
        columns = tbl_grid.findall(ns + "gridCol")
        to_add = 0
        for r in t.iter(ns + "tr"):
            cells = r.findall(ns + "tc")
            if (len(columns) + to_add) < len(cells):
                to_add = len(cells) - len(columns)
        if to_add > 0:
            width = 0.0
            for c in columns:
                if c.get(ns + "w") is not None:
                    width += float(c.get(ns + "w"))
            if width > 0:
                old_average = width / len(columns)
                new_average = width / (len(columns) + to_add)
                for c in columns:
                    c.set(ns + "w", str(int(float(c.get(ns + "w")) * new_average / old_average)))
                for _ in range(to_add):
                    etree.SubElement(tbl_grid, ns + "gridCol", {ns + "w": str(int(new_average))})
        columns = tbl_grid.findall(ns + "gridCol")
        columns_len = len(columns)
        cells_len_max = 0

        def get_cell_len(total: int, cell: Any) -> int:
            tc_pr = cell.find(ns + "tcPr")
            grid_span = None if tc_pr is None else tc_pr.find(ns + "gridSpan")
            if grid_span is not None:
                return total + int(grid_span.get(ns + "val"))
            return total + 1

        for r in t.iter(ns + "tr"):
            cells = r.findall(ns + "tc")
            cells_len_max = max(cells_len_max, functools.reduce(get_cell_len, cells, 0))
        to_remove = columns_len - cells_len_max
        if to_remove > 0:
            removed_width = 0.0
            for c in columns[-to_remove:]:
                removed_width += float(c.get(ns + "w"))
                tbl_grid.remove(c)
            columns_left = tbl_grid.findall(ns + "gridCol")
            extra_space = 0
            if len(columns_left) > 0:
                extra_space = int(removed_width / len(columns_left))
            for c in columns_left:
                c.set(ns + "w", str(int(float(c.get(ns + "w")) + extra_space)))


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


Keep = Callable[[Any, bytes], None]
"""Given each top-level block of a report's body as rendered (an element, and the namespace
declarations its body makes), in place of writing it into the package."""


def render(plan: Plan, options: RenderOptions, keep: Keep | None = None) -> bytes:
    """The plan as .docx bytes, rendered through the template in a sandboxed Jinja environment.

    With ``keep``, the body's blocks go to it as they are rendered and the package's body stays
    empty: a report read again at once (``diff --format docx``) is then neither zipped nor parsed.
    """
    from jinja2 import StrictUndefined, TemplateError

    from lgcb.render.bounds import BoundedEnvironment

    path = template_path(options)
    template = _open_template(path, template_bytes(path, options))
    with collector_paused():
        # Autoescape: docxtpl writes the values into XML, where "<" and "&" must be escaped.
        context = docx_context(plan, options)
        # No loader: a tag in the document cannot include a file.
        env = BoundedEnvironment(
            autoescape=True,
            undefined=StrictUndefined,
            timeout=options.timeout,
            max_size=options.max_size,
            max_output=options.max_output,
        )
        try:
            data: bytes = template.render_package(context, env, context["plan"], context["generator"], keep)
        except TemplateError as e:
            raise _template_error(path, e) from None
        except Exception as e:  # docxtpl/lxml failing on what the template's tags produced
            raise RenderError(f"{path}: the template could not be rendered: {type(e).__name__}: {e}") from None
    return data
