"""Number agreement and button labels (bot/wording.py)."""

from __future__ import annotations

import pytest

from bot.wording import count, fit_label, fit_title


@pytest.mark.parametrize(("number", "noun", "text"), [
    (1, "persona", "1 persona"), (2, "persona", "2 personas"), (0, "persona", "0 personas"),
    (1, "destinatario", "1 destinatario"), (1, "constancia", "1 constancia"),
    (1, "sesión", "1 sesión"), (3, "sesión", "3 sesiones"), (2, "mes", "2 meses"),
    (1500, "persona", "1,500 personas"),
])
def test_count_agrees(number: int, noun: str, text: str) -> None:
    assert count(number, noun) == text


def test_labels_are_cut_between_words() -> None:
    label = fit_label("☐ mar 5 mar · Una sesión con un título muy largo que no cabe en el botón")
    assert label.endswith("…") and len(label) <= 60
    assert label[:-1] in "☐ mar 5 mar · Una sesión con un título muy largo que no cabe en el botón"
    assert label[:-1].rstrip().split()[-1] in {"no", "que", "cabe"}


@pytest.mark.parametrize(("title", "label"), [
    ("🟢 Fondo de Cooperación para Agua y Saneamiento (FCAS) de la Cooperación Española",
     "🟢 FCAS de la Cooperación Española"),
    ("📘 Agencia Mexicana de Cooperación Internacional para el Desarrollo (AMEXCID)",
     "📘 AMEXCID"),
    ("🟢 Programa de Apoyo a Organizaciones de la Sociedad Civil de Baja California "
     "(Secretaría de Bienestar)", "🟢 Programa de Apoyo a… (Secretaría de Bienestar)"),
    ("Fondo Semillas", "Fondo Semillas"),
])
def test_titles_keep_the_funder(title: str, label: str) -> None:
    assert fit_title(title, 48) == label
