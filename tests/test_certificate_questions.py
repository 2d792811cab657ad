"""Certificates asked about in plain words: a pasted folio is verified, a request is offered."""

from __future__ import annotations

from bot.devapi.harness import Harness
from bot.folios import new_folio


async def test_a_folio_pasted_in_a_sentence_is_verified(bot: Harness) -> None:
    folio = new_folio()
    reply = await bot.user().send(f"me pasaron una constancia con folio {folio.lower()}, es real?")
    assert "Ese folio no corresponde a ninguna constancia válida" in reply.text
    reply = await bot.user().send(folio.replace("-", " "))
    assert "Ese folio no corresponde a ninguna constancia válida" in reply.text


async def test_asking_for_ones_certificate_offers_the_button_that_issues_it(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("me pueden dar mi constancia?")
    assert any(b["text"] == "🎓 Pedir mi constancia" for b in reply.last.buttons)
    reply = await user.press("🎓 Pedir mi constancia")
    assert "Aún no tiene registros en conversatorios" in reply.text
