"""Read the entry files of a knowledge base: front matter, body, schema validation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.errors import Problem
from knowledge.schema import Entry, Kind

KIND_DIRS = {
    "fuentes": Kind.FUENTE,
    "temas": Kind.TEMA,
    "conversatorios": Kind.CONVERSATORIO,
    "uso": Kind.USO,
}
_FIELD_NAMES = tuple(Entry.model_fields)
# libyaml's parser when PyYAML has it: the same data, several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FileProblem(Exception):
    """A file that cannot even be parsed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def entry_files(root: Path) -> list[Path]:
    """List the entry files of a base, folder by folder, sorted."""
    return [p for name in KIND_DIRS for p in sorted((root / name).glob("*.md"))]


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return the YAML front matter (a mapping) and the Markdown body of an entry file."""
    match = re.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?(.*)\Z", text, re.S | re.M)
    if match is None:
        raise _FileProblem("front matter", "falta el bloque YAML entre líneas '---' al inicio")
    try:
        data = yaml.load(match.group(1), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (línea {mark.line + 2})" if mark is not None else ""
        raise _FileProblem("front matter", f"YAML inválido{where}: {exc}") from exc
    if not isinstance(data, dict):
        raise _FileProblem("front matter", "el bloque YAML debe ser un mapa campo: valor")
    return data, match.group(2)


def _field_of(loc: tuple[int | str, ...], message: str) -> str:
    """Name the field of a validation error; model-level errors name the fields they mention."""
    if loc:
        name = str(loc[0])
        return name + "".join(f"[{part}]" for part in loc[1:])
    mentioned = [f for f in _FIELD_NAMES if re.search(rf"\b{f}\b", message)]
    return ", ".join(mentioned) or "(entrada)"


def validation_problems(file: str, error: ValidationError) -> list[Problem]:
    """Turn a pydantic error into one Problem per failing field."""
    problems = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(Problem(file, _field_of(tuple(item["loc"]), message), message))
    return problems


def read_entry(path: Path, root: Path) -> tuple[Entry | None, list[Problem]]:
    """Parse and validate one entry file; return the entry or the problems found."""
    file = path.relative_to(root).as_posix()
    try:
        data, body = split_front_matter(path.read_text(encoding="utf-8"))
        if "body" in data:
            raise _FileProblem("body", "el cuerpo va después del bloque YAML, no como campo")
        return Entry.model_validate({**data, "body": body}), []
    except _FileProblem as exc:
        return None, [Problem(file, exc.field, exc.message)]
    except UnicodeDecodeError:
        return None, [Problem(file, "(archivo)", "no está codificado en UTF-8")]
    except ValidationError as exc:
        return None, validation_problems(file, exc)


def read_base(root: Path) -> tuple[list[tuple[str, Entry]], list[Problem]]:
    """Read every entry of a base; return (file, entry) pairs and the problems found."""
    if not any((root / name).is_dir() for name in KIND_DIRS):
        folders = ", ".join(KIND_DIRS)
        return [], [Problem(str(root), "(carpeta)", f"no contiene ninguna de: {folders}")]
    entries: list[tuple[str, Entry]] = []
    problems: list[Problem] = []
    for path in entry_files(root):
        entry, found = read_entry(path, root)
        problems.extend(found)
        if entry is not None:
            entries.append((path.relative_to(root).as_posix(), entry))
    return entries, problems + structure_problems(entries)


def structure_problems(entries: list[tuple[str, Entry]]) -> list[Problem]:
    """Check what makes a base unusable: duplicate ids, id != file name, kind != folder."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file, entry in entries:
        path = Path(file)
        if entry.id != path.stem:
            problems.append(Problem(file, "id", f"'{entry.id}' no coincide con el archivo"))
        expected = KIND_DIRS.get(path.parent.name)
        if expected is not None and entry.kind is not expected:
            message = f"'{entry.kind.value}' no corresponde a la carpeta {path.parent.name}/"
            problems.append(Problem(file, "kind", message))
        if entry.id in seen:
            message = f"'{entry.id}' repetido (ya está en {seen[entry.id]})"
            problems.append(Problem(file, "id", message))
        seen.setdefault(entry.id, file)
    return problems
