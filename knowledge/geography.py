"""The 32 entidades federativas of Mexico, matched leniently from forms and questions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from knowledge.phrases import PhraseTable

STATE_CODES: dict[str, str] = {
    "Aguascalientes": "AGS",
    "Baja California": "BC",
    "Baja California Sur": "BCS",
    "Campeche": "CAMP",
    "Chiapas": "CHIS",
    "Chihuahua": "CHIH",
    "Ciudad de México": "CDMX",
    "Coahuila": "COAH",
    "Colima": "COL",
    "Durango": "DGO",
    "Estado de México": "MEX",
    "Guanajuato": "GTO",
    "Guerrero": "GRO",
    "Hidalgo": "HGO",
    "Jalisco": "JAL",
    "Michoacán": "MICH",
    "Morelos": "MOR",
    "Nayarit": "NAY",
    "Nuevo León": "NL",
    "Oaxaca": "OAX",
    "Puebla": "PUE",
    "Querétaro": "QRO",
    "Quintana Roo": "QROO",
    "San Luis Potosí": "SLP",
    "Sinaloa": "SIN",
    "Sonora": "SON",
    "Tabasco": "TAB",
    "Tamaulipas": "TAMPS",
    "Tlaxcala": "TLAX",
    "Veracruz": "VER",
    "Yucatán": "YUC",
    "Zacatecas": "ZAC",
}
STATES: tuple[str, ...] = tuple(STATE_CODES)
_BY_CODE = {code: state for state, code in STATE_CODES.items()}

# "México" alone may mean either entity; the caller must ask which one.
_AMBIGUOUS = "?"
_MEXICO_OPTIONS = ["Ciudad de México", "Estado de México"]

# Extra spellings that may appear anywhere in a sentence ("soy de edomex").
_EMBEDDED_EXTRA: dict[str, str] = {
    "ciudad de mexico": "Ciudad de México",
    "cd de mexico": "Ciudad de México",
    "cd mx": "Ciudad de México",
    "cdmx": "Ciudad de México",
    "df": "Ciudad de México",
    "d f": "Ciudad de México",
    "distrito federal": "Ciudad de México",
    "estado de mexico": "Estado de México",
    "estado mexico": "Estado de México",
    "edo mexico": "Estado de México",
    "edo de mexico": "Estado de México",
    "edo mex": "Estado de México",
    "edomex": "Estado de México",
    "estado libre y soberano de mexico": "Estado de México",
    "baja california norte": "Baja California",
    "coahuila de zaragoza": "Coahuila",
    "michoacan de ocampo": "Michoacán",
    "veracruz de ignacio de la llave": "Veracruz",
    "san luis": "San Luis Potosí",
    "potosi": "San Luis Potosí",
    "mexico": _AMBIGUOUS,
    "bc": "Baja California",
    "bcs": "Baja California Sur",
    "nl": "Nuevo León",
    "qroo": "Quintana Roo",
    "q roo": "Quintana Roo",
    "slp": "San Luis Potosí",
    "ags": "Aguascalientes",
    "gto": "Guanajuato",
    "qro": "Querétaro",
    "mich": "Michoacán",
    "chih": "Chihuahua",
    "coah": "Coahuila",
    "tamps": "Tamaulipas",
    "yuc": "Yucatán",
    "zac": "Zacatecas",
    "hgo": "Hidalgo",
    "jal": "Jalisco",
    "tlax": "Tlaxcala",
    "chis": "Chiapas",
    "dgo": "Durango",
    "gro": "Guerrero",
    "oax": "Oaxaca",
}
# Abbreviations that are also Spanish words or address parts ("sin", "ver", "col." for colonia):
# trusted only when they are the whole answer.
_WHOLE_ONLY: dict[str, str] = {
    "ver": "Veracruz",
    "mor": "Morelos",
    "nay": "Nayarit",
    "pue": "Puebla",
    "sin": "Sinaloa",
    "son": "Sonora",
    "tab": "Tabasco",
    "camp": "Campeche",
    "col": "Colima",
    "mex": _AMBIGUOUS,
}
_FILLER = {"soy", "de", "del", "en", "desde", "vivo", "es"}
_CONFIDENT = 85.0
_MARGIN = 4.0
_NEAR = 70.0
_MAX_TOKENS = 24


@dataclass(frozen=True)
class StateMatch:
    """A confident state, or candidates to offer when unsure."""

    state: str | None
    options: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """Lower-case, drop accents and punctuation, and collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


_EMBEDDED: dict[str, str] = {normalize(s): s for s in STATES} | _EMBEDDED_EXTRA
_LONGEST = max(len(alias.split()) for alias in _EMBEDDED)
# Typos are judged only against full names: fuzzy abbreviations would match almost anything.
_FUZZY: dict[str, str] = {
    alias: state for alias, state in _EMBEDDED.items() if len(alias) >= 5 and " " not in alias
} | {alias: state for alias, state in _EMBEDDED.items() if " " in alias and len(alias) > 5}


def state_from_code(code: str) -> str | None:
    """Return the state for a callback code such as "CDMX", or None."""
    return _BY_CODE.get(code.strip().upper())


def match_state(text: str) -> StateMatch:
    """Recognise a Mexican state in free text, or list likely candidates."""
    tokens = normalize(text).split()[:_MAX_TOKENS]
    if not tokens:
        return StateMatch(None)
    found = _find_aliases(tokens)
    if not found:
        core = [t for t in tokens if t not in _FILLER]
        whole = _WHOLE_ONLY.get(" ".join(core))
        found = [whole] if whole else []
    if found:
        return _decide(found)
    return _fuzzy(tokens)


def _find_aliases(tokens: list[str]) -> list[str]:
    """Return states named in the tokens, preferring the longest alias at each point."""
    found: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            state = _EMBEDDED.get(" ".join(tokens[i : i + size]))
            if state:
                found.append(state)
                i += size
                break
        else:
            i += 1
    return found


def _decide(found: list[str]) -> StateMatch:
    """Turn the named states into one answer; a bare "México" yields to any other state."""
    definite = list(dict.fromkeys(s for s in found if s != _AMBIGUOUS))
    if len(definite) == 1:
        return StateMatch(definite[0])
    if definite:
        return StateMatch(None, definite[:3])
    return StateMatch(None, list(_MEXICO_OPTIONS))


def _fuzzy(tokens: list[str]) -> StateMatch:
    """Match typos against full names over every short span of the text."""
    best: dict[str, tuple[float, int, int]] = {}
    for i in range(len(tokens)):
        for end in range(i + 1, min(i + 4, len(tokens)) + 1):
            span = " ".join(tokens[i:end])
            if len(span) < 4:
                continue
            for alias, state in _FUZZY.items():
                score = fuzz.ratio(span, alias, processor=normalize)
                if score >= _NEAR and score > best.get(state, (0.0, 0, 0))[0]:
                    best[state] = (score, i, end)
    if not best:
        return StateMatch(None)
    confident = {s: v for s, v in best.items() if v[0] >= _CONFIDENT and s != _AMBIGUOUS}
    # A name found inside a longer confident match ("Baja California" in "... Sur") is no rival.
    nested = {
        s
        for s, (_, a, b) in confident.items()
        for t, (_, c, d) in confident.items()
        if s != t and c <= a and b <= d and (a, b) != (c, d)
    }
    ranked = sorted(
        ((s, v[0]) for s, v in best.items() if s not in nested), key=lambda x: x[1], reverse=True
    )
    top_state, top_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top_state in confident and top_score - runner_up >= _MARGIN:
        return StateMatch(top_state)
    options: list[str] = []
    for state, _score in sorted(best.items(), key=lambda x: x[1][0], reverse=True):
        for name in _MEXICO_OPTIONS if state == _AMBIGUOUS else [state]:
            if name not in options:
                options.append(name)
    return StateMatch(None, options[:3])


# Regions people name instead of states.
REGIONS: dict[str, tuple[str, ...]] = {
    "peninsula de baja california": ("Baja California", "Baja California Sur"),
    "peninsula de yucatan": ("Campeche", "Quintana Roo", "Yucatán"),
    "peninsula": ("Campeche", "Quintana Roo", "Yucatán"),
    "sureste mexicano": ("Campeche", "Chiapas", "Quintana Roo", "Tabasco", "Yucatán"),
    "las dos bajas": ("Baja California", "Baja California Sur"),
    "la laguna": ("Coahuila", "Durango"),
    "comarca lagunera": ("Coahuila", "Durango"),
    "istmo de tehuantepec": ("Oaxaca", "Veracruz"),
}
# Cities people name instead of their state (capitals and large cities; ambiguous names left out).
CITIES: dict[str, str] = {
    "guadalajara": "Jalisco", "gdl": "Jalisco", "zapopan": "Jalisco", "monterrey": "Nuevo León",
    "mty": "Nuevo León", "merida": "Yucatán", "tijuana": "Baja California",
    "mexicali": "Baja California", "ensenada": "Baja California", "hermosillo": "Sonora",
    "torreon": "Coahuila", "saltillo": "Coahuila", "gomez palacio": "Durango",
    "ciudad juarez": "Chihuahua", "cd juarez": "Chihuahua", "cancun": "Quintana Roo",
    "chetumal": "Quintana Roo", "playa del carmen": "Quintana Roo", "acapulco": "Guerrero",
    "chilpancingo": "Guerrero", "culiacan": "Sinaloa", "mazatlan": "Sinaloa",
    "morelia": "Michoacán", "xalapa": "Veracruz", "villahermosa": "Tabasco",
    "tuxtla gutierrez": "Chiapas", "tuxtla": "Chiapas", "tapachula": "Chiapas",
    "san cristobal de las casas": "Chiapas", "cuernavaca": "Morelos", "pachuca": "Hidalgo",
    "toluca": "Estado de México", "ecatepec": "Estado de México",
    "nezahualcoyotl": "Estado de México", "reynosa": "Tamaulipas", "matamoros": "Tamaulipas",
    "nuevo laredo": "Tamaulipas", "tampico": "Tamaulipas", "ciudad victoria": "Tamaulipas",
    "celaya": "Guanajuato", "irapuato": "Guanajuato", "tepic": "Nayarit",
    "los cabos": "Baja California Sur", "la paz bcs": "Baja California Sur",
}
# Every way a question names one or more states, as word sequences.
_PLACES = PhraseTable({
    tuple(name.split()): states
    for name, states in [
        *((alias, (state,)) for alias, state in _EMBEDDED.items()),
        *((city, (state,)) for city, state in CITIES.items()),
        *REGIONS.items(),
    ]
})


def states_in(tokens: list[str]) -> tuple[list[str], set[int]]:
    """Return the states a question names (regions spelt out) and the token positions used.
    A bare "México" names the country in a question, so it is no state here."""
    found: list[str] = []
    used: set[int] = set()
    for start, end, states in _PLACES.scan(tokens):
        if not states or states == (_AMBIGUOUS,):
            continue
        found += states
        used.update(range(start, end))
    return list(dict.fromkeys(found)), used
