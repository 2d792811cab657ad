"""Loading a base: valid bases load; every problem names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge import KnowledgeError
from tests.knowledge_fixtures import entry_data, make_base, write_entry


def problems_of(root: Path) -> list[knowledge.Problem]:
    """Load root and return the problems it raised."""
    with pytest.raises(KnowledgeError) as caught:
        knowledge.load(root)
    return caught.value.problems


def test_shipped_base_loads() -> None:
    kb = knowledge.load()
    assert kb.entries, "the shipped base should have entries"
    first = kb.entries[0]
    assert kb.get(first.id) is first
    assert kb.get("no-existe") is None


def test_accepts_str_and_path(tmp_path: Path) -> None:
    make_base(tmp_path)
    assert len(knowledge.load(str(tmp_path)).entries) == 6
    assert len(knowledge.load(tmp_path).entries) == 6


def test_missing_field_names_file_and_field(tmp_path: Path) -> None:
    data = entry_data("sin-titulo")
    del data["title"]
    write_entry(tmp_path, data)
    (problem,) = problems_of(tmp_path)
    assert problem.file == "fuentes/sin-titulo.md"
    assert problem.field == "title"


def test_too_few_questions_and_bad_url(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("mala", questions=["una sola"], sources=["no es url"]))
    fields = {p.field for p in problems_of(tmp_path)}
    assert "questions" in fields
    assert any(f.startswith("sources") for f in fields)


def test_fuente_without_funder_names_field(tmp_path: Path) -> None:
    data = entry_data("sin-financiador")
    del data["funder"]
    write_entry(tmp_path, data)
    (problem,) = problems_of(tmp_path)
    assert "funder" in problem.field


def test_invalid_yaml_and_missing_front_matter(tmp_path: Path) -> None:
    (tmp_path / "temas").mkdir()
    (tmp_path / "temas" / "roto.md").write_text("---\ntitle: [sin cerrar\n---\ncuerpo\n")
    (tmp_path / "temas" / "plano.md").write_text("Solo texto, sin bloque YAML.\n")
    found = {(p.file, p.field) for p in problems_of(tmp_path)}
    assert ("temas/roto.md", "front matter") in found
    assert ("temas/plano.md", "front matter") in found


def test_id_must_match_file_and_folder_kind(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("otro-id"), folder="fuentes")
    (tmp_path / "fuentes" / "otro-id.md").rename(tmp_path / "fuentes" / "nombre.md")
    write_entry(tmp_path, entry_data("tema-en-fuentes", kind="tema"), folder="fuentes")
    found = {(p.file, p.field) for p in problems_of(tmp_path)}
    assert ("fuentes/nombre.md", "id") in found
    assert ("fuentes/tema-en-fuentes.md", "kind") in found


def test_duplicate_ids_across_folders(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("repetido"))
    write_entry(tmp_path, entry_data("repetido", kind="tema"))
    messages = [str(p) for p in problems_of(tmp_path)]
    assert any("repetido" in m for m in messages)


def test_error_message_is_readable_and_lists_all(tmp_path: Path) -> None:
    write_entry(tmp_path, entry_data("a", title=""))
    write_entry(tmp_path, entry_data("b", verified="ayer"))
    with pytest.raises(KnowledgeError) as caught:
        knowledge.load(tmp_path)
    text = str(caught.value)
    assert "2 problemas" in text
    assert "fuentes/a.md: title" in text and "fuentes/b.md: verified" in text


def test_folder_without_kind_folders(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path)
    assert "fuentes" in problem.message


def test_eventos_are_ignored(tmp_path: Path) -> None:
    make_base(tmp_path)
    (tmp_path / "eventos").mkdir()
    (tmp_path / "eventos" / "ciclo.yaml").write_text("nombre: ciclo\n")
    assert len(knowledge.load(tmp_path).entries) == 6
