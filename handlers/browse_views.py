"""Browse screens: applicant, theme, state, call situation, then a list; edited in place."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import wording
from handlers.browse_buttons import (
    LAST_PAGE,
    STATE_PAGES,
    STATES_PER_PAGE,
    Selection,
    encode,
    state_page,
)
from handlers.views import (
    APPLICANTS,
    ODS,
    PAGE_SIZE,
    STATUSES,
    Screen,
    describe,
    entry_button,
    places,
)
from knowledge import KnowledgeBase
from knowledge.geography import STATES

_HOME = InlineKeyboardButton("🏠 Menú principal", callback_data="menu:home")


def _button(label: str, sel: Selection) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(sel))


def _to(sel: Selection, step: str, **changes: Any) -> Selection:
    """The selection of another step, keeping the choices made so far."""
    values = {"applicant": sel.applicant, "theme": sel.theme, "status": sel.status,
              "page": 0, "state": sel.state} | changes
    return Selection(step, **values)


def _where(sel: Selection) -> str:
    return f"en {sel.state}" if sel.state else "todo el país"


def screen(base: KnowledgeBase, sel: Selection) -> Screen:
    """The screen for a browse step."""
    steps = {"a": _applicants, "t": _themes, "e": _states, "s": _statuses}
    return steps.get(sel.step, _page)(base, sel)


def _applicants(base: KnowledgeBase, sel: Selection) -> Screen:
    counts = base.facets().applicants
    rows = [[_button(f"{APPLICANTS[a]} ({n})", Selection("t", a))] for a, n in counts.items()]
    rows.append([_button("Cualquiera", Selection("t"))])
    rows.append([_HOME])
    return ("📚 <b>Explorar fuentes de financiamiento</b>\n\n"
            "Paso 1 de 4: ¿quién solicitaría el apoyo?", InlineKeyboardMarkup(rows))


def _themes(base: KnowledgeBase, sel: Selection) -> Screen:
    counts = base.facets(applicant=sel.applicant).themes
    buttons = [_button(f"{n}. {ODS[n]} ({c})", _to(sel, "e", theme=n)) for n, c in counts.items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button("Cualquier tema", _to(sel, "e", theme=None))])
    rows.append([_button("↩ Atrás", Selection("a")), _HOME])
    return (f"📚 {describe(sel.applicant, None, None)}\n\n"
            "Paso 2 de 4: ¿sobre qué tema (Objetivo de Desarrollo Sostenible)?",
            InlineKeyboardMarkup(rows))


def _states(base: KnowledgeBase, sel: Selection) -> Screen:
    facets = base.facets(applicant=sel.applicant, theme=sel.theme)
    shown = STATES[sel.page * STATES_PER_PAGE : (sel.page + 1) * STATES_PER_PAGE]
    whole = len(base.browse(sel.applicant, sel.theme))
    buttons = [_button(f"{s} ({facets.states.get(s, 0)})", _to(sel, "s", state=s))
               for s in shown]
    rows = [[_button(f"🇲🇽 Todo el país ({whole})", _to(sel, "s", state=None))]]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if sel.page > 0:
        nav.append(_button("◀ Anteriores", _to(sel, "e", page=sel.page - 1)))
    if sel.page < STATE_PAGES - 1:
        nav.append(_button("Más estados ▶", _to(sel, "e", page=sel.page + 1)))
    if nav:
        rows.append(nav)
    rows.append([_button("↩ Atrás", _to(sel, "t")), _HOME])
    return (f"📚 {describe(sel.applicant, sel.theme, None)}\n\n"
            "Paso 3 de 4: ¿en qué estado de la República se haría el proyecto? Las fuentes "
            "de alcance nacional aparecen en todos.\n\n"
            f"Estados, página {sel.page + 1} de {STATE_PAGES}:",
            InlineKeyboardMarkup(rows))


def _statuses(base: KnowledgeBase, sel: Selection) -> Screen:
    counts = base.facets(applicant=sel.applicant, theme=sel.theme, state=sel.state).statuses
    rows = [[_button(f"{STATUSES[s][0]} {STATUSES[s][1]} ({n})", _to(sel, "l", status=s))]
            for s, n in counts.items()]
    rows.append([_button("Cualquier situación (todas las fuentes)",
                         _to(sel, "l", status=None))])
    rows.append([_button("↩ Atrás", _to(sel, "e", page=state_page(sel.state))), _HOME])
    return (f"📚 {describe(sel.applicant, sel.theme, None)} · {_where(sel)}\n\n"
            "Paso 4 de 4: ¿en qué situación está la convocatoria? (créditos, alianzas y "
            "referencias no son convocatorias: aparecen en «todas las fuentes»)",
            InlineKeyboardMarkup(rows))


def _page(base: KnowledgeBase, sel: Selection) -> Screen:
    found = base.browse(sel.applicant, sel.theme, sel.status, sel.state)
    pages = min(max(1, -(-len(found) // PAGE_SIZE)), LAST_PAGE + 1)
    page = min(sel.page, pages - 1)
    shown = found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [[entry_button(e)] for e in shown]
    nav = []
    if page > 0:
        nav.append(_button("◀ Anterior", _to(sel, "l", page=page - 1)))
    if page < pages - 1:
        nav.append(_button("Siguiente ▶", _to(sel, "l", page=page + 1)))
    if nav:
        rows.append(nav)
    rows.append([_button("↩ Cambiar filtros", _to(sel, "s")), _HOME])
    title = f"📚 {describe(sel.applicant, sel.theme, sel.status)} · {_where(sel)}"
    if not found:
        return (f"{title}\n\nNo hay fuentes con esos filtros. Pruebe con otros.",
                InlineKeyboardMarkup(rows))
    total = wording.count(len(found), "fuente")
    return (f"{title}\n\n<b>{total}</b> · página {page + 1} de {pages}. Dónde trabaja cada "
            f"una:\n{places(shown)}\n\nToque una para ver el detalle.", InlineKeyboardMarkup(rows))
