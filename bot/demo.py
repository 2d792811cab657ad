"""`coopera demo`: chat with the bot in the terminal through the local Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
import mimetypes
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.context import SERVICES_KEY
from bot.demo_seed import DEMO_CODE, DEMO_USER_ID, PEOPLE, seed_demo
from bot.devapi.harness import ChatDriver, Harness, Reply, harness
from bot.devapi.state import StoredMessage
from bot.services import utc_now
from bot.settings import Settings

__all__ = ["DEMO_USER_ID", "run_demo"]

# Clearly fictional operator details, so that the demo's privacy notice reads complete.
DEMO_CONTROLLER = {
    "controller_name": "Institución Ficticia de Demostración (no existe)",
    "controller_address": "Calle Inventada 123, Colonia Ejemplo, 00000 Ciudad Ficticia",
    "controller_contact": "arco.demo@example.org",
}
HELP = (f"Coopera — demo local. Escriba como lo haría en Telegram; un número pulsa el botón con "
        f"ese número cuando el bot espera que elija.\nComandos de la demo: «:como NOMBRE» "
        f"(cambiar de persona: {', '.join(PEOPLE)}), «:esperar 1d|3h|20m» (adelantar el reloj y "
        f"ver lo que llega), «:subir ARCHIVO» (enviar un archivo, p. ej. un reporte de "
        f"asistencia), «salir».\nLa sesión «en curso» del ciclo ficticio acepta el código "
        f"{DEMO_CODE}: /asistencia {DEMO_CODE}, luego /constancia.\n")


class DemoClock:
    """The real time moved forward by `:esperar`."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return utc_now() + self.offset


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
    """Prints the bot's side of one chat and remembers the buttons of its newest message."""

    def __init__(self, out: TextIO, downloads: Path, *, ansi: bool) -> None:
        self.out = out
        self.downloads = downloads
        self.ansi = ansi
        self.buttons: list[tuple[StoredMessage, dict[str, Any]]] = []
        # What was printed of each chat: message id -> edits seen.
        self.seen: dict[int, dict[int, int]] = {}

    def show(self, driver: ChatDriver, reply: Reply) -> None:
        """Print new and edited messages, numbering the newest keyboard's buttons."""
        for message in reply.messages:
            self._message(driver, message, "Coopera")
        for message in reply.edited:
            self._message(driver, message, "Coopera (editado)")
        if reply.answer and reply.answer.get("text"):
            self.out.write(f"  ⓘ {reply.answer['text']}\n")
        if not (reply.messages or reply.edited or reply.answer):
            self.out.write("  (sin respuesta)\n")
        self._choices(driver)
        self.out.flush()

    def later(self, driver: ChatDriver) -> bool:
        """Print what arrived in the chat on its own (outbox deliveries, progress edits)."""
        seen = self.seen.setdefault(driver.id, {})
        shown = False
        for message in driver.messages:
            if message.message_id not in seen:
                self._message(driver, message, "Coopera · llega después")
                shown = True
            elif seen[message.message_id] != message.edits:
                self._message(driver, message, "Coopera · editado después")
                shown = True
        if shown:
            self._choices(driver)
            self.out.flush()
        return shown

    def mark_seen(self, driver: ChatDriver) -> None:
        """Take everything now in the chat as already shown."""
        self.seen[driver.id] = {m.message_id: m.edits for m in driver.messages}

    def _choices(self, driver: ChatDriver) -> None:
        """Number the buttons of the bot's newest message, if it is waiting for a choice."""
        self.buttons = []
        newest = driver.messages[-1] if driver.messages else None
        if newest is None or not waiting_for_choice(newest):
            return
        for button in newest.buttons:
            self.buttons.append((newest, button))

    def _message(self, driver: ChatDriver, message: StoredMessage, label: str) -> None:
        self.seen.setdefault(driver.id, {})[message.message_id] = message.edits
        self.out.write(f"\n{label}:\n")
        if message.document is not None:
            self.downloads.mkdir(parents=True, exist_ok=True)
            path = self.downloads / Path(message.document.file_name).name
            path.write_bytes(message.document.content)
            self.out.write(f"  📎 {message.document.file_name} guardado en {path}\n")
        body = message.text if message.text is not None else message.caption or ""
        for line in render(body, message.entities, ansi=self.ansi).splitlines():
            self.out.write(f"  {line}\n")
        for number, button in enumerate(message.buttons, 1):
            target = f" → {button['url']}" if "url" in button else ""
            self.out.write(f"  [{number}] {button['text']}{target}\n")


# A message that asks for a number or a text to be typed is not waiting for a button press.
_ASKS_TO_TYPE = re.compile(r"\b(escriba|envíe ahora)\b", re.IGNORECASE)


_ONLY_LEAVING = ("✖", "↩")
# What a script may refer to by name: the newest certificate folio and check-in code shown.
_PLACEHOLDERS = {"folio": re.compile(r"\b(CPA-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b"),
                 "code": re.compile(r"Código de asistencia: ([0-9A-Z]{4,12})")}


def waiting_for_choice(message: StoredMessage) -> bool:
    """True when the message offers buttons to choose from, rather than asking for something
    typed (a question whose only buttons are ✖ Cancelar, ↩ Atrás or Omitir waits for text)."""
    return any("callback_data" in b and not b["text"].startswith(_ONLY_LEAVING)
               for b in message.buttons)


class Demo:
    """The chat session: who is typing, the clock, and the transcript."""

    def __init__(self, bot: Harness, transcript: Transcript, clock: DemoClock,
                 person: str = "demo") -> None:
        self.bot = bot
        self.transcript = transcript
        self.clock = clock
        self.driver = self._driver(person)
        # While a line runs, its replies are printed by it, not by the watcher.
        self.busy = False

    def _driver(self, key: str) -> ChatDriver:
        user_id, full_name, _ = PEOPLE[key]
        return self.bot.user(user_id, first_name=full_name)

    async def step(self, line: str) -> None:
        """Run one typed line: a demo command, a button number, or a message to the bot."""
        self.busy = True
        try:
            await self._step(self.filled(line.strip()))
        finally:
            self.busy = False

    async def _step(self, line: str) -> None:
        out = self.transcript.out
        if line.startswith(":"):
            await self._command(line[1:].strip())
        elif line.isdigit() and 1 <= int(line) <= len(self.transcript.buttons):
            message, button = self.transcript.buttons[int(line) - 1]
            if "callback_data" not in button:
                out.write(f"  (enlace: {button.get('url', '')})\n")
                return
            self.transcript.show(self.driver, await self.driver.press_data(
                button["callback_data"], message))
        else:
            self.transcript.show(self.driver, await self.driver.send(line))
        await self.deliveries()

    def filled(self, line: str) -> str:
        """A script line with {folio} and {code} replaced by the newest the bot showed here."""
        for name, pattern in _PLACEHOLDERS.items():
            if "{" + name + "}" in line:
                found = next((m.group(1) for message in reversed(self.driver.messages)
                              if (m := pattern.search(message.text or message.caption or ""))),
                             "")
                line = line.replace("{" + name + "}", found)
        return line

    async def deliveries(self) -> None:
        """Let the outbox send what is due and print what reached this chat."""
        await self.bot.drain()
        self.transcript.later(self.driver)

    async def _command(self, command: str) -> None:
        name, _, argument = command.partition(" ")
        out = self.transcript.out
        if name == "como" and argument.strip().lower() in PEOPLE:
            self.driver = self._driver(argument.strip().lower())
            out.write(f"  (ahora escribe {PEOPLE[argument.strip().lower()][1]})\n")
            self.transcript.later(self.driver)
        elif name == "esperar" and (delta := _duration(argument)) is not None:
            self.clock.offset += delta
            moment = self.clock().astimezone(self.bot.app.bot_data[SERVICES_KEY]
                                             .settings.timezone)
            out.write(f"  (reloj de la demo: {moment:%Y-%m-%d %H:%M})\n")
        elif name == "subir" and argument.strip():
            await self._upload(Path(argument.strip()))
        else:
            out.write("  (comandos de la demo: :como NOMBRE, :esperar 1d|3h|20m, "
                      ":subir ARCHIVO)\n")

    async def _upload(self, path: Path) -> None:
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            self.transcript.out.write(f"  (no se pudo leer {path}: {exc.strerror})\n")
            return
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.transcript.out.write(f"  (envía el archivo {path.name})\n")
        self.transcript.show(self.driver, await self.driver.upload(path.name, content, mime))


def _duration(text: str) -> dt.timedelta | None:
    found = re.fullmatch(r"\s*(\d{1,4})\s*([dhm])\s*", text.lower())
    if found is None:
        return None
    unit = {"d": "days", "h": "hours", "m": "minutes"}[found[2]]
    return dt.timedelta(**{unit: int(found[1])})


def _script_lines(source: str) -> Iterable[str]:
    stream = sys.stdin if source == "-" else Path(source).open(encoding="utf-8")  # noqa: SIM115
    with stream:
        for raw in stream:
            line = raw.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                yield line


async def run_demo(settings: Settings, data_dir: Path, *, script: str | None,
                   out: TextIO = sys.stdout, person: str = "demo") -> None:
    """Run the interactive (or scripted) demo chat."""
    ansi = script is None and out.isatty()
    settings = settings.model_copy(update={k: v for k, v in DEMO_CONTROLLER.items()
                                           if not getattr(settings, k)})
    transcript = Transcript(out, data_dir / "documentos", ansi=ansi)
    clock = DemoClock()
    async with harness(settings, clock=clock) as bot:
        await seed_demo(bot.app.bot_data[SERVICES_KEY])
        for user_id, full_name, _ in PEOPLE.values():
            bot.emulator.chat_for({"id": user_id, "first_name": full_name})
        demo = Demo(bot, transcript, clock, person)
        if script is not None:
            for line in _script_lines(script):
                out.write(f"\n> {demo.filled(line)}\n")
                await demo.step(line)
            return
        out.write(HELP)
        await demo.step("/start")
        watcher = asyncio.create_task(_watch(demo))
        try:
            await _chat(demo, out)
        finally:
            watcher.cancel()


async def _chat(demo: Demo, out: TextIO) -> None:
    loop = asyncio.get_running_loop()
    while True:
        out.write("\n> ")
        out.flush()
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip().lower() in ("salir", "exit", "quit"):
            return
        if line.strip():
            await demo.step(line)


async def _watch(demo: Demo) -> None:
    """While the user types, print what the outbox delivers (reminders, broadcasts…)."""
    while True:
        await asyncio.sleep(2)
        if not demo.busy and demo.transcript.later(demo.driver):
            demo.transcript.out.write("\n> ")
            demo.transcript.out.flush()
