"""Zoom participant reports become minutes per email, whatever quirks the export has."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.attendance_import import ReportError, normalize_email, parse_participants

ZOOM = Path(__file__).parent / "data" / "zoom"


def test_english_export_with_bom_and_meeting_summary() -> None:
    content = (ZOOM / "participants_en.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbfMeeting ID,Topic")  # the quirks are really there
    report = parse_participants(content)
    assert report.rows == 10
    assert report.minutes_by_email == {
        "conversatorios@indesol.gob.mx": 136,
        "maria.nunez@redagua.org.mx": 44 + 78,  # rejoined, email typed in other case and spaced
        "jramirez@oaxaca.gob.mx": 121,
        "lupita.hdz@gmail.com": 105,  # the 4 minutes in the waiting room do not count
        "contacto@redagua.org.mx": 61,
    }
    assert report.names_by_email["maria.nunez@redagua.org.mx"] == "María José Núñez Peña"
    assert report.names_by_email["contacto@redagua.org.mx"] == "Red Comunitaria del Agua, A.C."
    # Participants without email are kept apart, once each even if they rejoined.
    assert report.without_email == ["iPhone de Carlos", "5512345678"]


def test_spanish_export_with_semicolons_and_extra_columns() -> None:
    report = parse_participants((ZOOM / "participantes_es.csv").read_bytes())
    assert report.rows == 7
    assert report.minutes_by_email == {
        "conversatorios@indesol.gob.mx": 134,
        "maria.nunez@redagua.org.mx": 119,
        "rosa.perez@municipio-tlaxcala.gob.mx": 18 + 53 + 44,
    }
    assert report.names_by_email["rosa.perez@municipio-tlaxcala.gob.mx"] == (
        "Ing. Rosa Elena Pérez (Rosa Pérez)"
    )
    assert report.without_email == ["Cooperativa Las Peñas", "Samsung SM-A515F"]


def test_excel_resaved_file_in_windows_encoding() -> None:
    text = (ZOOM / "participantes_es.csv").read_text(encoding="utf-8").replace("Sí", "Si")
    report = parse_participants(text.encode("cp1252"))
    assert report.names_by_email["maria.nunez@redagua.org.mx"] == "María José Núñez Peña"
    assert report.minutes_by_email["rosa.perez@municipio-tlaxcala.gob.mx"] == 115


def test_utf16_tab_separated_export() -> None:
    text = "Name (Original Name)\tEmail\tDuration (Minutes)\r\nAna López\tana@ejemplo.mx\t42\r\n"
    report = parse_participants(text.encode("utf-16"))
    assert report.minutes_by_email == {"ana@ejemplo.mx": 42}


def test_minutes_from_join_and_leave_when_duration_is_missing() -> None:
    content = (
        "Nombre,Correo,Hora de entrada,Hora de salida,Duración (minutos)\n"
        "Ana López,ana@ejemplo.mx,05/04/2021 10:00:00 a. m.,05/04/2021 12:30:20 p. m.,\n"
        "Ana López,ana@ejemplo.mx,05/04/2021 12:40:00 PM,05/04/2021 12:50:00 PM,10\n"
        "Beto Ruiz,beto@ejemplo.mx,2021-05-04 10:00:00,2021-05-04 10:45:00,\n"
        "Carla Díaz,carla@ejemplo.mx,sin dato,sin dato,\n"
    ).encode()
    report = parse_participants(content)
    assert report.minutes_by_email == {
        "ana@ejemplo.mx": 151 + 10,
        "beto@ejemplo.mx": 45,
        "carla@ejemplo.mx": 0,
    }


def test_decimal_durations_and_repeated_header_rows() -> None:
    content = (
        "Name (Original Name);User Email;Duration (Minutes)\n"
        "Ana López;ana@ejemplo.mx;12,6\n"
        "Name (Original Name);User Email;Duration (Minutes)\n"
        "Ana López;ana@ejemplo.mx;30\n"
    ).encode()
    report = parse_participants(content)
    assert report.rows == 2
    assert report.minutes_by_email == {"ana@ejemplo.mx": 43}


def test_malformed_email_counts_as_no_email() -> None:
    content = b"Name (Original Name),User Email,Duration (Minutes)\nAna,no tiene,20\n,,\n"
    report = parse_participants(content)
    assert report.minutes_by_email == {}
    assert report.without_email == ["Ana"]
    assert report.rows == 1


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\xff\xfe garbage \x80\x81",
        b"hola, esto no es un reporte\nni, se, le, parece\n",
        # Only the meeting summary: it has an email and a duration but no participants table.
        b"Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        b"81234567890,Conversatorio,05/04/2021 09:52 AM,05/04/2021 12:07 PM,a@b.mx,136,9\n",
        "Nombre;Correo;País\nAna;ana@ejemplo.mx;México\n".encode(),
    ],
)
def test_files_without_a_participant_table_are_refused(content: bytes) -> None:
    with pytest.raises(ReportError, match="No encontré la tabla de participantes"):
        parse_participants(content)


def test_report_error_is_a_value_error() -> None:
    assert issubclass(ReportError, ValueError)


@pytest.mark.parametrize(
    ("raw", "email"),
    [(" Ana.Lopez@Ejemplo.MX ", "ana.lopez@ejemplo.mx"), ("ana @ejemplo.mx", "ana@ejemplo.mx"),
     ("", None), ("ana", None), ("ana@ejemplo", None)],
)
def test_normalize_email(raw: str, email: str | None) -> None:
    assert normalize_email(raw) == email
