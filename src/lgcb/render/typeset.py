"""Typst in a process of its own, so that a PDF render is bounded in time and memory like every render.

The Jinja stage of a PDF template runs in the bounded sandbox, but the Typst code it writes could loop
or allocate without end, and a thread cannot stop Typst.  :func:`typeset` runs the compiler in a child
process (``python -m lgcb.render.typeset``), ends it at the render's deadline and, on Linux and macOS,
caps its address space.  The child reads one JSON request on stdin and writes the PDF on stdout, or a
JSON description of Typst's error (exit 3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

DEFAULT_MEMORY = 8 * 1024**3
"""Address space a Typst run may use: a plan of 1,000 objectives needs about 4.6 GB."""


@dataclass(frozen=True)
class TypstFailure(Exception):
    """Typst's own error, as the child reported it."""

    message: str
    hints: tuple[str, ...]
    diagnostic: str


class Limit(Exception):
    """The run went past its time or memory; the text says which."""


def _limits(memory: int) -> Any:
    if sys.platform not in ("linux", "darwin"):
        return None

    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def typeset(
    source: str, payload: str, standards: list[str], timestamp: str | None, *, timeout: float, memory: int
) -> bytes:
    """The PDF of ``source``; raises :class:`TypstFailure`, or :class:`Limit` past ``timeout``/``memory``."""
    request = json.dumps({"source": source, "payload": payload, "standards": standards, "timestamp": timestamp})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lgcb.render.typeset"],
            input=request.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
            preexec_fn=_limits(memory),  # only setrlimit, before exec
        )
    except subprocess.TimeoutExpired:
        raise Limit(f"Typst ran longer than {timeout:g} s (--timeout)") from None
    if done.returncode == 0:
        return done.stdout
    if done.returncode == 3:
        error = json.loads(done.stdout.decode("utf-8"))
        raise TypstFailure(error["message"], tuple(error["hints"]), error["diagnostic"])
    detail = done.stderr.decode("utf-8", "replace")
    if done.returncode < 0 or "MemoryError" in detail or "memory allocation" in detail or "alloc" in detail:
        raise Limit(f"Typst used more than {memory / 1024**3:g} GiB of memory")
    raise Limit(f"Typst stopped unexpectedly (exit {done.returncode}): {detail.strip()[-300:]}")


def main() -> int:
    """The child: one request on stdin, the PDF (or Typst's error) on stdout."""
    from datetime import datetime

    import typst

    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    with tempfile.TemporaryDirectory(prefix="lgcb-typst-") as root:
        compiler = typst.Compiler(root=root, ignore_system_fonts=True, sys_inputs={"lgcb-data": request["payload"]})
        stamp = datetime.fromisoformat(request["timestamp"]) if request["timestamp"] else None
        try:
            pdf = compiler.compile(
                input=request["source"].encode("utf-8"),
                format="pdf",
                pdf_standards=request["standards"],
                timestamp=stamp,
            )
        except typst.TypstError as e:
            error = {
                "message": str(getattr(e, "message", "") or e),
                "hints": [str(h) for h in getattr(e, "hints", None) or [] if h],
                "diagnostic": str(getattr(e, "diagnostic", "") or ""),
            }
            sys.stdout.write(json.dumps(error))
            return 3
    out = os.fdopen(sys.stdout.fileno(), "wb", closefd=False)
    out.write(pdf if isinstance(pdf, bytes) else b"")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
