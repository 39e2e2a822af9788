"""Word: the layout contract shared by the renderer, the template builder and the importer."""

from __future__ import annotations

from typing import Any

MAIN_PART = "word/document.xml"
"""The main document part of a Word package, where lgcb's reports and Word put it."""


def qname(element: Any) -> bytes:
    """An element's name as written in the XML (``w:p``): to write a block's start or end tag."""
    from lxml import etree

    local = etree.QName(element).localname
    return (f"{element.prefix}:{local}" if element.prefix else local).encode()


def xml_text(text: str) -> bytes:
    """Text as XML character data, UTF-8 (a block's tail, a body's leading text)."""
    from xml.sax.saxutils import escape

    return escape(text).encode("utf-8")


def namespaces_at(element: Any) -> bytes:
    """What lxml writes in front of the attributes of a child of ``element`` serialised on its own:
    the declarations of the namespaces in scope there (a body's, repeated on each of its blocks)."""
    from lxml import etree

    probe = etree.Element(element.tag, nsmap=element.nsmap)
    written: bytes = etree.tostring(probe)
    return written[len(b"<" + qname(probe)) : -2]


def block_xml(element: Any, namespaces: bytes, *, tail: bool = True) -> tuple[bytes, int]:
    """``element`` as UTF-8 XML without the ``namespaces`` (:func:`namespaces_at` its parent) lxml
    repeats on it, and where they were taken out (0: they were not there, the XML is whole)."""
    from lxml import etree

    xml: bytes = etree.tostring(element, encoding="UTF-8", xml_declaration=False, with_tail=tail)
    head = b"<" + qname(element)
    if namespaces and xml.startswith(head + namespaces):
        return head + xml[len(head) + len(namespaces) :], len(head)
    return xml, 0
