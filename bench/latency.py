"""Reply latency in bursts of new users, memory over a long run, broadcast pace across replicas.

`coopera run` (a separate process) polls the local Bot API emulator (this process). New users
send one question each at a fixed rate; a reply's latency runs from the user's send to the bot's
reply reaching the emulator. The baseline, measured in the same run at the same rates, is a bare
python-telegram-bot echo bot (bench/throughput.py's): what polling and the emulator cost alone.
Prints p50/p90/p99/max and replies lost (none within 30 s). Then a long run (a pool of users,
the bot's RSS every 1,000 updates) and, on PostgreSQL, a broadcast by one and by three
`coopera run --webhook` replicas as a fraction of COOPERA_SEND_RATE, with Telegram's limit at
that same rate.

    python bench/latency.py [--database-url postgresql+asyncpg://…] [--rates 30,100]
                            [--seconds 20] [--long 12000] [--phases burst,long,broadcast]

On PostgreSQL each bot gets a database of its own on that server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from broadcast import add_users, delivered, limited_emulator, start_bot
from throughput import ECHO_BOT, peak_rss_mb

from bot.broadcasts import Audience, Broadcasts
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.devapi import BotApiEmulator
from bot.devapi.databases import create_database, drop_database
from bot.services import utc_now

REPLY_TIMEOUT = 30.0
# `--profile FILE`: the bot runs under py-spy, which writes its collapsed stacks there.
COOPERA = [sys.executable, "-m", "bot", "run"]
QUESTIONS = [item["q"] for item in yaml.safe_load(
    (Path(__file__).parents[1] / "tests/data/preguntas.yaml").read_text())["in_scope"]]


@dataclass
class Latencies:
    """Seconds from send to reply, None for a reply that never came."""

    name: str
    values: list[float | None]

    def row(self) -> str:
        got = sorted(v for v in self.values if v is not None)
        if not got:
            return f"  {self.name:<14}{'no replies':>40}"

        def ms(q: float) -> float:
            return 1000 * got[min(len(got) - 1, int(q * len(got)))]

        lost = sum(v is None for v in self.values)
        return (f"  {self.name:<14}{ms(0.5):>8.1f}{ms(0.9):>8.1f}{ms(0.99):>8.1f}"
                f"{1000 * got[-1]:>8.1f}{lost:>7}")


def rss_mb(pid: int) -> float:
    """The process's resident memory now."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@contextlib.asynccontextmanager
async def fresh_database(server: str | None, tmp: str, name: str) -> AsyncIterator[str]:
    """A new empty database: a SQLite file, or a database of its own on the PostgreSQL server."""
    if server is None:
        yield f"sqlite+aiosqlite:///{tmp}/{name}.sqlite3"
        return
    own = f"coopera_bench_{os.getpid()}_{name}"
    url = await create_database(server, own)
    try:
        yield url
    finally:
        await drop_database(server, own)


def bot_env(emulator: BotApiEmulator, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPERA_", "WEBHOOK"))}
    return env | {"TELEGRAM_BOT_TOKEN": emulator.token, "TELEGRAM_API_URL": emulator.base_url,
                  "DATABASE_URL": database_url} | extra


class Users:
    """Fresh user ids, never used before in this run."""

    def __init__(self) -> None:
        self._next = 1_000_000

    def take(self, count: int) -> range:
        taken = range(self._next, self._next + count)
        self._next += count
        return taken


async def ask(emulator: BotApiEmulator, user_id: int, text: str) -> float | None:
    """Send one question; the seconds until the bot's next message in that chat."""
    user = {"id": user_id, "first_name": "Persona"}
    chat = emulator.chat_for(user)
    expected = chat.bot_messages + 1
    sent = time.perf_counter()
    await emulator.user_sends(user, text)
    try:
        await asyncio.wait_for(chat.wait_bot_messages(expected), REPLY_TIMEOUT)
    except TimeoutError:
        return None
    return time.perf_counter() - sent


async def at_rate(emulator: BotApiEmulator, rate: float, senders: list[int],
                  on_sent: Iterator[None] | None = None) -> list[float | None]:
    """Each sender (a user id, repeated for several questions) asks at its moment."""
    started = time.perf_counter()
    tasks = []
    for index, user_id in enumerate(senders):
        delay = started + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(ask(emulator, user_id, QUESTIONS[index % len(QUESTIONS)])))
        if on_sent is not None:
            next(on_sent)
    return list(await asyncio.gather(*tasks))


async def started_bot(command: list[str], env: dict[str, str], cwd: str,
                      emulator: BotApiEmulator, users: Users) -> asyncio.subprocess.Process:
    """Start a bot and wait for its first reply, then warm it up with a few questions."""
    process = await asyncio.create_subprocess_exec(*command, env=env, cwd=cwd,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    first = users.take(1)[0]
    await asyncio.wait_for(ask(emulator, first, "/start"), 60)
    await at_rate(emulator, 20, list(users.take(40)))
    return process


async def stop(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGINT)
    await process.wait()


async def bursts(server: str | None, rates: list[float], seconds: float) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    users = Users()
    echo_command = [sys.executable, "-c", ECHO_BOT, emulator.token, emulator.base_url]
    print(f"bursts of new users, one question each, {seconds:g} s per rate "
          f"({'PostgreSQL' if server else 'SQLite'})")
    print(f"  {'':<14}{'p50 ms':>8}{'p90':>8}{'p99':>8}{'max':>8}{'lost':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for rate in rates:
            count = int(rate * seconds)
            print(f"{rate:g} questions/s, {count} new users")
            echo = await started_bot(echo_command, bot_env(emulator, ""), tmp, emulator, users)
            try:
                print(Latencies("echo (PTB)", await at_rate(
                    emulator, rate, list(users.take(count)))).row())
            finally:
                await stop(echo)
            async with fresh_database(server, tmp, f"burst{rate:g}") as url:
                ours = await started_bot(COOPERA, bot_env(emulator, url), tmp, emulator,
                                         users)
                try:
                    print(Latencies("coopera", await at_rate(
                        emulator, rate, list(users.take(count)))).row())
                finally:
                    await stop(ours)
    await emulator.stop()


async def long_run(server: str | None, updates: int, rate: float, pool: int) -> None:
    """A pool of users asking in turn; the bot's RSS every 1,000 updates."""
    emulator = BotApiEmulator()
    await emulator.start()
    users = Users()
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(server, tmp, "long") as url:
            process = await started_bot(COOPERA, bot_env(emulator, url), tmp, emulator, users)
            curve: list[tuple[int, float]] = [(0, rss_mb(process.pid))]

            def sample() -> Iterator[None]:
                for sent in range(1, updates + 1):
                    if sent % 1000 == 0:
                        curve.append((sent, rss_mb(process.pid)))
                    yield

            people = list(users.take(pool))
            senders = [people[i % pool] for i in range(updates)]
            try:
                values = await at_rate(emulator, rate, senders, sample())
                curve.append((updates, rss_mb(process.pid)))
                peak = peak_rss_mb(process.pid)
            finally:
                await stop(process)
    await emulator.stop()
    print(f"long run: {updates} questions from {pool} users at {rate:g}/s "
          f"({'PostgreSQL' if server else 'SQLite'})")
    print(f"  {'':<14}{'p50 ms':>8}{'p90':>8}{'p99':>8}{'max':>8}{'lost':>7}")
    print(Latencies("coopera", values).row())
    print("  RSS MB by updates sent: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in curve)
          + f"; peak {peak:.1f}")
    half = [mb for n, mb in curve if n >= updates // 2]
    print(f"  growth in the second half: {half[-1] - half[0]:+.1f} MB "
          f"({1000 * (half[-1] - half[0]) / (updates - updates // 2):+.2f} MB per 1,000)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def replicas_broadcast(server: str, replicas: int, rate: float, recipients: int) -> None:
    """A broadcast delivered by `replicas` webhook replicas, Telegram's limit at the send rate.

    No update is posted to them here, so the https address they register is never called.
    """
    emulator, people = await limited_emulator(rate, recipients)
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(server, tmp, f"broadcast{replicas}") as url:
            database = Database(url)
            await upgrade(database)
            await add_users(database, people.start, recipients)
            processes = []
            for _ in range(replicas):
                port = free_port()
                processes.append(await start_bot(bot_env(
                    emulator, url, COOPERA_SEND_RATE=f"{rate:g}", PORT=str(port),
                    WEBHOOK_SECRET="bench-secret",
                    WEBHOOK_URL=f"https://127.0.0.1:{port}/telegram/webhook"), tmp))
            await asyncio.sleep(5)  # all replicas up, leadership settled
            await Broadcasts(database).create("Aviso de prueba", Audience(), utc_now())
            deadline = time.monotonic() + 5 * recipients / rate + 30
            while time.monotonic() < deadline:  # the replicas are other processes: poll
                if sum(1 for c in delivered(emulator, people).values() if c) >= recipients:
                    break
                await asyncio.sleep(0.2)
            for process in processes:
                await stop(process)
            await database.dispose()
    counts = delivered(emulator, people)
    stats = emulator.flood.stats
    accepted = stats.sends - stats.too_many
    moments = stats.moments
    achieved = (accepted - 1) / (moments[-1] - moments[0]) if len(moments) > 1 else 0.0
    await emulator.stop()
    print(f"  {replicas} replica{'s' if replicas > 1 else ''}: {achieved:.1f}/s = "
          f"{achieved / rate:.3f} of COOPERA_SEND_RATE={rate:g}; busiest second "
          f"{stats.busiest_second()}; 429 answers {stats.too_many}; "
          f"lost {sum(1 for c in counts.values() if c == 0)}; "
          f"duplicated {sum(c - 1 for c in counts.values() if c > 1)}")


async def main(options: argparse.Namespace) -> None:
    server = options.database_url if options.database_url else None
    phases = options.phases.split(",")
    if "burst" in phases:
        await bursts(server, [float(r) for r in options.rates.split(",")], options.seconds)
    if "long" in phases:
        await long_run(server, options.long, options.long_rate, options.long_users)
    if "broadcast" in phases:
        if server is None:
            print("broadcast across replicas: PostgreSQL only (SQLite runs one process)")
            return
        print(f"broadcast to {options.recipients} recipients, Telegram's limit = "
              f"COOPERA_SEND_RATE = {options.send_rate:g}/s (baseline: one replica)")
        for replicas in (1, 3):
            await replicas_broadcast(server, replicas, options.send_rate, options.recipients)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (postgresql+asyncpg://…); "
                        "default SQLite")
    parser.add_argument("--rates", default="30,100", help="questions per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--long", type=int, default=12_000, help="questions in the long run")
    parser.add_argument("--long-rate", type=float, default=100.0)
    parser.add_argument("--long-users", type=int, default=1000)
    parser.add_argument("--send-rate", type=float, default=100.0)
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--phases", default="burst,long,broadcast")
    parser.add_argument("--profile", help="record the bot with py-spy into this file "
                        "(collapsed stacks)")
    arguments = parser.parse_args()
    if arguments.profile:
        spy = str(Path(sys.executable).with_name("py-spy"))
        COOPERA[:0] = [spy, "record", "--rate", "200", "--format", "raw", "-o", arguments.profile,
                       "--"]
    asyncio.run(main(arguments))
