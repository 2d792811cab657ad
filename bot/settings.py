"""Configuration read once from the environment (and an optional .env file)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///coopera.sqlite3"
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


class ConfigError(Exception):
    """A configuration value is missing or invalid; the message names the variable."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = Field(None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(DEFAULT_API_URL, validation_alias="TELEGRAM_API_URL")
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    staff_ids: Annotated[frozenset[int], NoDecode] = Field(
        frozenset(), validation_alias="COOPERA_STAFF_IDS"
    )
    timezone: ZoneInfo = Field(ZoneInfo("America/Mexico_City"),
                               validation_alias="COOPERA_TIMEZONE")
    knowledge_dir: Path | None = Field(None, validation_alias="COOPERA_KNOWLEDGE_DIR")
    webhook_url: str | None = Field(None, validation_alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, validation_alias="WEBHOOK_SECRET")
    port: int = Field(8080, ge=1, le=65535, validation_alias="PORT")
    send_rate: float = Field(25.0, gt=0, le=1000, validation_alias="COOPERA_SEND_RATE")
    # How a person reaches the organisers (an e-mail, phone or URL, shown as given).
    contact: str | None = Field(None, validation_alias="COOPERA_CONTACT")
    # Who is responsible for personal data (LFPDPPP), named in the privacy notice.
    controller_name: str | None = Field(None, validation_alias="COOPERA_CONTROLLER_NAME")
    controller_address: str | None = Field(None, validation_alias="COOPERA_CONTROLLER_ADDRESS")
    controller_contact: str | None = Field(None, validation_alias="COOPERA_CONTROLLER_CONTACT")

    @field_validator("controller_name", "controller_address", "controller_contact",
                     mode="before")
    @classmethod
    def _controller(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = " ".join(value.split())
            if len(value) > 300:
                raise ValueError("es demasiado largo (300 caracteres como máximo)")
        return value or None

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if not _TOKEN.match(str(value)):
            raise ValueError("debe tener la forma 123456:ABC-def (el token que entrega @BotFather)")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("debe ser una URL http(s), por ejemplo https://api.telegram.org/bot")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("no es una URL de base de datos válida") from None
        driver = _DRIVERS.get(url.drivername)
        if driver is None:
            raise ValueError("use sqlite+aiosqlite:///archivo.db o postgresql+asyncpg://…")
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _staff_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(re.fullmatch(r"-?\d+", part) for part in parts):
                raise ValueError("debe ser una lista de ids numéricos separados por comas")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"zona horaria IANA desconocida: {value!r}") from None
        return value

    @field_validator("knowledge_dir")
    @classmethod
    def _knowledge_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"la carpeta {value} no existe")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not re.match(r"^https://[^\s/]+(/\S*)?$", str(value)):
            raise ValueError("debe ser una URL pública https://…")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if not _SECRET.match(str(value)):
            raise ValueError("de 1 a 256 caracteres: letras, números, _ y -")
        return value

    @property
    def webhook_path(self) -> str:
        """Path part of WEBHOOK_URL, where Telegram posts updates."""
        assert self.webhook_url is not None
        path = self.webhook_url.split("://", 1)[1].partition("/")[2]
        return "/" + path

    def require_token(self) -> str:
        """Return the bot token or fail with the variable named."""
        if self.telegram_bot_token is None:
            raise ConfigError("TELEGRAM_BOT_TOKEN: falta; obtenga uno con @BotFather")
        return self.telegram_bot_token.get_secret_value()

    def require_webhook_secret(self) -> str:
        """Return the webhook secret or fail with the variable named."""
        if self.webhook_url is None:
            raise ConfigError("WEBHOOK_URL: falta; es la dirección https pública del bot")
        if self.webhook_secret is None:
            raise ConfigError("WEBHOOK_SECRET: falta; el modo webhook requiere un secreto")
        return self.webhook_secret.get_secret_value()

    def masked(self) -> dict[str, str]:
        """Return the effective configuration by variable name, secrets masked."""
        token = self.telegram_bot_token
        url = make_url(self.database_url).render_as_string(hide_password=True)
        return {
            "TELEGRAM_BOT_TOKEN": _mask(token.get_secret_value()) if token else "(sin definir)",
            "TELEGRAM_API_URL": self.telegram_api_url,
            "DATABASE_URL": url,
            "COOPERA_STAFF_IDS": ",".join(str(i) for i in sorted(self.staff_ids)) or "(nadie)",
            "COOPERA_TIMEZONE": self.timezone.key,
            "COOPERA_KNOWLEDGE_DIR": str(self.knowledge_dir or "(la incluida)"),
            "WEBHOOK_URL": self.webhook_url or "(sin definir: polling)",
            "WEBHOOK_SECRET": "****" if self.webhook_secret else "(sin definir)",
            "PORT": str(self.port),
            "COOPERA_SEND_RATE": f"{self.send_rate:g}",
            "COOPERA_CONTACT": self.contact or "(sin definir)",
            "COOPERA_CONTROLLER_NAME": self.controller_name or "(sin definir)",
            "COOPERA_CONTROLLER_ADDRESS": self.controller_address or "(sin definir)",
            "COOPERA_CONTROLLER_CONTACT": self.controller_contact or "(sin definir)",
        }


def _mask(token: str) -> str:
    bot_id, _, _ = token.partition(":")
    return f"{bot_id}:****"


_MESSAGES = {
    "int_parsing": "debe ser un número entero",
    "greater_than_equal": "es demasiado pequeño",
    "less_than_equal": "es demasiado grande",
    "float_parsing": "debe ser un número",
    "greater_than": "debe ser mayor que cero",
}


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning any validation error into one ConfigError line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "?"
        name = _variable(field)
        message = _MESSAGES.get(error["type"], str(error["msg"]).removeprefix("Value error, "))
        raise ConfigError(f"{name}: {message}") from None


def _variable(field: str) -> str:
    info = Settings.model_fields.get(field)
    if info is None:
        return field
    return str(info.validation_alias or field).upper()
