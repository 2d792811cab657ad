"""`coopera demo`: chat with the bot in the terminal through the local Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.context import SERVICES_KEY
from bot.devapi.harness import ChatDriver, Harness, Reply, harness
from bot.devapi.state import StoredMessage
from bot.events_file import parse_cycle
from bot.settings import Settings

DEMO_USER_ID = 1001
# Clearly fictional operator details, so that the demo's privacy notice reads complete.
DEMO_CONTROLLER = {
    "controller_name": "Institución Ficticia de Demostración (no existe)",
    "controller_address": "Calle Inventada 123, Colonia Ejemplo, 00000 Ciudad Ficticia",
    "controller_contact": "arco@demo.invalid",
}
# A made-up cycle, clearly labelled, so that the demo can show registration end to end.
DEMO_CYCLE = """
id: demo
title: "Ciclo de demostración (ficticio): cooperación para gobiernos locales"
description: Ciclo inventado para probar Coopera; no es un evento real.
organizers: [Coopera (demostración)]
audience: [osc, municipio, estado]
timezone: America/Mexico_City
sessions:
  - {{id: s1, title: "Cómo encontrar convocatorias", start: "{s1}", duration_minutes: 90,
     join_url: "https://example.org/demo-sala-1", capacity: 2}}
  - {{id: s2, title: "Cómo redactar una propuesta", start: "{s2}", duration_minutes: 90,
     join_url: "https://example.org/demo-sala-2"}}
"""


async def _add_demo_cycle(bot: Harness) -> None:
    services = bot.app.bot_data[SERVICES_KEY]
    now = services.clock()
    if await services.events.cycle("demo") is not None:
        return
    zone = ZoneInfo("America/Mexico_City")
    day = now.astimezone(zone).date()
    starts = [dt.datetime.combine(day + dt.timedelta(days=d), dt.time(10)) for d in (7, 14)]
    text = DEMO_CYCLE.format(s1=starts[0].isoformat(), s2=starts[1].isoformat())
    await services.events.import_cycle(parse_cycle(text, "demo.yaml"), now)
_STYLES = {
    "bold": ("\x1b[1m", "\x1b[22m"),
    "italic": ("\x1b[3m", "\x1b[23m"),
    "underline": ("\x1b[4m", "\x1b[24m"),
    "strikethrough": ("\x1b[9m", "\x1b[29m"),
    "code": ("\x1b[36m", "\x1b[39m"),
    "pre": ("\x1b[36m", "\x1b[39m"),
    "text_link": ("\x1b[34;4m", "\x1b[39;24m"),
}


def render(text: str, entities: list[dict[str, Any]], *, ansi: bool) -> str:
    """Render Telegram text and entities for a terminal (links keep their address)."""
    units = text.encode("utf-16-le")
    marks: dict[int, list[str]] = {}
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        opening, closing = _STYLES.get(entity["type"], ("", ""))
        if not ansi:
            opening, closing = "", ""
        if entity["type"] == "text_link":
            closing = f"{closing} ({entity['url']})"
        marks.setdefault(start, []).append(opening)
        marks.setdefault(end, []).insert(0, closing)
    out: list[str] = []
    previous = 0
    for position in sorted(marks):
        out.append(units[previous * 2 : position * 2].decode("utf-16-le"))
        out.extend(marks[position])
        previous = position
    out.append(units[previous * 2 :].decode("utf-16-le"))
    return "".join(out)


class Transcript:
    """Prints the bot's side of the chat and remembers the buttons on screen."""

    def __init__(self, out: TextIO, downloads: Path, *, ansi: bool) -> None:
        self.out = out
        self.downloads = downloads
        self.ansi = ansi
        self.buttons: list[tuple[StoredMessage, dict[str, Any]]] = []

    def show(self, reply: Reply) -> None:
        """Print new and edited messages, numbering the newest keyboard's buttons."""
        for message in reply.messages:
            self._message(message, edited=False)
        for message in reply.edited:
            self._message(message, edited=True)
        if reply.answer and reply.answer.get("text"):
            self.out.write(f"  ⓘ {reply.answer['text']}\n")
        if not (reply.messages or reply.edited or reply.answer):
            self.out.write("  (sin respuesta)\n")
        self.out.flush()

    def _message(self, message: StoredMessage, *, edited: bool) -> None:
        label = "Coopera (editado)" if edited else "Coopera"
        self.out.write(f"\n{label}:\n")
        if message.document is not None:
            self.downloads.mkdir(parents=True, exist_ok=True)
            path = self.downloads / Path(message.document.file_name).name
            path.write_bytes(message.document.content)
            self.out.write(f"  📎 {message.document.file_name} guardado en {path}\n")
        body = message.text if message.text is not None else message.caption or ""
        for line in render(body, message.entities, ansi=self.ansi).splitlines():
            self.out.write(f"  {line}\n")
        if message.buttons:
            self.buttons = []
            for button in message.buttons:
                self.buttons.append((message, button))
                target = f" → {button['url']}" if "url" in button else ""
                self.out.write(f"  [{len(self.buttons)}] {button['text']}{target}\n")


async def _step(driver: ChatDriver, transcript: Transcript, line: str) -> None:
    line = line.strip()
    if line.isdigit() and 1 <= int(line) <= len(transcript.buttons):
        message, button = transcript.buttons[int(line) - 1]
        if "callback_data" not in button:
            transcript.out.write(f"  (enlace: {button.get('url', '')})\n")
            return
        transcript.show(await driver.press_data(button["callback_data"], message))
    else:
        transcript.show(await driver.send(line))


def _script_lines(source: str) -> Iterable[str]:
    stream = sys.stdin if source == "-" else Path(source).open(encoding="utf-8")  # noqa: SIM115
    with stream:
        for raw in stream:
            line = raw.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                yield line


async def run_demo(settings: Settings, data_dir: Path, *, script: str | None,
                   out: TextIO = sys.stdout) -> None:
    """Run the interactive (or scripted) demo chat."""
    ansi = script is None and out.isatty()
    settings = settings.model_copy(update={k: v for k, v in DEMO_CONTROLLER.items()
                                           if not getattr(settings, k)})
    transcript = Transcript(out, data_dir / "documentos", ansi=ansi)
    async with harness(settings) as bot:
        await _add_demo_cycle(bot)
        driver = bot.user(DEMO_USER_ID, first_name="Usuaria Demo")
        if script is not None:
            for line in _script_lines(script):
                out.write(f"\n> {line}\n")
                await _step(driver, transcript, line)
            return
        out.write("Coopera — demo local. Escriba un mensaje, el número de un botón, "
                  "o «salir» para terminar.\n")
        await _step(driver, transcript, "/start")
        loop = asyncio.get_running_loop()
        while True:
            out.write("\n> ")
            out.flush()
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip().lower() in ("salir", "exit", "quit"):
                return
            if line.strip():
                await _step(driver, transcript, line)
