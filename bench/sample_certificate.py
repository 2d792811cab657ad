"""Render a sample certificate (invented participant) to docs/constancia-ejemplo.png.

Needs pypdfium2 (not a project dependency) to turn the PDF page into a picture:

    pip install pypdfium2 && python bench/sample_certificate.py [--pdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pypdfium2

from bot.certificate_pdf import CertificateData, render_certificate
from bot.events_file import load_cycle

ROOT = Path(__file__).resolve().parent.parent
# The real 2021 cycle as shipped (sourced facts only); the participant is invented.
CYCLE = load_cycle(ROOT / "knowledge" / "eventos" / "cid-multiactor-2021.yaml")
SAMPLE = CertificateData(
    folio="EJEMPLO-0000",
    full_name="María José Núñez Peña",
    organization="Red Comunitaria del Agua, A.C.",
    cycle_title=CYCLE.title,
    organizers=list(CYCLE.organizers),
    sessions=[(s.title, s.starts_at) for s in CYCLE.sessions[:4]],
    issued_on=dt.date(2021, 6, 8),
    verify_url="https://t.me/CooperaBot?start=verificar_EJEMPLO-0000",
    timezone=CYCLE.timezone,
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
