"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work together; busy_timeout makes writers queue, not fail.
    # The driver must not open transactions itself: _begin_immediate does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin(connection: Any) -> None:
    # Units of work take the write lock at BEGIN, so read-then-write ones (seats, claims) are
    # serialised instead of failing when two of them upgrade their locks at once; reads don't.
    if connection.get_execution_options().get(_READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_READ_ONLY = "coopera_read_only"


class Database:
    """An engine plus its session factory; `async with db.sessions.begin()` is a unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # A SQLite file cannot drop the connection; pinging it would only add a round trip.
        options: dict[str, Any] = {"pool_pre_ping": not self.is_sqlite}
        # SQLite takes one writer at a time anyway: one connection queues work fairly in the
        # pool instead of in SQLite's sleeping busy handler. No unit of work may nest another.
        if self.is_sqlite:
            options.update(pool_size=1, max_overflow=0)
        else:
            options.update(pool_size=10, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(**{_READ_ONLY: True})
        self._reads = async_sessionmaker(self._read_engine, expire_on_commit=False)
        # Single reads on the hot path run outside any transaction: one round trip, not three.
        self._single = create_async_engine(url, isolation_level="AUTOCOMMIT", **options)
        if self.is_sqlite:
            event.listen(self._single.sync_engine, "connect", _sqlite_pragmas)

    def session(self) -> AsyncSession:
        """Open a session for reading (use as an async context manager)."""
        return self._reads()

    def reading(self) -> AsyncConnection:
        """A connection for one read statement on the hot path (async context manager)."""
        return self._single.connect()

    async def ping(self) -> bool:
        """Return True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self._single.dispose()
        await self.engine.dispose()
