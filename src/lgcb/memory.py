"""How lgcb uses the process's memory on large plans.

Loading a plan, rendering a report or reading a Word document makes hundreds of thousands of
objects that hold no reference cycles: the cyclic collector's passes over them are pure cost, so
it is paused for those stretches.  A document's element tree, freed, leaves its memory in the C
heap, where Python's own objects cannot reuse it: it is handed back to the system.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Without the cyclic garbage collector: rendering a report or walking a Word document makes an
    object (a context dict, an element proxy, a text, a location) for each of hundreds of thousands
    of entries or nodes and no cycles, and the collector's passes over all of them (more passes the
    more there are) cost seconds on a large plan, and grow faster than the plan.  A pause that
    ends after the process stopped the collector (:func:`freeze_for_the_process`) leaves it stopped."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not _stopped:
            gc.enable()


_stopped = False
"""Whether :func:`freeze_for_the_process` stopped the collector for the rest of the process."""


def freeze_for_the_process() -> None:
    """For lgcb's own process, once its plan is loaded: what is alive is moved out of the cyclic
    collector's sight (``gc.freeze``), and the collector stops for the rest of the command.

    The plan lives until the process ends, so passes over it would only cost time.  What a command
    makes after the load (findings, rows, a report's context, the edited plan) holds
    no reference cycles, and with the plan frozen out of sight the collector's heuristic starts full
    passes over everything made since, more often the more there is: a tenth to a fifth of a
    command's time at 3,000 objectives, growing faster than the plan.  The few cycles a command
    makes (a workbook and its sheets) are freed when the process ends, moments later.  Code that
    makes a cycle per element of a document collects them itself (the Word import's stream).
    """
    import gc

    global _stopped
    _stopped = True
    gc.freeze()
    gc.disable()


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
