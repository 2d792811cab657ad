"""Certificates render as one readable page whose QR code leads to the verification link."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from pypdf import PdfReader

from bot.certificate_pdf import CertificateData, join_names, long_date, render_certificate

ZONE = ZoneInfo("America/Mexico_City")
CYCLE = (
    "La Cooperación Internacional para el Desarrollo desde un Enfoque Multiactor, "
    "Retos y Oportunidades para los Actores del Territorio"
)
URL = "https://t.me/CooperaPruebaBot?start=verificar_CPA-7K3M-Q9XW-H2TD"
LEFT_PT = 30 / 25.4 * 72  # the text column starts 30 mm from the edge


def sample(**changes: object) -> CertificateData:
    """Return certificate data for a made-up participant, with changes."""
    data = CertificateData(
        folio="CPA-7K3M-Q9XW-H2TD",
        full_name="María José Núñez Peña",
        organization="Red Comunitaria del Agua, A.C.",
        cycle_title=CYCLE,
        organizers=["Indesol", "SRE", "AMEXCID"],
        sessions=[
            ("¿Qué es la cooperación?", dt.datetime(2021, 5, 4, 15, tzinfo=dt.UTC)),
            ("Actores del territorio «en red»", dt.datetime(2021, 5, 11, 15, tzinfo=dt.UTC)),
        ],
        issued_on=dt.date(2021, 6, 8),
        verify_url=URL,
        timezone="America/Mexico_City",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def read(data: CertificateData) -> tuple[PdfReader, str]:
    """Render the certificate and return the parsed PDF and its text."""
    reader = PdfReader(io.BytesIO(render_certificate(data)))
    return reader, reader.pages[0].extract_text()


def text_starts(reader: PdfReader) -> list[tuple[float, float, str]]:
    """Return where each piece of text on the first page starts, in points."""
    starts: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            starts.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

    reader.pages[0].extract_text(visitor_text=visit)
    return starts


def test_certificate_states_who_what_and_folio() -> None:
    reader, text = read(sample())
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    flat = " ".join(text.split())
    assert "Constancia de participación" in flat
    assert "Se otorga la presente constancia a" in flat
    assert "María José Núñez Peña" in flat
    assert "Red Comunitaria del Agua, A.C." in flat
    assert f"«{CYCLE}»" in flat
    assert "organizado por Indesol, SRE y AMEXCID." in flat
    assert "CPA-7K3M-Q9XW-H2TD" in flat
    assert "Expedida el 8 de junio de 2021." in flat
    assert "Verifique su autenticidad escaneando el código o en " + URL in flat


def test_sessions_listed_with_local_dates_in_order() -> None:
    late = ("Cierre del ciclo", dt.datetime(2021, 5, 19, 2, tzinfo=dt.UTC))  # 18 May in CDMX
    _, text = read(sample(sessions=[late, *sample().sessions]))
    flat = " ".join(text.split())
    first = flat.index("Martes 4 de mayo de 2021 · ¿Qué es la cooperación?")
    second = flat.index("Martes 11 de mayo de 2021 · Actores del territorio «en red»")
    last = flat.index("Martes 18 de mayo de 2021 · Cierre del ciclo")
    assert first < second < last


def test_qr_code_decodes_to_verification_link() -> None:
    reader, _ = read(sample())
    images = reader.pages[0].images
    assert len(images) == 1
    codes = zxingcpp.read_barcodes(images[0].image)
    assert [code.text for code in codes] == [URL]


def test_long_texts_shrink_and_stay_inside_the_page() -> None:
    name = (
        "María de los Ángeles Guadalupe del Carmen Fernández de Córdoba y "
        "Hernández-Villaseñor Núñez de Arce"
    )
    organization = (
        "Coordinadora Nacional de Organizaciones de la Sociedad Civil para el Desarrollo "
        "Comunitario Sustentable de los Pueblos Indígenas y Afromexicanos, A.C."
    )
    sessions = [
        (f"Sesión {n}: mesa temática sobre cooperación descentralizada y alianzas territoriales",
         dt.datetime(2021, 5, 4, 15, tzinfo=dt.UTC) + dt.timedelta(weeks=n))
        for n in range(12)
    ]
    organizers = ["Secretaría de Relaciones Exteriores", "Instituto Nacional de Desarrollo Social"]
    url = f"https://t.me/{'Conversatorios_Cooperacion_2bot':.32}?start=verificar_CPA-7K3M-Q9XW-H2TD"
    reader, text = read(sample(full_name=name, organization=organization, sessions=sessions,
                               cycle_title=CYCLE + ": edición especial " * 3,
                               organizers=organizers, verify_url=url))
    assert len(reader.pages) == 1
    flat = " ".join(text.split())
    assert name in flat  # wrapped or shrunk, never cut
    assert "Secretaría de Relaciones Exteriores e Instituto Nacional" in flat
    assert "Martes 13 de julio de 2021" in flat
    assert url in text  # on one line: never broken at a dash
    assert [code.text for code in zxingcpp.read_barcodes(reader.pages[0].images[0].image)] == [url]
    height = float(reader.pages[0].mediabox.height)
    for x, y, piece in text_starts(reader):
        # Centred text that overflowed would start left of the column.
        assert x >= LEFT_PT - 1, piece
        assert 0 < y < height, piece


def test_absurdly_long_name_is_cut_not_overflowing() -> None:
    reader, text = read(sample(full_name="Núñez " * 60, organization=None, sessions=[]))
    assert len(reader.pages) == 1
    assert "…" in text
    assert all(x >= LEFT_PT - 1 for x, _, _ in text_starts(reader))


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        (["SRE"], "SRE"),
        (["Indesol", "SRE", "AMEXCID"], "Indesol, SRE y AMEXCID"),
        (["SRE", "Indesol"], "SRE e Indesol"),
        (["SRE", "Hidalgo"], "SRE e Hidalgo"),
        (["SRE", "Hierro A.C."], "SRE y Hierro A.C."),
    ],
)
def test_join_names(names: list[str], joined: str) -> None:
    assert join_names(names) == joined


def test_long_date() -> None:
    assert long_date(dt.date(2021, 5, 4)) == "martes 4 de mayo de 2021"
    assert long_date(dt.datetime(2021, 5, 5, 1, tzinfo=dt.UTC).astimezone(ZONE).date()) == (
        "martes 4 de mayo de 2021"
    )
