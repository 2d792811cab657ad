"""Minutes attended per participant, read from a videoconference's participant report (Zoom CSV)."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

# Header spellings seen in Zoom exports, in English and Spanish, compared without accents or case.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name (original name)", "user name (original name)", "name", "user name",
             "participant", "nombre (nombre original)", "nombre de usuario (nombre original)",
             "nombre", "nombre de usuario", "participante"),
    "email": ("user email", "email", "e-mail", "correo electronico del usuario",
              "correo electronico", "correo del usuario", "correo"),
    "minutes": ("duration (minutes)", "duration (mins)", "duration", "duracion (minutos)",
                "duracion"),
    "join": ("join time", "hora de entrada", "hora de ingreso", "hora de union"),
    "leave": ("leave time", "hora de salida"),
    "waiting": ("in waiting room", "en la sala de espera", "sala de espera"),
}
YES = ("yes", "si", "true", "1")
DELIMITERS = (",", ";", "\t")
TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
                "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%dT%H:%M:%S")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReportError(ValueError):
    """The file is not a participant report this module can read."""


@dataclass
class ParticipantReport:
    """Minutes per participant in one meeting, keyed by lower-cased email."""

    minutes_by_email: dict[str, int] = field(default_factory=dict)
    names_by_email: dict[str, str] = field(default_factory=dict)
    without_email: list[str] = field(default_factory=list)
    rows: int = 0


def _decode(content: bytes) -> str:
    """Return the text of the file, whatever of Zoom's or Excel's encodings it came in."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Re-saved from Excel on Windows in Spanish: cp1252 decodes any byte sequence.
        return content.decode("cp1252", errors="replace")


def _key(header: str) -> str:
    """Return a header lower-cased, without accents, BOM or repeated spaces."""
    plain = unicodedata.normalize("NFKD", header.replace("\ufeff", ""))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return " ".join(plain.lower().split())


def _columns(row: list[str]) -> dict[str, int] | None:
    """Map our column names to positions if the row is the participant table's header."""
    keys = [_key(cell) for cell in row]
    found = {}
    for name, spellings in COLUMNS.items():
        for index, key in enumerate(keys):
            if key in spellings and name not in found:
                found[name] = index
    timed = "minutes" in found or {"join", "leave"} <= found.keys()
    # The summary block above has "User Email" and "Duration" too, but never a name column.
    return found if "name" in found and timed else None


def _table(text: str) -> tuple[dict[str, int], list[list[str]]]:
    """Find the participant table's header, whichever separator the file uses."""
    lines = text.splitlines()
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # e.g. a field past the csv module's size limit: not a Zoom export
            continue
        for index, row in enumerate(rows):
            columns = _columns(row)
            if columns:
                return columns, rows[index + 1 :]
    raise ReportError(
        "No encontré la tabla de participantes en el archivo. Descargue desde Zoom el reporte "
        "de participantes de la reunión en formato CSV y envíelo sin modificar."
    )


def _moment(text: str) -> datetime | None:
    """Parse a join or leave time in the formats Zoom uses, or return None."""
    # Spanish exports write "a. m." / "p. m."; strptime only knows AM/PM.
    text = re.sub(r"\s*([ap])\.?\s*m\.?$", r" \1M", text.strip(), flags=re.IGNORECASE).upper()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _minutes(row: list[str], columns: dict[str, int]) -> int:
    """Return the row's minutes from its duration, or from join and leave times without one."""
    raw = _cell(row, columns, "minutes").replace(",", ".")
    try:
        value = float(raw)
        if math.isfinite(value):
            return max(0, round(value))
    except ValueError:
        pass
    joined, left = _moment(_cell(row, columns, "join")), _moment(_cell(row, columns, "leave"))
    if joined and left and left > joined:
        return math.ceil((left - joined).total_seconds() / 60)  # Zoom rounds partial minutes up
    return 0


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    """Return a cell by column name, empty if the column or the cell is missing."""
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def normalize_email(text: str) -> str | None:
    """Return the email lower-cased and without spaces, or None if it is not one."""
    email = "".join(text.split()).lower()
    return email if EMAIL.match(email) else None


def parse_participants(content: bytes) -> ParticipantReport:
    """Read a Zoom participant CSV into minutes per email, summing the rows of who rejoined."""
    columns, rows = _table(_decode(content))
    report = ParticipantReport()
    for row in rows:
        if not any(cell.strip() for cell in row) or _columns(row):  # blank or repeated header
            continue
        name = " ".join(_cell(row, columns, "name").split())
        email = normalize_email(_cell(row, columns, "email"))
        if not name and not email:
            continue
        report.rows += 1
        if email is None:
            if name not in report.without_email:
                report.without_email.append(name)
            continue
        # Time spent in the waiting room is not attendance; Zoom reports it in rows of its own.
        waiting = _key(_cell(row, columns, "waiting")) in YES
        minutes = 0 if waiting else _minutes(row, columns)
        report.minutes_by_email[email] = report.minutes_by_email.get(email, 0) + minutes
        if name:
            report.names_by_email.setdefault(email, name)
    return report
