"""Certificates of participation ("constancias") as one-page PDFs with a verification QR."""

from __future__ import annotations

import atexit
import importlib
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

import qrcode
from fpdf import FPDF
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

from bot.dates import DAYS, MONTHS
from bot.wording import count

FONT = "NotoSans"
# pymupdf-fonts ships full Noto Sans (accents, ñ, ¿ ¡ « ») as Python modules, not files.
FONT_MODULES = {"": "NotoSans_Regular", "B": "NotoSans_Bold", "I": "NotoSans_Italic"}
GUINDA = (105, 28, 50)
GOLD = (176, 137, 80)
INK = (45, 45, 45)
PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
LEFT, RIGHT = 30.0, 267.0
WIDTH = RIGHT - LEFT
FOOTER_TOP = 160.0
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class CertificateData:
    """What a certificate states, ready to print."""

    folio: str
    full_name: str
    organization: str | None
    cycle_title: str
    organizers: list[str]
    sessions: list[tuple[str, datetime]]  # (title, aware start)
    issued_on: date
    verify_url: str
    timezone: str


_fonts: dict[str, Path] = {}
_fonts_lock = threading.Lock()


def _font_files() -> dict[str, Path]:
    """Return the bundled fonts as files, written again if the temporary folder was swept."""
    with _fonts_lock:  # renders may run in worker threads
        if not _fonts or not all(path.exists() for path in _fonts.values()):
            # fpdf2 loads fonts only from paths; mkdtemp's 0700 folder is safe from other users.
            folder = Path(tempfile.mkdtemp(prefix="coopera-fonts-"))
            atexit.register(shutil.rmtree, folder, True)
            for style, module in FONT_MODULES.items():
                font = importlib.import_module(f"pymupdf_fonts.{module}").fontbuffer
                _fonts[style] = folder / f"{module}.ttf"
                _fonts[style].write_bytes(font)
        return dict(_fonts)


def long_date(day: date) -> str:
    """Return 'martes 4 de mayo de 2021'."""
    return f"{DAYS[day.weekday()]} {day.day} de {MONTHS[day.month - 1]} de {day.year}"


def join_names(names: list[str]) -> str:
    """Return 'A, B y C', with 'e' before an i-sound as Spanish requires."""
    names = [name.strip() for name in names if name.strip()]
    if len(names) < 2:
        return "".join(names)
    last = names[-1].lower()
    i_sound = last.startswith(("i", "hi", "í", "hí")) and not last.startswith(("hia", "hie", "hio"))
    return f"{', '.join(names[:-1])} {'e' if i_sound else 'y'} {names[-1]}"


def _qr_image(url: str) -> Image.Image:
    """Return a PIL image of the QR code for the url."""
    code = qrcode.make(url, image_factory=PilImage, error_correction=ERROR_CORRECT_M, border=2)
    return code.get_image().convert("L")


class _Sheet:
    """A landscape page written top-down, centred, shrinking text that would not fit."""

    def __init__(self) -> None:
        self.pdf = FPDF(orientation="L", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(LEFT, 15, PAGE_W - RIGHT)
        for style, path in _font_files().items():
            self.pdf.add_font(FONT, style, str(path))
        self.pdf.add_page()
        self.y = 0.0
        self.draw = True
        self.stretch = 0.0  # extra room added at each section break to fill the page

    def lines(self, text: str, style: str, size: float, width: float) -> list[str]:
        """Return text wrapped to width at the given size."""
        self.pdf.set_font(FONT, style, size)
        wrapped = self.pdf.multi_cell(width, 5, text, dry_run=True, output="LINES")
        return cast(list[str], wrapped)

    def fit(self, text: str, style: str, size: float, least: float, max_lines: int,
            width: float = WIDTH) -> tuple[float, list[str]]:
        """Return the largest size down to least that wraps text into max_lines, and its lines."""
        while True:
            lines = self.lines(text, style, size, width)
            if len(lines) <= max_lines or size <= least:
                break
            size -= 0.5
        if len(lines) > max_lines:  # still too long at the smallest size: cut with an ellipsis
            lines = lines[:max_lines]
            while lines[-1] and self.pdf.get_string_width(lines[-1] + "…") > width:
                lines[-1] = lines[-1][:-1]
            lines[-1] = lines[-1].rstrip() + "…"
        return size, lines

    def write(self, text: str, style: str = "", size: float = 12, *, least: float | None = None,
              max_lines: int = 1, color: tuple[int, int, int] = INK, spacing: float = 0,
              x: float = LEFT, width: float = WIDTH, align: str = "C", gap: float = 0) -> None:
        """Write text at the cursor, centred by default, then move the cursor below it."""
        self.pdf.set_char_spacing(spacing)  # before fitting: spacing widens the text
        size, lines = self.fit(text, style, size, least or size, max_lines, width)
        self.pdf.set_font(FONT, style, size)
        self.pdf.set_text_color(*color)
        height = size * MM_PER_PT * 1.3
        for line in lines:
            if self.draw:
                self.pdf.set_xy(x, self.y)
                self.pdf.cell(width, height, line, align=align)
            self.y += height
        self.pdf.set_char_spacing(0)
        self.y += gap + (self.stretch if gap >= 3 else 0)  # section breaks share the spare room

    def rule(self, x1: float, x2: float, width: float = 0.4) -> None:
        """Draw a golden line at the cursor."""
        if self.draw:
            self.pdf.set_draw_color(*GOLD)
            self.pdf.set_line_width(width)
            self.pdf.line(x1, self.y, x2, self.y)


def _frame(pdf: FPDF) -> None:
    """Draw the double border and the golden corner marks."""
    for inset, color, line in ((9, GUINDA, 1.6), (13, GOLD, 0.4)):
        pdf.set_draw_color(*color)
        pdf.set_line_width(line)
        pdf.rect(inset, inset, PAGE_W - 2 * inset, PAGE_H - 2 * inset)
    pdf.set_fill_color(*GOLD)
    for x, y in ((13, 13), (PAGE_W - 13, 13), (13, PAGE_H - 13), (PAGE_W - 13, PAGE_H - 13)):
        pdf.rect(x - 2.5, y - 2.5, 5, 5, style="F")


def _sessions(sheet: _Sheet, data: CertificateData) -> None:
    """List the sessions attended with their dates in whatever room is left above the footer."""
    zone = ZoneInfo(data.timezone)
    # Date first: when room runs out the ellipsis cuts the title, never the date.
    items = [f"{long_date(start.astimezone(zone).date()).capitalize()} · {title.strip()}"
             for title, start in sorted(data.sessions, key=lambda session: session[1])]
    if not items:
        return
    sheet.write("SESIONES A LAS QUE ASISTIÓ", "B", 8.5, color=GOLD, spacing=1.2, gap=1)
    room, columns, size, lines = FOOTER_TOP - 4 - sheet.y, 1 if len(items) <= 5 else 2, 11.0, 2
    width = (WIDTH - 8 * (columns - 1)) / columns
    while True:
        per_column, height = -(-len(items) // columns), size * MM_PER_PT * 1.3
        chunks = [items[i : i + per_column] for i in range(0, len(items), per_column)]
        rows = max(sum(min(lines, len(sheet.lines(item, "", size, width))) for item in chunk)
                   for chunk in chunks)
        if rows * height <= room or size <= 7:
            break
        size -= 0.5
    if rows * height > room:  # still too many: one line each, the first ones and how many more
        keep, lines = max(1, int(room // height) * columns - 1), 1
        items = [*items[:keep], f"… y {count(len(items) - keep, 'sesión')} más"]
        per_column = -(-len(items) // columns)
    top = bottom = sheet.y
    for index in range(0, len(items), per_column):
        sheet.y, x = top, LEFT + index // per_column * (width + 8)
        for item in items[index : index + per_column]:
            sheet.write(item, "", size, max_lines=lines, x=x, width=width)
        bottom = max(bottom, sheet.y)
    sheet.y = bottom


def _footer(sheet: _Sheet, data: CertificateData) -> None:
    """Write issue date, folio and the verification QR along the bottom."""
    sheet.y = FOOTER_TOP
    sheet.rule(LEFT, RIGHT, 0.3)
    sheet.pdf.image(_qr_image(data.verify_url), x=RIGHT - 30, y=FOOTER_TOP + 4, w=30)
    sheet.y, issued = FOOTER_TOP + 8, data.issued_on
    sheet.write(f"Expedida el {issued.day} de {MONTHS[issued.month - 1]} de {issued.year}.",
                width=95, align="L", size=11, gap=1)
    sheet.write(f"Folio: {data.folio}", "B", 12, least=8, color=GUINDA, width=95, align="L")
    sheet.y, x = FOOTER_TOP + 8, LEFT + 100
    sheet.write("Verifique su autenticidad escaneando el código o en", "I", 8.5, max_lines=2, x=x,
                width=RIGHT - 34 - x, align="R")
    # The link on one line: a break at one of its dashes would read as part of the folio.
    sheet.write(data.verify_url, "I", 8.5, least=5.5, x=x, width=RIGHT - 34 - x, align="R")


def _body(sheet: _Sheet, data: CertificateData) -> None:
    """Write everything above the footer, top-down."""
    sheet.y = 22
    eyebrow = " · ".join(name.strip() for name in data.organizers).upper()
    sheet.pdf.set_char_spacing(1.5)
    fits = bool(eyebrow) and len(sheet.lines(eyebrow, "B", 7, WIDTH)) == 1
    sheet.pdf.set_char_spacing(0)
    if fits:  # else the organisers appear only in the sentence below
        sheet.write(eyebrow, "B", 9, least=7, color=GOLD, spacing=1.5, gap=3)
    sheet.write("Constancia de participación", "B", 30, color=GUINDA, gap=4)
    sheet.write("Se otorga la presente constancia a", "", 12.5, gap=1)
    sheet.write(data.full_name.strip(), "B", 28, least=14, max_lines=2, gap=1.5)
    sheet.rule(PAGE_W / 2 - 60, PAGE_W / 2 + 60)
    sheet.y += 2
    if data.organization and data.organization.strip():
        sheet.write(data.organization.strip(), "I", 13, least=9, max_lines=2)
    sheet.y += 3 + sheet.stretch
    sheet.write("por su participación en el ciclo de conversatorios", "", 12)
    sheet.write(f"«{data.cycle_title.strip()}»", "B", 14, least=9.5, max_lines=3,
                color=GUINDA, gap=0.5)
    if data.organizers:
        sheet.write(f"organizado por {join_names(data.organizers)}.", "", 12, least=8,
                    max_lines=2)
    sheet.y += 4 + sheet.stretch
    _sessions(sheet, data)


def render_certificate(data: CertificateData) -> bytes:
    """Render the certificate as a one-page PDF."""
    # fontTools reports every table it leaves out of the embedded subset; none matter here.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    sheet = _Sheet()
    sheet.draw = False  # a first pass measures the body so the spare room can be shared out
    _body(sheet, data)
    sheet.stretch = min(6.0, max(0.0, FOOTER_TOP - 8 - sheet.y) / 4)
    sheet.draw = True
    _frame(sheet.pdf)
    _body(sheet, data)
    _footer(sheet, data)
    return bytes(sheet.pdf.output())
