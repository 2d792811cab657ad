"""The fuzz campaign of tests/test_fuzz.py, long: counts by kind, replies, errors, RSS curve.

The bot runs in this process beside the local Bot API (bot/devapi/fuzz.py trims what the
emulator keeps, so the RSS curve is the bot's growth). Exits 1 if any rule broke.

    python bench/fuzz.py [--updates 12000] [--seed 16] [--users 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time

from bot.devapi.fuzz import Campaign
from bot.devapi.harness import harness
from bot.settings import Settings

STAFF_ID = 4242


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def main(options: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(TELEGRAM_BOT_TOKEN=None, COOPERA_STAFF_IDS=str(STAFF_ID),
                            DATABASE_URL=options.database_url
                            or f"sqlite+aiosqlite:///{tmp}/fuzz.sqlite3",
                            WEBHOOK_URL=None, _env_file=None)
        async with harness(settings) as bot:
            campaign = Campaign(bot, options.seed, users=options.users, staff_id=STAFF_ID)
            await campaign.prepare()
            curve = [(0, rss_mb())]
            step = max(options.updates // 12, 1)

            async def progress(sent: int) -> None:
                if sent // step > (curve[-1][0]) // step:
                    gc.collect()
                    curve.append((sent, rss_mb()))

            started = time.perf_counter()
            findings = await campaign.run(options.updates, progress)
            elapsed = time.perf_counter() - started
    sent = sum(findings.kinds.values())
    print(f"{sent} updates from {options.users} users (seed {options.seed}) in {elapsed:.0f} s "
          f"on {'PostgreSQL' if options.database_url else 'SQLite'}")
    for kind, count in sorted(findings.kinds.items(), key=lambda item: -item[1]):
        print(f"  {count:>6}  {kind}")
    print(f"replies (messages, edits, press answers): {findings.replies}")
    print(f"Bot API errors (400): {len(findings.api_errors)}; unhandled errors: "
          f"{len(findings.unhandled)}; updates without a due reply: {len(findings.unanswered)}; "
          f"personal or staff data where it does not belong: {len(findings.leaks)}")
    for problem in findings.problems[:20]:
        print(f"  {problem}")
    print("RSS MB by updates: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in curve))
    half = [mb for n, mb in curve if n >= curve[-1][0] // 2]
    span = curve[-1][0] - next(n for n, _ in curve if n >= curve[-1][0] // 2)
    print(f"growth in the second half: {half[-1] - half[0]:+.1f} MB "
          f"({1000 * (half[-1] - half[0]) / max(span, 1):+.2f} MB per 1,000 updates)")
    return 1 if findings.problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--database-url", help="e.g. postgresql+asyncpg://…; default SQLite")
    sys.exit(asyncio.run(main(parser.parse_args())))
