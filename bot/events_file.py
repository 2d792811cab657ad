"""Parse and validate conversatorio cycle files (YAML), reporting problems with line numbers."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pydantic
import yaml
from pydantic import AfterValidator as After
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

AUDIENCE = ("osc", "municipio", "estado", "federal", "academia", "privado", "comunidad", "persona")
MAX_OFFSET_MINUTES = 30 * 24 * 60
FieldPath = tuple[str | int, ...]
_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_START = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_BAD_START = "fecha y hora no válida: use AAAA-MM-DDTHH:MM (hora local, sin zona horaria)"


def _url(value: str) -> str:
    """Accept only absolute http(s) URLs without spaces."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError("URL no válida: debe empezar con http:// o https://")
    return value


def _local_start(value: Any) -> dt.datetime:
    """Turn a local date-time (datetime or ISO string) into a naive datetime; reject offsets."""
    if isinstance(value, str) and _START.match(value := value.strip()):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(_BAD_START) from None
    if not isinstance(value, dt.datetime):
        raise ValueError(_BAD_START)
    if value.tzinfo is not None:
        raise ValueError("sin desfase (-06:00, Z): la hora es local a la zona del ciclo")
    return value


def _audience(value: str) -> str:
    """Accept only the fixed audience vocabulary."""
    if value not in AUDIENCE:
        raise ValueError("valor no permitido; use uno de: " + ", ".join(AUDIENCE))
    return value


def _zone_name(value: str) -> str:
    """Accept only IANA zone names that zoneinfo knows."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"zona horaria desconocida: {value!r} (ej. America/Mexico_City)"
        raise ValueError(msg) from None
    return value


Text = Annotated[str, Field(strict=True, min_length=1)]
Url = Annotated[str, Field(strict=True), After(_url)]
AudienceTag = Annotated[str, Field(strict=True), After(_audience)]
PosInt = Annotated[int, Field(strict=True, ge=1)]
Minutes = Annotated[int, Field(strict=True)]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CertificateRule(_Frozen):
    min_sessions: PosInt


class AttendanceRule(_Frozen):
    grace_minutes: Annotated[Minutes, Field(ge=0, le=240)] = 30
    min_minutes: Annotated[Minutes, Field(ge=1, le=600)] = 45


class SessionFile(_Frozen):
    id: Annotated[str, Field(strict=True, pattern=_ID, max_length=12)]
    title: Text
    topic: Text | None = None
    start: Annotated[dt.datetime, pydantic.BeforeValidator(_local_start)]
    duration_minutes: Annotated[Minutes, Field(ge=1, le=24 * 60)] | None = None
    modality: Text | None = None
    join_url: Url | None = None
    recording_url: Url | None = None
    capacity: PosInt | None = None
    speakers: list[Text] = Field(default_factory=list)
    # Set by the enclosing CycleFile: the file states times in the cycle's zone only.
    _zone: ZoneInfo | None = pydantic.PrivateAttr(default=None)

    @pydantic.computed_field  # type: ignore[prop-decorator]
    @property
    def starts_at(self) -> dt.datetime:
        """Return the start as an aware datetime in the cycle's timezone."""
        if self._zone is None:
            raise ValueError("la sesión no pertenece a un ciclo: falta la zona horaria")
        return self.start.replace(tzinfo=self._zone)


class CycleFile(_Frozen):
    id: Annotated[str, Field(strict=True, pattern=_ID, max_length=40)]
    title: Text
    description: Text | None = None
    organizers: Annotated[list[Text], Field(min_length=1)]
    audience: Annotated[list[AudienceTag], Field(min_length=1)]
    timezone: Annotated[str, Field(strict=True), After(_zone_name)]
    reminder_offsets_minutes: list[Annotated[PosInt, Field(le=MAX_OFFSET_MINUTES)]] = [1440, 60]
    certificate: CertificateRule | None = None
    attendance: AttendanceRule = AttendanceRule()
    sources: list[Url] = []
    sessions: Annotated[list[SessionFile], Field(min_length=1)]

    @pydantic.model_validator(mode="after")
    def _check_cycle(self, info: ValidationInfo) -> CycleFile:
        """Check rules spanning several fields and attach the zone to each session."""
        zone = ZoneInfo(self.timezone)
        problems = _cross_problems(self, zone)
        # parse_cycle collects located problems through the context; direct callers get an error.
        sink = info.context.get("problems") if isinstance(info.context, dict) else None
        if sink is not None:
            sink.extend(problems)
        elif problems:
            raise ValueError("; ".join(f"{_dotted(p)}: {m}" for p, m in problems))
        for session in self.sessions:
            session._zone = zone
        return self


def _cross_problems(cycle: CycleFile, zone: ZoneInfo) -> list[tuple[FieldPath, str]]:
    """List problems that need more than one field: uniqueness, counts, local times."""
    found: list[tuple[FieldPath, str]] = []
    offsets = cycle.reminder_offsets_minutes
    for i, offset in enumerate(offsets):
        if offset in offsets[:i]:
            found.append((("reminder_offsets_minutes", i), f"recordatorio repetido: {offset}"))
    for i, session in enumerate(cycle.sessions):
        if session.id in [s.id for s in cycle.sessions[:i]]:
            found.append((("sessions", i, "id"), f"id de sesión repetido: {session.id!r}"))
        aware = session.start.replace(tzinfo=zone)
        if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != session.start:
            found.append((("sessions", i, "start"), "esa hora no existe en la zona del ciclo"))
        elif aware.utcoffset() != session.start.replace(tzinfo=zone, fold=1).utcoffset():
            found.append((("sessions", i, "start"), "hora ambigua por cambio de horario"))
    if cycle.certificate and cycle.certificate.min_sessions > len(cycle.sessions):
        message = f"no puede ser mayor que el número de sesiones ({len(cycle.sessions)})"
        found.append((("certificate", "min_sessions"), message))
    return found


class EventProblem(NamedTuple):
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """Render as 'file:line: field: message' (no field for YAML syntax errors)."""
        return ": ".join(filter(None, (f"{self.file}:{self.line}", self.field, self.message)))


class EventFileError(ValueError):
    """A cycle file was rejected; .problems lists (file, line, field_path, message)."""

    def __init__(self, problems: list[EventProblem]) -> None:
        """Keep the problems; the message is one Spanish line per problem."""
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps timestamps as strings, so bad dates become located problems."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MODELS = (CycleFile, SessionFile, CertificateRule, AttendanceRule)
_KNOWN_KEYS = sorted({name for model in _MODELS for name in model.model_fields})
_MESSAGES = {
    "missing": "falta este campo obligatorio",
    "string_type": "debe ser texto",
    "int_type": "debe ser un número entero",
    "list_type": "debe ser una lista",
    "model_type": "debe ser un bloque de campos (clave: valor)",
    "greater_than_equal": "debe ser mayor o igual que {ge}",
    "less_than_equal": "debe ser menor o igual que {le}",
    "string_too_long": "debe tener como máximo {max_length} caracteres",
    "string_pattern_mismatch": "solo minúsculas, dígitos y guiones (sin espacios ni acentos)",
    "string_too_short": "no puede estar vacío",
    "too_short": "debe tener al menos {min_length} elemento(s)",
}


def _dotted(path: FieldPath) -> str:
    """Render a field path like sessions[2].start (list indexes are 0-based)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lines(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], dupes: list) -> None:
    """Map every field path under node to its 1-based line; note repeated keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            if child in lines:
                dupes.append(child)
            lines[child] = key_node.start_mark.line + 1
            _lines(value_node, child, lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), lines, dupes)


def _message(error: Any) -> str:
    """Translate one pydantic error into Spanish."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][-1]), _KNOWN_KEYS, n=1)
        return "campo desconocido" + (f" (¿quiso decir {close[0]!r}?)" if close else "")
    return _MESSAGES[kind].format(**ctx) if kind in _MESSAGES else str(error["msg"])


def parse_cycle(text: str, filename: str) -> CycleFile:
    """Parse and validate a cycle file; raise EventFileError listing every located problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = EventProblem(filename, line, "", f"YAML no válido: {exc.problem}")
        raise EventFileError([problem]) from None
    finally:
        loader.dispose()
    lines: dict[FieldPath, int] = {}
    dupes: list[FieldPath] = []
    if node is not None:
        _lines(node, (), lines, dupes)
    located: list[tuple[FieldPath, str]] = [(p, "clave repetida") for p in dupes]
    try:
        cycle = CycleFile.model_validate(data, context={"problems": located})
    except ValidationError as exc:
        located += [(tuple(e["loc"]), _message(e)) for e in exc.errors()]
    if not located:
        return cycle

    def at(path: FieldPath) -> int:
        """Return the line of path or, when absent, of its nearest located parent."""
        while path not in lines and path:
            path = path[:-1]
        return lines.get(path, 1)

    problems = [EventProblem(filename, at(p), _dotted(p), m) for p, m in located]
    raise EventFileError(sorted(problems, key=lambda p: p.line))


def load_cycle(path: Path) -> CycleFile:
    """Read a UTF-8 cycle file and parse it, naming it 'folder/file.yaml' in problems."""
    name = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    return parse_cycle(path.read_text(encoding="utf-8"), name)
