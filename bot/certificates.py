"""Certificates of participation: who is eligible, issuing with a stable folio, verifying."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.attendance import AttendanceBook
from bot.certificate_pdf import CertificateData, render_certificate
from bot.db.models import Certificate, Cycle, EventSession, Profile, Registration
from bot.db.session import Database
from bot.folios import new_folio, normalize_folio, verify_url
from bot.outbox import Outgoing, enqueue

REVOKED_BY_HOLDER = "retirada a petición de su titular"


@dataclass(frozen=True)
class Standing:
    """Where a registrant stands in a cycle."""

    cycle: Cycle
    attended: list[EventSession]
    total: int
    needed: int | None

    @property
    def eligible(self) -> bool:
        """True once they attended enough sessions (and the cycle gives certificates)."""
        return self.needed is not None and len(self.attended) >= self.needed


@dataclass(frozen=True)
class Verification:
    """The answer to 'is this certificate genuine?'."""

    folio: str | None
    certificate: Certificate | None
    cycle_title: str | None = None

    @property
    def valid(self) -> bool:
        """Genuine and not withdrawn."""
        return self.certificate is not None and self.certificate.revoked_at is None


class Certificates:
    """Issue and verify certificates."""

    def __init__(self, database: Database, attendance: AttendanceBook, bot_username: str,
                 zone: ZoneInfo) -> None:
        self._db = database
        self._attendance = attendance
        self.bot_username = bot_username
        self._zone = zone

    async def standings(self, user_id: int) -> list[Standing]:
        """The user's standing in every cycle they registered for."""
        async with self._db.session() as session:
            ids = (await session.scalars(
                select(EventSession.cycle_id).distinct()
                .join(Registration, Registration.session_id == EventSession.id)
                .where(Registration.user_id == user_id))).all()
            cycles = [c for i in sorted(ids) if (c := await session.get(Cycle, i)) is not None]
            totals = {c.id: len((await session.scalars(select(EventSession.id).where(
                EventSession.cycle_id == c.id))).all()) for c in cycles}
        return [Standing(c, await self._attendance.attended(user_id, c.id), totals[c.id],
                         c.certificate_min_sessions) for c in cycles]

    async def profile(self, user_id: int) -> Profile | None:
        """The registration profile (for the name on the certificate)."""
        async with self._db.session() as session:
            return await session.get(Profile, user_id)

    async def confirm_name(self, user_id: int, name: str | None, now: dt.datetime) -> None:
        """Confirm the name as registered, or correct it (once, before the first issue)."""
        async with self._db.sessions.begin() as session:
            values: dict[str, object] = {"name_confirmed": True, "updated_at": now}
            if name:
                values["full_name"] = name
            await session.execute(update(Profile).where(Profile.user_id == user_id)
                                  .values(**values))

    async def issue(self, user_id: int, standing: Standing, now: dt.datetime) -> Certificate:
        """The user's certificate for the cycle: created once, the same folio ever after."""
        async with self._db.sessions.begin() as session:
            existing = await session.scalar(select(Certificate).where(
                Certificate.cycle_id == standing.cycle.id, Certificate.user_id == user_id))
            if existing is not None and existing.revoked_at is None:
                return existing
            profile = await session.get(Profile, user_id)
            assert profile is not None and profile.full_name
            certificate = Certificate(
                folio=new_folio(), cycle_id=standing.cycle.id, user_id=user_id,
                full_name=profile.full_name, organization=profile.organization,
                sessions=[[e.title, e.starts_at.isoformat()] for e in standing.attended],
                issued_at=now)
            session.add(certificate)
        return certificate

    async def pdf(self, certificate: Certificate) -> tuple[str, bytes]:
        """The certificate as a PDF file (name, bytes)."""
        async with self._db.session() as session:
            cycle = await session.get(Cycle, certificate.cycle_id)
        assert cycle is not None
        data = CertificateData(
            folio=certificate.folio, full_name=certificate.full_name,
            organization=certificate.organization, cycle_title=cycle.title,
            organizers=list(cycle.organizers),
            sessions=[(title, dt.datetime.fromisoformat(start))
                      for title, start in certificate.sessions],
            issued_on=certificate.issued_at.astimezone(self._zone).date(),
            verify_url=verify_url(self.bot_username, certificate.folio),
            timezone=cycle.timezone)
        return f"constancia-{certificate.folio}.pdf", render_certificate(data)

    async def verify(self, text: str) -> Verification:
        """Look a folio up; a malformed one is simply not valid."""
        folio = normalize_folio(text)
        if folio is None:
            return Verification(None, None)
        async with self._db.session() as session:
            certificate = await session.get(Certificate, folio)
            cycle = await session.get(Cycle, certificate.cycle_id) if certificate else None
        return Verification(folio, certificate, cycle.title if cycle else None)

    async def revoke_for(self, user_id: int, now: dt.datetime) -> int:
        """Withdraw a user's certificates (they deleted their data); return how many."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(
                update(Certificate).where(Certificate.user_id == user_id,
                                          Certificate.revoked_at.is_(None))
                .values(revoked_at=now, revoked_reason=REVOKED_BY_HOLDER, user_id=None,
                        full_name="(retirado)", organization=None))
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def send_all(self, cycle_id: str, now: dt.datetime) -> tuple[int, int]:
        """Queue certificates to everyone eligible (confirmed names) and a nudge to the rest."""
        async with self._db.session() as session:
            users = (await session.scalars(
                select(Registration.user_id).join(EventSession,
                                                  EventSession.id == Registration.session_id)
                .where(EventSession.cycle_id == cycle_id, Registration.user_id.is_not(None))
                .distinct())).all()
        sent = asked = 0
        messages = []
        for user_id in users:
            assert user_id is not None
            standing = next((s for s in await self.standings(user_id)
                             if s.cycle.id == cycle_id), None)
            profile = await self.profile(user_id)
            if standing is None or not standing.eligible or profile is None:
                continue
            if not profile.name_confirmed:
                asked += 1
                messages.append(Outgoing(user_id, "certificate", f"cert-ask:{cycle_id}:{user_id}",
                                         "🎓 Su constancia de participación está lista. Escriba "
                                         "/constancia para confirmar su nombre y recibirla.", now))
                continue
            certificate = await self.issue(user_id, standing, now)
            sent += 1
            messages.append(Outgoing(
                user_id, "certificate", f"cert:{certificate.folio}",
                "🎓 Su constancia de participación.", now,
                document={"source": "certificate", "folio": certificate.folio}))
        async with self._db.sessions.begin() as session:
            await enqueue(session, messages, now)
        return sent, asked
