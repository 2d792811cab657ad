"""The directory opt-in form: one question at a time, nothing listed before consent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from bot import validation
from bot.db.dialect import upsert
from bot.db.models import AllyProfile, Profile
from bot.db.session import Database
from bot.flows import Flows, FlowState
from bot.signup import SECTORS
from knowledge import geography as geo

FLOW = "aliados"
DESCRIPTION_MAX = 300
THEMES = tuple(range(1, 18))
EXCHANGES = {"fin": "financiamiento", "cap": "capacitación", "vol": "voluntariado",
             "vin": "vinculación", "dat": "datos", "esp": "espacios"}


class Step(StrEnum):
    NAME = "name"
    SECTOR = "sector"
    STATE = "state"
    MUNICIPALITY = "muni"
    THEMES = "themes"
    OFFERS = "offers"
    SEEKS = "seeks"
    DESCRIPTION = "desc"
    CONSENT = "consent"


ORDER = tuple(Step)
CHOICES: dict[Step, tuple[Any, ...]] = {Step.THEMES: THEMES, Step.OFFERS: tuple(EXCHANGES),
                                        Step.SEEKS: tuple(EXCHANGES)}


@dataclass(frozen=True)
class FormView:
    """The question to show now, what may be kept with one tap, and what went wrong."""

    step: Step
    answers: dict[str, Any]
    prefill: str | None = None
    error: str | None = None
    options: list[str] = field(default_factory=list)


class Stale(Exception):
    """A button of another step, or of a form that no longer exists."""


class Declined(Exception):
    """Consent was refused: nothing was stored."""


class AllyForm:
    """Run the directory form for each user, state kept in the database."""

    def __init__(self, database: Database, flows: Flows) -> None:
        self._db = database
        self._flows = flows

    async def start(self, user_id: int, now: dt.datetime) -> FormView:
        """Begin the form, prefilled from the directory entry or the registration profile."""
        async with self._db.session() as session:
            ally = await session.scalar(select(AllyProfile).where(AllyProfile.user_id == user_id))
            profile = await session.get(Profile, user_id)
        source = ally or profile
        prefill = {
            Step.NAME: ally.name if ally else profile.organization if profile else None,
            Step.SECTOR: source.sector if source else None,
            Step.STATE: source.state if source else None,
            Step.MUNICIPALITY: source.municipality if source else None,
            Step.DESCRIPTION: ally.description if ally else None,
        }
        answers: dict[str, Any] = {s.value: list(getattr(ally, s.value)) if ally else []
                                   for s in CHOICES}
        data = {"answers": answers, "prefill": {k.value: v for k, v in prefill.items() if v}}
        state = FlowState(FLOW, Step.NAME.value, data)
        await self._flows.save(user_id, state, now)
        return _view(state)

    async def current(self, user_id: int, now: dt.datetime) -> FormView | None:
        """The question the user is at, or None without a form in progress."""
        state = await self._state(user_id, now)
        return _view(state) if state else None

    async def answer(self, user_id: int, text: str, now: dt.datetime) -> FormView | None:
        """Take a typed answer for the current question."""
        state = await self._state(user_id, now)
        if state is None:
            return None
        step = Step(state.step)
        checked: validation.Checked | None = None
        if step is Step.NAME:
            checked = validation.check_organization(text)
        elif step is Step.MUNICIPALITY:
            checked = validation.check_municipality(text)
        elif step is Step.DESCRIPTION:
            checked = _check_description(text)
        if checked is not None:
            if checked.error:
                return _view(state, checked.error)
            return await self._answered(user_id, state, checked.value, now)
        if step is Step.STATE:
            found = geo.match_state(text)
            if found.state:
                return await self._answered(user_id, state, found.state, now)
            return _view(state, "¿Se refiere a alguno de estos estados?" if found.options else
                         "No reconocí el estado. Escríbalo de nuevo, por favor.", found.options)
        return _view(state, "Por favor, elija con los botones.")

    async def press(self, user_id: int, step: str, action: str, value: str,
                    now: dt.datetime) -> FormView | AllyProfile:
        """Take a button of the current question; the saved entry after consent."""
        state = await self._state(user_id, now)
        if state is None or state.step != step:
            raise Stale(step)
        current, prefill = Step(step), state.data["prefill"]
        if action == "keep" and current.value in prefill:
            return await self._answered(user_id, state, prefill[current.value], now)
        if action == "skip" and current is Step.MUNICIPALITY:
            return await self._answered(user_id, state, None, now)
        if action == "pick" and current is Step.SECTOR and value in SECTORS:
            return await self._answered(user_id, state, value, now)
        if action == "pick" and current is Step.STATE and geo.state_from_code(value):
            return await self._answered(user_id, state, geo.state_from_code(value), now)
        if current in CHOICES and action in ("toggle", "done"):
            return await self._choose(user_id, state, current, action, value, now)
        if current is Step.CONSENT and action == "no":
            await self._flows.end(user_id)
            raise Declined
        if current is Step.CONSENT and action == "yes":
            return await self._save(user_id, state, now)
        raise Stale(step)

    async def _state(self, user_id: int, now: dt.datetime) -> FlowState | None:
        state = await self._flows.get(user_id, now)
        return state if state is not None and state.name == FLOW else None

    async def _answered(self, user_id: int, state: FlowState, value: Any,
                        now: dt.datetime) -> FormView:
        state.data["answers"][state.step] = value
        state.step = ORDER[ORDER.index(Step(state.step)) + 1].value
        await self._flows.save(user_id, state, now)
        return _view(state)

    async def _choose(self, user_id: int, state: FlowState, step: Step, action: str,
                      value: str, now: dt.datetime) -> FormView:
        chosen = state.data["answers"][step.value]
        if action == "done":
            if step is Step.THEMES and not chosen:
                return _view(state, "Elija al menos un tema, por favor.")
            return await self._answered(user_id, state, chosen, now)
        item: Any = int(value) if step is Step.THEMES and value.isdigit() else value
        if item not in CHOICES[step]:
            raise Stale(step.value)
        marked = set(chosen) ^ {item}
        state.data["answers"][step.value] = [c for c in CHOICES[step] if c in marked]
        await self._flows.save(user_id, state, now)
        return _view(state)

    async def _save(self, user_id: int, state: FlowState, now: dt.datetime) -> AllyProfile:
        answers = state.data["answers"]
        values = {"name": answers["name"], "sector": answers["sector"],
                  "state": answers["state"], "municipality": answers["muni"],
                  "themes": answers["themes"], "offers": answers["offers"],
                  "seeks": answers["seeks"], "description": answers["desc"],
                  "consent_at": now, "updated_at": now}
        async with self._db.sessions.begin() as session:
            await upsert(session, AllyProfile, {"user_id": user_id, **values}, ["user_id"],
                         values)
            saved = await session.scalar(select(AllyProfile)
                                         .where(AllyProfile.user_id == user_id))
        await self._flows.end(user_id)
        assert saved is not None
        return saved


def _check_description(text: str) -> validation.Checked:
    described = " ".join(text.split())
    if len(described) < 10:
        return validation.Checked(None, "Cuéntenos un poco más (al menos 10 caracteres).")
    if len(described) > DESCRIPTION_MAX:
        return validation.Checked(None, f"La descripción es muy larga: {len(described)} "
                                        f"caracteres (máximo {DESCRIPTION_MAX}).")
    return validation.Checked(described)


def _view(state: FlowState, error: str | None = None,
          options: list[str] | None = None) -> FormView:
    prefill = state.data["prefill"].get(state.step)
    return FormView(Step(state.step), dict(state.data["answers"]),
                    str(prefill) if prefill else None, error, options or [])
