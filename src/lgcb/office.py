"""The guard every Word or Excel file passes before a library opens it.

Office files come from pull requests and e-mail, so they are treated as hostile: only a regular
file is read (never a FIFO or a device, which would block or never end), at most
``MAX_PACKAGE_BYTES`` of it, counted by what is read rather than by what ``stat`` claims; it must
be a zip package of few enough members, each of whose declared size and compression ratio are
bounded and whose data is decompressed here in full, counting the bytes as they come and
stopping at the bound, so a zip bomb is refused in a fraction of a second instead of filling
memory inside openpyxl or python-docx.  Macro-enabled packages are refused, and XML with a
document type declaration (which OOXML never has, and entity bombs need) too.

The file is read by :func:`lgcb.fileio.read_regular`.  The caller gets the bytes that were checked
and opens ``io.BytesIO(data)``: the path is never read twice, so the file cannot be swapped
between the check and the use.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lgcb.fileio import FileError, display_path, read_regular

MAX_PACKAGE_BYTES = 64 * 1024 * 1024
"""A larger .docx or .xlsx is refused (the shipped plan's workbook is ~40 KiB, 1,000 objectives ~4 MiB)."""

MAX_MEMBERS = 2_000
"""Parts in one package: a workbook or document has tens; thousands means something else."""

MAX_MEMBER_BYTES = 256 * 1024 * 1024
"""Uncompressed size of one part."""

MAX_TOTAL_BYTES = 512 * 1024 * 1024
"""Uncompressed size of all parts together."""

MAX_RATIO = 200
"""Uncompressed/compressed size of a part larger than ``RATIO_FLOOR``; Office XML compresses 5–30 times."""

RATIO_FLOOR = 1024 * 1024
"""Parts smaller than this uncompressed are not held to ``MAX_RATIO`` (a tiny part may compress very well)."""

_CHUNK = 1024 * 1024

KINDS = {
    "docx": ("Word", "word/document.xml", ".docm"),
    "xlsx": ("Excel", "xl/workbook.xml", ".xlsm"),
}
"""kind → (program name, the part every such package has, the macro-enabled suffix)."""

_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_XML_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The start of a compound file: .xls/.doc, and OOXML files encrypted with a password."""


def quoted(text: str) -> str:
    """A piece of a document's text in a message: spaces folded, cut at 160 characters, quoted."""
    text = " ".join(text.split())
    return repr(text if len(text) <= 160 else text[:157] + "...")


class OfficeFileError(Exception):
    """A file that is not a safe Office package; the message reads ``<file>: <what is wrong>``."""


def _mib(size: int) -> str:
    return f"{size / 1048576:.0f} MiB" if size >= 1048576 else f"{size / 1024:.0f} KiB"


def check_package(path: Path, kind: str) -> bytes:
    """Check that ``path`` is a safe ``kind`` ("docx" or "xlsx") package; return its bytes.

    Raises :class:`OfficeFileError` naming the file (and the part) and what is wrong.
    """
    program, _, macro_suffix = KINDS[kind]
    if path.suffix.lower() == macro_suffix:  # refused before anything is read
        return check_data(b"", path, kind)
    try:
        data = read_regular(path, MAX_PACKAGE_BYTES, what=f"{program} file")
    except FileError as e:
        raise OfficeFileError(str(e)) from None
    return check_data(data, path, kind)


def check_data(data: bytes, path: Path, kind: str) -> bytes:
    """:func:`check_package` for bytes already read (boundedly) from ``path``; returns ``data``."""
    program, main_part, macro_suffix = KINDS[kind]
    a_program = f"{'an' if program[0] in 'AEIOU' else 'a'} {program}"
    name = display_path(path)
    if path.suffix.lower() == macro_suffix:
        raise OfficeFileError(
            f"{name}: a macro-enabled {program} file ({macro_suffix}) is refused: lgcb never runs macros; "
            f"save it as .{kind} and try again"
        )
    if len(data) > MAX_PACKAGE_BYTES:
        raise OfficeFileError(
            f"{name}: the {program} file is larger than {_mib(MAX_PACKAGE_BYTES)}, the most lgcb reads"
        )
    if data.startswith(_OLE_MAGIC):
        raise OfficeFileError(
            f"{name}: an older {program} file or a password-protected one, not a .{kind} package; "
            f"open it in {program} or LibreOffice and save it as .{kind} without a password"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise OfficeFileError(
            f"{name}: not {a_program} .{kind} file (it is not a zip package); "
            f"open it in {program} or LibreOffice and save it as .{kind}"
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise OfficeFileError(f"{name}: the package has {len(members)} parts; at most {MAX_MEMBERS} are read")
        names = {m.filename.lower() for m in members}
        for member in members:
            if member.filename.rsplit("/", 1)[-1].lower() in _MACRO_PARTS:
                raise OfficeFileError(
                    f"{name}: the package holds macros ({member.filename}); lgcb never runs macros: "
                    f"save it as a .{kind} without macros and try again"
                )
        if main_part not in names:
            raise OfficeFileError(
                f"{name}: not {a_program} .{kind} file (it has no {main_part}); "
                f"open it in {program} or LibreOffice and save it as .{kind}"
            )
        total = 0
        for member in members:
            total += _check_member(archive, member, name, MAX_TOTAL_BYTES - total)
    return data


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, room: int) -> int:
    """Decompress one part, counting its bytes; return how many there were."""
    where = f"{name}: part {member.filename}"
    declared = member.file_size
    if member.flag_bits & 0x1:
        raise OfficeFileError(f"{where} is encrypted; save the file without a password")
    if declared > MAX_MEMBER_BYTES:
        raise OfficeFileError(f"{where} unpacks to {_mib(declared)}; at most {_mib(MAX_MEMBER_BYTES)} per part")
    if declared > room:
        raise OfficeFileError(f"{where}: the parts unpack to more than {_mib(MAX_TOTAL_BYTES)} together")
    if declared > RATIO_FLOOR and declared > MAX_RATIO * max(member.compress_size, 1):
        raise OfficeFileError(
            f"{where} is compressed {declared // max(member.compress_size, 1)} times "
            f"(at most {MAX_RATIO}): a zip bomb, not an Office file"
        )
    limit = min(declared, MAX_MEMBER_BYTES, room)
    is_xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
    count = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                count += len(chunk)
                if count > limit:
                    raise OfficeFileError(
                        f"{where} unpacks to more than the {_mib(declared)} it declares: a zip bomb, not an Office file"
                    )
                if is_xml:
                    window = tail + chunk
                    if any(marker in window for marker in _XML_DECLARATIONS):
                        raise OfficeFileError(
                            f"{where} declares a document type or entities, which Office files never do; refused"
                        )
                    tail = chunk[-16:]
    except OfficeFileError:
        raise
    except zipfile.BadZipFile as e:
        if "CRC" not in str(e):
            raise OfficeFileError(f"{where} is damaged ({e}); open the file and save it again") from None
        raise OfficeFileError(
            f"{where} does not unpack to what it declares (its size or checksum is wrong): "
            "a damaged or tampered file; open it and save it again"
        ) from None
    except Exception as e:  # zlib.error and the like: the part cannot be unpacked
        raise OfficeFileError(f"{where} is damaged ({e}); open the file and save it again") from None
    return count


class Compressing:
    """A binary stream that hands what is written to it to ``target`` (a zip member opened for
    writing) on a thread of its own.

    zlib lets go of the interpreter's lock while it compresses, so a large part is compressed on a
    second core while its XML is still being made, instead of in turns with it.  Writes are
    gathered into pieces of :data:`_PIECE` bytes, and at most a few pieces wait at once.  An error
    of the target's is raised at the next write, or on leaving the ``with`` block.
    """

    def __init__(self, target: Any) -> None:
        import queue
        import threading

        self.target = target
        self.error: BaseException | None = None
        self.held: list[bytes] = []
        self.size = 0
        self.waiting: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.thread = threading.Thread(target=self._compress, name="lgcb-compress", daemon=True)
        self.thread.start()

    def _compress(self) -> None:
        while (piece := self.waiting.get()) is not None:
            if self.error is None:
                try:
                    self.target.write(piece)
                except BaseException as e:  # raised again in the writing thread
                    self.error = e

    def write(self, data: bytes) -> int:
        if self.error is not None:
            raise self.error
        self.held.append(data)
        self.size += len(data)
        if self.size >= _PIECE:
            self.waiting.put(b"".join(self.held))
            self.held, self.size = [], 0
        return len(data)

    def __enter__(self) -> Compressing:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None and self.held:
            self.waiting.put(b"".join(self.held))
        self.held = []
        self.waiting.put(None)
        self.thread.join()
        if kind is None and self.error is not None:
            raise self.error


_PIECE = 1 << 20
"""Bytes handed to the compressing thread at a time."""
