"""The knowledge base in use: loaded at start, reloaded on request, the same on every replica."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

import knowledge
from bot.db.dialect import upsert
from bot.db.models import KnowledgeVersion
from bot.db.session import Database

log = logging.getLogger(__name__)
_ROW = 1
# Called with the old and the new base after each successful reload or follow.
Listener = Callable[[knowledge.KnowledgeBase, knowledge.KnowledgeBase], Awaitable[None]]


@dataclass(frozen=True)
class Reload:
    """The outcome of a reload: entry counts, or the problems that kept the old base."""

    ok: bool
    entries: int
    previous: int
    problems: list[knowledge.Problem] = field(default_factory=list)


class KnowledgeService:
    """Hold the current KnowledgeBase; a base that fails validation never replaces a good one."""

    def __init__(self, database: Database, path: Path | None, base: knowledge.KnowledgeBase,
                 version: int) -> None:
        self._db = database
        self._path = path
        self.folder = path or Path(knowledge.__file__).parent
        self.base = base
        self.version = version
        self.listeners: list[Listener] = []

    @classmethod
    async def open(cls, database: Database, path: Path | None) -> KnowledgeService:
        """Load the base (raising KnowledgeError if it is invalid) and note its version."""
        base = await asyncio.to_thread(knowledge.load, path)
        return cls(database, path, base, await cls._stored_version(database))

    @staticmethod
    async def _stored_version(database: Database) -> int:
        async with database.session() as session:
            row = await session.get(KnowledgeVersion, _ROW)
            return row.version if row else 0

    async def reload(self, now: dt.datetime) -> Reload:
        """Load the files again; on success use them here and tell the other replicas."""
        previous = len(self.base)
        try:
            base = await asyncio.to_thread(knowledge.load, self._path)
        except knowledge.KnowledgeError as exc:
            return Reload(False, previous, previous, exc.problems)
        async with self._db.sessions.begin() as session:
            current = await session.scalar(
                select(KnowledgeVersion.version).where(KnowledgeVersion.id == _ROW)
            )
            version = (current or 0) + 1
            await upsert(session, KnowledgeVersion,
                         {"id": _ROW, "version": version, "reloaded_at": now}, ["id"],
                         {"version": version, "reloaded_at": now})
        old, self.base, self.version = self.base, base, version
        log.info("knowledge base reloaded: %d entries (version %d)", len(base), version)
        await self._changed(old, base)
        return Reload(True, len(base), previous)

    async def follow(self) -> bool:
        """Reload when another replica has reloaded; return True if this one did."""
        stored = await self._stored_version(self._db)
        if stored <= self.version:
            return False
        old = self.base
        try:
            self.base = await asyncio.to_thread(knowledge.load, self._path)
        except knowledge.KnowledgeError:
            log.error("knowledge base version %d does not validate here; keeping ours", stored)
        self.version = stored
        if self.base is not old:
            await self._changed(old, self.base)
        return True

    async def _changed(self, old: knowledge.KnowledgeBase, new: knowledge.KnowledgeBase) -> None:
        for listener in self.listeners:
            try:
                await listener(old, new)
            except Exception:
                # The new base is in use either way; a failed listener must not undo the reload.
                log.exception("a knowledge base listener failed")
