"""Broadcast to 10,000 recipients through the local Bot API with Telegram-like flood control.

The emulator (in this process) enforces a global limit (default 200 messages/s, so a run takes
about a minute) and 1 message/s per chat; `coopera run` (a separate process) delivers. Prints the
achieved rate as a fraction of the limit, 429 answers, requests sent inside a retry_after window,
messages lost and duplicated; then the same with the bot killed (SIGKILL) half-way and restarted;
then the time to enqueue 100,000 recipients against a bare bulk insert of the same rows.

    python bench/broadcast.py [--recipients 10000] [--limit 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from bot.broadcasts import Audience, Broadcasts
from bot.db.migrate import upgrade
from bot.db.models import OutboxMessage, User
from bot.db.session import Database
from bot.devapi import BotApiEmulator
from bot.services import utc_now

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


async def add_users(database: Database, first: int, count: int) -> None:
    """Users who could receive a broadcast."""
    async with database.sessions.begin() as session:
        for start in range(0, count, 5000):
            await session.execute(insert(User), [
                {"id": first + i, "first_name": "P", "first_seen": NOW, "last_seen": NOW}
                for i in range(start, min(count, start + 5000))])


def delivered(emulator: BotApiEmulator, users: range) -> Counter[int]:
    """Messages received per recipient."""
    return Counter({u: emulator.chats[u].bot_messages for u in users})


async def start_bot(env: dict[str, str], cwd: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def limited_emulator(limit: float, recipients: int) -> tuple[BotApiEmulator, range]:
    """A started local Bot API limited to `limit` messages/s (1/s per chat), with the chats of
    `recipients` users (returned as their id range)."""
    emulator = BotApiEmulator()
    emulator.flood.global_rate = limit
    emulator.flood.chat_interval = 1.0
    await emulator.start()
    users = range(500_000, 500_000 + recipients)
    for user_id in users:
        emulator.chat_for({"id": user_id, "first_name": "P"})
    return emulator, users


async def phase(name: str, recipients: int, limit: float, kill_at: int | None) -> None:
    emulator, users = await limited_emulator(limit, recipients)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        database = Database(url)
        await upgrade(database)
        await add_users(database, users.start, recipients)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPERA_", "WEBHOOK"))}
        env.update(TELEGRAM_BOT_TOKEN=emulator.token, TELEGRAM_API_URL=emulator.base_url,
                   DATABASE_URL=url, COOPERA_SEND_RATE=f"{limit * 0.95:g}")
        await Broadcasts(database).create("Aviso de prueba", Audience(), utc_now())
        process = await start_bot(env, tmp)
        started = None
        in_flight = 0
        while True:
            total = emulator.flood.stats.sends - emulator.flood.stats.too_many
            if started is None and total:
                started = time.perf_counter()
            if kill_at is not None and total >= kill_at:
                os.kill(process.pid, signal.SIGKILL)
                await process.wait()
                # In flight at the kill: delivered, but not recorded as sent.
                async with database.session() as session:
                    recorded = await session.scalar(
                        select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.state == "sent"))
                in_flight = sum(delivered(emulator, users).values()) - int(recorded or 0)
                process = await start_bot(env, tmp)
                kill_at = None
            if len([c for c in delivered(emulator, users).values() if c]) >= recipients:
                break
            await asyncio.sleep(0.2)
        elapsed = time.perf_counter() - (started or time.perf_counter())
        process.send_signal(signal.SIGTERM)
        await process.wait()
        await database.dispose()
    counts = delivered(emulator, users)
    stats = emulator.flood.stats
    await emulator.stop()
    rate = sum(counts.values()) / elapsed
    print(f"{name}: {recipients} recipients in {elapsed:.1f} s; rate {rate:.1f}/s = "
          f"{rate / limit:.3f} of the {limit:g}/s limit; 429 answers {stats.too_many}; "
          f"requests inside a retry_after window {stats.inside_retry_window}; "
          f"lost {sum(1 for c in counts.values() if c == 0)}; "
          f"duplicated {sum(c - 1 for c in counts.values() if c > 1)}"
          + (f" (rows in flight at the kill: {in_flight})" if "kill" in name else ""))


async def enqueue_100k() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'enqueue.sqlite3'}")
        await upgrade(database)
        await add_users(database, 1_000_000, 100_000)
        table = Table("bare", MetaData(), Column("id", Integer, primary_key=True),
                      Column("recipient", Integer), Column("text", String))
        async with database.engine.begin() as conn:
            await conn.run_sync(table.metadata.create_all)
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            for start in range(0, 100_000, 2000):
                await session.execute(insert(table), [
                    {"recipient": 1_000_000 + i, "text": "Aviso"}
                    for i in range(start, start + 2000)])
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        created = await Broadcasts(database).create("Aviso", Audience(), utc_now())
        ours = time.perf_counter() - started
        await database.dispose()
    print(f"enqueue {created.total} recipients: {ours:.2f} s (bare bulk insert of the same rows "
          f"{baseline:.2f} s; ratio {ours / baseline:.2f})")


async def main(recipients: int, limit: float) -> None:
    await phase("steady", recipients, limit, None)
    await phase("kill -9 half-way and restart", recipients, limit, recipients // 2)
    await enqueue_100k()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=200.0)
    options = parser.parse_args()
    asyncio.run(main(options.recipients, options.limit))
