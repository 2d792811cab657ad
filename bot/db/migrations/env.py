"""Alembic environment: runs on the connection handed in by bot.db.migrate."""

from alembic import context

from bot.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Use `coopera db upgrade` (it opens the connection from DATABASE_URL).")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
