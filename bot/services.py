"""The services container: everything handlers may call, opened and closed with the bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.alert_profiles import AlertProfiles
from bot.alerts import Alerts
from bot.alliance_contacts import Contacts
from bot.alliance_form import AllyForm
from bot.alliances import Directory
from bot.attendance import AttendanceBook
from bot.broadcasts import Broadcasts
from bot.calendar_updates import seat_file
from bot.call_follows import CallFollows
from bot.certificates import Certificates
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.events import Events, read_cycles
from bot.exports import Reports
from bot.flows import Flows
from bot.intake import Intake
from bot.kb import KnowledgeService
from bot.opening_follows import OpeningFollows
from bot.personal_data import PersonalData
from bot.questions import FLUSH_EVERY, Questions
from bot.registrations import Registrations
from bot.reminders import Reminders
from bot.session_edits import SessionEdits
from bot.settings import Settings
from bot.signup import Signup
from bot.users import Users

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
_HOUSEKEEPING_EVERY = 3600.0
# How soon a replica notices that another one reloaded the knowledge base.
_FOLLOW_KNOWLEDGE_EVERY = 30.0


def utc_now() -> dt.datetime:
    """The current time, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    """Long-lived services shared by every handler of one bot process."""

    settings: Settings
    database: Database
    users: Users
    intake: Intake
    knowledge: KnowledgeService
    questions: Questions
    flows: Flows
    events: Events
    registrations: Registrations
    signup: Signup
    personal_data: PersonalData
    reports: Reports
    session_edits: SessionEdits
    broadcasts: Broadcasts
    attendance: AttendanceBook
    certificates: Certificates
    directory: Directory
    ally_form: AllyForm
    contacts: Contacts
    alert_profiles: AlertProfiles
    call_follows: CallFollows
    alerts: Alerts
    opening_follows: OpeningFollows
    clock: Clock = utc_now
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    async def open(cls, settings: Settings, clock: Clock = utc_now) -> Services:
        """Connect to the database, migrate it and build every service."""
        database = Database(settings.database_url)
        try:
            await upgrade(database)
            kb = await KnowledgeService.open(database, settings.knowledge_dir)
        except BaseException:
            await database.dispose()
            raise
        flows, events = Flows(database), Events(database)
        registrations = Registrations(database, Reminders(settings.timezone))
        users = Users(database)
        attendance = AttendanceBook(database)
        certificates = Certificates(database, attendance, "", settings.timezone)
        follows = CallFollows(database, settings.timezone)
        opening_follows = OpeningFollows(database, settings.timezone)
        alerts = Alerts(database, follows, opening_follows, settings.timezone)
        kb.listeners.append(lambda old, new: alerts.calls_changed(old, new, clock()))
        # Shipped cycles appear on first start; later edits are made by staff, not overwritten.
        await events.seed(await asyncio.to_thread(read_cycles, kb.folder / "eventos"), clock())
        questions = Questions(database, kb)
        return cls(settings, database, users, Intake(database), kb, questions, flows, events,
                   registrations,
                   Signup(database, flows, events, registrations),
                   PersonalData(database, registrations, users, certificates, questions),
                   Reports(database, settings.timezone),
                   SessionEdits(database, registrations), Broadcasts(database), attendance,
                   certificates, Directory(database, settings.timezone),
                   AllyForm(database, flows), Contacts(database, flows),
                   alert_profiles=AlertProfiles(database), call_follows=follows,
                   alerts=alerts, opening_follows=opening_follows, clock=clock)

    async def certificate_file(self, document: dict[str, Any]) -> tuple[str, bytes]:
        """The PDF of a queued certificate (the outbox stores only its folio)."""
        found = await self.certificates.verify(str(document["folio"]))
        if not found.valid or found.certificate is None:
            raise LookupError("certificate withdrawn or unknown")
        return await self.certificates.pdf(found.certificate)

    async def calendar_document(self, document: dict[str, Any]) -> tuple[str, bytes]:
        """The .ics of a queued calendar update (the outbox stores only the seat)."""
        return await seat_file(self.database, int(document["registration"]), self.clock())

    @classmethod
    @asynccontextmanager
    async def opened(cls, settings: Settings) -> AsyncIterator[Services]:
        """Open the services for a one-off command and close them afterwards."""
        services = await cls.open(settings)
        try:
            yield services
        finally:
            await services.close()

    def is_staff(self, user_id: int | None) -> bool:
        """Return True for the Telegram ids listed in COOPERA_STAFF_IDS."""
        return user_id is not None and user_id in self.settings.staff_ids

    def start_background(self, *jobs: Coroutine[Any, Any, None]) -> None:
        """Start the periodic jobs of this process (plus any given, such as delivery)."""
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="housekeeping"))
        self._tasks.append(asyncio.create_task(self._follow_knowledge(), name="knowledge"))
        self._tasks.append(asyncio.create_task(self._write_questions(), name="questions"))
        self._tasks.extend(asyncio.create_task(job) for job in jobs)

    async def _housekeeping(self) -> None:
        while True:
            try:
                pruned = await self.intake.prune(self.clock())
                log.debug("pruned %d processed update ids", pruned)
            except Exception:
                log.exception("housekeeping failed")
            await asyncio.sleep(_HOUSEKEEPING_EVERY)

    async def _follow_knowledge(self) -> None:
        while True:
            await asyncio.sleep(_FOLLOW_KNOWLEDGE_EVERY)
            try:
                await self.knowledge.follow()
            except Exception:
                log.exception("could not check the knowledge base version")

    async def _write_questions(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_EVERY)
            try:
                await self.questions.flush()
            except Exception:
                log.exception("could not write the question log")

    async def stop_background(self) -> None:
        """Stop the periodic jobs."""
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def close(self) -> None:
        """Stop background jobs, write what is pending and release the database."""
        await self.stop_background()
        try:
            await self.questions.flush()
        except Exception:
            log.exception("questions asked just before shutdown were not logged")
        await self.database.dispose()
