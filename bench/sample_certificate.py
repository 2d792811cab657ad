"""Render a sample certificate (invented data) to docs/constancia-ejemplo.png.

Needs pypdfium2 (not a project dependency) to turn the PDF page into a picture:

    pip install pypdfium2 && python bench/sample_certificate.py [--pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2

from bot.certificate_pdf import CertificateData, render_certificate

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("America/Mexico_City")
SAMPLE = CertificateData(
    folio="EJEMPLO-0000",
    full_name="María José Núñez Peña",
    organization="Red Comunitaria del Agua, A.C.",
    cycle_title=(
        "La Cooperación Internacional para el Desarrollo desde un Enfoque Multiactor, "
        "Retos y Oportunidades para los Actores del Territorio"
    ),
    organizers=["Indesol", "SRE", "AMEXCID"],
    sessions=[
        ("¿Qué es la cooperación internacional para el desarrollo?",
         dt.datetime(2021, 5, 4, 10, tzinfo=ZONE)),
        ("Actores del territorio y agenda multiactor", dt.datetime(2021, 5, 11, 10, tzinfo=ZONE)),
        ("Fuentes de financiamiento: retos y oportunidades",
         dt.datetime(2021, 5, 18, 10, tzinfo=ZONE)),
        ("¡Manos a la obra! Proyectos y alianzas", dt.datetime(2021, 5, 25, 10, tzinfo=ZONE)),
    ],
    issued_on=dt.date(2021, 6, 8),
    verify_url="https://t.me/CooperaBot?start=verificar_EJEMPLO-0000",
    timezone="America/Mexico_City",
)


def main() -> None:
    """Write the sample PNG (and the PDF beside it with --pdf) and print the paths."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdf", action="store_true", help="keep the PDF as well")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "constancia-ejemplo.png")
    args = parser.parse_args()
    content = render_certificate(SAMPLE)
    page = pypdfium2.PdfDocument(content)[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    page.render(scale=150 / 72).to_pil().save(args.out)
    print(args.out)
    if args.pdf:
        pdf_path = args.out.with_suffix(".pdf")
        pdf_path.write_bytes(content)
        print(pdf_path)


if __name__ == "__main__":
    main()
