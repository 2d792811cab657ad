"""The registration form: one question at a time, with back, correction and resume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot import validation
from bot.db.dialect import upsert
from bot.db.models import Cycle, EventSession, Profile
from bot.db.session import Database
from bot.events import Events
from bot.flows import Flows, FlowState
from bot.registrations import Registrations, Seat
from knowledge import geography as geo

FLOW = "registro"
PRIVACY_VERSION = "2026-12.1"  # bot/aviso_privacidad.md: a new version asks consent again
SECTORS = {
    "osc": "OSC", "municipal": "Gobierno municipal", "estatal": "Gobierno estatal",
    "federal": "Gobierno federal", "academia": "Academia", "privado": "Sector privado",
    "otro": "Otro",
}


class Step(StrEnum):
    NAME = "full_name"
    EMAIL = "email"
    ORGANIZATION = "organization"
    SECTOR = "sector"
    STATE = "state"
    MUNICIPALITY = "municipality"
    CLUNI = "cluni"
    CONSENT = "consent"
    SESSIONS = "sessions"
    SUMMARY = "summary"


REQUIRED = (Step.NAME, Step.EMAIL, Step.ORGANIZATION, Step.SECTOR, Step.STATE)
OPTIONAL = (Step.MUNICIPALITY, Step.CLUNI)
FIELDS = (*REQUIRED, *OPTIONAL)
_CHECKS = {
    Step.NAME: validation.check_full_name,
    Step.EMAIL: validation.check_email,
    Step.ORGANIZATION: validation.check_organization,
    Step.MUNICIPALITY: validation.check_municipality,
    Step.CLUNI: validation.check_cluni,
}


@dataclass(frozen=True)
class FormView:
    """The question to show now, with the answers so far and what went wrong, if anything."""

    step: Step
    form: dict[str, str | None]
    cycle: Cycle
    sessions: list[EventSession]
    selected: list[int]
    error: str | None = None
    options: list[str] = field(default_factory=list)
    can_go_back: bool = False


@dataclass(frozen=True)
class Confirmed:
    """The registration is done: the seats obtained."""

    cycle: Cycle
    form: dict[str, str | None]
    seats: list[tuple[EventSession, Seat]]
    confirmed_at: dt.datetime | None = None
    reminders: bool = True


@dataclass(frozen=True)
class Closed:
    """No session of the requested (or any) cycle is open for registration."""

    cycle: Cycle | None


class Stale(Exception):
    """A button of an earlier step, or of a form that no longer exists."""


class Signup:
    """Run the registration form for each user, state kept in the database."""

    def __init__(self, database: Database, flows: Flows, events: Events,
                 registrations: Registrations) -> None:
        self._db = database
        self._flows = flows
        self._events = events
        self._registrations = registrations

    async def in_progress(self, user_id: int, now: dt.datetime) -> bool:
        """Tell whether the user is in the middle of a registration."""
        state = await self._flows.get(user_id, now)
        return state is not None and state.name == FLOW

    async def start(self, user_id: int, now: dt.datetime, cycle: Cycle | None = None,
                    event: EventSession | None = None) -> FormView | Closed:
        """Begin a registration (for a cycle, a session, or the next open cycle)."""
        if cycle is None:
            upcoming = await self._events.upcoming(now, limit=1)
            cycle = await self._events.cycle(upcoming[0].cycle_id) if upcoming else None
        if cycle is None:
            return Closed(None)
        open_sessions = await self._open(cycle.id, now)
        if not open_sessions:
            return Closed(cycle)
        async with self._db.session() as session:
            profile = await session.get(Profile, user_id)
        form = {f.value: getattr(profile, f.value) if profile else None for f in FIELDS}
        data: dict[str, Any] = {
            "cycle": cycle.id, "form": form, "history": [], "fixing": False,
            # A saved profile has been through every question, optional ones included.
            "asked": [f.value for f in OPTIONAL] if profile else [],
            # Questions to ask again: going back past an answer may change what applies after it.
            "redo": [],
            "consent": profile is not None and profile.consent_version == PRIVACY_VERSION,
            "selected": [event.id] if event and event.id in {s.id for s in open_sessions} else [],
        }
        state = FlowState(FLOW, "", data)
        return await self._advance(user_id, state, open_sessions, cycle, now)

    async def resume(self, user_id: int, now: dt.datetime) -> FormView | None:
        """Show the current question again, or None when there is no form in progress."""
        state = await self._state(user_id, now)
        if state is None:
            return None
        return await self._view(state, now)

    async def cancel(self, user_id: int) -> bool:
        """Abandon the form."""
        return await self._flows.end(user_id)

    async def answer(self, user_id: int, text: str, now: dt.datetime) -> FormView | None:
        """Take a typed answer for the current question."""
        state = await self._state(user_id, now)
        if state is None:
            return None
        step = Step(state.step)
        if step in _CHECKS:
            checked = _CHECKS[step](text)
            if checked.error:
                return await self._view(state, now, checked.error)
            return await self._answered(user_id, state, step, checked.value, now)
        if step is Step.STATE:
            found = geo.match_state(text)
            if found.state:
                return await self._answered(user_id, state, step, found.state, now)
            error = ("¿Se refiere a alguno de estos estados?" if found.options else
                     "No reconocí el estado. Escríbalo de nuevo o elíjalo de la lista.")
            return await self._view(state, now, error, found.options)
        if step is Step.SECTOR:
            for code, label in SECTORS.items():
                if text.strip().casefold() in (code, label.casefold()):
                    return await self._answered(user_id, state, step, code, now)
        return await self._view(state, now, "Por favor, elija una de las opciones con los botones.")

    async def press(self, user_id: int, step: str, action: str, value: str,
                    now: dt.datetime) -> FormView | Confirmed:
        """Take a button press for the current question (raises Stale for any other)."""
        state = await self._state(user_id, now)
        if state is None or state.step != step:
            raise Stale(step)
        current, data = Step(step), state.data
        if action == "back":
            return await self._back(user_id, state, now)
        if current is Step.SECTOR and action == "pick" and value in SECTORS:
            return await self._answered(user_id, state, current, value, now)
        if current is Step.STATE and action == "pick" and geo.state_from_code(value):
            return await self._answered(user_id, state, current, geo.state_from_code(value), now)
        if current in OPTIONAL and action == "skip":
            return await self._answered(user_id, state, current, None, now)
        if current is Step.CONSENT and action in ("yes", "no"):
            if action == "no":
                await self._flows.end(user_id)
                raise Declined
            data["consent"] = True
            return await self._answered(user_id, state, current, None, now)
        if current is Step.SESSIONS:
            return await self._choose_sessions(user_id, state, action, value, now)
        if current is Step.SUMMARY:
            if action == "confirm":
                return await self._confirm(user_id, state, now)
            if action == "fix" and value in {f.value for f in FIELDS}:
                data["fixing"] = True
                state.step = value
                await self._flows.save(user_id, state, now)
                return await self._view(state, now)
            if action == "fix" and value == "sessions":
                data["fixing"] = True
                state.step = Step.SESSIONS
                await self._flows.save(user_id, state, now)
                return await self._view(state, now)
        raise Stale(step)

    # ----- internals -------------------------------------------------------------------------

    async def _state(self, user_id: int, now: dt.datetime) -> FlowState | None:
        state = await self._flows.get(user_id, now)
        return state if state is not None and state.name == FLOW else None

    async def _open(self, cycle_id: str, now: dt.datetime) -> list[EventSession]:
        return [s for s in await self._events.sessions(cycle_id) if s.starts_at > now]

    async def _answered(self, user_id: int, state: FlowState, step: Step, value: str | None,
                        now: dt.datetime) -> FormView:
        data = state.data
        if step.value in data.get("redo", []):
            data["redo"].remove(step.value)
        if step in FIELDS:
            data["form"][step.value] = value
            if step in OPTIONAL and step.value not in data["asked"]:
                data["asked"].append(step.value)
        if step is Step.SECTOR and value != "osc":
            data["form"][Step.CLUNI.value] = None
        data["history"].append(step.value)
        cycle = await self._events.cycle(data["cycle"])
        assert cycle is not None
        return await self._advance(user_id, state, await self._open(cycle.id, now), cycle, now)

    async def _advance(self, user_id: int, state: FlowState, open_sessions: list[EventSession],
                       cycle: Cycle, now: dt.datetime) -> FormView:
        data = state.data
        state.step = Step.SUMMARY if data["fixing"] and _complete(data) else _next_step(data)
        if state.step is Step.SUMMARY:
            data["fixing"] = False
        await self._flows.save(user_id, state, now)
        return _form_view(state, cycle, open_sessions)

    async def _view(self, state: FlowState, now: dt.datetime, error: str | None = None,
                    options: list[str] | None = None) -> FormView:
        cycle = await self._events.cycle(state.data["cycle"])
        assert cycle is not None
        view = _form_view(state, cycle, await self._open(cycle.id, now))
        return FormView(**{**view.__dict__, "error": error, "options": options or []})

    async def _back(self, user_id: int, state: FlowState, now: dt.datetime) -> FormView:
        data = state.data
        if not data["history"]:
            raise Stale(state.step)
        previous = Step(data["history"].pop())
        redo = data.setdefault("redo", [])
        current = Step(state.step)
        if current in FIELDS and current.value not in redo:
            redo.append(current.value)
        if previous in OPTIONAL and previous.value in data["asked"]:
            data["asked"].remove(previous.value)
        if previous is Step.CONSENT:
            data["consent"] = False
        state.step = previous
        await self._flows.save(user_id, state, now)
        return await self._view(state, now)

    async def _choose_sessions(self, user_id: int, state: FlowState, action: str, value: str,
                               now: dt.datetime) -> FormView:
        data = state.data
        cycle = await self._events.cycle(data["cycle"])
        assert cycle is not None
        open_ids = [s.id for s in await self._open(cycle.id, now)]
        if action in ("all", "toggle"):
            if action == "all":
                everything = set(open_ids) <= set(data["selected"])
                chosen = set() if everything else set(open_ids)
            elif value.isdigit() and int(value) in open_ids:
                chosen = set(data["selected"]) ^ {int(value)}
            else:
                raise Stale(state.step)
            data["selected"] = [i for i in open_ids if i in chosen]
            await self._flows.save(user_id, state, now)
            return await self._view(state, now)
        if action != "done":
            raise Stale(state.step)
        data["selected"] = [i for i in data["selected"] if i in open_ids]
        if not data["selected"]:
            raise NothingChosen
        return await self._answered(user_id, state, Step.SESSIONS, None, now)

    async def _confirm(self, user_id: int, state: FlowState, now: dt.datetime) -> Confirmed:
        data, form = state.data, state.data["form"]
        cycle = await self._events.cycle(data["cycle"])
        assert cycle is not None
        values = {**form, "consent_version": PRIVACY_VERSION, "consent_at": now,
                  "updated_at": now}
        async with self._db.sessions.begin() as session:
            await upsert(session, Profile, {"user_id": user_id, **values}, ["user_id"], values)
            profile = await session.get(Profile, user_id)
            reminders = profile is None or profile.reminders
        open_sessions = {s.id: s for s in await self._open(cycle.id, now)}
        seats = []
        for session_id in data["selected"]:
            if session_id in open_sessions:
                seat = await self._registrations.register(user_id, session_id, now)
                seats.append((open_sessions[session_id], seat))
        await self._flows.end(user_id)
        return Confirmed(cycle, dict(form), seats, now, reminders)


class NothingChosen(Exception):
    """Continuar was pressed on the session picker with no session marked."""


class Declined(Exception):
    """The user did not accept the privacy notice; nothing was stored."""


def _complete(data: dict[str, Any]) -> bool:
    return _next_step(data) is Step.SUMMARY


def _next_step(data: dict[str, Any]) -> Step:
    form, redo = data["form"], data.get("redo", [])
    for step in FIELDS:
        if step is Step.CLUNI and form.get(Step.SECTOR.value) != "osc":
            continue
        missing = ((step in REQUIRED and not form.get(step.value))
                   or (step in OPTIONAL and step.value not in data["asked"]))
        if missing or step.value in redo:
            return step
    if not data["consent"]:
        return Step.CONSENT
    if not data["selected"]:
        return Step.SESSIONS
    return Step.SUMMARY


def _form_view(state: FlowState, cycle: Cycle, open_sessions: list[EventSession]) -> FormView:
    data = state.data
    return FormView(Step(state.step), dict(data["form"]), cycle, open_sessions,
                    list(data["selected"]), can_go_back=bool(data["history"]))
