"""Apply Alembic migrations from code (on start and from `coopera db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from bot.db.session import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Replicas starting together must not run the same migration at once.
_MIGRATION_LOCK_KEY = 0x636F6F70


def alembic_config(connection: Connection | None = None) -> Config:
    """Build the Alembic configuration, optionally sharing an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    command.upgrade(alembic_config(connection), "head")


async def upgrade(database: Database) -> None:
    """Bring the schema up to the newest revision."""
    async with database.engine.begin() as connection:
        await connection.run_sync(_upgrade)
