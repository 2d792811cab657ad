"""Staff broadcasts: pick an audience, enqueue one outbox row per recipient, follow progress."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, String, cast, func, insert, literal, or_, select, update

from bot.db.models import Broadcast, EventSession, OutboxMessage, Profile, Registration, User
from bot.db.session import Database
from bot.devapi.html import HtmlError, parse_html, utf16_len
from bot.outbox import OPEN, Outgoing, State, cancel_pending, enqueue
from bot.signup import SECTORS
from knowledge.geography import match_state

TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024
ACTIVE = ("scheduled", "running")


class BroadcastError(ValueError):
    """A broadcast that cannot be sent as given; the message says why."""


@dataclass(frozen=True)
class Audience:
    """Who receives a broadcast: OR within a dimension, AND across them; empty = everyone."""

    sessions: tuple[int, ...] = ()
    cycles: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[Any]]:
        """JSON-friendly form, stored with the broadcast."""
        return {k: list(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[Any]]) -> Audience:
        """Read the stored form."""
        return cls(**{k: tuple(v) for k, v in data.items() if k in cls.__dataclass_fields__})

    def toggled(self, dimension: str, value: Any) -> Audience:
        """The same audience with one value added or removed."""
        current = getattr(self, dimension)
        values = tuple(v for v in current if v != value) if value in current else (
            *current, value)
        return Audience(**{**self.__dict__, dimension: values})


def parse_audience(specs: list[str], sessions: dict[str, int]) -> Audience:
    """Read CLI specs such as 'sector=osc,municipal', 'state=Yucatán', 'session=c/s1'."""
    found: dict[str, list[Any]] = {"sessions": [], "cycles": [], "sectors": [], "states": []}
    for spec in specs:
        key, _, raw = spec.partition("=")
        values = [v.strip() for v in raw.split(",") if v.strip()]
        if key == "everyone" or spec == "everyone":
            continue
        if not values:
            raise BroadcastError(f"audiencia sin valores: {spec!r}")
        for value in values:
            if key == "session":
                if value not in sessions:
                    raise BroadcastError(f"no existe la sesión {value} (use <ciclo>/<sesión>)")
                found["sessions"].append(sessions[value])
            elif key == "cycle":
                found["cycles"].append(value)
            elif key == "sector":
                if value not in SECTORS:
                    raise BroadcastError(f"sector desconocido {value!r}; use: {', '.join(SECTORS)}")
                found["sectors"].append(value)
            elif key == "state":
                state = match_state(value).state
                if state is None:
                    raise BroadcastError(f"estado no reconocido: {value!r}")
                found["states"].append(state)
            else:
                raise BroadcastError(f"audiencia desconocida {key!r}: use session, cycle, "
                                     "sector o state")
    return Audience(**{k: tuple(dict.fromkeys(v)) for k, v in found.items()})


def check_text(text: str, with_document: bool) -> None:
    """Refuse text Telegram would refuse (malformed HTML, too long, empty)."""
    try:
        plain, _ = parse_html(text)
    except HtmlError as exc:
        raise BroadcastError(f"formato HTML no válido: {exc}") from None
    limit = CAPTION_LIMIT if with_document else TEXT_LIMIT
    if not plain.strip() and not with_document:
        raise BroadcastError("el mensaje está vacío")
    if utf16_len(plain) > limit:
        raise BroadcastError(f"el mensaje pasa de {limit} caracteres")


@dataclass(frozen=True)
class Progress:
    """Where a broadcast stands."""

    broadcast: Broadcast
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        """Messages not yet sent or given up."""
        return sum(self.counts.get(s.value, 0) for s in OPEN)


class Broadcasts:
    """Create, cancel and follow broadcasts."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def _recipients(self, audience: Audience) -> Select[Any]:
        query = select(User.id).where(User.blocked_at.is_(None))
        if audience.sessions or audience.cycles:
            seats = (select(Registration.user_id)
                     .join(EventSession, EventSession.id == Registration.session_id)
                     .where(Registration.status.in_(("confirmed", "waitlisted"))))
            conditions = []
            if audience.sessions:
                conditions.append(EventSession.id.in_(audience.sessions))
            if audience.cycles:
                conditions.append(EventSession.cycle_id.in_(audience.cycles))
            query = query.where(User.id.in_(seats.where(or_(*conditions))))
        if audience.sectors or audience.states:
            profiles = select(Profile.user_id)
            if audience.sectors:
                profiles = profiles.where(Profile.sector.in_(audience.sectors))
            if audience.states:
                profiles = profiles.where(Profile.state.in_(audience.states))
            query = query.where(User.id.in_(profiles))
        return query.order_by(User.id)

    async def count(self, audience: Audience) -> int:
        """How many people the audience reaches now (blocked users excluded)."""
        async with self._db.session() as session:
            return int(await session.scalar(
                select(func.count()).select_from(self._recipients(audience).subquery())) or 0)

    async def create(self, text: str, audience: Audience, now: dt.datetime, *,
                     at: dt.datetime | None = None, document: dict[str, Any] | None = None,
                     created_by: int | None = None, progress_chat: int | None = None,
                     progress_message: int | None = None) -> Broadcast:
        """Store the broadcast and its outbox rows in one transaction."""
        check_text(text, document is not None)
        when = at or now
        async with self._db.sessions.begin() as session:
            row = Broadcast(created_by=created_by, created_at=now, text=text, document=document,
                            audience=audience.as_dict(), scheduled_at=when,
                            state="scheduled" if when > now else "running", total=0,
                            progress_chat_id=progress_chat, progress_message_id=progress_message)
            session.add(row)
            await session.flush()
            # One INSERT … SELECT: 100,000 recipients never travel through Python.
            sample = Outgoing(0, "broadcast", "", text, when, document=document,
                              broadcast_id=row.id).row(now)
            recipients = self._recipients(audience).subquery()
            columns = [c for c in sample if c != "recipient" and c != "dedup_key"]
            source = select(
                recipients.c.id,
                (literal(f"broadcast:{row.id}:") + cast(recipients.c.id, String)),
                *[literal(sample[c], OutboxMessage.__table__.c[c].type) for c in columns])
            result = await session.execute(insert(OutboxMessage).from_select(
                ["recipient", "dedup_key", *columns], source))
            row.total = int(result.rowcount)  # type: ignore[attr-defined]
        return row

    async def attach_progress(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Remember the staff message that shows this broadcast's progress."""
        async with self._db.sessions.begin() as session:
            await session.execute(update(Broadcast).where(Broadcast.id == broadcast_id)
                                  .values(progress_chat_id=chat_id,
                                          progress_message_id=message_id))

    async def cancel(self, broadcast_id: int) -> Progress | None:
        """Stop a broadcast: messages not yet sent are cancelled."""
        async with self._db.sessions.begin() as session:
            row = await session.get(Broadcast, broadcast_id)
            if row is None:
                return None
            if row.state in ACTIVE:
                row.state = "cancelled"
                await cancel_pending(session, OutboxMessage.broadcast_id == broadcast_id)
        return await self.progress(broadcast_id)

    async def progress(self, broadcast_id: int) -> Progress | None:
        """The broadcast with its messages counted by state."""
        async with self._db.session() as session:
            row = await session.get(Broadcast, broadcast_id)
            if row is None:
                return None
            counts = Counter(dict((await session.execute(
                select(OutboxMessage.state, func.count()).where(
                    OutboxMessage.broadcast_id == broadcast_id)
                .group_by(OutboxMessage.state))).all()))
            return Progress(row, dict(counts))

    async def recent(self, limit: int = 10) -> list[Progress]:
        """The latest broadcasts with their progress."""
        async with self._db.session() as session:
            ids = (await session.scalars(select(Broadcast.id).order_by(Broadcast.id.desc())
                                         .limit(limit))).all()
        return [p for i in ids if (p := await self.progress(i)) is not None]

    async def active(self, now: dt.datetime) -> list[Progress]:
        """Broadcasts under way (scheduled ones start when their time comes)."""
        async with self._db.sessions.begin() as session:
            await session.execute(update(Broadcast).where(Broadcast.state == "scheduled",
                                                          Broadcast.scheduled_at <= now)
                                  .values(state="running"))
            ids = (await session.scalars(select(Broadcast.id)
                                         .where(Broadcast.state == "running"))).all()
        return [p for i in ids if (p := await self.progress(i)) is not None]

    async def finish(self, broadcast_id: int, now: dt.datetime, progress: Progress) -> bool:
        """Mark a running broadcast done and queue its final report; True for who did it."""
        async with self._db.sessions.begin() as session:
            result = await session.execute(
                update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.state == "running")
                .values(state="done", finished_at=now))
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            chat = progress.broadcast.progress_chat_id
            if chat is not None:
                text = f"✅ <b>Difusión #{broadcast_id} terminada</b>\n{counts_line(progress)}"
                await enqueue(session, [Outgoing(chat, "report", f"report:{broadcast_id}", text,
                                                 now)], now)
            return True


def counts_line(progress: Progress) -> str:
    """'enviados 10 · pendientes 5 · bloqueados 1 · fallidos 0 · cancelados 0'."""
    c = progress.counts
    return (f"enviados {c.get(State.SENT.value, 0)} · pendientes {progress.open} · "
            f"bloqueados {c.get(State.UNDELIVERABLE.value, 0)} · "
            f"fallidos {c.get(State.FAILED.value, 0)} · "
            f"cancelados {c.get(State.CANCELLED.value, 0)}")
