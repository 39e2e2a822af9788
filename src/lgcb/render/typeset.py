"""Typst in a process of its own, so that a PDF render is bounded in time and memory like every render.

The Jinja stage of a PDF template runs in the bounded sandbox, but the Typst code it writes could loop
or allocate without end, and a thread cannot stop Typst.  :func:`typeset` runs the compiler in a child
process (``python -m lgcb.render.typeset``), ends it at the render's deadline and, on Linux and macOS,
caps its address space.  The child writes the PDF on stdout, or a JSON description of Typst's error
(exit 3).

The request reaches the child on stdin from a temporary file: one line of JSON with the Typst source,
then the plan's data as it is (JSON text, tens of megabytes for a large plan), so the data is neither
quoted a second time inside the request nor held in the parent's memory while Typst runs.  The PDF
standards and the timestamp are arguments of the command, so one request file serves a second run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import IO, Any, cast

DEFAULT_MEMORY = 8 * 1024**3
"""Address space a Typst run may use: a plan of 1,000 objectives needs about 4.6 GB."""


@dataclass(frozen=True)
class TypstFailure(Exception):
    """Typst's own error, as the child reported it."""

    message: str
    hints: tuple[str, ...]
    diagnostic: str


class Limit(Exception):
    """The run went past its time or memory; the text says which (``memory``: it was memory)."""

    def __init__(self, message: str, memory: bool = False) -> None:
        super().__init__(message)
        self.memory = memory


def _limits(memory: int) -> Any:
    if sys.platform not in ("linux", "darwin"):
        return None

    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def write_request(source: str, payload: str) -> IO[bytes]:
    """A temporary file holding the request for :func:`typeset`: the source's JSON line, then ``payload``.

    The caller may drop its own ``payload`` once this returns; the file is deleted when closed.
    """
    request = tempfile.TemporaryFile(prefix="lgcb-typst-")
    request.write(json.dumps({"source": source}).encode("utf-8") + b"\n")
    for start in range(0, len(payload), _CHUNK):  # encoded a slice at a time: no second whole copy
        request.write(payload[start : start + _CHUNK].encode("utf-8"))
    request.flush()
    request.seek(0)
    return request


_CHUNK = 1 << 20


def typeset(request: IO[bytes], standards: list[str], timestamp: str | None, *, timeout: float, memory: int) -> bytes:
    """The PDF of a :func:`write_request` file.

    Raises :class:`TypstFailure`, or :class:`Limit` past ``timeout`` or ``memory``.
    """
    command = [sys.executable, "-m", "lgcb.render.typeset"]
    command += [f"--standard={s}" for s in standards]
    if timestamp is not None:
        command.append(f"--timestamp={timestamp}")
    request.flush()
    os.lseek(request.fileno(), 0, os.SEEK_SET)  # the descriptor's own offset, which the child reads from
    try:
        done = subprocess.run(
            command,
            stdin=request,
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
        raise Limit(f"Typst used more than {memory / 1024**3:g} GiB of memory", memory=True)
    raise Limit(f"Typst stopped unexpectedly (exit {done.returncode}): {detail.strip()[-300:]}")


def main(argv: list[str]) -> int:
    """The child: the request on stdin, ``--standard=`` and ``--timestamp=`` arguments; the PDF on stdout.

    Typst's error instead goes on stdout as JSON, with exit status 3.
    """
    from datetime import datetime

    import typst

    standards = [a.partition("=")[2] for a in argv if a.startswith("--standard=")]
    stamps = [a.partition("=")[2] for a in argv if a.startswith("--timestamp=")]
    stamp = datetime.fromisoformat(stamps[-1]) if stamps else None
    source = json.loads(sys.stdin.buffer.readline().decode("utf-8"))["source"]
    payload = sys.stdin.buffer.read().decode("utf-8")
    with tempfile.TemporaryDirectory(prefix="lgcb-typst-") as root:
        compiler = typst.Compiler(root=root, ignore_system_fonts=True, sys_inputs={"lgcb-data": payload})
        del payload  # Typst holds its own copy
        try:
            pdf = compiler.compile(
                input=source.encode("utf-8"), format="pdf", pdf_standards=cast(Any, standards), timestamp=stamp
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
    raise SystemExit(main(sys.argv[1:]))
