"""A seeded fuzz campaign through the local Bot API, and the checks it holds the bot to.

Users ask questions (ordinary, hostile unicode, over 4096 characters, HTML), send odd commands
and deep links, forge and replay callback data, press buttons on old messages, edit messages,
send media of every kind, write in groups, supergroups and channels, block and restart the bot
(my_chat_member) in the middle of a form, register for a conversatorio, and try staff commands
and buttons. Updates go in small batches, at most one per chat, so chats run concurrently.

After each batch the campaign checks: no unhandled error (an ERROR record), no 400 from the
Bot API, a reply wherever one is due (every private message answered, every press answered,
every command addressed to the bot in a group answered, nothing in a channel), no registrant's
personal data in any chat but their own (groups included), and staff commands and buttons from
non-staff answered exactly as unknown ones, with no export sent. Used by tests/test_fuzz.py and
bench/fuzz.py.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.devapi import fuzz_inputs as inputs
from bot.devapi.harness import Harness
from bot.devapi.state import Chat, StoredMessage
from bot.events_file import parse_cycle
from handlers import texts

BATCH = 8
KEEP_MESSAGES = 40  # per emulated chat, so a long campaign does not grow the emulator


class ErrorRecords(logging.Handler):
    """Every ERROR record logged while installed (the error handler's included)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Findings:
    """What the campaign counted and what broke a rule."""

    kinds: Counter[str] = field(default_factory=Counter)
    replies: int = 0
    api_errors: list[str] = field(default_factory=list)
    unhandled: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [*self.api_errors, *self.unhandled, *self.unanswered, *self.leaks]


@dataclass
class Person:
    """A campaign user and what they are up to."""

    user: dict[str, Any]
    marker: str  # in every piece of personal data they type: never in another's chat
    blocked: bool = False
    registering: int = 0  # form answers still to give

    @property
    def id(self) -> int:
        return int(self.user["id"])


@dataclass
class Sent:
    """One injected update and the reply due for it."""

    kind: str
    chat: Chat
    due: str  # "reply" (a message or an edit), "answer" (the press), "none", "any"
    before: dict[int, int]
    query: str | None = None
    data: str | None = None
    staff_command: str | None = None
    staff_button: bool = False


class Campaign:
    """Generate and run the campaign against a running harness."""

    def __init__(self, bot: Harness, seed: int, *, users: int = 40, staff_id: int | None = None
                 ) -> None:
        self.bot = bot
        self.random = random.Random(seed)
        self.findings = Findings()
        self.people = [Person({"id": 700_000 + i, "first_name": f"Persona{i}"},
                              inputs.marker(700_000 + i)) for i in range(users)]
        self.staff_id = staff_id
        emulator = bot.emulator
        self.groups = [emulator.group(-1001000000001, "Red de OSC", "supergroup"),
                       emulator.group(-1001000000002, "Municipios", "group")]
        self.channel = emulator.group(-1001000000003, "Avisos", "channel")
        self._errors_seen = 0
        self._records = ErrorRecords()

    async def prepare(self) -> None:
        """A conversatorio cycle in the future, so registrations can complete."""
        services = self.bot.app.bot_data["services"]
        await services.events.import_cycle(parse_cycle(inputs.CYCLE, "fuzz.yaml"),
                                           services.clock())

    async def run(self, updates: int,
                  progress: Callable[[int], Awaitable[None]] | None = None) -> Findings:
        """Send about this many updates; call progress(sent) after each batch."""
        logging.getLogger().addHandler(self._records)
        try:
            sent = 0
            while sent < updates:
                batch = await self._batch()
                sent += len(batch)
                if progress is not None:
                    await progress(sent)
        finally:
            logging.getLogger().removeHandler(self._records)
        return self.findings

    # ----- one batch -------------------------------------------------------------------------

    async def _batch(self) -> list[Sent]:
        busy: set[int] = set()
        batch: list[Sent] = []
        last_id = 0
        for _ in range(BATCH):
            action = self._pick_action()
            chat_id = action[0]
            if chat_id in busy:
                continue
            busy.add(chat_id)
            sent, update_id = await action[1]()
            if sent is not None:
                batch.append(sent)
                last_id = max(last_id, update_id)
        if last_id:
            await self.bot.settle(last_id)
        self._check(batch)
        self._trim()
        return batch

    def _pick_action(self) -> tuple[int, Callable[[], Awaitable[tuple[Sent | None, int]]]]:
        roll = self.random.random()
        if roll < 0.06:
            group = self.random.choice(self.groups)
            return group.id, lambda: self._in_group(group)
        if roll < 0.09:
            return self.channel.id, self._in_channel
        person = self.random.choice(self.people)
        return person.id, lambda: self._private(person)

    # ----- private chats ---------------------------------------------------------------------

    async def _private(self, person: Person) -> tuple[Sent | None, int]:
        emulator = self.bot.emulator
        chat = emulator.chat_for(person.user)
        if person.blocked:
            if self.random.random() < 0.5:
                person.blocked = False
                return await self._inject("member", chat, "none",
                                          emulator.member_status(person.user, "member"))
            return None, 0
        if person.registering:
            return await self._form_step(person, chat)
        roll = self.random.random()
        choices: list[tuple[float, Callable[[], Awaitable[tuple[Sent | None, int]]]]] = [
            (0.30, lambda: self._say(person, chat, "question", self.random.choice(
                inputs.QUESTIONS))),
            (0.05, lambda: self._say(person, chat, "hostile unicode", self.random.choice(
                inputs.HOSTILE))),
            (0.03, lambda: self._say(person, chat, "long text", inputs.long_text(self.random))),
            (0.05, lambda: self._say(person, chat, "html", self.random.choice(inputs.HTML))),
            (0.08, lambda: self._say(person, chat, "command", self.random.choice(
                inputs.COMMANDS))),
            (0.05, lambda: self._say(person, chat, "deep link", inputs.deep_link(self.random))),
            (0.04, lambda: self._staff_command(person, chat)),
            (0.10, lambda: self._press(person, chat)),
            (0.04, lambda: self._forged_press(person, chat)),
            (0.03, lambda: self._replayed_press(person, chat)),
            (0.03, lambda: self._edit(person, chat)),
            (0.08, lambda: self._media(person, chat)),
            (0.03, lambda: self._block(person, chat)),
            (0.05, lambda: self._start_form(person, chat)),
        ]
        for weight, action in choices:
            roll -= weight
            if roll < 0:
                return await action()
        return await self._say(person, chat, "question", self.random.choice(inputs.QUESTIONS))

    async def _say(self, person: Person, chat: Chat, kind: str, text: str,
                   **extra: Any) -> tuple[Sent | None, int]:
        return await self._inject(kind, chat, "reply",
                                  self.bot.emulator.user_sends(person.user, text, **extra),
                                  **extra)

    async def _staff_command(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        command = self.random.choice(inputs.STAFF_COMMANDS)
        return await self._inject("staff command", chat, "reply",
                                  self.bot.emulator.user_sends(person.user, command),
                                  staff_command=command.split()[0])

    async def _press(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        """A button of the latest message with buttons, or of an older one (a stale press)."""
        shown = [m for m in chat.messages if m.from_bot and _callback_buttons(m)]
        if not shown:
            return await self._say(person, chat, "command", "/start")
        old = self.random.random() < 0.25
        message = self.random.choice(shown) if old else shown[-1]
        data = self.random.choice(_callback_buttons(message))
        if self.random.random() < 0.1:
            return await self._double_tap(person, chat, message, data)
        return await self._pressing("old press" if old else "press", person, chat, message, data)

    async def _forged_press(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        message = self._any_bot_message(chat)
        if message is None:
            return await self._say(person, chat, "command", "/start")
        data = inputs.forged_data(self.random)
        return await self._pressing("forged press", person, chat, message, data,
                                    staff_button=data.startswith(inputs.STAFF_BUTTONS))

    async def _replayed_press(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        """Data seen on someone else's buttons, pressed on a message of one's own."""
        other = self.bot.emulator.chat_for(self.random.choice(self.people).user)
        seen = [d for m in other.messages if m.from_bot for d in _callback_buttons(m)]
        message = self._any_bot_message(chat)
        if not seen or message is None:
            return await self._forged_press(person, chat)
        return await self._pressing("replayed press", person, chat, message,
                                    self.random.choice(seen))

    async def _double_tap(self, person: Person, chat: Chat, message: StoredMessage,
                          data: str) -> tuple[Sent | None, int]:
        emulator = self.bot.emulator
        first, _ = await self._pressing("double tap", person, chat, message, data)
        assert first is not None
        second_query = set(emulator.callback_answers)
        update_id = await emulator.user_presses(person.user, message, data)
        query = next(iter(set(emulator.callback_answers) - second_query))
        self.findings.kinds["double tap"] += 1
        return Sent("double tap", chat, "answer", first.before, query, data), update_id

    async def _pressing(self, kind: str, person: Person, chat: Chat, message: StoredMessage,
                        data: str, *, staff_button: bool = False) -> tuple[Sent | None, int]:
        emulator = self.bot.emulator
        known = set(emulator.callback_answers)
        update_id = await emulator.user_presses(person.user, message, data)
        query = next(iter(set(emulator.callback_answers) - known))
        self.findings.kinds[kind] += 1
        return Sent(kind, chat, "answer", _snapshot(chat), query, data,
                    staff_button=staff_button), update_id

    async def _edit(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        own = [m for m in chat.messages if not m.from_bot and m.text]
        if not own:
            return await self._say(person, chat, "question", self.random.choice(inputs.QUESTIONS))
        message = self.random.choice(own)
        text = self.random.choice([*inputs.QUESTIONS, *inputs.HOSTILE])
        return await self._inject("edited message", chat, "any",
                                  self.bot.emulator.user_edits(message, text))

    async def _media(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        kind, content = inputs.media(self.random)
        if kind == "document":
            upload = self.bot.emulator.user_uploads(person.user, "datos.csv", b"a,b\n1,2\n",
                                                    "text/csv")
            return await self._inject("media: document", chat, "reply", upload)
        return await self._inject(f"media: {kind}", chat, "reply",
                                  self.bot.emulator.user_sends(person.user, None, **content))

    async def _block(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        person.blocked = True
        return await self._inject("blocked", chat, "none",
                                  self.bot.emulator.member_status(person.user, "kicked"))

    async def _start_form(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        person.registering = 12
        return await self._say(person, chat, "registration", "/registro")

    async def _form_step(self, person: Person, chat: Chat) -> tuple[Sent | None, int]:
        """Answer the form's current question as a registrant would (sometimes oddly)."""
        person.registering -= 1
        last = next((m for m in reversed(chat.messages) if m.from_bot), None)
        prompt = (last.text or "") if last else ""
        buttons = _callback_buttons(last) if last else []
        if self.random.random() < 0.1 and self.random.random() < 0.5:
            person.registering = 0
            return await self._block(person, chat)  # blocked in the middle of the form
        answer = inputs.form_answer(prompt, person.marker, self.random)
        if answer is None and last is not None and buttons:
            label = inputs.form_button(last.buttons, self.random)
            return await self._pressing("registration", person, chat, last, label)
        if answer is None:
            person.registering = 0
            return await self._say(person, chat, "question", self.random.choice(inputs.QUESTIONS))
        return await self._say(person, chat, "registration", answer)

    def _any_bot_message(self, chat: Chat) -> StoredMessage | None:
        mine = [m for m in chat.messages if m.from_bot]
        return self.random.choice(mine) if mine else None

    # ----- groups and channels ---------------------------------------------------------------

    async def _in_group(self, group: Chat) -> tuple[Sent | None, int]:
        emulator = self.bot.emulator
        person = self.random.choice(self.people)
        roll = self.random.random()
        if roll < 0.15:
            message = self._any_bot_message(group)
            if message is not None:
                data = inputs.forged_data(self.random)
                known = set(emulator.callback_answers)
                update_id = await emulator.user_presses(person.user, message, data)
                query = next(iter(set(emulator.callback_answers) - known))
                self.findings.kinds["group press"] += 1
                return Sent("group press", group, "answer", _snapshot(group), query,
                            data), update_id
        text, addressed = inputs.group_text(self.random, emulator.bot_username, person.marker)
        if roll > 0.9:
            kind, content = inputs.media(self.random)
            if kind != "document":
                return await self._inject("group media", group, "none", emulator.user_sends(
                    person.user, None, chat=group, **content))
        return await self._inject("group addressed" if addressed else "group chatter", group,
                                  "reply" if addressed else "none",
                                  emulator.user_sends(person.user, text, chat=group))

    async def _in_channel(self) -> tuple[Sent | None, int]:
        text = self.random.choice([*inputs.QUESTIONS, *inputs.COMMANDS, *inputs.HTML])
        edited = self.random.random() < 0.3
        return await self._inject("channel edit" if edited else "channel post", self.channel,
                                  "none", self.bot.emulator.channel_posts(self.channel, text,
                                                                          edited=edited))

    # ----- bookkeeping and checks ------------------------------------------------------------

    async def _inject(self, kind: str, chat: Chat, due: str, injected: Awaitable[int],
                      staff_command: str | None = None, **_: Any) -> tuple[Sent | None, int]:
        before = _snapshot(chat)
        update_id = await injected
        self.findings.kinds[kind] += 1
        return Sent(kind, chat, due, before, staff_command=staff_command), update_id

    def _check(self, batch: list[Sent]) -> None:
        findings = self.findings
        emulator = self.bot.emulator
        for method, code, description in emulator.errors[self._errors_seen:]:
            if code == 400:
                findings.api_errors.append(f"{method}: {description} ({self._suspects(batch)})")
        self._errors_seen = len(emulator.errors)
        for record in self._records.records:
            findings.unhandled.append(f"{record.name}: {record.getMessage()} "
                                      f"{record.exc_info[1] if record.exc_info else ''}")
        self._records.records.clear()
        for sent in batch:
            new = [m for m in sent.chat.messages
                   if m.from_bot and sent.before.get(m.message_id) != m.edits]
            answer = emulator.callback_answers.get(sent.query) if sent.query else None
            findings.replies += len(new) + (answer is not None)
            where = f"{sent.kind} in {sent.chat.kind} {sent.chat.id}"
            if sent.due == "reply" and not new and not sent.chat.blocked:
                findings.unanswered.append(f"no reply to {where}")
            if sent.due == "answer" and answer is None:
                findings.unanswered.append(f"press not answered: {where}")
            if sent.due == "none" and new:
                findings.leaks.append(f"the bot wrote after {where}: {new[-1].text!r:.80}")
            self._check_staff(sent, new, answer, where)
            self._check_personal(sent.chat, new, where)

    def _suspects(self, batch: list[Sent]) -> str:
        """The updates of the batch, to tell which one made the bot fail."""
        return "; ".join(f"{s.kind} {s.data or ''} in {s.chat.id}" for s in batch)

    def _check_staff(self, sent: Sent, new: list[StoredMessage], answer: dict[str, Any] | None,
                     where: str) -> None:
        if sent.chat.id == self.staff_id:
            return
        if sent.staff_command is not None:
            expected = texts.unknown_command(sent.staff_command)
            if [m.text for m in new] != [expected]:
                self.findings.leaks.append(f"staff command {sent.staff_command} from non-staff "
                                           f"got {[m.text for m in new]!r:.120}")
        if sent.staff_button and (new or (answer or {}).get("text") != texts.stale_button()):
            self.findings.leaks.append(f"staff button from non-staff: {where} {answer}")
        for message in new:
            document = message.document
            if document is not None and not document.file_name.endswith((".ics", ".pdf")):
                self.findings.leaks.append(f"{document.file_name} sent to a non-staff user")

    def _check_personal(self, chat: Chat, new: list[StoredMessage], where: str) -> None:
        own = inputs.marker(chat.id) if chat.kind == "private" else None
        if chat.id == self.staff_id:
            return
        for message in new:
            shown = f"{message.text or ''} {message.caption or ''}".casefold()
            for person in self.people:
                if person.marker in shown and person.marker != own:
                    self.findings.leaks.append(f"{person.marker}'s data shown after {where}")

    def _trim(self) -> None:
        """Forget what the emulator keeps for ever (old messages, requests, send moments)."""
        emulator = self.bot.emulator
        emulator.requests.clear()
        emulator.flood.stats.moments.clear()
        emulator.callback_answers = {q: a for q, a in emulator.callback_answers.items()
                                     if a is None}
        for chat in emulator.chats.values():
            if len(chat.messages) > KEEP_MESSAGES:
                del chat.messages[:-KEEP_MESSAGES]


def _snapshot(chat: Chat) -> dict[int, int]:
    return {m.message_id: m.edits for m in chat.messages if m.from_bot}


def _callback_buttons(message: StoredMessage) -> list[str]:
    return [b["callback_data"] for b in message.buttons if "callback_data" in b]
