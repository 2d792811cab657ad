"""A seeded fuzz campaign through the local Bot API (bot/devapi/fuzz.py), on each database."""

from __future__ import annotations

from bot.devapi.fuzz import Campaign
from bot.devapi.harness import Harness
from tests.conftest import STAFF_ID

UPDATES = 2500
SEED = 16


async def test_a_fuzz_campaign_breaks_no_rule(bot: Harness) -> None:
    campaign = Campaign(bot, SEED, staff_id=STAFF_ID)
    await campaign.prepare()
    findings = await campaign.run(UPDATES)
    assert sum(findings.kinds.values()) >= UPDATES
    assert len(findings.kinds) >= 30  # every kind of update was sent
    assert findings.problems == [], "\n".join(findings.problems[:40])
