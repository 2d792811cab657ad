"""Helpers to write small knowledge bases into a temporary folder (for tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

FOLDERS = {"fuente": "fuentes", "tema": "temas", "conversatorio": "conversatorios", "uso": "uso"}


def entry_data(entry_id: str, kind: str = "fuente", **fields: Any) -> dict[str, Any]:
    """Return valid front matter for an entry, with fields overriding the defaults."""
    data: dict[str, Any] = {
        "id": entry_id,
        "kind": kind,
        "title": f"Entrada {entry_id}",
        "summary": "Resumen breve.",
        "questions": [f"pregunta uno de {entry_id}", f"pregunta dos de {entry_id}",
                      f"pregunta tres de {entry_id}", f"pregunta cuatro de {entry_id}"],
        "sources": ["https://example.org/fuente"],
        "verified": "2026-01-15",
    }
    if kind == "fuente":
        data.update(funder="Un donante", instrument="convocatoria", support_type=["donación"],
                    applicants=["osc"], themes=[6], coverage="nacional", status="periódica",
                    call_year=2026, official_url="https://example.org/oficial",
                    sources=[{"url": "https://example.org/fuente", "publisher": "Un donante",
                              "date": "2026-01"}])
    data.update(fields)
    return data


def write_domains(root: Path, **classes: list[str]) -> None:
    """Write the base's domains.yaml: example.org is official, news.example.net is press."""
    data = {"official": ["example.org"], "press": ["news.example.net"]}
    data.update(classes)
    root.mkdir(parents=True, exist_ok=True)
    (root / "domains.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def write_entry(
    root: Path, data: dict[str, Any], body: str = "Texto del cuerpo.", folder: str | None = None
) -> Path:
    """Write one entry file (front matter + body) and return its path."""
    if not (root / "domains.yaml").exists():
        write_domains(root)
    directory = root / (folder or FOLDERS[str(data.get("kind", "fuente"))])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data['id']}.md"
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return path


def make_base(root: Path) -> Path:
    """Write a small valid base with four fuentes, one tema and one uso entry."""
    write_entry(root, entry_data(
        "fondo-agua-canada", title="Fondo Canadá para agua comunitaria",
        questions=["que es el fondo de canada para agua", "cuanto da el fondo canadiense",
                   "requisitos del fondo canada agua", "canada water fund deadline"],
        keywords=["Canadá", "agua", "embajada"], themes=[6], applicants=["osc", "municipio"],
        status="abierta", funder="Embajada de Canadá"))
    write_entry(root, entry_data(
        "jica-becas", title="JICA: becas y cooperación técnica de Japón",
        questions=["becas de jica en japon", "cooperacion tecnica japonesa para municipios",
                   "como aplico a jica", "jica mexico cursos"],
        keywords=["JICA", "Japón", "becas"], themes=[4, 9], applicants=["persona", "municipio"],
        status="periódica", funder="Agencia de Cooperación Internacional del Japón"))
    write_entry(root, entry_data(
        "fondo-mujeres", title="Fondo para colectivas de mujeres",
        questions=["fondo para colectivas feministas", "apoyo a grupos de mujeres indigenas",
                   "donativos para mujeres defensoras", "montos del fondo de mujeres"],
        keywords=["mujeres", "género", "colectivas"], themes=[5, 16], applicants=["osc"],
        status="cerrada", funder="Fondo de mujeres"))
    write_entry(root, entry_data(
        "programa-extinto", title="Programa federal de coinversión (extinto)",
        questions=["sigue el programa de coinversion", "que paso con la coinversion social",
                   "coinversion convocatoria", "cuanto daba la coinversion"],
        keywords=["coinversión"], themes=[1], applicants=["osc"], status="extinta",
        funder="Gobierno federal"))
    write_entry(root, entry_data(
        "tema-donataria", kind="tema", title="Donataria autorizada",
        questions=["que es una donataria autorizada", "como ser donataria ante el sat",
                   "recibos deducibles para donantes", "ventajas de ser donataria"],
        keywords=["SAT", "deducible"]))
    write_entry(root, entry_data(
        "uso-ayuda", kind="uso", title="Qué puede hacer Coopera",
        questions=["que puedo preguntarle al bot", "para que sirve coopera",
                   "como funciona este bot", "what can this bot do"],
        sources=[]))
    return root
