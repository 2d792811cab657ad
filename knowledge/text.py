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


def fold(text: str) -> str:
    """Return text lower-cased, without accents (except ñ) and with dotted initialisms joined."""
    text = unicodedata.normalize("NFC", text.casefold()).replace("ñ", _ENYE)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = text.replace(_ENYE, "ñ")
    return _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)


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
