"""Word: the layout contract shared by the renderer, the template builder and the importer."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: rendering or walking a Word document makes an object
    (a context dict, an element proxy, a text, a location) for each of hundreds of thousands of
    nodes and no cycles, and the collector's passes over all of them (more passes the more there
    are) cost seconds on a large plan, and grow faster than the plan."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def return_freed_memory() -> None:
    """Give the memory of a freed document tree back to the system (glibc's ``malloc_trim``).

    libxml2 allocates a document's elements with ``malloc``; once freed, that memory stays in the
    C heap, which Python's objects (allocated in arenas of their own) do not reuse, so whatever the
    command does next would add to the peak on top of it.  Where there is no glibc it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # a C library without it (musl)
        pass


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
