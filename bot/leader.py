"""One active dispatcher per database: a PostgreSQL advisory lock, held on its own connection."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.session import Database

log = logging.getLogger(__name__)
LOCK_KEY = 0x636F6F7065726121  # "coopera!"; fits in a signed 64-bit key


class Leadership:
    """Become the dispatcher when no one else is; lose it if the connection dies."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._connection: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        """True while this process is the dispatcher."""
        return self._db.is_sqlite or self._connection is not None

    async def acquire(self) -> bool:
        """Try to take the lock; SQLite deployments run one process, so it is always ours."""
        if self.held:
            return await self.alive()
        connection = await self._db.engine.connect()
        try:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            if await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                       {"key": LOCK_KEY}):
                self._connection = connection
                log.info("this process is now the delivery dispatcher")
                return True
        except Exception:
            log.exception("could not try the dispatcher lock")
        await connection.close()
        return False

    async def alive(self) -> bool:
        """Check the lock's connection; a dead one means another replica may take over."""
        if self._connection is None:
            return self._db.is_sqlite
        try:
            await self._connection.execute(text("SELECT 1"))
            return True
        except Exception:
            log.warning("lost the dispatcher lock connection")
            await self.release()
            return False

    async def release(self) -> None:
        """Give the lock up by closing its connection for real (not back into the pool)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.invalidate()
                await connection.close()
            except Exception:
                log.debug("lock connection already closed")
