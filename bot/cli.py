"""The `coopera` command: argument parsing only; the work lives in the modules it calls."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import ConfigError, Settings, load_settings
from knowledge import KnowledgeError

log = logging.getLogger("coopera")
EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopera", description="Coopera, asistente de Telegram.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ejecutar el bot contra TELEGRAM_API_URL")
    run.add_argument("--webhook", action="store_true", help="recibir updates por webhook")
    demo = commands.add_parser("demo", help="conversar con el bot en la terminal (sin token)")
    demo.add_argument("--staff", action="store_true", help="la usuaria demo es del personal")
    demo.add_argument("--script", metavar="FILE", help="reproducir líneas de FILE (o - stdin)")
    demo.add_argument("--data", type=Path, default=Path("coopera-demo"),
                      help="carpeta de datos de la demo (base SQLite y documentos)")
    demo.add_argument("--as", dest="person", default="demo", metavar="NOMBRE",
                      choices=("demo", "beto", "marta", "lalo"),
                      help="empezar como otra persona de la demo (también: «:como NOMBRE»)")
    commands.add_parser("config", help="mostrar la configuración efectiva (secretos ocultos)")
    db = commands.add_parser("db", help="base de datos").add_subparsers(dest="action",
                                                                         required=True)
    db.add_parser("upgrade", help="aplicar las migraciones pendientes")
    commands.add_parser("health", help="salud del bot en marcha (para HEALTHCHECK de Docker)")
    kb = commands.add_parser("kb", help="base de conocimiento").add_subparsers(dest="action",
                                                                              required=True)
    for name, text in (("check", "validar las entradas"), ("stats", "contar entradas")):
        sub = kb.add_parser(name, help=text)
        sub.add_argument("--path", type=Path, help="carpeta de la base (por omisión la incluida)")
    kb.add_parser("gaps", help="preguntas sin buena respuesta, agrupadas")
    events = commands.add_parser("events", help="conversatorios").add_subparsers(
        dest="action", required=True)
    imports = events.add_parser("import", help="crear o actualizar ciclos desde archivos YAML")
    imports.add_argument("files", nargs="+", type=Path, metavar="FILE")
    export = commands.add_parser("export", help="exportar listas").add_subparsers(
        dest="action", required=True)
    registrations = export.add_parser("registrations", help="registros a conversatorios")
    registrations.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    registrations.add_argument("--session", metavar="ID", help="<ciclo>/<sesión>; todas si falta")
    registrations.add_argument("--output", type=Path, metavar="FILE")
    allies = export.add_parser("allies", help="directorio público de aliados (CSV)")
    allies.add_argument("--output", type=Path, metavar="FILE")
    attendance = commands.add_parser("attendance", help="asistencia").add_subparsers(
        dest="action", required=True)
    report = attendance.add_parser("import", help="importar un reporte de participantes (CSV)")
    report.add_argument("file", type=Path, metavar="FILE")
    report.add_argument("--session", required=True, metavar="ID", help="<ciclo>/<sesión>")
    certs = commands.add_parser("certificates", help="constancias").add_subparsers(
        dest="action", required=True)
    certs.add_parser("verify", help="verificar un folio").add_argument("folio")
    send = commands.add_parser("broadcast", help="difundir un mensaje (lo envía el bot en marcha)",
                               description="coopera broadcast --text TEXTO [--audience …] "
                               "[--at FECHA]  |  coopera broadcast status [ID]  |  "
                               "coopera broadcast cancel ID")
    send.add_argument("action", nargs="?", choices=("status", "cancel"))
    send.add_argument("id", nargs="?", type=int)
    body = send.add_mutually_exclusive_group()
    body.add_argument("--text", help="mensaje en HTML de Telegram (<b>, <i>, <a href>…)")
    body.add_argument("--text-file", type=Path, metavar="FILE")
    send.add_argument("--audience", action="append", default=[], metavar="CLAVE=VALORES",
                      help="session=<ciclo>/<sesión>, cycle=<id>, sector=osc,municipal, "
                           "state=Yucatán; se combinan (todas si falta)")
    send.add_argument("--at", metavar="FECHA", help="programar: 2030-03-05 09:00 (hora local)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of `python -m bot`."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(f"Error de configuración: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KnowledgeError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.logs import setup_logging

    if args.command == "config":
        for name, value in settings.masked().items():
            print(f"{name}={value}")
        return 0
    if args.command == "demo":
        from bot.demo import DEMO_USER_ID, run_demo

        setup_logging("WARNING")
        demo_settings = settings.model_copy(update={
            "database_url": f"sqlite+aiosqlite:///{args.data.resolve() / 'coopera.sqlite3'}",
            "staff_ids": frozenset({DEMO_USER_ID}) if args.staff else frozenset(),
        })
        args.data.mkdir(parents=True, exist_ok=True)
        asyncio.run(run_demo(demo_settings, args.data, script=args.script, person=args.person))
        return 0
    if args.command == "run":
        settings.require_token()
        if args.webhook or settings.webhook_url is not None:
            settings.require_webhook_secret()
    setup_logging()
    if args.command == "db":
        from bot.db.migrate import upgrade
        from bot.db.session import Database

        async def _upgrade() -> None:
            database = Database(settings.database_url)
            try:
                await upgrade(database)
            finally:
                await database.dispose()

        asyncio.run(_upgrade())
        print("Base de datos al día.")
        return 0
    if args.command in ("kb", "events", "export", "broadcast", "attendance", "certificates"):
        return _offline(args, settings)
    if args.command == "health":
        from bot.serve import check_health

        healthy = asyncio.run(check_health(settings))
        print("ok" if healthy else "fallo")
        return 0 if healthy else 1
    if args.command == "run":
        from bot.serve import serve

        asyncio.run(serve(settings, webhook=args.webhook or settings.webhook_url is not None))
        return 0
    raise AssertionError(args.command)


def _offline(args: argparse.Namespace, settings: Settings) -> int:
    from bot import commands

    today = dt.datetime.now(settings.timezone).date()
    if args.command == "kb" and args.action == "check":
        return commands.kb_check(args.path, today)
    if args.command == "kb" and args.action == "stats":
        return commands.kb_stats(args.path)
    if args.command == "kb":
        return asyncio.run(commands.kb_gaps(settings))
    if args.command == "events":
        return asyncio.run(commands.events_import(settings, args.files))
    if args.command == "attendance":
        try:
            content = args.file.read_bytes()
        except OSError as exc:
            print(f"Error: {args.file}: {exc.strerror}", file=sys.stderr)
            return 1
        return asyncio.run(commands.attendance_import(settings, content, args.session))
    if args.command == "certificates":
        return asyncio.run(commands.certificates_verify(settings, args.folio))
    if args.command == "broadcast":
        text = args.text_file.read_text(encoding="utf-8") if args.text_file else args.text
        return asyncio.run(commands.broadcast(settings, args.action, args.id, text,
                                              args.audience, args.at))
    if args.action == "allies":
        return asyncio.run(commands.export_allies(settings, args.output))
    return asyncio.run(commands.export_registrations(settings, args.format, args.session,
                                                     args.output))
