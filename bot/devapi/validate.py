"""Request parameters as the Bot API reads them, and the checks Telegram applies."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.devapi.html import HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_JSON_PARAMS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "allowed_updates",
    "scope",
    "link_preview_options",
    "reply_parameters",
}
_INT_PARAMS = {"message_id", "offset", "limit", "timeout", "max_connections", "cache_time"}
_BOOL_PARAMS = {
    "disable_notification",
    "protect_content",
    "show_alert",
    "drop_pending_updates",
    "disable_web_page_preview",
    "allow_sending_without_reply",
}
CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_URL = re.compile(r"^(https?|tg)://\S+$")


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    """Build a 400 answer the way Telegram words it."""
    return ApiError(400, f"Bad Request: {description}")


def coerce(params: dict[str, Any]) -> dict[str, Any]:
    """Turn form values (strings) into the types the method expects."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, str):
            if key in _JSON_PARAMS:
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    raise bad_request(f"can't parse {key} JSON object") from None
            elif key in _INT_PARAMS or key == "chat_id":
                if re.fullmatch(r"-?\d+", value):
                    value = int(value)
                elif key != "chat_id":
                    raise bad_request(f"invalid {key} specified")
            elif key in _BOOL_PARAMS:
                value = value.lower() in ("true", "1")
        out[key] = value
    return out


def formatted(params: dict[str, Any], key: str, limit: int) -> tuple[str, list[dict[str, Any]]]:
    """Parse text or caption per parse_mode and check its length after parsing."""
    raw = params.get(key)
    if raw is None or raw == "":
        if key == "text":
            raise bad_request("message text is empty")
        return "", []
    raw = str(raw)
    mode = str(params.get("parse_mode") or "")
    if mode.upper() == "HTML":
        try:
            text, entities = parse_html(raw)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode:
        raise bad_request(f"unsupported parse_mode {mode!r} in this emulator")
    else:
        entities_key = "caption_entities" if key == "caption" else "entities"
        text, entities = raw, list(params.get(entities_key) or [])
    if not text.strip() and key == "text":
        raise bad_request("message text is empty")
    if utf16_len(text) > limit:
        raise bad_request("message is too long" if key == "text" else "message caption is too long")
    return text, entities


def reply_markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """Validate an inline keyboard (the only markup this bot uses) or a keyboard removal."""
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if markup.get("remove_keyboard") or "keyboard" in markup or "force_reply" in markup:
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("text buttons are unallowed in the inline keyboard")
    kinds = [k for k in ("callback_data", "url", "switch_inline_query", "web_app", "login_url",
                         "switch_inline_query_current_chat", "copy_text", "pay") if k in button]
    if len(kinds) != 1:
        raise bad_request("inline keyboard button must have exactly one optional field")
    if "callback_data" in button:
        data = str(button["callback_data"])
        if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not _URL.match(str(button["url"])):
        url = button["url"]
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def commands(params: dict[str, Any]) -> list[dict[str, str]]:
    """Validate the list of bot commands for setMyCommands."""
    items = params.get("commands")
    if not isinstance(items, list) or len(items) > 100:
        raise bad_request("parameter \"commands\" must be an array of up to 100 BotCommand")
    for item in items:
        if not isinstance(item, dict) or not _COMMAND.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return items
