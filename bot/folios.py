"""Certificate folios: unguessable, easy to read aloud and to type back."""

from __future__ import annotations

import re
import secrets

PREFIX = "CPA"
# No 0/O nor 1/I/L: people copy folios from paper and read them over the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS = 3
GROUP_SIZE = 4
DEEP_LINK_PREFIX = "verificar_"

_CHARS = f"[{ALPHABET}]"
FOLIO_PATTERN = re.compile(rf"^{PREFIX}(?:-{_CHARS}{{{GROUP_SIZE}}}){{{GROUPS}}}$")
# Dashes, underscores and spaces people (or their phones) put between groups.
_SEPARATORS = re.compile(r"[\s\-_‐‑‒–—]+")
_LINK_WORD = DEEP_LINK_PREFIX.strip("_").upper()
_COMPACT = re.compile(rf"^{PREFIX}({_CHARS}{{{GROUPS * GROUP_SIZE}}})$")


def new_folio() -> str:
    """Draw a random folio such as 'CPA-7K3M-Q9XW-H2TD'."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return _format(body)


def _format(body: str) -> str:
    """Group the random characters behind the prefix."""
    groups = [body[i : i + GROUP_SIZE] for i in range(0, len(body), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])


def normalize_folio(text: str) -> str | None:
    """Return the canonical folio typed in any case, with or without dashes; None if malformed."""
    compact = _SEPARATORS.sub("", text.strip().upper())
    # A pasted deep-link parameter still names the folio.
    compact = compact.removeprefix(_LINK_WORD)
    match = _COMPACT.match(compact)
    return _format(match.group(1)) if match else None


_IN_TEXT = re.compile(
    rf"\b{PREFIX}[\s\-_‐‑‒–—]*(?:{_CHARS}[\s\-_‐‑‒–—]*){{{GROUPS * GROUP_SIZE}}}", re.I)


def find_folio(text: str) -> str | None:
    """Return a folio pasted anywhere in a message ("me pasaron una constancia con folio …")."""
    match = _IN_TEXT.search(text)
    return normalize_folio(match.group(0)) if match else None


def deep_link_payload(folio: str) -> str:
    """Return the /start parameter that verifies the folio."""
    return f"{DEEP_LINK_PREFIX}{folio}"


def folio_from_payload(payload: str) -> str | None:
    """Return the folio inside a 'verificar_<folio>' /start parameter, or None."""
    if not payload.startswith(DEEP_LINK_PREFIX):
        return None
    return normalize_folio(payload[len(DEEP_LINK_PREFIX) :])


def verify_url(bot_username: str, folio: str) -> str:
    """Return the t.me link that opens the bot on the folio's verification."""
    return f"https://t.me/{bot_username.lstrip('@')}?start={deep_link_payload(folio)}"
