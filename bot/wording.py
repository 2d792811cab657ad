"""Spanish wording shared by every screen: number agreement and button labels that fit."""

from __future__ import annotations

import re
import unicodedata

# Telegram shows about this many characters of an inline button on a phone.
LABEL_MAX = 60
_UNACCENT = str.maketrans("áéíóú", "aeiou")


def plural(noun: str) -> str:
    """The plural of a Spanish noun ('sesión' → 'sesiones', 'persona' → 'personas')."""
    if not noun or noun[-1] in "aeiouáéó":
        return noun + "s"
    if noun[-1] == "z":
        return noun[:-1] + "ces"
    if noun[-1] in "sx" and len(noun) > 3 and noun[-2] not in "áéíóú":
        return noun  # 'el lunes' → 'los lunes'
    # An accent on the last syllable moves away once it gains one: 'sesión' → 'sesiones'.
    head, last = noun[:-2], noun[-2:]
    return head + last.translate(_UNACCENT) + "es"


def count(number: int, noun: str, noun_plural: str | None = None) -> str:
    """'1 persona', '3 personas', '0 personas' (a comma as the thousands separator)."""
    word = noun if number == 1 else (noun_plural or plural(noun))
    return f"{number:,} {word}"


def fit_label(text: str, limit: int = LABEL_MAX) -> str:
    """Shorten a button label at a word boundary with '…', never inside a word."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ·,;:—-") + "…"


def fit_name(prefix: str, name: str, short_prefix: str = "", limit: int = LABEL_MAX) -> str:
    """A label that keeps a name whole, dropping to a shorter prefix before cutting the name."""
    for head in (prefix, short_prefix):
        if len(head) + len(name) <= limit:
            return f"{head}{name}"
    return fit_label(f"{short_prefix}{name}", limit)


_ACRONYM = re.compile(r"(?:^|(?<=[\s–:]))[^\W_][^()–:]*?\s*\("
                      r"(?P<acr>[A-ZÁÉÍÓÚÑ][A-Za-z0-9ÁÉÍÓÚÑ\-]*[A-ZÁÉÍÓÚÑ][A-Za-z0-9\-]*)\)")
_TRAILING = re.compile(r"^(?P<head>.+?)\s*(?P<tail>\([^()]+\))$")


def fit_title(text: str, limit: int = LABEL_MAX) -> str:
    """Shorten an entry's title for a button without losing whom it is from.

    A long name with its acronym becomes the acronym ('Fondo de Cooperación para Agua y
    Saneamiento (FCAS) de la Cooperación Española' → 'FCAS de la Cooperación Española'); a
    trailing parenthesis (usually the funder) is kept while the words before it are cut.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    match = _ACRONYM.search(text)
    if match:
        shorter = f"{text[: match.start()]}{match['acr']}{text[match.end():]}"
        if len(shorter) <= limit:
            return shorter
        text = shorter
    trailing = _TRAILING.match(text)
    if trailing and len(trailing["tail"]) <= limit * 0.6:
        room = limit - len(trailing["tail"]) - 1
        return f"{fit_label(trailing['head'], room)} {trailing['tail']}"
    return fit_label(text, limit)
