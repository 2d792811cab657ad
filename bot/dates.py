"""Dates and times as people in Mexico read them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")
ZONES = {"America/Mexico_City": "hora del centro de México"}


def when(moment: dt.datetime, zone: ZoneInfo, *, year: bool = True) -> str:
    """'martes 4 de mayo de 2021, 10:00 h' in the given zone."""
    local = moment.astimezone(zone)
    day = f"{DAYS[local.weekday()]} {local.day} de {MONTHS[local.month - 1]}"
    if year:
        day += f" de {local.year}"
    return f"{day}, {local:%H:%M} h"


def zone_label(zone: ZoneInfo) -> str:
    """How the zone is named to users."""
    return ZONES.get(zone.key, zone.key)


def short_when(moment: dt.datetime, zone: ZoneInfo, *, year: bool = False) -> str:
    """'mar 4 may, 10:00' for buttons ('mar 4 may 2021, 10:00' with the year)."""
    local = moment.astimezone(zone)
    day = f"{DAYS[local.weekday()][:3]} {local.day} {MONTHS[local.month - 1][:3]}"
    return f"{day}{f' {local.year}' if year else ''}, {local:%H:%M}"
