"""Registration field checks: normalised values and specific Spanish messages."""

from __future__ import annotations

import pytest

from bot.validation import (
    Checked,
    check_cluni,
    check_email,
    check_full_name,
    check_municipality,
    check_organization,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("maria lopez", "Maria Lopez"),
        ("JOSÉ PÉREZ", "José Pérez"),
        ("maria de la luz garcia y lopez", "Maria de la Luz Garcia y Lopez"),
        ("  Ma.  Guadalupe   Hernández ", "Ma. Guadalupe Hernández"),
        ("o'brien smith", "O'Brien Smith"),
        ("ana-maría núñez", "Ana-María Núñez"),
        ("McDonald de la Peña", "McDonald de la Peña"),
        ("Jose\u0301 Pe\u0301rez", "José Pérez"),
    ],
)
def test_full_name_valid(text: str, value: str) -> None:
    assert check_full_name(text) == Checked(value, None)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "nombre completo"),
        ("Ana", "apellido"),
        ("a", "muy corto"),
        ("Juan 2 Pérez", "números"),
        ("ana@x.com", "correo o un enlace"),
        ("www.juan.com", "correo o un enlace"),
        ("juan#perez lopez", "Use solo letras"),
        ("x" * 119 + " y", "muy largo"),
    ],
)
def test_full_name_errors(text: str, fragment: str) -> None:
    result = check_full_name(text)
    assert result.value is None
    assert result.error is not None and fragment in result.error


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ana@Gmail.COM", "Ana@gmail.com"),
        ("  ana.lopez@fundacion.org.mx ", "ana.lopez@fundacion.org.mx"),
        ("ana@yahoo.com.mx", "ana@yahoo.com.mx"),
        ("ana@hotmail.es", "ana@hotmail.es"),
        ("ana@ymail.com", "ana@ymail.com"),
        ("ana@mail.com", "ana@mail.com"),
        ("ana@correo.unam.mx", "ana@correo.unam.mx"),
    ],
)
def test_email_valid(text: str, value: str) -> None:
    assert check_email(text).value == value
    assert check_email(text).error is None


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("ana@gmial.com", "ana@gmail.com"),
        ("ana@gmal.com", "ana@gmail.com"),
        ("ana@gmail.con", "ana@gmail.com"),
        ("ana@gmail.co", "ana@gmail.com"),
        ("ana@gmail.com.mx", "ana@gmail.com"),
        ("ana@hotmial.com", "ana@hotmail.com"),
        ("ana@hotmal.com", "ana@hotmail.com"),
        ("ana@yaho.com", "ana@yahoo.com"),
        ("ana@outlok.com", "ana@outlook.com"),
        ("ana@yahoo.com.mz", "ana@yahoo.com.mx"),
        ("ana@fundacion.com.mz", "ana@fundacion.com.mx"),
    ],
)
def test_email_typos_suggest_fix(text: str, suggestion: str) -> None:
    result = check_email(text)
    assert result.value is None
    assert result.error is not None and f"¿Quiso decir {suggestion}?" in result.error


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Escriba su correo"),
        ("ana gmail.com", "espacios"),
        ("ana.gmail.com", "falta la @"),
        ("ana@@gmail.com", "más de una @"),
        ("@gmail.com", "antes de la @"),
        ("ana@", "después de la @"),
        ("ana@gmail", "terminación como .com"),
        ("ana..b@gmail.com", "dos puntos seguidos"),
        ("ana@gmail..com", "dos puntos seguidos"),
        ("ana@x.c", "incompleta"),
        ("ana@.com", "no parece válido"),
    ],
)
def test_email_errors(text: str, fragment: str) -> None:
    result = check_email(text)
    assert result.value is None
    assert result.error is not None and fragment in result.error


def test_email_errors_differ_by_mistake() -> None:
    texts = ["ana gmail.com", "ana.gmail.com", "ana@gmail", "ana..b@x.com", "ana@gmial.com"]
    assert len({check_email(t).error for t in texts}) == len(texts)


@pytest.mark.parametrize(
    ("text", "value"),
    [("  Fundación   Ejemplo  A.C. ", "Fundación Ejemplo A.C."), ("ONG", "ONG")],
)
def test_organization_valid(text: str, value: str) -> None:
    assert check_organization(text).value == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "Escriba el nombre"), ("A", "muy corto"), ("!!", "letras"), ("x" * 151, "muy largo")],
)
def test_organization_errors(text: str, fragment: str) -> None:
    result = check_organization(text)
    assert result.value is None
    assert result.error is not None and fragment in result.error


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Benito Juárez", "Benito Juárez"),
        ("san pedro garza garcia", "San Pedro Garza Garcia"),
        ("santa maría del oro", "Santa María del Oro"),
        ("Dolores Hidalgo C.I.N.", "Dolores Hidalgo C.I.N."),
        ("Heroica Ciudad de Juchitán de Zaragoza", "Heroica Ciudad de Juchitán de Zaragoza"),
    ],
)
def test_municipality_valid(text: str, value: str) -> None:
    assert check_municipality(text).value == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "municipio o alcaldía"),
        ("X", "muy corto"),
        ("Tlaquepaque 2", "números"),
        ("Mpio #", "Use solo letras"),
        ("x" * 101, "muy largo"),
    ],
)
def test_municipality_errors(text: str, fragment: str) -> None:
    result = check_municipality(text)
    assert result.value is None
    assert result.error is not None and fragment in result.error


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("DME0603141301B", "DME0603141301B"),
        ("dme-060314-1301-b", "DME0603141301B"),
        (" DME 0603 1413 01B ", "DME0603141301B"),
    ],
)
def test_cluni_valid(text: str, value: str) -> None:
    assert check_cluni(text).value == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Escriba la CLUNI"),
        ("ABC123", "muy corta"),
        ("X" * 21, "muy larga"),
        ("ABCDEFGHIJK", "faltarle números"),
        ("A1234567890", "faltarle letras"),
        ("ABC!0603141301", "solo letras y números"),
        ("DMÉ0603141301B", "solo letras y números"),
    ],
)
def test_cluni_errors(text: str, fragment: str) -> None:
    result = check_cluni(text)
    assert result.value is None
    assert result.error is not None and fragment in result.error


@pytest.mark.parametrize("text", ["No acepto nada", "Quiero registrarme", "Si",
                                  "hola buenas tardes"])
def test_a_sentence_is_not_a_name(text: str) -> None:
    result = check_full_name(text)
    assert result.value is None and result.error is not None
    assert "no parece un nombre" in result.error


def test_a_name_introduced_by_the_person_is_kept() -> None:
    assert check_full_name("me llamo ana lópez").value == "Ana López"


@pytest.mark.parametrize(("text", "fragment"), [
    ("ana@tlacolula.gob", "ana@tlacolula.gob.mx"),
    ("ana@ejemplo.zzz", "«.zzz» no existe"),
])
def test_email_top_level_domain_must_exist(text: str, fragment: str) -> None:
    result = check_email(text)
    assert result.value is None and result.error is not None and fragment in result.error
