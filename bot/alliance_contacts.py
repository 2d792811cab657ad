"""Contact requests between directory members: limited, blockable, details only on a yes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import alliance_notices as notices
from bot.alliances import PENDING
from bot.db.dialect import insert_ignore
from bot.db.models import AllyBlock, AllyProfile, AllyRequest, Profile, User
from bot.db.session import Database
from bot.flows import Flows, FlowState
from bot.outbox import Outgoing, enqueue

FLOW = "aliados_contacto"
DAILY_LIMIT = 5
WINDOW = dt.timedelta(hours=24)
MESSAGE_MAX = 500
OUTCOMES = {"yes": "accepted", "no": "declined", "block": "blocked"}


class Refusal(StrEnum):
    NOT_LISTED = "not_listed"
    GONE = "gone"
    CLOSED = "closed"
    PENDING = "pending"
    LIMIT = "limit"


class Refused(Exception):
    """The request cannot be sent or answered, and why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidMessage(Exception):
    """The message is empty or too long; the text says what to fix."""


@dataclass(frozen=True)
class Answered:
    """An answered request: who asked and, when accepted, their contact details."""

    outcome: str
    requester: AllyProfile
    details: str | None


class Contacts:
    """Send and answer contact requests through the outbox."""

    def __init__(self, database: Database, flows: Flows) -> None:
        self._db = database
        self._flows = flows

    async def begin(self, user_id: int, profile_id: int, now: dt.datetime) -> AllyProfile:
        """Check that a request may be sent, then wait for the requester's message."""
        async with self._db.session() as session:
            target = await _check(session, user_id, profile_id, now)
        await self._flows.save(user_id, FlowState(FLOW, "message", {"target": profile_id}), now)
        return target

    async def send(self, user_id: int, text: str, now: dt.datetime) -> AllyProfile | None:
        """Record the request and queue it for the other party; None without one in progress."""
        state = await self._flows.get(user_id, now)
        if state is None or state.name != FLOW:
            return None
        message = " ".join(text.split())
        if len(message) < 5 or len(message) > MESSAGE_MAX:
            raise InvalidMessage(f"Escriba un mensaje de 5 a {MESSAGE_MAX} caracteres, "
                                 f"por favor (el suyo tiene {len(message)}).")
        try:
            async with self._db.sessions.begin() as session:
                target = await _check(session, user_id, int(state.data["target"]), now)
                requester = await _listed(session, user_id)
                assert requester is not None
                row = AllyRequest(requester_id=user_id, target_id=target.user_id,
                                  message=message, state=PENDING, created_at=now)
                session.add(row)
                await session.flush()
                await enqueue(session, [Outgoing(
                    target.user_id, "ally", f"ally-req:{row.id}",
                    notices.request(requester, message), now, buttons=_answer_buttons(row.id))],
                    now)
        finally:
            await self._flows.end(user_id)
        return target

    async def answer(self, user_id: int, request_id: int, action: str,
                     now: dt.datetime) -> Answered:
        """Accept, decline or block a request addressed to the user; tell the requester."""
        async with self._db.sessions.begin() as session:
            row = await session.get(AllyRequest, request_id)
            if row is None or row.target_id != user_id or row.state != PENDING:
                raise Refused(Refusal.GONE)
            requester = await _listed(session, row.requester_id)
            target = await _listed(session, user_id)
            if requester is None or target is None or action not in OUTCOMES:
                raise Refused(Refusal.GONE)
            row.state, row.answered_at = OUTCOMES[action], now
            details = None
            if action == "yes":
                details = await _contact(session, requester)
                text = notices.accepted(target, await _contact(session, target))
            else:
                text = notices.declined(target)
            if action == "block":
                await insert_ignore(session, AllyBlock, {"blocker_id": user_id,
                                                         "blocked_id": row.requester_id,
                                                         "created_at": now})
            await enqueue(session, [Outgoing(row.requester_id, "ally", f"ally-ans:{row.id}",
                                             text, now)], now)
            return Answered(row.state, requester, details)


async def _listed(session: AsyncSession, user_id: int) -> AllyProfile | None:
    return await session.scalar(select(AllyProfile).where(AllyProfile.user_id == user_id))


async def _check(session: AsyncSession, user_id: int, profile_id: int,
                 now: dt.datetime) -> AllyProfile:
    if await _listed(session, user_id) is None:
        raise Refused(Refusal.NOT_LISTED)
    target = await session.get(AllyProfile, profile_id)
    if target is None or target.user_id == user_id:
        raise Refused(Refusal.GONE)
    blocked = await session.get(AllyBlock, (target.user_id, user_id))
    if not target.accepts_requests or blocked is not None:
        raise Refused(Refusal.CLOSED)
    sent = select(func.count()).select_from(AllyRequest).where(AllyRequest.requester_id == user_id)
    if await session.scalar(sent.where(AllyRequest.target_id == target.user_id,
                                       AllyRequest.state == PENDING)):
        raise Refused(Refusal.PENDING)
    # Counted in the database, so every replica applies the same limit.
    if (await session.scalar(sent.where(AllyRequest.created_at > now - WINDOW)) or 0) \
            >= DAILY_LIMIT:
        raise Refused(Refusal.LIMIT)
    return target


async def _contact(session: AsyncSession, profile: AllyProfile) -> str:
    user = await session.get(User, profile.user_id)
    registered = await session.get(Profile, profile.user_id)
    return notices.contact(profile, user.username if user else None,
                           registered.email if registered else None)


def _answer_buttons(request_id: int) -> list[list[dict[str, str]]]:
    return [[{"text": "✅ Aceptar", "callback_data": f"ac:yes:{request_id}"},
             {"text": "❌ Rechazar", "callback_data": f"ac:no:{request_id}"}],
            [{"text": "🚫 Bloquear solicitudes", "callback_data": f"ac:block:{request_id}"}]]
