"""The .ics export: parsed back with icalendar to check what calendar apps will read."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.calendar import PRODID, CalendarSession, build_ics, ics_filename

MEXICO = ZoneInfo("America/Mexico_City")
NOW = dt.datetime(2021, 4, 20, 18, 30, tzinfo=dt.UTC)
JOIN = "https://meet.example.org/coopera-2"


def _session(**changes: object) -> CalendarSession:
    fields: dict[str, object] = {
        "uid_key": "ciclo1-s2",
        "title": "Sesión 2: Fondos europeos",
        "cycle_title": "Conversatorios 2021",
        "starts_at": dt.datetime(2021, 5, 4, 15, 0, tzinfo=dt.UTC),
        "duration_minutes": 90,
        "timezone": "America/Mexico_City",
        "join_url": JOIN,
        "description": "Convocatorias abiertas para OSC.",
    }
    fields.update(changes)
    return CalendarSession(**fields)  # type: ignore[arg-type]


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_calendar_header() -> None:
    cal = _parse(build_ics([_session()], 7, NOW))
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Conversatorios 2021"


def test_crlf_line_endings() -> None:
    data = build_ics([_session()], 7, NOW)
    assert b"\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_vtimezone_present_and_used() -> None:
    data = build_ics([_session()], 7, NOW)
    cal = _parse(data)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/Mexico_City"]
    assert b"DTSTART;TZID=America/Mexico_City:20210504T100000" in data


def test_start_is_local_time_in_session_zone() -> None:
    event = _parse(build_ics([_session()], 7, NOW)).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert (start.hour, start.minute) == (10, 0)
    assert start.astimezone(dt.UTC) == dt.datetime(2021, 5, 4, 15, 0, tzinfo=dt.UTC)


def test_end_is_start_plus_duration() -> None:
    event = _parse(build_ics([_session()], 7, NOW)).walk("VEVENT")[0]
    assert event["DTEND"].params["TZID"] == "America/Mexico_City"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=90)
    assert event.decoded("DTEND").hour == 11


def test_dtstamp_is_utc() -> None:
    data = build_ics([_session()], 7, NOW)
    assert b"DTSTAMP:20210420T183000Z" in data
    naive = build_ics([_session()], 7, NOW.replace(tzinfo=None))
    assert b"DTSTAMP:20210420T183000Z" in naive


def test_uid_stable_across_builds_and_distinct_per_user() -> None:
    def uid(user_id: int) -> str:
        return str(_parse(build_ics([_session()], user_id, NOW)).walk("VEVENT")[0]["UID"])

    assert uid(7) == uid(7) == "ciclo1-s2-7@coopera"
    assert uid(7) != uid(8)


def test_summary_description_location_and_url() -> None:
    event = _parse(build_ics([_session()], 7, NOW)).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Sesión 2: Fondos europeos"
    description = str(event["DESCRIPTION"])
    assert "Conversatorios 2021" in description
    assert JOIN in description
    assert "Convocatorias abiertas para OSC." in description
    assert str(event["LOCATION"]) == JOIN
    assert str(event["URL"]) == JOIN


def test_alarm_one_hour_before() -> None:
    event = _parse(build_ics([_session()], 7, NOW)).walk("VEVENT")[0]
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == dt.timedelta(hours=-1)
    assert "Sesión 2" in str(alarms[0]["DESCRIPTION"])


def test_unknown_duration_and_no_link() -> None:
    session = _session(duration_minutes=None, join_url=None, description=None)
    event = _parse(build_ics([session], 7, NOW)).walk("VEVENT")[0]
    assert "DTEND" not in event
    assert "LOCATION" not in event
    assert "URL" not in event
    assert "Telegram" in str(event["DESCRIPTION"])
    assert event["DTSTART"].params["TZID"] == "America/Mexico_City"


def test_several_sessions_one_event_each() -> None:
    later = _session(uid_key="ciclo1-s3", starts_at=dt.datetime(2026, 6, 2, 10, tzinfo=MEXICO))
    cal = _parse(build_ics([_session(), later], 7, NOW))
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["ciclo1-s2-7@coopera", "ciclo1-s3-7@coopera"]
    assert events[1].decoded("DTSTART").hour == 10
    assert len(cal.walk("VTIMEZONE")) == 1


def test_start_given_in_another_zone_is_shown_in_session_zone() -> None:
    start = dt.datetime(2021, 5, 4, 17, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    event = _parse(build_ics([_session(starts_at=start)], 7, NOW)).walk("VEVENT")[0]
    assert event.decoded("DTSTART").hour == 10


def test_naive_start_and_empty_list_are_rejected() -> None:
    with pytest.raises(ValueError):
        build_ics([_session(starts_at=dt.datetime(2021, 5, 4, 10))], 7, NOW)
    with pytest.raises(ValueError):
        build_ics([], 7, NOW)


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Conversatorio — Sesión 2", "conversatorio-sesion-2.ics"),
        ("Fondos: ¿cómo aplicar?", "fondos-como-aplicar.ics"),
        ("¡¿?!", "conversatorio.ics"),
        ("", "conversatorio.ics"),
        ("a/b\\c..d", "a-b-c-d.ics"),
    ],
)
def test_ics_filename(title: str, name: str) -> None:
    assert ics_filename(title) == name


def test_ics_filename_is_bounded() -> None:
    name = ics_filename("x" * 300)
    assert name.endswith(".ics") and len(name) <= 64 and name.isascii()


def test_sequence_and_status_on_every_event() -> None:
    event = _parse(build_ics([_session(sequence=3)], 7, NOW)).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 3 and str(event["STATUS"]) == "CONFIRMED"


def test_cancel_removes_the_same_event() -> None:
    cal = _parse(build_ics([_session(sequence=4)], 7, NOW, cancel=True))
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == "ciclo1-s2-7@coopera"
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 4
    assert not event.walk("VALARM")
