"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, Executable, Row, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger(__name__)


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
        # Single reads on the hot path (see `first`) run outside any transaction. SQLite is a
        # library in this process: in WAL mode a read takes microseconds and never waits for a
        # writer, far less than a trip to aiosqlite's thread and back, so it runs right here.
        self._local: Engine | None = None
        self._single: AsyncEngine | None = None
        if self.is_sqlite:
            self._local = create_engine(make_url(url).set(drivername="sqlite"),
                                        isolation_level="AUTOCOMMIT")
            event.listen(self._local, "connect", _sqlite_pragmas)
        else:
            # No ping before each read (a round trip as long as the read): a connection the
            # server dropped fails the read, which `first` then repeats on a fresh one.
            self._single = create_async_engine(url, isolation_level="AUTOCOMMIT",
                                               **(options | {"pool_pre_ping": False}))

    def session(self) -> AsyncSession:
        """Open a session for reading (use as an async context manager)."""
        return self._reads()

    async def first(self, statement: Executable, params: dict[str, Any]) -> Row[Any] | None:
        """The first row of one read statement on the hot path, outside any transaction."""
        if self._local is not None:
            with self._local.connect() as connection:
                return connection.execute(statement, params).first()
        try:
            return await self._first_pooled(statement, params)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.info("a pooled database connection was dropped; reading again")
            return await self._first_pooled(statement, params)

    async def _first_pooled(self, statement: Executable, params: dict[str, Any]) -> Row[Any] | None:
        assert self._single is not None
        async with self._single.connect() as connection:
            return (await connection.execute(statement, params)).first()

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
        if self._local is not None:
            self._local.dispose()
        if self._single is not None:
            await self._single.dispose()
        await self.engine.dispose()
