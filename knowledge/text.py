"""Spanish text normalisation: case, accents, punctuation, abbreviations and stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Dotted initialisms ("A.C.", "O.S.C.", "EE.UU.") collapse to one token before punctuation goes.
_DOTTED = re.compile(r"\b(?:[a-zñ]{1,2}\.){2,}|\b[a-zñ]\.[a-zñ]\b")
_TOKEN = re.compile(r"[a-z0-9ñ]+")
# "ñ" survives accent stripping: "año" and "ano" are different words.
_ENYE = "\x00"

_stemmer = Stemmer.Stemmer("spanish")


class _Marks(dict[int, int | None]):
    """str.translate table that drops combining marks, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _Marks()


def fold(text: str) -> str:
    """Return text lower-cased, without accents (except ñ) and with dotted initialisms joined."""
    text = text.casefold()
    if not text.isascii() or _ENYE in text:
        text = unicodedata.normalize("NFC", text).replace("ñ", _ENYE)
        text = unicodedata.normalize("NFD", text).translate(_MARKS).replace(_ENYE, "ñ")
    return _DOTTED.sub(_undot, text) if "." in text else text


def _undot(match: re.Match[str]) -> str:
    """Return a dotted initialism without its dots."""
    return match.group(0).replace(".", "")


def words(text: str) -> list[str]:
    """Split text into folded word tokens (letters, digits and ñ)."""
    return _TOKEN.findall(fold(text))


def normalize(text: str) -> str:
    """Return the folded tokens of text joined by single spaces."""
    return " ".join(words(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the Spanish Snowball stem of an already folded word."""
    if word.isdigit():
        return word
    return str(_stemmer.stemWord(word))


def stem_many(folded: list[str]) -> list[str]:
    """Stem a list of already folded words at once (fast path for large word lists)."""
    return [str(s) for s in _stemmer.stemWords(folded)]
