"""Shared fixtures: a database on SQLite (always) and PostgreSQL (when its URL is set)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

import knowledge
from bot.devapi.databases import create_database, drop_database
from bot.devapi.harness import Harness, harness
from bot.settings import Settings

POSTGRES_ENV = "COOPERA_TEST_POSTGRES_URL"
STAFF_ID = 4242


@pytest.fixture(scope="session", autouse=True)
def shipped_base_indexed_once() -> Iterator[None]:
    """Index the shipped knowledge base once per run; other paths still load for real."""
    real = knowledge.load
    shipped = real()

    def load(path: str | os.PathLike[str] | None = None) -> knowledge.KnowledgeBase:
        return shipped if path is None else real(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(knowledge, "load", load)
        yield


async def _reset_postgres(url: str) -> str | None:
    """Empty the PostgreSQL test database; return why it cannot be used, or None."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        return f"PostgreSQL at {POSTGRES_ENV} does not answer: {exc}"
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()
    return None


_POSTGRES_SKIPPED: list[str] = []


def _postgres_reason() -> str:
    """Why this run has no PostgreSQL database."""
    if not os.environ.get(POSTGRES_ENV):
        return f"{POSTGRES_ENV} is not set"
    return _POSTGRES_SKIPPED[0] if _POSTGRES_SKIPPED else "no PostgreSQL database"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once why the PostgreSQL half of the database tests did not run."""
    reason = _postgres_reason()
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if reason in str(getattr(r, "longrepr", ""))]
    if skipped:
        terminalreporter.write_line(f"PostgreSQL: {len(skipped)} tests skipped ({reason}).")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of this test run's own on the server at COOPERA_TEST_POSTGRES_URL."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        yield None
        return
    # Concurrent test runs on one server must not empty each other's tables.
    name = f"coopera_test_{os.getpid()}"
    try:
        own = asyncio.run(create_database(url, name))
    except (OSError, asyncpg.PostgresError) as exc:
        # Never empty a database this run did not create: without one of its own, no tests.
        _POSTGRES_SKIPPED.append(f"could not create a test database ({exc})")
        yield None
        return
    yield own
    asyncio.run(drop_database(url, name))


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str],
                       postgres_url: str | None) -> str:
    """A fresh, empty database URL for each engine."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/coopera.sqlite3"
    if postgres_url is None:
        pytest.skip(_postgres_reason())
    problem = await _reset_postgres(postgres_url)
    if problem:
        pytest.skip(problem)
    return postgres_url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a test bot: the test database, one staff member, no real Telegram."""
    return Settings(
        TELEGRAM_BOT_TOKEN=None,
        DATABASE_URL=database_url,
        COOPERA_STAFF_IDS=str(STAFF_ID),
        WEBHOOK_URL=None,
        _env_file=None,
    )


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Harness]:
    """The real bot polling a local Bot API emulator."""
    async with harness(settings) as running:
        yield running
