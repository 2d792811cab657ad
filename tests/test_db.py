"""Storage on both engines: migrations match the models; intake and users behave."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.db.migrate import upgrade
from bot.db.models import Base
from bot.db.session import Database
from bot.flows import Flows, FlowState
from bot.intake import Intake
from bot.users import Person, Users

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db)
    yield db
    await db.dispose()


async def test_migrations_match_the_models_and_are_idempotent(database: Database) -> None:
    await upgrade(database)

    def diff(connection: object) -> list[object]:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)  # type: ignore[arg-type]

    async with database.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_an_update_is_claimed_once_even_concurrently(database: Database) -> None:
    intake = Intake(database)
    results = await asyncio.gather(*(intake.claim(7, NOW) for _ in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert await intake.claim(8, NOW)


async def test_old_update_ids_are_pruned(database: Database) -> None:
    intake = Intake(database)
    await intake.claim(1, NOW - dt.timedelta(days=3))
    await intake.claim(2, NOW)
    assert await intake.prune(NOW) == 1
    assert await intake.claim(1, NOW)
    assert not await intake.claim(2, NOW)


async def test_users_are_created_updated_blocked_and_unblocked(database: Database) -> None:
    users = Users(database)
    await users.seen(Person(5, "Ana", language_code="es"), NOW)
    later = NOW + dt.timedelta(hours=2)
    await users.mark_blocked(5, later)
    blocked = await users.get(5)
    assert blocked is not None and blocked.blocked_at == later
    await Users(database).seen(Person(5, "Ana María", "Pérez"), later + dt.timedelta(hours=2))
    user = await users.get(5)
    assert user is not None  # seen again (e.g. the update saying they blocked): still blocked
    assert (user.first_name, user.last_name, user.blocked_at) == ("Ana María", "Pérez", later)
    await users.unblocked(5)
    assert (await users.get(5)).blocked_at is None  # type: ignore[union-attr]
    assert user.first_seen == NOW and user.last_seen == later + dt.timedelta(hours=2)


async def test_database_ping(database: Database) -> None:
    assert await database.ping()
    broken = Database("sqlite+aiosqlite:////nonexistent/dir/x.sqlite3")
    assert not await broken.ping()
    await broken.dispose()


async def test_open_form_is_read_after_the_server_dropped_the_connection(
    database: Database,
) -> None:
    if not database.is_sqlite:
        flows = Flows(database)
        await flows.save(9, FlowState("signup", "name", {"state": "Oaxaca"}), NOW)
        assert await flows.get(9, NOW) is not None  # the read connection is now pooled
        # A restart or failover: the server ends every connection of the bot.
        async with database.engine.connect() as connection:
            await connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        state = await flows.get(9, NOW)
        assert state is not None and state.data == {"state": "Oaxaca"}
    else:
        pytest.skip("a SQLite file is read in this process: there is no connection to drop")
