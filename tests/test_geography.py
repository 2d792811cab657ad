"""Fuzzy matching of Mexican states: names, abbreviations, long names, typos and garbage."""

from __future__ import annotations

import pytest

from knowledge.geography import STATE_CODES, STATES, match_state, normalize, state_from_code

BOTH_MEXICOS = {"Ciudad de México", "Estado de México"}

CONFIDENT = [
    # Case, accents and punctuation.
    ("yucatan", "Yucatán"),
    ("YUCATÁN.", "Yucatán"),
    ("  Nuevo   León ", "Nuevo León"),
    ("queretaro", "Querétaro"),
    ("MICHOACAN", "Michoacán"),
    ("san luis potosi", "San Luis Potosí"),
    # Official long names.
    ("Veracruz de Ignacio de la Llave", "Veracruz"),
    ("Coahuila de Zaragoza", "Coahuila"),
    ("Michoacán de Ocampo", "Michoacán"),
    ("Estado Libre y Soberano de Oaxaca", "Oaxaca"),
    ("Estado Libre y Soberano de México", "Estado de México"),
    # Capital and the State of Mexico.
    ("cdmx", "Ciudad de México"),
    ("CDMX.", "Ciudad de México"),
    ("df", "Ciudad de México"),
    ("d.f.", "Ciudad de México"),
    ("D. F.", "Ciudad de México"),
    ("ciudad de mexico", "Ciudad de México"),
    ("Distrito Federal", "Ciudad de México"),
    ("edomex", "Estado de México"),
    ("edo mex", "Estado de México"),
    ("Edo. Méx.", "Estado de México"),
    ("Edo. de México", "Estado de México"),
    ("estado de mexico", "Estado de México"),
    ("estado mexico", "Estado de México"),
    # Baja California and Baja California Sur.
    ("Baja California", "Baja California"),
    ("baja california sur", "Baja California Sur"),
    ("Baja California Norte", "Baja California"),
    ("baja californa sur", "Baja California Sur"),
    ("baja californa", "Baja California"),
    ("bc", "Baja California"),
    ("bcs", "Baja California Sur"),
    # Abbreviations.
    ("nl", "Nuevo León"),
    ("qroo", "Quintana Roo"),
    ("q roo", "Quintana Roo"),
    ("Q. Roo", "Quintana Roo"),
    ("slp", "San Luis Potosí"),
    ("san luis", "San Luis Potosí"),
    ("ags", "Aguascalientes"),
    ("gto", "Guanajuato"),
    ("qro", "Querétaro"),
    ("mich", "Michoacán"),
    ("chih", "Chihuahua"),
    ("coah", "Coahuila"),
    ("tamps", "Tamaulipas"),
    ("ver", "Veracruz"),
    ("Ver.", "Veracruz"),
    ("yuc", "Yucatán"),
    ("zac", "Zacatecas"),
    ("hgo", "Hidalgo"),
    ("jal", "Jalisco"),
    ("mor", "Morelos"),
    ("nay", "Nayarit"),
    ("pue", "Puebla"),
    ("sin", "Sinaloa"),
    ("son", "Sonora"),
    ("tab", "Tabasco"),
    ("tlax", "Tlaxcala"),
    ("camp", "Campeche"),
    ("chis", "Chiapas"),
    ("col", "Colima"),
    ("dgo", "Durango"),
    ("gro", "Guerrero"),
    ("oax", "Oaxaca"),
    # Typos.
    ("oaxca", "Oaxaca"),
    ("guanajuto", "Guanajuato"),
    ("chiuahua", "Chihuahua"),
    ("michoacan", "Michoacán"),
    ("veracrus", "Veracruz"),
    ("yukatan", "Yucatán"),
    ("cohauila", "Coahuila"),
    ("zacatecaz", "Zacatecas"),
    ("tamaulipa", "Tamaulipas"),
    ("guerero", "Guerrero"),
    ("quintana ro", "Quintana Roo"),
    ("nuevo lion", "Nuevo León"),
    ("ciudad de mexcio", "Ciudad de México"),
    # Extra words.
    ("soy de yucatan", "Yucatán"),
    ("estado: jalisco", "Jalisco"),
    ("Mérida, Yucatán", "Yucatán"),
    ("Mérida, Yucatán, México", "Yucatán"),
    ("mi estado es jalisco", "Jalisco"),
    ("soy de oaxca", "Oaxaca"),
    ("vivo en edomex", "Estado de México"),
    ("soy de ver", "Veracruz"),
]


@pytest.mark.parametrize(("text", "state"), CONFIDENT)
def test_confident_matches(text: str, state: str) -> None:
    assert match_state(text).state == state


@pytest.mark.parametrize("state", STATES)
def test_every_plain_name_without_accents(state: str) -> None:
    assert match_state(normalize(state)).state == state
    assert match_state(state.upper()).state == state


@pytest.mark.parametrize("text", ["mexico", "México", "Méx.", "toluca, mexico"])
def test_bare_mexico_is_ambiguous(text: str) -> None:
    result = match_state(text)
    assert result.state is None
    assert set(result.options) == BOTH_MEXICOS


@pytest.mark.parametrize(
    ("text", "option"),
    [("pueblo", "Puebla"), ("California", "Baja California"), ("jalisco o michoacan", "Jalisco")],
)
def test_near_misses_only_offer_options(text: str, option: str) -> None:
    result = match_state(text)
    assert result.state is None
    assert option in result.options
    assert len(result.options) <= 3


@pytest.mark.parametrize(
    "text",
    [
        "hola",
        "no se",
        "no sé",
        "Texas",
        "",
        "   ",
        "¿?",
        "ninguno",
        "sin estado",
        "vivo en la col.",
    ],
)
def test_unrelated_text_matches_nothing(text: str) -> None:
    assert match_state(text).state is None
    assert match_state(text).options == []


def test_there_are_32_states_with_unique_ascii_codes() -> None:
    assert len(STATES) == 32
    codes = list(STATE_CODES.values())
    assert len(set(codes)) == 32
    assert all(code.isascii() and code.isalnum() and code.isupper() for code in codes)
    assert STATE_CODES["Ciudad de México"] == "CDMX"
    assert STATE_CODES["Estado de México"] == "MEX"


@pytest.mark.parametrize("state", STATES)
def test_codes_round_trip(state: str) -> None:
    assert state_from_code(STATE_CODES[state]) == state


def test_unknown_code() -> None:
    assert state_from_code("XX") is None
    assert state_from_code("cdmx") == "Ciudad de México"
