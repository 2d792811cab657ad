"""Search, answer, respond and browse, on a small fixture base and on the shipped base."""

from __future__ import annotations

from pathlib import Path

import pytest

import knowledge
from knowledge import KnowledgeBase
from knowledge.schema import Applicant, Status
from tests.knowledge_fixtures import make_base


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    return knowledge.load(make_base(tmp_path_factory.mktemp("base")))


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return knowledge.load()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("fondo canadiense para agua", "fondo-agua-canada"),
        ("cuanto da la embajada de canada", "fondo-agua-canada"),
        ("becas de jika", "jica-becas"),
        ("japanese technical cooperation", "jica-becas"),
        ("apoyo para colectivas feministas", "fondo-mujeres"),
        ("q paso con la coinvercion social", "programa-extinto"),
        ("como me vuelvo donataria autorisada", "tema-donataria"),
        ("para que sirve este bot", "uso-ayuda"),
    ],
)
def test_small_base_answers(small: KnowledgeBase, question: str, expected: str) -> None:
    matches = small.search(question)
    assert matches and matches[0].entry.id == expected
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_search_limit_and_empty(small: KnowledgeBase) -> None:
    assert len(small.search("fondo", limit=2)) <= 2
    assert small.search("") == []
    assert small.search("¿?") == []


@pytest.mark.parametrize(
    "question",
    [
        "va a llover mañana en monterrey?",
        "quien gano el partido de futbol",
        "como saco mi pasaporte",
        "cita para la curp",
        "prestamo personal sin buro",
        "credito infonavit",
        "como retiro mi afore",
        "beca benito juarez para mi hijo",
        "registro civil de mi hija",
        "cooperativa de taxis como la formo",
        "receta de mole poblano",
        "",
    ],
)
def test_out_of_scope_is_declined(shipped: KnowledgeBase, question: str) -> None:
    response = shipped.respond(question)
    # Personal matters are pointed to the public service they belong to, loose words get an
    # offer of help; the rest is declined. None shows an entry.
    assert response.decision in ("decline", "redirect", "chat")
    assert response.matches == []
    assert shipped.answer(question) is None


# A representative sample of the shipped base: ids missing from the base are skipped.
SHIPPED_CASES = [
    ("q es la amexcid", "amexcid"),
    ("fondo canada iniciativas locales", "fondo-canada-iniciativas-locales"),
    ("ya cerro la convocatoria de canada?", "fondo-canada-iniciativas-locales"),
    ("becas de la jika en japon", "jica-mexico"),
    ("coica tiene fondos en mexico?", "corea-koica-mexico"),
    ("la fundacion kelog sigue dando donativos en chiapas?", "fundacion-kellogg-mexico"),
    ("que paso con usaid", "usaid-mexico"),
    ("como saco la cluni", "tema-cluni-registro-federal-osc"),
    ("tramite para ser donataria autorizada", "tema-donataria-autorizada"),
    ("que es el marco logico", "tema-marco-logico"),
    ("como me registro al conversatorio", "uso-como-registrarse"),
    ("programa de coinversion social indesol", "indesol-programa-coinversion-social"),
]


@pytest.mark.parametrize(("question", "expected"), SHIPPED_CASES)
def test_shipped_base_answers(shipped: KnowledgeBase, question: str, expected: str) -> None:
    if shipped.get(expected) is None:
        pytest.skip(f"{expected} is not in the base")
    top = shipped.search(question, limit=3)
    assert expected in [m.entry.id for m in top]


@pytest.mark.parametrize("question", [q for q, _ in SHIPPED_CASES] + ["clima en oaxaca"])
def test_answer_agrees_with_respond(shipped: KnowledgeBase, question: str) -> None:
    response = shipped.respond(question)
    answer = shipped.answer(question)
    if response.decision == "answer":
        assert answer is not None and answer.entry.id == response.matches[0].entry.id
        assert len(response.matches) == 1
    else:
        assert answer is None
    if response.decision == "suggest":
        assert 1 <= len(response.matches) <= 3


@pytest.mark.parametrize(
    ("question", "applicants", "themes", "statuses"),
    [
        ("fondos para municipios sobre agua", {Applicant.MUNICIPIO}, {6}, set()),
        ("convocatorias abiertas para OSC de mujeres", {Applicant.OSC}, {5}, {Status.ABIERTA}),
        ("¿qué fondos hay para una A.C. que trabaja agua en Oaxaca?", {Applicant.OSC}, {6}, set()),
        ("apoyos para universidades", {Applicant.ACADEMIA}, set(), set()),
        ("fondos que ya no existen", set(), set(), {Status.EXTINTA}),
        ("grants for municipalities on water", {Applicant.MUNICIPIO}, {6}, set()),
        ("fondos para proyectos del ODS 13", set(), {13}, set()),
    ],
)
def test_filter_questions(
    small: KnowledgeBase,
    question: str,
    applicants: set[Applicant],
    themes: set[int],
    statuses: set[Status],
) -> None:
    response = small.respond(question)
    assert response.decision == "filter"
    got = response.filters
    assert (got.applicants, got.themes, got.statuses) == (
        frozenset(applicants), frozenset(themes), frozenset(statuses)
    )
    assert all(response.filters.accepts(m.entry) for m in response.matches)


def test_named_funder_is_not_a_filter(small: KnowledgeBase) -> None:
    response = small.respond("fondo de canada para municipios")
    assert response.decision == "answer"
    assert response.matches[0].entry.id == "fondo-agua-canada"


def test_filter_ranks_open_first_and_extinct_last(small: KnowledgeBase) -> None:
    response = small.respond("fondos para asociaciones civiles")
    ids = [m.entry.id for m in response.matches]
    assert ids[0] == "fondo-agua-canada"
    assert ids[-1] == "programa-extinto"


def test_browse_and_facets(small: KnowledgeBase) -> None:
    found = [e.id for e in small.browse(applicant="municipio")]
    assert found == ["fondo-agua-canada", "jica-becas"]
    assert [e.id for e in small.browse(theme=5, status="cerrada")] == ["fondo-mujeres"]
    assert small.browse(applicant=Applicant.ESTADO) == []
    assert len(small.browse()) == 4
    facets = small.facets()
    assert facets.applicants[Applicant.OSC] == 3
    assert facets.themes[6] == 1
    assert facets.statuses == {
        Status.ABIERTA: 1, Status.PERIODICA: 1, Status.CERRADA: 1, Status.EXTINTA: 1
    }
    assert small.facets(applicant="municipio").statuses == {Status.ABIERTA: 1, Status.PERIODICA: 1}


def test_suggest_offers_at_most_three(small: KnowledgeBase) -> None:
    for question in ("fondo", "cooperacion", "becas y fondos de japon o canada"):
        response = small.respond(question)
        if response.decision == "suggest":
            assert 1 <= len(response.matches) <= 3


def test_base_from_entries_directly(small: KnowledgeBase, tmp_path: Path) -> None:
    again = KnowledgeBase(small.entries)
    assert [m.entry.id for m in again.search("jica")] == [m.entry.id for m in small.search("jica")]


def test_derived_word_finds_its_indexed_relative(shipped: KnowledgeBase) -> None:
    # "apicultoras" is not in the base; "apicultura" is, and starts the same way.
    slots = shipped.analyzer.slots("apicultoras")
    assert any("apicultur" in t for s in slots for t, _ in s.weighted())


def test_named_funder_outranks_entries_that_only_mention_it(shipped: KnowledgeBase) -> None:
    # Both PNUD entries carry PNUD in their title; the Kellogg entry only lists it as a partner.
    ids = [m.entry.id for m in shipped.search("el pnud da donaciones a cooperativas?", limit=2)]
    assert set(ids) <= {"pnud-ppd-fmam", "pnud-rotoplas-a-fluir"}


def test_wording_reads_the_kind_of_entry_asked_for(shipped: KnowledgeBase) -> None:
    intents = shipped.ranker.intents
    assert intents is not None
    assert intents.read(("que", "es", "la", "cooperacion", "triangular"), named=False) == "tema"
    assert intents.read(("que", "es", "la", "jica"), named=True) is None
    assert intents.read(("a", "que", "hora", "es", "la", "sesion"), named=False) == "conversatorio"
    assert intents.read(("a", "que", "hora", "abre", "la", "embajada"), named=False) is None


def test_extinction_wording_reaches_the_same_term(shipped: KnowledgeBase) -> None:
    said = {s.term for s in shipped.analyzer.slots("fondos que ya no operan")}
    written = {s.term for s in shipped.analyzer.slots("el programa se extinguió")}
    assert "extincion" in said & written


def test_a_short_facet_question_follows_up_the_entry_shown_before(shipped: KnowledgeBase) -> None:
    canada = "fondo-canada-iniciativas-locales"
    response = shipped.respond("¿y de cuánto es el apoyo?", previous=canada)
    assert response.follow_up and response.matches[0].entry.id == canada
    assert response.facets == ("amount",)
    alone = shipped.respond("¿cuánto cuesta un taco?", previous=canada)
    assert not alone.follow_up and not alone.matches
