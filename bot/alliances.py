"""The alliance directory: search, leave, pause requests, staff counts and the public CSV."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alliance_form import EXCHANGES
from bot.db.models import AllyBlock, AllyProfile, AllyRequest, OutboxMessage
from bot.db.session import Database
from bot.outbox import cancel_pending
from bot.signup import SECTORS
from bot.spreadsheets import csv_file

PAGE_SIZE = 3
COLUMNS = ("nombre", "sector", "estado", "municipio", "temas_ods", "ofrece", "busca",
           "descripcion", "actualizado")
PENDING, WITHDRAWN = "pending", "withdrawn"


@dataclass(frozen=True)
class Filters:
    """What to look for; None means any. Exchange is "o-<code>" (offers) or "s-<code>"."""

    state: str | None = None
    theme: int | None = None
    sector: str | None = None
    exchange: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of search results."""

    profiles: list[AllyProfile]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class Stats:
    """Directory counts for staff."""

    total: int
    by_state: dict[str, int]
    by_theme: dict[int, int]


class Directory:
    """Read and manage the public directory."""

    def __init__(self, database: Database, zone: ZoneInfo) -> None:
        self._db = database
        self._zone = zone

    async def mine(self, user_id: int) -> AllyProfile | None:
        """The user's own directory entry, if listed."""
        async with self._db.session() as session:
            return await session.scalar(select(AllyProfile)
                                        .where(AllyProfile.user_id == user_id))

    async def search(self, filters: Filters, page: int, viewer: int) -> Page:
        """Entries matching the filters (never the viewer's own), one page of them."""
        statement = select(AllyProfile).where(AllyProfile.user_id != viewer)
        if filters.state:
            statement = statement.where(AllyProfile.state == filters.state)
        if filters.sector:
            statement = statement.where(AllyProfile.sector == filters.sector)
        async with self._db.session() as session:
            rows = list(await session.scalars(statement.order_by(AllyProfile.name,
                                                                 AllyProfile.id)))
        # Themes and exchanges are JSON lists, filtered here the same way on both engines.
        found = [p for p in rows if _matches(p, filters)]
        pages = max(1, -(-len(found) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        return Page(found[page * PAGE_SIZE:(page + 1) * PAGE_SIZE], page, pages, len(found))

    async def leave(self, user_id: int) -> bool:
        """Remove the user's entry at once and withdraw the requests still pending."""
        async with self._db.sessions.begin() as session:
            removed = await session.execute(delete(AllyProfile)
                                            .where(AllyProfile.user_id == user_id))
            await _withdraw(session, user_id)
        return bool(removed.rowcount)  # type: ignore[attr-defined]

    async def set_accepting(self, user_id: int, on: bool, now: dt.datetime) -> bool:
        """Start or stop receiving contact requests; False when the user is not listed."""
        async with self._db.sessions.begin() as session:
            done = await session.execute(update(AllyProfile)
                                         .where(AllyProfile.user_id == user_id)
                                         .values(accepts_requests=on, updated_at=now))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    async def stats(self) -> Stats:
        """How many entries, by state and by theme."""
        async with self._db.session() as session:
            rows = list(await session.scalars(select(AllyProfile)))
        themes = Counter(theme for p in rows for theme in p.themes)
        return Stats(len(rows), dict(Counter(p.state for p in rows).most_common()),
                     dict(sorted(themes.items())))

    async def export(self, now: dt.datetime) -> tuple[str, bytes]:
        """The public directory as CSV (UTF-8 with BOM): public fields only, no contacts."""
        async with self._db.session() as session:
            rows = list(await session.scalars(select(AllyProfile)
                                              .order_by(AllyProfile.name, AllyProfile.id)))
        table = [[p.name, SECTORS.get(p.sector, p.sector), p.state, p.municipality or "",
                  "; ".join(str(t) for t in p.themes), "; ".join(EXCHANGES[c] for c in p.offers),
                  "; ".join(EXCHANGES[c] for c in p.seeks), p.description,
                  p.updated_at.astimezone(self._zone).strftime("%Y-%m-%d")] for p in rows]
        stamp = now.astimezone(self._zone).strftime("%Y%m%d-%H%M")
        return f"directorio-aliados-{stamp}.csv", csv_file(COLUMNS, table)


async def erase_user(session: AsyncSession, user_id: int) -> bool:
    """Delete the user's entry, requests and blocks in the caller's transaction."""
    await _withdraw(session, user_id)
    involved = (AllyRequest.requester_id == user_id) | (AllyRequest.target_id == user_id)
    await session.execute(delete(AllyRequest).where(involved))
    await session.execute(delete(AllyBlock).where((AllyBlock.blocker_id == user_id)
                                                  | (AllyBlock.blocked_id == user_id)))
    removed = await session.execute(delete(AllyProfile).where(AllyProfile.user_id == user_id))
    return bool(removed.rowcount)  # type: ignore[attr-defined]


async def _withdraw(session: AsyncSession, user_id: int) -> None:
    involved = (AllyRequest.requester_id == user_id) | (AllyRequest.target_id == user_id)
    ids = list(await session.scalars(select(AllyRequest.id)
                                     .where(involved, AllyRequest.state == PENDING)))
    if ids:
        # Kept as withdrawn (not deleted) so leaving and rejoining does not reset the limit.
        await session.execute(update(AllyRequest).where(AllyRequest.id.in_(ids))
                              .values(state=WITHDRAWN))
        await cancel_pending(session, OutboxMessage.dedup_key.in_(
            [f"ally-req:{i}" for i in ids]))


def _matches(profile: AllyProfile, filters: Filters) -> bool:
    if filters.theme is not None and filters.theme not in profile.themes:
        return False
    if filters.exchange:
        side, _, code = filters.exchange.partition("-")
        return code in (profile.offers if side == "o" else profile.seeks)
    return True
