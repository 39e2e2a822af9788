"""The document's properties: what Word shows under File › Info, and where ``lgcb import`` finds plan.yaml.

A rendered report names its title, subject and language in the core properties, lgcb as the
producing application in the extended properties (``docProps/app.xml``), and every plan-level
field (source, timeframe, Strategic Plan) as a custom property, so that the text itself carries
only a short source note.  Nothing of the template's origin is left: no "python-docx" author, no
"Microsoft Macintosh Word" application, no blank thumbnail.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from lgcb.word import layout

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
"""The format ID Word gives every user-defined property."""
_CUSTOM_PART = "/docProps/custom.xml"
_MAX_CUSTOM_BYTES = 1_000_000
"""A custom-properties part larger than this is not read (a real one is a few kilobytes)."""


def app_xml(generator: str) -> bytes:
    """``docProps/app.xml`` naming the producing application, and nothing else."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_EXTENDED_NS}" xmlns:vt="{_VT_NS}">'
        f"<Application>{escape(generator)}</Application><DocSecurity>0</DocSecurity></Properties>"
    ).encode()


def custom_xml(properties: list[tuple[str, str]]) -> bytes:
    """``docProps/custom.xml`` with one text property per (name, value)."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties, start=2)
    )
    return (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'
    ).encode()


def _drop(package: Any, reltype: str) -> None:
    for rid, rel in list(package.rels.items()):
        if rel.reltype == reltype:
            package.rels.pop(rid)
            package.rels.related_parts.pop(rid, None)


def drop_thumbnail(document: Any) -> None:
    """Remove the package thumbnail (python-docx's default template carries a blank one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    _drop(document.part.package, RT.THUMBNAIL)


def set_application(document: Any, generator: str) -> None:
    """Replace ``docProps/app.xml`` by one that names ``generator`` as the producing application."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    _drop(package, RT.EXTENDED_PROPERTIES)
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, app_xml(generator), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)


def set_custom(document: Any, properties: list[tuple[str, str]]) -> None:
    """Replace the custom document properties by ``properties`` (name, text value)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    _drop(package, RT.CUSTOM_PROPERTIES)
    custom = Part(PackURI(_CUSTOM_PART), CT.OFC_CUSTOM_PROPERTIES, custom_xml(properties), package)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)


def set_properties(document: Any, info: dict[str, Any], generator: str) -> None:
    """Core, extended and custom properties of a python-docx ``document`` for the plan ``info``."""
    core = document.core_properties
    core.title = info["title"]
    core.subject = layout.subject(info)
    core.language = layout.LANGUAGE
    for name in ("author", "last_modified_by", "comments", "keywords", "category"):
        setattr(core, name, "")
    drop_thumbnail(document)
    set_application(document, generator)
    set_custom(document, layout.plan_properties(info))


def custom_properties(document: Any) -> dict[str, str]:
    """The custom document properties of a python-docx ``document`` as name → text ({} when none).

    Parsed without entities or network access; a part that is not well-formed, or too large,
    reads as no properties (the importer then reports the fields it could not find).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    package = document.part.package
    part = next((r.target_part for r in package.rels.values() if r.reltype == RT.CUSTOM_PROPERTIES), None)
    if part is None or len(part.blob) > _MAX_CUSTOM_BYTES:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(part.blob, parser)
    except etree.XMLSyntaxError:
        return {}
    properties: dict[str, str] = {}
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name")
        value = next(iter(prop), None)
        if name and value is not None:
            properties[name] = value.text or ""
    return properties
