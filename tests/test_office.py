"""Office files are checked before any library opens them: regular files only, bounded size, no zip bombs, no macros.

Each hostile file is built here with zipfile; the checks that must end quickly run in a fresh
interpreter under a timeout, so a guard that hangs or fills memory fails the test instead of the run.
"""

from __future__ import annotations

import contextlib
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lgcb import office
from lgcb.office import Compressing, OfficeFileError, check_package

ROOT = Path(__file__).resolve().parent.parent

_CHECK = """
import sys
from pathlib import Path
from lgcb.office import Compressing, OfficeFileError, check_package
try:
    check_package(Path(sys.argv[1]), sys.argv[2])
except OfficeFileError as e:
    print(e)
else:
    print("accepted")
"""


def check_in_subprocess(path: Path, kind: str, timeout: float = 30) -> str:
    """What the guard says about ``path``, from a fresh interpreter that must finish within ``timeout``."""
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, str(path), kind], capture_output=True, text=True, timeout=timeout, check=True
    )
    return done.stdout.strip()


def package(members: dict[str, bytes | int], level: int = 6) -> bytes:
    """A zip of ``members``: bytes as given, or an int for that many zero bytes, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w") as stream:
                chunk = bytes(1 << 20)
                for start in range(0, content, len(chunk)):
                    stream.write(chunk[: min(len(chunk), content - start)])
    return buffer.getvalue()


def lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The same zip, with ``name``'s uncompressed size stated as ``size`` in both of its headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        position = archive.start_dir
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    while patched[position : position + 4] == b"PK\x01\x02":
        n, m, k = struct.unpack_from("<HHH", patched, position + 28)
        if patched[position + 46 : position + 46 + n].decode() == name:
            struct.pack_into("<I", patched, position + 24, size)
        position += 46 + n + m + k
    return bytes(patched)


MINIMAL_DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
MINIMAL_XLSX = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A ~5 MB .docx whose word/document.xml unpacks to 1 GiB."""
    return package({"[Content_Types].xml": b"<Types/>", "word/document.xml": 1 << 30}, level=1)


def test_a_real_word_document_passes_and_its_bytes_are_returned() -> None:
    path = ROOT / "examples" / "import" / "national-plan.docx"

    assert check_package(path, "docx") == path.read_bytes()


def test_a_workbook_written_by_openpyxl_passes(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "text"
    workbook.save(path)

    assert check_package(path, "xlsx") == path.read_bytes()


def test_a_part_that_unpacks_to_a_gigabyte_is_refused_quickly(tmp_path: Path, gigabyte_bomb: bytes) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(gigabyte_bomb)
    assert path.stat().st_size < 6_000_000

    assert check_in_subprocess(path, "docx", timeout=15) == (
        f"{path}: part word/document.xml unpacks to 1024 MiB; at most 256 MiB per part"
    )


def test_a_part_lying_about_its_size_is_refused_after_the_size_it_declares(
    tmp_path: Path, gigabyte_bomb: bytes
) -> None:
    path = tmp_path / "liar.docx"
    path.write_bytes(lie_about_size(gigabyte_bomb, "word/document.xml", 100_000))

    assert check_in_subprocess(path, "docx", timeout=15) == (
        f"{path}: part word/document.xml does not unpack to what it declares (its size or checksum is wrong): "
        "a damaged or tampered file; open it and save it again"
    )


def test_a_part_compressed_beyond_any_office_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dense.xlsx"
    path.write_bytes(package({**MINIMAL_XLSX, "xl/worksheets/sheet1.xml": 50 << 20}, level=9))

    message = check_in_subprocess(path, "xlsx")

    assert message.startswith(f"{path}: part xl/worksheets/sheet1.xml is compressed ")
    assert message.endswith("times (at most 200): a zip bomb, not an Office file")


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    path.write_bytes(package({**MINIMAL_XLSX, **{f"xl/media/{i}.bin": b"" for i in range(2_000)}}))

    assert check_in_subprocess(path, "xlsx") == f"{path}: the package has 2002 parts; at most 2000 are read"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.xlsx"
    os.mkfifo(fifo)
    link = tmp_path / "link.xlsx"
    link.symlink_to(fifo)

    for path in (fifo, link):
        assert check_in_subprocess(path, "xlsx", timeout=10) == (
            f"{path}: the Excel file is not a regular file (a device, pipe or socket); lgcb reads only regular files"
        )


def test_a_directory_and_a_device_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OfficeFileError, match="the Excel file is a directory; lgcb reads only regular files"):
        check_package(tmp_path, "xlsx")
    with pytest.raises(OfficeFileError, match=r"/dev/zero: the Word file is not a regular file \(a device"):
        check_package(Path("/dev/zero"), "docx")


def test_the_size_limit_counts_what_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(package({**MINIMAL_XLSX, "xl/padding.bin": os.urandom(4096)}))
    monkeypatch.setattr(office, "MAX_PACKAGE_BYTES", 2048)
    monkeypatch.chdir(tmp_path.parent)  # the message names the file relative to the working directory
    path = Path(tmp_path.name) / "big.xlsx"

    with pytest.raises(OfficeFileError) as raised:
        check_package(path, "xlsx")

    assert str(raised.value) == f"{path}: the Excel file is larger than 2 KiB, the most lgcb reads"


def test_macros_are_refused_by_name_and_by_content(tmp_path: Path) -> None:
    macro = tmp_path / "plan.xlsm"
    macro.write_bytes(package(MINIMAL_XLSX))
    hidden = tmp_path / "plan.xlsx"
    hidden.write_bytes(package({**MINIMAL_XLSX, "xl/vbaProject.bin": b"\x00" * 10}))
    word = tmp_path / "plan.docm"
    word.write_bytes(package(MINIMAL_DOCX))

    with pytest.raises(OfficeFileError) as by_name:
        check_package(macro, "xlsx")
    with pytest.raises(OfficeFileError) as by_content:
        check_package(hidden, "xlsx")
    with pytest.raises(OfficeFileError, match=r"plan\.docm: a macro-enabled Word file \(\.docm\) is refused"):
        check_package(word, "docx")

    assert str(by_name.value) == (
        f"{macro}: a macro-enabled Excel file (.xlsm) is refused: lgcb never runs macros; save it as .xlsx and try again"
    )
    assert str(by_content.value) == (
        f"{hidden}: the package holds macros (xl/vbaProject.bin); lgcb never runs macros: "
        "save it as a .xlsx without macros and try again"
    )


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xlsx"
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><workbook>&lol;</workbook>'
    path.write_bytes(package({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": bomb}))

    with pytest.raises(OfficeFileError) as raised:
        check_package(path, "xlsx")

    assert str(raised.value) == (
        f"{path}: part xl/workbook.xml declares a document type or entities, which Office files never do; refused"
    )


def test_files_that_are_not_packages_say_what_to_do(tmp_path: Path) -> None:
    text = tmp_path / "plan.xlsx"
    text.write_text("objective,column\n", encoding="utf-8")
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    word = tmp_path / "word.xlsx"
    word.write_bytes(package(MINIMAL_DOCX))

    messages = []
    for path in (text, old, word):
        with pytest.raises(OfficeFileError) as raised:
            check_package(path, "xlsx")
        messages.append(str(raised.value))

    assert messages == [
        f"{text}: not an Excel .xlsx file (it is not a zip package); open it in Excel or LibreOffice and save it as .xlsx",
        f"{old}: an older Excel file or a password-protected one, not a .xlsx package; "
        "open it in Excel or LibreOffice and save it as .xlsx without a password",
        f"{word}: not an Excel .xlsx file (it has no xl/workbook.xml); open it in Excel or LibreOffice and save it as .xlsx",
    ]


def test_a_part_compressed_on_its_own_thread_is_the_part_written_directly() -> None:

    pieces = [f"<w:p><w:r><w:t>entry {i}</w:t></w:r></w:p>".encode() * (i % 7 + 1) for i in range(40_000)]

    def package(threaded: bool) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo("word/document.xml", (2012, 3, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as member:
                target = Compressing(member) if threaded else contextlib.nullcontext(member)
                with target as part:
                    for piece in pieces:
                        part.write(piece)
        return out.getvalue()

    assert package(threaded=True) == package(threaded=False)
    assert zipfile.ZipFile(io.BytesIO(package(threaded=True))).read("word/document.xml") == b"".join(pieces)


def test_an_error_of_the_compressing_thread_is_raised_in_the_writing_one() -> None:

    class Full(io.RawIOBase):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"), Compressing(Full()) as part:
        for _ in range(64):
            part.write(b"x" * (1 << 18))
    with pytest.raises(OSError, match="No space left"), Compressing(Full()) as part:
        part.write(b"small")  # held until the block ends, written then
