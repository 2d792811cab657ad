"""The work behind the offline CLI commands (knowledge base, events, exports)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import knowledge
from bot.attendance import CycleFinished
from bot.attendance_import import ReportError, parse_participants
from bot.broadcasts import BroadcastError, counts_line, parse_audience
from bot.events_file import EventFileError, load_cycle
from bot.services import Services
from bot.session_edits import EditError, parse_start
from bot.settings import Settings
from bot.wording import count
from knowledge.check import check_base, stats


def kb_check(path: Path | None, today: dt.date) -> int:
    """Validate the knowledge base; print problems; 1 when there are errors."""
    root = path or Path(knowledge.__file__).parent
    report = check_base(root, today)
    for problem in report.errors:
        print(f"ERROR {problem}")
    for problem in report.warnings:
        print(f"AVISO {problem}")
    print(f"{report.entries} entradas, {len(report.errors)} errores, "
          f"{len(report.warnings)} avisos.")
    return 0 if report.ok else 1


def kb_stats(path: Path | None) -> int:
    """Print counts by kind, status, applicant and theme."""
    for section, counts in stats(knowledge.load(path)).items():
        print(f"{section}:")
        if isinstance(counts, list):
            print(f"  {len(counts)}: {', '.join(counts) or '—'}")
            continue
        for key, value in counts.items() if isinstance(counts, dict) else [("total", counts)]:
            print(f"  {key}: {value}")
    return 0


async def kb_gaps(settings: Settings) -> int:
    """Print the most-asked organisations without an entry, then unanswered, doubtful and 👎
    questions grouped by similarity."""
    async with Services.opened(settings) as services:
        missing = await services.questions.missing(services.clock(), limit=50)
        gaps = await services.questions.gaps(services.clock(), limit=50)
    if missing:
        print("Organizaciones sin ficha más preguntadas:")
        for organisation in missing:
            count = organisation.count
            print(f"  {organisation.name} — {count} pregunta{'s' if count != 1 else ''}")
        print()
    if not gaps:
        print("No hay preguntas pendientes.")
    for gap in gaps:
        reasons = ", ".join(f"{k} {v}" for k, v in gap.reasons.items())
        print(f"{gap.count:>4}× {gap.example}  [{reasons}]")
    return 0


async def events_import(settings: Settings, files: list[Path]) -> int:
    """Validate every file first, then create or update their cycles; 1 if any is invalid."""
    cycles = []
    for path in files:
        try:
            cycles.append(load_cycle(path))
        except EventFileError as exc:
            print(exc, file=sys.stderr)
        except OSError as exc:
            print(f"{path}: no se pudo leer: {exc.strerror}", file=sys.stderr)
    if len(cycles) != len(files):
        print("No se importó nada: corrija los archivos señalados.", file=sys.stderr)
        return 1
    async with Services.opened(settings) as services:
        for cycle in cycles:
            done = await services.events.import_cycle(cycle, services.clock())
            kept = f"; conservadas por tener registros: {', '.join(done.kept)}" if done.kept else ""
            created = count(done.created, "sesión nueva", "sesiones nuevas")
            print(f"{done.cycle_id}: {created}, {count(done.updated, 'actualizada')}, "
                  f"{count(done.removed, 'eliminada')}{kept}.")
    return 0


async def export_registrations(settings: Settings, fmt: str, ref: str | None,
                               output: Path | None) -> int:
    """Write the registrations export (same function as the staff button in Telegram)."""
    async with Services.opened(settings) as services:
        session_id = None
        if ref is not None:
            event = await services.events.by_ref(ref)
            if event is None:
                print(f"No existe la sesión {ref} (use <ciclo>/<sesión>).", file=sys.stderr)
                return 1
            session_id = event.id
        name, content = await services.reports.export(fmt, session_id, services.clock())
    target = output or Path(name)
    target.write_bytes(content)
    print(f"Exportado a {target}")
    return 0


async def export_allies(settings: Settings, output: Path | None) -> int:
    """Write the public alliance directory (same function as the staff button in Telegram)."""
    async with Services.opened(settings) as services:
        name, content = await services.directory.export(services.clock())
    target = output or Path(name)
    target.write_bytes(content)
    print(f"Exportado a {target}")
    return 0


async def broadcast(settings: Settings, action: str | None, ident: int | None, text: str | None,
                    audience_specs: list[str], at: str | None) -> int:
    """Enqueue a broadcast (the running bot delivers it), or show or cancel one."""
    try:
        async with Services.opened(settings) as services:
            if action == "status":
                found = ([p] if (p := await services.broadcasts.progress(ident)) else []) \
                    if ident is not None else await services.broadcasts.recent()
                if not found:
                    print(f"No existe la difusión {ident}." if ident else "No hay difusiones.")
                    return 1 if ident else 0
                for progress in found:
                    b = progress.broadcast
                    print(f"#{b.id} {b.state} ({count(b.total, 'destinatario')}): "
                          f"{counts_line(progress)}")
                return 0
            if action == "cancel":
                stopped = await services.broadcasts.cancel(ident or 0)
                if stopped is None:
                    print(f"No existe la difusión {ident}.", file=sys.stderr)
                    return 1
                print(f"#{stopped.broadcast.id} {stopped.broadcast.state}: {counts_line(stopped)}")
                return 0
            body = text
            if not body:
                print("Indique --text o --text-file.", file=sys.stderr)
                return 2
            refs = {f"{e.cycle_id}/{e.code}": e.id for c in await services.events.cycles()
                    for e in await services.events.sessions(c.id)}
            now = services.clock()
            when = parse_start(at, settings.timezone, now) if at else None
            created = await services.broadcasts.create(
                body, parse_audience(audience_specs, refs), now, at=when)
            print(f"Difusión #{created.id} en cola para {count(created.total, 'destinatario')}"
                  + (f", programada para {when.isoformat()}." if when else "."))
            return 0
    except (BroadcastError, EditError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


async def attendance_import(settings: Settings, content: bytes, ref: str) -> int:
    """Import a participant report (the same function staff use in Telegram)."""
    try:
        report = parse_participants(content)
    except ReportError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    async with Services.opened(settings) as services:
        event = await services.events.by_ref(ref)
        if event is None:
            print(f"No existe la sesión {ref} (use <ciclo>/<sesión>).", file=sys.stderr)
            return 1
        try:
            done = await services.attendance.import_report(event.id, report, services.clock())
        except CycleFinished:
            print(f"El ciclo de {ref} ya terminó: su asistencia no cambia.", file=sys.stderr)
            return 1
    print(f"{done.matched} asistencias registradas; {len(done.below_minimum)} con menos de "
          f"{done.minimum} minutos; correos sin registro: {', '.join(done.unknown) or 'ninguno'}")
    return 0


async def certificates_verify(settings: Settings, folio: str) -> int:
    """Say whether a folio belongs to a genuine certificate (offline, from the database)."""
    async with Services.opened(settings) as services:
        found = await services.certificates.verify(folio)
    certificate = found.certificate
    if certificate is None:
        print("NO VÁLIDA: ese folio no corresponde a ninguna constancia.")
        return 1
    if certificate.revoked_at is not None:
        print(f"RETIRADA: la constancia {certificate.folio} fue retirada a petición de su titular.")
        return 1
    print(f"AUTÉNTICA: {certificate.folio} · {certificate.full_name} · "
          f"{found.cycle_title} · emitida {certificate.issued_at:%Y-%m-%d}")
    return 0
