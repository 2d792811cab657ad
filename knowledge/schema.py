"""The schema every knowledge entry must satisfy (YAML front matter of one Markdown file)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    model_validator,
)

from knowledge.geography import STATES

SUMMARY_MAX = 300
MIN_QUESTIONS = 4
NATIONAL = "nacional"


class Kind(StrEnum):
    FUENTE = "fuente"
    TEMA = "tema"
    CONVERSATORIO = "conversatorio"
    USO = "uso"


class Status(StrEnum):
    ABIERTA = "abierta"
    PERIODICA = "periódica"
    CERRADA = "cerrada"
    EXTINTA = "extinta"
    SIN_CONFIRMAR = "sin confirmar"


class Instrument(StrEnum):
    """What a fuente is. Only calls and awards take applications on a call; the rest never
    carry a call status (a law is not a call, a loan is not a donation)."""

    CONVOCATORIA = "convocatoria"
    PREMIO = "premio"
    CREDITO = "crédito"
    TRANSFERENCIA = "transferencia"
    ALIANZA = "alianza"
    GOBIERNOS = "gobiernos"
    ASISTENCIA = "asistencia técnica"
    REFERENCIA = "referencia"


CALLS = frozenset({Instrument.CONVOCATORIA, Instrument.PREMIO})
# What a non-call instrument may still say about itself: that it ended.
ENDED = frozenset({Status.CERRADA, Status.EXTINTA})


class Applicant(StrEnum):
    OSC = "osc"
    MUNICIPIO = "municipio"
    ESTADO = "estado"
    FEDERAL = "federal"
    ACADEMIA = "academia"
    PRIVADO = "privado"
    COMUNIDAD = "comunidad"
    PERSONA = "persona"


def _stripped(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("no puede estar vacío")
    return value


def _state(value: str) -> str:
    if value not in STATES:
        raise ValueError(f"'{value}' no es una entidad federativa (escríbala como en {STATES[0]})")
    return value


def _as_source(value: object) -> object:
    return {"url": value} if isinstance(value, str) else value


Text = Annotated[str, AfterValidator(_stripped)]
Ods = Annotated[int, Field(ge=1, le=17)]
State = Annotated[str, AfterValidator(_state)]
Month = Annotated[int, Field(ge=1, le=12)]
# A date as precise as the page shows it: "2025", "2025-05" or "2025-05-23".
PartialDate = Annotated[str, Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


class Source(BaseModel):
    """A public page that backs facts of an entry: who published it and when (as shown)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: HttpUrl
    publisher: Text | None = None
    date: PartialDate | None = None
    # For a copy read on a mirror or a document site: the original page it reproduces.
    copy_of: HttpUrl | None = None

    @property
    def shown(self) -> HttpUrl:
        """The address users see: the original page when this is a copy."""
        return self.copy_of or self.url


SourceItem = Annotated[Source, BeforeValidator(_as_source)]


class Entry(BaseModel):
    """One knowledge entry: front matter fields plus the Markdown body."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    # At most 58 characters, so that "kb:e:<id>" fits Telegram's 64-byte callback data.
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=58)]
    kind: Kind
    title: Text
    summary: Annotated[Text, Field(max_length=SUMMARY_MAX)]
    questions: Annotated[list[Text], Field(min_length=MIN_QUESTIONS)]
    keywords: list[Text] = Field(default_factory=list)
    # Other names people use for the organisation or programme: acronyms, short and old names.
    aliases: list[Text] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    sources: list[SourceItem] = Field(default_factory=list)
    verified: dt.date
    body: Text
    # Show the live conversatorio agenda (dates, registration, recordings) after this entry.
    shows_agenda: bool = False
    # A step the bot can take for the user after this entry, offered as a button.
    action: Literal["constancia", "registro"] | None = None

    # Only for kind == fuente.
    funder: Text | None = None
    instrument: Instrument | None = None
    support_type: list[Text] = Field(default_factory=list)
    # Confirmed by the sources; possible but unconfirmed eligibility goes apart.
    applicants: list[Applicant] = Field(default_factory=list)
    applicants_possible: list[Applicant] = Field(default_factory=list)
    themes: list[Ods] = Field(default_factory=list)
    # "nacional", or the states the source covers; coverage_note for a narrower rule.
    coverage: Literal["nacional"] | list[State] | None = None
    coverage_note: Text | None = None
    scope: Text | None = None
    amounts: Text | None = None
    how_to_apply: Text | None = None
    cycle: Text | None = None
    status: Status | None = None
    official_url: HttpUrl | None = None
    # Set when no page of the funder's own could be found, so the gap is stated, not hidden.
    official_url_missing: bool = False
    replaced_by: list[str] = Field(default_factory=list)
    # The last documented call (when abierta, the open one): its dates, or only its year.
    opens: dt.date | None = None
    closes: dt.date | None = None
    call_year: int | None = None
    call_url: HttpUrl | None = None
    # Months in which past calls were open (from their documented dates): the usual window.
    usual_months: list[Month] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_fields(self) -> Entry:
        if self.kind is not Kind.USO and not self.sources:
            raise ValueError("sources: se requiere al menos una URL pública")
        if self.kind is Kind.FUENTE:
            missing = ["funder"] if self.funder is None else []
            if not self.support_type:
                missing.append("support_type")
            if not self.applicants and not self.applicants_possible:
                missing.append("applicants")
            if missing:
                raise ValueError(f"una fuente requiere: {', '.join(missing)}")
            both = set(self.applicants) & set(self.applicants_possible)
            if both:
                names = ", ".join(sorted(a.value for a in both))
                raise ValueError(f"applicants_possible repite lo confirmado en applicants: {names}")
            if self.official_url and self.official_url_missing:
                raise ValueError("official_url y official_url_missing se excluyen")
        elif self.status is not None or self.applicants or self.funder is not None:
            raise ValueError("status, applicants y funder solo aplican a entradas 'fuente'")
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError("closes debe ser posterior a opens")
        return self

    @property
    def is_call(self) -> bool:
        """Tell whether this fuente takes applications on calls (so it has a call status)."""
        return self.kind is Kind.FUENTE and self.instrument in CALLS

    def covers(self, state: str) -> bool:
        """Tell whether a fuente is open to applicants in a state (unknown coverage counts)."""
        return self.coverage is None or self.coverage == NATIONAL or state in self.coverage

    @property
    def evidence(self) -> dt.date | None:
        """The newest date the sources or the last documented call show (a year counts as its
        first day, a month as its first day)."""
        dates = [_partial(s.date) for s in self.sources if s.date]
        dates += [d for d in (self.opens, self.closes) if d]
        if self.call_year:
            dates.append(dt.date(self.call_year, 1, 1))
        return max(dates, default=None)


def _partial(value: str) -> dt.date:
    """The first day a partial date can mean."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])
