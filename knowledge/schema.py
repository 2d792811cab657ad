"""The schema every knowledge entry must satisfy (YAML front matter of one Markdown file)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator

SUMMARY_MAX = 300
MIN_QUESTIONS = 4


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


Text = Annotated[str, AfterValidator(_stripped)]
Ods = Annotated[int, Field(ge=1, le=17)]


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
    related: list[str] = Field(default_factory=list)
    sources: list[HttpUrl] = Field(default_factory=list)
    verified: dt.date
    body: Text
    # Show the live conversatorio agenda (dates, registration, recordings) after this entry.
    shows_agenda: bool = False

    # Only for kind == fuente.
    funder: Text | None = None
    support_type: list[Text] = Field(default_factory=list)
    applicants: list[Applicant] = Field(default_factory=list)
    themes: list[Ods] = Field(default_factory=list)
    scope: Text | None = None
    amounts: Text | None = None
    cycle: Text | None = None
    status: Status | None = None
    official_url: HttpUrl | None = None
    replaced_by: list[str] = Field(default_factory=list)
    # Structured dates of the open call, when one is known.
    opens: dt.date | None = None
    closes: dt.date | None = None
    call_url: HttpUrl | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> Entry:
        if self.kind is not Kind.USO and not self.sources:
            raise ValueError("sources: se requiere al menos una URL pública")
        if self.kind is Kind.FUENTE:
            missing = [
                name
                for name in ("funder", "status")
                if getattr(self, name) is None
            ]
            if not self.support_type:
                missing.append("support_type")
            if not self.applicants:
                missing.append("applicants")
            if missing:
                raise ValueError(f"una fuente requiere: {', '.join(missing)}")
        elif self.status is not None or self.applicants or self.funder is not None:
            raise ValueError("status, applicants y funder solo aplican a entradas 'fuente'")
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError("closes debe ser posterior a opens")
        return self
