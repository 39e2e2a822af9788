"""Word: the layout contract shared by the renderer, the template builder and the importer."""

from __future__ import annotations

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


def qname(element: Any) -> bytes:
    """An element's name as written in the XML (``w:p``): to write a block's start or end tag."""
    from lxml import etree

    local = etree.QName(element).localname
    return (f"{element.prefix}:{local}" if element.prefix else local).encode()


def xml_text(text: str) -> bytes:
    """Text as XML character data, UTF-8 (a block's tail, a body's leading text)."""
    from xml.sax.saxutils import escape

    return escape(text).encode("utf-8")
