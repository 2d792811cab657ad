"""Normalisation, lexicon pipeline and typo correction."""

from __future__ import annotations

from collections import Counter

import pytest

from knowledge.spelling import Speller
from knowledge.text import fold, normalize, words
from knowledge.vocab import lexicon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿Qué FONDOS hay?", "que fondos hay"),
        ("Organización civil, A.C.", "organizacion civil ac"),
        ("O.S.C. en EE.UU.", "osc en eeuu"),
        ("Año 2025: ¡cooperación!", "año 2025 cooperacion"),
        ("pingüino", "pinguino"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_enye_is_kept_distinct() -> None:
    assert fold("Año") == "año"
    assert words("año") != words("ano")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("asociación civil", "ONG"),
        ("A.C.", "organizaciones de la sociedad civil"),
        ("ayuntamiento", "municipio"),
        ("mpio", "gobierno local"),
        ("lana", "financiamiento"),
        ("grant", "donativo"),
        ("convocatorias", "call"),
        ("ODS", "Agenda 2030"),
        ("canadiense", "Canadá"),
        ("jika", "JICA"),
        ("coica", "KOICA"),
        ("gringos", "Estados Unidos"),
        ("kelog", "Kellogg"),
        ("Unión Europea", "europeo"),
        ("mujeres", "mujer"),
    ],
)
def test_synonyms_meet_on_the_same_term(a: str, b: str) -> None:
    lex = lexicon()
    assert lex.terms(a) == lex.terms(b)


def test_stop_words_and_slang_are_dropped() -> None:
    assert lexicon().terms("q onda, hay algo pa las AC?") == ["osc"]


def test_cooperativa_is_not_cooperacion() -> None:
    lex = lexicon()
    assert lex.terms("cooperativa") != lex.terms("cooperación")


def test_english_is_rewritten_to_spanish() -> None:
    lex = lexicon()
    english = lex.terms("water grants for women")
    assert sorted(english) == sorted(lex.terms("donativos agua mujeres"))


def test_speller_corrects_typos_within_reach() -> None:
    speller = Speller(Counter({"convocatoria": 5, "financiamiento": 3, "municipio": 4}))
    assert speller.correct("convocatorai") == "convocatoria"
    assert speller.correct("finanziamiento") == "financiamiento"
    assert speller.correct("munisipio") == "municipio"
    assert speller.correct("xyz") is None
    assert speller.correct("pasaporte") is None
