"""Word: the layout contract shared by the renderer, the template builder and the importer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
