"""The `coopera` command: configuration errors, config display, demo, run (polling, webhook)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.cli import main
from bot.devapi import BotApiEmulator

TOKEN = "123456:TEST-token"
USER = {"id": 321, "first_name": "Itzel"}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "COOPERA_", "WEBHOOK_", "DATABASE_", "PORT"))}
    env.update(extra)
    return env


@pytest.mark.parametrize(("variable", "value"), [
    ("COOPERA_STAFF_IDS", "12,abc"),
    ("COOPERA_TIMEZONE", "America/Atlantida"),
    ("DATABASE_URL", "mysql://root@localhost/coopera"),
    ("DATABASE_URL", "no es url"),
    ("PORT", "ochenta"),
    ("PORT", "70000"),
    ("TELEGRAM_BOT_TOKEN", "sin-dos-puntos"),
    ("TELEGRAM_API_URL", "ftp://api.telegram.org/bot"),
    ("COOPERA_KNOWLEDGE_DIR", "/no/existe"),
    ("WEBHOOK_URL", "http://inseguro.example.org/hook"),
    ("WEBHOOK_SECRET", "con espacios y ñ"),
])
def test_bad_configuration_is_one_line_naming_the_variable(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, value)
    assert main(["config"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"Error de configuración: {variable}: ")


@pytest.mark.parametrize(("env", "args", "variable"), [
    ({}, ["run"], "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN}, ["run", "--webhook"], "WEBHOOK_URL"),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "https://x.org/h"}, ["run"],
     "WEBHOOK_SECRET"),
])
def test_run_without_required_values_exits_2_without_traceback(
    env: dict[str, str], args: list[str], variable: str, tmp_path: Path
) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", *args], env=_env(**env), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error de configuración: {variable}: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_config_masks_secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SuperSecretValue")
    monkeypatch.setenv("DATABASE_URL", "postgresql://coopera:hunter2@db/coopera")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc123")
    monkeypatch.setenv("COOPERA_STAFF_IDS", "7, 3")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "SuperSecretValue" not in out and "hunter2" not in out and "abc123" not in out
    assert "TELEGRAM_BOT_TOKEN=987654:****" in out
    assert "DATABASE_URL=postgresql+asyncpg://coopera:***@db/coopera" in out
    assert "COOPERA_STAFF_IDS=3,7" in out


def test_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("COOPERA_TIMEZONE=America/Merida\n")
    assert main(["config"]) == 0
    assert "COOPERA_TIMEZONE=America/Merida" in capsys.readouterr().out


def test_demo_script_prints_welcome_and_numbered_buttons(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "demo", "--script", "-", "--data",
                           str(tmp_path / "demo")], input="/start\n7\n", env=_env(),
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "¡Hola, Usuaria Demo!" in done.stdout
    assert "[1] 💬 Preguntar sobre fondos" in done.stdout
    assert "[7] ❓ Ayuda" in done.stdout
    assert "¿Cómo le ayudo?" in done.stdout
    assert "\x1b[" not in done.stdout
    assert (tmp_path / "demo" / "coopera.sqlite3").exists()


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3"
    done = subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"],
                          env=_env(DATABASE_URL=url), capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Base de datos al día." in done.stdout


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    api = BotApiEmulator(TOKEN)
    await api.start()
    yield api
    await api.stop()


async def _bot_texts(emulator: BotApiEmulator, count: int) -> list[str]:
    async def enough() -> list[str]:
        while True:
            chat = emulator.chats[USER["id"]]
            texts = [m.text or "" for m in chat.messages if m.from_bot]
            if len(texts) >= count:
                return texts
            await asyncio.sleep(0.05)

    return await asyncio.wait_for(enough(), 30)


async def _stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    return err.decode()


async def test_run_polls_the_configured_api_and_stops_on_sigterm(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=emulator.base_url,
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    await emulator.user_sends(USER, "/start")
    assert "¡Hola, Itzel!" in (await _bot_texts(emulator, 1))[0]
    await emulator.user_sends(USER, "/ayuda")
    await emulator.user_sends(USER, "/inexistente")
    await emulator.user_sends(USER, None, sticker={"file_id": "S", "file_unique_id": "S",
                                                   "type": "regular", "width": 1, "height": 1,
                                                   "is_animated": False, "is_video": False})
    texts = await _bot_texts(emulator, 4)
    assert "¿Cómo le ayudo?" in texts[1]
    assert "No reconozco el comando /inexistente" in texts[2]
    assert "solo puedo leer texto" in texts[3]
    methods = {name for name, _ in emulator.requests}
    assert {"getMe", "setMyCommands", "deleteWebhook", "getUpdates"} <= methods
    err = await _stop(process)
    assert "TEST-token" not in err and "Itzel" not in err
    assert ("WARNING bot.serve: COOPERA_CONTROLLER_NAME, COOPERA_CONTROLLER_ADDRESS, "
            "COOPERA_CONTROLLER_CONTACT not set: the privacy notice must name") in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_run_webhook_checks_the_secret_and_serves_health(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    port = _free_port()
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=emulator.base_url,
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
               WEBHOOK_URL="https://coopera.example.org/tg/hook", WEBHOOK_SECRET="hook-secret",
               PORT=str(port))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    update = {"update_id": 1, "message": {
        "message_id": 1, "date": 1700000000, "text": "/start", "from": dict(USER, is_bot=False),
        "chat": {"id": USER["id"], "type": "private", "first_name": "Itzel"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
    emulator.chat_for(USER)
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            try:
                async with http.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                pass
            await asyncio.sleep(0.1)
        assert emulator.webhook == {"url": "https://coopera.example.org/tg/hook",
                                    "secret_token": "hook-secret"}
        async with http.post(f"{base}/tg/hook", json=update) as response:
            assert response.status == 401
        async with http.post(f"{base}/tg/hook", json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": "x"}) as response:
            assert response.status == 403
        async with http.post(f"{base}/tg/hook", json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": "hook-secret"}) as r:
            assert r.status == 200
        texts = await _bot_texts(emulator, 1)
        assert len(texts) == 1 and "¡Hola, Itzel!" in texts[0]
    await _stop(process)
