"""What the demo starts with: a fictional cycle with a session under way, a fictional profile
registered to it, a known check-in code, and a few fictional directory profiles."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db.models import AllyProfile, CheckinCode, EventSession, Profile, User
from bot.events_file import parse_cycle
from bot.services import Services
from bot.signup import PRIVACY_VERSION

DEMO_USER_ID = 1001
DEMO_CODE = "DEMO42"
# A made-up cycle, clearly labelled: its first session is under way when the demo starts, so
# /asistencia and /constancia work at once; the second has one seat, to show the waitlist.
DEMO_CYCLE = """
id: demo
title: "Ciclo de demostración (ficticio): cooperación para gobiernos locales"
description: Ciclo inventado para probar Coopera; no es un evento real.
organizers: [Coopera (demostración)]
audience: [osc, municipio, estado]
timezone: America/Mexico_City
certificate: {{min_sessions: 1}}
sessions:
  - {{id: s1, title: "Cómo encontrar convocatorias (en curso)", start: "{s1}",
     duration_minutes: 120, join_url: "https://example.org/demo-sala-1"}}
  - {{id: s2, title: "Cómo redactar una propuesta", start: "{s2}", duration_minutes: 90,
     join_url: "https://example.org/demo-sala-2", capacity: 1}}
  - {{id: s3, title: "Rendición de cuentas a donantes", start: "{s3}", duration_minutes: 90,
     join_url: "https://example.org/demo-sala-3"}}
"""
# People of the demo, by the name `:como` takes: (Telegram id, full name, organisation).
PEOPLE = {
    "demo": (DEMO_USER_ID, "Usuaria Demo", "Colectivo Ficticio de Demostración, A.C."),
    "beto": (1002, "Beto Ejemplo", "Ayuntamiento Ficticio de Demostración"),
    "marta": (1003, "Marta Muestra", "Red Inventada del Agua (ficticia)"),
    "lalo": (1004, "Lalo Prueba", "Cooperativa Imaginaria de Café (ficticia)"),
}
ALLIES = [
    ("marta", "Red Inventada del Agua (ficticia)", "osc", "Oaxaca", [6, 13], ["cap", "vol"],
     ["fin"], "Perfil de ejemplo de la demo: una red que no existe, con talleres de agua."),
    ("lalo", "Cooperativa Imaginaria de Café (ficticia)", "osc", "Chiapas", [8, 12], ["esp"],
     ["fin", "vin"], "Perfil de ejemplo de la demo: una cooperativa inventada."),
    ("beto", "Ayuntamiento Ficticio de Demostración", "municipal", "Yucatán", [11, 17],
     ["dat", "vin"], ["cap"], "Perfil de ejemplo de la demo: un municipio que no existe."),
]


async def seed_demo(services: Services) -> None:
    """Add the demo's data once (a demo database that already has it is left alone)."""
    now = services.clock()
    if await services.events.cycle("demo") is not None:
        return
    hour = now.astimezone(ZoneInfo("America/Mexico_City")).replace(tzinfo=None, minute=0,
                                                                    second=0, microsecond=0)
    starts = [hour, hour + dt.timedelta(days=2, hours=1), hour + dt.timedelta(days=9)]
    text = DEMO_CYCLE.format(s1=starts[0].isoformat(), s2=starts[1].isoformat(),
                             s3=starts[2].isoformat())
    await services.events.import_cycle(parse_cycle(text, "demo.yaml"), now)
    async with services.database.sessions.begin() as session:
        for user_id, name, _ in PEOPLE.values():
            session.add(User(id=user_id, first_name=name, first_seen=now,
                             last_seen=now))
        user_id, name, organization = PEOPLE["demo"]
        session.add(Profile(user_id=user_id, full_name=name, email="usuaria.demo@example.org",
                            organization=organization, sector="osc", state="Oaxaca",
                            municipality="Oaxaca de Juárez", consent_version=PRIVACY_VERSION,
                            consent_at=now, updated_at=now))
        for key, org, sector, state, themes, offers, seeks, description in ALLIES:
            session.add(AllyProfile(user_id=PEOPLE[key][0], name=org, sector=sector,
                                    state=state, themes=themes, offers=offers, seeks=seeks,
                                    description=description, consent_at=now, updated_at=now))
        first = await session.scalar(select(EventSession).where(
            EventSession.cycle_id == "demo", EventSession.code == "s1"))
        assert first is not None
        session.add(CheckinCode(code=DEMO_CODE, session_id=first.id, created_at=now))
    await services.registrations.register(DEMO_USER_ID, first.id, now)
