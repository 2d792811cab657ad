"""Questions in free text: answers with source and status, suggestions, lists, declines."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

import knowledge
from bot.db.models import QuestionLog, User
from bot.db.session import Database
from bot.devapi.harness import Harness, harness
from bot.devapi.html import parse_html, utf16_len
from bot.settings import Settings
from handlers.views import entry_screens
from knowledge import KnowledgeBase


async def _log(bot: Harness) -> list[QuestionLog]:
    services = bot.app.bot_data["services"]
    await services.questions.flush()
    async with services.database.session() as session:
        return list((await session.scalars(select(QuestionLog).order_by(QuestionLog.id))).all())


async def test_answer_shows_status_summary_source_and_feedback(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("que es el fondo canada para iniciativas locales")
    text = reply.text
    assert text.startswith("🔁 Convocatoria periódica")
    assert "Fondo Canadá para Iniciativas Locales" in text
    assert "45,000" in text
    # The official government link first; the evidence with its publishers and dates.
    assert text.index("Sitio oficial: international.gc.ca") < text.index("Verificado con: ")
    assert "publicservicecommission" not in text and "Última convocatoria documentada" in text
    assert len(text) <= 1200
    assert "¿Le sirvió esta respuesta?" in text
    labels = [b["text"] for b in reply.last.buttons]
    assert labels[-2:] == ["👍 Sí", "👎 No"]
    assert any(label.startswith("🔗 ") for label in labels)
    [row] = await _log(bot)
    expected = ("answer", "fondo-canada-iniciativas-locales", user.id)
    assert (row.decision, row.best_id, row.user_id) == expected


async def test_extinct_programme_says_so_first_and_offers_alternatives(bot: Harness) -> None:
    reply = await bot.user().send("indesol sigue dando apoyos de coinversion social?")
    assert reply.text.startswith("⛔ Extinto: ya no existe")
    assert any(b["text"].startswith("➡ En su lugar: ") for b in reply.last.buttons)


async def test_feedback_is_recorded_once_and_buttons_removed(bot: Harness) -> None:
    user = bot.user()
    await user.send("q es el cluni")
    reply = await user.press("👎 No")
    assert reply.answer is not None and "revisaremos" in reply.answer["text"]
    [edited] = reply.edited
    assert not any("kb:fb:" in b["callback_data"] for b in edited.buttons)
    [row] = await _log(bot)
    assert row.feedback == -1 and row.feedback_at is not None


async def test_feedback_on_someone_elses_question_is_refused(bot: Harness) -> None:
    asker, other = bot.user(), bot.user()
    await asker.send("q es el cluni")
    [row] = await _log(bot)
    await other.send("/start")
    reply = await other.press_data(f"kb:fb:{row.id}:1")
    assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
    assert (await _log(bot))[0].feedback is None


async def test_forged_question_numbers_are_refused_politely(bot: Harness) -> None:
    user = bot.user()
    await user.send("/start")
    for data in ("kb:fb:9999999999999999999:1", "kb:s:9999999999999999999:0", "kb:fb:0:1"):
        reply = await user.press_data(data)
        assert reply.answer == {"text": "Esta opción ya no está disponible.", "show_alert": False}
        assert not reply.messages


async def test_related_button_opens_the_entry(bot: Harness) -> None:
    user = bot.user()
    await user.send("q es el cluni")
    reply = await user.press("🔗 ")
    assert reply.messages and "Verificado con: " in reply.text
    assert "¿Le sirvió" not in reply.text


async def test_filter_question_lists_matching_sources(bot: Harness) -> None:
    reply = await bot.user().send("fondos para municipios sobre agua")
    assert "Municipios · ODS 6 Agua y saneamiento" in reply.text
    buttons = reply.last.buttons
    assert buttons[-1]["callback_data"] == "br:l:municipio:6:*:0"
    listed = [b["callback_data"].removeprefix("kb:e:") for b in buttons[:-1]]
    assert listed and "conagua-proagua" in [e.id for e in knowledge.load().browse("municipio", 6)]


async def test_out_of_scope_question_is_declined_without_keeping_the_user(bot: Harness) -> None:
    user = bot.user()
    reply = await user.send("quien gano el partido del america anoche")
    assert "No encontré una respuesta confiable" in reply.text
    assert reply.last.buttons[0]["callback_data"] == "menu:browse"
    [row] = await _log(bot)
    assert (row.decision, row.user_id) == ("decline", None)


async def test_questions_are_logged_when_the_bot_stops(settings: Settings) -> None:
    async with harness(settings) as bot:
        user = bot.user()
        await user.send("q es el cluni")
        await user.send("fondos para municipios sobre agua")
    database = Database(settings.database_url)
    try:
        async with database.session() as session:
            rows = (await session.scalars(select(QuestionLog).order_by(QuestionLog.asked_at)))
            logged = [(row.text, row.user_id) for row in rows]
    finally:
        await database.dispose()
    assert logged == [("q es el cluni", user.id), ("fondos para municipios sobre agua", user.id)]


async def test_question_of_someone_who_erased_their_data_keeps_no_user(bot: Harness) -> None:
    user = bot.user()
    await user.send("q es el cluni")
    services = bot.app.bot_data["services"]
    # The erasure ran on another replica before this one wrote its pending questions.
    async with services.database.sessions.begin() as session:
        await session.execute(delete(User).where(User.id == user.id))
    [row] = await _log(bot)
    assert (row.text, row.decision, row.user_id) == ("q es el cluni", "answer", None)


async def test_questions_wait_for_the_database_and_are_written_once(bot: Harness,
                                                                    monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    services = bot.app.bot_data["services"]
    write, down = services.questions._write, True

    async def write_when_up(rows: list[dict[str, object]]) -> None:
        if down:
            raise ConnectionError("database restarting")
        await write(rows)

    monkeypatch.setattr(services.questions, "_write", write_when_up)
    reply = await bot.user().send("q es el cluni")
    assert "CLUNI" in reply.text
    with pytest.raises(ConnectionError):
        await services.questions.flush()
    down = False
    assert [row.text for row in await _log(bot)] == ["q es el cluni"]


async def test_markup_in_a_question_does_not_break_the_reply(bot: Harness) -> None:
    reply = await bot.user().send("<b>fondos</b> para OSC de mujeres & niñas")
    assert "Lo siento" not in reply.text
    assert "OSC y asociaciones civiles · ODS 5 Igualdad de género" in reply.text


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    import knowledge

    return knowledge.load()


def test_every_entry_renders_as_valid_telegram_messages(base: KnowledgeBase) -> None:
    for entry in base.entries:
        for text, markup in entry_screens(entry, base, feedback_log=99_999_999):
            plain, _ = parse_html(text)
            assert 0 < utf16_len(plain) <= 4096, entry.id
            for row in markup.inline_keyboard if markup else ():
                for button in row:
                    assert len((button.callback_data or "").encode()) <= 64, entry.id
