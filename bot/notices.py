"""Texts of the messages that go through the outbox (Telegram HTML, user data escaped)."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.dates import when, zone_label
from bot.db.models import EventSession


def _lead(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return "mañana" if days == 1 else f"en {days} días"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"en {hours} hora{'s' if hours != 1 else ''}"
    return f"en {minutes} minutos"


def reminder(event: EventSession, offset_minutes: int, zone: ZoneInfo) -> str:
    """The reminder before a session: what, when, and the join link."""
    text = (f"⏰ <b>Recordatorio</b>: la sesión «{escape(event.title)}» es "
            f"{_lead(offset_minutes)}, el {when(event.starts_at, zone)} ({zone_label(zone)}).")
    if event.join_url:
        text += f'\n\n<a href="{escape(event.join_url)}">Enlace para unirse</a>'
    return text + "\n\nPara dejar de recibir recordatorios: /recordatorios"


def promoted(event: EventSession, zone: ZoneInfo) -> str:
    """To the first in line when a seat is freed."""
    return (f"🎉 ¡Buenas noticias! Se liberó un lugar en «{escape(event.title)}» "
            f"({when(event.starts_at, zone)}) y su registro quedó <b>confirmado</b>. "
            "Vea los detalles con /mis_registros.")
