"""Checks of a knowledge base for `coopera kb check`, and counts for `coopera kb stats`."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from knowledge.errors import Problem
from knowledge.loader import read_base
from knowledge.schema import Entry, Status
from knowledge.search import KnowledgeBase
from knowledge.text import normalize

STALE_AFTER_MONTHS = 18
_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)[^)]*\)")


@dataclass
class CheckReport:
    """Errors (the base is not fit to ship) and warnings (it should be looked at)."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    entries: int = 0

    @property
    def ok(self) -> bool:
        """Tell whether there are no errors."""
        return not self.errors


def _months_before(today: dt.date, months: int) -> dt.date:
    """Return the date months before today (day clamped to 28 to stay valid)."""
    total = today.year * 12 + today.month - 1 - months
    return dt.date(total // 12, total % 12 + 1, min(today.day, 28))


def _url_problem(url: str) -> str | None:
    """Explain why a URL is not well formed, or return None."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        return f"'{url}' debe empezar con http:// o https://"
    host = parsed.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith(".") or " " in url:
        return f"'{url}' no tiene un dominio válido"
    return None


def _entry_problems(file: str, entry: Entry, ids: set[str], today: dt.date) -> list[Problem]:
    """Return the cross-reference, URL and date errors of one entry."""
    problems = []
    for name in ("related", "replaced_by"):
        for ref in getattr(entry, name):
            if ref not in ids:
                problems.append(Problem(file, name, f"'{ref}' no existe en la base"))
    urls: list[tuple[str, str]] = [("sources", str(u)) for u in entry.sources]
    urls += [(n, str(getattr(entry, n))) for n in ("official_url", "call_url") if getattr(entry, n)]
    urls += [("body", u) for u in _MARKDOWN_LINK.findall(entry.body) if not u.startswith("#")]
    for name, url in urls:
        message = _url_problem(url)
        if message:
            problems.append(Problem(file, name, message))
    if entry.closes and entry.closes < today and entry.status is Status.ABIERTA:
        message = f"cerró el {entry.closes.isoformat()} pero el estatus sigue 'abierta'"
        problems.append(Problem(file, "closes", message))
    return problems


def check_base(path: str | Path, today: dt.date | None = None) -> CheckReport:
    """Check every rule of the base at path; today defaults to the current date."""
    today = today or dt.date.today()
    entries, problems = read_base(Path(path))
    report = CheckReport(errors=list(problems), entries=len(entries))
    ids = {entry.id for _, entry in entries}
    seen_questions: dict[str, str] = {}
    stale_before = _months_before(today, STALE_AFTER_MONTHS)
    for file, entry in entries:
        report.errors += _entry_problems(file, entry, ids, today)
        for number, question in enumerate(entry.questions):
            key = normalize(question)
            owner = seen_questions.setdefault(key, entry.id)
            if owner != entry.id:
                message = f"'{question}' repite una pregunta de ejemplo de {owner}"
                report.errors.append(Problem(file, f"questions[{number}]", message))
        if entry.verified < stale_before:
            message = f"verificada el {entry.verified.isoformat()}: hace más de 18 meses"
            report.warnings.append(Problem(file, "verified", message))
    return report


def stats(kb: KnowledgeBase) -> dict[str, Any]:
    """Count entries by kind, and fuentes by status, applicant and ODS theme."""
    fuentes = [e for e in kb.entries if e.status is not None]
    return {
        "entries": len(kb.entries),
        "kind": dict(Counter(e.kind.value for e in kb.entries)),
        "status": dict(Counter(e.status.value for e in fuentes if e.status is not None)),
        "applicant": dict(Counter(a.value for e in fuentes for a in e.applicants)),
        "theme": dict(sorted(Counter(t for e in fuentes for t in e.themes).items())),
    }
