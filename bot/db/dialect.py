"""Statements whose syntax differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, model: Any) -> Any:
    """An INSERT supporting ON CONFLICT for the session's database."""
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(model)


async def insert_ignore(session: AsyncSession, model: Any, values: dict[str, Any]) -> bool:
    """Insert a row unless its key exists; return True when it was inserted."""
    statement = insert_for(session, model).values(**values).on_conflict_do_nothing()
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def upsert(session: AsyncSession, model: Any, values: dict[str, Any], keys: list[str],
                 update: dict[str, Any]) -> None:
    """Insert a row, or update the given columns of the existing one."""
    statement = insert_for(session, model).values(**values)
    statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
    await session.execute(statement)
