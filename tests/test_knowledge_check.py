"""`coopera kb check` rules and stats, on bad bases written into tmp_path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import knowledge
from knowledge.check import check_base, stats
from tests.knowledge_fixtures import entry_data, make_base, write_domains, write_entry

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


def test_sources_shown_must_be_classified_public_pages(tmp_path: Path) -> None:
    dump = {"url": "https://es.scribd.com/document/1/copia", "publisher": "Un donante"}
    copied = dump | {"copy_of": "https://example.org/original"}
    press = {"url": "https://news.example.net/nota", "publisher": "Diario"}
    write_domains(tmp_path, copy=["scribd.com"], aggregator=["agregador.example.com"])
    cases = {
        "copia-sin-original": [dump, press],
        "copia-con-original": [copied, press],
        "sin-clasificar": [{"url": "https://desconocido.example.com/x", "publisher": "X"}, press],
        "ip": [{"url": "http://132.248.31.69/doc.pdf", "publisher": "UNAM"}, press],
        "puerto": [{"url": "https://news.example.net:20082/x", "publisher": "Diario"}, press],
        "sin-editor": [{"url": "https://example.org/a"}],
        "solo-agregador": [{"url": "https://agregador.example.com/a", "publisher": "Agregador"}],
    }
    for name, sources in cases.items():
        write_entry(tmp_path, entry_data(name, sources=sources))
    problems = found(check_base(tmp_path, today=TODAY).errors)
    assert problems == {
        ("fuentes/copia-sin-original.md", "sources[0]"),
        ("fuentes/sin-clasificar.md", "sources[0]"),
        ("fuentes/ip.md", "sources[0]"),
        ("fuentes/puerto.md", "sources[0]"),
        ("fuentes/sin-editor.md", "sources[0]"),
        ("fuentes/solo-agregador.md", "sources"),
    }


def test_funding_entry_needs_an_official_link_or_says_there_is_none(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("sin-sitio", official_url=None))
    write_entry(tmp_path, entry_data("sin-sitio-dicho", official_url=None,
                                     official_url_missing=True))
    write_entry(tmp_path, entry_data("sitio-no-oficial",
                                     official_url="https://news.example.net/nota"))
    assert found(check_base(tmp_path, today=TODAY).errors) == {
        ("fuentes/sin-sitio.md", "official_url"),
        ("fuentes/sitio-no-oficial.md", "official_url"),
    }


def test_eligibility_the_body_calls_unconfirmed_cannot_be_listed_as_confirmed(
    tmp_path: Path,
) -> None:
    body = ("Apoya a OSC locales. Que los gobiernos municipales puedan solicitarlo está sin\n"
            "confirmar.")
    write_entry(tmp_path, entry_data("dice-municipios", applicants=["osc", "municipio"]), body=body)
    write_entry(tmp_path, entry_data("posible", applicants=["osc"],
                                     applicants_possible=["municipio"]), body=body)
    assert found(check_base(tmp_path, today=TODAY).errors) == {
        ("fuentes/dice-municipios.md", "applicants")
    }


def test_only_calls_carry_a_call_status_and_periodic_ones_their_last_call(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("ley", instrument="referencia", status="sin confirmar"))
    write_entry(tmp_path, entry_data("ley-sin-estatus", instrument="referencia", status=None))
    write_entry(tmp_path, entry_data("credito-extinto", instrument="crédito", status="extinta"))
    write_entry(tmp_path, entry_data("periodica-sin-fecha", call_year=None))
    write_entry(tmp_path, entry_data("sin-cobertura", coverage=None))
    assert found(check_base(tmp_path, today=TODAY).errors) == {
        ("fuentes/ley.md", "status"),
        ("fuentes/periodica-sin-fecha.md", "closes"),
        ("fuentes/sin-cobertura.md", "coverage"),
    }


def test_periodic_source_without_a_recent_call_is_a_warning(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("vieja", call_year=None, closes="2025-05-01"))
    write_entry(tmp_path, entry_data("reciente", call_year=None, closes="2025-07-01"))
    report = check_base(tmp_path, today=TODAY)
    assert report.ok
    assert found(report.warnings) == {("fuentes/vieja.md", "closes")}


def test_stats_show_official_links_evidence_age_and_stale_sources(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("nueva", sources=[
        {"url": "https://example.org/a", "publisher": "A", "date": "2026-10-01"}]))
    write_entry(tmp_path, entry_data("media", call_year=None, closes="2025-08-01", sources=[
        {"url": "https://example.org/b", "publisher": "B", "date": "2025"}]))
    write_entry(tmp_path, entry_data("antigua", official_url=None, official_url_missing=True,
                                     call_year=2021, sources=[
        {"url": "https://example.org/c", "publisher": "C", "date": "2021-03"}]))
    result = stats(knowledge.load(tmp_path), today=TODAY)
    assert result["fuentes"] == {"total": 3, "with official link": 2,
                                 "no official site (stated)": 1}
    assert result["evidence age"] == {"< 12 meses": 1, "12-18 meses": 1, "> 18 meses": 1}
    assert result["stale periodic"] == ["antigua"]
    assert result["no official link"] == ["antigua"]
