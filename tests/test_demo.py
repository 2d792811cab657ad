"""The terminal demo: a session under way, later deliveries shown as they arrive, other people,
files from disk, and numbers that press buttons only when the bot waits for a choice."""

from __future__ import annotations

import io
from pathlib import Path

from bot.demo import DEMO_USER_ID, run_demo
from bot.settings import Settings

REPORT = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\r\n"
          "Usuaria,usuaria.demo@example.org,01/01/2030 10:00:00 AM,01/01/2030 11:30:00 AM,"
          "90,Yes\r\n")


async def demo(tmp_path: Path, script: str, *, staff: bool = False) -> str:
    """Run the demo on a script; return the transcript."""
    (tmp_path / "script.txt").write_text(script, encoding="utf-8")
    settings = Settings(TELEGRAM_BOT_TOKEN=None, _env_file=None,
                        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/demo.sqlite3",
                        COOPERA_STAFF_IDS=str(DEMO_USER_ID) if staff else "")
    out = io.StringIO()
    await run_demo(settings, tmp_path / "data", script=str(tmp_path / "script.txt"), out=out)
    return out.getvalue()


async def test_check_in_certificate_and_verification_work_out_of_the_box(tmp_path: Path) -> None:
    out = await demo(tmp_path, "/asistencia DEMO42\n/constancia\n1\n/verificar {folio}\n"
                               "/aviso\n")
    assert "✅ Registramos su asistencia a «Cómo encontrar convocatorias (en curso)»" in out
    assert "asistió a 1 de 3 sesiones; su constancia está lista" in out
    assert ".pdf guardado en" in out
    assert "> /verificar CPA-" in out and "✅ Constancia auténtica." in out


async def test_later_deliveries_appear_marked_as_arriving_later(tmp_path: Path) -> None:
    out = await demo(tmp_path, "/registro\n2\n4\n1\n:esperar 26h\n/difundir\nTraiga su "
                               "borrador.\n5\n1\n", staff=True)
    assert "lugar confirmado" in out
    assert "(reloj de la demo: " in out
    assert "Coopera · llega después:\n  ⏰ Recordatorio: la sesión «Cómo redactar una propuesta»" \
           " es mañana" in out
    assert "Coopera · editado después:\n  📣 Difusión #1" in out
    assert "Coopera · llega después:\n  Traiga su borrador." in out


async def test_another_person_sees_the_waitlist_and_contact_requests(tmp_path: Path) -> None:
    out = await demo(tmp_path, "\n".join([
        "/registro", "2", "4", "1",
        ":como beto", "/registro", "Beto Ejemplo", "beto.demo@example.org",
        "Ayuntamiento Ficticio de Demostración", "2", "yucatan", "merida", "1", "2", "4", "1",
        ":como lalo", "/aliados", "2", "5", "2", "Nos interesan sus talleres de agua.",
        ":como marta", ""]))
    assert "(ahora escribe Beto Ejemplo)" in out
    assert "Cómo redactar una propuesta: lista de espera, lugar 1" in out
    assert "Red Inventada del Agua (ficticia)" in out and "(ficticia)" in out
    assert "(ahora escribe Marta Muestra)\n\nCoopera · llega después:\n  📨 Solicitud de " \
           "contacto" in out
    assert "«Nos interesan sus talleres de agua.»" in out


async def test_files_upload_from_disk_and_typed_numbers_stay_text(tmp_path: Path) -> None:
    report = tmp_path / "participantes.csv"
    report.write_text(REPORT, encoding="utf-8")
    out = await demo(tmp_path, "\n".join([
        "/importar_asistencia", "1", f":subir {report}",
        "/sesiones", "2", "5", "3"]), staff=True)
    assert "(envía el archivo participantes.csv)" in out
    assert "Reporte importado: 1 asistencia" in out
    assert "✅ Cambio guardado" in out and "Cupo: 3" in out
