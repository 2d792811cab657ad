"""Cycle files: the shipped 2021 cycle parses, and every invalid file is located to its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.events_file import CycleFile, EventFileError, EventProblem, load_cycle, parse_cycle

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge" / "eventos" / "cid-multiactor-2021.yaml"
DATA = ROOT / "tests" / "data" / "eventos"
VALID = (DATA / "ciclo-valido.yaml").read_text(encoding="utf-8")
NAME = "eventos/ciclo.yaml"


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of the only occurrence of needle in text."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1


def mutate(old: str, new: str) -> str:
    """Return the valid fixture with one unique fragment replaced."""
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def rejected(text: str) -> list[EventProblem]:
    """Parse text expecting rejection; return its problems."""
    with pytest.raises(EventFileError) as caught:
        parse_cycle(text, NAME)
    return caught.value.problems


def test_shipped_cycle_parses() -> None:
    cycle = load_cycle(SHIPPED)
    assert cycle.id == "cid-multiactor-2021"
    assert cycle.organizers == ["Indesol", "SRE", "AMEXCID"]
    assert cycle.audience == ["osc", "municipio", "estado"]
    assert cycle.certificate is None  # the bulletin published no rule; none is made up
    assert cycle.reminder_offsets_minutes == [1440, 60]
    assert (cycle.attendance.grace_minutes, cycle.attendance.min_minutes) == (30, 45)
    assert len(cycle.sources) == 2 and all(u.startswith("https://") for u in cycle.sources)
    first = cycle.sessions[0]
    assert first.recording_url == "https://www.youtube.com/watch?v=EkwubVWQRcc"
    expected = dt.datetime(2021, 5, 4, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    assert first.starts_at == expected
    assert first.starts_at.astimezone(dt.UTC) == dt.datetime(2021, 5, 4, 15, 0, tzinfo=dt.UTC)
    # Facts the sources do not give stay empty.
    for session in cycle.sessions:
        assert session.join_url is None and session.duration_minutes is None
        assert session.capacity is None and session.speakers == []
        assert session.modality == "en línea"
    assert cycle.sessions[1].topic and cycle.sessions[1].topic.startswith("La política")
    assert [s.title for s in cycle.sessions[2:]] == [f"Sesión {n}" for n in range(3, 7)]


def test_shipped_cycle_is_six_tuesdays_at_ten() -> None:
    cycle = load_cycle(SHIPPED)
    days = [s.starts_at.date() for s in cycle.sessions]
    assert days == [dt.date(2021, 5, 4) + dt.timedelta(weeks=n) for n in range(6)]
    assert days[-1] == dt.date(2021, 6, 8)
    assert all(s.starts_at.weekday() == 1 and s.starts_at.hour == 10 for s in cycle.sessions)
    assert [s.id for s in cycle.sessions] == ["s1", "s2", "s3", "s4", "s5", "s6"]


def test_valid_fixture_uses_every_field() -> None:
    cycle = parse_cycle(VALID, NAME)
    assert isinstance(cycle, CycleFile)
    first, second, third = cycle.sessions
    assert first.capacity == 300 and first.speakers == ["Ponente Uno", "Ponente Dos"]
    assert first.join_url == "https://example.org/sala" and first.topic
    assert second.start == dt.datetime(2030, 3, 12, 10, 0)
    # Mexico City has had no daylight saving time since 2022: UTC-6 all year.
    assert third.starts_at.utcoffset() == dt.timedelta(hours=-6)
    assert cycle.attendance.grace_minutes == 15 and cycle.reminder_offsets_minutes == [2880, 60]


def test_start_may_arrive_as_datetime() -> None:
    cycle = parse_cycle(VALID, NAME)
    data = cycle.model_dump(exclude={"sessions": {"__all__": {"starts_at"}}})
    data["sessions"][0]["start"] = dt.datetime(2030, 3, 5, 9, 0)
    rebuilt = CycleFile.model_validate(data)
    assert rebuilt.sessions[0].starts_at.hour == 9


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "words"),
    [
        ("America/Mexico_City", "America/Ciudad_Gotica", "timezone:", "timezone", "zona"),
        (
            "  - id: s2",
            "  - id: s1",
            '  - id: s1\n    title: "Segunda',
            "sessions[1].id",
            "repetido",
        ),
        ('title: "Primera', 'titel: "Primera', "titel:", "sessions[0].titel", "'title'"),
        ("2030-03-19T17:30", "el martes", "start: el martes", "sessions[2].start", "fecha"),
        ("2030-03-19T17:30", "2030-03-19", "start: 2030-03-19", "sessions[2].start", "fecha"),
        (
            "2030-03-19T17:30",
            "2030-03-19T17:30-06:00",
            "start: 2030-03-19T",
            "sessions[2].start",
            "desfase",
        ),
        ("capacity: 300", "capacity: -5", "capacity:", "sessions[0].capacity", "mayor o igual"),
        ("join_url: https://", "join_url: ftp://", "join_url:", "sessions[0].join_url", "URL"),
        ("[osc, municipio]", "[osc, empresa]", "audience:", "audience[1]", "permitido"),
        (
            "{min_sessions: 2}",
            "{min_sessions: 4}",
            "certificate:",
            "certificate.min_sessions",
            "número de sesiones",
        ),
        (
            "[2880, 60]",
            "[60, 60]",
            "reminder_offsets_minutes:",
            "reminder_offsets_minutes[1]",
            "repetido",
        ),
        (
            "[2880, 60]",
            "[50000]",
            "reminder_offsets_minutes:",
            "reminder_offsets_minutes[0]",
            "menor o igual",
        ),
        (
            "grace_minutes: 15",
            "grace_minutes: 300",
            "attendance:",
            "attendance.grace_minutes",
            "240",
        ),
        ("id: ciclo-prueba-2030", "id: Ciclo Prueba", "id: Ciclo", "id", "minúsculas"),
        ('title: "Ciclo de prueba"\n', "", "id: ciclo-prueba", "title", "obligatorio"),
        ('    title: "Primera sesión"\n', "", "  - id: s1", "sessions[0].title", "obligatorio"),
        (
            "duration_minutes: 120",
            "duration_minutes: dos horas",
            "duration_minutes:",
            "sessions[0].duration_minutes",
            "entero",
        ),
        (
            "description: Texto",
            "sources: []\ndescription: Texto",
            "sources:\n",
            "sources",
            "clave repetida",
        ),
        (
            "2030-03-19T17:30",
            "2030-03-19T17:30\n    extra: 1",
            "extra:",
            "sessions[2].extra",
            "desconocido",
        ),
    ],
)
def test_invalid_file_is_located(old: str, new: str, needle: str, field: str, words: str) -> None:
    text = mutate(old, new)
    matching = [p for p in rejected(text) if p[2] == field]
    assert len(matching) == 1, rejected(text)
    filename, line, _, message = matching[0]
    assert (filename, line) == (NAME, line_of(text, needle))
    assert words in message


def test_yaml_syntax_error_reports_its_line() -> None:
    text = mutate("organizers: [Organizadora A, Organizadora B]", "organizers: [A, B")
    problems = rejected(text)
    assert len(problems) == 1
    assert problems[0][0] == NAME and problems[0][2] == ""
    assert problems[0][1] >= line_of(text, "organizers:")
    assert "YAML no válido" in problems[0][3]

    bad_indent = mutate("    modality: en línea\n", "    modality: en línea\n   bad: [\n")
    assert rejected(bad_indent)[0][1] == line_of(bad_indent, "bad: [")


def test_every_problem_reported_as_one_spanish_line() -> None:
    with pytest.raises(EventFileError) as caught:
        load_cycle(DATA / "ciclo-con-errores.yaml")
    error = caught.value
    assert isinstance(error, ValueError)
    located = [(line, path) for _, line, path, _ in error.problems]
    assert located == [
        (2, "id"),
        (5, "audience[1]"),
        (11, "sessions[0].capacity"),
        (12, "sessions[1].title"),
        (13, "sessions[1].titel"),
        (14, "sessions[1].start"),
    ]
    lines = str(error).splitlines()
    assert len(lines) == len(error.problems)
    assert lines[-1].startswith("eventos/ciclo-con-errores.yaml:14: sessions[1].start: fecha")


def test_direct_construction_enforces_cross_field_rules() -> None:
    data = parse_cycle(VALID, NAME).model_dump(exclude={"sessions": {"__all__": {"starts_at"}}})
    data["sessions"][1]["id"] = "s1"
    with pytest.raises(ValueError, match="repetido"):
        CycleFile.model_validate(data)


def test_nonexistent_local_time_is_rejected() -> None:
    # 2021-04-04 02:30 did not exist in Mexico City (clocks jumped from 02:00 to 03:00).
    text = mutate("2030-03-19T17:30", "2021-04-04T02:30")
    problems = rejected(text)
    assert [(p[1], p[2]) for p in problems] == [
        (line_of(text, "2021-04-04T02:30"), "sessions[2].start")
    ]
