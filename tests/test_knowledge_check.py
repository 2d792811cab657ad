"""`coopera kb check` rules and stats, on bad bases written into tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import knowledge
from knowledge.check import check_base, stats
from tests.knowledge_fixtures import entry_data, make_base, write_entry

TODAY = dt.date(2026, 11, 22)


def found(report_problems: list[knowledge.Problem]) -> set[tuple[str, str]]:
    """Return the (file, field) pairs of problems."""
    return {(p.file, p.field) for p in report_problems}


def test_valid_base_has_no_errors(tmp_path: Path) -> None:
    report = check_base(make_base(tmp_path), today=TODAY)
    assert report.ok and report.errors == [] and report.warnings == []
    assert report.entries == 6


def test_shipped_base_is_clean_of_schema_errors() -> None:
    root = Path(knowledge.__file__).parent
    report = check_base(root)
    assert not [p for p in report.errors if p.field in ("front matter", "id", "kind")]


def test_schema_and_structure_errors(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("sin-resumen", summary=""))
    write_entry(tmp_path, entry_data("es-tema", kind="tema"), folder="fuentes")
    report = check_base(tmp_path, today=TODAY)
    assert ("fuentes/sin-resumen.md", "summary") in found(report.errors)
    assert ("fuentes/es-tema.md", "kind") in found(report.errors)


def test_dangling_related_and_replaced_by(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("a", related=["no-existe"], replaced_by=["tampoco"]))
    write_entry(tmp_path, entry_data("b", related=["a"]))
    problems = found(check_base(tmp_path, today=TODAY).errors)
    assert problems == {("fuentes/a.md", "related"), ("fuentes/a.md", "replaced_by")}


def test_malformed_urls(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("urls", official_url="https://localhost/x"),
                body="Vea [la guía](ftp://example.org/guia) y [esto](https://ok.example.org).")
    problems = found(check_base(tmp_path, today=TODAY).errors)
    assert problems == {("fuentes/urls.md", "official_url"), ("fuentes/urls.md", "body")}


def test_repeated_example_question_across_entries(tmp_path: Path) -> None:
    questions = ["¿Qué es esto?", "otra", "una mas", "y otra mas"]
    write_entry(tmp_path, entry_data("uno", questions=questions))
    write_entry(tmp_path, entry_data("dos", questions=["que es esto", "b", "c", "d"]))
    problems = check_base(tmp_path, today=TODAY).errors
    assert found(problems) == {("fuentes/uno.md", "questions[0]")} or found(problems) == {
        ("fuentes/dos.md", "questions[0]")
    }


def test_stale_verification_is_a_warning(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("vieja", verified="2025-05-01"))
    write_entry(tmp_path, entry_data("reciente", verified="2025-06-01"))
    report = check_base(tmp_path, today=TODAY)
    assert report.ok
    assert found(report.warnings) == {("fuentes/vieja.md", "verified")}


def test_past_close_with_open_status_is_an_error(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("abierta-vencida", status="abierta", closes="2026-01-31"))
    write_entry(tmp_path, entry_data("abierta-vigente", status="abierta", closes="2026-12-31"))
    write_entry(tmp_path, entry_data("cerrada", status="cerrada", closes="2026-01-31"))
    assert found(check_base(tmp_path, today=TODAY).errors) == {
        ("fuentes/abierta-vencida.md", "closes")
    }


def test_stats_counts(tmp_path: Path) -> None:
    kb = knowledge.load(make_base(tmp_path))
    counts = stats(kb)
    assert counts["entries"] == 6
    assert counts["kind"] == {"fuente": 4, "tema": 1, "uso": 1}
    assert counts["status"] == {"abierta": 1, "periódica": 1, "cerrada": 1, "extinta": 1}
    assert counts["applicant"]["osc"] == 3
    assert counts["theme"][6] == 1


def test_call_dates_must_be_in_order(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("al-reves", status="abierta", opens="2026-12-01",
                                     closes="2026-11-30"))
    write_entry(tmp_path, entry_data("en-orden", status="abierta", opens="2026-11-01",
                                     closes="2026-12-31", call_url="https://example.org/c"))
    errors = check_base(tmp_path, today=TODAY).errors
    assert {p.file for p in errors} == {"fuentes/al-reves.md"}
    assert "closes debe ser posterior a opens" in errors[0].message
