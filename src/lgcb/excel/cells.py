"""The cells of a workbook's sheets, read as a stream: one row at a time, in constant memory per row.

openpyxl's loader builds an object per cell (and per shared string, a rich-text tree) for every
sheet of the package, most of a minute for the million cells of a large plan.  The readers of
:mod:`lgcb.excel.read` need far less: per cell its value and kind, as openpyxl would give them
(the same values, types and dates), plus the merged ranges of a sheet.  So a package is read
here with the standard library's XML parser: the workbook's sheet list, the shared strings, the
cell styles that are dates, and then only the sheets asked for, row by row, each row dropped once
it is used.

The package is the one :func:`lgcb.office.check_package` checked (no document type declarations,
no entities, bounded sizes); anything malformed raises :class:`SheetError`.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from xml.etree.ElementTree import iterparse

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _F, _V, _IS, _MERGE, _LINK = (f"{MAIN}{name}" for name in ("row", "f", "v", "is", "mergeCell", "hyperlink"))
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_DRAWING_TEXT = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
_ANCHORS = frozenset(f"{_DRAWING}{name}" for name in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"))


class SheetError(Exception):
    """The package is not a workbook that can be read (a missing or malformed part)."""


class Cell(NamedTuple):
    """One stored cell: its 1-based row and column, value and kind.

    ``data_type`` is openpyxl's: "s" text, "n" number, "b" yes/no, "d" date or time, "e" an error
    value, "f" a formula (``value`` is then the formula, from "=").
    """

    row: int
    column: int
    value: Any
    data_type: str

    @property
    def coordinate(self) -> str:
        from lgcb.excel.layout import letter

        return f"{letter(self.column - 1)}{self.row}"


@dataclass
class Sheet:
    """What was read of one sheet after its rows: the merged ranges ("A1:B2"), and the links on
    cells (their cell or range, relationship ID, and place in the workbook)."""

    merged: list[str] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Any) -> str:
    """The text of a string item (``<si>`` or ``<is>``): its ``t``, or its runs' ``t``, not phonetic runs."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for run in child:
                if _local(run.tag) == "t":
                    parts.append(run.text or "")
    return "".join(parts)


def _column(reference: str) -> int:
    """The 1-based column of a cell reference ("C12" → 3)."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number


class Workbook:
    """A checked .xlsx package: its sheet names, and a stream of each sheet's cells."""

    def __init__(self, data: bytes) -> None:
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self._sheets, self._epoch = self._workbook()
            rels = self._rels("xl/workbook.xml")
            self.shared: list[str] = []
            self.dates: set[int] = set()
            self.durations: set[int] = set()
            for kind, target in rels.values():
                if kind.endswith("/sharedStrings"):
                    self.shared = self._shared_strings(target)
                elif kind.endswith("/styles"):
                    self.dates, self.durations = self._date_styles(target)
            self.paths = {name: rels[rid][1] for name, rid in self._sheets if rid in rels}
        except SheetError:
            raise
        except Exception as e:  # a damaged part: zipfile, XML and value errors alike
            raise SheetError(f"{type(e).__name__}: {e}") from None

    @property
    def sheetnames(self) -> list[str]:
        return [name for name, _ in self._sheets]

    def close(self) -> None:
        self.archive.close()

    def _part(self, name: str) -> Any:
        try:
            return self.archive.open(name)
        except KeyError:
            raise SheetError(f"the package has no part {name}") from None

    def _workbook(self) -> tuple[list[tuple[str, str]], Any]:
        import datetime as dt

        sheets = []
        epoch = dt.datetime(1899, 12, 30)
        with self._part("xl/workbook.xml") as source:
            for _, element in iterparse(source):
                name = _local(element.tag)
                if name == "sheet":
                    rid = element.get(f"{_REL}id") or ""
                    sheets.append((element.get("name", ""), rid))
                elif name == "workbookPr" and element.get("date1904", "").lower() in ("1", "true"):
                    epoch = dt.datetime(1904, 1, 1)
        return sheets, epoch

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship ID → (type, the target's part name; for an external target, its address) of ``part``."""
        folder, name = posixpath.split(part)
        rels: dict[str, tuple[str, str]] = {}
        with self._part(posixpath.join(folder, "_rels", f"{name}.rels")) as source:
            for _, element in iterparse(source):
                if element.tag != f"{_PACKAGE_REL}Relationship":
                    continue
                target = element.get("Target", "")
                if element.get("TargetMode") != "External":
                    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                    target = posixpath.normpath(path)
                rels[element.get("Id", "")] = (element.get("Type", ""), target)
        return rels

    def _sheet_rels(self, name: str) -> dict[str, tuple[str, str]]:
        """The relationships of sheet ``name`` (:meth:`_rels`); none for a sheet without any."""
        path = self.paths.get(name)
        if path is None:
            return {}
        try:
            return self._rels(path)
        except SheetError:  # no relationships part
            return {}

    def _shared_strings(self, part: str) -> list[str]:
        strings = []
        with self._part(part) as source:
            for _, element in iterparse(source):
                if _local(element.tag) == "si":
                    # openpyxl's reading of an escaped underscore (Excel writes "_x005F_" for "_")
                    strings.append(_text(element).replace("x005F_", ""))
                    element.clear()
        return strings

    def _date_styles(self, part: str) -> tuple[set[int], set[int]]:
        """The cell styles (by index) whose number format shows a date or time, and a duration."""
        formats: dict[int, str] = {}
        styles: list[int] = []
        with self._part(part) as source:
            for _, element in iterparse(source):
                name = _local(element.tag)
                if name == "numFmt":
                    formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
                elif name == "cellXfs":
                    styles = [int(xf.get("numFmtId", "0")) for xf in element if _local(xf.tag) == "xf"]
        dates: set[int] = set()
        durations: set[int] = set()
        if not any(styles):  # every style has the General format (lgcb's own workbooks): no date
            return dates, durations
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        formats = {**BUILTIN_FORMATS, **formats}
        for index, number in enumerate(styles):
            code = formats.get(number, "")
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return dates, durations

    def comments(self, name: str) -> list[tuple[str, str, str]]:
        """(cell, author, text) of each comment (Excel's note; a threaded comment keeps one too)
        on sheet ``name``, in the order the package stores them."""
        found: list[tuple[str, str, str]] = []
        for kind, target in self._sheet_rels(name).values():
            if not kind.endswith("/comments"):
                continue
            authors: list[str] = []
            with self._part(target) as source:
                for _, element in iterparse(source):
                    tag = _local(element.tag)
                    if tag == "author":
                        authors.append(element.text or "")
                    elif tag == "comment":
                        index = element.get("authorId", "")
                        author = authors[int(index)] if index.isdigit() and int(index) < len(authors) else ""
                        text = element.find(f"{MAIN}text")
                        found.append((element.get("ref", ""), author, _text(text) if text is not None else ""))
                        element.clear()
        return found

    def link_targets(self, name: str) -> dict[str, str]:
        """Relationship ID → the address a link on sheet ``name`` goes to (a web address)."""
        return {rid: target for rid, (kind, target) in self._sheet_rels(name).items() if kind.endswith("/hyperlink")}

    def drawings(self, name: str) -> list[tuple[str, str, bool]]:
        """(the cell it is anchored at, its text, whether it is a chart) of each shape, text box or
        chart drawn on sheet ``name`` that holds text or is a chart (a picture holds neither)."""
        found: list[tuple[str, str, bool]] = []
        for kind, target in self._sheet_rels(name).values():
            if not kind.endswith("/drawing"):
                continue
            with self._part(target) as source:
                for _, element in iterparse(source):
                    if element.tag not in _ANCHORS:
                        continue
                    start = element.find(f"{_DRAWING}from")
                    cell = ""
                    if start is not None:
                        column, row = start.findtext(f"{_DRAWING}col"), start.findtext(f"{_DRAWING}row")
                        if column and row and column.isdigit() and row.isdigit():
                            from lgcb.excel.layout import letter

                            cell = f"{letter(int(column))}{int(row) + 1}"
                    text = "".join(t.text or "" for t in element.iter(_DRAWING_TEXT))
                    chart = any(_local(e.tag) == "chart" for e in element.iter())
                    if text.strip() or chart:
                        found.append((cell, text, chart))
                    element.clear()
        return found

    def protected(self, name: str) -> bool:
        """Whether sheet ``name`` is protected (its ``sheetProtection`` says ``sheet="1"``): the
        element follows every row, so the part is searched as bytes, not parsed."""
        path = self.paths.get(name)
        if path is None:
            return False
        with self._part(path) as source:
            match = _PROTECTION.search(source.read())
        return match is not None and _SHEET_ON.search(match.group(0)) is not None

    def has_values(self, name: str) -> bool:
        """Whether sheet ``name`` has a cell with a value (read up to the first one)."""
        return any(cell.value not in (None, "") for _, cells in self.rows(name) for cell in cells)

    def rows(self, name: str, sheet: Sheet | None = None) -> Iterator[tuple[int, list[Cell]]]:
        """Each stored row of sheet ``name``: its number and its cells (left to right, stored ones only).

        The merged ranges, which come after the rows in the sheet's XML, are put in ``sheet`` once
        every row has been read.
        """
        try:
            source = self._part(self.paths[name])
        except KeyError:
            raise SheetError(f"the workbook has no sheet {name!r}") from None
        shared, dates, durations, epoch = self.shared, self.dates, self.durations, self._epoch
        formulas: dict[str, Any] = {}
        number = 0
        with source:
            try:
                for _, element in iterparse(source):
                    tag = element.tag
                    if tag == _ROW:
                        given = element.get("r")
                        number = int(float(given)) if given else number + 1
                        cells = []
                        column = 0
                        for c in element:
                            reference = c.get("r")
                            column = _column(reference) if reference else column + 1
                            kind = c.get("t", "n")
                            formula = c.find(_F)
                            if formula is not None:
                                cells.append(Cell(number, column, _formula(formula, reference, formulas), "f"))
                                continue
                            if kind == "inlineStr":
                                inline = c.find(_IS)
                                text = None if inline is None else _text(inline)
                                cells.append(Cell(number, column, text, "n" if inline is None else "s"))
                                continue
                            value: Any = c.findtext(_V) or None
                            if value is None:
                                cells.append(Cell(number, column, None, "s" if kind == "str" else kind))
                            elif kind == "s":
                                cells.append(Cell(number, column, shared[int(value)], "s"))
                            elif kind == "n":
                                value = float(value) if ("." in value or "e" in value or "E" in value) else int(value)
                                style = int(c.get("s") or 0)
                                if style in dates:
                                    try:
                                        moment = _from_excel(value, epoch, style in durations)
                                        cells.append(Cell(number, column, moment, "d"))
                                    except (OverflowError, ValueError):
                                        cells.append(Cell(number, column, "#VALUE!", "e"))
                                else:
                                    cells.append(Cell(number, column, value, "n"))
                            elif kind == "b":
                                cells.append(Cell(number, column, bool(int(value)), "b"))
                            elif kind == "str":
                                cells.append(Cell(number, column, value, "s"))
                            elif kind == "d":
                                cells.append(Cell(number, column, _from_iso(value), "d"))
                            else:
                                cells.append(Cell(number, column, value, kind))
                        yield number, cells
                        element.clear()  # the row's cells go; only an empty element stays per row
                    elif tag == _MERGE:
                        if sheet is not None and element.get("ref"):
                            sheet.merged.append(element.get("ref", ""))
                    elif tag == _LINK and sheet is not None:
                        rid, place = element.get(f"{_REL}id") or "", element.get("location") or ""
                        sheet.links.append((element.get("ref", ""), rid, place))
            except SheetError:
                raise
            except Exception as e:
                raise SheetError(f"{type(e).__name__}: {e}") from None


_PROTECTION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b[^>]*>")
_SHEET_ON = re.compile(rb"""\ssheet\s*=\s*["'](?:1|true)["']""")


def _from_excel(value: float, epoch: Any, duration: bool) -> Any:
    from openpyxl.utils.datetime import from_excel

    return from_excel(value, epoch, timedelta=duration)


def _from_iso(value: str) -> Any:
    from openpyxl.utils.datetime import from_ISO8601

    return from_ISO8601(value)


def _formula(element: Any, reference: str | None, shared: dict[str, Any]) -> str:
    """A formula's text from "=", as openpyxl gives it (a shared formula translated to its cell)."""
    value = "=" + (element.text or "")
    if element.get("t") == "shared":
        index = element.get("si")
        if index in shared and reference:
            return str(shared[index].translate_formula(reference))
        if value != "=" and reference:
            from openpyxl.formula.translate import Translator

            shared[index] = Translator(value, reference)
    return value
