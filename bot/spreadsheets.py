"""Spreadsheet files for staff: every export is written here, inert when opened.

A cell typed by a user must never run as a formula in Excel or LibreOffice (OWASP "CSV
injection"): in CSV a cell starting with one of FORMULA_STARTS gets a leading apostrophe; in
XLSX every cell is stored as a string (with Excel's quote prefix on those same cells, so editing
one keeps it text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Rows = Sequence[Sequence[str]]


def inert(value: str) -> str:
    """The CSV form of a cell: an apostrophe in front of anything a spreadsheet would run."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_file(columns: Sequence[str], rows: Rows) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then reads the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_file(title: str, columns: Sequence[str], rows: Rows) -> bytes:
    """One sheet with a header row; every cell a string, never a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for r, row in enumerate([columns, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c)
            cell.value = value
            # openpyxl makes any value starting with "=" a formula; set the type after the value.
            cell.data_type = TYPE_STRING
            cell.quotePrefix = value.startswith(FORMULA_STARTS)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def spreadsheet(fmt: str, title: str, columns: Sequence[str], rows: Rows) -> bytes:
    """The file in the given format ("csv" or "xlsx")."""
    if fmt == "csv":
        return csv_file(columns, rows)
    if fmt == "xlsx":
        return xlsx_file(title, columns, rows)
    raise ValueError(f"formato desconocido: {fmt}")
