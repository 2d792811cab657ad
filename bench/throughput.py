"""Updates handled per second end to end, Coopera beside a bare python-telegram-bot echo bot.

Both bots run as separate processes polling the same local Bot API emulator (this process).
Each user sends a message and waits for the reply before sending the next, as people do.
The two bots take turns, several rounds, and the medians are compared: this machine is noisy.
Prints rates, the ratio to the echo bot (goal: >= 0.8), peak RSS and time to first reply.

    python bench/throughput.py [--messages 400] [--rounds 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

from bot.devapi import BotApiEmulator

ECHO_BOT = """
import sys
from telegram.ext import ApplicationBuilder, MessageHandler, filters

async def echo(update, context):
    await update.effective_message.reply_text(update.effective_message.text or "?")

app = (ApplicationBuilder().token(sys.argv[1]).base_url(sys.argv[2])
       .concurrent_updates(64).build())
app.add_handler(MessageHandler(filters.ALL, echo))
app.run_polling(timeout=10)
"""


@dataclass
class Figures:
    name: str
    rates: dict[str, float]
    rss_mb: float
    first_reply_s: float


async def _drive(emulator: BotApiEmulator, users: int, per_user: int, text: str,
                 first_id: int) -> float:
    async def one(user_id: int) -> None:
        user = {"id": user_id, "first_name": "Bench"}
        chat = emulator.chat_for(user)
        for _ in range(per_user):
            expected = chat.bot_messages + 1
            await emulator.user_sends(user, text)
            await asyncio.wait_for(chat.wait_bot_messages(expected), 60)

    started = time.perf_counter()
    await asyncio.gather(*(one(first_id + i) for i in range(users)))
    return users * per_user / (time.perf_counter() - started)


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def _measure(name: str, command: list[str], env: dict[str, str],
                   emulator: BotApiEmulator, messages: int, base_id: int) -> Figures:
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*command, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    try:
        await _drive(emulator, 1, 1, "/start", base_id)
        first_reply = time.perf_counter() - started
        rates = {}
        scenarios = [("/start", 1), ("/start", 100), ("texto", 1), ("texto", 100)]
        for index, (text, users) in enumerate(scenarios, start=1):
            per_user = max(messages // users, 3)
            await _drive(emulator, users, 2, text, base_id + index * 1000)  # warm-up
            rates[f"{text} x{users}"] = await _drive(emulator, users, per_user, text,
                                                      base_id + index * 1000)
        rss = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()
    return Figures(name, rates, rss, first_reply)


async def main(messages: int, rounds: int, database_url: str | None) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPERA_", "WEBHOOK_"))}
    echo_command = [sys.executable, "-c", ECHO_BOT, emulator.token, emulator.base_url]
    echo: list[Figures] = []
    ours: list[Figures] = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(rounds):
            ours_env = dict(env, TELEGRAM_BOT_TOKEN=emulator.token,
                            TELEGRAM_API_URL=emulator.base_url,
                            DATABASE_URL=database_url
                            or f"sqlite+aiosqlite:///{tmp}/bench{round_}.sqlite3")
            base = 10_000_000 * (round_ + 1)
            echo.append(await _measure("echo (PTB)", echo_command, env, emulator, messages,
                                       base + 1_000_000))
            ours.append(await _measure("coopera", [sys.executable, "-m", "bot", "run"], ours_env,
                                       emulator, messages, base + 2_000_000))
    await emulator.stop()

    print(f"medians of {rounds} rounds, {messages} messages per scenario")
    print(f"{'scenario':<14}{'echo upd/s':>12}{'coopera upd/s':>15}{'ratio':>8}")
    for key in echo[0].rates:
        echo_rate = statistics.median(f.rates[key] for f in echo)
        rate = statistics.median(f.rates[key] for f in ours)
        print(f"{key:<14}{echo_rate:>12.1f}{rate:>15.1f}{rate / echo_rate:>8.2f}")
    for label, pick, digits in (("peak RSS MB", lambda f: f.rss_mb, 1),
                                ("first reply s", lambda f: f.first_reply_s, 2)):
        a, b = (statistics.median(map(pick, runs)) for runs in (echo, ours))
        print(f"{label:<14}{a:>12.{digits}f}{b:>15.{digits}f}{b / a:>8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400, help="messages per scenario")
    parser.add_argument("--rounds", type=int, default=3, help="turns each bot takes")
    parser.add_argument("--database-url", help="e.g. postgresql+asyncpg://…; default SQLite")
    options = parser.parse_args()
    asyncio.run(main(options.messages, options.rounds, options.database_url))
