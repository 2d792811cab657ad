"""PostgreSQL databases of one's own for test and benchmark runs, created and dropped here, so
no run ever empties a database it did not create."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import make_url


async def _execute(server: str, statement: str) -> None:
    """Run one statement on the server's maintenance connection."""
    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def create_database(server: str, name: str) -> str:
    """Create database `name` afresh on the server of the URL `server`; return its URL."""
    await _execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _execute(server, f'CREATE DATABASE "{name}"')
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def drop_database(server: str, name: str) -> None:
    """Drop database `name`, whoever is still connected to it."""
    await _execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
