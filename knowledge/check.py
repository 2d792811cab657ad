"""Checks of a knowledge base for `coopera kb check`, and counts for `coopera kb stats`."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from knowledge.domains import HIDDEN, PRIMARY, Domains, SiteClass, address_problem, host
from knowledge.errors import Problem
from knowledge.loader import read_base
from knowledge.schema import ENDED, Applicant, Entry, Kind, Status
from knowledge.search import KnowledgeBase
from knowledge.text import normalize

STALE_AFTER_MONTHS = 18
RECENT_MONTHS = 12
_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)[^)]*\)")
# A body sentence that says something is unconfirmed, and the applicants it may be about.
_UNCONFIRMED = re.compile(r"sin confirmar|no (?:está |esta )?confirmad|no se vio|no se encontr")
_SENTENCE = re.compile(r"(?<=[.;])\s+|\n\s*\n")
# A sentence about eligibility as a whole ("Quién puede solicitar: sin confirmar").
_ELIGIBILITY = re.compile(r"qui[eé]n(?:es)? puede[n]? (?:solicitar|aplicar|participar)|elegib")
_APPLICANT_WORDS = {
    Applicant.MUNICIPIO: re.compile(r"municip|ayuntamiento|gobiernos? locales?"),
    Applicant.ESTADO: re.compile(r"estatal|gobiernos? de los estados|entidades federativas"),
    Applicant.ACADEMIA: re.compile(r"academia|universidad"),
    Applicant.PRIVADO: re.compile(r"empresas|sector privado"),
    Applicant.PERSONA: re.compile(r"personas? f[ií]sicas?|a t[ií]tulo individual"),
}


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
    urls: list[tuple[str, str]] = [("sources", str(s.url)) for s in entry.sources]
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


def _source_problems(file: str, entry: Entry, domains: Domains) -> list[Problem]:
    """Return the errors of the pages an entry cites: unclassified, hidden or odd addresses."""
    problems = []
    primary = False
    for number, source in enumerate(entry.sources):
        name = f"sources[{number}]"
        for url in filter(None, (source.url, source.copy_of)):
            message = address_problem(str(url))
            if message:
                problems.append(Problem(file, name, message))
            elif domains.classify(str(url)) is None:
                message = f"el dominio '{host(str(url))}' no está clasificado en domains.yaml"
                problems.append(Problem(file, name, message))
        shown = domains.classify(str(source.shown))
        if shown in HIDDEN:
            message = (f"'{host(str(source.shown))}' es copia o sitio ajeno: indique en copy_of "
                       "la página original que reproduce")
            problems.append(Problem(file, name, message))
        primary = primary or shown in PRIMARY
        if entry.kind is Kind.FUENTE and source.publisher is None:
            problems.append(Problem(file, name, "falta publisher (quién publica la página)"))
    if entry.kind is Kind.FUENTE and entry.sources and not primary:
        message = "se requiere al menos una fuente oficial o de prensa (ver domains.yaml)"
        problems.append(Problem(file, "sources", message))
    if entry.official_url and domains.classify(str(entry.official_url)) is not SiteClass.OFFICIAL:
        message = f"'{host(str(entry.official_url))}' no es un sitio oficial en domains.yaml"
        problems.append(Problem(file, "official_url", message))
    return problems


def _fuente_problems(file: str, entry: Entry) -> list[Problem]:
    """Return the errors of a funding source: what it is, where, and how honest its labels are."""
    problems = []
    if entry.instrument is None:
        problems.append(Problem(file, "instrument", "una fuente requiere instrument"))
    elif entry.is_call and entry.status is None:
        problems.append(Problem(file, "status", "una convocatoria requiere status"))
    elif not entry.is_call and entry.status is not None and entry.status not in ENDED:
        message = (f"'{entry.instrument.value}' no es una convocatoria: status solo puede "
                   "decir cerrada o extinta")
        problems.append(Problem(file, "status", message))
    if entry.coverage is None:
        problems.append(Problem(file, "coverage", "indique 'nacional' o la lista de estados"))
    if entry.official_url is None and not entry.official_url_missing:
        message = "indique official_url o, si no hay sitio oficial, official_url_missing: true"
        problems.append(Problem(file, "official_url", message))
    if entry.status is Status.PERIODICA and not (entry.opens or entry.closes or entry.call_year):
        message = "una fuente periódica requiere su última convocatoria (opens, closes o call_year)"
        problems.append(Problem(file, "closes", message))
    for sentence in _SENTENCE.split(entry.body):
        lowered = " ".join(sentence.casefold().split())
        if not _UNCONFIRMED.search(lowered):
            continue
        whole = _ELIGIBILITY.search(lowered) is not None
        for applicant in entry.applicants:
            pattern = _APPLICANT_WORDS.get(applicant)
            if whole or (pattern is not None and pattern.search(lowered)):
                message = (f"'{applicant.value}' está en applicants pero el cuerpo dice que no "
                           "está confirmado: muévalo a applicants_possible")
                problems.append(Problem(file, "applicants", message))
    return list(dict.fromkeys(problems))


def last_call_is_stale(entry: Entry, today: dt.date) -> bool:
    """Tell whether a periodic source has no documented call in the last 18 months."""
    if entry.status is not Status.PERIODICA:
        return False
    last = entry.closes or entry.opens or (
        dt.date(entry.call_year, 12, 31) if entry.call_year else None)
    return last is None or last < _months_before(today, STALE_AFTER_MONTHS)


def check_base(path: str | Path, today: dt.date | None = None) -> CheckReport:
    """Check every rule of the base at path; today defaults to the current date."""
    today = today or dt.date.today()
    entries, problems = read_base(Path(path))
    report = CheckReport(errors=list(problems), entries=len(entries))
    domains = Domains.read(Path(path))
    ids = {entry.id for _, entry in entries}
    seen_questions: dict[str, str] = {}
    stale_before = _months_before(today, STALE_AFTER_MONTHS)
    for file, entry in entries:
        report.errors += _entry_problems(file, entry, ids, today)
        report.errors += _source_problems(file, entry, domains)
        if entry.kind is Kind.FUENTE:
            report.errors += _fuente_problems(file, entry)
            if last_call_is_stale(entry, today):
                message = ("periódica sin convocatoria documentada en los últimos 18 meses: "
                           "busque una reciente o confirme en el sitio oficial")
                report.warnings.append(Problem(file, "closes", message))
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


def evidence_age(entry: Entry, today: dt.date) -> str:
    """Bucket the age of an entry's newest dated evidence, in months."""
    newest = entry.evidence
    if newest is None:
        return "sin fecha"
    if newest >= _months_before(today, RECENT_MONTHS):
        return "< 12 meses"
    return "12-18 meses" if newest >= _months_before(today, STALE_AFTER_MONTHS) else "> 18 meses"


def stats(kb: KnowledgeBase, today: dt.date | None = None) -> dict[str, Any]:
    """Count entries by kind; fuentes by official link, evidence age, instrument, status,
    applicant and ODS theme; and name the fuentes without an official link."""
    today = today or dt.date.today()
    fuentes = [e for e in kb.entries if e.kind is Kind.FUENTE]
    ages = Counter(evidence_age(e, today) for e in fuentes)
    return {
        "entries": len(kb.entries),
        "kind": dict(Counter(e.kind.value for e in kb.entries)),
        "fuentes": {
            "total": len(fuentes),
            "with official link": sum(e.official_url is not None for e in fuentes),
            "no official site (stated)": sum(e.official_url_missing for e in fuentes),
        },
        "evidence age": {k: ages[k] for k in ("< 12 meses", "12-18 meses", "> 18 meses",
                                               "sin fecha") if ages[k]},
        "stale periodic": sorted(e.id for e in fuentes if last_call_is_stale(e, today)),
        "no official link": sorted(e.id for e in fuentes if e.official_url is None),
        "instrument": dict(Counter(e.instrument.value if e.instrument else "—" for e in fuentes)),
        "status": dict(Counter(e.status.value if e.status else "—" for e in fuentes)),
        "applicant": dict(Counter(a.value for e in fuentes for a in e.applicants)),
        "theme": dict(sorted(Counter(t for e in fuentes for t in e.themes).items())),
    }
