"""The user's rights over their data (LFPDPPP): see everything kept, and erase it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from bot.alliances import erase_user
from bot.certificates import Certificates
from bot.db.models import (
    AlertProfile,
    AllyBlock,
    AllyProfile,
    AllyRequest,
    Attendance,
    CallFollow,
    Certificate,
    EventSession,
    Flow,
    OpeningFollow,
    OutboxMessage,
    Profile,
    QuestionLog,
    Registration,
    SourceMute,
    User,
)
from bot.db.session import Database
from bot.flows import MESSAGE
from bot.outbox import cancel_pending
from bot.questions import Questions
from bot.registrations import Registrations
from bot.users import Users


@dataclass(frozen=True)
class Snapshot:
    """Everything stored about one user."""

    user: User | None
    profile: Profile | None
    registrations: list[tuple[EventSession, Registration]]
    questions: list[QuestionLog]
    in_flow: str | None
    ally: AllyProfile | None = None
    alerts: AlertProfile | None = None
    follows: list[str] = field(default_factory=list)
    mutes: list[str] = field(default_factory=list)
    # Sources followed until their call opens.
    watches: list[str] = field(default_factory=list)
    attendance: list[tuple[EventSession, Attendance]] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    # Directory contact requests (sent, received, with their messages) and blocks made.
    requests: list[AllyRequest] = field(default_factory=list)
    blocks: int = 0
    # Messages to the user in the outbox: how many are waiting, and how many were sent.
    queued: int = 0
    delivered: int = 0


@dataclass(frozen=True)
class Erased:
    """What deleting a user's data removed, and seats freed for others."""

    profile: bool
    account: bool
    registrations: int
    questions: int
    certificates: int = 0
    directory: bool = False
    alerts: bool = False


class PersonalData:
    """Access and cancellation of a user's personal data."""

    def __init__(self, database: Database, registrations: Registrations, users: Users,
                 certificates: Certificates, questions: Questions) -> None:
        self._db = database
        self._questions = questions
        self._registrations = registrations
        self._users = users
        self._certificates = certificates

    async def snapshot(self, user_id: int) -> Snapshot:
        """Collect every row that holds the user's data."""
        await self._questions.flush()
        async with self._db.session() as session:
            rows = (await session.execute(
                select(EventSession, Registration)
                .join(Registration, Registration.session_id == EventSession.id)
                .where(Registration.user_id == user_id).order_by(EventSession.starts_at)
            )).all()
            questions = (await session.scalars(
                select(QuestionLog).where(QuestionLog.user_id == user_id)
                .order_by(QuestionLog.asked_at)
            )).all()
            flow = await session.get(Flow, user_id)
            ally = await session.scalar(select(AllyProfile)
                                        .where(AllyProfile.user_id == user_id))
            follows = await session.scalars(select(CallFollow.entry_id)
                                            .where(CallFollow.user_id == user_id))
            mutes = await session.scalars(select(SourceMute.entry_id)
                                          .where(SourceMute.user_id == user_id))
            watches = await session.scalars(select(OpeningFollow.entry_id)
                                            .where(OpeningFollow.user_id == user_id))
            attended = (await session.execute(
                select(EventSession, Attendance)
                .join(Attendance, Attendance.session_id == EventSession.id)
                .where(Attendance.user_id == user_id).order_by(EventSession.starts_at))).all()
            certificates = await session.scalars(select(Certificate).where(
                Certificate.user_id == user_id).order_by(Certificate.issued_at))
            requests = await session.scalars(select(AllyRequest).where(
                (AllyRequest.requester_id == user_id) | (AllyRequest.target_id == user_id))
                .order_by(AllyRequest.created_at))
            blocks = await session.scalar(select(func.count()).select_from(AllyBlock)
                                          .where(AllyBlock.blocker_id == user_id))
            outbox = {state: int(n) for state, n in (await session.execute(
                select(OutboxMessage.state, func.count()).where(OutboxMessage.recipient == user_id)
                .group_by(OutboxMessage.state))).all()}
            return Snapshot(await session.get(User, user_id), await session.get(Profile, user_id),
                            [(e, r) for e, r in rows], list(questions),
                            flow.name if flow else None, ally,
                            alerts=await session.get(AlertProfile, user_id),
                            follows=list(follows.all()), mutes=list(mutes.all()),
                            watches=list(watches.all()),
                            attendance=[(e, a) for e, a in attended],
                            certificates=list(certificates.all()),
                            requests=list(requests.all()), blocks=int(blocks or 0),
                            queued=outbox.get("pending", 0) + outbox.get("sending", 0),
                            delivered=outbox.get("sent", 0))

    async def erase(self, user_id: int, now: dt.datetime) -> Erased:
        """Delete the user's data; registrations stay only as anonymous counts."""
        await self._questions.flush()
        # Future seats are freed (the waitlist moves up); past ones stay as anonymous counts.
        for event, seat in await self._registrations.of_user(user_id):
            if event.starts_at > now:
                await self._registrations.cancel(user_id, seat.registration_id, now)
        revoked = await self._certificates.revoke_for(user_id, now)
        async with self._db.sessions.begin() as session:
            await session.execute(delete(Attendance).where(Attendance.user_id == user_id))
            count = await session.scalar(select(func.count()).select_from(Registration)
                                         .where(Registration.user_id == user_id))
            await session.execute(update(Registration).where(Registration.user_id == user_id)
                                  .values(user_id=None, updated_at=now))
            # A message left for staff is the person's own words: it goes; questions stay,
            # unlinked, for the curators.
            await session.execute(delete(QuestionLog).where(QuestionLog.user_id == user_id,
                                                            QuestionLog.decision == MESSAGE))
            questions = await session.execute(update(QuestionLog)
                                              .where(QuestionLog.user_id == user_id)
                                              .values(user_id=None))
            profile = await session.execute(delete(Profile).where(Profile.user_id == user_id))
            await session.execute(delete(Flow).where(Flow.user_id == user_id))
            directory = await erase_user(session, user_id)
            alerts = [await session.execute(delete(model).where(model.user_id == user_id))
                      for model in (AlertProfile, CallFollow, SourceMute, OpeningFollow)]
            await cancel_pending(session, OutboxMessage.recipient == user_id)
            account = await session.execute(delete(User).where(User.id == user_id))
        self._users.forget(user_id)
        return Erased(bool(profile.rowcount), bool(account.rowcount),  # type: ignore[attr-defined]
                      int(count or 0), int(questions.rowcount),  # type: ignore[attr-defined]
                      revoked, directory,
                      any(result.rowcount for result in alerts))  # type: ignore[attr-defined]

